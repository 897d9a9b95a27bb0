package jsonenc

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// reference is what encoding/json writes for s without HTML escaping.
func reference(t testing.TB, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})
}

// Tricky strings exercise every branch, each also placed at every offset
// of the sixteen-byte scans.
var tricky = []string{
	"", "plain", "Подпись недействительна: «документ» изменён", "quote \" backslash \\ slash /",
	"controls \x00\x01\x1f\b\f\n\r\t\x7f", "html <a href='x'>&amp;</a>", "\u2028\u2029 separators",
	"invalid \xff\xfe utf-8 \xc3", "truncated \xd0", "overlong \xc0\xaf \xc1\xbf \xe0\x80\xaf", "surrogate \xed\xa0\x80",
	"4-byte 😀 𝄞", "№ 3-byte", "\xc2\xa0 nbsp", "ДДДД\xd0", "ДДД\xd0\xd0", "\xd0\x80\xd0\x80\xd0\x80\xd0\x80",
	"\xdf\xbf\xdf\xbf\xdf\xbf\xdf\xbf", "\xc2\x80\xc2\x80\xc2\x80\xc2\x80", "\xc1\x80\xd0\x80\xd0\x80\xd0\x80",
	"\xd0\xc0\xd0\x80\xd0\x80\xd0\x80", "\xd0\x80\xd0\x80\xd0\x80\xd0\x7f", "abcdefg\x1f", "abcdefg\"", "abcdefg\\", "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f",
	"CN=Тестовый головной УЦ,O=АО \"Тест\",C=RU", "2025-06-01T12:00:00Z", "0123456789ABCDEF0123456789ABCDEF",
	// Mixed scripts: Latin-1, Greek, Cyrillic (two bytes), CJK and symbols
	// (three), emoji (four), next to each other.
	"Ωμέγα Ж café 日本 — № 😀Жé€", "Подпись действительна — сертификат № 7C2A (ГОСТ Р 34.10-2012)",
	// Invalid UTF-8 and separators inside Cyrillic runs.
	"ЖЖЖЖ\xd1ЖЖЖЖЖЖЖЖ", "ЖЖЖ\x80ЖЖЖЖЖЖЖЖ", "ЖЖЖЖЖЖЖЖ\xc0\xafЖЖЖЖ", "ЖЖЖЖЖЖЖЖ\xd0\xd0\x80ЖЖ", "ЖЖЖЖЖЖЖ\xe2\x80ЖЖЖЖ",
	"ЖЖЖ\u2028ЖЖЖЖЖЖЖ\u2029Ж", "ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ\xd0", "ЖЖЖЖЖЖЖЖЖЖЖЖЖЖЖ\"Ж\\Ж\nЖ",
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range tricky {
		for pad := range 17 {
			for _, v := range []string{strings.Repeat("a", pad) + s, strings.Repeat("Ж", pad) + s, s + strings.Repeat("b", pad)} {
				if got, want := AppendString(nil, v), reference(t, v); !bytes.Equal(got, want) {
					t.Errorf("AppendString(%q) = %s, want %s", v, got, want)
				}
			}
		}
	}
	// Every single byte and every two-byte sequence, in a word of its own.
	for c := range 256 {
		for d := range 256 {
			v := string([]byte{byte(c), byte(d)}) + "\xd0\x80\xd0\x80\xd0\x80"
			if got, want := AppendString(nil, v), reference(t, v); !bytes.Equal(got, want) {
				t.Fatalf("AppendString(%q) = %s, want %s", v, got, want)
			}
		}
	}
}

