package crl

import (
	"context"
	"crypto/sha256"
	"strings"
	"testing"
	"time"

	"gostsig.dev/gostsig/streebog"
)

func TestDecide(t *testing.T) {
	tampered := loadCRL(t, "jan.crl")
	tampered.Signature[0] ^= 0x80
	crls := map[string]*CRL{}
	for _, n := range []string{"jan.crl", "feb.crl", "mar.crl", "delta.crl", "new.crl", "nocrlsign.crl", "ca512.crl"} {
		crls[n] = loadCRL(t, n)
	}
	crls["tampered"] = tampered

	type want struct {
		status   Status
		unknown  UnknownReason
		reason   Reason
		revoked  string // RFC 3339 revocation time, for Revoked and RevokedLater
		later    bool
		stale    bool
		evidence []string // CRL numbers of the evidence, "16", "32+33"
		detail   string   // substring of Detail
	}
	for _, tc := range []struct {
		name     string
		cert, ca string
		at       string
		ts       bool   // At from a time-stamp
		now      string // validation time when not At
		grace    time.Duration
		crls     []string
		want     want
	}{
		{name: "good, current CRL", cert: "good", ca: "ca", at: "2025-01-20T00:00:00Z", crls: []string{"jan.crl"},
			want: want{status: Good, evidence: []string{"16"}}},
		{name: "revoked, current CRL", cert: "revoked", ca: "ca", at: "2025-01-20T00:00:00Z", crls: []string{"jan.crl"},
			want: want{status: Revoked, reason: ReasonKeyCompromise, revoked: "2025-01-10T12:00:00Z", evidence: []string{"16"}}},
		{name: "revocation after T is good at T", cert: "revoked", ca: "ca", at: "2025-01-08T00:00:00Z", ts: true, now: "2025-01-20T00:00:00Z", crls: []string{"jan.crl"},
			want: want{status: Good, later: true, reason: ReasonKeyCompromise, revoked: "2025-01-10T12:00:00Z", evidence: []string{"16"}}},
		{name: "on hold while listed", cert: "hold", ca: "ca", at: "2025-01-20T00:00:00Z", crls: []string{"jan.crl"},
			want: want{status: Revoked, reason: ReasonCertificateHold, revoked: "2025-01-15T00:00:00Z", evidence: []string{"16"}}},
		{name: "removeFromCRL in the delta lifts the hold", cert: "hold", ca: "ca", at: "2025-02-13T00:00:00Z", crls: []string{"feb.crl", "delta.crl", "jan.crl"},
			want: want{status: Good, evidence: []string{"32", "33"}}},
		{name: "delta not yet issued: base decides", cert: "hold", ca: "ca", at: "2025-02-05T00:00:00Z", crls: []string{"feb.crl", "delta.crl"},
			want: want{status: Revoked, reason: ReasonCertificateHold, revoked: "2025-01-15T00:00:00Z", evidence: []string{"32"}}},
		{name: "revoked in the delta", cert: "late", ca: "ca", at: "2025-02-12T00:00:00Z", crls: []string{"feb.crl", "delta.crl"},
			want: want{status: Revoked, reason: ReasonSuperseded, revoked: "2025-02-11T00:00:00Z", evidence: []string{"32", "33"}}},
		{name: "without the delta the base says good", cert: "late", ca: "ca", at: "2025-02-12T00:00:00Z", crls: []string{"feb.crl"},
			want: want{status: Good, evidence: []string{"32"}}},
		{name: "all CRLs expired: TRY_LATER", cert: "good", ca: "ca", at: "2025-04-05T00:00:00Z", crls: []string{"jan.crl", "feb.crl", "mar.crl"},
			want: want{status: Unknown, unknown: NoCoverage, detail: "covers"}},
		{name: "stale within grace", cert: "good", ca: "ca", at: "2025-04-05T00:00:00Z", grace: 10 * 24 * time.Hour, crls: []string{"mar.crl"},
			want: want{status: Good, stale: true, evidence: []string{"64"}}},
		// A permanent revocation needs no current CRL (POLICY.md "Revocation").
		{name: "revoked, only CRLs past nextUpdate", cert: "revoked", ca: "ca", at: "2025-04-05T00:00:00Z", crls: []string{"jan.crl", "feb.crl"},
			want: want{status: Revoked, reason: ReasonKeyCompromise, revoked: "2025-01-10T12:00:00Z", stale: true, evidence: []string{"32"}}},
		{name: "on hold, only CRLs past nextUpdate: TRY_LATER", cert: "hold", ca: "ca", at: "2025-04-05T00:00:00Z", crls: []string{"jan.crl", "feb.crl"},
			want: want{status: Unknown, unknown: NoCoverage, detail: "covers"}},
		{name: "stale CRL lists a revocation after At", cert: "revoked", ca: "ca", at: "2024-12-15T00:00:00Z", now: "2025-04-05T00:00:00Z", crls: []string{"jan.crl", "feb.crl"},
			want: want{status: Unknown, unknown: NoCoverage}},
		{name: "revocation in a stale CRL outlives a current CRL that dropped it", cert: "revoked", ca: "ca", at: "2025-03-10T00:00:00Z", crls: []string{"mar.crl", "feb.crl"},
			want: want{status: Revoked, reason: ReasonKeyCompromise, revoked: "2025-01-10T12:00:00Z", stale: true, evidence: []string{"32"}}},
		{name: "the current CRL is the evidence when it lists the revocation", cert: "revoked", ca: "ca", at: "2025-02-12T00:00:00Z", crls: []string{"jan.crl", "feb.crl"},
			want: want{status: Revoked, reason: ReasonKeyCompromise, revoked: "2025-01-10T12:00:00Z", evidence: []string{"32"}}},
		{name: "stale delta alone proves a revocation", cert: "late", ca: "ca", at: "2025-02-20T00:00:00Z", crls: []string{"delta.crl"},
			want: want{status: Revoked, reason: ReasonSuperseded, revoked: "2025-02-11T00:00:00Z", stale: true, evidence: []string{"33"}}},
		{name: "removeFromCRL in a stale delta proves nothing", cert: "hold", ca: "ca", at: "2025-02-20T00:00:00Z", crls: []string{"delta.crl"},
			want: want{status: Unknown, unknown: NoCoverage}},
		{name: "key rollover: stale CRL of the new key", cert: "newleaf", ca: "ca-new", at: "2025-04-05T00:00:00Z", crls: []string{"new.crl"},
			want: want{status: Revoked, reason: ReasonKeyCompromise, revoked: "2025-03-01T00:00:00Z", stale: true, evidence: []string{"1"}}},
		{name: "stale CRL of the old key not used for the new-key issuer", cert: "revoked", ca: "ca-new", at: "2025-04-05T00:00:00Z", crls: []string{"feb.crl"},
			want: want{status: Unknown, unknown: NoCoverage, detail: "signed by key"}},
		{name: "stale wrongly signed CRL proves nothing", cert: "revoked", ca: "ca", at: "2025-04-05T00:00:00Z", crls: []string{"tampered"},
			want: want{status: Unknown, unknown: NoCoverage, detail: "does not verify"}},
		{name: "validation time before any CRL", cert: "good", ca: "ca", at: "2024-12-01T00:00:00Z", now: "2025-06-01T00:00:00Z", crls: []string{"jan.crl"},
			want: want{status: Unknown, unknown: NoCoverage}},
		{name: "time-stamp: CRL issued after BST speaks for it", cert: "good", ca: "ca", at: "2024-12-01T00:00:00Z", ts: true, now: "2025-06-01T00:00:00Z", crls: []string{"jan.crl"},
			want: want{status: Good, evidence: []string{"16"}}},
		{name: "time-stamp: newest CRL decides", cert: "good", ca: "ca", at: "2025-01-20T00:00:00Z", ts: true, now: "2025-06-01T00:00:00Z", crls: []string{"mar.crl", "jan.crl", "feb.crl"},
			want: want{status: Good, evidence: []string{"64"}}},
		{name: "time-stamp: revocation dropped from later CRLs still stands", cert: "revoked", ca: "ca", at: "2025-01-20T00:00:00Z", ts: true, now: "2025-06-01T00:00:00Z", crls: []string{"mar.crl", "jan.crl"},
			want: want{status: Revoked, reason: ReasonKeyCompromise, revoked: "2025-01-10T12:00:00Z", evidence: []string{"16"}}},
		{name: "time-stamp: hold released later is good", cert: "hold", ca: "ca", at: "2025-01-20T00:00:00Z", ts: true, now: "2025-06-01T00:00:00Z", crls: []string{"mar.crl", "jan.crl"},
			want: want{status: Good, evidence: []string{"64"}}},
		{name: "future-dated CRL set aside", cert: "good", ca: "ca", at: "2024-12-01T00:00:00Z", ts: true, now: "2024-12-31T23:00:00Z", crls: []string{"jan.crl"},
			want: want{status: Unknown, unknown: NoCoverage, detail: "in the future"}},
		{name: "CA certificate outside a user-only CRL", cert: "subca", ca: "ca", at: "2025-01-20T00:00:00Z", crls: []string{"jan.crl"},
			want: want{status: Unknown, unknown: OutOfScope}},
		{name: "key rollover: old-key CRL not used for new-key issuer", cert: "newleaf", ca: "ca-new", at: "2025-01-20T00:00:00Z", crls: []string{"jan.crl"},
			want: want{status: Unknown, unknown: NoCoverage, detail: "signed by key"}},
		{name: "key rollover: new-key CRL", cert: "newleaf", ca: "ca-new", at: "2025-03-10T00:00:00Z", crls: []string{"jan.crl", "feb.crl", "mar.crl", "new.crl"},
			want: want{status: Revoked, reason: ReasonKeyCompromise, revoked: "2025-03-01T00:00:00Z", evidence: []string{"1"}}},
		{name: "key rollover: old key still validates its CRLs", cert: "revoked", ca: "ca", at: "2025-02-20T00:00:00Z", ts: true, now: "2025-03-10T00:00:00Z", crls: []string{"new.crl", "feb.crl"},
			want: want{status: Revoked, reason: ReasonKeyCompromise, revoked: "2025-01-10T12:00:00Z", evidence: []string{"32"}}},
		{name: "wrongly signed CRL set aside", cert: "good", ca: "ca", at: "2025-01-20T00:00:00Z", crls: []string{"tampered"},
			want: want{status: Unknown, unknown: NoCoverage, detail: "does not verify"}},
		{name: "issuer without cRLSign", cert: "good", ca: "nocrlsign", at: "2025-01-20T00:00:00Z", crls: []string{"nocrlsign.crl"},
			want: want{status: Unknown, unknown: NoCoverage, detail: "cRLSign"}},
		{name: "other issuers' CRLs ignored", cert: "good", ca: "ca", at: "2025-01-20T00:00:00Z", crls: []string{"ca512.crl"},
			want: want{status: Unknown, unknown: NoCoverage}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := Query{Cert: pkiCert(t, tc.cert), Issuer: pkiCert(t, tc.ca), At: date(tc.at), FromTimestamp: tc.ts, Grace: tc.grace}
			if tc.now != "" {
				q.Now = date(tc.now)
			}
			var list []*CRL
			for _, n := range tc.crls {
				list = append(list, crls[n])
			}
			r := Decide(q, list)
			w := tc.want
			if r.Status != w.status || r.Unknown != w.unknown || r.Stale != w.stale || r.RevokedLater != w.later {
				t.Fatalf("got %v/%v stale=%v later=%v (%s), want %v/%v stale=%v later=%v",
					r.Status, r.Unknown, r.Stale, r.RevokedLater, r.Detail, w.status, w.unknown, w.stale, w.later)
			}
			if w.status == Revoked || w.later {
				if r.Reason != w.reason || !r.RevocationTime.Equal(date(w.revoked)) {
					t.Errorf("entry %v at %v, want %v at %s", r.Reason, r.RevocationTime, w.reason, w.revoked)
				}
			}
			var got []string
			for _, e := range r.Evidence {
				got = append(got, e.Number.String())
				if e.Digest == ([32]byte{}) || e.SHA256 == ([32]byte{}) || e.Size == 0 || e.Issuer == "" || e.ThisUpdate.IsZero() {
					t.Errorf("incomplete evidence %+v", e)
				}
			}
			if strings.Join(got, "+") != strings.Join(w.evidence, "+") {
				t.Errorf("evidence %v, want %v", got, w.evidence)
			}
			if !strings.Contains(r.Detail, w.detail) {
				t.Errorf("detail %q, want it to mention %q", r.Detail, w.detail)
			}
			if r.TryLater() != (w.unknown == NoCoverage) {
				t.Errorf("TryLater %v", r.TryLater())
			}
		})
	}
}

