// Package cert parses X.509 certificates as Russian certification
// authorities issue them and checks their GOST signatures.
//
// The parser follows RFC 5280 §4.1 with golang.org/x/crypto/cryptobyte. It is
// lenient where real CAs are sloppy and the leniency is harmless: negative or
// over-long serial numbers, v1 certificates, INN written as NumericString or
// UTF8String, the pre-RFC 3280 authorityKeyIdentifier (2.5.29.1), NULL or
// absent signature-algorithm parameters, PrintableString holding characters
// its type forbids, BOOLEAN TRUE encoded as 0x01, explicit DEFAULT values. It
// is strict where it matters: the outer and inner signature
// AlgorithmIdentifiers must be byte-identical, an extension may not appear
// twice, no data may follow the certificate, and inputs are bounded by named
// limits (MaxCertificateSize, maxExtensions, maxNameAttributes, …). Unknown
// critical extensions do not fail the parse: they are listed in
// UnhandledCriticalExtensions for the validation policy to decide on.
//
// Parse does not copy: the Raw* fields and every []byte of a Certificate are
// sub-slices of the input, which must not be modified afterwards (copy it
// first, or use Clone). The decoded strings (name values, URIs, sign tools)
// are substrings of one copy of the tbsCertificate, made once per
// certificate, so they never change with the input. A parsed Certificate is
// never modified by this package and is safe for concurrent use.
//
// The public key is decoded with gostsig.dev/gostsig/gost3410 for the GOST
// algorithms (RFC 4491 §2.3, RFC 9215 §4); any other algorithm leaves
// PublicKey nil and PublicKeyErr set. CheckSignatureFrom and VerifySignature
// check GOST R 34.10-2012/2001 signatures with the hash the key requires
// (Streebog-256/512, GOST R 34.11-94 CryptoPro), and nothing else: other
// algorithms are ErrUnsupportedAlgorithm.
//
// The Russian qualified-certificate profile (Приказ ФСБ № 795) is exposed,
// not judged: the subject identifiers (Name.INN, INNLE, OGRN, OGRNIP, SNILS
// with the ASN.1 type they were written in), subjectSignTool,
// issuerSignTool, identificationKind, the КС/КВ/КА policies and the
// privateKeyUsagePeriod. Validity, revocation and the profile are decided by
// the policy above this package.
package cert

import (
	"bytes"
	"crypto/sha1"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"math/bits"
	"strings"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/asn1der"
	"gostsig.dev/internal/dertime"
	"gostsig.dev/internal/oid"
)

// Limits. An input over one is an error, never a truncation.
const (
	// MaxCertificateSize is the largest DER certificate Parse accepts.
	// Qualified certificates are 1.5–3 KB; CA certificates with long
	// issuerSignTool texts stay under 4 KB.
	MaxCertificateSize = 256 << 10
	// MaxBundleCertificates is the most certificates ParseAll returns
	// from one input.
	MaxBundleCertificates = 1024

	maxExtensions   = 128 // extensions in one certificate
	maxListEntries  = 256 // policies, EKUs, URIs, names in one extension
	maxSerialLength = 64  // octets; RFC 5280 §4.1.2.2 says 20, real CAs exceed it
)

// KeyUsage is the set of bits of the keyUsage extension (RFC 5280 §4.2.1.3),
// bit i of the BIT STRING being 1<<i.
type KeyUsage int

const (
	KeyUsageDigitalSignature  KeyUsage = 1 << iota // digitalSignature
	KeyUsageContentCommitment                      // nonRepudiation
	KeyUsageKeyEncipherment                        // keyEncipherment
	KeyUsageDataEncipherment                       // dataEncipherment
	KeyUsageKeyAgreement                           // keyAgreement
	KeyUsageCertSign                               // keyCertSign
	KeyUsageCRLSign                                // cRLSign
	KeyUsageEncipherOnly                           // encipherOnly
	KeyUsageDecipherOnly                           // decipherOnly
)

