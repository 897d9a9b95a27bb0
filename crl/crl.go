package crl

import (
	"bytes"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/pem"
	"hash"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/internal/gosthash"
)

// Limits. An input over one is rejected with ErrTooLarge, never truncated.
const (
	// MaxCRLSize is the largest CRL Parse accepts. Accredited-CA CRLs
	// (ФНС, Казначейство) reach tens of MB; this leaves an order of
	// magnitude of headroom while bounding memory.
	MaxCRLSize = 512 << 20
	// maxCRLExtensions bounds crlExtensions and each crlEntryExtensions.
	maxCRLExtensions = 64
	// maxDPNames bounds the names in an issuingDistributionPoint or
	// freshestCRL extension.
	maxDPNames = 64
	// hashChunk is how far the scan runs ahead of the hashers: the chunk is
	// still in cache when it is hashed, and the input is read once.
	hashChunk = 32 << 10
)

// CRL is a parsed X.509 v1/v2 certificate revocation list (RFC 5280 §5).
// It does not keep the DER: the revoked entries live in a compact Index,
// the header fields are copied. A CRL is immutable once parsed and safe for
// concurrent use.
type CRL struct {
	RawIssuer []byte    // DER of the issuer Name
	Issuer    cert.Name // decoded; aliases RawIssuer
	Version   int       // 1 or 2

	ThisUpdate time.Time
	NextUpdate time.Time // zero when absent (then the CRL is never current, see Status)

	// Number is the cRLNumber extension (RFC 5280 §5.2.3); nil when absent.
	Number *big.Int
	// BaseNumber is the BaseCRLNumber of the deltaCRLIndicator extension
	// (RFC 5280 §5.2.4); nil for a complete CRL.
	BaseNumber *big.Int
	// AuthorityKeyID is the keyIdentifier of the authorityKeyIdentifier
	// extension (RFC 5280 §5.2.1): the issuer's subjectKeyIdentifier. nil
	// when absent.
	AuthorityKeyID []byte
	// AuthorityCertSerial is the authorityCertSerialNumber of the AKI; nil
	// when absent.
	AuthorityCertSerial *big.Int
	// IssuingDistributionPoint is the scope of the CRL (RFC 5280 §5.2.5);
	// nil when absent (the CRL covers every certificate of the issuer).
	IssuingDistributionPoint *IssuingDistributionPoint
	// FreshestCRL lists the URIs of the freshestCRL extension (RFC 5280
	// §5.2.6): where the delta CRLs for this CRL are published.
	FreshestCRL []string

	SignatureAlgorithm asn1.ObjectIdentifier
	Signature          []byte // content of the signatureValue BIT STRING

	// Size is the length of the DER, Digest its Streebog-256 and SHA256
	// its SHA-256: together with the issuer, number and dates they identify
	// the CRL as evidence. Both digests are computed once, by Parse, so
	// every report citing the CRL — supplied, fetched or read from the disk
	// cache — can name it without the DER.
	Size   int
	Digest [streebog.Size256]byte
	SHA256 [sha256.Size]byte

	// Index holds the revoked certificates.
	Index *Index

	// URL is where the CRL was fetched from ("" when it was supplied). The
	// fetcher sets it right after parsing, before the CRL is shared.
	URL string

	issuerText string             // Issuer.String(), rendered once for evidence
	text       evidenceText       // Number and digests, rendered once for evidence
	keyAlg     gost3410.Algorithm // the key algorithm the signature needs
	tbsDigest  []byte             // hash of tbsCertList with the signature's hash

	mu       sync.Mutex
	verified []*gost3410.PublicKey // keys this CRL's signature verified with
}

// IssuingDistributionPoint is the issuingDistributionPoint CRL extension
// (RFC 5280 §5.2.5).
type IssuingDistributionPoint struct {
	// FullName lists the URIs of distributionPoint.fullName.
	FullName []string
	// HasName is true when distributionPoint is present (even with no URI).
	HasName                    bool
	OnlyContainsUserCerts      bool
	OnlyContainsCACerts        bool
	OnlyContainsAttributeCerts bool
	IndirectCRL                bool
	// OnlySomeReasons is the ReasonFlags bit string (bit i = 1<<i, bit 1 =
	// keyCompromise); 0 when absent, meaning all reasons.
	OnlySomeReasons uint16
}

// IsDelta reports whether the CRL is a delta CRL.
func (c *CRL) IsDelta() bool { return c.BaseNumber != nil }

