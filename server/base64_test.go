package server

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"testing"
)

// checkDecodeStd compares decodeStd with encoding/base64 on src, for both
// encodings, on the vector path (where the CPU has it) and the portable one.
func checkDecodeStd(t testing.TB, src []byte) {
	t.Helper()
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
		want := make([]byte, enc.DecodedLen(len(src)))
		wn, werr := enc.Decode(want, src)
		for _, vec := range []bool{true, false} {
			withAVX2(vec, func() {
				got := make([]byte, enc.DecodedLen(len(src)))
				n, err := decodeStd(enc, got, src)
				if n != wn || !bytes.Equal(got, want) || (err == nil) != (werr == nil) || (err != nil && err.Error() != werr.Error()) {
					t.Fatalf("avx2=%v raw=%v decodeStd(%q) = %d %x %v, want %d %x %v", vec, enc == base64.RawStdEncoding, src, n, got, err, wn, want, werr)
				}
			})
		}
	}
}

func TestDecodeStdMatchesEncodingBase64(t *testing.T) {
	if !useAVX2 {
		t.Log("no AVX2 here: the portable path only")
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for n := range 200 {
		buf := make([]byte, n)
		for i := range buf {
			buf[i] = byte(rng.Uint32())
		}
		enc := []byte(base64.StdEncoding.EncodeToString(buf))
		checkDecodeStd(t, enc)
		checkDecodeStd(t, []byte(base64.RawStdEncoding.EncodeToString(buf)))
		// Every byte value at every position of the first blocks.
		if n == 75 || n == 96 {
			for i := range min(len(enc), 100) {
				for c := range 256 {
					v := bytes.Clone(enc)
					v[i] = byte(c)
					checkDecodeStd(t, v)
				}
			}
		}
	}
	// Every alphabet character in every position of a block, and the
	// characters next to the alphabet's ranges.
	for i := range 32 {
		for _, c := range []byte(alphabet + "\x00\n\r =@[`{*,.:\x7f\x80\xff") {
			v := bytes.Repeat([]byte("QUJD"), 24)
			v[32+i] = c
			checkDecodeStd(t, v)
		}
	}
	for range 2000 {
		v := make([]byte, rng.IntN(300))
		for i := range v {
			v[i] = alphabet[rng.IntN(64)]
			if rng.IntN(400) == 0 {
				const odd = "=\n\r \x00\xff-_"
				v[i] = odd[rng.IntN(len(odd))]
			}
		}
		checkDecodeStd(t, v)
	}
}

// withAVX2 runs f with the vector kernel on or off (on only where the CPU
// has it).
func withAVX2(on bool, f func()) {
	defer setAVX2(on)()
	f()
}

func FuzzDecodeStd(f *testing.F) {
	f.Add([]byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw=="))
	f.Add([]byte("QUJDREVGR0hJSktMTU5PUFFSU1RVVldY\nWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0NTY3ODkrLw"))
	f.Add(bytes.Repeat([]byte("/+9z"), 20))
	f.Fuzz(func(t *testing.T, src []byte) { checkDecodeStd(t, src) })
}

func BenchmarkDecodeStd(b *testing.B) {
	buf := make([]byte, 2048)
	rand.NewChaCha8([32]byte{3}).Read(buf)
	src := []byte(base64.StdEncoding.EncodeToString(buf))
	dst := make([]byte, len(buf))
	for _, vec := range []bool{true, false} {
		name := "avx2"
		if !vec {
			name = "portable"
		}
		b.Run(name, func(b *testing.B) {
			withAVX2(vec, func() {
				b.SetBytes(int64(len(src)))
				for b.Loop() {
					decodeStd(base64.StdEncoding, dst, src)
				}
			})
		})
	}
}
