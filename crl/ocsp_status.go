package crl

import (
	"crypto/sha256"
	"encoding/asn1"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/cert"
	"gostsig.dev/internal/oid"
)

func sha256Sum(b []byte) []byte { s := sha256.Sum256(b); return s[:] }

// coversOCSP is covers for a SingleResponse: a response without nextUpdate
// is current for OCSPMaxAge after its thisUpdate (RFC 6960 §4.2.2.1 leaves
// it to local policy; this package's rule, see the package doc).
func (q *Query) coversOCSP(sr *SingleResponse) (ok, stale bool) {
	if !sr.NextUpdate.IsZero() {
		return q.covers(sr.ThisUpdate, sr.NextUpdate)
	}
	maxAge := q.OCSPMaxAge
	if maxAge == 0 {
		maxAge = DefaultOCSPMaxAge
	}
	return q.covers(sr.ThisUpdate, sr.ThisUpdate.Add(maxAge))
}

// DecideOCSP answers q from OCSP responses alone (no I/O), as Decide does
// from CRLs: it keeps the responses that have a SingleResponse for q.Cert
// and q.Issuer, whose responder Verify accepts (the CA, a delegated
// responder, or one of trusted), that are not future-dated and that speak
// for q.At (the rules of Decide; a response without nextUpdate is current
// for Query.OCSPMaxAge after thisUpdate). A revocation by At in any of them
// stands; otherwise the newest decides. "unknown" from the responder gives
// Unknown with ResponderUnknown.
//
// This is how CAdES-X Long Type 1 revocation-values (ocspVals) are judged:
// the cms layer hands the raw BasicOCSPResponses to ParseBasicOCSPResponse.
func DecideOCSP(q Query, responses []*OCSPResponse, trusted []*cert.Certificate) Result {
	if q.Cert == nil || q.Issuer == nil {
		return Result{Unknown: NoCoverage, Detail: "crl: certificate and issuer are both needed"}
	}
	type cand struct {
		r     *OCSPResponse
		sr    *SingleResponse
		stale bool
	}
	var cands []cand
	var notes []string
	now := q.now()
	for _, r := range responses {
		if r == nil {
			continue
		}
		sr, ok := r.Find(q.Cert, q.Issuer)
		if !ok {
			continue
		}
		if _, err := r.Verify(q.Issuer, trusted); err != nil {
			notes = append(notes, err.Error())
			continue
		}
		if r.ProducedAt.After(now.Add(MaxClockSkew)) || sr.ThisUpdate.After(now.Add(MaxClockSkew)) {
			notes = append(notes, fmt.Sprintf("crl: OCSP response produced %s, in the future", r.ProducedAt.Format(time.RFC3339)))
			continue
		}
		ok, stale := q.coversOCSP(sr)
		if !ok {
			notes = append(notes, fmt.Sprintf("crl: OCSP response of %s does not cover %s", sr.ThisUpdate.Format(time.RFC3339), q.At.UTC().Format(time.RFC3339)))
			continue
		}
		cands = append(cands, cand{r, sr, stale})
	}
	if len(cands) == 0 {
		r := Result{Unknown: NoCoverage, Detail: fmt.Sprintf("no OCSP response for the certificate covers %s", q.At.UTC().Format(time.RFC3339))}
		if len(notes) > 0 {
			r.Detail += "; set aside: " + strings.Join(notes, "; ")
		}
		return r
	}
	result := func(c cand) Result {
		r := Result{Evidence: []Evidence{c.r.evidence(c.sr)}, Stale: c.stale}
		switch c.sr.Status {
		case Good:
			r.Status = Good
		case Revoked:
			r.RevocationTime, r.Reason, r.ReasonPresent = c.sr.RevocationTime, c.sr.Reason, c.sr.ReasonPresent
			if c.sr.RevocationTime.After(q.At) {
				r.Status, r.RevokedLater = Good, true
			} else {
				r.Status = Revoked
			}
		default:
			r.Unknown, r.Detail = ResponderUnknown, "the OCSP responder answered unknown"
		}
		return r
	}
	for _, c := range cands {
		if c.sr.Status == Revoked && c.sr.Reason != ReasonCertificateHold && !c.sr.RevocationTime.After(q.At) {
			return result(c)
		}
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if c.sr.ThisUpdate.After(best.sr.ThisUpdate) {
			best = c
		}
	}
	return result(best)
}

