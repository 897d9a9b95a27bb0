package chain

import (
	"context"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// testPKI is a generated GOST PKI (internal/testkit, deterministic seeds)
// with the shapes real PKIs have: key rollover, cross-certificates, a
// loop, and broken constraints.
type testPKI struct {
	rootA, rootB, rootC  *cert.Certificate
	ca, caNew, caRenew   *cert.Certificate // rollover: ca (key 1), caNew (key 2), caRenew (key 1 again, later validity)
	leaf1, leaf2         *cert.Certificate // issued by key 1 / key 2 of "Test CA"
	crossAbyB, crossBbyA *cert.Certificate
	subCA, leafPathLen   *cert.Certificate // subCA under ca (pathlen 0) → violation
	eeIssuer, leafByEE   *cert.Certificate // issuer without basicConstraints
	noCertSign, leafNCS  *cert.Certificate // CA without keyCertSign
	leafBadSig           *cert.Certificate // names and AKI of ca, signed by another key
	orphanCA, orphan     *cert.Certificate // issuer not in any pool
	orphanURL            string
	// Critical extensions cert does not interpret (RFC 5280 §4.2).
	nameConstrCA, leafUnderNC *cert.Certificate // CA with critical nameConstraints
	leafCritExt, leafNonCrit  *cert.Certificate // leaf with a critical / non-critical unknown extension
	rootCrit, leafUnderRC     *cert.Certificate // anchor with a critical unknown extension
	lookalikes                []*cert.Certificate
	leafLA                    *cert.Certificate

	tk map[string]*testkit.Certificate
}

var (
	pkiOnce sync.Once
	pki     *testPKI
)

func parse(t testing.TB, c *testkit.Certificate) *cert.Certificate {
	t.Helper()
	x, err := cert.Parse(c.DER)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func d(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }

func getPKI(t testing.TB) *testPKI {
	pkiOnce.Do(func() { pki = buildPKI(t) })
	if pki == nil {
		t.Fatal("test PKI failed to build")
	}
	return pki
}

func buildPKI(t testing.TB) *testPKI {
	key := func(seed string) *testkit.PrivateKey {
		return testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProA, "chain/"+seed)
	}
	ca := func(k *testkit.PrivateKey, cn string, nb, na time.Time, pathLen int, issuer *testkit.Certificate, edit func(*testkit.CertTemplate)) *testkit.Certificate {
		tmpl := testkit.CATemplate(k, testkit.CommonName(cn), nb, na, pathLen)
		if edit != nil {
			edit(tmpl)
		}
		return testkit.MustCertificate(tmpl, issuer)
	}
	leaf := func(seed, cn string, issuer *testkit.Certificate, edit func(*testkit.CertTemplate)) *testkit.Certificate {
		tmpl := testkit.LeafTemplate(key(seed), testkit.CommonName(cn), d(2024), d(2029))
		if edit != nil {
			edit(tmpl)
		}
		return testkit.MustCertificate(tmpl, issuer)
	}
	kA, kB, kC := key("rootA"), key("rootB"), key("rootC")
	rootA := ca(kA, "Root A", d(2020), d(2045), -1, nil, nil)
	rootB := ca(kB, "Root B", d(2020), d(2045), -1, nil, nil)
	rootC := ca(kC, "Root C", d(2020), d(2045), -1, nil, nil)
	k1, k2 := key("ca1"), key("ca2")
	caOld := ca(k1, "Test CA", d(2021), d(2026), 0, rootA, nil)
	caNew := ca(k2, "Test CA", d(2025), d(2035), 0, rootA, nil)
	caRenew := ca(k1, "Test CA", d(2025), d(2031), 0, rootA, func(c *testkit.CertTemplate) { c.Serial = big.NewInt(777) })
	leaf1 := leaf("leaf1", "Leaf 1", caOld, nil)
	leaf2 := leaf("leaf2", "Leaf 2", caNew, nil)
	// Cross-certificates: Root A's name and key certified by Root B, and
	// Root B's by Root A (a loop when neither is trusted).
	crossAbyB := ca(kA, "Root A", d(2022), d(2040), -1, rootB, nil)
	crossBbyA := ca(kB, "Root B", d(2022), d(2040), -1, rootA, nil)
	// pathLenConstraint 0 on "Test CA" forbids a sub-CA below it.
	subCA := ca(key("sub"), "Sub CA", d(2022), d(2030), -1, caOld, nil)
	leafPL := leaf("leafPL", "Leaf under Sub CA", subCA, nil)
	// An end-entity certificate used as an issuer.
	ee := testkit.MustCertificate(testkit.LeafTemplate(key("ee"), testkit.CommonName("End Entity"), d(2022), d(2030)), caOld)
	leafEE := leaf("leafEE", "Leaf by EE", ee, nil)
	// A CA without keyCertSign.
	ncs := ca(key("ncs"), "No CertSign CA", d(2021), d(2030), -1, rootA, func(c *testkit.CertTemplate) {
		c.KeyUsage = testkit.KUDigitalSignature | testkit.KUCRLSign
	})
	leafNCS := leaf("leafNCS", "Leaf NCS", ncs, nil)
	// A forged "Test CA" (same name and key identifier, another key).
	forged := *caOld
	forged.Key = key("forger")
	leafBad := leaf("leafBad", "Leaf Bad Signature", &forged, nil)
	// An issuer known only through AIA (or per-call intermediates).
	orphanCA := ca(key("orphanCA"), "Orphan CA", d(2021), d(2030), -1, rootA, nil)
	orphanURL := "http://ca.test/orphan.crt"
	orphan := leaf("orphan", "Orphan Leaf", orphanCA, func(c *testkit.CertTemplate) { c.IssuingCertificateURL = []string{orphanURL} })

	// NameConstraints (RFC 5280 §4.2.1.10), critical: permittedSubtrees
	// {dNSName "ca.test"}.
	nameConstr := []byte{0x30, 0x0d, 0xa0, 0x0b, 0x30, 0x09, 0x82, 0x07, 'c', 'a', '.', 't', 'e', 's', 't'}
	ncCA := ca(key("ncCA"), "Name-Constrained CA", d(2021), d(2030), -1, rootA, func(c *testkit.CertTemplate) {
		c.ExtraExtensions = []testkit.Extension{{ID: asn1.ObjectIdentifier{2, 5, 29, 30}, Critical: true, Value: nameConstr}}
	})
	leafNC := leaf("leafNC", "Leaf under NC", ncCA, nil)
	unknownExt := func(critical bool) func(*testkit.CertTemplate) {
		return func(c *testkit.CertTemplate) {
			c.ExtraExtensions = []testkit.Extension{{ID: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: critical, Value: []byte{0x05, 0x00}}}
		}
	}
	leafCrit := leaf("leafCrit", "Leaf Critical", caOld, unknownExt(true))
	leafNonCrit := leaf("leafNonCrit", "Leaf Non-critical", caOld, unknownExt(false))
	rootCrit := ca(key("rootCrit"), "Root Critical", d(2020), d(2045), -1, nil, unknownExt(true))
	leafRC := leaf("leafRC", "Leaf under Root Critical", rootCrit, nil)

	p := &testPKI{
		rootA: parse(t, rootA), rootB: parse(t, rootB), rootC: parse(t, rootC),
		ca: parse(t, caOld), caNew: parse(t, caNew), caRenew: parse(t, caRenew),
		leaf1: parse(t, leaf1), leaf2: parse(t, leaf2),
		crossAbyB: parse(t, crossAbyB), crossBbyA: parse(t, crossBbyA),
		subCA: parse(t, subCA), leafPathLen: parse(t, leafPL),
		eeIssuer: parse(t, ee), leafByEE: parse(t, leafEE),
		noCertSign: parse(t, ncs), leafNCS: parse(t, leafNCS),
		leafBadSig: parse(t, leafBad),
		orphanCA:   parse(t, orphanCA), orphan: parse(t, orphan), orphanURL: orphanURL,
		nameConstrCA: parse(t, ncCA), leafUnderNC: parse(t, leafNC),
		leafCritExt: parse(t, leafCrit), leafNonCrit: parse(t, leafNonCrit),
		rootCrit: parse(t, rootCrit), leafUnderRC: parse(t, leafRC),
		tk: map[string]*testkit.Certificate{"rootA": rootA, "orphanCA": orphanCA},
	}
	// Look-alikes: many CAs named "Look-alike CA" with one wrong key and
	// no key identifiers, so that each costs a signature check.
	kLA, kTrue := key("lookalike"), key("lookalike-true")
	for i := range maxChainSignatureChecks + 20 {
		la := ca(kLA, "Look-alike CA", d(2021), d(2030), -1, rootA, func(c *testkit.CertTemplate) {
			c.Serial = big.NewInt(int64(1000 + i))
			c.NoSubjectKeyID = true
		})
		p.lookalikes = append(p.lookalikes, parse(t, la))
	}
	trueLA := ca(kTrue, "Look-alike CA", d(2021), d(2030), -1, rootA, func(c *testkit.CertTemplate) { c.NoSubjectKeyID = true })
	p.leafLA = parse(t, leaf("leafLA", "Leaf LA", trueLA, func(c *testkit.CertTemplate) { c.NoAuthorityKeyID = true }))
	return p
}

func newBuilder(t testing.TB, cfg Config) *Builder {
	t.Helper()
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(b.Close)
	return b
}

func cnLists(chains []Chain) [][]string {
	var out [][]string
	for _, c := range chains {
		out = append(out, c.CommonNames())
	}
	return out
}

// TestBuild is the x509-style table: explicit time, expected chains as CN
// lists (best first), or the expected error.
func TestBuild(t *testing.T) {
	p := getPKI(t)
	at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name        string
		roots       []*cert.Certificate
		inter       []*cert.Certificate // Config.Intermediates
		extra       []*cert.Certificate // BuildOptions.Intermediates
		leaf        *cert.Certificate
		at          time.Time
		legacy      bool
		wantChains  [][]string
		wantUnknown bool
		wantInvalid InvalidReason
		wantLimit   bool
	}{
		{name: "simple", roots: []*cert.Certificate{p.rootA}, extra: []*cert.Certificate{p.ca},
			leaf: p.leaf1, at: at, wantChains: [][]string{{"Leaf 1", "Test CA", "Root A"}}},
		{name: "intermediate from config", roots: []*cert.Certificate{p.rootA}, inter: []*cert.Certificate{p.ca},
			leaf: p.leaf1, at: at, wantChains: [][]string{{"Leaf 1", "Test CA", "Root A"}}},
		{name: "leaf is an anchor", roots: []*cert.Certificate{p.rootA}, leaf: p.rootA, at: at,
			wantChains: [][]string{{"Root A"}}},
		{name: "rollover: old key leaf", roots: []*cert.Certificate{p.rootA}, extra: []*cert.Certificate{p.caNew, p.ca},
			leaf: p.leaf1, at: at, wantChains: [][]string{{"Leaf 1", "Test CA", "Root A"}}},
		{name: "rollover: new key leaf", roots: []*cert.Certificate{p.rootA}, extra: []*cert.Certificate{p.ca, p.caNew},
			leaf: p.leaf2, at: d(2026), wantChains: [][]string{{"Leaf 2", "Test CA", "Root A"}}},
		{name: "rollover: only the other key", roots: []*cert.Certificate{p.rootA}, extra: []*cert.Certificate{p.caNew},
			leaf: p.leaf1, at: at, wantUnknown: true},
		{name: "cross-certificate to the only root", roots: []*cert.Certificate{p.rootB},
			extra: []*cert.Certificate{p.ca, p.crossAbyB}, leaf: p.leaf1, at: at,
			wantChains: [][]string{{"Leaf 1", "Test CA", "Root A", "Root B"}}},
		{name: "cross-certificate and direct root", roots: []*cert.Certificate{p.rootA, p.rootB},
			extra: []*cert.Certificate{p.ca, p.crossAbyB}, leaf: p.leaf1, at: at,
			wantChains: [][]string{{"Leaf 1", "Test CA", "Root A"}, {"Leaf 1", "Test CA", "Root A", "Root B"}}},
		{name: "cross-certificate loop, no anchor", roots: []*cert.Certificate{p.rootC},
			extra: []*cert.Certificate{p.ca, p.crossAbyB, p.crossBbyA}, leaf: p.leaf1, at: at, wantUnknown: true},
		{name: "pathlen violation", roots: []*cert.Certificate{p.rootA}, extra: []*cert.Certificate{p.ca, p.subCA},
			leaf: p.leafPathLen, at: at, wantInvalid: TooManyIntermediates},
		{name: "non-CA issuer", roots: []*cert.Certificate{p.rootA}, extra: []*cert.Certificate{p.ca, p.eeIssuer},
			leaf: p.leafByEE, at: at, wantInvalid: NotAuthorizedToSign},
		{name: "missing keyCertSign", roots: []*cert.Certificate{p.rootA}, extra: []*cert.Certificate{p.noCertSign},
			leaf: p.leafNCS, at: at, wantInvalid: MissingKeyCertSign},
		{name: "bad signature", roots: []*cert.Certificate{p.rootA}, extra: []*cert.Certificate{p.ca},
			leaf: p.leafBadSig, at: at, wantInvalid: BadSignature},
		{name: "intermediate with critical nameConstraints", roots: []*cert.Certificate{p.rootA},
			extra: []*cert.Certificate{p.nameConstrCA}, leaf: p.leafUnderNC, at: at, wantInvalid: UnhandledCriticalExtension},
		{name: "leaf with a critical unknown extension", roots: []*cert.Certificate{p.rootA},
			extra: []*cert.Certificate{p.ca}, leaf: p.leafCritExt, at: at, wantInvalid: UnhandledCriticalExtension},
		{name: "leaf with a non-critical unknown extension", roots: []*cert.Certificate{p.rootA},
			extra: []*cert.Certificate{p.ca}, leaf: p.leafNonCrit, at: at,
			wantChains: [][]string{{"Leaf Non-critical", "Test CA", "Root A"}}},
		{name: "anchor with a critical unknown extension", roots: []*cert.Certificate{p.rootCrit},
			leaf: p.leafUnderRC, at: at, wantChains: [][]string{{"Leaf under Root Critical", "Root Critical"}}},
		{name: "unknown issuer", roots: []*cert.Certificate{p.rootA}, leaf: p.orphan, at: at, wantUnknown: true},
		{name: "issuer supplied per call", roots: []*cert.Certificate{p.rootA}, extra: []*cert.Certificate{p.orphanCA},
			leaf: p.orphan, at: at, wantChains: [][]string{{"Orphan Leaf", "Orphan CA", "Root A"}}},
		{name: "untrusted root", roots: []*cert.Certificate{p.rootB}, extra: []*cert.Certificate{p.ca},
			leaf: p.leaf1, at: at, wantUnknown: true},
		{name: "signature-check bound", roots: []*cert.Certificate{p.rootA}, extra: p.lookalikes,
			leaf: p.leafLA, at: at, wantLimit: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBuilder(t, Config{Roots: tc.roots, Intermediates: tc.inter, AllowLegacyAnchors: tc.legacy, CacheTTL: -1})
			chains, err := b.Build(context.Background(), tc.leaf, BuildOptions{At: tc.at, Intermediates: tc.extra})
			var ue *UnknownAuthorityError
			var ie *InvalidError
			switch {
			case tc.wantChains != nil:
				if err != nil {
					t.Fatalf("Build: %v", err)
				}
				if got := cnLists(chains); !slices.EqualFunc(got, tc.wantChains, slices.Equal) {
					t.Fatalf("chains = %q, want %q", got, tc.wantChains)
				}
				for _, c := range chains {
					if c[0] != tc.leaf {
						t.Error("chain does not start with the caller's leaf")
					}
				}
			case tc.wantUnknown:
				if !errors.As(err, &ue) {
					t.Fatalf("err = %v, want *UnknownAuthorityError", err)
				}
			case tc.wantInvalid != 0:
				if !errors.As(err, &ie) || ie.Reason != tc.wantInvalid {
					t.Fatalf("err = %v, want *InvalidError %v", err, tc.wantInvalid)
				}
			case tc.wantLimit:
				if !errors.Is(err, ErrSignatureCheckLimit) {
					t.Fatalf("err = %v, want ErrSignatureCheckLimit", err)
				}
			}
		})
	}
}

