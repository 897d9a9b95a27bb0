package c14n

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Character encodings (XML 1.0 §4.3.3, Appendix F). The parser works on
// UTF-8; a document in another encoding it knows is transcoded to UTF-8
// first. Canonical XML is UTF-8 by definition (C14N 1.0 §2.1), so a
// document's canonical form, and every digest over it, is the same in every
// encoding it is written in.

// MaxTranscodedSize bounds the UTF-8 form of a document Parse reads in
// another encoding (windows-1251 text doubles in UTF-8, UTF-16 grows by half
// at most). The parser's other limits apply to that UTF-8 form.
const MaxTranscodedSize = MaxDocumentSize

// maxDeclScan bounds how far Decode looks for the end of an XML declaration
// to read its encoding. A longer declaration is left to the parser, which
// then refuses any encoding but UTF-8 (the input was not transcoded).
const maxDeclScan = 1024

// SupportedEncodings lists the encodings Parse reads, by the names
// Document.Encoding reports. Other names in XML declarations are refused.
var SupportedEncodings = []string{"UTF-8", "US-ASCII", "UTF-16LE", "UTF-16BE", "windows-1251", "KOI8-R", "ISO-8859-5", "ISO-8859-1"}

type encKind uint8

const (
	encUTF8 encKind = iota
	encASCII
	encUTF16LE
	encUTF16BE
	encSingleByte
)

type encoding struct {
	name string
	kind encKind
	cm   *charmap.Charmap // encSingleByte
}

var (
	encodingUTF8    = &encoding{name: "UTF-8", kind: encUTF8}
	encodingASCII   = &encoding{name: "US-ASCII", kind: encASCII}
	encodingUTF16LE = &encoding{name: "UTF-16LE", kind: encUTF16LE}
	encodingUTF16BE = &encoding{name: "UTF-16BE", kind: encUTF16BE}
	encodingCP1251  = &encoding{name: "windows-1251", kind: encSingleByte, cm: charmap.Windows1251}
	encodingKOI8R   = &encoding{name: "KOI8-R", kind: encSingleByte, cm: charmap.KOI8R}
	encodingLatin5  = &encoding{name: "ISO-8859-5", kind: encSingleByte, cm: charmap.ISO8859_5}
	encodingLatin1  = &encoding{name: "ISO-8859-1", kind: encSingleByte, cm: charmap.ISO8859_1}
)

// encodingNames maps the lower-cased IANA names and aliases of the
// supported encodings (https://www.iana.org/assignments/character-sets) to
// them. "UTF-16" has no byte order of its own: it names whichever the byte
// order mark (or Appendix F detection) found.
var encodingNames = map[string]*encoding{
	"utf-8": encodingUTF8, "utf8": encodingUTF8,
	"us-ascii": encodingASCII, "ascii": encodingASCII, "iso646-us": encodingASCII,
	"utf-16le": encodingUTF16LE, "utf-16be": encodingUTF16BE,
	"windows-1251": encodingCP1251, "cp1251": encodingCP1251, "x-cp1251": encodingCP1251,
	"koi8-r": encodingKOI8R, "cskoi8r": encodingKOI8R,
	"iso-8859-5": encodingLatin5, "iso_8859-5": encodingLatin5, "iso8859-5": encodingLatin5,
	"iso-ir-144": encodingLatin5, "cyrillic": encodingLatin5, "csisolatincyrillic": encodingLatin5,
	"iso-8859-1": encodingLatin1, "iso_8859-1": encodingLatin1, "iso8859-1": encodingLatin1,
	"latin1": encodingLatin1, "l1": encodingLatin1, "iso-ir-100": encodingLatin1,
}

