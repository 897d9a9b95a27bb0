package cms

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"runtime"
	"sync"
	"time"
	"weak"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/cert"
	"gostsig.dev/internal/asn1der"
	"gostsig.dev/internal/dertime"
	"gostsig.dev/internal/oid"
)

func essHash(id asn1.ObjectIdentifier) (func() hash.Hash, bool) {
	switch {
	case id.Equal(oid.SHA1):
		return sha1.New, true
	case id.Equal(oid.SHA256):
		return sha256.New, true
	}
	return nil, false
}

// IssuerSerial is IssuerSerial (RFC 5035 §4): the issuer GeneralNames'
// directoryName entries (DER Names) and the serial number content octets.
type IssuerSerial struct {
	Issuers [][]byte
	Serial  []byte
}

// matches reports whether is names c: the serial numbers are equal and one
// directoryName is c's issuer by the rules of RFC 5280 §7.1
// (cert.Name.EqualDER), not necessarily in the same encoding.
func (is *IssuerSerial) matches(c *cert.Certificate) bool {
	if !serialEqual(is.Serial, c.RawSerial) {
		return false
	}
	for _, n := range is.Issuers {
		if c.Issuer.EqualDER(n) {
			return true
		}
	}
	return false
}

// readIssuerSerial reads an IssuerSerial into *is; the first directoryName
// goes into one (is.Issuers has it as its storage).
func readIssuerSerial(s *cryptobyte.String, is *IssuerSerial, one *[1][]byte) bool {
	var seq, gns, serial cryptobyte.String
	if !asn1der.ReadASN1(s, &seq, cbasn1.SEQUENCE) || !asn1der.ReadASN1(&seq, &gns, cbasn1.SEQUENCE) ||
		!asn1der.ReadASN1(&seq, &serial, cbasn1.INTEGER) || !seq.Empty() || len(serial) == 0 {
		return false
	}
	*is = IssuerSerial{Serial: serial, Issuers: one[:0]}
	for !gns.Empty() {
		var gn cryptobyte.String
		var tag cbasn1.Tag
		if !asn1der.ReadAnyASN1(&gns, &gn, &tag) {
			return false
		}
		if tag == cbasn1.Tag(4).Constructed().ContextSpecific() {
			// directoryName [4] EXPLICIT Name
			var name cryptobyte.String
			if !asn1der.ReadASN1Element(&gn, &name, cbasn1.SEQUENCE) || !gn.Empty() {
				return false
			}
			is.Issuers = append(is.Issuers, name)
		}
	}
	if len(is.Issuers) == 0 {
		is.Issuers = nil
	}
	return true
}

// ESSCertID is one ESSCertID (v1) or ESSCertIDv2.
type ESSCertID struct {
	// HashAlgorithm is the certHash algorithm: SHA-1 for v1; for v2 the
	// hashAlgorithm field, or SHA-256 when it is absent (its DEFAULT,
	// RFC 5035 §4 — gost-pitfalls.md §17), which HashDefaulted records.
	HashAlgorithm asn1.ObjectIdentifier
	HashDefaulted bool
	Hash          []byte
	IssuerSerial  *IssuerSerial // nil when absent
}

// ESSSigningCertificate is the signingCertificateV2 (RFC 5035 §3) or
// signingCertificate (RFC 2634 §5.4) attribute.
type ESSSigningCertificate struct {
	V2      bool
	CertIDs []ESSCertID
	// HasPolicies records a policies field (parsed no further).
	HasPolicies bool

	// The storage of the usual attribute, one ESSCertID naming the
	// signer's certificate by hash and issuerSerial, so that it is one
	// allocation.
	first     [1]ESSCertID
	firstIS   IssuerSerial
	firstName [1][]byte
	oidBuf    [16]int
}