// Extension is one certificate extension as encoded (RFC 5280 §4.1).
type Extension struct {
	ID       asn1.ObjectIdentifier
	Critical bool
	Value    []byte // the content of the extnValue OCTET STRING
}

// Period is a time interval; both ends are zero when absent.
type Period struct {
	NotBefore, NotAfter time.Time
}

// Certificate is a parsed X.509 certificate. See the package doc for the
// aliasing rules.
type Certificate struct {
	Raw                     []byte // complete DER of the Certificate
	RawTBSCertificate       []byte // the signed part, as received
	RawSubject              []byte
	RawIssuer               []byte
	RawSubjectPublicKeyInfo []byte

	Version      int      // 1, 2 or 3
	SerialNumber *big.Int // may be negative (real CAs issue such serials)
	RawSerial    []byte   // content octets of the serialNumber INTEGER
	Issuer       Name
	Subject      Name
	NotBefore    time.Time
	NotAfter     time.Time

	SignatureAlgorithm       asn1.ObjectIdentifier
	SignatureAlgorithmParams []byte // DER of the parameters; nil when absent
	Signature                []byte // content of the signatureValue BIT STRING

	PublicKeyAlgorithm asn1.ObjectIdentifier
	// PublicKey is the decoded GOST key. It is nil when the algorithm is
	// not GOST, when the key is malformed, or when its parameters are
	// absent and must be inherited from the issuer (RFC 4491 §2.3.2); then
	// PublicKeyErr says why (errors.Is ErrUnsupportedAlgorithm, or
	// gost3410.ErrMissingParameters, or a gost3410 parse error).
	PublicKey    *gost3410.PublicKey
	PublicKeyErr error

	SubjectKeyID   []byte
	AuthorityKeyID []byte
	// AuthorityCertIssuer holds the directoryName entries of the
	// authorityCertIssuer field of the AKI, AuthorityCertSerial its serial;
	// both are nil when absent.
	AuthorityCertIssuer []Name
	AuthorityCertSerial *big.Int

	BasicConstraintsValid bool // basicConstraints present
	IsCA                  bool
	// MaxPathLen is the pathLenConstraint, -1 when absent. MaxPathLenZero
	// is true when it is present and zero, so that 0 and "absent" differ
	// as in crypto/x509.
	MaxPathLen     int
	MaxPathLenZero bool

	KeyUsage        KeyUsage
	KeyUsageValid   bool // keyUsage present
	ExtKeyUsage     []asn1.ObjectIdentifier
	PrivateKeyUsage Period // privateKeyUsagePeriod (2.5.29.16); zero if absent
	Policies        []asn1.ObjectIdentifier

	CRLDistributionPoints []string // fullName URIs
	OCSPServer            []string // AIA id-ad-ocsp URIs
	IssuingCertificateURL []string // AIA id-ad-caIssuers URIs
	OCSPNoCheck           bool     // id-pkix-ocsp-nocheck present

	EmailAddresses []string // subjectAltName rfc822Name
	DNSNames       []string // subjectAltName dNSName
	URIs           []string // subjectAltName URI

	// SubjectSignTool is the subjectSignTool extension (1.2.643.100.111):
	// the owner's СКЗИ. IssuerSignTool is the issuerSignTool extension
	// (1.2.643.100.112): signTool, cATool, signToolCert, cAToolCert in
	// that order (nil when absent).
	SubjectSignTool string
	IssuerSignTool  []string
	// IdentificationKind is the identificationKind extension
	// (1.2.643.100.114), -1 when absent.
	IdentificationKind int

	Extensions []Extension
	// UnhandledCriticalExtensions lists the critical extensions this
	// package does not interpret (name constraints, policy constraints,
	// unknown private extensions, …). The validation policy decides.
	UnhandledCriticalExtensions []asn1.ObjectIdentifier

	// serial and serialWords are the storage of SerialNumber when it is
	// non-negative and fits (RFC 5280 §4.1.2.2: at most 20 octets).
	serial      big.Int
	serialWords [(maxInlineSerial + bits.UintSize/8 - 1) / (bits.UintSize / 8)]big.Word

	// inl is the storage of the usual certificate's lists, so that Parse
	// allocates them with the Certificate: the Extensions (a qualified
	// certificate has about a dozen), and the first chunks of the parser's
	// strings (URIs, sign tools) and identifier lists (policies, extended
	// key usages). Larger lists take their own allocations. With it the
	// Certificate, plus the allocator's 8-byte header of an object with
	// pointers, just fits the 2048-byte size class (TestCertificateSize).
	inl struct {
		exts     [inlineExtensions]Extension
		strs     [listChunk]string
		oidLists [listChunk]asn1.ObjectIdentifier
	}
}