// Parse parses a CRL in DER or PEM ("X509 CRL" block) form. It checks the
// structure strictly (DER, RFC 5280 §5.1), builds the Index of revoked
// certificates in one pass and, in the same pass, hashes the tbsCertList
// with the hash the signature algorithm requires and the whole DER with
// Streebog-256 and SHA-256 (the evidence Digest and SHA256). The signature itself needs the
// issuer's key: see [CRL.CheckSignatureFrom].
//
// Parse rejects: trailing data; a non-GOST signature algorithm or
// parameters other than absent/NULL; inner and outer AlgorithmIdentifiers
// that differ; a version other than v1/v2 or extensions in a v1 CRL;
// unknown critical CRL or entry extensions; indirect CRLs (the
// certificateIssuer entry extension); removeFromCRL in a complete CRL;
// duplicate extensions; times outside the RFC 5280 forms; more than
// maxIndexEntries entries; input over MaxCRLSize.
func Parse(data []byte) (*CRL, error) {
	if der, ok := pemBlock(data, "X509 CRL"); ok {
		data = der
	} else if bytes.HasPrefix(bytes.TrimLeft(data, " \t\r\n"), []byte("-----BEGIN")) {
		return nil, malformed("PEM (no X509 CRL block)")
	}
	return ParseDER(data)
}

// MaxBundleCRLs bounds the X509 CRL blocks ParseBundle reads from one input.
// A trust bundle carries one or two CRLs per CA; a thousand is far beyond
// any real one and bounds the work an input can demand.
const MaxBundleCRLs = 1024

// ParseBundle parses every CRL of data and returns them with their DER
// encodings, in input order (ders[i] is the DER of crls[i], for
// CheckSignatureFrom callers that keep evidence or caches).
//
// data is either one DER CRL, or PEM text with one or more "X509 CRL"
// blocks (RFC 7468 §5). Other block types — CERTIFICATE, keys, PKCS7 — are
// skipped, so that an OpenSSL-style bundle of certificates and CRLs
// (CAfile with CRLs appended) can be given as it is. Each CRL is parsed
// as by [Parse].
//
// It fails, with a KindMalformed *Error, when PEM input holds no X509 CRL
// block or has a block pem.Decode cannot read (a BEGIN line without its
// END); when a CRL fails to parse, the error names its block, counting
// every PEM block of the input from 1 ("crl: block 3: crl: malformed
// crlEntry"), and keeps the Kind of the cause. More than MaxBundleCRLs
// CRLs is KindTooLarge. The DERs of PEM input are fresh buffers; for DER
// input ders[0] is data.
func ParseBundle(data []byte) (crls []*CRL, ders [][]byte, err error) {
	if (len(data) > 0 && data[0] == 0x30) || !bytes.Contains(data, pemBegin) {
		// DER (a CRL is a SEQUENCE), or neither: ParseDER says why.
		c, err := ParseDER(data)
		if err != nil {
			return nil, nil, err
		}
		return []*CRL{c}, [][]byte{data}, nil
	}
	rest := data
	for n := 1; ; n++ {
		before := rest
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		// pem.Decode silently skips a block it cannot decode and returns
		// the next one: one BEGIN per block read, or a block was lost.
		if bytes.Count(before[:len(before)-len(rest)], pemBegin) != 1 {
			return nil, nil, errorf(KindMalformed, "crl: block %d: malformed PEM block (BEGIN line without a matching END, or bad base64)", n)
		}
		if b.Type != "X509 CRL" {
			continue
		}
		if len(crls) == MaxBundleCRLs {
			return nil, nil, errorf(KindTooLarge, "crl: more than %d CRLs in PEM input", MaxBundleCRLs)
		}
		c, err := ParseDER(b.Bytes)
		if err != nil {
			return nil, nil, wrapf(KindOf(err), err, "crl: block %d", n)
		}
		crls = append(crls, c)
		ders = append(ders, b.Bytes)
	}
	// pem.Decode returns nil, and its input unchanged, when no further
	// block decodes: a BEGIN left over is a broken last block.
	if bytes.Contains(rest, pemBegin) {
		return nil, nil, malformed("PEM block (BEGIN line without a matching END, or bad base64)")
	}
	if len(crls) == 0 {
		return nil, nil, malformed("PEM (no X509 CRL block)")
	}
	return crls, ders, nil
}

var pemBegin = []byte("-----BEGIN")

// pemBlock returns the first PEM block of the given type.
func pemBlock(data []byte, typ string) ([]byte, bool) {
	rest := data
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			return nil, false
		}
		if b.Type == typ {
			return b.Bytes, true
		}
	}
}

