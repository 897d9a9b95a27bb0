package gostsig

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/chain"
	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/internal/testkit"
)

// revocationOf returns the Result's revocation entry for the certificate
// with this serial (hex, as Result writes it).
func revocationOf(t *testing.T, r *Result, c *testkit.Certificate) Revocation {
	t.Helper()
	if len(r.Signatures) == 0 {
		t.Fatal("no signature in the result")
	}
	want := strings.ToLower(c.SerialInt().Text(16))
	for _, rv := range r.Signatures[0].Revocation {
		if strings.ToLower(strings.TrimLeft(rv.Serial, "0")) == strings.TrimLeft(want, "0") {
			return rv
		}
	}
	t.Fatalf("no revocation entry for serial %s: %+v", want, r.Signatures[0].Revocation)
	return Revocation{}
}

// keyCompromise is a CRL entry revoking c at the given time for good.
func keyCompromise(c *testkit.Certificate, at time.Time) testkit.CRLEntry {
	return testkit.CRLEntry{Serial: c.SerialInt(), RevokedAt: at, Reason: 1, HasReason: true}
}

// checkEvidence checks that a revocation entry names der by both digests.
func checkEvidence(t *testing.T, what string, rv Revocation, der []byte) {
	t.Helper()
	sha, sb := sha256.Sum256(der), streebog.Sum256(der)
	if rv.EvidenceSHA256 != hex.EncodeToString(sha[:]) || rv.EvidenceStreebog256 != hex.EncodeToString(sb[:]) {
		t.Errorf("%s: evidence sha256 %q streebog256 %q, want the digests of the DER used", what, rv.EvidenceSHA256, rv.EvidenceStreebog256)
	}
}

// A CRL in the disk cache (as `gostsig crl fetch` left it), now past its
// nextUpdate, proves a permanent revocation of the signer (POLICY.md
// "Revocation"): REVOKED_NO_POE, not TRY_LATER — the rule lives in
// crl.Decide, so it holds for cached CRLs as for supplied ones. A hold
// listed in it, or good standing, still needs a current CRL. The entry
// cites the cached CRL by both digests.
func TestVerifyStaleCachedCRL(t *testing.T) {
	p := stdPKI(t)
	root := goodCRLs(t, p, refTime)[0]
	for _, tc := range []struct {
		name  string
		entry []testkit.CRLEntry
		sub   SubIndication
	}{
		{"revoked", []testkit.CRLEntry{keyCompromise(p.Leaf, refTime.Add(-10*24*time.Hour))}, RevokedNoPOE},
		{"on hold", []testkit.CRLEntry{{Serial: p.Leaf.SerialInt(), RevokedAt: refTime.Add(-10 * 24 * time.Hour), Reason: 6, HasReason: true}}, TryLater},
		{"not listed", nil, TryLater},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ca := mkCRL(t, p.CA, refTime.Add(-9*24*time.Hour), refTime.Add(-2*24*time.Hour), tc.entry...)
			dir := t.TempDir()
			storeCRLDERs(t, dir, p, [][]byte{root, ca})
			v := newTestVerifier(t, Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, CRLCacheDir: dir})
			r, err := v.Verify(context.Background(), Input{Signature: attached(t, p, testkit.SignerSpec{})})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, Indeterminate, tc.sub, "")
			rv := revocationOf(t, r, p.Leaf)
			checkEvidence(t, "root CRL", revocationOf(t, r, p.CA), root)
			if tc.sub != RevokedNoPOE {
				if rv.Status != RevocationUnknown {
					t.Errorf("leaf: %+v", rv)
				}
				return
			}
			if rv.Status != RevocationRevoked || rv.Source != "crl" || rv.Reason == "" || !rv.NextUpdate.Equal(refTime.Add(-2*24*time.Hour)) ||
				!strings.Contains(rv.Detail, "истёк") {
				t.Errorf("leaf: %+v", rv)
			}
			checkEvidence(t, "stale CA CRL", rv, ca)
		})
	}
}

// crlHost serves CRLs over a fake transport, by URL, and fails every
// other request (the leaf's OCSP responder included) — or every request,
// once down is set.
type crlHost struct {
	mu   sync.Mutex
	crls map[string][]byte
	down bool
	hits int
}

func (h *crlHost) RoundTrip(req *http.Request) (*http.Response, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hits++
	body, ok := h.crls[req.URL.String()]
	if h.down || !ok {
		return nil, errors.New("no such host in tests")
	}
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Header: http.Header{"Content-Type": {"application/pkix-crl"}},
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: req}, nil
}

