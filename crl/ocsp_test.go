package crl

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gostsig.dev/cert"
)

func loadOCSP(t testing.TB, name string) *OCSPResponse {
	t.Helper()
	r, err := ParseOCSPResponse(fixture(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r
}

// TestRealLibksbaOCSP: the GOST OCSP response from nicesoft-labs/libksba
// (status unknown, responder test_gost_eku_ocsp, nonce) must parse, its
// signature must verify with the responder certificate it carries, and our
// request builder must reproduce the accompanying request byte for byte.
func TestRealLibksbaOCSP(t *testing.T) {
	r, err := ParseOCSPResponse(readFile(t, filepath.Join(corpus, "ocsp_resp.pem")))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Certificates) != 1 || len(r.Responses) != 1 || !r.ProducedAt.Equal(date("2025-06-26T07:45:55Z")) {
		t.Fatalf("%d certs, %d responses, producedAt %v", len(r.Certificates), len(r.Responses), r.ProducedAt)
	}
	responder := r.Certificates[0]
	if responder.Subject.CommonName() != "test_gost_eku_ocsp" || !r.IsResponder(responder) {
		t.Fatalf("responder %q", responder.Subject.String())
	}
	if err := r.CheckSignatureFrom(responder); err != nil {
		t.Fatalf("signature with the carried responder certificate: %v", err)
	}
	leaf := loadCert(t, filepath.Join(corpus, "leaf_gost_tk26.crt"))
	root := loadCert(t, filepath.Join(corpus, "root_gost_tk26.crt"))
	sr, ok := r.Find(leaf, root)
	if !ok || sr.Status != Unknown || !sr.ThisUpdate.Equal(date("2025-06-26T07:45:55Z")) {
		t.Fatalf("single response %+v %v", sr, ok)
	}
	// The responder is self-issued, neither the CA nor delegated by it.
	if _, err := r.Verify(root, nil); !errors.Is(err, ErrUnauthorizedResponder) {
		t.Errorf("Verify without trust: %v", err)
	}
	if c, err := r.Verify(root, []*cert.Certificate{responder}); err != nil || c != responder {
		t.Errorf("Verify with the responder trusted: %v", err)
	}
	req := readFile(t, filepath.Join(corpus, "ocsp_req.pem"))
	nonce := req[len(req)-16:]
	got, err := NewOCSPRequest(leaf, root, nil, nonce)
	if err != nil || !bytes.Equal(got, req) {
		t.Errorf("request differs from libksba's:\n got %x\nwant %x", got, req)
	}
	if err := r.VerifyNonce(nonce); err != nil {
		t.Error(err)
	}
	if err := r.VerifyNonce(bytes.Repeat([]byte{1}, 16)); !errors.Is(err, ErrNonceMismatch) {
		t.Errorf("wrong nonce: %v", err)
	}
	q := Query{Cert: leaf, Issuer: root, At: date("2025-06-26T08:00:00Z")}
	if res := DecideOCSP(q, []*OCSPResponse{r}, []*cert.Certificate{responder}); res.Status != Unknown || res.Unknown != ResponderUnknown {
		t.Errorf("decision %+v", res)
	}
}

func TestOCSPFixtures(t *testing.T) {
	ca, good, revoked := pkiCert(t, "ca"), pkiCert(t, "good"), pkiCert(t, "revoked")
	for _, tc := range []struct {
		resp, cert string
		want       error // of Verify
		status     Status
	}{
		{"ocsp-good.der", "good", nil, Good},
		{"ocsp-good-nononce.der", "good", nil, Good},
		{"ocsp-revoked.der", "revoked", nil, Revoked},
		{"ocsp-good-by-ca.der", "good", nil, Good},
		{"ocsp-good-noeku.der", "good", ErrUnauthorizedResponder, Unknown},
	} {
		t.Run(tc.resp, func(t *testing.T) {
			r := loadOCSP(t, tc.resp)
			signer, err := r.Verify(ca, nil)
			if !errors.Is(err, tc.want) || (err == nil && signer == nil) {
				t.Fatalf("Verify: %v", err)
			}
			crt := pkiCert(t, tc.cert)
			sr, ok := r.Find(crt, ca)
			if !ok {
				t.Fatal("no SingleResponse for the certificate")
			}
			at := r.ProducedAt.Add(time.Minute)
			res := DecideOCSP(Query{Cert: crt, Issuer: ca, At: at}, []*OCSPResponse{r}, nil)
			if res.Status != tc.status {
				t.Fatalf("status %v (%s), want %v", res.Status, res.Detail, tc.status)
			}
			if tc.status == Revoked && (res.Reason != ReasonKeyCompromise || !res.RevocationTime.Equal(date("2025-01-10T12:00:00Z"))) {
				t.Errorf("revoked %v at %v", res.Reason, res.RevocationTime)
			}
			if tc.want == nil {
				ev := res.Evidence[0]
				if ev.Source != SourceOCSP || ev.Digest != sumStreebog(r.Raw) || ev.SHA256 != sha256.Sum256(r.Raw) || !ev.ThisUpdate.Equal(sr.ThisUpdate) || !ev.ProducedAt.Equal(r.ProducedAt) {
					t.Errorf("evidence %+v", ev)
				}
			}
		})
	}
	// Requests: ours equal OpenSSL's byte for byte.
	for _, tc := range []struct {
		file  string
		crt   string
		nonce bool
	}{{"ocsp-req-good.der", "good", true}, {"ocsp-req-revoked.der", "revoked", true}, {"ocsp-req-good-nononce.der", "good", false}} {
		req := fixture(t, tc.file)
		var nonce []byte
		if tc.nonce {
			nonce = req[len(req)-16:]
		}
		got, err := NewOCSPRequest(pkiCert(t, tc.crt), ca, nil, nonce)
		if err != nil || !bytes.Equal(got, req) {
			t.Errorf("%s: request differs:\n got %x\nwant %x", tc.file, got, req)
		}
	}
	_ = good
	_ = revoked
}

func TestDecideOCSPTimes(t *testing.T) {
	ca, good := pkiCert(t, "ca"), pkiCert(t, "good")
	r := loadOCSP(t, "ocsp-good.der")
	sr, _ := r.Find(good, ca)
	this, next := sr.ThisUpdate, sr.NextUpdate
	for _, tc := range []struct {
		name    string
		at, now time.Time
		ts      bool
		want    Status
		detail  string
	}{
		{"current", this.Add(time.Hour), time.Time{}, false, Good, ""},
		{"before thisUpdate, validation time", this.Add(-time.Hour), time.Time{}, false, Unknown, "in the future"},
		{"validation time before thisUpdate, within skew", this.Add(-time.Minute), time.Time{}, false, Unknown, "does not cover"},
		{"before thisUpdate, time-stamp", this.Add(-24 * time.Hour), this.Add(time.Hour), true, Good, ""},
		{"after nextUpdate", next.Add(time.Second), time.Time{}, false, Unknown, "does not cover"},
		{"future-dated", this.Add(-24 * time.Hour), this.Add(-time.Hour), true, Unknown, "in the future"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := DecideOCSP(Query{Cert: good, Issuer: ca, At: tc.at, Now: tc.now, FromTimestamp: tc.ts}, []*OCSPResponse{r}, nil)
			if res.Status != tc.want || !strings.Contains(res.Detail, tc.detail) {
				t.Errorf("got %v (%s), want %v (%q)", res.Status, res.Detail, tc.want, tc.detail)
			}
		})
	}
}

func TestOCSPRejects(t *testing.T) {
	good := fixture(t, "ocsp-good.der")
	ca := pkiCert(t, "ca")
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrMalformed},
		{"truncated", good[:len(good)-3], ErrMalformed},
		{"trailing data", append(bytes.Clone(good), 0), ErrMalformed},
		{"tryLater", []byte{0x30, 0x03, 0x0a, 0x01, 0x03}, ErrResponderStatus},
		{"oversized", make([]byte, MaxOCSPResponseSize+1), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := ParseOCSPResponse(tc.in); !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
	// A flipped signature bit: parses, does not verify.
	r := loadOCSP(t, "ocsp-good.der")
	r.Signature[3] ^= 1
	if _, err := r.Verify(ca, nil); !errors.Is(err, ErrBadSignature) {
		t.Errorf("tampered signature: %v", err)
	}
}