// TestSignatureCheckBoundCounts checks that the bound stops the search at
// exactly maxChainSignatureChecks verifications, and that the true issuer
// among the look-alikes is found when the bound allows it.
func TestSignatureCheckBoundCounts(t *testing.T) {
	p := getPKI(t)
	b := newBuilder(t, Config{Roots: []*cert.Certificate{p.rootA}, CacheTTL: -1})
	s := &search{b: b, ctx: context.Background(), extra: NewPool(p.lookalikes...), fetched: NewPool(), fetchedURL: map[string]bool{}}
	_, err := s.run(p.leafLA)
	if !errors.Is(err, ErrSignatureCheckLimit) || s.sigChecks != maxChainSignatureChecks {
		t.Fatalf("err = %v after %d checks", err, s.sigChecks)
	}
}

// TestChoiceByTime: the same key certified twice ("Test CA" and its
// renewal) gives two paths; the one valid at the given time comes first.
func TestChoiceByTime(t *testing.T) {
	p := getPKI(t)
	b := newBuilder(t, Config{Roots: []*cert.Certificate{p.rootA}})
	for _, tc := range []struct {
		at        time.Time
		wantFirst *cert.Certificate
	}{
		{time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), p.ca},      // only the original is valid
		{time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC), p.caRenew}, // only the renewal is valid
	} {
		chains, err := b.Build(context.Background(), p.leaf1, BuildOptions{At: tc.at, Intermediates: []*cert.Certificate{p.caRenew, p.ca, p.caNew}})
		if err != nil {
			t.Fatal(err)
		}
		if len(chains) != 2 {
			t.Fatalf("%v: %d chains, want 2", tc.at, len(chains))
		}
		if !chains[0][1].Equal(tc.wantFirst) {
			t.Errorf("at %v: first path through serial %s, want %s", tc.at, chains[0][1].SerialHex(), tc.wantFirst.SerialHex())
		}
	}
	if _, err := b.Build(context.Background(), p.leaf1, BuildOptions{}); !errors.Is(err, ErrNoTime) {
		t.Errorf("no time: %v", err)
	}
}

