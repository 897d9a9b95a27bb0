package cms

import (
	"bytes"
	"encoding/asn1"
	"fmt"
	"math/big"
	"strconv"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/cert"
	"gostsig.dev/internal/asn1der"
	"gostsig.dev/internal/oid"
)

// SignedData is a parsed ContentInfo holding SignedData (RFC 5652 §5.1).
// Its byte slices alias the (DER-normalised) input, which must not be
// modified while the SignedData is in use.
type SignedData struct {
	// Raw is the DER of the whole ContentInfo (the input itself for DER
	// input, a normalised copy for BER, PEM and base64).
	Raw      []byte
	Encoding Encoding
	// WasBER is set when the binary form had to be normalised from BER.
	WasBER bool

	Version          int
	DigestAlgorithms []AlgorithmIdentifier

	// ContentType is eContentType. Content is the eContent octets, nil
	// when the signature is detached (Detached is then set).
	ContentType asn1.ObjectIdentifier
	Content     []byte
	Detached    bool

	// Certificates holds the parsed certificates field, in order;
	// RawCertificates every CertificateChoices element as received, and
	// CertificateErrors the parse error of each element that is not a
	// certificate this project can read (other choices, broken DER), by
	// index into RawCertificates.
	Certificates      []*cert.Certificate
	RawCertificates   [][]byte
	CertificateErrors map[int]error

	// CRLs holds the RevocationInfoChoices elements as received (X.509
	// CRLs, or [1] other revocation info such as RFC 5940 OCSP responses,
	// whose BasicOCSPResponses Verify lists in Result.OCSPResponses).
	CRLs [][]byte

	Signers []*SignerInfo

	parseCert      certParser
	certsCached    bool   // parseCert is the caller's (a cache), not cert.Parse
	rawContentType []byte // eContentType's content octets

	// inl is the storage of the usual SignedData's parts (one digest
	// algorithm, certificate and signer; the identifiers), so that
	// parsing it allocates the SignedData and little else. Larger ones
	// outgrow it through append.
	inl struct {
		algs    [1]AlgorithmIdentifier
		raw     [1][]byte
		certs   [1]*cert.Certificate
		signers [1]*SignerInfo
		signer  SignerInfo
		oids    [sdOIDStorage]int
	}
}

// contentTypeIs reports whether the OID with content octets b (valid) is
// eContentType. A valid OID has one encoding, so the octets decide.
func (sd *SignedData) contentTypeIs(b []byte) bool {
	if sd.rawContentType != nil {
		return bytes.Equal(b, sd.rawContentType)
	}
	var a oid.Arena
	id, _ := a.Decode(b)
	return id.Equal(sd.ContentType)
}

// SignerIdentifier is SignerIdentifier (RFC 5652 §5.3): either
// issuerAndSerialNumber or subjectKeyIdentifier.
type SignerIdentifier struct {
	// Issuer is the DER of the issuer Name and SerialNumber its serial
	// (RawSerial: the INTEGER content octets) when the signer is named by
	// issuerAndSerialNumber.
	Issuer       []byte
	SerialNumber *big.Int
	RawSerial    []byte
	// SubjectKeyID is set when the signer is named by [0]
	// subjectKeyIdentifier.
	SubjectKeyID []byte
}

// Attribute is one CMS attribute (RFC 5652 §5.3).
type Attribute struct {
	Type   asn1.ObjectIdentifier
	Values [][]byte // DER of each AttributeValue, as received
	Raw    []byte   // the whole Attribute SEQUENCE
}

// SignerInfo is one SignerInfo as received (RFC 5652 §5.3), or a
// counter-signature (§11.4).
type SignerInfo struct {
	Raw     []byte
	Version int
	SID     SignerIdentifier

	DigestAlgorithm    AlgorithmIdentifier
	SignatureAlgorithm AlgorithmIdentifier
	// Signature is the content octets of the signature OCTET STRING:
	// BE(s) || BE(r).
	Signature []byte

	// RawSignedAttrs is the [0] IMPLICIT SignedAttributes element as
	// received (nil when absent). The signature covers these bytes with
	// the first octet replaced by 0x31 (RFC 5652 §5.4); SignedBytes
	// returns that view.
	RawSignedAttrs   []byte
	SignedAttrs      []Attribute
	UnsignedAttrs    []Attribute
	RawUnsignedAttrs []byte

	// CounterSignatures are the counterSignature (1.2.840.113549.1.9.6)
	// unsigned attribute values, parsed recursively up to
	// MaxCounterSignatureDepth.
	CounterSignatures []*SignerInfo

	serial      big.Int     // SID.SerialNumber's storage
	serialWords [3]big.Word // serial's words: 20 octets (RFC 5280 §4.1.2.2) fit
	// The storage of the usual signed attributes (CAdES-BES has four).
	attrBuf [5]Attribute
	valBuf  [5][]byte
}

