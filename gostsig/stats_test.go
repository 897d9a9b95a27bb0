package gostsig

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/crl"
	"gostsig.dev/internal/testkit"
)

// Stats counts every lookup of the certificate and path caches, and lists
// the configured CRLs with their validity.
func TestStatsCaches(t *testing.T) {
	p := stdPKI(t)
	v := newTestVerifier(t, stdCfg(t, p))
	st := v.Stats()
	if st.Paths != (CacheStats{}) || st.Certificates != (CacheStats{}) {
		t.Fatalf("before any Verify: %+v", st)
	}
	if len(st.CRLs) != 2 {
		t.Fatalf("configured CRLs: %+v", st.CRLs)
	}
	for _, c := range st.CRLs {
		if c.Source != CRLSourceConfig || c.Issuer == "" || c.Number == "" || !c.ThisUpdate.Before(refTime) || !c.NextUpdate.After(refTime) {
			t.Errorf("configured CRL: %+v", c)
		}
	}
	doc := attached(t, p, testkit.SignerSpec{}) // the signer's and the TSA's certificates
	// The caches apply their writes asynchronously: verify until both
	// have answered from cache, then check that every lookup was counted.
	n := 0
	for ; n < 500; n++ {
		r, err := v.Verify(context.Background(), Input{Signature: doc})
		if err != nil || r.Indication != TotalPassed {
			t.Fatalf("verify: %v %v", r, err)
		}
		if st = v.Stats(); st.Paths.Hits > 0 && st.Certificates.Hits > 0 {
			break
		}
	}
	n++
	if st.Paths.Hits == 0 || st.Certificates.Hits == 0 {
		t.Fatalf("no cache hit after %d verifications: %+v", n, st)
	}
	if got := st.Paths.Hits + st.Paths.Misses; got != uint64(n) {
		t.Errorf("paths: %d lookups counted for %d verifications", got, n)
	}
	if got := st.Certificates.Hits + st.Certificates.Misses; got != uint64(2*n) {
		t.Errorf("certificates: %d lookups counted for %d verifications of two certificates", got, n)
	}
	if st.CRLCache != (CRLCacheStats{}) {
		t.Errorf("configured CRLs decided, yet the CRL cache counted: %+v", st.CRLCache)
	}
}

// CRLs found in the CRL cache directory are counted and listed as cache.
func TestStatsCRLCacheDir(t *testing.T) {
	p := stdPKI(t)
	dir := t.TempDir()
	storeCRLs(t, dir, p)
	v := newTestVerifier(t, Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, CRLCacheDir: dir})
	doc := attached(t, p, testkit.SignerSpec{})
	for range 2 {
		r, err := v.Verify(context.Background(), Input{Signature: doc})
		if err != nil || r.Indication != TotalPassed {
			t.Fatalf("verify: %v %v", r, err)
		}
	}
	st := v.Stats()
	// Two certificates below the anchor, one distribution point each:
	// loaded from disk by the first Verify, from memory by the second.
	if st.CRLCache != (CRLCacheStats{Hits: 4, DiskHits: 2, Entries: 2}) {
		t.Errorf("CRL cache: %+v", st.CRLCache)
	}
	if len(st.CRLs) != 2 || st.CRLs[0].Source != CRLSourceCache || st.CRLs[1].Source != CRLSourceCache || st.CRLs[0].URL == "" {
		t.Errorf("CRLs: %+v", st.CRLs)
	}
}

// storeCRLs writes current CRLs of the root and the CA into a cache
// directory under the certificates' distribution points, as `gostsig crl
// fetch` would.
func storeCRLs(t testing.TB, dir string, p *testPKI) {
	t.Helper()
	storeCRLDERs(t, dir, p, goodCRLs(t, p, refTime))
}