// parseSigningCertificate parses the attribute value v into *into, or a new
// ESSSigningCertificate when into is nil. into must be zero.
func parseSigningCertificate(v []byte, v2 bool, into *ESSSigningCertificate) (*ESSSigningCertificate, error) {
	s := cryptobyte.String(v)
	var seq, ids cryptobyte.String
	if !asn1der.ReadASN1(&s, &seq, cbasn1.SEQUENCE) || !s.Empty() || !asn1der.ReadASN1(&seq, &ids, cbasn1.SEQUENCE) {
		return nil, errors.New("malformed SigningCertificate")
	}
	out := into
	if out == nil {
		out = new(ESSSigningCertificate)
	}
	out.V2 = v2
	out.CertIDs = out.first[:0]
	ps := &parseState{oids: oid.WithStorage(out.oidBuf[:])}
	if !seq.Empty() {
		var pol cryptobyte.String
		if !asn1der.ReadASN1(&seq, &pol, cbasn1.SEQUENCE) || !seq.Empty() {
			return nil, errors.New("malformed SigningCertificate policies")
		}
		out.HasPolicies = true
	}
	for !ids.Empty() {
		if len(out.CertIDs) >= MaxCertificates {
			return nil, errors.New("too many ESSCertIDs")
		}
		var id cryptobyte.String
		if !asn1der.ReadASN1(&ids, &id, cbasn1.SEQUENCE) {
			return nil, errors.New("malformed ESSCertID")
		}
		var e ESSCertID
		if v2 {
			if id.PeekASN1Tag(cbasn1.SEQUENCE) {
				var a AlgorithmIdentifier
				if !ps.readAlgorithmIdentifier(&id, &a) || !a.ParamsAbsentOrNULL() {
					return nil, errors.New("malformed ESSCertIDv2 hashAlgorithm")
				}
				e.HashAlgorithm = a.Algorithm
			} else {
				e.HashAlgorithm, e.HashDefaulted = oid.SHA256, true
			}
		} else {
			e.HashAlgorithm = oid.SHA1
		}
		var h cryptobyte.String
		if !asn1der.ReadASN1(&id, &h, cbasn1.OCTET_STRING) {
			return nil, errors.New("malformed ESSCertID certHash")
		}
		e.Hash = h
		if !id.Empty() {
			is, name := &out.firstIS, &out.firstName
			if len(out.CertIDs) > 0 {
				is, name = new(IssuerSerial), new([1][]byte)
			}
			if !readIssuerSerial(&id, is, name) || !id.Empty() {
				return nil, errors.New("malformed ESSCertID issuerSerial")
			}
			e.IssuerSerial = is
		}
		out.CertIDs = append(out.CertIDs, e)
	}
	if len(out.CertIDs) == 0 {
		return nil, errors.New("SigningCertificate without ESSCertID")
	}
	return out, nil
}

// checkNames verifies that the first ESSCertID names c (RFC 5035 §3: "the
// first certificate identified in the sequence … MUST be the certificate
// used to verify the signature"): hash of c's DER and, when present,
// issuerSerial. memo says whether c may recur (see certHash); pre, when not
// nil, is the hash of c in the first ESSCertID's algorithm, which prehash
// found or computed.
func (e *ESSSigningCertificate) checkNames(c *cert.Certificate, memo bool, pre []byte) (Status, Reason, string) {
	id := e.CertIDs[0]
	nh, ok := hashByOID(id.HashAlgorithm)
	if !ok {
		return Indeterminate, ReasonUnsupportedAlgorithm, "certHash algorithm " + id.HashAlgorithm.String() + " not supported"
	}
	sum := pre
	if sum == nil {
		sum = certHash(c, id.HashAlgorithm, nh, memo)
	}
	if len(id.Hash) != len(sum) {
		return Failed, ReasonMalformed, fmt.Sprintf("certHash is %d bytes, %v gives %d", len(id.Hash), id.HashAlgorithm, len(sum))
	}
	if !bytes.Equal(sum, id.Hash) {
		d := "certHash does not match the signer certificate"
		if id.HashDefaulted {
			d += " (hashAlgorithm absent: SHA-256 per RFC 5035)"
		}
		return Failed, ReasonSigningCertMismatch, d
	}
	if id.IssuerSerial != nil && !id.IssuerSerial.matches(c) {
		return Failed, ReasonSigningCertMismatch, "issuerSerial does not name the signer certificate"
	}
	return Passed, ReasonNone, ""
}