// ParseDER parses a DER-encoded CRL; see Parse.
func ParseDER(der []byte) (*CRL, error) {
	if len(der) > MaxCRLSize {
		return nil, errorf(KindTooLarge, "crl: %d bytes, over the %d limit", len(der), MaxCRLSize)
	}
	p := parser{der: der}
	return p.parse()
}

// parseMode selects what the single pass computes besides the index. Parse
// always uses modeFull; the others exist so that benchmarks can separate
// the cost of indexing from the cost of hashing.
type parseMode int

const (
	modeFull    parseMode = iota // index + signature hash of tbsCertList + evidence hash of the DER
	modeTBSHash                  // index + signature hash
	modeNoHash                   // index only
)

type parser struct {
	der     []byte
	mode    parseMode
	crl     *CRL
	ix      indexBuilder
	tbsHash hash.Hash
	evHash  hash.Hash
	fed     int // der[:fed] has been hashed
	tbsEnd  int

	removeFromCRL int // entries with reason removeFromCRL
	entryExts     bool
}

// off returns the offset of s in p.der; s must be a sub-slice of it.
func (p *parser) off(s []byte) int { return cap(p.der) - cap(s) }

// feed hashes der[fed:upto] into both hashers (the TBS hasher only up to the
// end of tbsCertList).
func (p *parser) feed(upto int) {
	if upto <= p.fed {
		return
	}
	chunk := p.der[p.fed:upto]
	if p.evHash != nil {
		p.evHash.Write(chunk)
	}
	if p.fed < p.tbsEnd && p.mode != modeNoHash {
		t := chunk
		if upto > p.tbsEnd {
			t = p.der[p.fed:p.tbsEnd]
		}
		p.tbsHash.Write(t)
	}
	p.fed = upto
}

func (p *parser) parse() (*CRL, error) {
	// RFC 5280 §5.1:
	//	CertificateList ::= SEQUENCE {
	//	     tbsCertList          TBSCertList,
	//	     signatureAlgorithm   AlgorithmIdentifier,
	//	     signatureValue       BIT STRING }
	input := cryptobyte.String(p.der)
	var outer, tbsElem, sigAlgElem cryptobyte.String
	var sig asn1.BitString
	if !input.ReadASN1(&outer, cbasn1.SEQUENCE) {
		return nil, malformed("certificateList")
	}
	if !input.Empty() {
		return nil, errorf(KindMalformed, "crl: trailing data (%d bytes)", len(input))
	}
	if !outer.ReadASN1Element(&tbsElem, cbasn1.SEQUENCE) ||
		!outer.ReadASN1Element(&sigAlgElem, cbasn1.SEQUENCE) ||
		!outer.ReadASN1BitString(&sig) || !outer.Empty() {
		return nil, malformed("certificateList")
	}
	c := &CRL{Size: len(p.der)}
	p.crl = c

	alg, err := parseSignatureAlgorithm(sigAlgElem)
	if err != nil {
		return nil, err
	}
	c.SignatureAlgorithm = alg
	keyAlg, _ := cert.SignatureAlgorithmKey(alg)
	_, newHash, _, ok := gosthash.ForAlgorithm(keyAlg)
	if !ok {
		return nil, errorf(KindUnsupportedAlgorithm, "crl: unsupported signature algorithm %s", alg)
	}
	c.keyAlg = keyAlg
	if sig.BitLength%8 != 0 || len(sig.Bytes) != 2*keyAlg.Size() {
		return nil, malformed("signatureValue")
	}
	c.Signature = bytes.Clone(sig.Bytes)

	p.tbsHash = newHash()
	tbsStart := p.off(tbsElem)
	p.tbsEnd = tbsStart + len(tbsElem)
	p.fed = tbsStart
	var ev *evidenceHasher
	if p.mode == modeFull {
		if len(p.der) >= parallelHashMin {
			// Two Streebog passes dominate the cost of a big CRL; the
			// evidence hash of the DER runs beside the scan on another
			// core (on one core the total is the same as inline).
			ev = startEvidenceHash(p.der)
			defer ev.stop()
			p.mode = modeTBSHash
		} else {
			p.evHash = streebog.New256()
			p.evHash.Write(p.der[:tbsStart])
		}
	}

	if err := p.parseTBS(tbsElem, sigAlgElem); err != nil {
		return nil, err
	}
	p.feed(len(p.der))
	if p.mode != modeNoHash {
		c.tbsDigest = p.tbsHash.Sum(nil)
	}
	switch {
	case ev != nil:
		c.Digest, c.SHA256 = ev.wait()
	case p.evHash != nil:
		p.evHash.Sum(c.Digest[:0])
		// The DER is small here (under parallelHashMin) and still in
		// cache; SHA-256 costs a fraction of the Streebog pass.
		c.SHA256 = sha256.Sum256(p.der)
	}
	c.text = newEvidenceText(c.Number, &c.Digest, &c.SHA256)
	c.Index = p.ix.finish()
	return c, nil
}