func TestEvidenceDigest(t *testing.T) {
	c := loadCRL(t, "jan.crl")
	ev := c.evidence()
	if want := sumStreebog(fixture(t, "jan.crl")); ev.Digest != want || ev.Size != len(fixture(t, "jan.crl")) {
		t.Error("evidence digest is not the Streebog-256 of the DER")
	}
	if ev.SHA256 != sha256.Sum256(fixture(t, "jan.crl")) {
		t.Error("evidence SHA256 is not the SHA-256 of the DER")
	}
	// PEM input: the digests are of the DER inside.
	p := loadCRL(t, "jan.crl.pem")
	if p.Digest != c.Digest || p.SHA256 != c.SHA256 {
		t.Error("a PEM CRL's evidence digests differ from its DER's")
	}
}

func sumStreebog(b []byte) [32]byte { return streebog.Sum256(b) }

// TestDecideAllocs: Decide is on the verifier's hot path (every signature,
// every certificate of the path); with the signature checks memoised it
// should allocate little more than the evidence it returns.
func TestDecideAllocs(t *testing.T) {
	q := Query{Cert: pkiCert(t, "good"), Issuer: pkiCert(t, "ca"), At: date("2025-02-12T00:00:00Z")}
	crls := []*CRL{loadCRL(t, "feb.crl"), loadCRL(t, "delta.crl")}
	if r := Decide(q, crls); r.Status != Good {
		t.Fatal(r)
	}
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	if n := testing.AllocsPerRun(100, func() { Decide(q, crls) }); n > 4 {
		t.Errorf("Decide allocates %v times, want ≤ 4", n)
	}
}