// Merge combines results for one certificate from several sources (CRLs,
// OCSP): a Revoked result wins, then a Good one (a fresh one over a stale
// one), then ResponderUnknown, OutOfScope, NoCoverage; details of the
// unknowns are kept.
func Merge(results ...Result) Result {
	var best *Result
	rank := func(r *Result) int {
		switch {
		case r.Status == Revoked:
			return 6
		case r.Status == Good && !r.Stale:
			return 5
		case r.Status == Good:
			return 4
		case r.Unknown == ResponderUnknown:
			return 3
		case r.Unknown == OutOfScope:
			return 2
		}
		return 1
	}
	var details []string
	for i := range results {
		r := &results[i]
		if r.Detail != "" && r.Status == Unknown {
			details = append(details, r.Detail)
		}
		if best == nil || rank(r) > rank(best) {
			best = r
		}
	}
	if best == nil {
		return Result{Unknown: NoCoverage, Detail: "no revocation information"}
	}
	out := *best
	if out.Status == Unknown {
		out.Detail = strings.Join(details, "; ")
	}
	return out
}

// NewOCSPRequest builds an OCSPRequest (RFC 6960 §4.1.1) for crt issued by
// issuer. hashAlg is the CertID hash: nil means SHA-1, which every
// responder accepts (RFC 6960 §4.3, and what OpenSSL sends); id-tc26-
// gost3411-12-256 and SHA-256 are also possible. A non-nil nonce (1–32
// octets, RFC 8954) is sent in an id-pkix-ocsp-nonce extension; the
// response must then echo it (see VerifyNonce).
//
//	OCSPRequest ::= SEQUENCE {
//	    tbsRequest                  TBSRequest,
//	    optionalSignature   [0]     EXPLICIT Signature OPTIONAL }
//	TBSRequest ::= SEQUENCE {
//	    version             [0]     EXPLICIT Version DEFAULT v1,
//	    requestorName       [1]     EXPLICIT GeneralName OPTIONAL,
//	    requestList                 SEQUENCE OF Request,
//	    requestExtensions   [2]     EXPLICIT Extensions OPTIONAL }
//	Request ::= SEQUENCE {
//	    reqCert                     CertID,
//	    singleRequestExtensions [0] EXPLICIT Extensions OPTIONAL }
func NewOCSPRequest(crt, issuer *cert.Certificate, hashAlg asn1.ObjectIdentifier, nonce []byte) ([]byte, error) {
	if hashAlg == nil {
		hashAlg = oid.SHA1
	}
	if nonce != nil && (len(nonce) == 0 || len(nonce) > 32) {
		return nil, errorf(KindMalformed, "crl: OCSP nonce of %d octets (RFC 8954: 1..32)", len(nonce))
	}
	nameHash, ok := certIDHash(hashAlg, crt.RawIssuer)
	if !ok {
		return nil, errorf(KindUnsupportedAlgorithm, "crl: unsupported CertID hash %s", hashAlg)
	}
	key, ok := subjectPublicKeyBits(issuer)
	if !ok {
		return nil, malformed("issuer subjectPublicKeyInfo")
	}
	keyHash, _ := certIDHash(hashAlg, key)
	var serial [64]byte
	b := cryptobyte.NewBuilder(nil)
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // TBSRequest
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // requestList
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // Request
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // CertID
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1ObjectIdentifier(hashAlg)
							b.AddASN1NULL()
						})
						b.AddASN1OctetString(nameHash)
						b.AddASN1OctetString(keyHash)
						b.AddASN1(cbasn1.INTEGER, func(b *cryptobyte.Builder) {
							b.AddBytes(appendSerial(serial[:0], crt.SerialNumber))
						})
					})
				})
			})
			if nonce != nil {
				b.AddASN1(cbasn1.Tag(2).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1ObjectIdentifier(oid.OCSPNonce)
							b.AddASN1(cbasn1.OCTET_STRING, func(b *cryptobyte.Builder) {
								b.AddASN1OctetString(nonce)
							})
						})
					})
				})
			}
		})
	})
	return b.Bytes()
}

// VerifyNonce checks that the response echoes nonce (RFC 8954 §2.1: the
// extnValue is the DER OCTET STRING of the nonce).
func (r *OCSPResponse) VerifyNonce(nonce []byte) error {
	want := cryptobyte.NewBuilder(nil)
	want.AddASN1OctetString(nonce)
	w, _ := want.Bytes()
	if r.Nonce == nil {
		return errorf(KindNonceMismatch, "crl: OCSP response has no nonce, one was sent")
	}
	if string(r.Nonce) != string(w) {
		return errorf(KindNonceMismatch, "crl: OCSP response nonce differs from the one sent")
	}
	return nil
}