// parallelHashMin is the DER size from which the evidence hash runs in its
// own goroutine.
const parallelHashMin = 1 << 20

// evidenceHasher computes the Streebog-256 and the SHA-256 of a whole DER
// in a goroutine, chunk by chunk (each chunk is read once from memory).
type evidenceHasher struct {
	done   chan struct{}
	cancel atomic.Bool
	sum    [streebog.Size256]byte
	sha    [sha256.Size]byte
}

func startEvidenceHash(der []byte) *evidenceHasher {
	e := &evidenceHasher{done: make(chan struct{})}
	go func() {
		defer close(e.done)
		h, s := streebog.New256(), sha256.New()
		for p := der; len(p) > 0; {
			if e.cancel.Load() {
				return
			}
			n := min(len(p), 1<<20)
			h.Write(p[:n])
			s.Write(p[:n])
			p = p[n:]
		}
		h.Sum(e.sum[:0])
		s.Sum(e.sha[:0])
	}()
	return e
}

func (e *evidenceHasher) wait() ([streebog.Size256]byte, [sha256.Size]byte) {
	<-e.done
	return e.sum, e.sha
}

// stop abandons the hash (after a parse error) and waits for the goroutine.
func (e *evidenceHasher) stop() {
	e.cancel.Store(true)
	<-e.done
}

// parseSignatureAlgorithm accepts the GOST R 34.10 signature algorithms
// (cert.SignatureAlgorithmKey) with absent or NULL parameters
// (RFC 9215 §3.1, RFC 4491 §2.2.2).
func parseSignatureAlgorithm(elem []byte) (asn1.ObjectIdentifier, error) {
	s := cryptobyte.String(elem)
	var ai cryptobyte.String
	var alg asn1.ObjectIdentifier
	if !s.ReadASN1(&ai, cbasn1.SEQUENCE) || !ai.ReadASN1ObjectIdentifier(&alg) {
		return nil, malformed("signature AlgorithmIdentifier")
	}
	if !ai.Empty() && !(ai.SkipASN1(cbasn1.NULL) && ai.Empty()) {
		return nil, errorf(KindUnsupportedAlgorithm, "crl: unexpected parameters for signature algorithm %s", alg)
	}
	if _, ok := cert.SignatureAlgorithmKey(alg); !ok {
		return nil, errorf(KindUnsupportedAlgorithm, "crl: unsupported signature algorithm %s", alg)
	}
	return alg, nil
}