// TestStatusAllocs: Checker.Status with the CRLs supplied and nothing to
// fetch costs what Decide costs (it used to copy the list first).
func TestStatusAllocs(t *testing.T) {
	c, err := NewChecker(Options{Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	q := Query{Cert: pkiCert(t, "good"), Issuer: pkiCert(t, "ca"), At: date("2025-02-12T00:00:00Z")}
	crls := []*CRL{loadCRL(t, "feb.crl")}
	ctx := context.Background()
	if r := c.Status(ctx, q, crls, nil); r.Status != Good {
		t.Fatal(r)
	}
	if raceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	if n := testing.AllocsPerRun(100, func() { c.Status(ctx, q, crls, nil) }); n > 1 {
		t.Errorf("Status allocates %v times, want ≤ 1 (the evidence)", n)
	}
}

// A CRL issued before the certificate existed cannot be about it: the
// stale-revocation rule, which accepts CRLs of any age, must not let an
// entry for a reused serial in an old CRL revoke a newer certificate.
func TestDecideStaleRevocationIgnoresCRLsBeforeNotBefore(t *testing.T) {
	jan, feb := loadCRL(t, "jan.crl"), loadCRL(t, "feb.crl") // both list "revoked" (keyCompromise 2025-01-10T12)
	at := date("2025-04-05T00:00:00Z")                       // past both CRLs' nextUpdate
	issuer := pkiCert(t, "ca")
	orig := pkiCert(t, "revoked")

	if r := Decide(Query{Cert: orig, Issuer: issuer, At: at}, []*CRL{jan, feb}); r.Status != Revoked || !r.Stale {
		t.Fatalf("the original certificate: %+v, want Revoked (stale)", r)
	}
	reissued := *orig // same issuer and serial, issued after both CRLs
	reissued.NotBefore = date("2025-03-15T00:00:00Z")
	if r := Decide(Query{Cert: &reissued, Issuer: issuer, At: at}, []*CRL{jan, feb}); r.Status == Revoked {
		t.Fatalf("an old CRL revoked a certificate issued after it: %+v", r)
	}
	// Issued between the two: only feb.crl (thisUpdate 2025-02-01) may speak.
	between := *orig
	between.NotBefore = date("2025-01-20T00:00:00Z")
	r := Decide(Query{Cert: &between, Issuer: issuer, At: at}, []*CRL{jan, feb})
	if r.Status != Revoked || len(r.Evidence) != 1 || r.Evidence[0].Number == nil || r.Evidence[0].Number.Int64() != 32 {
		t.Fatalf("between the CRLs: %+v, want Revoked by CRL 32", r)
	}
}