// inlineExtensions is the number of extensions a Certificate holds
// without another allocation.
const inlineExtensions = 13

// maxInlineSerial is the longest serial number, in content octets, kept in
// the Certificate itself.
const maxInlineSerial = 21

func malformed(what string) error { return errors.New("cert: malformed " + what) }

// Parse parses one DER certificate. der must hold exactly one certificate;
// trailing data is an error. The result aliases der.
func Parse(der []byte) (*Certificate, error) {
	if len(der) > MaxCertificateSize {
		return nil, fmt.Errorf("cert: certificate of %d bytes is over the %d-byte limit", len(der), MaxCertificateSize)
	}
	c := &Certificate{MaxPathLen: -1, IdentificationKind: -1}
	input := cryptobyte.String(der)
	// Read the SEQUENCE including tag and length so that Raw can be set.
	var raw cryptobyte.String
	if !asn1der.ReadASN1Element(&input, &raw, cbasn1.SEQUENCE) {
		return nil, malformed("certificate")
	}
	if !input.Empty() {
		return nil, errors.New("cert: trailing data after certificate")
	}
	c.Raw = raw
	var body cryptobyte.String
	asn1der.ReadASN1(&raw, &body, cbasn1.SEQUENCE)

	var tbs cryptobyte.String
	if !asn1der.ReadASN1Element(&body, &tbs, cbasn1.SEQUENCE) {
		return nil, malformed("tbsCertificate")
	}
	c.RawTBSCertificate = tbs
	var outerAlg cryptobyte.String
	if !asn1der.ReadASN1Element(&body, &outerAlg, cbasn1.SEQUENCE) {
		return nil, malformed("signatureAlgorithm")
	}
	var sig cryptobyte.String
	if !asn1der.ReadASN1(&body, &sig, cbasn1.BIT_STRING) || len(sig) == 0 {
		return nil, malformed("signatureValue")
	}
	if sig[0] != 0 {
		return nil, errors.New("cert: signatureValue is not a whole number of octets")
	}
	c.Signature = sig[1:]
	if !body.Empty() {
		return nil, malformed("certificate: trailing data in the Certificate SEQUENCE")
	}

	p := parser{base: tbs, strs: c.inl.strs[:0], oidLists: c.inl.oidLists[:0]}
	if err := c.parseTBS(&p, tbs, outerAlg); err != nil {
		return nil, err
	}
	return c, nil
}