// AlgorithmProtection is CMSAlgorithmProtection (RFC 6211 §2).
type AlgorithmProtection struct {
	DigestAlgorithm    AlgorithmIdentifier
	SignatureAlgorithm *AlgorithmIdentifier // [1]; nil when absent
	HasMACAlgorithm    bool                 // [2]; must be absent for SignedData
}

func parseAlgorithmProtection(v []byte) (*AlgorithmProtection, error) {
	s := cryptobyte.String(v)
	var seq cryptobyte.String
	out := &AlgorithmProtection{}
	if !asn1der.ReadASN1(&s, &seq, cbasn1.SEQUENCE) || !s.Empty() || !readAlgorithmIdentifier(&seq, &out.DigestAlgorithm) {
		return nil, errors.New("malformed CMSAlgorithmProtection")
	}
	if seq.PeekASN1Tag(tagCtx1C) {
		// signatureAlgorithm [1] IMPLICIT AlgorithmIdentifier: re-tag the
		// element as a SEQUENCE to read it (nothing here is hashed).
		var elem cryptobyte.String
		if !asn1der.ReadASN1Element(&seq, &elem, tagCtx1C) {
			return nil, errors.New("malformed CMSAlgorithmProtection signatureAlgorithm")
		}
		retagged := append([]byte{0x30}, elem[1:]...)
		rs := cryptobyte.String(retagged)
		var a AlgorithmIdentifier
		if !readAlgorithmIdentifier(&rs, &a) || !rs.Empty() {
			return nil, errors.New("malformed CMSAlgorithmProtection signatureAlgorithm")
		}
		out.SignatureAlgorithm = &a
	}
	if seq.PeekASN1Tag(cbasn1.Tag(2).Constructed().ContextSpecific()) {
		var m cryptobyte.String
		asn1der.ReadASN1(&seq, &m, cbasn1.Tag(2).Constructed().ContextSpecific())
		out.HasMACAlgorithm = true
	}
	if !seq.Empty() {
		return nil, errors.New("malformed CMSAlgorithmProtection")
	}
	return out, nil
}

// parseTime reads a UTCTime or GeneralizedTime (RFC 5652 §11.3). The DER
// forms (YYMMDDHHMMSSZ, YYYYMMDDHHMMSSZ) take package dertime's fast path;
// parseTimeSlow decides on everything else, and accepts those two forms too
// with the same instant (TestParseTimeFastPath).
func parseTime(v []byte) (time.Time, error) {
	s := cryptobyte.String(v)
	var b cryptobyte.String
	var tag cbasn1.Tag
	if asn1der.ReadAnyASN1(&s, &b, &tag) && s.Empty() {
		if t, ok := dertime.Time(tag, b); ok {
			return t, nil
		}
	}
	return parseTimeSlow(v)
}

// parseTimeSlow is parseTime for every form it accepts: cryptobyte's
// UTCTime (with or without seconds, with a zone offset) and
// parseGeneralizedTime.
func parseTimeSlow(v []byte) (time.Time, error) {
	s := cryptobyte.String(v)
	var t time.Time
	switch {
	case s.PeekASN1Tag(cbasn1.UTCTime):
		if !s.ReadASN1UTCTime(&t) {
			return t, errors.New("malformed UTCTime")
		}
	case s.PeekASN1Tag(cbasn1.GeneralizedTime):
		var raw cryptobyte.String
		if !s.ReadASN1(&raw, cbasn1.GeneralizedTime) {
			return t, errors.New("malformed GeneralizedTime")
		}
		var err error
		if t, err = parseGeneralizedTime(raw); err != nil {
			return t, err
		}
	default:
		return t, errors.New("time is neither UTCTime nor GeneralizedTime")
	}
	if !s.Empty() {
		return t, errors.New("trailing data after time")
	}
	return t, nil
}