// SignedBytes returns the two pieces whose concatenation is the message
// the signature covers when signed attributes are present: the SET OF tag
// 0x31 and the received bytes after the [0] tag (RFC 5652 §5.4). Nothing
// is re-encoded or copied.
func (si *SignerInfo) SignedBytes() (tag byte, rest []byte) {
	return 0x31, si.RawSignedAttrs[1:]
}

// Attr returns the first signed attribute of type t, or nil.
func (si *SignerInfo) Attr(t asn1.ObjectIdentifier) *Attribute { return findAttr(si.SignedAttrs, t) }

// UnsignedAttr returns the first unsigned attribute of type t, or nil.
func (si *SignerInfo) UnsignedAttr(t asn1.ObjectIdentifier) *Attribute {
	return findAttr(si.UnsignedAttrs, t)
}

func findAttr(attrs []Attribute, t asn1.ObjectIdentifier) *Attribute {
	for i := range attrs {
		if attrs[i].Type.Equal(t) {
			return &attrs[i]
		}
	}
	return nil
}

// Parse parses a CMS SignedData from DER, BER, PEM (PKCS7, CMS, SIGNED
// DATA) or bare base64. It checks structure only; Verify checks the
// signatures. Errors are *ParseError.
func Parse(data []byte) (*SignedData, error) { return ParseWithOptions(data, nil) }

// ParseOptions tune Parse.
type ParseOptions struct {
	// ParseCertificate, if set, replaces cert.Parse for the certificates
	// the SignedData carries (and those of its time-stamp tokens), so a
	// caller can serve recurring certificates from a cache keyed by their
	// DER. It must return a certificate equivalent to cert.Parse(der).
	ParseCertificate func(der []byte) (*cert.Certificate, error)
}

// ParseWithOptions is Parse with options (nil means none).
func ParseWithOptions(data []byte, opts *ParseOptions) (*SignedData, error) {
	return parseInto(data, opts, nil)
}

// parseInto is ParseWithOptions parsing into the zero SignedData into, or
// into one of its own when into is nil.
func parseInto(data []byte, opts *ParseOptions, into *SignedData) (*SignedData, error) {
	bin, enc, err := unwrap(data)
	if err != nil {
		return nil, err
	}
	var pc certParser = cert.Parse
	if opts != nil && opts.ParseCertificate != nil {
		pc = opts.ParseCertificate
	}
	sd, wasBER, err := parseBinary(bin, 0, pc, into)
	if err != nil {
		return nil, err
	}
	sd.Encoding, sd.WasBER = enc, wasBER
	sd.certsCached = opts != nil && opts.ParseCertificate != nil
	if wasBER && enc == EncodingDER {
		sd.Encoding = EncodingBER
	}
	return sd, nil
}

type certParser func(der []byte) (*cert.Certificate, error)

// parseContentInfo parses ContentInfo { contentType, [0] EXPLICIT content }
// from DER, into the SignedData into (cleared first) or, when into is nil,
// a new one. depth counts time-stamp tokens nested in tokens.
func parseContentInfo(der []byte, depth int, pc certParser, into *SignedData) (*SignedData, error) {
	s := cryptobyte.String(der)
	var ci, content, ctype cryptobyte.String
	if !asn1der.ReadASN1(&s, &ci, cbasn1.SEQUENCE) || !s.Empty() {
		return nil, malformed("", "ContentInfo")
	}
	if !asn1der.ReadASN1(&ci, &ctype, cbasn1.OBJECT_IDENTIFIER) || !oid.Valid(ctype) {
		return nil, malformed("", "ContentInfo")
	}
	if string(ctype) != oidSignedData {
		var id asn1.ObjectIdentifier
		var a oid.Arena
		id, _ = a.Decode(ctype)
		return nil, &ParseError{Msg: "content type " + id.String(), Err: ErrNotSignedData, ContentType: id}
	}
	if !asn1der.ReadASN1(&ci, &content, cbasn1.Tag(0).Constructed().ContextSpecific()) || !ci.Empty() {
		return nil, malformed("", "ContentInfo")
	}
	sd := into
	if sd == nil {
		sd = new(SignedData)
	}
	sd.Raw, sd.parseCert = der, pc
	ps := &parseState{tdepth: depth, oids: oid.WithStorage(sd.inl.oids[:])}
	if err := sd.parse(content, ps); err != nil {
		return nil, err
	}
	return sd, nil
}

