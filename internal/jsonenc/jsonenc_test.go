package jsonenc

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

// reference is what encoding/json writes for s without HTML escaping:
// Marshal, the reflective path.
func reference(t testing.TB, s string) []byte {
	t.Helper()
	b, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
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
	bothPaths(t, testAppendStringMatchesEncodingJSON)
}

func testAppendStringMatchesEncodingJSON(t *testing.T) {
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

func TestAppendStringAlignments(t *testing.T) { bothPaths(t, testAppendStringAlignments) }

func testAppendStringAlignments(t *testing.T) {
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
func TestAppendStringRandom(t *testing.T) { bothPaths(t, testAppendStringRandom) }

func testAppendStringRandom(t *testing.T) {
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

func TestGoodPrefix(t *testing.T) { bothPaths(t, testGoodPrefix) }

func testGoodPrefix(t *testing.T) {
	check := func(s string, i int) {
		t.Helper()
		if got, want := goodPrefix(s, i), goodPrefixRef(s, i); got != want {
			t.Fatalf("goodPrefix(%q, %d) = %d, want %d", s, i, got, want)
		}
	}
	// Every byte pair at every offset of ASCII, aligned and shifted
	// Cyrillic, and continuation-byte fills, within and across words.
	// Offsets: each side of the 8-, 16- and 32-byte block boundaries.
	offsets := []int{0, 1, 6, 7, 8, 14, 15, 16, 17, 30, 31, 32, 33}
	if testing.Short() {
		offsets = []int{0, 5, 10, 15, 31} // both words of a block, its last byte, the 32-byte boundary
	}
	fills := []string{strings.Repeat("a", 40), strings.Repeat("Ж", 20), "a" + strings.Repeat("Ж", 20), strings.Repeat("\x80", 40)}
	for c := range 256 {
		for d := range 256 {
			pair := string([]byte{byte(c), byte(d)})
			for _, fill := range fills {
				for _, k := range offsets {
					check(fill[:k]+pair+fill[k:], 0)
					check(fill[:k]+pair, 0)
				}
			}
			check(pair, 0)
			check(pair[:1], 0)
		}
	}
	// Every byte at every offset of two 32-byte blocks and a tail.
	for _, fill := range fills {
		fill = strings.Repeat(fill, 3)[:77]
		for c := range 256 {
			for k := range len(fill) {
				check(fill[:k]+string([]byte{byte(c)})+fill[k+1:], 0)
				check(fill[:k+1], 0)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 80)
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
		want := reference(t, s)
		for _, vec := range []bool{true, false} {
			restore := setAVX2(vec)
			got := AppendString(nil, s)
			restore()
			if !bytes.Equal(got, want) {
				t.Fatalf("avx2=%v: AppendString(%q) = %s, want %s", vec, s, got, want)
			}
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
		for _, vec := range []bool{true, false} {
			name := s.name + "/avx2"
			if !vec {
				name = s.name + "/portable"
			}
			b.Run(name, func(b *testing.B) {
				defer setAVX2(vec)()
				b.SetBytes(int64(len(s.s)))
				buf := make([]byte, 0, 1024)
				for b.Loop() {
					buf = AppendString(buf[:0], s.s)
				}
				sink = buf
			})
		}
	}
}

// bothPaths runs test on the AVX2 scan (where the CPU has it) and on the
// portable one.
func bothPaths(t *testing.T, test func(t *testing.T)) {
	t.Run("avx2", func(t *testing.T) {
		if !useAVX2 {
			t.Skip("no AVX2 (or purego): the portable subtest covers this machine")
		}
		test(t)
	})
	t.Run("portable", func(t *testing.T) {
		defer setAVX2(false)()
		test(t)
	})
}

// TestGoodPrefixBlockBoundaries places every window of one to three bytes
// drawn from each byte class the scans tell apart at every offset around the 8-, 16- and 32-byte block boundaries
// and the end of the string, in runs of ASCII, Cyrillic at both parities
// and stray continuation bytes.
func TestGoodPrefixBlockBoundaries(t *testing.T) { bothPaths(t, testGoodPrefixBlockBoundaries) }

func testGoodPrefixBlockBoundaries(t *testing.T) {
	check := func(s string) {
		if got, want := goodPrefix(s, 0), goodPrefixRef(s, 0); got != want {
			t.Fatalf("goodPrefix(%q, 0) = %d, want %d", s, got, want)
		}
	}
	classes := []byte{0x00, 0x1F, 0x20, 'a', '"', '\\', 0x7F, 0x80, 0xA8, 0xBF, 0xC0, 0xC1, 0xC2, 0xD0, 0xDF, 0xE0, 0xE2, 0xEF, 0xF0, 0xF4, 0xF8, 0xFF}
	fills := []string{strings.Repeat("a", 100), strings.Repeat("Ж", 50), "a" + strings.Repeat("Ж", 50), strings.Repeat("\x80", 100)}
	var offsets []int
	for _, b := range []int{8, 16, 32, 64} {
		for d := -3; d <= 1; d++ {
			offsets = append(offsets, b+d)
		}
	}
	var windows []string
	for _, c := range classes {
		windows = append(windows, string([]byte{c}))
		for _, d := range classes {
			for _, e := range classes {
				windows = append(windows, string([]byte{c, d, e}))
			}
		}
	}
	for _, c := range classes {
		for _, d := range classes {
			windows = append(windows, string([]byte{c, d}))
		}
	}
	// (Every two-byte value at these offsets: TestGoodPrefix.)
	for _, fill := range fills {
		for _, w := range windows {
			for _, k := range offsets {
				check(fill[:k] + w + fill[k+len(w):])
				check(fill[:k] + w)
				check(fill[:k] + w + fill[:32])
			}
		}
	}
}