func (p *parser) parseTBS(tbsElem, outerAlg cryptobyte.String) error {
	c := p.crl
	// RFC 5280 §5.1:
	//	TBSCertList ::= SEQUENCE {
	//	     version                 Version OPTIONAL, -- if present, MUST be v2
	//	     signature               AlgorithmIdentifier,
	//	     issuer                  Name,
	//	     thisUpdate              Time,
	//	     nextUpdate              Time OPTIONAL,
	//	     revokedCertificates     SEQUENCE OF SEQUENCE { … } OPTIONAL,
	//	     crlExtensions           [0] EXPLICIT Extensions OPTIONAL }
	var tbs, innerAlg, issuer cryptobyte.String
	if !tbsElem.ReadASN1(&tbs, cbasn1.SEQUENCE) {
		return malformed("tbsCertList")
	}
	c.Version = 1
	if tbs.PeekASN1Tag(cbasn1.INTEGER) {
		var v int64
		if !tbs.ReadASN1Integer(&v) || v != 1 {
			return malformed("version")
		}
		c.Version = 2
	}
	if !tbs.ReadASN1Element(&innerAlg, cbasn1.SEQUENCE) {
		return malformed("signature AlgorithmIdentifier")
	}
	// RFC 5280 §5.1.1.2: MUST contain the same algorithm identifier.
	if !bytes.Equal(innerAlg, outerAlg) {
		return malformed("signature: inner and outer AlgorithmIdentifiers differ")
	}
	if !tbs.ReadASN1Element(&issuer, cbasn1.SEQUENCE) {
		return malformed("issuer")
	}
	c.RawIssuer = bytes.Clone(issuer)
	name, err := cert.ParseName(c.RawIssuer)
	if err != nil || len(name.Attributes) == 0 {
		// RFC 5280 §5.1.2.3: the issuer MUST be a non-empty name.
		return malformed("issuer")
	}
	c.Issuer = name
	c.issuerText = name.String()
	var t int64
	if !readTime(&tbs, &t) {
		return malformed("thisUpdate")
	}
	c.ThisUpdate = time.Unix(t, 0).UTC()
	if tbs.PeekASN1Tag(cbasn1.UTCTime) || tbs.PeekASN1Tag(cbasn1.GeneralizedTime) {
		if !readTime(&tbs, &t) {
			return malformed("nextUpdate")
		}
		c.NextUpdate = time.Unix(t, 0).UTC()
		if c.NextUpdate.Before(c.ThisUpdate) {
			return malformed("nextUpdate: before thisUpdate")
		}
	}
	if tbs.PeekASN1Tag(cbasn1.SEQUENCE) {
		var revoked cryptobyte.String
		if !tbs.ReadASN1(&revoked, cbasn1.SEQUENCE) {
			return malformed("revokedCertificates")
		}
		if err := p.scanRevoked(revoked); err != nil {
			return err
		}
	}
	if tbs.PeekASN1Tag(cbasn1.Tag(0).Constructed().ContextSpecific()) {
		var exts cryptobyte.String
		if !tbs.ReadASN1(&exts, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
			!exts.ReadASN1(&exts, cbasn1.SEQUENCE) {
			return malformed("crlExtensions")
		}
		if c.Version == 1 {
			return malformed("crlExtensions in a v1 CRL")
		}
		if err := p.parseExtensions(exts); err != nil {
			return err
		}
	}
	if !tbs.Empty() {
		return malformed("tbsCertList: unexpected field")
	}
	if c.Version == 1 && p.entryExts {
		return malformed("crlEntryExtensions in a v1 CRL")
	}
	if p.removeFromCRL > 0 && c.BaseNumber == nil {
		// RFC 5280 §5.3.1: removeFromCRL "is used only with delta CRLs".
		return malformed("crlEntry: removeFromCRL in a complete CRL")
	}
	return nil
}

// scanRevoked walks revokedCertificates once, adding each entry to the index
// and feeding the hashers as it goes.
//
//	revokedCertificates SEQUENCE OF SEQUENCE {
//	     userCertificate         CertificateSerialNumber,
//	     revocationDate          Time,
//	     crlEntryExtensions      Extensions OPTIONAL }
func (p *parser) scanRevoked(revoked cryptobyte.String) error {
	total := len(revoked)
	p.ix.reserve(total/48+16, total/3)
	nextFeed := p.fed + hashChunk
	n := 0
	for !revoked.Empty() {
		var e, serial, exts cryptobyte.String
		var date int64
		if !revoked.ReadASN1(&e, cbasn1.SEQUENCE) ||
			!e.ReadASN1(&serial, cbasn1.INTEGER) ||
			!readTime(&e, &date) {
			return malformed("crlEntry")
		}
		if serial = normalizeSerial(serial); len(serial) == 0 {
			return malformed("crlEntry serial")
		}
		if len(serial) > maxSerialLen {
			return errorf(KindTooLarge, "crl: serial of %d octets", len(serial))
		}
		reason, flags := ReasonUnspecified, uint8(0)
		var inval int64
		if !e.Empty() {
			if !e.ReadASN1(&exts, cbasn1.SEQUENCE) || !e.Empty() || exts.Empty() {
				return malformed("crlEntryExtensions")
			}
			p.entryExts = true
			var err error
			reason, flags, inval, err = p.parseEntryExtensions(exts)
			if err != nil {
				return err
			}
		}
		if n == maxIndexEntries {
			return errorf(KindTooLarge, "crl: more than %d entries", maxIndexEntries)
		}
		p.ix.add(serial, date, reason, flags, inval)
		n++
		if n == 4096 {
			// Re-estimate the entry size from what was seen, so that the
			// slices grow once instead of by repeated doubling.
			if avg := (total - len(revoked)) / n; avg > 0 {
				more := len(revoked)/avg + len(revoked)/(avg*64) + 16
				p.ix.reserve(more, more*len(p.ix.ix.arena)/n)
			}
		}
		if pos := p.off(revoked); pos >= nextFeed {
			p.feed(pos)
			nextFeed = pos + hashChunk
		}
	}
	return nil
}

func (p *parser) parseEntryExtensions(exts cryptobyte.String) (reason Reason, flags uint8, inval int64, err error) {
	var seen [4]bool // reasonCode, invalidityDate, holdInstructionCode, certificateIssuer
	for count := 0; !exts.Empty(); count++ {
		var oid, val cryptobyte.String
		var critical bool
		if count == maxCRLExtensions || !readExtension(&exts, &oid, &critical, &val) {
			return 0, 0, 0, malformed("crlEntryExtensions")
		}
		var k int
		switch {
		case bytes.Equal(oid, oidReasonCode):
			// RFC 5280 §5.3.1: CRLReason ::= ENUMERATED
			var r int
			if !val.ReadASN1Enum(&r) || !val.Empty() || r < 0 || r > 255 || !Reason(r).valid() {
				return 0, 0, 0, malformed("reasonCode")
			}
			reason = Reason(r)
			flags |= flagReasonPresent
			if reason == ReasonRemoveFromCRL {
				p.removeFromCRL++
			}
			k = 0
		case bytes.Equal(oid, oidInvalidityDate):
			// RFC 5280 §5.3.2: InvalidityDate ::= GeneralizedTime
			if !readGeneralizedTime(&val, &inval) || !val.Empty() {
				return 0, 0, 0, malformed("invalidityDate")
			}
			flags |= flagInvalidity
			k = 1
		case bytes.Equal(oid, oidHoldInstruction):
			k = 2 // informational; RFC 5280 §5.3 no longer defines it
		case bytes.Equal(oid, oidCertificateIssuer):
			// RFC 5280 §5.3.3: only indirect CRLs carry it; we refuse them.
			return 0, 0, 0, errorf(KindUnhandledCriticalExtension, "crl: indirect CRL (certificateIssuer entry extension) not supported")
		default:
			if critical {
				return 0, 0, 0, errorf(KindUnhandledCriticalExtension, "crl: unhandled critical entry extension %s", oidString(oid))
			}
			continue
		}
		if seen[k] {
			return 0, 0, 0, malformed("crlEntryExtensions: duplicate extension")
		}
		seen[k] = true
	}
	return reason, flags, inval, nil
}

func oidString(content []byte) string {
	var id asn1.ObjectIdentifier
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.OBJECT_IDENTIFIER, func(b *cryptobyte.Builder) { b.AddBytes(content) })
	der, err := b.Bytes()
	s := cryptobyte.String(der)
	if err != nil || !s.ReadASN1ObjectIdentifier(&id) {
		return "(malformed OID)"
	}
	return id.String()
}