// sdOIDStorage is the room for identifiers inside a SignedData: the
// dozen OIDs of a CAdES-BES with one signer take 61 components; more take
// a chunk of their own.
const sdOIDStorage = 64

// oidSignedData is the content octets of id-signedData (RFC 5652 §5.1).
var oidSignedData = oid.Content(oid.SignedData)

// parseState is the scratch one parse shares between the SignerInfos and
// attributes it decodes: the OID arena (one allocation for a dozen
// identifiers instead of one each), the counter-signature count, and the
// time-stamp token depth.
type parseState struct {
	oids     oid.Arena
	counters int
	tdepth   int
}

// readOID reads an OBJECT IDENTIFIER, decoding it into ps's arena (or on
// its own when ps is nil).
func (ps *parseState) readOID(s *cryptobyte.String, out *asn1.ObjectIdentifier) bool {
	if ps == nil {
		return s.ReadASN1ObjectIdentifier(out)
	}
	var c cryptobyte.String
	if !asn1der.ReadASN1(s, &c, cbasn1.OBJECT_IDENTIFIER) {
		return false
	}
	id, ok := ps.oids.Decode(c)
	*out = id
	return ok
}

// siPath names a SignerInfo in errors: "signerInfos[i]", or the full path
// of a counter-signature. The string is built only when an error needs it.
type siPath struct {
	s string // the full path; "" for top-level signer i
	i int
}

func (p siPath) String() string {
	if p.s != "" {
		return p.s
	}
	return "signerInfos[" + strconv.Itoa(p.i) + "]"
}

var (
	tagCtx0  = cbasn1.Tag(0).ContextSpecific()
	tagCtx0C = cbasn1.Tag(0).Constructed().ContextSpecific()
	tagCtx1C = cbasn1.Tag(1).Constructed().ContextSpecific()
)