// storeCRLDERs stores the root's CRL ders[0] and the CA's ders[1].
func storeCRLDERs(t testing.TB, dir string, p *testPKI, ders [][]byte) {
	t.Helper()
	dc, err := crl.OpenDiskCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, pair := range []struct {
		issuer *testkit.Certificate
		url    string
	}{{p.Root, "http://ca.test/root.crl"}, {p.CA, "http://ca.test/ca.crl"}} {
		ic, err := cert.Parse(pair.issuer.DER)
		if err != nil {
			t.Fatal(err)
		}
		c, err := crl.Parse(ders[i])
		if err != nil {
			t.Fatal(err)
		}
		meta := crl.DiskMeta{URL: pair.url, IssuerKey: crl.KeyID(ic), Issuer: c.Issuer.String(),
			ThisUpdate: c.ThisUpdate, NextUpdate: c.NextUpdate, Number: c.Number.String(),
			Entries: c.Index.Len(), Size: c.Size, Digest: hex.EncodeToString(c.Digest[:])}
		if err := dc.Store(meta, ders[i]); err != nil {
			t.Fatal(err)
		}
	}
}

// A read-only CRL cache is used as it is (nothing in the directory
// changes), listed before anything is asked of it, and reloaded in place:
// a newer CRL the writer stores replaces the one held.
func TestCRLCacheReadOnly(t *testing.T) {
	p := stdPKI(t)
	if _, err := New(Config{CRLCacheDir: filepath.Join(t.TempDir(), "absent"), CRLCacheReadOnly: true}); err == nil {
		t.Fatal("a missing read-only cache directory was accepted")
	}
	dir := t.TempDir()
	storeCRLs(t, dir, p)
	os.WriteFile(filepath.Join(dir, "junk.crl.zst"), []byte("junk"), 0o600)
	before := dirListing(t, dir)
	for _, offline := range []bool{true, false} {
		cfg := Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, CRLCacheDir: dir, CRLCacheReadOnly: true,
			Offline: offline, Clock: func() time.Time { return refTime }, Logger: slog.New(slog.DiscardHandler),
			HTTPClient: &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
				return nil, errors.New("no network in tests")
			})}}
		v, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer v.Close()
		st := v.Stats()
		if st.CRLCache.Entries != 2 || st.CRLCache.Bad != 1 || len(st.CRLs) != 2 || st.CRLs[0].Source != CRLSourceCache {
			t.Fatalf("offline=%v: before any Verify: %+v", offline, st)
		}
		doc := attached(t, p, testkit.SignerSpec{})
		// Both checkers of an online Verifier read the cache.
		for _, reqOffline := range []bool{false, true} {
			r, err := v.Verify(context.Background(), Input{Signature: doc, Offline: reqOffline})
			if err != nil || r.Indication != TotalPassed {
				t.Fatalf("offline=%v/%v: %v %v", offline, reqOffline, r, err)
			}
		}
		if changed, err := v.ReloadCRLCache(); changed || err != nil {
			t.Errorf("reload of an unchanged cache: %v %v", changed, err)
		}
	}
	if after := dirListing(t, dir); after != before {
		t.Fatal("the read-only cache directory changed")
	}

	// The writer stores a newer CA CRL that revokes the leaf.
	v := newTestVerifier(t, Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, CRLCacheDir: dir, CRLCacheReadOnly: true})
	doc := attached(t, p, testkit.SignerSpec{})
	if r, _ := v.Verify(context.Background(), Input{Signature: doc}); r.Indication != TotalPassed {
		t.Fatalf("before the new CRL: %v", r.Indication)
	}
	revoked := mkCRL(t, p.CA, refTime.Add(-2*time.Hour), refTime.Add(7*24*time.Hour),
		testkit.CRLEntry{Serial: p.Leaf.SerialInt(), RevokedAt: refTime.Add(-3 * time.Hour), Reason: 1, HasReason: true})
	storeCRLDERs(t, dir, p, [][]byte{goodCRLs(t, p, refTime)[0], revoked})
	if changed, err := v.ReloadCRLCache(); !changed || err != nil {
		t.Fatalf("reload after the writer stored a CRL: %v %v", changed, err)
	}
	r, err := v.Verify(context.Background(), Input{Signature: doc})
	if err != nil {
		t.Fatal(err)
	}
	// Revoked before the (claimed) signing time, with no time-stamp.
	checkResult(t, r, Indeterminate, RevokedNoPOE, "")
}

// dirListing is the names, sizes, modes and times of a directory's files.
func dirListing(t *testing.T, dir string) string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, de := range des {
		fi, err := de.Info()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %d %v %v\n", de.Name(), fi.Size(), fi.Mode(), fi.ModTime())
	}
	return b.String()
}