func (p *parser) parseExtensions(exts cryptobyte.String) error {
	c := p.crl
	var seen [][]byte
	for !exts.Empty() {
		var oid, val cryptobyte.String
		var critical bool
		if len(seen) == maxCRLExtensions || !readExtension(&exts, &oid, &critical, &val) {
			return malformed("crlExtensions")
		}
		for _, s := range seen {
			if bytes.Equal(s, oid) {
				return errorf(KindMalformed, "crl: duplicate extension %s", oidString(oid))
			}
		}
		seen = append(seen, oid)
		switch {
		case bytes.Equal(oid, oidCRLNumber):
			// RFC 5280 §5.2.3: CRLNumber ::= INTEGER (0..MAX), up to 20 octets.
			n, ok := readUnsignedInteger(&val)
			if !ok || !val.Empty() {
				return malformed("cRLNumber")
			}
			c.Number = n
		case bytes.Equal(oid, oidDeltaCRLIndicator):
			// RFC 5280 §5.2.4: BaseCRLNumber ::= CRLNumber
			n, ok := readUnsignedInteger(&val)
			if !ok || !val.Empty() {
				return malformed("deltaCRLIndicator")
			}
			c.BaseNumber = n
		case bytes.Equal(oid, oidAuthorityKeyID):
			if err := c.parseAKI(val); err != nil {
				return err
			}
		case bytes.Equal(oid, oidIssuingDistPoint):
			idp, err := parseIDP(val)
			if err != nil {
				return err
			}
			if idp.IndirectCRL {
				return errorf(KindUnhandledCriticalExtension, "crl: indirect CRL not supported")
			}
			c.IssuingDistributionPoint = idp
		case bytes.Equal(oid, oidFreshestCRL):
			uris, err := parseDistributionPoints(val)
			if err != nil {
				return err
			}
			c.FreshestCRL = uris
		case bytes.Equal(oid, oidIssuerAltName), bytes.Equal(oid, oidAuthorityInfo),
			bytes.Equal(oid, oidExpiredCertsOnCRL):
			// Informational: nothing in the status decision depends on them.
		default:
			if critical {
				return errorf(KindUnhandledCriticalExtension, "crl: unhandled critical extension %s", oidString(oid))
			}
		}
	}
	if c.BaseNumber != nil && c.Number == nil {
		// RFC 5280 §5.2.4: a delta CRL MUST include the cRLNumber.
		return malformed("delta CRL without cRLNumber")
	}
	return nil
}

