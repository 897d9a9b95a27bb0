package chain

import (
	"context"
	"testing"
	"time"

	"gostsig.dev/cert"
)

// The counters follow the caches: a cold Build misses the path and the
// signatures, a warm one hits the path; ParseCertificate hits on the same
// DER.
func TestStats(t *testing.T) {
	p := getPKI(t)
	at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	b := newBuilder(t, Config{Roots: []*cert.Certificate{p.rootA}, CacheTTL: time.Hour})
	if s := b.Stats(); s != (Stats{}) {
		t.Fatalf("new Builder: %+v", s)
	}
	opts := BuildOptions{At: at, Intermediates: []*cert.Certificate{p.ca}}
	if _, err := b.Build(context.Background(), p.leaf1, opts); err != nil {
		t.Fatal(err)
	}
	b.chains.Wait()
	b.sigs.Wait()
	s := b.Stats()
	if s.Paths != (CacheStats{Misses: 1}) || s.Signatures.Misses == 0 || s.Signatures.Hits != 0 {
		t.Fatalf("after a cold Build: %+v", s)
	}
	for range 3 {
		if _, err := b.Build(context.Background(), p.leaf1, opts); err != nil {
			t.Fatal(err)
		}
	}
	if s2 := b.Stats(); s2.Paths != (CacheStats{Hits: 3, Misses: 1}) || s2.Signatures != s.Signatures {
		t.Fatalf("after three warm Builds: %+v (cold %+v)", s2, s)
	}

	for range 2 {
		if _, err := b.ParseCertificate(p.leaf1.Raw); err != nil {
			t.Fatal(err)
		}
		b.parsed.Wait()
	}
	if got := b.Stats().Certificates; got != (CacheStats{Hits: 1, Misses: 1}) {
		t.Errorf("ParseCertificate twice: %+v", got)
	}

	off := newBuilder(t, Config{Roots: []*cert.Certificate{p.rootA}, CacheTTL: -1})
	if _, err := off.Build(context.Background(), p.leaf1, opts); err != nil {
		t.Fatal(err)
	}
	if s := off.Stats(); s != (Stats{}) {
		t.Errorf("caching disabled, yet counted: %+v", s)
	}
}
