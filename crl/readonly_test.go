package crl

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// dirState is the names, sizes, modes, times and contents of a directory.
func dirState(t *testing.T, dir string) string {
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
		data, _ := os.ReadFile(filepath.Join(dir, de.Name()))
		b.WriteString(de.Name() + " " + fi.Mode().String() + " " + fi.ModTime().String() + " " + string(data) + "\n")
	}
	return b.String()
}

// storeFixture writes a fixture CRL of the test CA into a writable cache.
func storeFixture(t *testing.T, dir, name, url string) {
	t.Helper()
	w, err := OpenDiskCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := loadCRL(t, name)
	if err := w.Store(metaFor(c, KeyID(pkiCert(t, "ca")), url, date("2025-02-12T12:00:00Z")), fixture(t, name)); err != nil {
		t.Fatal(err)
	}
}

// A read-only cache never creates, writes, renames or deletes anything:
// it refuses Store and Remove, skips a corrupt entry (logged once) rather
// than deleting it, and a Checker using it keeps what it fetches in memory.
func TestDiskCacheReadOnly(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "absent")
	if _, _, err := OpenDiskCacheReadOnly(missing); err == nil {
		t.Fatal("opened a missing directory")
	}
	if _, err := os.Stat(missing); err == nil {
		t.Fatal("OpenDiskCacheReadOnly created the directory")
	}

	e := newEnv(t, "2025-02-12T12:00:00Z")
	ca := pkiCert(t, "ca")
	storeFixture(t, e.dir, "feb.crl", "http://127.0.0.1/ca.crl")
	os.WriteFile(filepath.Join(e.dir, "junk"+diskSuffix), []byte("not a cache file"), 0o600)
	before := dirState(t, e.dir)

	ro, bad, err := OpenDiskCacheReadOnly(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || !strings.Contains(bad[0], "junk") {
		t.Errorf("bad headers: %v", bad)
	}
	if got := ro.Entries(); len(got) != 1 || got[0].URL != "http://127.0.0.1/ca.crl" {
		t.Fatalf("indexed: %+v", got)
	}
	if err := ro.Store(DiskMeta{}, nil); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Store: %v", err)
	}
	if err := ro.Remove(KeyID(ca), "http://127.0.0.1/ca.crl"); !errors.Is(err, ErrReadOnly) {
		t.Errorf("Remove: %v", err)
	}

	// Online, sharing the read-only cache: the cached base comes from
	// disk, the delta is fetched and kept in memory only.
	c := e.checker(t, func(o *Options) { o.Disk = ro })
	if r := c.Status(context.Background(), e.query(t, "hold"), nil, nil); r.Status != Good {
		t.Fatalf("hold: %+v", r)
	}
	if n, d := e.srv.count("/ca.crl"), e.srv.count("/delta.crl"); n != 0 || d != 1 {
		t.Errorf("fetched base %d, delta %d times; want 0 and 1", n, d)
	}
	if s := c.Stats(); s.DiskHits != 1 || s.Misses != 1 {
		t.Errorf("stats: %+v", s)
	}
	if after := dirState(t, e.dir); after != before {
		t.Fatal("the read-only cache changed the directory")
	}

	// A corrupt payload with a sound header: skipped and logged once,
	// never deleted.
	p := ro.path(cacheKey(KeyID(ca), "http://127.0.0.1/ca.crl"))
	b, _ := os.ReadFile(p)
	b[len(b)-20] ^= 0xff
	os.WriteFile(p, b, 0o600)
	before = dirState(t, e.dir)
	ro2, _, err := OpenDiskCacheReadOnly(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	off := e.checker(t, func(o *Options) { o.Disk = ro2; o.Offline = true })
	for range 3 {
		if crl, err := off.CRL(context.Background(), ca, "http://127.0.0.1/ca.crl"); crl != nil || err == nil {
			t.Fatalf("corrupt entry used: %v %v", crl, err)
		}
	}
	if n := strings.Count(e.logs.String(), "outcome=skipped"); n != 1 {
		t.Errorf("corrupt entry logged %d times, want once:\n%s", n, e.logs.String())
	}
	if ro2.Bad() != 1 || len(ro2.Entries()) != 0 {
		t.Errorf("bad %d, entries %v", ro2.Bad(), ro2.Entries())
	}
	if after := dirState(t, e.dir); after != before {
		t.Fatal("the read-only cache deleted or rewrote the corrupt entry")
	}
	// Rewritten by the writer: no longer bad after a rescan.
	storeFixture(t, e.dir, "feb.crl", "http://127.0.0.1/ca.crl")
	if changed, _, err := ro2.Rescan(); err != nil || !changed {
		t.Fatalf("rescan after the rewrite: %v %v", changed, err)
	}
	if crl, err := off.CRL(context.Background(), ca, "http://127.0.0.1/ca.crl"); crl == nil || err != nil {
		t.Fatalf("rewritten entry: %v %v", crl, err)
	}
}