// maxCRLNumberLen: RFC 5280 §5.2.3 "CRL numbers up to 20 octets".
const maxCRLNumberLen = 20

func readUnsignedInteger(s *cryptobyte.String) (*big.Int, bool) {
	var content cryptobyte.String
	if !s.ReadASN1(&content, cbasn1.INTEGER) || len(content) == 0 || content[0]&0x80 != 0 {
		return nil, false
	}
	if len(content) > 1 && content[0] == 0 && content[1]&0x80 == 0 {
		return nil, false // non-minimal
	}
	if len(content) > maxCRLNumberLen+1 || (len(content) == maxCRLNumberLen+1 && content[0] != 0) {
		return nil, false
	}
	return new(big.Int).SetBytes(content), true
}

// parseAKI parses AuthorityKeyIdentifier (RFC 5280 §4.2.1.1):
//
//	AuthorityKeyIdentifier ::= SEQUENCE {
//	   keyIdentifier             [0] KeyIdentifier           OPTIONAL,
//	   authorityCertIssuer       [1] GeneralNames            OPTIONAL,
//	   authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL  }
func (c *CRL) parseAKI(val cryptobyte.String) error {
	var aki cryptobyte.String
	if !val.ReadASN1(&aki, cbasn1.SEQUENCE) || !val.Empty() {
		return malformed("authorityKeyIdentifier")
	}
	var kid, serial cryptobyte.String
	var hasKID, hasSerial bool
	if !aki.ReadOptionalASN1(&kid, &hasKID, cbasn1.Tag(0).ContextSpecific()) ||
		!aki.SkipOptionalASN1(cbasn1.Tag(1).Constructed().ContextSpecific()) ||
		!aki.ReadOptionalASN1(&serial, &hasSerial, cbasn1.Tag(2).ContextSpecific()) ||
		!aki.Empty() {
		return malformed("authorityKeyIdentifier")
	}
	if hasKID {
		c.AuthorityKeyID = bytes.Clone(kid)
	}
	if hasSerial {
		if len(serial) == 0 {
			return malformed("authorityCertSerialNumber")
		}
		c.AuthorityCertSerial = intFromTwosComplement(serial)
	}
	return nil
}

func intFromTwosComplement(b []byte) *big.Int {
	n := new(big.Int).SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		n.Sub(n, new(big.Int).Lsh(big.NewInt(1), uint(len(b))*8))
	}
	return n
}

// parseIDP parses IssuingDistributionPoint (RFC 5280 §5.2.5):
//
//	IssuingDistributionPoint ::= SEQUENCE {
//	     distributionPoint          [0] DistributionPointName OPTIONAL,
//	     onlyContainsUserCerts      [1] BOOLEAN DEFAULT FALSE,
//	     onlyContainsCACerts        [2] BOOLEAN DEFAULT FALSE,
//	     onlySomeReasons            [3] ReasonFlags OPTIONAL,
//	     indirectCRL                [4] BOOLEAN DEFAULT FALSE,
//	     onlyContainsAttributeCerts [5] BOOLEAN DEFAULT FALSE }
func parseIDP(val cryptobyte.String) (*IssuingDistributionPoint, error) {
	var s cryptobyte.String
	if !val.ReadASN1(&s, cbasn1.SEQUENCE) || !val.Empty() {
		return nil, malformed("issuingDistributionPoint")
	}
	idp := new(IssuingDistributionPoint)
	var dpn cryptobyte.String
	var err error
	if !s.ReadOptionalASN1(&dpn, &idp.HasName, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return nil, malformed("issuingDistributionPoint")
	}
	if idp.HasName {
		if idp.FullName, err = parseDPName(dpn); err != nil {
			return nil, err
		}
	}
	flags := []*bool{&idp.OnlyContainsUserCerts, &idp.OnlyContainsCACerts, nil, &idp.IndirectCRL, &idp.OnlyContainsAttributeCerts}
	for i, f := range flags {
		tag := cbasn1.Tag(i + 1).ContextSpecific()
		if f == nil { // [3] onlySomeReasons
			var bits cryptobyte.String
			var present bool
			if !s.ReadOptionalASN1(&bits, &present, tag) {
				return nil, malformed("issuingDistributionPoint onlySomeReasons")
			}
			if present {
				r, ok := parseReasonFlags(bits)
				if !ok {
					return nil, malformed("issuingDistributionPoint onlySomeReasons")
				}
				idp.OnlySomeReasons = r
			}
			continue
		}
		var b cryptobyte.String
		var present bool
		if !s.ReadOptionalASN1(&b, &present, tag) {
			return nil, malformed("issuingDistributionPoint")
		}
		if present {
			if len(b) != 1 || (b[0] != 0 && b[0] != 0xff) {
				return nil, malformed("issuingDistributionPoint BOOLEAN")
			}
			*f = b[0] == 0xff
		}
	}
	if !s.Empty() {
		return nil, malformed("issuingDistributionPoint")
	}
	n := 0
	for _, b := range []bool{idp.OnlyContainsUserCerts, idp.OnlyContainsCACerts, idp.OnlyContainsAttributeCerts} {
		if b {
			n++
		}
	}
	if n > 1 {
		// RFC 5280 §5.2.5: at most one of them may be TRUE.
		return nil, malformed("issuingDistributionPoint: conflicting only-contains flags")
	}
	return idp, nil
}