// parse reads SignedData (RFC 5652 §5.1).
func (sd *SignedData) parse(content cryptobyte.String, ps *parseState) error {
	var body cryptobyte.String
	var version int64
	if !asn1der.ReadASN1(&content, &body, cbasn1.SEQUENCE) || !content.Empty() {
		return malformed("", "SignedData")
	}
	if !body.ReadASN1Int64WithTag(&version, cbasn1.INTEGER) {
		return malformed("version", "SignedData version")
	}
	sd.Version = int(version)

	var algs cryptobyte.String
	if !asn1der.ReadASN1(&body, &algs, cbasn1.SET) {
		return malformed("digestAlgorithms", "digestAlgorithms")
	}
	sd.DigestAlgorithms = sd.inl.algs[:0]
	for !algs.Empty() {
		if len(sd.DigestAlgorithms) >= MaxSignerInfos {
			return overLimit("digestAlgorithms", "digest algorithms", MaxSignerInfos)
		}
		var a AlgorithmIdentifier
		if !ps.readAlgorithmIdentifier(&algs, &a) {
			return malformed("digestAlgorithms", "digest AlgorithmIdentifier")
		}
		sd.DigestAlgorithms = append(sd.DigestAlgorithms, a)
	}
	if len(sd.DigestAlgorithms) == 0 {
		sd.DigestAlgorithms = nil
	}

	// EncapsulatedContentInfo ::= SEQUENCE { eContentType,
	//   eContent [0] EXPLICIT OCTET STRING OPTIONAL }
	var eci cryptobyte.String
	var ctype cryptobyte.String
	if !asn1der.ReadASN1(&body, &eci, cbasn1.SEQUENCE) || !asn1der.ReadASN1(&eci, &ctype, cbasn1.OBJECT_IDENTIFIER) {
		return malformed("encapContentInfo", "EncapsulatedContentInfo")
	}
	var ok bool
	sd.rawContentType = ctype
	if sd.ContentType, ok = ps.oids.Decode(ctype); !ok {
		return malformed("encapContentInfo", "EncapsulatedContentInfo")
	}
	if eci.Empty() {
		sd.Detached = true
	} else {
		var ec, oct cryptobyte.String
		if !asn1der.ReadASN1(&eci, &ec, tagCtx0C) || !asn1der.ReadASN1(&ec, &oct, cbasn1.OCTET_STRING) || !ec.Empty() || !eci.Empty() {
			return malformed("encapContentInfo", "eContent")
		}
		sd.Content = oct
		if sd.Content == nil {
			sd.Content = []byte{}
		}
	}

	// certificates [0] IMPLICIT CertificateSet OPTIONAL
	if body.PeekASN1Tag(tagCtx0C) {
		var certs cryptobyte.String
		asn1der.ReadASN1(&body, &certs, tagCtx0C)
		sd.RawCertificates, sd.Certificates = sd.inl.raw[:0], sd.inl.certs[:0]
		for i := 0; !certs.Empty(); i++ {
			if i >= MaxCertificates {
				return overLimit("certificates", "certificates", MaxCertificates)
			}
			var c cryptobyte.String
			var tag cbasn1.Tag
			if !asn1der.ReadAnyASN1Element(&certs, &c, &tag) {
				return malformed("certificates", "CertificateChoices")
			}
			sd.RawCertificates = append(sd.RawCertificates, c)
			if tag != cbasn1.SEQUENCE {
				// extendedCertificate [0], attribute certificates
				// [1]/[2], other [3]: kept raw.
				sd.addCertError(i, fmt.Errorf("cms: certificate choice [%d] not supported", tag&0x1f))
				continue
			}
			pc, err := sd.parseCert(c)
			if err != nil {
				sd.addCertError(i, err)
				continue
			}
			sd.Certificates = append(sd.Certificates, pc)
		}
		if len(sd.RawCertificates) == 0 {
			sd.RawCertificates = nil
		}
		if len(sd.Certificates) == 0 {
			sd.Certificates = nil
		}
	}
	// crls [1] IMPLICIT RevocationInfoChoices OPTIONAL
	if body.PeekASN1Tag(tagCtx1C) {
		var crls cryptobyte.String
		asn1der.ReadASN1(&body, &crls, tagCtx1C)
		for !crls.Empty() {
			if len(sd.CRLs) >= MaxCRLs {
				return overLimit("crls", "CRLs", MaxCRLs)
			}
			var c cryptobyte.String
			var tag cbasn1.Tag
			if !asn1der.ReadAnyASN1Element(&crls, &c, &tag) {
				return malformed("crls", "RevocationInfoChoice")
			}
			sd.CRLs = append(sd.CRLs, c)
		}
	}

	var sis cryptobyte.String
	if !asn1der.ReadASN1(&body, &sis, cbasn1.SET) || !body.Empty() {
		return malformed("signerInfos", "signerInfos")
	}
	sd.Signers = sd.inl.signers[:0]
	for i := 0; !sis.Empty(); i++ {
		if i >= MaxSignerInfos {
			return overLimit("signerInfos", "SignerInfos", MaxSignerInfos)
		}
		var into *SignerInfo
		if i == 0 {
			into = &sd.inl.signer
		}
		si, err := ps.parseSignerInfo(&sis, siPath{i: i}, 0, into)
		if err != nil {
			return err
		}
		sd.Signers = append(sd.Signers, si)
	}
	if len(sd.Signers) == 0 {
		sd.Signers = nil
	}
	return sd.checkVersion()
}

func (sd *SignedData) addCertError(i int, err error) {
	if sd.CertificateErrors == nil {
		sd.CertificateErrors = make(map[int]error)
	}
	sd.CertificateErrors[i] = err
}

// checkVersion enforces the SignedData and SignerInfo version rules of
// RFC 5652 §5.1 and §5.3. They are not covered by any signature, so
// holding them exact is what makes a flipped byte there visible.
func (sd *SignedData) checkVersion() error {
	want := 1
	// other certificate/CRL formats raise it further (§5.1).
	for _, c := range sd.RawCertificates {
		switch c[0] {
		case 0xa3: // other
			want = max(want, 5)
		case 0xa2: // v2AttrCert
			want = max(want, 4)
		case 0xa1: // v1AttrCert
			want = max(want, 3)
		}
	}
	for _, c := range sd.CRLs {
		if c[0] == 0xa1 { // other revocation info
			want = max(want, 5)
		}
	}
	if want < 5 {
		if !sd.ContentType.Equal(oid.Data) {
			want = max(want, 3)
		}
		for _, si := range sd.Signers {
			if si.Version == 3 {
				want = max(want, 3)
			}
		}
	}
	if sd.Version != want {
		return &ParseError{Path: "version", Msg: fmt.Sprintf("SignedData version %d, RFC 5652 §5.1 requires %d", sd.Version, want)}
	}
	return nil
}