// parseTBS parses TBSCertificate (RFC 5280 §4.1.2).
func (c *Certificate) parseTBS(p *parser, tbsElem cryptobyte.String, outerAlg []byte) error {
	var tbs cryptobyte.String
	asn1der.ReadASN1(&tbsElem, &tbs, cbasn1.SEQUENCE)

	// version [0] EXPLICIT Version DEFAULT v1
	var hasVersion bool
	var vers cryptobyte.String
	if !asn1der.ReadOptionalASN1(&tbs, &vers, &hasVersion, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return malformed("version")
	}
	c.Version = 1
	if hasVersion {
		var v int64
		if !vers.ReadASN1Integer(&v) || !vers.Empty() {
			return malformed("version")
		}
		if v < 0 || v > 2 {
			return fmt.Errorf("cert: unsupported version %d", v)
		}
		c.Version = int(v) + 1
	}

	var rawSerial cryptobyte.String
	if !asn1der.ReadASN1(&tbs, &rawSerial, cbasn1.INTEGER) || len(rawSerial) == 0 {
		return malformed("serialNumber")
	}
	if len(rawSerial) > maxSerialLength {
		return errors.New("cert: serialNumber too long")
	}
	c.SerialNumber, c.RawSerial = c.setSerial(rawSerial), rawSerial

	var err error
	var innerAlg cryptobyte.String
	if !asn1der.ReadASN1Element(&tbs, &innerAlg, cbasn1.SEQUENCE) {
		return malformed("signature algorithm identifier")
	}
	// RFC 5280 §4.1.1.2: the signatureAlgorithm field MUST contain the
	// same algorithm identifier as the signature field in TBSCertificate.
	if !bytes.Equal(innerAlg, outerAlg) {
		return errors.New("cert: outer and inner signature algorithms differ")
	}
	c.SignatureAlgorithm, c.SignatureAlgorithmParams, err = p.algorithmIdentifier(innerAlg)
	if err != nil {
		return malformed("signature algorithm identifier")
	}

	var issuer cryptobyte.String
	if !asn1der.ReadASN1Element(&tbs, &issuer, cbasn1.SEQUENCE) {
		return malformed("issuer")
	}
	c.RawIssuer = issuer
	// Count both names' attributes, looking ahead for the subject (past
	// the validity), so that they take one allocation; the parse below
	// decides on the subject.
	inIssuer, inSubject := min(nameAttributes(issuer), maxNameAttributes), -1
	if ahead := tbs; asn1der.SkipASN1(&ahead, cbasn1.SEQUENCE) {
		var subject cryptobyte.String
		if asn1der.ReadASN1Element(&ahead, &subject, cbasn1.SEQUENCE) {
			inSubject = min(nameAttributes(subject), maxNameAttributes)
		}
	}
	p.attrs = make([]Attribute, 0, inIssuer+max(inSubject, 0))
	if c.Issuer, err = p.name(issuer, inIssuer); err != nil {
		return fmt.Errorf("cert: issuer: %w", err)
	}

	var validity cryptobyte.String
	if !asn1der.ReadASN1(&tbs, &validity, cbasn1.SEQUENCE) {
		return malformed("validity")
	}
	if c.NotBefore, err = readTime(&validity); err != nil {
		return malformed("notBefore")
	}
	if c.NotAfter, err = readTime(&validity); err != nil {
		return malformed("notAfter")
	}
	if !validity.Empty() {
		return malformed("validity")
	}

	var subject cryptobyte.String
	if !asn1der.ReadASN1Element(&tbs, &subject, cbasn1.SEQUENCE) {
		return malformed("subject")
	}
	c.RawSubject = subject
	if c.Subject, err = p.name(subject, inSubject); err != nil {
		return fmt.Errorf("cert: subject: %w", err)
	}

	var spki cryptobyte.String
	if !asn1der.ReadASN1Element(&tbs, &spki, cbasn1.SEQUENCE) {
		return malformed("subjectPublicKeyInfo")
	}
	c.RawSubjectPublicKeyInfo = spki
	if err := c.parsePublicKey(p, spki); err != nil {
		return err
	}

	if c.Version >= 2 {
		// issuerUniqueID [1] IMPLICIT, subjectUniqueID [2] IMPLICIT: skipped.
		if !asn1der.SkipOptionalASN1(&tbs, cbasn1.Tag(1).ContextSpecific()) ||
			!asn1der.SkipOptionalASN1(&tbs, cbasn1.Tag(2).ContextSpecific()) {
			return malformed("unique identifier")
		}
	}
	if c.Version == 3 {
		var present bool
		var exts cryptobyte.String
		if !asn1der.ReadOptionalASN1(&tbs, &exts, &present, cbasn1.Tag(3).Constructed().ContextSpecific()) {
			return malformed("extensions")
		}
		if present {
			if err := c.parseExtensions(p, exts); err != nil {
				return err
			}
		}
	}
	if !tbs.Empty() {
		return errors.New("cert: trailing data in tbsCertificate")
	}
	return nil
}

