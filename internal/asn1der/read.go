package asn1der

import (
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// The parsers of cert and cms read elements through these functions rather
// than the cryptobyte.String methods of the same name. They accept exactly
// what the methods accept and return the same element; on failure they
// leave *s unchanged (the methods may have advanced s past an element of
// another tag) and set *out to nil and *outTag to 0 (ReadOptionalASN1
// leaves *out as it was), and every caller
// then gives up on the input or restores s itself. What they save is the
// method call's pointer writes: the wrappers are inlined, so *s and *out
// are the caller's locals, which need no GC write barrier, where
// cryptobyte, writing through its pointer arguments, pays one per write
// while the collector runs (about a quarter of cert.Parse's time while a
// mark phase is on). ReadOptionalASN1 and SkipOptionalASN1 are too large
// to inline, so they do not save it. TestDERWrappers and FuzzDERWrappers
// check them against cryptobyte.

// Split splits the DER element at the start of s off the rest: out is
// its content, or with elem the whole element. ok is false, out nil and
// rest s, unless the element is well formed as cryptobyte's ReadASN1
// requires (low-tag-number form; a definite length in the fewest octets,
// at most four; within s) and, unless any, its tag is tag.
func Split(s []byte, tag byte, any, elem bool) (t cbasn1.Tag, out, rest []byte, ok bool) {
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

// ReadOptionalASN1 is s.ReadOptionalASN1(out, present, tag).
func ReadOptionalASN1(s, out *cryptobyte.String, present *bool, tag cbasn1.Tag) bool {
	_, o, r, ok := Split(*s, byte(tag), false, false)
	if ok {
		*out, *s, *present = o, r, true
		return true
	}
	// Absent, or present and malformed.
	*present = s.PeekASN1Tag(tag)
	return !*present
}

// SkipOptionalASN1 is s.SkipOptionalASN1(tag).
func SkipOptionalASN1(s *cryptobyte.String, tag cbasn1.Tag) bool {
	_, _, r, ok := Split(*s, byte(tag), false, true)
	if ok {
		*s = r
		return true
	}
	return !s.PeekASN1Tag(tag)
}

// SkipASN1 is s.SkipASN1(tag).
func SkipASN1(s *cryptobyte.String, tag cbasn1.Tag) (ok bool) {
	_, _, *s, ok = Split(*s, byte(tag), false, true)
	return ok
}

// ReadASN1 is s.ReadASN1(out, tag).
func ReadASN1(s, out *cryptobyte.String, tag cbasn1.Tag) (ok bool) {
	_, *out, *s, ok = Split(*s, byte(tag), false, false)
	return ok
}

// ReadASN1Element is s.ReadASN1Element(out, tag).
func ReadASN1Element(s, out *cryptobyte.String, tag cbasn1.Tag) (ok bool) {
	_, *out, *s, ok = Split(*s, byte(tag), false, true)
	return ok
}

// ReadAnyASN1 is s.ReadAnyASN1(out, outTag).
func ReadAnyASN1(s, out *cryptobyte.String, outTag *cbasn1.Tag) (ok bool) {
	*outTag, *out, *s, ok = Split(*s, 0, true, false)
	return ok
}

// ReadAnyASN1Element is s.ReadAnyASN1Element(out, outTag).
func ReadAnyASN1Element(s, out *cryptobyte.String, outTag *cbasn1.Tag) (ok bool) {
	*outTag, *out, *s, ok = Split(*s, 0, true, true)
	return ok
}