type mapFetcher struct {
	mu    sync.Mutex
	data  map[string][]byte
	calls []string
}

func (f *mapFetcher) Fetch(_ context.Context, url string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, url)
	if d, ok := f.data[url]; ok {
		return d, nil
	}
	return nil, fmt.Errorf("404 %s", url)
}

func TestAIAFetch(t *testing.T) {
	p := getPKI(t)
	at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	f := &mapFetcher{data: map[string][]byte{p.orphanURL: p.orphanCA.Raw}}
	b := newBuilder(t, Config{Roots: []*cert.Certificate{p.rootA}, Fetcher: f})
	chains, err := b.Build(context.Background(), p.orphan, BuildOptions{At: at})
	if err != nil {
		t.Fatal(err)
	}
	if got := cnLists(chains); !slices.EqualFunc(got, [][]string{{"Orphan Leaf", "Orphan CA", "Root A"}}, slices.Equal) {
		t.Fatalf("chains %q", got)
	}
	// Cached: no second fetch.
	b.chains.Wait()
	if _, err := b.Build(context.Background(), p.orphan, BuildOptions{At: at}); err != nil || len(f.calls) != 1 {
		t.Fatalf("second build: err %v, %d fetches", err, len(f.calls))
	}
	// A failing fetch is an unknown authority, and is not cached.
	f2 := &mapFetcher{}
	b2 := newBuilder(t, Config{Roots: []*cert.Certificate{p.rootA}, Fetcher: f2})
	for range 2 {
		_, err = b2.Build(context.Background(), p.orphan, BuildOptions{At: at})
		var ue *UnknownAuthorityError
		if !errors.As(err, &ue) || !strings.Contains(err.Error(), "404") {
			t.Fatalf("err = %v", err)
		}
		b2.chains.Wait()
	}
	if len(f2.calls) != 2 {
		t.Errorf("failed fetch cached: %d calls", len(f2.calls))
	}
}