// parseReasonFlags decodes the content of a ReasonFlags BIT STRING (bit 0 =
// unused … bit 8 = aACompromise) as a bit set with bit i = 1<<i.
func parseReasonFlags(b []byte) (uint16, bool) {
	if len(b) == 0 || b[0] > 7 || len(b) > 3 || (len(b) == 1 && b[0] != 0) {
		return 0, false
	}
	var r uint16
	for i, octet := range b[1:] {
		for j := 0; j < 8; j++ {
			if octet&(0x80>>j) != 0 {
				bit := i*8 + j
				if bit > 15 {
					return 0, false
				}
				r |= 1 << bit
			}
		}
	}
	return r, true
}

// parseDPName parses DistributionPointName ::= CHOICE { fullName [0]
// GeneralNames, nameRelativeToCRLIssuer [1] RelativeDistinguishedName },
// returning the URIs of fullName.
func parseDPName(dpn cryptobyte.String) ([]string, error) {
	var full cryptobyte.String
	var hasFull bool
	if !dpn.ReadOptionalASN1(&full, &hasFull, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return nil, malformed("distributionPointName")
	}
	if !hasFull {
		if !dpn.SkipASN1(cbasn1.Tag(1).Constructed().ContextSpecific()) || !dpn.Empty() {
			return nil, malformed("distributionPointName")
		}
		return nil, nil
	}
	if !dpn.Empty() {
		return nil, malformed("distributionPointName")
	}
	var uris []string
	for n := 0; !full.Empty(); n++ {
		var gn cryptobyte.String
		var tag cbasn1.Tag
		if n == maxDPNames || !full.ReadAnyASN1(&gn, &tag) {
			return nil, malformed("distributionPoint GeneralNames")
		}
		if tag == cbasn1.Tag(6).ContextSpecific() { // uniformResourceIdentifier IA5String
			uris = append(uris, string(gn))
		}
	}
	return uris, nil
}

// parseDistributionPoints parses CRLDistributionPoints syntax (the freshestCRL
// value, RFC 5280 §4.2.1.13) and returns the fullName URIs.
//
//	DistributionPoint ::= SEQUENCE {
//	     distributionPoint       [0]     DistributionPointName OPTIONAL,
//	     reasons                 [1]     ReasonFlags OPTIONAL,
//	     cRLIssuer               [2]     GeneralNames OPTIONAL }
func parseDistributionPoints(val cryptobyte.String) ([]string, error) {
	var seq cryptobyte.String
	if !val.ReadASN1(&seq, cbasn1.SEQUENCE) || !val.Empty() {
		return nil, malformed("freshestCRL")
	}
	var uris []string
	for n := 0; !seq.Empty(); n++ {
		var dp, dpn cryptobyte.String
		var has bool
		if n == maxDPNames || !seq.ReadASN1(&dp, cbasn1.SEQUENCE) ||
			!dp.ReadOptionalASN1(&dpn, &has, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
			!dp.SkipOptionalASN1(cbasn1.Tag(1).ContextSpecific()) ||
			!dp.SkipOptionalASN1(cbasn1.Tag(2).Constructed().ContextSpecific()) || !dp.Empty() {
			return nil, malformed("freshestCRL")
		}
		if has {
			u, err := parseDPName(dpn)
			if err != nil {
				return nil, err
			}
			uris = append(uris, u...)
		}
	}
	return uris, nil
}