// algorithmIdentifier parses AlgorithmIdentifier (RFC 5280 §4.1.1.2).
// elem is the complete SEQUENCE element. Absent and NULL parameters are both
// accepted; params is the DER of the parameters or nil.
func (p *parser) algorithmIdentifier(elem []byte) (alg asn1.ObjectIdentifier, params []byte, err error) {
	s := cryptobyte.String(elem)
	var seq cryptobyte.String
	if !asn1der.ReadASN1(&s, &seq, cbasn1.SEQUENCE) {
		return nil, nil, malformed("algorithm identifier")
	}
	var ok bool
	if seq, _, alg, ok = p.readOID(seq); !ok {
		return nil, nil, malformed("algorithm identifier")
	}
	if !seq.Empty() {
		var p cryptobyte.String
		var tag cbasn1.Tag
		if !asn1der.ReadAnyASN1Element(&seq, &p, &tag) || !seq.Empty() {
			return nil, nil, malformed("algorithm identifier")
		}
		params = p
	}
	return alg, params, nil
}

// isGOSTKey reports whether a SubjectPublicKeyInfo algorithm is a GOST R
// 34.10 key (RFC 4491 §2.3.2, RFC 9215 §4.1).
func isGOSTKey(alg asn1.ObjectIdentifier) bool {
	return alg.Equal(oid.Gost2012Key256) || alg.Equal(oid.Gost2012Key512) ||
		alg.Equal(oid.GostR3410_2001)
}

func (c *Certificate) parsePublicKey(p *parser, spki []byte) error {
	// SubjectPublicKeyInfo ::= SEQUENCE { algorithm, subjectPublicKey BIT STRING }
	s := cryptobyte.String(spki)
	var seq, algElem cryptobyte.String
	var key cryptobyte.String
	if !asn1der.ReadASN1(&s, &seq, cbasn1.SEQUENCE) ||
		!asn1der.ReadASN1Element(&seq, &algElem, cbasn1.SEQUENCE) ||
		!asn1der.ReadASN1(&seq, &key, cbasn1.BIT_STRING) || !seq.Empty() {
		return malformed("subjectPublicKeyInfo")
	}
	alg, _, err := p.algorithmIdentifier(algElem)
	if err != nil {
		return malformed("subjectPublicKeyInfo algorithm")
	}
	c.PublicKeyAlgorithm = alg
	if !isGOSTKey(alg) {
		c.PublicKeyErr = &UnsupportedAlgorithmError{OID: alg, What: "public key"}
		return nil
	}
	c.PublicKey, c.PublicKeyErr = gost3410.ParsePublicKey(spki)
	if c.PublicKeyErr != nil {
		c.PublicKey = nil
	}
	return nil
}

// setSerial returns the serial number whose INTEGER content octets are b
// (not empty), accepting negative values and non-minimal encodings (both
// occur in real serial numbers): asn1der.Int(b), in c.serial when it is
// non-negative and fits.
func (c *Certificate) setSerial(b []byte) *big.Int {
	if b[0]&0x80 != 0 || len(b) > maxInlineSerial {
		return asn1der.Int(b)
	}
	// SetBytes fills the words SetBits lends it: they have room.
	c.serial.SetBits(c.serialWords[:0])
	return c.serial.SetBytes(b)
}

