package oid

import (
	"encoding/asn1"
	"math/rand/v2"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// TestArena: Arena.Decode and Valid accept exactly what cryptobyte's
// ReadASN1ObjectIdentifier accepts, with the same components, on edge cases
// and random content octets; decoded OIDs do not overlap.
func TestArena(t *testing.T) {
	cases := [][]byte{
		nil, {0}, {0x27}, {0x4f}, {0x50}, {0x7f}, {0x80}, {0x80, 0x01}, {0x81}, {0x81, 0x00},
		{0x2a, 0x85, 0x03, 0x07, 0x01}, {0x55, 0x1d, 0x0f},
		{0x87, 0xff, 0xff, 0xff, 0x7f},       // 2^31 − 1: accepted
		{0x88, 0x80, 0x80, 0x80, 0x00},       // 2^31: refused
		{0x2a, 0x8f, 0xff, 0xff, 0xff, 0x7f}, // over 31 bits in the second arc
		{0x2a, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00},
		{0x2a, 0x80, 0x7f}, {0x2a, 0x81}, {0x2a, 0x01, 0xff},
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			switch rng.IntN(4) {
			case 0:
				b[i] = 0x80
			case 1:
				b[i] = byte(rng.IntN(0x80))
			default:
				b[i] = byte(rng.IntN(0x100))
			}
		}
		cases = append(cases, b)
	}
	var a Arena
	a.Chunk = 7 // small chunks: exercise the refills
	var kept []asn1.ObjectIdentifier
	var keptWant []asn1.ObjectIdentifier
	for _, b := range cases {
		var bld cryptobyte.Builder
		bld.AddASN1(cbasn1.OBJECT_IDENTIFIER, func(c *cryptobyte.Builder) { c.AddBytes(b) })
		elem := cryptobyte.String(bld.BytesOrPanic())
		var want asn1.ObjectIdentifier
		wantOK := elem.ReadASN1ObjectIdentifier(&want)

		got, ok := a.Decode(b)
		if ok != wantOK || (ok && !got.Equal(want)) {
			t.Fatalf("Decode(%x) = %v, %v; cryptobyte: %v, %v", b, got, ok, want, wantOK)
		}
		if ok && cap(got) != len(got) {
			t.Fatalf("Decode(%x): capacity %d beyond its length %d", b, cap(got), len(got))
		}
		if v := Valid(b); v != wantOK {
			t.Fatalf("Valid(%x) = %v, cryptobyte: %v", b, v, wantOK)
		}
		if ok {
			kept, keptWant = append(kept, got), append(keptWant, want)
		}
	}
	// Later decodes (and failed ones) did not overwrite earlier results.
	for i := range kept {
		if !kept[i].Equal(keptWant[i]) {
			t.Fatalf("OID %d changed to %v, want %v", i, kept[i], keptWant[i])
		}
	}
}

func TestArenaAllocs(t *testing.T) {
	b := []byte(Content(Streebog256))
	var a Arena
	a.Chunk = 1000
	if n := testing.AllocsPerRun(50, func() { a.Decode(b) }); n > 0.1 {
		t.Fatalf("%v allocations per Decode with room in the chunk", n)
	}
}

// TestArenaWithStorage: an Arena given storage decodes into it until it is
// full, then into chunks of its own, and the identifiers stay intact and
// capped (an append to one cannot reach the next).
func TestArenaWithStorage(t *testing.T) {
	var buf [20]int
	a := WithStorage(buf[:])
	ids := []asn1.ObjectIdentifier{Streebog256, Gost2012Key256, SignedData, Streebog512}
	contents := make([][]byte, len(ids))
	for i, id := range ids {
		contents[i] = []byte(Content(id))
	}
	got := make([]asn1.ObjectIdentifier, 0, len(ids))
	n := testing.AllocsPerRun(1, func() {
		got = got[:0]
		a = WithStorage(buf[:])
		for _, c := range contents[:2] { // 8 + 8 components, 9 + 9 reserved: fit in 20
			o, ok := a.Decode(c)
			if !ok {
				t.Fatal("decode failed")
			}
			got = append(got, o)
		}
	})
	if n != 0 {
		t.Errorf("%v allocations decoding into the given storage", n)
	}
	if &got[0][0] != &buf[0] {
		t.Error("the first identifier is not in the given storage")
	}
	for _, c := range contents[2:] { // no room left: a chunk of its own
		o, ok := a.Decode(c)
		if !ok {
			t.Fatal("decode failed")
		}
		got = append(got, o)
	}
	for i, id := range ids {
		if !got[i].Equal(id) || cap(got[i]) != len(got[i]) {
			t.Errorf("identifier %d: %v (cap %d), want %v", i, got[i], cap(got[i]), id)
		}
	}
}