// TestCache checks that a warm Build does no signature check and that the
// cache expires with the injected clock.
func TestCache(t *testing.T) {
	p := getPKI(t)
	at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	b := newBuilder(t, Config{Roots: []*cert.Certificate{p.rootA}, CacheTTL: time.Hour, Now: func() time.Time { return now }})
	opts := BuildOptions{At: at, Intermediates: []*cert.Certificate{p.ca}}
	if _, err := b.Build(context.Background(), p.leaf1, opts); err != nil {
		t.Fatal(err)
	}
	b.chains.Wait()
	b.sigs.Wait()
	key, extras := b.chainKey(p.leaf1, opts.Intermediates)
	if b.lookupChains(key, p.leaf1, extras) == nil {
		t.Fatal("chain not cached")
	}
	// Another leaf of the same CA: the CA→root signature comes from cache.
	if _, ok := b.cachedSig(p.ca, p.rootA); !ok {
		t.Fatal("CA signature not cached")
	}
	// The same leaf with different per-call intermediates is another key.
	key2, extras2 := b.chainKey(p.leaf1, []*cert.Certificate{p.ca, p.caNew})
	if b.lookupChains(key2, p.leaf1, extras2) != nil {
		t.Fatal("cache ignores the per-call intermediates")
	}
	now = now.Add(2 * time.Hour)
	if b.lookupChains(key, p.leaf1, extras) != nil {
		t.Error("entry not expired after the TTL")
	}
	// Warm builds allocate little (the caller's copy of the path) and
	// verify nothing. Before the one-path shortcut (no ranking, no SHA-1 of
	// the anchor) and the lazy extras list it took 4; before the copy of a
	// short path and its slice became one allocation, 3.
	now = now.Add(-2 * time.Hour)
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := b.Build(context.Background(), p.leaf1, opts); err != nil {
			t.Fatal(err)
		}
	})
	if allocs > 2 && !raceEnabled {
		t.Errorf("warm Build: %.0f allocs, want ≤ 2", allocs)
	}
	t.Logf("warm Build: %.0f allocs", allocs)
}