// parseSignerInfo reads one SignerInfo from s into *into, or a new one
// when into is nil. cdepth counts counter-signature nesting.
func (ps *parseState) parseSignerInfo(s *cryptobyte.String, path siPath, cdepth int, into *SignerInfo) (*SignerInfo, error) {
	var raw, body cryptobyte.String
	if !asn1der.ReadASN1Element(s, &raw, cbasn1.SEQUENCE) {
		return nil, malformed(path.String(), "SignerInfo")
	}
	si := into
	if si == nil {
		si = new(SignerInfo)
	}
	si.Raw = raw
	b := raw
	var version int64
	if !asn1der.ReadASN1(&b, &body, cbasn1.SEQUENCE) || !body.ReadASN1Int64WithTag(&version, cbasn1.INTEGER) {
		return nil, malformed(path.String(), "SignerInfo")
	}
	si.Version = int(version)
	// sid: issuerAndSerialNumber (version 1) or [0] subjectKeyIdentifier
	// (version 3), RFC 5652 §5.3.
	switch {
	case body.PeekASN1Tag(cbasn1.SEQUENCE):
		var ias, name cryptobyte.String
		if !asn1der.ReadASN1(&body, &ias, cbasn1.SEQUENCE) || !asn1der.ReadASN1Element(&ias, &name, cbasn1.SEQUENCE) {
			return nil, malformed(path.String()+".sid", "issuerAndSerialNumber")
		}
		var serial cryptobyte.String
		if !asn1der.ReadASN1(&ias, &serial, cbasn1.INTEGER) || !ias.Empty() || len(serial) == 0 {
			return nil, malformed(path.String()+".sid", "issuerAndSerialNumber")
		}
		si.SID.Issuer, si.SID.RawSerial = name, serial
		// The serial's words go into si itself (SetBytes reuses the
		// capacity SetBits gives it).
		si.SID.SerialNumber = asn1der.SetInt(si.serial.SetBits(si.serialWords[:0]), serial)
		if si.Version != 1 {
			return nil, &ParseError{Path: path.String(), Msg: fmt.Sprintf("SignerInfo version %d with issuerAndSerialNumber (RFC 5652 §5.3 requires 1)", si.Version)}
		}
	case body.PeekASN1Tag(tagCtx0):
		var ski cryptobyte.String
		asn1der.ReadASN1(&body, &ski, tagCtx0)
		if len(ski) == 0 {
			return nil, malformed(path.String()+".sid", "subjectKeyIdentifier")
		}
		si.SID.SubjectKeyID = ski
		if si.Version != 3 {
			return nil, &ParseError{Path: path.String(), Msg: fmt.Sprintf("SignerInfo version %d with subjectKeyIdentifier (RFC 5652 §5.3 requires 3)", si.Version)}
		}
	default:
		return nil, malformed(path.String()+".sid", "SignerIdentifier")
	}
	if !ps.readAlgorithmIdentifier(&body, &si.DigestAlgorithm) {
		return nil, malformed(path.String()+".digestAlgorithm", "digestAlgorithm")
	}
	if body.PeekASN1Tag(tagCtx0C) {
		var sa cryptobyte.String
		asn1der.ReadASN1Element(&body, &sa, tagCtx0C)
		si.RawSignedAttrs = sa
		attrs, err := ps.parseAttributes(sa, path, ".signedAttrs", si.attrBuf[:0], si.valBuf[:0])
		if err != nil {
			return nil, err
		}
		if len(attrs) == 0 {
			// SignedAttributes ::= SET SIZE (1..MAX) OF Attribute
			return nil, malformed(path.String()+".signedAttrs", "empty signedAttrs")
		}
		si.SignedAttrs = attrs
	}
	if !ps.readAlgorithmIdentifier(&body, &si.SignatureAlgorithm) {
		return nil, malformed(path.String()+".signatureAlgorithm", "signatureAlgorithm")
	}
	var sig cryptobyte.String
	if !asn1der.ReadASN1(&body, &sig, cbasn1.OCTET_STRING) {
		return nil, malformed(path.String()+".signature", "signature")
	}
	si.Signature = sig
	if body.PeekASN1Tag(tagCtx1C) {
		var ua cryptobyte.String
		asn1der.ReadASN1Element(&body, &ua, tagCtx1C)
		si.RawUnsignedAttrs = ua
		attrs, err := ps.parseAttributes(ua, path, ".unsignedAttrs", nil, nil)
		if err != nil {
			return nil, err
		}
		si.UnsignedAttrs = attrs
	}
	if !body.Empty() {
		return nil, malformed(path.String(), "SignerInfo: trailing data")
	}

	// Counter-signatures (RFC 5652 §11.4): each value is a SignerInfo.
	n := 0
	for _, a := range si.UnsignedAttrs {
		if !a.Type.Equal(oid.AttrCounterSignature) {
			continue
		}
		if cdepth+1 > MaxCounterSignatureDepth {
			return nil, &ParseError{Path: path.String(), Msg: "counter-signatures nested too deep", Err: ErrLimit}
		}
		for _, v := range a.Values {
			ps.counters++
			if ps.counters > MaxCounterSignatures {
				return nil, overLimit(path.String(), "counter-signatures", MaxCounterSignatures)
			}
			vs := cryptobyte.String(v)
			cpath := siPath{s: fmt.Sprintf("%s.counterSignature[%d]", path, n)}
			csi, err := ps.parseSignerInfo(&vs, cpath, cdepth+1, nil)
			if err != nil {
				return nil, err
			}
			if !vs.Empty() {
				return nil, malformed(cpath.String(), "counterSignature")
			}
			si.CounterSignatures = append(si.CounterSignatures, csi)
			n++
		}
	}
	return si, nil
}

