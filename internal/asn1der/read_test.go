package asn1der

import (
	"math/rand/v2"
	"testing"
	"unsafe"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// checkDERWrappers requires the functions of read.go to accept what the
// cryptobyte methods accept and to return the same element, aliasing the
// input the same way (same start, length and capacity), for in read with
// tag (and with every tag for the Any variants).
func checkDERWrappers(t *testing.T, in []byte, tag cbasn1.Tag) {
	t.Helper()
	for _, limit := range []int{0, 1, 5} {
		if got, want := CountElements(in, limit), countReference(in, limit); got != want {
			t.Fatalf("CountElements(% x, %d) = %d, want %d", in, limit, got, want)
		}
	}
	same := func(a, b cryptobyte.String) bool {
		return len(a) == len(b) && cap(a) == cap(b) && unsafe.SliceData(a) == unsafe.SliceData(b)
	}
	type read func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool
	for _, c := range []struct {
		name      string
		ours, ref read
	}{
		{"ReadASN1",
			func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool { return ReadASN1(s, out, *tag) },
			func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool { return s.ReadASN1(out, *tag) }},
		{"ReadASN1Element",
			func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool { return ReadASN1Element(s, out, *tag) },
			func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool { return s.ReadASN1Element(out, *tag) }},
		{"ReadAnyASN1", ReadAnyASN1,
			func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool { return s.ReadAnyASN1(out, tag) }},
		{"ReadAnyASN1Element", ReadAnyASN1Element,
			func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool { return s.ReadAnyASN1Element(out, tag) }},
		{"ReadOptionalASN1",
			func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool {
				var present bool
				ok := ReadOptionalASN1(s, out, &present, *tag)
				*tag = present2tag(present)
				return ok
			},
			func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool {
				var present bool
				ok := s.ReadOptionalASN1(out, &present, *tag)
				*tag = present2tag(present)
				return ok
			}},
		{"SkipOptionalASN1",
			func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool { return SkipOptionalASN1(s, *tag) },
			func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool { return s.SkipOptionalASN1(*tag) }},
		{"SkipASN1",
			func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool { return SkipASN1(s, *tag) },
			func(s, out *cryptobyte.String, tag *cbasn1.Tag) bool { return s.SkipASN1(*tag) }},
	} {
		s1, s2 := cryptobyte.String(in), cryptobyte.String(in)
		var o1, o2 cryptobyte.String
		t1, t2 := tag, tag
		ok1, ok2 := c.ours(&s1, &o1, &t1), c.ref(&s2, &o2, &t2)
		if ok1 != ok2 {
			t.Fatalf("%s(% x, tag %#x): ours %v, cryptobyte %v", c.name, in, tag, ok1, ok2)
		}
		// ReadOptionalASN1 says whether the element is present even when
		// it fails.
		if !ok1 && c.name == "ReadOptionalASN1" && t1 != t2 {
			t.Fatalf("%s(% x, tag %#x): present %v, cryptobyte %v", c.name, in, tag, t1, t2)
		}
		if ok1 && (!same(s1, s2) || !same(o1, o2) || t1 != t2) {
			t.Fatalf("%s(% x, tag %#x): ours (% x, % x, %#x), cryptobyte (% x, % x, %#x)",
				c.name, in, tag, o1, s1, t1, o2, s2, t2)
		}
	}
}

// TestDERWrappers checks the wrappers on the length forms at and around
// every boundary cryptobyte decides on, and on random headers.
func TestDERWrappers(t *testing.T) {
	body := make([]byte, 70000)
	for i := range body {
		body[i] = byte(i)
	}
	heads := [][]byte{
		{}, {0x30}, {0x30, 0x00}, {0x30, 0x01}, {0x30, 0x7f}, {0x30, 0x80}, {0x30, 0xff},
		{0x1f, 0x00}, {0x3f, 0x01}, {0x00, 0x00}, {0xa0, 0x03},
		{0x30, 0x81}, {0x30, 0x81, 0x00}, {0x30, 0x81, 0x7f}, {0x30, 0x81, 0x80}, {0x30, 0x81, 0xff},
		{0x30, 0x82, 0x00, 0x80}, {0x30, 0x82, 0x00, 0xff}, {0x30, 0x82, 0x01, 0x00}, {0x30, 0x82, 0xff, 0xff},
		{0x30, 0x83, 0x00, 0xff, 0xff}, {0x30, 0x83, 0x01, 0x00, 0x00},
		{0x30, 0x84, 0x00, 0x00, 0x00, 0x80}, {0x30, 0x84, 0x00, 0x01, 0x00, 0x00}, {0x30, 0x84, 0x80, 0x00, 0x00, 0x00},
		{0x30, 0x84, 0xff, 0xff, 0xff, 0xff}, {0x30, 0x85, 0x00, 0x00, 0x00, 0x00, 0x80},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		h := make([]byte, 1+r.IntN(6))
		for i := range h {
			h[i] = byte(r.Uint32())
		}
		if r.IntN(2) == 0 {
			h[0] = 0x30
		}
		heads = append(heads, h)
	}
	for _, h := range heads {
		for _, n := range []int{0, 1, 0x7f, 0x80, 0x81, 0xff, 0x100, 0x101, 0xffff, 0x10000, 0x10001} {
			in := append(append([]byte(nil), h...), body[:n]...)
			for _, tag := range []cbasn1.Tag{cbasn1.SEQUENCE, 0, 0x3f, cbasn1.Tag(h0(h))} {
				checkDERWrappers(t, in, tag)
			}
			// With spare capacity: the rest must keep it.
			checkDERWrappers(t, append(make([]byte, 0, len(in)+9), in...), cbasn1.SEQUENCE)
		}
	}
}

func present2tag(p bool) cbasn1.Tag {
	if p {
		return 1
	}
	return 0
}

func h0(h []byte) byte {
	if len(h) == 0 {
		return 0
	}
	return h[0]
}

// FuzzDERWrappers: the wrappers agree with cryptobyte on any input.
func FuzzDERWrappers(f *testing.F) {
	f.Add([]byte{0x30, 0x03, 0x02, 0x01, 0x05}, byte(0x30))
	f.Add([]byte{0x30, 0x81, 0x80}, byte(0x30))
	f.Fuzz(func(t *testing.T, in []byte, tag byte) {
		checkDERWrappers(t, in, cbasn1.Tag(tag))
	})
}

// countReference is CountElements as cryptobyte counts.
func countReference(s cryptobyte.String, limit int) int {
	n := 0
	for n <= limit && !s.Empty() {
		var elem cryptobyte.String
		var tag cbasn1.Tag
		if !s.ReadAnyASN1Element(&elem, &tag) {
			break
		}
		n++
	}
	return n
}
