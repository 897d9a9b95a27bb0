package gostsig

import (
	"bytes"
	"testing"

	"gostsig.dev/internal/asn1der"
)

// TestSerialKey checks that two INTEGER encodings share a key exactly when
// they have the same value, redundant leading octets and all.
func TestSerialKey(t *testing.T) {
	encs := [][]byte{
		{}, {0x00}, {0x00, 0x00}, {0x01}, {0x00, 0x01}, {0x00, 0x00, 0x01},
		{0x7F}, {0x00, 0x7F}, {0x00, 0x80}, {0x00, 0x00, 0x80}, {0x80},
		{0xFF}, {0xFF, 0xFF}, {0xFF, 0x80}, {0xFF, 0x7F}, {0x80, 0x00},
		{0xFF, 0x80, 0x00}, {0x01, 0x00}, {0x00, 0x01, 0x00}, {0x12, 0x34, 0x56},
		{0x00, 0x12, 0x34, 0x56}, {0x00, 0xC3, 0x9A, 0x11}, {0xC3, 0x9A, 0x11},
	}
	for _, a := range encs {
		for _, b := range encs {
			same := asn1der.Int(a).Cmp(asn1der.Int(b)) == 0
			if got := bytes.Equal(serialKey(a), serialKey(b)); got != same {
				t.Errorf("serialKey(%x) == serialKey(%x): %v, values equal: %v", a, b, got, same)
			}
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = serialKey([]byte{0x00, 0x00, 0x01}) }); n != 0 {
		t.Errorf("serialKey allocates %v times", n)
	}
}
