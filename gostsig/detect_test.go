package gostsig

import (
	"bytes"
	"encoding/base64"
	"testing"
)

// A DER signature ends wherever its last INTEGER or OCTET STRING ends, and
// about one in fifty ends in a byte that is ASCII white space. Trimming it
// would turn a valid signature into FORMAT_FAILURE.
func TestDetectKeepsTrailingDERBytes(t *testing.T) {
	for _, last := range []byte(" \t\n\v\f\r") {
		der := []byte{0x30, 0x03, 0x04, 0x01, last}
		got := detect(der)
		if got.format != FormatCMS || !bytes.Equal(got.data, der) {
			t.Errorf("last byte %#x: detect = %v %x, want CMS %x", last, got.format, got.data, der)
		}
	}
}

func TestDetectTrimsTextForms(t *testing.T) {
	got := detect([]byte("\xef\xbb\xbf  \n<a/>\r\n "))
	if got.format != FormatXMLDSig || string(got.data) != "<a/>" {
		t.Errorf("XML: detect = %v %q", got.format, got.data)
	}
	got = detect([]byte("\n MAMEAQA=\n")) // base64 of 30 03 04 01 00
	if got.format != FormatCMS || !bytes.Equal(got.data, []byte{0x30, 0x03, 0x04, 0x01, 0x00}) {
		t.Errorf("base64: detect = %v %x", got.format, got.data)
	}
}

// UTF-16 XML (XML 1.0 Appendix F) is XML, passed on whole: a byte order mark
// or '<' beside a zero byte. Trimming it as text would cut a code unit.
func TestDetectUTF16XML(t *testing.T) {
	le := func(s string) string {
		var b []byte
		for _, c := range []byte(s) {
			b = append(b, c, 0)
		}
		return string(b)
	}
	be := func(s string) string {
		var b []byte
		for _, c := range []byte(s) {
			b = append(b, 0, c)
		}
		return string(b)
	}
	decl := `<?xml version="1.0" encoding="UTF-16"?><a/>` + "\n"
	for _, tc := range []struct {
		name, in string
		xml      bool
	}{
		{"LE BOM", "\xff\xfe" + le(decl), true},
		{"BE BOM", "\xfe\xff" + be(decl), true},
		{"LE BOM, leading space", "\xff\xfe" + le("\r\n <a/>"), true},
		{"LE no BOM", le(decl), true},
		{"BE no BOM", be(decl), true},
		{"BE BOM, not XML", "\xfe\xff" + be("hello"), false},
		{"UTF-32 LE BOM", "\xff\xfe\x00\x00<\x00\x00\x00", false},
		{"BOM only", "\xff\xfe", false},
	} {
		got := detect([]byte(tc.in))
		if tc.xml && (got.format != FormatXMLDSig || string(got.data) != tc.in) {
			t.Errorf("%s: detect = %v %q, want XML, the input whole", tc.name, got.format, got.data)
		}
		if !tc.xml && got.format == FormatXMLDSig {
			t.Errorf("%s: detected as XML", tc.name)
		}
	}
	// base64 of UTF-16 XML
	in := "\xff\xfe" + le(decl)
	got := detect([]byte(base64.StdEncoding.EncodeToString([]byte(in))))
	if got.format != FormatXMLDSig || string(got.data) != in {
		t.Errorf("base64 of UTF-16 XML: detect = %v %q", got.format, got.data)
	}
}

// Base64 and PEM saved as UTF-16 text (Windows PowerShell 5.1 writes
// UTF-16LE by default) are decoded like their UTF-8 forms; UTF-16 text
// that is not ASCII, or of odd length, stays a FORMAT_FAILURE.
func TestDetectUTF16Text(t *testing.T) {
	der := []byte{0x30, 0x03, 0x04, 0x01, 0x00}
	b64 := base64.StdEncoding.EncodeToString(der)
	pemText := "-----BEGIN PKCS7-----\r\n" + b64 + "\r\n-----END PKCS7-----\r\n"
	xmlB64 := base64.StdEncoding.EncodeToString([]byte("<a/>"))
	utf16 := func(bom string, bigEndian bool, s string) []byte {
		b := []byte(bom)
		for _, c := range []byte(s) {
			if bigEndian {
				b = append(b, 0, c)
			} else {
				b = append(b, c, 0)
			}
		}
		return b
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want Format
		data []byte // nil: FORMAT_FAILURE (no data)
	}{
		{"base64 LE BOM", utf16("\xff\xfe", false, b64+"\r\n"), FormatCMS, der},
		{"base64 BE BOM", utf16("\xfe\xff", true, b64), FormatCMS, der},
		{"base64 LE no BOM", utf16("", false, b64), FormatCMS, der},
		{"base64 BE no BOM", utf16("", true, b64), FormatCMS, der},
		{"PEM LE BOM", utf16("\xff\xfe", false, pemText), FormatCMS, der},
		{"base64 of XML LE BOM", utf16("\xff\xfe", false, xmlB64), FormatXMLDSig, []byte("<a/>")},
		{"odd length", append(utf16("\xff\xfe", false, b64), 'x'), FormatCMS, nil},
		{"non-ASCII unit", append(utf16("\xff\xfe", false, b64), 0x1F, 0x04), FormatCMS, nil},
		{"NUL unit", append(utf16("\xff\xfe", false, b64), 0, 0), FormatCMS, nil},
		{"not base64", utf16("\xff\xfe", false, "hello, world"), FormatCMS, nil},
		{"BOM only", []byte("\xff\xfe"), FormatCMS, nil},
	} {
		got := detect(tc.in)
		if got.format != tc.want || !bytes.Equal(got.data, tc.data) || (tc.data == nil) != (got.data == nil) {
			t.Errorf("%s: detect = %v %x, want %v %x", tc.name, got.format, got.data, tc.want, tc.data)
		}
	}
}