// parseGeneralizedTime accepts YYYYMMDDHHMMSS[.f+]Z (RFC 3161 §2.4.2 allows
// fractional seconds in genTime; DER forbids trailing zeros there, which
// real TSAs respect, but it is not enforced).
func parseGeneralizedTime(raw []byte) (time.Time, error) {
	if t, ok := dertime.Time(cbasn1.GeneralizedTime, raw); ok {
		return t, nil // the DER form, as time.Parse below would read it
	}
	return parseGeneralizedTimeSlow(raw)
}

func parseGeneralizedTimeSlow(raw []byte) (time.Time, error) {
	str := string(raw)
	if len(str) < 15 || str[len(str)-1] != 'Z' {
		return time.Time{}, errors.New("malformed GeneralizedTime")
	}
	layout := "20060102150405"
	if len(str) > 15 {
		if str[14] != '.' || len(str) < 17 {
			return time.Time{}, errors.New("malformed GeneralizedTime")
		}
		layout += "." + string(bytes.Repeat([]byte("0"), len(str)-16))
	}
	t, err := time.Parse(layout+"Z", str)
	if err != nil {
		return time.Time{}, errors.New("malformed GeneralizedTime")
	}
	return t, nil
}

// certHashes memoises certificate hashes for the ESS check, keyed by the
// certificate object (weakly: an entry goes when its certificate is
// collected) and the hash algorithm. A verifier that serves recurring
// certificates from its cache (ParseOptions.ParseCertificate) then hashes
// each one once. Certificates are immutable (package cert), so the memo
// cannot go stale. A certificate this package parsed itself for one
// document is new each time: it is hashed without the memo, whose weak
// handle and cleanup would cost more than they save.
var certHashes sync.Map // certHashKey → []byte

type certHashKey struct {
	c   weak.Pointer[cert.Certificate]
	alg int
}

// hashIndex numbers the hash algorithms worth memoising.
func hashIndex(id asn1.ObjectIdentifier) int {
	for i, o := range []asn1.ObjectIdentifier{oid.SHA1, oid.SHA256, oid.Streebog256, oid.Streebog512, oid.GostR3411_94} {
		if id.Equal(o) {
			return i + 1
		}
	}
	return 0
}

// certHash returns the hash of c's DER in alg, from the memo when memo is
// set and c's hash is there, else computed (and memoised when memo is set).
func certHash(c *cert.Certificate, alg asn1.ObjectIdentifier, nh func() hash.Hash, memo bool) []byte {
	sum, key := memoisedCertHash(c, alg, memo)
	if sum != nil {
		return sum
	}
	h := nh()
	h.Write(c.Raw)
	return rememberCertHash(c, key, h.Sum(nil))
}

// memoisedCertHash returns c's hash in alg from the memo, when memo is set
// and it is there; else the key to remember it under (rememberCertHash),
// which is the zero key when memo is off or alg is not one the memo keeps.
func memoisedCertHash(c *cert.Certificate, alg asn1.ObjectIdentifier, memo bool) ([]byte, certHashKey) {
	if !memo {
		return nil, certHashKey{}
	}
	idx := hashIndex(alg)
	if idx == 0 {
		return nil, certHashKey{}
	}
	key := certHashKey{weak.Make(c), idx}
	if v, ok := certHashes.Load(key); ok {
		return v.([]byte), key
	}
	return nil, key
}

// rememberCertHash memoises sum, c's hash, under key (from
// memoisedCertHash; the zero key keeps nothing), and returns the memoised
// slice (another goroutine's, if it stored first). sum must not be scratch
// space unless key is the zero key.
func rememberCertHash(c *cert.Certificate, key certHashKey, sum []byte) []byte {
	if key.alg == 0 {
		return sum
	}
	if v, loaded := certHashes.LoadOrStore(key, sum); loaded {
		return v.([]byte)
	}
	runtime.AddCleanup(c, func(k certHashKey) { certHashes.Delete(k) }, key)
	return sum
}
