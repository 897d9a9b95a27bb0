package c14n

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// A real SMEV 2 message (testdata/smev/SOURCES.md): Cyrillic text, written
// in UTF-8 with encoding="UTF-8".
const encodingSample = "../testdata/smev/smev2-wss/ovirug_debts.xml"

// reencode writes the UTF-8 document src in the named encoding, with an
// XML declaration naming decl ("" drops the encoding pseudo-attribute), as
// a producer writing that encoding would.
func reencode(t testing.TB, src []byte, enc, decl string) []byte {
	t.Helper()
	const utf8Decl = `<?xml version="1.0" encoding="UTF-8"?>`
	if !bytes.HasPrefix(src, []byte(utf8Decl)) {
		t.Fatalf("sample does not start with %s", utf8Decl)
	}
	d := `<?xml version="1.0"?>`
	if decl != "" {
		d = `<?xml version="1.0" encoding="` + decl + `"?>`
	}
	text := d + string(src[len(utf8Decl):])
	switch enc {
	case "UTF-8":
		return []byte(text)
	case "UTF-8 BOM":
		return append([]byte("\xef\xbb\xbf"), text...)
	case "UTF-16LE", "UTF-16BE", "UTF-16LE BOM", "UTF-16BE BOM":
		var out []byte
		units := utf16.Encode([]rune(text))
		if strings.HasSuffix(enc, "BOM") {
			units = append([]uint16{0xFEFF}, units...)
		}
		for _, u := range units {
			if strings.HasPrefix(enc, "UTF-16LE") {
				out = append(out, byte(u), byte(u>>8))
			} else {
				out = append(out, byte(u>>8), byte(u))
			}
		}
		return out
	}
	cms := map[string]*charmap.Charmap{"windows-1251": charmap.Windows1251, "KOI8-R": charmap.KOI8R, "ISO-8859-5": charmap.ISO8859_5}
	out, err := cms[enc].NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatalf("encoding the sample in %s: %v", enc, err)
	}
	return out
}

func TestParseEncodings(t *testing.T) {
	src, err := os.ReadFile(encodingSample)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	want, err := AppendCanonical(nil, ref, ref.Root(), Options{Method: Exclusive})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ enc, decl, want string }{
		{"UTF-8", "UTF-8", "UTF-8"},
		{"UTF-8", "", "UTF-8"},
		{"UTF-8 BOM", "utf-8", "UTF-8"},
		{"windows-1251", "windows-1251", "windows-1251"},
		{"windows-1251", "CP1251", "windows-1251"},
		{"KOI8-R", "KOI8-R", "KOI8-R"},
		{"ISO-8859-5", "ISO-8859-5", "ISO-8859-5"},
		{"UTF-16LE BOM", "UTF-16", "UTF-16LE"},
		{"UTF-16BE BOM", "UTF-16", "UTF-16BE"},
		{"UTF-16LE BOM", "", "UTF-16LE"},
		{"UTF-16BE BOM", "UTF-16BE", "UTF-16BE"},
		{"UTF-16LE", "UTF-16", "UTF-16LE"}, // no BOM: Appendix F, 3C 00 3F 00
		{"UTF-16BE", "UTF-16BE", "UTF-16BE"},
	} {
		t.Run(tc.enc+"/"+tc.decl, func(t *testing.T) {
			in := reencode(t, src, tc.enc, tc.decl)
			d, err := Parse(in)
			if err != nil {
				t.Fatal(err)
			}
			if d.Encoding() != tc.want {
				t.Errorf("Encoding() = %q, want %q", d.Encoding(), tc.want)
			}
			got, err := AppendCanonical(nil, d, d.Root(), Options{Method: Exclusive})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("canonical form differs from the UTF-8 original's (%d vs %d bytes)", len(got), len(want))
			}
			// The input, edited, parses again as what it was read as.
			if _, err := ParseDecoded(d.Input(), d.Encoding()); err != nil {
				t.Errorf("ParseDecoded(Input, %q): %v", d.Encoding(), err)
			}
		})
	}
}

// UTF-8 input is parsed in place: no copy, and Decode allocates nothing.
func TestDecodeUTF8ZeroCopy(t *testing.T) {
	src, err := os.ReadFile(encodingSample)
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	if &d.Input()[0] != &src[0] {
		t.Error("Parse copied UTF-8 input")
	}
	if n := testing.AllocsPerRun(100, func() {
		if _, _, err := Decode(src); err != nil {
			t.Fatal(err)
		}
	}); n != 0 {
		t.Errorf("Decode of UTF-8 input: %v allocations, want 0", n)
	}
}