// Needles are the strings a word scan must stop at, or must not: each is
// placed at every byte offset of a run of ASCII, Cyrillic or both, in
// TestAppendStringAlignments.
var needles = []string{
	"\u2028", "\u2029", "\u2027", "\u202a", "\xe2\x80", "\xe2\x80\xa8\xa8", "\xe2\x80\xa8"[:1],
	"\xd0", "\x80", "\xbf", "\xd0\xd0", "\xd0\x7f", "\xd0\xc0", "\xd0\xe2\x80\xa8", "\xd0\"", "\xd0\x00",
	"\xc0\x80", "\xc1\xbf", "\xc2\x80", "\xdf\xbf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf8", "\xff",
	`"`, `\`, "\x00", "\x1f", "\x7f", "\t", "№", "—", "😀", "«»", "é", "Ω", "Ж",
}

func TestAppendStringAlignments(t *testing.T) {
	runs := []func(n int) string{
		func(n int) string { return strings.Repeat("a", n) },
		func(n int) string { return strings.Repeat("a", n%2) + strings.Repeat("Ж", n/2) },
		func(n int) string { return strings.Repeat("Жa", n/3) + strings.Repeat("a", n%3) },
	}
	suffixes := []string{"", "a", "Ж", "ЖЖЖЖЖЖЖЖ", "aaaaaaaaa", "Ж\xd0"}
	for _, needle := range needles {
		for _, run := range runs {
			for n := range 18 {
				for _, suffix := range suffixes {
					v := run(n) + needle + suffix
					if got, want := AppendString(nil, v), reference(t, v); !bytes.Equal(got, want) {
						t.Fatalf("AppendString(%q) = %s, want %s", v, got, want)
					}
				}
			}
		}
	}
}

// TestAppendStringRandom compares with encoding/json on strings pieced
// together from ASCII, Cyrillic, other scripts, escapes and invalid bytes
// (fixed seed, so a failure reproduces).
func TestAppendStringRandom(t *testing.T) {
	pieces := append([]string{"a", "Z", " ", "0", "Д", "я", "ё", "Ё", "Подпись ", "ok "}, needles...)
	rng := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	var sb strings.Builder
	for range n {
		sb.Reset()
		for range rng.IntN(40) {
			if rng.IntN(8) == 0 {
				sb.WriteString(pieces[rng.IntN(len(pieces))])
			} else {
				sb.WriteString(pieces[rng.IntN(10)])
			}
		}
		v := sb.String()
		if got, want := AppendString(nil, v), reference(t, v); !bytes.Equal(got, want) {
			t.Fatalf("AppendString(%q) = %s, want %s", v, got, want)
		}
	}
}

// goodPrefixRef is goodPrefix's contract written unit by unit.
func goodPrefixRef(s string, i int) int {
	for i < len(s) {
		switch c := s[i]; {
		case c >= 0x20 && c < 0x80 && c != '"' && c != '\\':
			i++
		case c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			i += 2
		default:
			return i
		}
	}
	return i
}

func TestGoodPrefix(t *testing.T) {
	check := func(s string, i int) {
		t.Helper()
		if got, want := goodPrefix(s, i), goodPrefixRef(s, i); got != want {
			t.Fatalf("goodPrefix(%q, %d) = %d, want %d", s, i, got, want)
		}
	}
	// Every byte pair at every offset of ASCII, aligned and shifted
	// Cyrillic, and continuation-byte fills, within and across words.
	step := 1
	if testing.Short() {
		step = 5 // offsets 0, 5, 10, 15: both words of a block, its last byte
	}
	fills := []string{strings.Repeat("a", 24), strings.Repeat("Ж", 12), "a" + strings.Repeat("Ж", 12), strings.Repeat("\x80", 24)}
	for c := range 256 {
		for d := range 256 {
			pair := string([]byte{byte(c), byte(d)})
			for _, fill := range fills {
				for k := 0; k < 17; k += step {
					check(fill[:k]+pair+fill[k:], 0)
					check(fill[:k]+pair, 0)
				}
			}
			check(pair, 0)
			check(pair[:1], 0)
		}
	}
	// Every byte at every offset of two sixteen-byte blocks and a tail.
	for _, fill := range fills {
		fill = strings.Repeat(fill, 2)[:45]
		for c := range 256 {
			for k := range len(fill) {
				check(fill[:k]+string([]byte{byte(c)})+fill[k+1:], 0)
				check(fill[:k+1], 0)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 40)
	for range 100000 {
		n := rng.IntN(len(buf))
		for k := range n {
			buf[k] = byte(rng.Uint32())
			if rng.IntN(2) == 0 {
				buf[k] = 0x80 | buf[k]&0x5F // leads C0..DF and continuations
			}
		}
		s := string(buf[:n])
		check(s, rng.IntN(n+1))
	}
}

func TestAppendStringAllocs(t *testing.T) {
	s := "Подпись действительна — сертификат № 7C2A, \"УЦ\"\n"
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() { buf = AppendString(buf[:0], s) }); n != 0 {
		t.Errorf("AppendString into a large enough buffer: %v allocations, want 0", n)
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
	}
	for _, s := range needles {
		f.Add("ЖЖЖЖЖЖЖ" + s + "ЖЖЖЖЖЖЖЖ")
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := AppendString(nil, s), reference(t, s); !bytes.Equal(got, want) {
			t.Fatalf("AppendString(%q) = %s, want %s", s, got, want)
		}
	})
}

var sink []byte

func BenchmarkAppendString(b *testing.B) {
	for _, s := range []struct{ name, s string }{
		{"cyrillic", "сертификат подписанта действителен на 01.06.2025 12:00:00 UTC; цепочка из 3 сертификатов до доверенного корневого сертификата"},
		{"ascii", "0123456789ABCDEF0123456789ABCDEF01234567 2025-06-01T12:00:00Z http://ca.test/ca.crl"},
		{"dn", `CN=Иванов Иван Иванович,SN=Иванов,G=Иван Иванович,O=ООО "Ромашка",L=Москва,ST=77 г. Москва,C=RU,INN=007712345678`},
		{"cyrillic-only", "Подписьдействительнасертификатподписантадействителенцепочкапостроенадоголовногоудостоверяющегоцентра"},
		{"mixed", "Подпись действительна — сертификат № 7C2A…F01E (ГОСТ Р 34.10-2012, 256 бит) выдан «УЦ ФНС России» 2025-06-01T12:00:00Z; CRL http://ca.test/ca.crl"},
		{"short", "Подпись"},
	} {
		b.Run(s.name, func(b *testing.B) {
			b.SetBytes(int64(len(s.s)))
			buf := make([]byte, 0, 1024)
			for b.Loop() {
				buf = AppendString(buf[:0], s.s)
			}
			sink = buf
		})
	}
}