// A held CRL is replaced when the writer stores a newer one and a rescan
// sees it; an older one does not replace it.
func TestCheckerSyncDisk(t *testing.T) {
	e := newEnv(t, "2025-02-12T12:00:00Z")
	ca := pkiCert(t, "ca")
	const url = "http://127.0.0.1/ca.crl"
	storeFixture(t, e.dir, "feb.crl", url)
	ro, _, err := OpenDiskCacheReadOnly(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	c := e.checker(t, func(o *Options) { o.Disk = ro; o.Offline = true })
	held := func() *CRL {
		t.Helper()
		crl, err := c.CRL(context.Background(), ca, url)
		if err != nil {
			t.Fatal(err)
		}
		return crl
	}
	feb := held()
	if changed, _, _ := ro.Rescan(); changed || c.SyncDisk() != 0 {
		t.Fatal("nothing changed, yet something was reloaded")
	}
	storeFixture(t, e.dir, "mar.crl", url)
	if changed, _, _ := ro.Rescan(); !changed {
		t.Fatal("rescan missed the new entry")
	}
	if n := c.SyncDisk(); n != 1 {
		t.Fatalf("SyncDisk replaced %d", n)
	}
	mar := held()
	if !mar.ThisUpdate.After(feb.ThisUpdate) {
		t.Fatalf("held %v after the reload, had %v", mar.ThisUpdate, feb.ThisUpdate)
	}
	if l := c.CachedCRLs(); len(l) != 1 || !l[0].FromDisk || l[0].ThisUpdate != mar.ThisUpdate {
		t.Errorf("listed: %+v", l)
	}
	storeFixture(t, e.dir, "jan.crl", url)
	ro.Rescan()
	if n := c.SyncDisk(); n != 0 || held().ThisUpdate != mar.ThisUpdate {
		t.Errorf("an older CRL on disk replaced the held one (%d)", n)
	}
}

// FuzzDiskCacheFile feeds arbitrary bytes as a cache file to the header
// index of a read-only cache and to both Loads: an error or a CRL whose
// digest the header names, never a panic, and the read-only side never
// removes the file.
func FuzzDiskCacheFile(f *testing.F) {
	dir := f.TempDir()
	w, err := OpenDiskCache(dir)
	if err != nil {
		f.Fatal(err)
	}
	const url = "http://127.0.0.1/ca.crl"
	issuerKey := KeyID(pkiCert(f, "ca"))
	c := loadCRL(f, "feb.crl")
	if err := w.Store(metaFor(c, issuerKey, url, date("2025-02-12T12:00:00Z")), fixture(f, "feb.crl")); err != nil {
		f.Fatal(err)
	}
	p := w.path(cacheKey(issuerKey, url))
	good, err := os.ReadFile(p)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add([]byte(diskMagic + "\x00\x00\x00\x02{}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		dir := t.TempDir()
		p := filepath.Join(dir, filepath.Base(p))
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		ro, _, err := OpenDiskCacheReadOnly(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []*DiskCache{ro, ro} { // the second Load answers from the bad mark
			if c, meta, der, err := d.Load(issuerKey, url); err == nil {
				if c == nil || len(der) != meta.Size || meta.URL != url {
					t.Fatalf("loaded %v %d bytes, meta %+v", c, len(der), meta)
				}
			}
		}
		if _, err := os.Stat(p); err != nil {
			t.Fatal("the read-only cache removed the file")
		}
		rw, err := OpenDiskCache(dir)
		if err != nil {
			t.Fatal(err)
		}
		if c, _, _, err := rw.Load(issuerKey, url); err == nil && c == nil {
			t.Fatal("nil CRL without an error")
		}
	})
}
