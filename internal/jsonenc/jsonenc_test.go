package jsonenc

import (
	"bytes"
	"encoding/json"
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
// of the eight-byte scans.
var tricky = []string{
	"", "plain", "Подпись недействительна: «документ» изменён", "quote \" backslash \\ slash /",
	"controls \x00\x01\x1f\b\f\n\r\t\x7f", "html <a href='x'>&amp;</a>", "\u2028\u2029 separators",
	"invalid \xff\xfe utf-8 \xc3", "truncated \xd0", "overlong \xc0\xaf \xc1\xbf \xe0\x80\xaf", "surrogate \xed\xa0\x80",
	"4-byte 😀 𝄞", "№ 3-byte", "\xc2\xa0 nbsp", "ДДДД\xd0", "ДДД\xd0\xd0", "\xd0\x80\xd0\x80\xd0\x80\xd0\x80",
	"\xdf\xbf\xdf\xbf\xdf\xbf\xdf\xbf", "\xc2\x80\xc2\x80\xc2\x80\xc2\x80", "\xc1\x80\xd0\x80\xd0\x80\xd0\x80",
	"\xd0\xc0\xd0\x80\xd0\x80\xd0\x80", "\xd0\x80\xd0\x80\xd0\x80\xd0\x7f", "abcdefg\x1f", "abcdefg\"", "abcdefg\\", "\x7f\x7f\x7f\x7f\x7f\x7f\x7f\x7f",
	"CN=Тестовый головной УЦ,O=АО \"Тест\",C=RU", "2025-06-01T12:00:00Z", "0123456789ABCDEF0123456789ABCDEF",
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range tricky {
		for pad := range 9 {
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

func TestPlainWords(t *testing.T) {
	for c := range 256 {
		w := lo * uint64(c)
		want := c >= 0x20 && c < 0x80 && c != '"' && c != '\\'
		if asciiPlain(w) != want {
			t.Errorf("asciiPlain(%#x × 8) = %v", c, !want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
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
