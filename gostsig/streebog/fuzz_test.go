package streebog

import (
	"bytes"
	"encoding"
	"testing"
)

// FuzzUnmarshalBinary feeds arbitrary states to UnmarshalBinary, the one
// parser in this package: it must never panic, and a state it accepts must
// marshal back to the same bytes and keep hashing.
func FuzzUnmarshalBinary(f *testing.F) {
	for _, n := range []int{0, 1, 63, 64, 65, 200} {
		for _, h := range []*Digest{New256().(*Digest), New512().(*Digest)} {
			h.Write(bytes.Repeat([]byte{0xa5}, n))
			state, _ := h.MarshalBinary()
			f.Add(state)
		}
	}
	f.Add([]byte("streebog256\x01"))
	f.Fuzz(func(t *testing.T, state []byte) {
		for _, h := range []*Digest{New256().(*Digest), New512().(*Digest)} {
			if err := h.UnmarshalBinary(state); err != nil {
				continue
			}
			again, err := h.MarshalBinary()
			if err != nil || !bytes.Equal(again, state) {
				t.Fatalf("accepted state does not round-trip")
			}
			h.Write([]byte("more"))
			if got := h.Sum(nil); len(got) != h.Size() {
				t.Fatalf("Sum returned %d bytes", len(got))
			}
		}
	})
}

// FuzzImplementations hashes arbitrary messages, written in two pieces,
// with every implementation and compares them with the one-shot digest.
func FuzzImplementations(f *testing.F) {
	f.Add([]byte("abc"), uint16(1))
	f.Add(bytes.Repeat([]byte{0xff}, 200), uint16(64))
	f.Fuzz(func(t *testing.T, msg []byte, split uint16) {
		cut := int(split) % (len(msg) + 1)
		var want256 [Size256]byte
		var want512 [Size512]byte
		first := true
		forEachImpl(t, func(t *testing.T) {
			s256, s512 := Sum256(msg), Sum512(msg)
			if first {
				want256, want512, first = s256, s512, false
			} else if s256 != want256 || s512 != want512 {
				t.Fatalf("implementations disagree on %x", msg)
			}
			h := New256()
			h.Write(msg[:cut])
			h.Write(msg[cut:])
			if got := h.Sum(nil); !bytes.Equal(got, want256[:]) {
				t.Fatalf("split at %d: %x, want %x", cut, got, want256)
			}
			var _ encoding.BinaryMarshaler = h.(*Digest)
		})
	})
}
