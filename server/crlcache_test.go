package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/crl"
	"gostsig.dev/gostsig"
	"gostsig.dev/internal/testkit"
)

// writeCRLCache stores the fixture's CRLs in a crl.DiskCache in dir, as
// `gostsig crl fetch` would.
func writeCRLCache(t testing.TB, dir string) {
	t.Helper()
	f := testFixture(t)
	dc, err := crl.OpenDiskCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, issuer := range []*testkit.Certificate{f.pki.Root, f.pki.CA} {
		ic, err := cert.Parse(issuer.DER)
		if err != nil {
			t.Fatal(err)
		}
		der := f.crls[i]
		c, err := crl.Parse(der)
		if err != nil {
			t.Fatal(err)
		}
		meta := crl.DiskMeta{
			URL: "http://crl.test/" + []string{"root", "ca"}[i] + ".crl", IssuerKey: crl.KeyID(ic), Issuer: c.Issuer.String(),
			FetchedAt: refTime, ThisUpdate: c.ThisUpdate, NextUpdate: c.NextUpdate, Number: c.Number.String(),
			Entries: c.Index.Len(), Size: c.Size, Digest: hex.EncodeToString(c.Digest[:]),
		}
		if err := dc.Store(meta, der); err != nil {
			t.Fatal(err)
		}
	}
}

// dirDigest hashes every file name, mode, mtime and content under dir.
func dirDigest(t testing.TB, dir string) string {
	t.Helper()
	var lines []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := d.Info()
		b, _ := os.ReadFile(p)
		s := sha256.Sum256(b)
		lines = append(lines, p+" "+fi.Mode().String()+" "+fi.ModTime().String()+" "+hex.EncodeToString(s[:]))
		return nil
	})
	sort.Strings(lines)
	s := sha256.Sum256([]byte(strings.Join(lines, "\n")))
	return hex.EncodeToString(s[:])
}

// A replica reads the shared CRL cache directory read-only through the
// verifier (gostsig.Config.CRLCacheReadOnly): /readyz and /metrics list
// its CRLs before any is used, verdicts rest on them, a corrupt entry is
// counted and skipped, and the directory never changes.
func TestReadOnlyCRLCache(t *testing.T) {
	f := testFixture(t)
	dir := t.TempDir()
	writeCRLCache(t, dir)
	before := dirDigest(t, dir)
	cfg := f.config()
	cfg.CRLs = nil
	cfg.CRLCacheDir, cfg.CRLCacheReadOnly = dir, true
	v, err := gostsig.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, Options{Workers: 1})
	ts.SetVerifier(v, Trust{CRLCacheDir: dir, LoadedAt: refTime})
	ready := ts.do(t, "GET", "/readyz", nil).json(t)
	if ready["crls"] != 2.0 || ready["crl_cache_dir"] != dir {
		t.Fatalf("readyz: %v", ready)
	}
	metrics := func() map[string]float64 {
		return parseExposition(t, string(ts.do(t, "GET", "/metrics", nil).body))
	}
	m := metrics()
	if m[`gostsig_crls{source="cache"}`] != 2 || m[`gostsig_crls{source="flag"}`] != 0 || m[`gostsig_crl_cache_entries`] != 2 {
		t.Errorf("metrics before any verification: %v", m)
	}
	next := float64(refTime.Add(7 * 24 * time.Hour).Unix())
	n := 0
	for k, val := range m {
		if strings.HasPrefix(k, "gostsig_crl_next_update_timestamp_seconds{") {
			n++
			if val != next || !strings.Contains(k, `source="cache"`) || !strings.Contains(k, `url="http://crl.test/`) {
				t.Errorf("%s = %v, want %v", k, val, next)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d freshness samples, want 2", n)
	}
	// The cached CRLs decide: without them the fixture is not passed.
	if r := ts.do(t, "POST", "/v1/verify", f.attached).json(t); r["indication"] != "TOTAL_PASSED" {
		t.Fatalf("with the cached CRLs: %v", r)
	}
	m = metrics()
	if m[`gostsig_cache_hits_total{cache="crl"}`] == 0 || m[`gostsig_crl_cache_disk_hits_total`] == 0 {
		t.Errorf("CRL cache hits not counted: %v", m)
	}
	cfg.CRLCacheDir = ""
	bare, err := gostsig.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer bare.Close()
	if res, _ := bare.Verify(context.Background(), gostsig.Input{Signature: f.attached}); res.Indication == gostsig.TotalPassed {
		t.Fatal("passed without CRLs: the test proves nothing")
	}

	// A corrupt entry (sound header, damaged payload): skipped, counted.
	ents, _ := os.ReadDir(dir)
	p := filepath.Join(dir, ents[0].Name())
	b, _ := os.ReadFile(p)
	b[len(b)-1] ^= 1
	os.WriteFile(p, b, 0o600)
	before = dirDigest(t, dir)
	cfg.CRLCacheDir = dir
	v2, err := gostsig.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts.SetVerifier(v2, Trust{CRLCacheDir: dir, LoadedAt: refTime})
	if r := ts.do(t, "POST", "/v1/verify", f.attached).json(t); r["indication"] == "TOTAL_PASSED" {
		t.Fatalf("passed with one CRL damaged: %v", r)
	}
	if m := metrics(); m[`gostsig_crl_cache_bad_entries`] != 1 || m[`gostsig_crl_cache_entries`] != 1 {
		t.Errorf("with a corrupt entry: bad %v, entries %v", m[`gostsig_crl_cache_bad_entries`], m[`gostsig_crl_cache_entries`])
	}
	if ready := ts.do(t, "GET", "/readyz", nil).json(t); ready["crl_cache_bad_entries"] != 1.0 {
		t.Errorf("readyz: %v", ready)
	}
	if after := dirDigest(t, dir); after != before {
		t.Error("the server changed the cache directory")
	}
}
