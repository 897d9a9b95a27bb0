// Package jsonenc appends JSON strings exactly as encoding/json writes them
// with HTML escaping off (json.Encoder.SetEscapeHTML(false)): the hot-path
// encoder of gostsig.Result.AppendJSON and of the HTTP service's batch
// elements. It is differential-tested and fuzzed against encoding/json.
package jsonenc

import (
	"math/bits"
	"unicode/utf8"
)

// Word masks for the scans eight and sixteen bytes at a time.
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

// goodPrefix returns the end j ≥ i of the run s[i:j] that encoding/json
// copies unchanged and that is recognised here a word at a time: ASCII
// other than control characters, '"' and '\\', and valid two-byte
// sequences (a lead byte C2..DF, then a continuation byte 80..BF), i.e. all
// of UTF-8 below U+0800, Latin and Cyrillic included (RFC 3629 §3, §4).
// s[j], if any, is a byte to escape, the start of an invalid sequence, or
// the lead byte of a three- or four-byte sequence (U+2028 and U+2029 among
// them): the caller handles that one rune. Strings of ASCII words take a
// shorter test; a word is the eight bytes at s[i:], sixteen per iteration.
func goodPrefix(s string, i int) int {
	if len(s) < 8 {
		for i < len(s) {
			switch c := s[i]; {
			case c >= 0x20 && c < utf8.RuneSelf && c != '"' && c != '\\':
				i++
			case c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
				i += 2
			default:
				return i
			}
		}
		return i
	}
	if useAVX2 {
		return goodPrefixAVX2(s, i)
	}
	var prev uint64 // 0x80: the byte before the word opens a two-byte sequence
	for ; len(s)-i >= 16; i += 16 {
		w0, w1 := load64(s, i), load64(s, i+8)
		if (w0|w1|prev)&hi == 0 { // ASCII: hex, times, URLs
			if (escapes(w0)|escapes(w1))&hi != 0 {
				break // the word loop below finds it
			}
			continue
		}
		bad0, lead0 := multiByte(w0)
		bad1, lead1 := multiByte(w1)
		prev1 := lead0 >> 56
		bad0 = (bad0 | escapes(w0) | unpaired(w0, lead0, prev)) & hi
		bad1 = (bad1 | escapes(w1) | unpaired(w1, lead1, prev1)) & hi
		if bad0|bad1 != 0 {
			if bad0 != 0 {
				return stop(i, bad0, lead0, prev)
			}
			return stop(i+8, bad1, lead1, prev1)
		}
		prev = lead1 >> 56
	}
	for ; len(s)-i >= 8; i += 8 {
		w := load64(s, i)
		if (w|prev)&hi == 0 { // ASCII: hex, times, URLs
			if bad := escapes(w) & hi; bad != 0 {
				return stop(i, bad, 0, 0)
			}
			continue
		}
		bad, lead := multiByte(w)
		if bad = (bad | escapes(w) | unpaired(w, lead, prev)) & hi; bad != 0 {
			return stop(i, bad, lead, prev)
		}
		prev = lead >> 56
	}
	if n := len(s) - i; n > 0 {
		// The last n bytes; the missing high bytes are spaces.
		w := load64(s, len(s)-8)>>(8*(8-n)) | lo*' '<<(8*n)
		bad, lead := multiByte(w)
		if bad = (bad | escapes(w) | unpaired(w, lead, prev)) & hi; bad != 0 {
			return stop(i, bad, lead, prev)
		}
	} else if prev != 0 {
		return i - 1 // s ends with a lead byte
	}
	return len(s)
}

// The classifiers flag byte k of the word w (bits 8k..8k+7) in bit 8k+7;
// the zero-byte test (x-lo)&^x may also flag bytes above a flagged byte
// (borrows), never below one, so the lowest flag is exact. Each is small
// enough to be inlined.

// escapes flags (in bit 7 of each byte) the bytes 00..1F, '"' and '\\'.
func escapes(w uint64) uint64 {
	q, bs := w^(lo*'"'), w^(lo*'\\')
	return ^(w | w<<1 | w<<2) | ((q-lo)|(bs-lo))&^w
}

// multiByte flags (in bit 7 of each byte) in bad the bytes C0, C1 and
// E0..FF, and in lead the bytes C0..DF.
func multiByte(w uint64) (bad, lead uint64) {
	w1, w2 := w<<1, w<<2        // bits 6 and 5 of each byte moved to bit 7
	ge := w & w1                // C0..FF
	nz := w&(lo*0x1E) + lo*0x7F // bits 4..1 not all clear: not C0, C1
	return ge & (w2 | ^nz), ge &^ w2 & hi
}

// unpaired flags the continuation bytes 80..BF that follow no lead byte
// and the bytes after a lead byte that are not continuations, given the
// leads of w and prev = 0x80 if the byte before w is a lead, else 0.
func unpaired(w, lead, prev uint64) uint64 {
	return w&^(w<<1)&hi ^ (lead<<8 | prev)
}

// stop is goodPrefix's answer for the word at s[i:] whose flags are bad ≠ 0.
func stop(i int, bad, lead, prev uint64) int {
	k := bits.TrailingZeros64(bad) >> 3
	if (lead<<8|prev)>>(8*k)&0x80 != 0 {
		k-- // the bad byte breaks the sequence the one before opens
	}
	return i + k
}

// AppendString appends s as a JSON string: '"', '\\' and control
// characters escaped (\b \f \n \r \t, else \u00XX), invalid UTF-8 as
// \ufffd, U+2028 and U+2029 as escapes; everything else, Cyrillic
// included, copied as it is. Runs of ASCII and two-byte sequences (Latin,
// Cyrillic) are checked sixteen bytes at a time, with no per-rune work,
// and copied with one append; three- and four-byte sequences and bytes to
// escape are handled one rune at a time.
func AppendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start, i := 0, 0
	for i < len(s) {
		i = goodPrefix(s, i)
		if i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf { // goodPrefix stops at ASCII only to escape it
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
