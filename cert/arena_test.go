package cert

import (
	"bytes"
	"encoding/asn1"
	"math/rand/v2"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/dertime"
	"gostsig.dev/internal/dertime/dertimetest"
	"gostsig.dev/internal/oid"
)

// TestOIDDecoder: parser.oid is oid.Arena (tested there against cryptobyte)
// with chunks sized from the input; its results do not overlap.
func TestOIDDecoder(t *testing.T) {
	p := parser{base: make([]byte, 100)}
	var got []asn1.ObjectIdentifier
	for _, id := range []asn1.ObjectIdentifier{oid.Gost2012Key256, oid.CommonName, oid.INN, oid.Streebog512, oid.ExtKeyUsage} {
		o, ok := p.oid([]byte(oid.Content(id)))
		if !ok || !o.Equal(id) || cap(o) != len(o) {
			t.Fatalf("oid(%v) = %v, %v (cap %d)", id, o, ok, cap(o))
		}
		got = append(got, o)
	}
	if p.oids.Chunk != 100/oidChunkRatio+16 {
		t.Errorf("chunk %d components for a 100-octet input", p.oids.Chunk)
	}
	if !got[0].Equal(oid.Gost2012Key256) || !got[3].Equal(oid.Streebog512) {
		t.Errorf("earlier OIDs overwritten: %v", got)
	}
}

// TestDERTime: dertime.Time (the fast path of readTime) accepts only what readTimeLenient accepts, with the
// same instant and location, on edge dates and random digit strings.
func TestDERTime(t *testing.T) {
	var cases []string
	for _, s := range []string{
		"250601120000Z", "491231235959Z", "500101000000Z", "990228000000Z",
		"000229000000Z", "010229000000Z", "960229000000Z", "250631000000Z",
		"250600000000Z", "251301000000Z", "250001000000Z", "250601240000Z",
		"250601236000Z", "250601235960Z", "2506011200Z", "250601120000+0300",
		"20250601120000Z", "21000229000000Z", "20000229000000Z", "19000229000000Z",
		"00000101000000Z", "99991231235959Z", "20250601120000.5Z", "2025060112000Z0",
		"2506011200000", "25060112000Zx", " 50601120000Z", "2-0601120000Z",
	} {
		cases = append(cases, s)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		cases = append(cases, string(dertimetest.NearDate(rng)))
	}
	accepted := 0
	for _, s := range cases {
		for _, tag := range []cbasn1.Tag{cbasn1.UTCTime, cbasn1.GeneralizedTime} {
			got, ok := dertime.Time(tag, []byte(s))
			if !ok {
				continue
			}
			accepted++
			var bld cryptobyte.Builder
			bld.AddASN1(tag, func(c *cryptobyte.Builder) { c.AddBytes([]byte(s)) })
			in := cryptobyte.String(bld.BytesOrPanic())
			want, err := readTimeLenient(&in)
			if err != nil || !got.Equal(want) || got.Location() != want.Location() || got != want {
				t.Fatalf("dertime.Time(%v, %q) = %v; lenient: %v, %v", tag, s, got, want, err)
			}
		}
	}
	if accepted < 5000 {
		t.Fatalf("only %d of %d cases took the fast path", accepted, len(cases))
	}
	// The lenient forms still parse through readTime.
	for _, tc := range []struct {
		tag  cbasn1.Tag
		s    string
		want time.Time
	}{
		{cbasn1.UTCTime, "2506011200Z", time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)},
		{cbasn1.UTCTime, "500601120000Z", time.Date(1950, 6, 1, 12, 0, 0, 0, time.UTC)},
		{cbasn1.GeneralizedTime, "20250601120000.25Z", time.Date(2025, 6, 1, 12, 0, 0, 250e6, time.UTC)},
	} {
		var bld cryptobyte.Builder
		bld.AddASN1(tc.tag, func(c *cryptobyte.Builder) { c.AddBytes([]byte(tc.s)) })
		in := cryptobyte.String(bld.BytesOrPanic())
		got, err := readTime(&in)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("readTime(%q) = %v, %v; want %v", tc.s, got, err, tc.want)
		}
	}
}

// TestParseDoesNotAliasStrings: decoded strings are copies (Go strings must
// not change), OIDs are independent slices.
func TestParseDoesNotAliasStrings(t *testing.T) {
	data := bytes.Clone(readCert(t, "esia.gost.prod.cer").Raw)
	c, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	cn, cdp := c.Subject.CommonName(), append([]string(nil), c.CRLDistributionPoints...)
	next := append(asn1.ObjectIdentifier(nil), c.Subject.Attributes[1].Type...)
	_ = append(c.Subject.Attributes[0].Type, 99, 99, 99)
	for i := range data {
		data[i] = 0
	}
	if c.Subject.CommonName() != cn || cn == "" {
		t.Error("subject CN changed with the input")
	}
	for i, u := range c.CRLDistributionPoints {
		if u != cdp[i] {
			t.Error("CRL distribution point changed with the input")
		}
	}
	if !c.Subject.Attributes[1].Type.Equal(next) {
		t.Error("appending to one attribute type changed the next")
	}
}

// TestParseAllocs bounds the allocations of Parse. Before the arena and the
// shared string copy it made 137, 44 and 89; then 29, 24 and 20 until
// gost3410.ParsePublicKey went from ten allocations to two; then 22, 15
// and 13 (limits) until the Certificate held its extensions and first
// list chunks, and the arena's first chunk and the string copy became one
// block.
func TestParseAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	for _, tc := range []struct {
		name string
		max  float64
	}{
		{"esia.gost.prod.cer", 9},
		{"tc26_sender512_cert.pem", 9},
		{"guc2001_root_34681E40.cer", 5},
	} {
		raw := readCert(t, tc.name).Raw
		if n := testing.AllocsPerRun(50, func() { _, _ = Parse(raw) }); n > tc.max {
			t.Errorf("%s: %v allocations per Parse, want ≤ %v", tc.name, n, tc.max)
		}
	}
}