// readTime reads a UTCTime or GeneralizedTime (RFC 5280 §4.1.2.5). It
// accepts what cryptobyte accepts plus the forms older CAs wrote: UTCTime
// without seconds, and GeneralizedTime with a fractional second. The two
// forms RFC 5280 requires take package dertime's fast path (no time.Parse);
// readTimeLenient decides on everything else.
func readTime(s *cryptobyte.String) (time.Time, error) {
	save := *s
	var b cryptobyte.String
	var tag cbasn1.Tag
	if asn1der.ReadAnyASN1(s, &b, &tag) {
		if t, ok := dertime.Time(tag, b); ok {
			return t, nil
		}
	}
	*s = save
	return readTimeLenient(s)
}

// readTimeLenient is readTime for every form it accepts, by time.Parse.
func readTimeLenient(s *cryptobyte.String) (time.Time, error) {
	var t time.Time
	switch {
	case s.PeekASN1Tag(cbasn1.UTCTime):
		save := *s
		if s.ReadASN1UTCTime(&t) {
			return t, nil
		}
		*s = save
		var b cryptobyte.String
		if !s.ReadASN1(&b, cbasn1.UTCTime) {
			return t, malformed("time")
		}
		for _, f := range []string{"060102150405Z0700", "0601021504Z0700", "060102150405-0700", "0601021504-0700"} {
			if t, err := time.Parse(f, string(b)); err == nil {
				if t.Year() >= 2050 {
					t = t.AddDate(-100, 0, 0)
				}
				return t.UTC(), nil
			}
		}
	case s.PeekASN1Tag(cbasn1.GeneralizedTime):
		save := *s
		if s.ReadASN1GeneralizedTime(&t) {
			return t, nil
		}
		*s = save
		var b cryptobyte.String
		if !s.ReadASN1(&b, cbasn1.GeneralizedTime) {
			return t, malformed("time")
		}
		for _, f := range []string{"20060102150405.999999999Z0700", "20060102150405Z0700", "200601021504Z0700"} {
			if t, err := time.Parse(f, string(b)); err == nil {
				return t.UTC(), nil
			}
		}
	}
	return t, malformed("time")
}

// Equal reports whether c and other have the same DER encoding.
func (c *Certificate) Equal(other *Certificate) bool {
	if c == nil || other == nil {
		return c == other
	}
	return bytes.Equal(c.Raw, other.Raw)
}

// SHA1Fingerprint returns the SHA-1 hash of the DER certificate: the
// "thumbprint" that Windows, CryptoPro and e-trust.gosuslugi.ru show.
func (c *Certificate) SHA1Fingerprint() [20]byte { return sha1.Sum(c.Raw) }

// SerialHex returns the serial number in upper-case hex as CAs and the ГУЦ
// trusted list print it: the minimal big-endian magnitude, zero-padded to
// whole octets, for a non-negative serial; the content octets of the
// INTEGER as encoded (two's complement) for a negative one.
func (c *Certificate) SerialHex() string {
	if c.SerialNumber.Sign() < 0 {
		return strings.ToUpper(hex.EncodeToString(c.RawSerial))
	}
	b := c.SerialNumber.Bytes()
	if len(b) == 0 {
		return "00"
	}
	return strings.ToUpper(hex.EncodeToString(b))
}

// Clone returns a deep copy of c that does not alias the buffer c was
// parsed from. It returns nil if c.Raw is not a certificate Parse accepts
// (c was not made by Parse).
func (c *Certificate) Clone() *Certificate {
	d, err := Parse(bytes.Clone(c.Raw))
	if err != nil {
		return nil
	}
	return d
}

// SelfIssued reports whether the subject and issuer names are equal
// (RFC 5280 §6.1: the certificate may still be signed by a different key).
func (c *Certificate) SelfIssued() bool { return c.Subject.Equal(&c.Issuer) }

// String returns a one-line description for logs and error messages.
func (c *Certificate) String() string {
	cn := c.Subject.CommonName()
	if cn == "" {
		cn = c.Subject.String()
	}
	return fmt.Sprintf("%q (serial %s)", cn, c.SerialHex())
}
