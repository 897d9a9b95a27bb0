package cms

import (
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// The parse path reads elements through these wrappers rather than the
// cryptobyte.String methods of the same name, as package cert does (its
// der.go has the same code and the reasons; both belong in internal/asn1der
// once that package takes them). They accept exactly what the methods
// accept and return the same element; on failure they leave *s unchanged
// and *out nil (the methods may have advanced s past an element of another
// tag), and every caller then gives up on the input. Being inlined, they
// write the caller's locals, which need no GC write barrier
// (TestDERWrappers checks them against cryptobyte).

// derSplit splits the DER element at the start of s off the rest: out is
// its content, or with elem the whole element. ok is false, out nil and
// rest s, unless the element is well formed as cryptobyte's readASN1
// requires (low-tag-number form; a definite length in the fewest octets,
// at most four; within s) and, unless any, its tag is tag.
func derSplit(s []byte, tag byte, any, elem bool) (t cbasn1.Tag, out, rest []byte, ok bool) {
	if len(s) < 2 {
		return 0, nil, s, false
	}
	t = cbasn1.Tag(s[0])
	if t&0x1f == 0x1f || (!any && byte(t) != tag) {
		return 0, nil, s, false
	}
	l := int(s[1])
	hdr := 2
	if l >= 0x80 {
		// X.690 §8.1.3.5, §10.1: long form, minimal.
		ll := l & 0x7f
		if ll == 0 || ll > 4 || len(s) < 2+ll || s[2] == 0 {
			return 0, nil, s, false
		}
		l = 0
		for _, b := range s[2 : 2+ll] {
			l = l<<8 | int(b)
		}
		if l < 0x80 {
			return 0, nil, s, false
		}
		hdr += ll
	}
	if l > len(s)-hdr {
		return 0, nil, s, false
	}
	if elem {
		return t, s[:hdr+l], s[hdr+l:], true
	}
	return t, s[hdr : hdr+l], s[hdr+l:], true
}

// countElements is asn1der.CountElements: it counts the elements of a SET
// OF or SEQUENCE OF content, up to limit+1, and stops at the first
// malformed one.
func countElements(s []byte, limit int) int {
	n := 0
	for n <= limit && len(s) > 0 {
		_, _, rest, ok := derSplit(s, 0, true, true)
		if !ok {
			break
		}
		s = rest
		n++
	}
	return n
}

// readASN1 is s.ReadASN1(out, tag).
func readASN1(s, out *cryptobyte.String, tag cbasn1.Tag) (ok bool) {
	_, *out, *s, ok = derSplit(*s, byte(tag), false, false)
	return ok
}

// readASN1Element is s.ReadASN1Element(out, tag).
func readASN1Element(s, out *cryptobyte.String, tag cbasn1.Tag) (ok bool) {
	_, *out, *s, ok = derSplit(*s, byte(tag), false, true)
	return ok
}

// readAnyASN1 is s.ReadAnyASN1(out, outTag).
func readAnyASN1(s, out *cryptobyte.String, outTag *cbasn1.Tag) (ok bool) {
	*outTag, *out, *s, ok = derSplit(*s, 0, true, false)
	return ok
}

// readAnyASN1Element is s.ReadAnyASN1Element(out, outTag).
func readAnyASN1Element(s, out *cryptobyte.String, outTag *cbasn1.Tag) (ok bool) {
	*outTag, *out, *s, ok = derSplit(*s, 0, true, true)
	return ok
}
