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

func TestLoadCRLCache(t *testing.T) {
	f := testFixture(t)
	dir := t.TempDir()
	writeCRLCache(t, dir)
	before := dirDigest(t, dir)
	cache, err := LoadCRLCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cache.DERs) != 2 || len(cache.CRLs) != 2 || cache.Bad != 0 {
		t.Fatalf("loaded %d CRLs (%d infos, %d bad), want 2", len(cache.DERs), len(cache.CRLs), cache.Bad)
	}
	for _, c := range cache.CRLs {
		if c.Source != SourceCache || c.URL == "" || c.Number != "7" || !c.NextUpdate.Equal(refTime.Add(7*24*time.Hour)) {
			t.Errorf("CRL info %+v", c)
		}
	}
	fp, err := CacheFingerprint(dir)
	if err != nil || fp != cache.Fingerprint || fp == "" {
		t.Errorf("CacheFingerprint %q (%v), LoadCRLCache %q", fp, err, cache.Fingerprint)
	}
	if after := dirDigest(t, dir); after != before {
		t.Error("loading the cache changed the directory")
	}
	// A verifier with the cached CRLs alone gives the verdict the
	// fixture's own CRLs give.
	cfg := f.config()
	cfg.CRLs = cache.DERs
	v, err := gostsig.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	res, err := v.Verify(context.Background(), gostsig.Input{Signature: f.attached})
	if err != nil || res.Indication != gostsig.TotalPassed {
		t.Fatalf("with cached CRLs: %v %v", res, err)
	}
	// Without them, revocation is unknown: the cache is what decided.
	cfg.CRLs = nil
	v2, err := gostsig.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer v2.Close()
	if res, _ := v2.Verify(context.Background(), gostsig.Input{Signature: f.attached}); res.Indication == gostsig.TotalPassed {
		t.Fatal("passed without CRLs: the test proves nothing")
	}

	// A changed entry changes the fingerprint; a corrupt one is counted.
	ents, _ := os.ReadDir(dir)
	p := filepath.Join(dir, ents[0].Name())
	b, _ := os.ReadFile(p)
	b[len(b)-1] ^= 1
	os.WriteFile(p, b, 0o600)
	cache, err = LoadCRLCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if cache.Bad != 1 || len(cache.DERs) != 1 {
		t.Errorf("with a corrupt entry: %d loaded, %d bad", len(cache.DERs), cache.Bad)
	}
	if fp2, _ := CacheFingerprint(dir); fp2 == fp {
		t.Error("fingerprint unchanged after an entry changed")
	}

	if _, err := LoadCRLCache(filepath.Join(dir, "absent")); err == nil {
		t.Error("a missing cache directory loaded")
	}
	if _, err := os.Stat(filepath.Join(dir, "absent")); err == nil {
		t.Error("LoadCRLCache created the missing directory")
	}
}
