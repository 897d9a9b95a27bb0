// Package jsonenc appends JSON strings exactly as encoding/json writes them
// with HTML escaping off (json.Encoder.SetEscapeHTML(false)): the hot-path
// encoder of gostsig.Result.AppendJSON and of the HTTP service's batch
// elements. It is differential-tested and fuzzed against encoding/json.
package jsonenc

import "unicode/utf8"

// Word masks for the eight-bytes-at-a-time scans.
const (
	lo = 0x0101010101010101
	hi = 0x8080808080808080
)

// load64 is the little-endian word at s[i:i+8] (the compiler merges the
// loads into one).
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// asciiPlain reports whether the eight bytes of w are ASCII needing no
// escape: no byte ≥ 0x80, < 0x20, '"' or '\\'.
func asciiPlain(w uint64) bool {
	q := w ^ (lo * '"')
	bs := w ^ (lo * '\\')
	return (w|(w-lo*0x20)|(q-lo)&^q|(bs-lo)&^bs)&hi == 0
}

// AppendString appends s as a JSON string: '"', '\\' and control
// characters escaped (\b \f \n \r \t, else \u00XX), invalid UTF-8 as
// \ufffd, U+2028 and U+2029 as escapes; everything else, Cyrillic
// included, copied as it is. Runs of plain ASCII (hex, times, URLs) are
// checked eight bytes at a time; two-byte sequences (Cyrillic) are checked
// inline, longer ones with the utf8 package.
func AppendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				for i+8 <= len(s) && asciiPlain(load64(s, i)) {
					i += 8
				}
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		if c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2 // a valid two-byte sequence
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
