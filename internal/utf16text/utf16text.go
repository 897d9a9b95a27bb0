// Package utf16text reads ASCII text written in UTF-16: what format
// detection needs of a base64 or PEM signature, or the start of an XML
// document, that a Windows tool saved as UTF-16. Full UTF-16 decoding of
// XML is xmldsig/c14n's.
package utf16text

// BOM reports the byte order a UTF-16 byte order mark at the start of b
// names: le for FF FE, big-endian for FE FF; ok is false without one.
func BOM(b []byte) (le, ok bool) {
	switch {
	case len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE:
		return true, true
	case len(b) >= 2 && b[0] == 0xFE && b[1] == 0xFF:
		return false, true
	}
	return false, false
}

// ASCII returns the ASCII text, NUL excluded, that UTF-16 b (in byte order
// le, without its BOM) begins with: its code units up to the first that is
// not such a character, each as one byte. whole reports whether that is
// all of b: every code unit such a character, and no odd byte left over.
func ASCII(b []byte, le bool) (text []byte, whole bool) {
	text = make([]byte, 0, len(b)/2)
	for ; len(b) >= 2; b = b[2:] {
		c, hi := b[0], b[1]
		if !le {
			c, hi = hi, c
		}
		if hi != 0 || c == 0 || c >= 0x80 {
			return text, false
		}
		text = append(text, c)
	}
	return text, len(b) == 0
}