// parseAttributes reads a [0]/[1] IMPLICIT SET OF Attribute element. The
// attributes and their values each take one allocation (a slice sized by a
// first count, and a slab the Values are cut from), or none when they fit
// the capacity of attrBuf and valBuf.
func (ps *parseState) parseAttributes(elem []byte, path siPath, field string, attrBuf []Attribute, valBuf [][]byte) ([]Attribute, error) {
	s := cryptobyte.String(elem)
	var set cryptobyte.String
	var tag cbasn1.Tag
	if !asn1der.ReadAnyASN1(&s, &set, &tag) {
		return nil, malformed(path.String()+field, "attributes")
	}
	n := asn1der.CountElements(set, MaxAttributes)
	if n == 0 && set.Empty() {
		return nil, nil
	}
	out, slab := attrBuf, valBuf
	if cap(out) < n {
		out = make([]Attribute, 0, min(n, MaxAttributes))
	}
	if cap(slab) < n {
		slab = make([][]byte, 0, n) // most attributes hold one value
	}
	for !set.Empty() {
		if len(out) >= MaxAttributes {
			return nil, overLimit(path.String()+field, "attributes", MaxAttributes)
		}
		var a Attribute
		var raw, body, vals cryptobyte.String
		if !asn1der.ReadASN1Element(&set, &raw, cbasn1.SEQUENCE) {
			return nil, malformed(path.String()+field, "Attribute")
		}
		b := raw
		if !asn1der.ReadASN1(&b, &body, cbasn1.SEQUENCE) || !ps.readOID(&body, &a.Type) ||
			!asn1der.ReadASN1(&body, &vals, cbasn1.SET) || !body.Empty() {
			return nil, malformed(path.String()+field, "Attribute")
		}
		a.Raw = raw
		start := len(slab)
		for !vals.Empty() {
			if len(slab)-start >= MaxAttributeValues {
				return nil, overLimit(path.String()+field, "attribute values", MaxAttributeValues)
			}
			var v cryptobyte.String
			var vt cbasn1.Tag
			if !asn1der.ReadAnyASN1Element(&vals, &v, &vt) {
				return nil, malformed(path.String()+field, "AttributeValue")
			}
			slab = append(slab, v)
		}
		if len(slab) > start {
			// Full slice expression: an append to one attribute's
			// Values cannot overwrite the next one's.
			a.Values = slab[start:len(slab):len(slab)]
		}
		out = append(out, a)
	}
	// Capped: an append by a caller must not reach attrBuf's spare room,
	// which a copy of the SignerInfo shares.
	return out[:len(out):len(out)], nil
}

// serialEqual compares INTEGER content octets numerically, so that a
// certificate with a non-minimal serial still matches.
func serialEqual(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	return asn1der.Int(a).Cmp(asn1der.Int(b)) == 0
}
