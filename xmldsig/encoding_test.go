package xmldsig

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/charmap"
)

// writeIn writes the UTF-8 message src in enc, its XML declaration (added
// if it has none) naming enc, as a producer writing enc would: the
// signatures, made over the canonical (UTF-8) form, stay valid.
func writeIn(t *testing.T, src []byte, enc string) []byte {
	t.Helper()
	if bytes.HasPrefix(src, []byte("<?xml")) {
		src = src[bytes.Index(src, []byte("?>"))+2:]
	}
	text := `<?xml version="1.0" encoding="` + strings.TrimSuffix(strings.TrimSuffix(enc, "LE"), "BE") + `"?>` + string(src)
	switch enc {
	case "UTF-16LE", "UTF-16BE":
		out := []byte{0xFE, 0xFF}
		if enc == "UTF-16LE" {
			out = []byte{0xFF, 0xFE}
		}
		for _, u := range utf16.Encode([]rune(text)) {
			if enc == "UTF-16LE" {
				out = append(out, byte(u), byte(u>>8))
			} else {
				out = append(out, byte(u>>8), byte(u))
			}
		}
		return out
	}
	cm := map[string]*charmap.Charmap{"windows-1251": charmap.Windows1251, "KOI8-R": charmap.KOI8R, "ISO-8859-5": charmap.ISO8859_5}[enc]
	out, err := cm.NewEncoder().Bytes([]byte(text))
	if err != nil {
		t.Fatalf("writing the message in %s: %v", enc, err)
	}
	return out
}

// TestVerifyEncodings: real SMEV 2 and SMEV 3 messages (and the generated
// MTOM one, whose XOP parts are inlined into the transcoded text) verify in
// every encoding the parser reads, and smevverify.py (lxml) agrees.
func TestVerifyEncodings(t *testing.T) {
	for _, f := range []string{
		"testdata/smev/smev2-wss/ovirug_debts.xml",
		"testdata/smev/smev3-2012/gosha_SendRequestRequest_caller.xml",
		genDir + "smev3_mtom_attachments_256.xml",
	} {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var opt *Options
		if strings.Contains(f, "mtom") {
			opt = genOptions(t)
		}
		for _, enc := range []string{"windows-1251", "KOI8-R", "ISO-8859-5", "UTF-16LE", "UTF-16BE"} {
			t.Run(filepath.Base(f)+"/"+enc, func(t *testing.T) {
				msg := writeIn(t, src, enc)
				res, err := Verify(msg, opt)
				if err != nil {
					t.Fatal(err)
				}
				if len(res.Signatures) == 0 {
					t.Fatal("no signatures")
				}
				for _, s := range res.Signatures {
					if !s.Passed() {
						for _, c := range s.Checks {
							t.Logf("%s: %s %s %s", s.Name, c.Name, c.Status, c.Detail)
						}
						t.Errorf("%s did not pass", s.Name)
					}
				}
				if opt != nil {
					return // the oracle cannot read MTOM (TestGeneratedOracle inlines it)
				}
				t.Run("smevverify.py", func(t *testing.T) {
					oracleAvailable(t)
					path := filepath.Join(t.TempDir(), "msg.xml")
					if err := os.WriteFile(path, msg, 0o600); err != nil {
						t.Fatal(err)
					}
					out := runOracle(t, path)
					if len(out.Signatures) != len(res.Signatures) {
						t.Fatalf("oracle found %d signatures, we %d", len(out.Signatures), len(res.Signatures))
					}
					checkOracleOK(t, out, "OK")
				})
			})
		}
	}
}

// A changed letter in a windows-1251 message breaks the digest: the text is
// read, not skipped.
func TestVerifyEncodingTampered(t *testing.T) {
	src, err := os.ReadFile("testdata/smev/smev2-wss/ovirug_debts.xml")
	if err != nil {
		t.Fatal(err)
	}
	msg := writeIn(t, src, "windows-1251")
	i := bytes.Index(msg, []byte("Body"))
	for i >= 0 && i < len(msg) && (msg[i] < 0xC0 || msg[i] == 0xFF) { // а..ю
		i++
	}
	if i < 0 || i == len(msg) {
		t.Fatal("no Cyrillic letter in the body")
	}
	msg[i]++ // the next letter of the alphabet
	res, err := Verify(msg, nil)
	if err != nil {
		t.Fatal(err)
	}
	digestFailed := false
	for _, s := range res.Signatures {
		for _, c := range s.Checks {
			digestFailed = digestFailed || (c.Name == CheckReferenceDigest && c.Status == StatusFailed)
		}
	}
	if !digestFailed {
		t.Error("a changed letter did not fail a reference digest")
	}
}

// An encoding the parser does not read is a *FormatError naming it.
func TestVerifyUnsupportedEncoding(t *testing.T) {
	src, err := os.ReadFile("testdata/smev/smev2-wss/ovirug_debts.xml")
	if err != nil {
		t.Fatal(err)
	}
	msg := bytes.Replace(src, []byte(`encoding="UTF-8"`), []byte(`encoding="IBM866"`), 1)
	_, err = Verify(msg, nil)
	var fe *FormatError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), `encoding "IBM866" is not supported`) {
		t.Fatalf("Verify: %v, want a *FormatError naming IBM866", err)
	}
}