// CRLs the Verifier fetched are cited by both digests of the DER that was
// fetched; and once the CA's has passed its nextUpdate and the
// distribution point is down, the CRL held in memory still proves the
// signer's revocation (REVOKED_NO_POE) with the same evidence.
func TestVerifyFetchedCRLEvidence(t *testing.T) {
	p := stdPKI(t)
	rootCRL := mkCRL(t, p.Root, refTime.Add(-30*24*time.Hour), refTime.Add(30*24*time.Hour))
	caCRL := mkCRL(t, p.CA, refTime.Add(-9*24*time.Hour), refTime.Add(-2*24*time.Hour), keyCompromise(p.Leaf, refTime.Add(-10*24*time.Hour)))
	host := &crlHost{crls: map[string][]byte{"http://ca.test/root.crl": rootCRL, "http://ca.test/ca.crl": caCRL}}
	var mu sync.Mutex
	now := refTime.Add(-5 * 24 * time.Hour) // the CA's CRL is current
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	v, err := New(Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, HTTPClient: &http.Client{Transport: host},
		Clock: clock, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	doc := attached(t, p, testkit.SignerSpec{SigningTime: refTime.Add(-20 * 24 * time.Hour)})

	check := func(what string, sub SubIndication) {
		t.Helper()
		r, err := v.Verify(context.Background(), Input{Signature: doc})
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, r, Indeterminate, sub, "")
		leaf := revocationOf(t, r, p.Leaf)
		if leaf.Status != RevocationRevoked || leaf.Source != "crl" {
			t.Errorf("%s: leaf %+v", what, leaf)
		}
		checkEvidence(t, what+": CA CRL", leaf, caCRL)
		checkEvidence(t, what+": root CRL", revocationOf(t, r, p.CA), rootCRL)
	}
	// Revoked before the validation time, no time-stamp: REVOKED_NO_POE
	// from the current CRL, fetched.
	check("current", RevokedNoPOE)
	if host.hits == 0 {
		t.Fatal("nothing was fetched")
	}
	// Past the CA CRL's nextUpdate, its distribution point down.
	mu.Lock()
	now = refTime
	mu.Unlock()
	host.mu.Lock()
	host.down, host.hits = true, 0
	host.mu.Unlock()
	check("stale, refetch failing", RevokedNoPOE)
	if host.hits == 0 {
		t.Error("the stale CRL was not refetched first")
	}
}

// An OCSP response carried in a CAdES-X Long Type 1 is cited by both
// digests of the BasicOCSPResponse.
func TestVerifyOCSPEvidence(t *testing.T) {
	p := stdPKI(t)
	_, doc, ocsp, rootCRL := xLongType1(t, p)
	v := newTestVerifier(t, Config{Roots: [][]byte{p.Root.DER}})
	r, err := v.Verify(context.Background(), Input{Signature: doc, ValidationTime: refTime})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, r, TotalPassed, 0, "")
	leaf := revocationOf(t, r, p.Leaf)
	if leaf.Source != "ocsp" {
		t.Fatalf("leaf: %+v", leaf)
	}
	checkEvidence(t, "carried OCSP response", leaf, ocsp)
	checkEvidence(t, "carried root CRL", revocationOf(t, r, p.CA), rootCRL)
}

// Every reason chain gives has its own Russian clause; a reason added to
// chain without one falls back to the list of constraints, never to "".
func TestChainViolationRU(t *testing.T) {
	c := &cert.Certificate{}
	n := 0
	for r := chain.InvalidReason(1); !strings.HasPrefix(r.String(), "InvalidReason("); r++ {
		ie := &chain.InvalidError{Cert: c, Reason: r}
		if chainFaultRU(ie, "«X»") == "" {
			t.Errorf("%v: no Russian clause", r)
		}
		if got := chainViolationRU("цепочка сертификатов", ie, "«X»"); !strings.HasPrefix(got, "цепочка сертификатов нарушает ограничения: ") {
			t.Errorf("%v: %q", r, got)
		}
		n++
	}
	if n < 7 {
		t.Fatalf("only %d reasons found", n)
	}
	unknown := &chain.InvalidError{Cert: c, Reason: chain.InvalidReason(n + 1)}
	if got, want := chainViolationRU("цепочка сертификатов", unknown, "«X»"), subIndicationReasons[ChainConstraintsFailure]; got != want {
		t.Errorf("unknown reason: %q, want %q", got, want)
	}
}