// TestRealChains builds paths on the real certificates of the corpus.
func TestRealChains(t *testing.T) {
	read := func(name string) *cert.Certificate {
		data, err := os.ReadFile("../cert/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		cs, err := cert.ParseAll(data)
		if err != nil {
			t.Fatal(err)
		}
		return cs[0]
	}
	tests := []struct {
		name   string
		roots  []*cert.Certificate // nil: embedded
		leaf   string
		extra  []string
		at     time.Time
		legacy bool
		want   []string
		reason InvalidReason
	}{
		{name: "Линк-сервис to the ГУЦ 2001 root", leaf: "linkservice_ca_by_guc2001.cer", at: d(2020),
			want: []string{`ООО "Линк-сервис"`, "Головной удостоверяющий центр"}},
		{name: "УЦ 1 ИС ГУЦ", leaf: "guc_uc1_is_guc_2001.der", at: d(2020),
			want: []string{"УЦ 1 ИС ГУЦ", "Головной удостоверяющий центр"}},
		{name: "embedded root", leaf: "mincifry_2012_root_2026_18C34DF5.cer", at: d(2027),
			want: []string{"Минцифры России"}},
		{name: "CryptoPro test chain", roots: []*cert.Certificate{read("ucTestCryptoPro.der")},
			leaf: "TestForOCSP.cer", extra: []string{"subUcTestCryptoPro.der"}, at: time.Unix(1527000000, 0),
			want: []string{"Крипто гост 2012 256", `Тестовый подчиненный УЦ ООО "КРИПТО-ПРО" ГОСТ 2012 (УЦ 2.0)`, `Тестовый головной УЦ ООО "КРИПТО-ПРО" ГОСТ 2012 (УЦ 2.0)`}},
		{name: "v1 anchor (Rutoken CA)", roots: []*cert.Certificate{read("rutoken_ca_2012_256.pem")},
			leaf: "rutoken_leaf_from_p7s.pem", at: time.Unix(1710000000, 0), want: []string{"Ivanoff", "CA"}},
		{name: "TC26 root without basicConstraints refused", roots: []*cert.Certificate{read("tc26_root256_cert.pem")},
			leaf: "tc26_sender256_cert.pem", at: d(2019), reason: NotAuthorizedToSign},
		{name: "TC26 root as a legacy anchor", roots: []*cert.Certificate{read("tc26_root256_cert.pem")},
			leaf: "tc26_sender512_cert.pem", at: d(2019), legacy: true,
			want: []string{"ORIGINATOR: GOST 34.10-12 512-bit", "CA TK26: GOST 34.10-12 256-bit"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newBuilder(t, Config{Roots: tc.roots, AllowLegacyAnchors: tc.legacy})
			var extra []*cert.Certificate
			for _, n := range tc.extra {
				extra = append(extra, read(n))
			}
			chains, err := b.Build(context.Background(), read(tc.leaf), BuildOptions{At: tc.at, Intermediates: extra})
			if tc.reason != 0 {
				var ie *InvalidError
				if !errors.As(err, &ie) || ie.Reason != tc.reason {
					t.Fatalf("err = %v, want %v", err, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := chains[0].CommonNames(); !slices.Equal(got, tc.want) {
				t.Fatalf("chain %q, want %q", got, tc.want)
			}
			if _, err := chains[0].PublicKeys(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestEmbeddedRoots(t *testing.T) {
	roots := EmbeddedRoots()
	if len(roots) != 3 {
		t.Fatalf("%d roots", len(roots))
	}
	for _, r := range roots {
		if err := r.CheckSignatureFrom(r); err != nil {
			t.Errorf("%s: %v", r, err)
		}
		if !r.IsCA {
			t.Errorf("%s is not a CA", r)
		}
	}
}

// TestConcurrentBuild runs Builds of several leaves in parallel on one
// Builder (run with -race).
func TestConcurrentBuild(t *testing.T) {
	p := getPKI(t)
	b := newBuilder(t, Config{Roots: []*cert.Certificate{p.rootA}, Intermediates: []*cert.Certificate{p.ca, p.caNew, p.orphanCA}})
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 20 {
				leaf := []*cert.Certificate{p.leaf1, p.leaf2, p.orphan}[(i+j)%3]
				chains, err := b.Build(context.Background(), leaf, BuildOptions{At: at})
				if err != nil || len(chains[0]) != 3 || chains[0][0] != leaf {
					t.Errorf("build %s: %v", leaf, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if got := b.FindBySubjectKeyID(p.caNew.SubjectKeyID); len(got) != 1 || !got[0].Equal(p.caNew) {
		t.Errorf("FindBySubjectKeyID = %v", got)
	}
}