func TestDecodeErrors(t *testing.T) {
	utf16le := func(s string) []byte {
		var b []byte
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	for _, tc := range []struct {
		name, in, want string
	}{
		{"unsupported", `<?xml version="1.0" encoding="Shift_JIS"?><a/>`, `encoding "Shift_JIS" is not supported`},
		{"unsupported-utf16-decl", "\xff\xfe" + string(utf16le(`<?xml version="1.0" encoding="GB2312"?><a/>`)), `encoding "GB2312" is not supported`},
		{"cp1251-undefined-byte", `<?xml version="1.0" encoding="windows-1251"?><a>` + "\x98" + `</a>`, "byte 0x98 is not a character in windows-1251"},
		{"ascii-high-byte", `<?xml version="1.0" encoding="US-ASCII"?><a>` + "\xc3\xa9" + `</a>`, "byte 0xc3 is not US-ASCII"},
		{"utf8-bom-cp1251-decl", "\xef\xbb\xbf" + `<?xml version="1.0" encoding="windows-1251"?><a/>`, "the byte order mark says UTF-8"},
		{"utf16-bom-cp1251-decl", "\xff\xfe" + string(utf16le(`<?xml version="1.0" encoding="windows-1251"?><a/>`)), `the input is UTF-16LE but its XML declaration says "windows-1251"`},
		{"utf16-bom-be-decl", "\xff\xfe" + string(utf16le(`<?xml version="1.0" encoding="UTF-16BE"?><a/>`)), `the input is UTF-16LE but its XML declaration says "UTF-16BE"`},
		{"utf16-decl-in-utf8", `<?xml version="1.0" encoding="UTF-16"?><a/>`, `says "UTF-16" but the input is not UTF-16`},
		{"utf16-odd", "\xff\xfe" + string(utf16le(`<a/>`)) + "\x00", "odd number of bytes"},
		{"utf16-unpaired-high", "\xff\xfe" + string(utf16le(`<a>`)) + "\x00\xd8" + string(utf16le(`</a>`)), "unpaired UTF-16 surrogate"},
		{"utf16-unpaired-low", "\xff\xfe" + string(utf16le(`<a>`)) + "\x00\xdc" + string(utf16le(`</a>`)), "unpaired UTF-16 surrogate"},
		{"utf16-surrogate-at-end", "\xff\xfe" + string(utf16le(`<a/>`)) + "\x00\xd8", "unpaired UTF-16 surrogate"},
		{"utf16-no-bom-no-decl", string(utf16le(`<a/>`)), "without a byte order mark"},
		{"utf32", "\x00\x00\xfe\xff\x00\x00\x00<", "UTF-32"},
		{"ebcdic", "\x4c\x6f\xa7\x94\x93", "EBCDIC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Decode([]byte(tc.in))
			var se *SyntaxError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Decode: %v, want a *SyntaxError containing %q", err, tc.want)
			}
			if _, err := Parse([]byte(tc.in)); err == nil || err.Error() != se.Error() {
				t.Errorf("Parse: %v, want %v", err, se)
			}
		})
	}
}

// The parser, not Decode's scan, has the last word on the declaration: a
// declaration naming another encoding than the one the input was read in is
// refused wherever it is.
func TestParseDeclarationMismatch(t *testing.T) {
	for _, tc := range []struct{ name, enc, in, want string }{
		{"transcoded-reparsed-as-utf8", "UTF-8", `<?xml version="1.0" encoding="windows-1251"?><a>привет</a>`, `says encoding "windows-1251", the input was read as UTF-8`},
		{"koi8-as-cp1251", "windows-1251", `<?xml version="1.0" encoding="KOI8-R"?><a/>`, `says encoding "KOI8-R", the input was read as windows-1251`},
		{"unsupported", "windows-1251", `<?xml version="1.0" encoding="x-unknown"?><a/>`, `encoding "x-unknown" is not supported`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseDecoded([]byte(tc.in), tc.enc)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("ParseDecoded: %v, want %q", err, tc.want)
			}
		})
	}
	if _, err := ParseDecoded([]byte(`<a/>`), "EBCDIC-US"); err == nil || !strings.Contains(err.Error(), `"EBCDIC-US" is not supported`) {
		t.Errorf("ParseDecoded with an unknown encoding: %v", err)
	}
	// Input shorter than four bytes is none of Appendix F's patterns.
	if _, err := Parse([]byte("<")); err == nil || strings.Contains(err.Error(), "UTF-32") {
		t.Errorf(`Parse("<"): %v`, err)
	}
	// A declaration too long for Decode's scan is read as UTF-8 and then
	// refused by the parser, never taken for UTF-8.
	long := `<?xml version="1.0"` + strings.Repeat(" ", maxDeclScan) + `encoding="windows-1251"?><a/>`
	if _, err := Parse([]byte(long)); err == nil || !strings.Contains(err.Error(), "the input was read as UTF-8") {
		t.Errorf("long declaration: %v", err)
	}
}

func TestDecodeTranscodedLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates 34 MB")
	}
	// 'Я' is one byte in windows-1251 and two in UTF-8.
	decl := `<?xml version="1.0" encoding="windows-1251"?><a>`
	in := make([]byte, MaxTranscodedSize/2+len(decl))
	copy(in, decl)
	for i := len(decl); i < len(in); i++ {
		in[i] = 0xDF
	}
	var le *LimitError
	if _, _, err := Decode(in); !errors.As(err, &le) || le.Limit != "MaxTranscodedSize" {
		t.Fatalf("Decode: %v, want a *LimitError for MaxTranscodedSize", err)
	}
}

// FuzzDecode: Decode never panics; what it transcodes is UTF-8 within the
// limit, UTF-8 input comes back as it is, and single-byte encodings round
// trip.
func FuzzDecode(f *testing.F) {
	if src, err := os.ReadFile(encodingSample); err == nil {
		f.Add(reencode(f, src, "windows-1251", "windows-1251"))
		f.Add(reencode(f, src, "UTF-16LE BOM", "UTF-16")[:600])
		f.Add(reencode(f, src, "UTF-16BE", "UTF-16BE")[:600])
	}
	f.Add([]byte(`<?xml version="1.0" encoding="KOI8-R"?><a>` + "\xf0\xd2\xc9\xd7\xc5\xd4" + `</a>`))
	f.Add([]byte("\xff\xfe<\x00a\x00/\x00>\x00"))
	f.Add([]byte("\xfe\xff\xd8\x00\xdc\x00"))
	cms := map[string]*charmap.Charmap{"windows-1251": charmap.Windows1251, "KOI8-R": charmap.KOI8R, "ISO-8859-5": charmap.ISO8859_5, "ISO-8859-1": charmap.ISO8859_1}
	f.Fuzz(func(t *testing.T, in []byte) {
		out, enc, err := Decode(in)
		if err != nil {
			return
		}
		switch enc {
		case "UTF-8", "US-ASCII": // checked by the parser, not by Decode
			if len(out) != len(in) || (len(in) > 0 && &out[0] != &in[0]) {
				t.Fatalf("Decode copied %s input", enc)
			}
		default:
			if !utf8.Valid(out) || len(out) > MaxTranscodedSize {
				t.Fatalf("Decode from %s: invalid UTF-8 or too long", enc)
			}
			if cm := cms[enc]; cm != nil {
				back, err := cm.NewEncoder().Bytes(out)
				if err != nil || !bytes.Equal(back, in) {
					t.Fatalf("%s does not round trip: %v", enc, err)
				}
			}
		}
		if d, err := Parse(in); err == nil && d.Encoding() != enc {
			t.Fatalf("Parse read %s, Decode %s", d.Encoding(), enc)
		}
	})
}

// BenchmarkParseEncodings: Parse of one real message in UTF-8 (in place)
// and transcoded; "UTF-8/decode-only" is what the encoding sniffing adds to
// the UTF-8 path.
func BenchmarkParseEncodings(b *testing.B) {
	src, err := os.ReadFile(encodingSample)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("UTF-8/decode-only", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := Decode(src); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, enc := range []string{"UTF-8", "windows-1251", "UTF-16LE BOM"} {
		in := reencode(b, src, enc, strings.TrimSuffix(strings.TrimSuffix(enc, " BOM"), "LE"))
		b.Run(strings.ReplaceAll(enc, " ", "-"), func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