// lookupEncoding finds an encoding by name, case-insensitively (nil: not
// supported). It does not allocate.
func lookupEncoding(name []byte) *encoding {
	if equalFoldASCII(string(name), "utf-8") {
		return encodingUTF8
	}
	var buf [24]byte
	if len(name) > len(buf) {
		return nil
	}
	for i, c := range name {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return encodingNames[string(buf[:len(name)])]
}

// declares reports whether an XML declaration naming decl is right for a
// document read as e.
func (e *encoding) declares(decl []byte) bool {
	if (e.kind == encUTF16LE || e.kind == encUTF16BE) && equalFoldASCII(string(decl), "utf-16") {
		return true
	}
	return lookupEncoding(decl) == e
}

func unsupportedEncoding(name string) error {
	return &SyntaxError{0, fmt.Sprintf("encoding %q is not supported (supported: %s)", name, strings.Join(SupportedEncodings, ", "))}
}

// Decode returns input in UTF-8 and the name of the encoding it was read in
// (one of SupportedEncodings). The encoding is found as XML 1.0 Appendix F
// says: a byte order mark, else the first four bytes, else the XML
// declaration's encoding, else UTF-8. UTF-8 (and US-ASCII) input is returned
// as it is, without a copy (the parser checks that it is UTF-8); other input is transcoded into a new buffer of
// at most MaxTranscodedSize bytes, without a UTF-16 byte order mark. A byte
// sequence that is not a character of the encoding, an unsupported or
// contradictory encoding is a *SyntaxError (with the offset in input); an
// input over the limits a *LimitError.
func Decode(input []byte) ([]byte, string, error) {
	if len(input) > MaxDocumentSize {
		return nil, "", &LimitError{"MaxDocumentSize", MaxDocumentSize}
	}
	out, e, err := decode(input)
	if err != nil {
		return nil, "", err
	}
	return out, e.name, nil
}

func decode(input []byte) ([]byte, *encoding, error) {
	e, skip, err := sniff(input)
	if err != nil {
		return nil, nil, err
	}
	out, err := e.decode(input, skip)
	if err != nil {
		return nil, nil, err
	}
	if e.kind == encUTF16LE || e.kind == encUTF16BE {
		// The declaration could only be read after decoding.
		if name, ok := declaredEncoding(out); ok && !e.declares(name) {
			if lookupEncoding(name) == nil {
				return nil, nil, unsupportedEncoding(string(name))
			}
			return nil, nil, &SyntaxError{0, fmt.Sprintf("the input is %s but its XML declaration says %q", e.name, name)}
		}
	}
	return out, e, nil
}

// sniff finds the encoding of input (XML 1.0 Appendix F) and how many bytes
// of byte order mark to skip when transcoding.
func sniff(b []byte) (*encoding, int, error) {
	var b4 [4]byte
	if len(b) >= 4 {
		copy(b4[:], b) // shorter input is none of the four-byte patterns
	}
	switch {
	case b4 == [4]byte{0, 0, 0xFE, 0xFF}, b4 == [4]byte{0xFF, 0xFE, 0, 0},
		b4 == [4]byte{0, 0, 0, '<'}, b4 == [4]byte{'<', 0, 0, 0},
		b4 == [4]byte{0, 0, '<', 0}, b4 == [4]byte{0, '<', 0, 0}:
		return nil, 0, &SyntaxError{0, "UTF-32 (UCS-4) input is not supported"}
	case b4[0] == 0xFE && b4[1] == 0xFF:
		return encodingUTF16BE, 2, nil
	case b4[0] == 0xFF && b4[1] == 0xFE:
		return encodingUTF16LE, 2, nil
	case b4 == [4]byte{0, '<', 0, '?'}:
		return encodingUTF16BE, 0, nil
	case b4 == [4]byte{'<', 0, '?', 0}:
		return encodingUTF16LE, 0, nil
	case b4 == [4]byte{0x4C, 0x6F, 0xA7, 0x94}:
		return nil, 0, &SyntaxError{0, "EBCDIC input is not supported"}
	case len(b) >= 2 && (b[0] == 0 || b[1] == 0):
		return nil, 0, &SyntaxError{0, "UTF-16 input without a byte order mark or an XML declaration"}
	}
	bom := bytes.HasPrefix(b, utf8BOM)
	if bom {
		b = b[len(utf8BOM):]
	}
	name, ok := declaredEncoding(b)
	if !ok {
		return encodingUTF8, 0, nil
	}
	e := lookupEncoding(name)
	switch {
	case e == nil && equalFoldASCII(string(name), "utf-16"):
		return nil, 0, &SyntaxError{0, "the XML declaration says \"UTF-16\" but the input is not UTF-16"}
	case e == nil:
		return nil, 0, unsupportedEncoding(string(name))
	case e.kind == encUTF16LE || e.kind == encUTF16BE:
		return nil, 0, &SyntaxError{0, fmt.Sprintf("the XML declaration says %q but the input is not UTF-16", name)}
	case bom && e.kind != encUTF8:
		return nil, 0, &SyntaxError{0, fmt.Sprintf("the byte order mark says UTF-8 but the XML declaration says %q", name)}
	}
	return e, 0, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// declaredEncoding returns the encoding named by the XML declaration (§2.8,
// §4.3.3) at the start of b, read as ASCII. It is a scan, not a check: the
// parser checks the declaration and that it names the encoding Decode used.
func declaredEncoding(b []byte) ([]byte, bool) {
	if len(b) < 6 || string(b[:5]) != "<?xml" || !isSpace(b[5]) {
		return nil, false
	}
	end := bytes.Index(b[:min(len(b), maxDeclScan)], []byte("?>"))
	if end < 0 {
		return nil, false
	}
	decl := b[:end]
	for at := 5; ; {
		i := bytes.Index(decl[at:], []byte("encoding"))
		if i < 0 {
			return nil, false
		}
		i += at
		at = i + len("encoding")
		if !isSpace(decl[i-1]) {
			continue
		}
		rest := bytes.TrimLeft(decl[at:], " \t\r\n")
		if len(rest) == 0 || rest[0] != '=' {
			continue
		}
		rest = bytes.TrimLeft(rest[1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return nil, false
		}
		k := bytes.IndexByte(rest[1:], rest[0])
		if k < 0 {
			return nil, false
		}
		return rest[1 : 1+k], true
	}
}

// decode transcodes input (from skip on) to UTF-8.
func (e *encoding) decode(in []byte, skip int) ([]byte, error) {
	switch e.kind {
	case encUTF8:
		return in, nil
	case encASCII:
		for i, c := range in {
			if c >= utf8.RuneSelf {
				return nil, &SyntaxError{i, fmt.Sprintf("byte %#02x is not US-ASCII", c)}
			}
		}
		return in, nil
	case encSingleByte:
		return e.decodeSingleByte(in)
	}
	return e.decodeUTF16(in, skip)
}

// utf8Table holds the UTF-8 of each byte of a single-byte encoding (n == 0:
// not a character of the encoding).
type utf8Table [256]struct {
	n uint8
	b [3]byte
}

var tables sync.Map // *charmap.Charmap → *utf8Table

func tableOf(cm *charmap.Charmap) *utf8Table {
	if t, ok := tables.Load(cm); ok {
		return t.(*utf8Table)
	}
	t := new(utf8Table)
	for i := range t {
		r := cm.DecodeByte(byte(i))
		if r == utf8.RuneError {
			continue // x/text's mark for an undefined byte
		}
		t[i].n = uint8(utf8.EncodeRune(t[i].b[:], r))
	}
	v, _ := tables.LoadOrStore(cm, t)
	return v.(*utf8Table)
}

func (e *encoding) decodeSingleByte(in []byte) ([]byte, error) {
	t := tableOf(e.cm)
	size := 0
	for i, c := range in {
		n := int(t[c].n)
		if n == 0 {
			return nil, &SyntaxError{i, fmt.Sprintf("byte %#02x is not a character in %s", c, e.name)}
		}
		size += n
	}
	if size > MaxTranscodedSize {
		return nil, &LimitError{"MaxTranscodedSize", MaxTranscodedSize}
	}
	out := make([]byte, 0, size)
	for _, c := range in {
		if c < utf8.RuneSelf {
			out = append(out, c)
			continue
		}
		out = append(out, t[c].b[:t[c].n]...)
	}
	return out, nil
}

func (e *encoding) decodeUTF16(in []byte, skip int) ([]byte, error) {
	if (len(in)-skip)%2 != 0 {
		return nil, &SyntaxError{len(in) - 1, "UTF-16 input of an odd number of bytes"}
	}
	unit := func(i int) rune {
		if e.kind == encUTF16LE {
			return rune(in[i]) | rune(in[i+1])<<8
		}
		return rune(in[i])<<8 | rune(in[i+1])
	}
	// The first pass checks the surrogate pairs (§2.2: an unpaired
	// surrogate is not a character) and sizes the output.
	size := 0
	for i := skip; i < len(in); i += 2 {
		r := unit(i)
		switch {
		case utf16.IsSurrogate(r):
			if r >= 0xDC00 || i+4 > len(in) {
				return nil, &SyntaxError{i, "unpaired UTF-16 surrogate"}
			}
			if r2 := unit(i + 2); r2 < 0xDC00 || r2 > 0xDFFF {
				return nil, &SyntaxError{i, "unpaired UTF-16 surrogate"}
			}
			size += 4
			i += 2
		default:
			size += utf8.RuneLen(r)
		}
	}
	if size > MaxTranscodedSize {
		return nil, &LimitError{"MaxTranscodedSize", MaxTranscodedSize}
	}
	out := make([]byte, 0, size)
	for i := skip; i < len(in); i += 2 {
		r := unit(i)
		if utf16.IsSurrogate(r) {
			r = utf16.DecodeRune(r, unit(i+2))
			i += 2
		}
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}
