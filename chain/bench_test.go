package chain

import (
	"context"
	"testing"
	"time"

	"gostsig.dev/cert"
)

// BenchmarkBuild measures a cold Build (two GOST signature checks, caches
// off) and a warm one (the recurring-signer case).
func BenchmarkBuild(b *testing.B) {
	p := getPKI(b)
	at := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	opts := BuildOptions{At: at, Intermediates: []*cert.Certificate{p.ca}}
	b.Run("cold", func(b *testing.B) {
		bl := newBuilder(b, Config{Roots: []*cert.Certificate{p.rootA}, CacheTTL: -1})
		b.ReportAllocs()
		for b.Loop() {
			if _, err := bl.Build(context.Background(), p.leaf1, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("warm", func(b *testing.B) {
		bl := newBuilder(b, Config{Roots: []*cert.Certificate{p.rootA}})
		if _, err := bl.Build(context.Background(), p.leaf1, opts); err != nil {
			b.Fatal(err)
		}
		bl.chains.Wait()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := bl.Build(context.Background(), p.leaf1, opts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parse-cached", func(b *testing.B) {
		bl := newBuilder(b, Config{Roots: []*cert.Certificate{p.rootA}})
		if _, err := bl.ParseCertificate(p.leaf1.Raw); err != nil {
			b.Fatal(err)
		}
		bl.parsed.Wait()
		b.ReportAllocs()
		for b.Loop() {
			if _, err := bl.ParseCertificate(p.leaf1.Raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}
