package crl

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/asn1"
	"math/big"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/internal/gosthash"
	"gostsig.dev/internal/oid"
)

// OCSP limits.
const (
	// MaxOCSPResponseSize bounds an OCSP response (RFC 6960). Real GOST
	// responses are 1–4 KB with the responder certificate.
	MaxOCSPResponseSize = 1 << 20
	maxSingleResponses  = 256
	maxOCSPCerts        = 16
)

// OCSPResponse is a parsed BasicOCSPResponse (RFC 6960 §4.2.1), either from
// an OCSPResponse (a live answer) or bare, as CAdES-X Long Type 1
// revocation-values carry it (RFC 5126 §6.3.4: ocspVals [1] SEQUENCE OF
// BasicOCSPResponse). It holds copies, not sub-slices of the input.
type OCSPResponse struct {
	// Raw is the DER of the BasicOCSPResponse; Digest its Streebog-256,
	// SHA256 its SHA-256 (computed once, when parsed).
	Raw    []byte
	Digest [streebog.Size256]byte
	SHA256 [sha256.Size]byte

	// The responderID: RawResponderName (byName) or ResponderKeyHash
	// (byKey, the SHA-1 of the responder's subjectPublicKey), one of them.
	RawResponderName []byte
	ResponderName    cert.Name
	responderText    string       // ResponderName.String(), rendered once
	text             evidenceText // the digests, rendered once
	ResponderKeyHash []byte

	ProducedAt time.Time
	Responses  []SingleResponse
	// Nonce is the extnValue of the id-pkix-ocsp-nonce response extension
	// (RFC 8954), nil when absent.
	Nonce []byte

	SignatureAlgorithm asn1.ObjectIdentifier
	Signature          []byte
	// Certificates are the certs [0] of the response: the responder's
	// certificate and perhaps its chain.
	Certificates []*cert.Certificate

	URL string // where it was fetched; "" when supplied

	rawTBS []byte
	keyAlg gost3410.Algorithm
}

// SingleResponse is the status of one certificate (RFC 6960 §4.2.1).
type SingleResponse struct {
	HashAlgorithm  asn1.ObjectIdentifier
	IssuerNameHash []byte
	IssuerKeyHash  []byte
	SerialNumber   *big.Int
	Status         Status // Good, Revoked, or Unknown (the responder does not know it)
	RevocationTime time.Time
	Reason         Reason
	ReasonPresent  bool
	ThisUpdate     time.Time
	NextUpdate     time.Time // zero when absent
}

// OCSP responseStatus values (RFC 6960 §4.2.1).
var ocspStatusNames = map[int]string{
	0: "successful", 1: "malformedRequest", 2: "internalError", 3: "tryLater", 5: "sigRequired", 6: "unauthorized",
}

// ParseOCSPResponse parses an OCSPResponse (RFC 6960 §4.2.1), the body of
// an HTTP answer of an OCSP responder. A responseStatus other than
// successful is an error of KindResponderStatus; only id-pkix-ocsp-basic
// responses are accepted.
//
//	OCSPResponse ::= SEQUENCE {
//	   responseStatus         OCSPResponseStatus,
//	   responseBytes          [0] EXPLICIT ResponseBytes OPTIONAL }
//	ResponseBytes ::= SEQUENCE {
//	   responseType   OBJECT IDENTIFIER,
//	   response       OCTET STRING }
func ParseOCSPResponse(der []byte) (*OCSPResponse, error) {
	if len(der) > MaxOCSPResponseSize {
		return nil, errorf(KindTooLarge, "crl: OCSP response of %d bytes, over the %d limit", len(der), MaxOCSPResponseSize)
	}
	in := cryptobyte.String(der)
	var resp, rb, body cryptobyte.String
	var status int
	var hasBytes bool
	if !in.ReadASN1(&resp, cbasn1.SEQUENCE) || !in.Empty() ||
		!resp.ReadASN1Enum(&status) ||
		!resp.ReadOptionalASN1(&rb, &hasBytes, cbasn1.Tag(0).Constructed().ContextSpecific()) || !resp.Empty() {
		return nil, malformed("OCSPResponse")
	}
	if status != 0 {
		name := ocspStatusNames[status]
		if name == "" {
			name = "unknown status"
		}
		return nil, errorf(KindResponderStatus, "crl: OCSP responder answered %s (%d)", name, status)
	}
	var typ asn1.ObjectIdentifier
	if !hasBytes || !rb.ReadASN1(&rb, cbasn1.SEQUENCE) || !rb.ReadASN1ObjectIdentifier(&typ) ||
		!rb.ReadASN1(&body, cbasn1.OCTET_STRING) || !rb.Empty() {
		return nil, malformed("OCSP responseBytes")
	}
	if !typ.Equal(oid.OCSPBasic) {
		return nil, errorf(KindUnsupportedAlgorithm, "crl: OCSP response type %s is not id-pkix-ocsp-basic", typ)
	}
	return ParseBasicOCSPResponse(body)
}

