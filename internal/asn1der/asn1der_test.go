package asn1der

import (
	"encoding/asn1"
	"math/big"
	"math/rand/v2"
	"testing"

	"golang.org/x/crypto/cryptobyte"
)

// TestInt holds Int to encoding/asn1 on edge values and random ones.
func TestInt(t *testing.T) {
	vals := []*big.Int{big.NewInt(0), big.NewInt(1), big.NewInt(-1), big.NewInt(127), big.NewInt(128),
		big.NewInt(-128), big.NewInt(-129), big.NewInt(255), big.NewInt(-256), new(big.Int).Lsh(big.NewInt(1), 159)}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		buf := make([]byte, rng.IntN(25)+1)
		for i := range buf {
			buf[i] = byte(rng.Uint32())
		}
		v := new(big.Int).SetBytes(buf)
		if rng.IntN(2) == 0 {
			v.Neg(v)
		}
		vals = append(vals, v)
	}
	for _, v := range vals {
		enc, err := asn1.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		content := enc[2:]
		if enc[1]&0x80 != 0 {
			content = enc[2+int(enc[1]&0x7f):]
		}
		if got := Int(content); got.Cmp(v) != 0 {
			t.Fatalf("Int(%x) = %v, want %v", content, got, v)
		}
		// Non-minimal encodings (as some CAs wrote serials) keep the value.
		pad := byte(0)
		if v.Sign() < 0 {
			pad = 0xff
		}
		if got := Int(append([]byte{pad}, content...)); got.Cmp(v) != 0 {
			t.Fatalf("Int(%02x%x) = %v, want %v", pad, content, got, v)
		}
	}
	if Int(nil).Sign() != 0 {
		t.Error("empty content is not 0")
	}
}

func TestCountElements(t *testing.T) {
	var b cryptobyte.Builder
	for i := range 5 {
		b.AddASN1Int64(int64(i))
	}
	s := cryptobyte.String(b.BytesOrPanic())
	for _, tc := range []struct{ limit, want int }{{10, 5}, {5, 5}, {4, 5}, {2, 3}, {0, 1}} {
		if got := CountElements(s, tc.limit); got != tc.want {
			t.Errorf("limit %d: %d, want %d", tc.limit, got, tc.want)
		}
	}
	bad := append(cryptobyte.String{}, s[:len(s)-1]...) // the last element cut short
	if got := CountElements(bad, 10); got != 4 {
		t.Errorf("malformed tail: %d, want 4", got)
	}
}
