package crl

import (
	"context"
	"testing"
)

// The counters and the listing follow the caches: a cold query misses the
// base CRL and its delta and fetches them, a repeated one finds them in
// memory, a restarted Checker loads them from disk.
func TestCheckerStats(t *testing.T) {
	e := newEnv(t, "2025-02-12T12:00:00Z")
	ctx := context.Background()
	c := e.checker(t, nil)
	if s := c.Stats(); s != (CacheStats{}) || len(c.CachedCRLs()) != 0 {
		t.Fatalf("new Checker: %+v %v", s, c.CachedCRLs())
	}
	if r := c.Status(ctx, e.query(t, "hold"), nil, nil); r.Status != Good {
		t.Fatalf("hold: %+v", r)
	}
	if s := c.Stats(); s != (CacheStats{Misses: 2}) {
		t.Fatalf("cold: %+v", s)
	}
	c.Status(ctx, e.query(t, "good"), nil, nil)
	if s := c.Stats(); s != (CacheStats{MemoryHits: 2, Misses: 2}) {
		t.Fatalf("warm: %+v", s)
	}
	held := c.CachedCRLs()
	if len(held) != 2 || held[0].FromDisk || held[1].FromDisk || held[0].URL == held[1].URL ||
		held[0].NextUpdate.IsZero() || held[0].Issuer == "" || held[0].Number == "" {
		t.Fatalf("held after fetching: %+v", held)
	}

	c2 := e.checker(t, nil)
	c2.Status(ctx, e.query(t, "good"), nil, nil)
	if s := c2.Stats(); s != (CacheStats{DiskHits: 2}) {
		t.Fatalf("restarted: %+v", s)
	}
	held2 := c2.CachedCRLs()
	if len(held2) != 2 || !held2[0].FromDisk || !held2[1].FromDisk || held2[0].Digest != held[0].Digest {
		t.Fatalf("held after loading from disk: %+v", held2)
	}

	// A URL nothing is cached for, offline: a miss.
	off := e.checker(t, func(o *Options) { o.Offline = true; o.CacheDir = t.TempDir() })
	if _, err := off.CRL(ctx, pkiCert(t, "ca"), "http://127.0.0.1/absent.crl"); err == nil {
		t.Fatal("offline CRL from an empty cache")
	}
	if s := off.Stats(); s != (CacheStats{Misses: 1}) {
		t.Errorf("offline miss: %+v", s)
	}
}
