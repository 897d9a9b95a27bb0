package smev

// Output escaping of the StAX writers (smev-xmldsig.md §5.3, MR 3.5.0.x rule 9).

const (
	// Woodstox BaseStreamWriter.MIN_ARRAYCOPY: texts shorter than this (in
	// UTF-16 units) go through writeCharacters(String), longer ones are
	// copied into chunks and written with writeCharacters(char[]).
	woodstoxMinArrayCopy = 12
	// Woodstox DEFAULT_COPYBUFFER_LEN: the chunk size of the long path.
	woodstoxChunk = 512
)

// special marks the bytes that may need escaping or make the escaping
// matter: '<' '&' '>' CR, DEL and 0xC2 (the lead byte of U+0080–U+00BF).
var special = [256]bool{'<': true, '&': true, '>': true, '\r': true, 0x7F: true, 0xC2: true}

var attrSpecial = [256]bool{'<': true, '&': true, '>': true, '"': true, '\t': true, '\n': true, '\r': true}

// utf16ShorterThan reports whether s has fewer than n UTF-16 code units.
func utf16ShorterThan(s []byte, n int) bool {
	if len(s) < n {
		return true
	}
	u := 0
	for _, c := range s {
		switch {
		case c < 0x80 || c >= 0xC0 && c < 0xF0:
			u++ // ASCII or the lead byte of a BMP character
		case c >= 0xF0:
			u += 2 // a surrogate pair
		}
		if u >= n {
			return false
		}
	}
	return true
}

func hexRef(b []byte, c rune) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '&', '#', 'x')
	if c >= 0x10 {
		b = append(b, hex[c>>4])
	}
	return append(b, hex[c&0xF], ';')
}

// woodstoxText escapes one Characters event as Woodstox's
// BufferingXmlWriter does.
func (t *walker) woodstoxText(b, s []byte) []byte {
	i := 0
	for i < len(s) && !special[s[i]] {
		i++
	}
	if i == len(s) {
		return append(b, s...)
	}
	small := utf16ShorterThan(s, woodstoxMinArrayCopy)
	last := 0
	u := 0        // UTF-16 index of the current character
	segStart := 0 // UTF-16 index where the current segment starts
	prevBracket := false
	for i = 0; i < len(s); {
		c := s[i]
		size, units := 1, 1
		switch {
		case c >= 0xF0:
			size, units = 4, 2
		case c >= 0xE0:
			size = 3
		case c >= 0xC0:
			size = 2
		}
		var esc rune = -1
		switch c {
		case '<', '&', '\r', 0x7F:
			esc = rune(c)
		case '>':
			t.info.EscapingMatters = true
			if small {
				if u == 0 || prevBracket {
					esc = '>'
				}
			} else if u%woodstoxChunk == 0 || u == segStart || prevBracket {
				esc = '>'
			}
		case 0xC2:
			if i+1 < len(s) && s[i+1] < 0xA0 { // U+0080–U+009F
				esc = rune(s[i+1]) & 0xFF
			}
		}
		if esc >= 0 {
			b = append(b, s[last:i]...)
			switch esc {
			case '<':
				b = append(b, "&lt;"...)
			case '&':
				b = append(b, "&amp;"...)
			case '>':
				b = append(b, "&gt;"...)
			default: // CR, DEL, C1 controls
				t.info.EscapingMatters = true
				b = hexRef(b, esc)
			}
			last = i + size
			segStart = u + units
		}
		prevBracket = c == ']'
		u += units
		i += size
	}
	return append(b, s[last:]...)
}

// jdkText escapes text as the JDK's XMLStreamWriterImpl: '&' '<' '>'.
func (t *walker) jdkText(b, s []byte) []byte {
	last := 0
	for i, c := range s {
		var r string
		switch c {
		case '<':
			r = "&lt;"
		case '&':
			r = "&amp;"
		case '>':
			t.info.EscapingMatters = true
			r = "&gt;"
		case '\r', 0x7F:
			t.info.EscapingMatters = true
			continue
		case 0xC2:
			if i+1 < len(s) && s[i+1] < 0xA0 {
				t.info.EscapingMatters = true
			}
			continue
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, r...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

// appendAttr escapes an attribute value (or a namespace URI) for the
// selected writer.
func appendAttr[S string | []byte](b []byte, s S, t *walker) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !attrSpecial[c] {
			continue
		}
		var r string
		switch c {
		case '<':
			r = "&lt;"
		case '&':
			r = "&amp;"
		case '"':
			r = "&quot;"
		case '>':
			t.info.EscapingMatters = true
			if t.esc != JDK {
				continue
			}
			r = "&gt;"
		case '\t', '\n', '\r':
			t.info.EscapingMatters = true
			if t.esc == JDK {
				continue
			}
			switch c {
			case '\t':
				r = "&#x9;"
			case '\n':
				r = "&#xa;"
			default:
				r = "&#xd;"
			}
		}
		b = append(b, s[last:i]...)
		b = append(b, r...)
		last = i + 1
	}
	return append(b, s[last:]...)
}
