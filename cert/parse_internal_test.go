package cert

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"gostsig.dev/internal/asn1der"
)

// TestExtKindOf: identifiers that are no extension's (prefixes of id-ce, an
// id-ce arc the map does not hold) are unhandled.
func TestExtKindOf(t *testing.T) {
	for _, raw := range []string{"", "\x55", "\x55\x1d", "\x55\x1d\x80\x01", "\x55\x1d\xff"} {
		if got := extKindOf([]byte(raw)); got != extUnhandled {
			t.Errorf("% x: %v, want unhandled", raw, got)
		}
	}
}

// TestSetSerial holds the Certificate's inline serial to asn1der.Int.
func TestSetSerial(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var cases [][]byte
	for n := 1; n <= maxInlineSerial+3; n++ {
		for _, first := range []byte{0x00, 0x01, 0x7f, 0x80, 0xff} {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			b[0] = first
			cases = append(cases, b)
		}
	}
	for _, b := range cases {
		var c Certificate
		got, want := c.setSerial(b), asn1der.Int(b)
		if got.Cmp(want) != 0 {
			t.Errorf("% x: %v, want %v", b, got, want)
		}
		if inline := got == &c.serial; inline != (b[0]&0x80 == 0 && len(b) <= maxInlineSerial) {
			t.Errorf("% x: inline = %v", b, inline)
		}
	}
	var c Certificate
	if c.setSerial([]byte{0}).Cmp(new(big.Int)) != 0 {
		t.Error("zero")
	}
}