// ParseBasicOCSPResponse parses a BasicOCSPResponse (RFC 6960 §4.2.1):
//
//	BasicOCSPResponse ::= SEQUENCE {
//	   tbsResponseData      ResponseData,
//	   signatureAlgorithm   AlgorithmIdentifier,
//	   signature            BIT STRING,
//	   certs            [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL }
//
// The signature algorithm must be GOST R 34.10 (absent or NULL parameters);
// the signature is checked by [OCSPResponse.Verify].
func ParseBasicOCSPResponse(der []byte) (*OCSPResponse, error) {
	if len(der) > MaxOCSPResponseSize {
		return nil, errorf(KindTooLarge, "crl: OCSP response of %d bytes, over the %d limit", len(der), MaxOCSPResponseSize)
	}
	r := &OCSPResponse{Raw: bytes.Clone(der), Digest: streebog.Sum256(der), SHA256: sha256.Sum256(der)}
	r.text = newEvidenceText(nil, &r.Digest, &r.SHA256)
	in := cryptobyte.String(r.Raw)
	var basic, tbs, algElem, certs cryptobyte.String
	var sig asn1.BitString
	var hasCerts bool
	if !in.ReadASN1(&basic, cbasn1.SEQUENCE) || !in.Empty() ||
		!basic.ReadASN1Element(&tbs, cbasn1.SEQUENCE) ||
		!basic.ReadASN1Element(&algElem, cbasn1.SEQUENCE) ||
		!basic.ReadASN1BitString(&sig) ||
		!basic.ReadOptionalASN1(&certs, &hasCerts, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!basic.Empty() {
		return nil, malformed("BasicOCSPResponse")
	}
	alg, err := parseSignatureAlgorithm(algElem)
	if err != nil {
		return nil, err
	}
	r.SignatureAlgorithm = alg
	r.keyAlg, _ = cert.SignatureAlgorithmKey(alg)
	if sig.BitLength%8 != 0 || len(sig.Bytes) != 2*r.keyAlg.Size() {
		return nil, malformed("BasicOCSPResponse signature")
	}
	r.Signature = sig.Bytes
	r.rawTBS = tbs
	if hasCerts {
		var seq cryptobyte.String
		if !certs.ReadASN1(&seq, cbasn1.SEQUENCE) || !certs.Empty() {
			return nil, malformed("BasicOCSPResponse certs")
		}
		for !seq.Empty() {
			var c cryptobyte.String
			if len(r.Certificates) == maxOCSPCerts || !seq.ReadASN1Element(&c, cbasn1.SEQUENCE) {
				return nil, malformed("BasicOCSPResponse certs")
			}
			crt, err := cert.Parse(c)
			if err != nil {
				return nil, wrapf(KindMalformed, err, "crl: malformed OCSP responder certificate")
			}
			r.Certificates = append(r.Certificates, crt)
		}
	}
	if err := r.parseTBS(tbs); err != nil {
		return nil, err
	}
	return r, nil
}

// parseTBS parses ResponseData (RFC 6960 §4.2.1):
//
//	ResponseData ::= SEQUENCE {
//	   version              [0] EXPLICIT Version DEFAULT v1,
//	   responderID              ResponderID,
//	   producedAt               GeneralizedTime,
//	   responses                SEQUENCE OF SingleResponse,
//	   responseExtensions   [1] EXPLICIT Extensions OPTIONAL }
//	ResponderID ::= CHOICE {
//	   byName   [1] Name,
//	   byKey    [2] KeyHash }
func (r *OCSPResponse) parseTBS(tbs cryptobyte.String) error {
	var rd cryptobyte.String
	if !tbs.ReadASN1(&rd, cbasn1.SEQUENCE) {
		return malformed("ResponseData")
	}
	if rd.PeekASN1Tag(cbasn1.Tag(0).Constructed().ContextSpecific()) {
		var v cryptobyte.String
		var ver int64
		if !rd.ReadASN1(&v, cbasn1.Tag(0).Constructed().ContextSpecific()) || !v.ReadASN1Integer(&ver) || !v.Empty() || ver != 0 {
			return malformed("ResponseData version")
		}
	}
	var rid cryptobyte.String
	var tag cbasn1.Tag
	if !rd.ReadAnyASN1(&rid, &tag) {
		return malformed("responderID")
	}
	switch tag {
	case cbasn1.Tag(1).Constructed().ContextSpecific():
		var name cryptobyte.String
		if !rid.ReadASN1Element(&name, cbasn1.SEQUENCE) || !rid.Empty() {
			return malformed("responderID byName")
		}
		n, err := cert.ParseName(name)
		if err != nil {
			return malformed("responderID byName")
		}
		r.RawResponderName, r.ResponderName, r.responderText = name, n, n.String()
	case cbasn1.Tag(2).Constructed().ContextSpecific():
		var kh cryptobyte.String
		if !rid.ReadASN1(&kh, cbasn1.OCTET_STRING) || !rid.Empty() || len(kh) != sha1.Size {
			return malformed("responderID byKey")
		}
		r.ResponderKeyHash = kh
	default:
		return malformed("responderID")
	}
	var t int64
	if !readGeneralizedTime(&rd, &t) {
		return malformed("producedAt")
	}
	r.ProducedAt = time.Unix(t, 0).UTC()
	var list cryptobyte.String
	if !rd.ReadASN1(&list, cbasn1.SEQUENCE) {
		return malformed("responses")
	}
	for !list.Empty() {
		if len(r.Responses) == maxSingleResponses {
			return errorf(KindTooLarge, "crl: more than %d OCSP SingleResponses", maxSingleResponses)
		}
		sr, err := parseSingleResponse(&list)
		if err != nil {
			return err
		}
		r.Responses = append(r.Responses, sr)
	}
	if rd.PeekASN1Tag(cbasn1.Tag(1).Constructed().ContextSpecific()) {
		var exts cryptobyte.String
		if !rd.ReadASN1(&exts, cbasn1.Tag(1).Constructed().ContextSpecific()) || !exts.ReadASN1(&exts, cbasn1.SEQUENCE) {
			return malformed("responseExtensions")
		}
		nonce, err := parseOCSPExtensions(exts, true)
		if err != nil {
			return err
		}
		r.Nonce = nonce
	}
	if !rd.Empty() {
		return malformed("ResponseData: unexpected field")
	}
	return nil
}

var oidNonceContent = []byte{0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02} // 1.3.6.1.5.5.7.48.1.2

// parseOCSPExtensions checks an Extensions SEQUENCE: no duplicates, no
// unknown critical extension. With nonce set it returns the nonce's
// extnValue.
func parseOCSPExtensions(exts cryptobyte.String, nonce bool) ([]byte, error) {
	var seen [][]byte
	var out []byte
	for !exts.Empty() {
		var id, val cryptobyte.String
		var critical bool
		if len(seen) == maxCRLExtensions || !readExtension(&exts, &id, &critical, &val) {
			return nil, malformed("OCSP extensions")
		}
		if slices.ContainsFunc(seen, func(s []byte) bool { return bytes.Equal(s, id) }) {
			return nil, malformed("OCSP extensions: duplicate extension")
		}
		seen = append(seen, id)
		switch {
		case nonce && bytes.Equal(id, oidNonceContent):
			out = val
		case critical:
			return nil, errorf(KindUnhandledCriticalExtension, "crl: unhandled critical OCSP extension %s", oidString(id))
		}
	}
	return out, nil
}

// parseSingleResponse reads one SingleResponse (RFC 6960 §4.2.1):
//
//	SingleResponse ::= SEQUENCE {
//	   certID                       CertID,
//	   certStatus                   CertStatus,
//	   thisUpdate                   GeneralizedTime,
//	   nextUpdate         [0]       EXPLICIT GeneralizedTime OPTIONAL,
//	   singleExtensions   [1]       EXPLICIT Extensions OPTIONAL }
//	CertStatus ::= CHOICE {
//	   good        [0]     IMPLICIT NULL,
//	   revoked     [1]     IMPLICIT RevokedInfo,
//	   unknown     [2]     IMPLICIT UnknownInfo }
//	RevokedInfo ::= SEQUENCE {
//	   revocationTime              GeneralizedTime,
//	   revocationReason    [0]     EXPLICIT CRLReason OPTIONAL }
func parseSingleResponse(list *cryptobyte.String) (SingleResponse, error) {
	var sr SingleResponse
	var s, status cryptobyte.String
	var tag cbasn1.Tag
	if !list.ReadASN1(&s, cbasn1.SEQUENCE) {
		return sr, malformed("SingleResponse")
	}
	if err := readCertID(&s, &sr); err != nil {
		return sr, err
	}
	if !s.ReadAnyASN1(&status, &tag) {
		return sr, malformed("certStatus")
	}
	switch tag {
	case cbasn1.Tag(0).ContextSpecific():
		if !status.Empty() {
			return sr, malformed("certStatus good")
		}
		sr.Status = Good
	case cbasn1.Tag(1).Constructed().ContextSpecific():
		sr.Status = Revoked
		var t int64
		if !readGeneralizedTime(&status, &t) {
			return sr, malformed("revocationTime")
		}
		sr.RevocationTime = time.Unix(t, 0).UTC()
		if !status.Empty() {
			var r cryptobyte.String
			var reason int
			if !status.ReadASN1(&r, cbasn1.Tag(0).Constructed().ContextSpecific()) || !status.Empty() ||
				!r.ReadASN1Enum(&reason) || !r.Empty() || reason < 0 || reason > 255 || !Reason(reason).valid() {
				return sr, malformed("revocationReason")
			}
			sr.Reason, sr.ReasonPresent = Reason(reason), true
		}
	case cbasn1.Tag(2).ContextSpecific():
		if !status.Empty() {
			return sr, malformed("certStatus unknown")
		}
		sr.Status = Unknown
	default:
		return sr, malformed("certStatus")
	}
	var t int64
	if !readGeneralizedTime(&s, &t) {
		return sr, malformed("thisUpdate")
	}
	sr.ThisUpdate = time.Unix(t, 0).UTC()
	if s.PeekASN1Tag(cbasn1.Tag(0).Constructed().ContextSpecific()) {
		var nu cryptobyte.String
		if !s.ReadASN1(&nu, cbasn1.Tag(0).Constructed().ContextSpecific()) || !readGeneralizedTime(&nu, &t) || !nu.Empty() {
			return sr, malformed("nextUpdate")
		}
		sr.NextUpdate = time.Unix(t, 0).UTC()
		if sr.NextUpdate.Before(sr.ThisUpdate) {
			return sr, malformed("nextUpdate: before thisUpdate")
		}
	}
	if s.PeekASN1Tag(cbasn1.Tag(1).Constructed().ContextSpecific()) {
		var exts cryptobyte.String
		if !s.ReadASN1(&exts, cbasn1.Tag(1).Constructed().ContextSpecific()) || !exts.ReadASN1(&exts, cbasn1.SEQUENCE) {
			return sr, malformed("singleExtensions")
		}
		if _, err := parseOCSPExtensions(exts, false); err != nil {
			return sr, err
		}
	}
	if !s.Empty() {
		return sr, malformed("SingleResponse: unexpected field")
	}
	return sr, nil
}

// readCertID reads CertID (RFC 6960 §4.1.1):
//
//	CertID ::= SEQUENCE {
//	    hashAlgorithm       AlgorithmIdentifier,
//	    issuerNameHash      OCTET STRING,
//	    issuerKeyHash       OCTET STRING,
//	    serialNumber        CertificateSerialNumber }
func readCertID(s *cryptobyte.String, sr *SingleResponse) error {
	var id, ai, serial cryptobyte.String
	if !s.ReadASN1(&id, cbasn1.SEQUENCE) || !id.ReadASN1(&ai, cbasn1.SEQUENCE) ||
		!ai.ReadASN1ObjectIdentifier(&sr.HashAlgorithm) ||
		!(ai.Empty() || ai.SkipASN1(cbasn1.NULL) && ai.Empty()) ||
		!id.ReadASN1((*cryptobyte.String)(&sr.IssuerNameHash), cbasn1.OCTET_STRING) ||
		!id.ReadASN1((*cryptobyte.String)(&sr.IssuerKeyHash), cbasn1.OCTET_STRING) ||
		!id.ReadASN1(&serial, cbasn1.INTEGER) || len(serial) == 0 || len(serial) > maxSerialLen || !id.Empty() {
		return malformed("CertID")
	}
	sr.SerialNumber = intFromTwosComplement(serial)
	return nil
}

// certIDHash returns the hash a CertID names: SHA-1 (the RFC 6960 default,
// what OpenSSL and most responders use), SHA-256, or a GOST hash.
func certIDHash(alg asn1.ObjectIdentifier, data []byte) ([]byte, bool) {
	switch {
	case alg.Equal(oid.SHA1):
		s := sha1.Sum(data)
		return s[:], true
	case alg.Equal(oid.SHA256):
		return sha256Sum(data), true
	}
	newHash, _, ok := gosthash.ByOID(alg)
	if !ok {
		return nil, false
	}
	h := newHash()
	h.Write(data)
	return h.Sum(nil), true
}

// subjectPublicKeyBits returns the content of the subjectPublicKey BIT STRING
// (without the unused-bits octet): what issuerKeyHash and byKey hash.
func subjectPublicKeyBits(c *cert.Certificate) ([]byte, bool) {
	s := cryptobyte.String(c.RawSubjectPublicKeyInfo)
	var spki cryptobyte.String
	var bits asn1.BitString
	if !s.ReadASN1(&spki, cbasn1.SEQUENCE) || !spki.SkipASN1(cbasn1.SEQUENCE) || !spki.ReadASN1BitString(&bits) {
		return nil, false
	}
	return bits.Bytes, true
}

// Matches reports whether the SingleResponse is about crt issued by issuer:
// the serial, and the CertID's hashes of the issuer's name and key.
func (sr *SingleResponse) Matches(crt, issuer *cert.Certificate) bool {
	if crt.SerialNumber == nil || sr.SerialNumber.Cmp(crt.SerialNumber) != 0 {
		return false
	}
	nh, ok := certIDHash(sr.HashAlgorithm, crt.RawIssuer)
	if !ok || !bytes.Equal(nh, sr.IssuerNameHash) {
		return false
	}
	key, ok := subjectPublicKeyBits(issuer)
	if !ok {
		return false
	}
	kh, ok := certIDHash(sr.HashAlgorithm, key)
	return ok && bytes.Equal(kh, sr.IssuerKeyHash)
}

// Find returns the SingleResponse about crt issued by issuer.
func (r *OCSPResponse) Find(crt, issuer *cert.Certificate) (*SingleResponse, bool) {
	for i := range r.Responses {
		if r.Responses[i].Matches(crt, issuer) {
			return &r.Responses[i], true
		}
	}
	return nil, false
}

// IsResponder reports whether c is the certificate the responderID names.
func (r *OCSPResponse) IsResponder(c *cert.Certificate) bool {
	if r.RawResponderName != nil {
		return bytes.Equal(r.RawResponderName, c.RawSubject) || r.ResponderName.Equal(&c.Subject)
	}
	bits, ok := subjectPublicKeyBits(c)
	if !ok {
		return false
	}
	h := sha1.Sum(bits)
	return bytes.Equal(h[:], r.ResponderKeyHash)
}

// CheckSignatureFrom verifies the response's GOST signature over
// tbsResponseData with the key of responder, after checking that the
// responderID names it. It says nothing about whether the responder may
// speak for any CA: see Verify.
func (r *OCSPResponse) CheckSignatureFrom(responder *cert.Certificate) error {
	if !r.IsResponder(responder) {
		return errorf(KindIssuerMismatch, "crl: OCSP responderID does not name %q", responder.Subject.String())
	}
	if responder.PublicKey == nil {
		return wrapf(KindIssuerMismatch, responder.PublicKeyErr, "crl: OCSP responder %q public key unavailable", responder.Subject.String())
	}
	if err := cert.VerifySignature(r.SignatureAlgorithm, responder.PublicKey, r.rawTBS, r.Signature); err != nil {
		return wrapf(KindBadSignature, err, "crl: OCSP response signature does not verify with %q", responder.Subject.String())
	}
	return nil
}

// Verify checks that the response speaks for certificates of issuer and
// returns the responder certificate. The responder must be (RFC 6960
// §4.2.2.2):
//
//   - the CA itself (issuer, whose key signed the response), or
//   - a delegated responder: a certificate carried in the response (or in
//     trusted), issued by issuer (name, and signature checked), with
//     id-kp-OCSPSigning in extendedKeyUsage and valid at producedAt, or
//   - a certificate in trusted: responders configured locally.
//
// The response signature must verify with the responder's key. Errors are
// of KindUnauthorizedResponder, KindBadSignature or KindIssuerMismatch.
// A delegated responder's own revocation status is not checked (RFC 6960
// §4.2.2.2.1 leaves it to id-pkix-ocsp-nocheck and local policy).
func (r *OCSPResponse) Verify(issuer *cert.Certificate, trusted []*cert.Certificate) (*cert.Certificate, error) {
	var lastErr error
	try := func(c *cert.Certificate, authorize func(*cert.Certificate) error) *cert.Certificate {
		if c == nil || !r.IsResponder(c) {
			return nil
		}
		if err := authorize(c); err != nil {
			lastErr = err
			return nil
		}
		if err := r.CheckSignatureFrom(c); err != nil {
			lastErr = err
			return nil
		}
		return c
	}
	// The CA itself.
	if issuer != nil {
		if c := try(issuer, func(*cert.Certificate) error { return nil }); c != nil {
			return c, nil
		}
	}
	// Locally trusted responders.
	for _, t := range trusted {
		if c := try(t, func(*cert.Certificate) error { return nil }); c != nil {
			return c, nil
		}
	}
	// Delegated responders carried in the response.
	if issuer != nil {
		for _, rc := range r.Certificates {
			if c := try(rc, func(c *cert.Certificate) error { return r.authorizeDelegate(c, issuer) }); c != nil {
				return c, nil
			}
		}
	}
	if lastErr == nil {
		lastErr = errorf(KindUnauthorizedResponder, "crl: no certificate of the OCSP responder %s is the CA, a delegated or a trusted responder", r.responderString())
	}
	return nil, lastErr
}

func (r *OCSPResponse) responderString() string {
	if r.RawResponderName != nil {
		return "\"" + r.responderText + "\""
	}
	return "with key hash " + bytesHex(r.ResponderKeyHash)
}

// authorizeDelegate checks RFC 6960 §4.2.2.2 for a delegated responder.
func (r *OCSPResponse) authorizeDelegate(c, issuer *cert.Certificate) error {
	if !bytes.Equal(c.RawIssuer, issuer.RawSubject) && !c.Issuer.Equal(&issuer.Subject) {
		return errorf(KindUnauthorizedResponder, "crl: OCSP responder %q is not issued by %q", c.Subject.String(), issuer.Subject.String())
	}
	if !slices.ContainsFunc(c.ExtKeyUsage, func(k asn1.ObjectIdentifier) bool { return k.Equal(oid.KPOCSPSigning) }) {
		return errorf(KindUnauthorizedResponder, "crl: OCSP responder %q lacks id-kp-OCSPSigning", c.Subject.String())
	}
	if err := c.CheckSignatureFrom(issuer); err != nil {
		return wrapf(KindUnauthorizedResponder, err, "crl: OCSP responder certificate %q is not signed by %q", c.Subject.String(), issuer.Subject.String())
	}
	if err := c.CheckCriticalExtensions(); err != nil {
		return wrapf(KindUnauthorizedResponder, err, "crl: OCSP responder certificate %q", c.Subject.String())
	}
	if r.ProducedAt.Before(c.NotBefore) || r.ProducedAt.After(c.NotAfter) {
		return errorf(KindUnauthorizedResponder, "crl: OCSP responder certificate %q not valid at producedAt %s", c.Subject.String(), r.ProducedAt.Format(time.RFC3339))
	}
	return nil
}

// evidence describes the response as Evidence for one SingleResponse.
func (r *OCSPResponse) evidence(sr *SingleResponse) Evidence {
	e := Evidence{
		Source: SourceOCSP, ThisUpdate: sr.ThisUpdate, NextUpdate: sr.NextUpdate, ProducedAt: r.ProducedAt,
		Digest: r.Digest, SHA256: r.SHA256, Size: len(r.Raw), URL: r.URL,
		DigestHex: r.text.digest, SHA256Hex: r.text.sha256,
	}
	if r.RawResponderName != nil {
		e.Issuer, e.RawIssuer = r.responderText, r.RawResponderName
	} else {
		e.Issuer = "key hash " + bytesHex(r.ResponderKeyHash)
	}
	return e
}

func bytesHex(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 2*len(b))
	for i, c := range b {
		out[2*i], out[2*i+1] = digits[c>>4], digits[c&15]
	}
	return string(out)
}
