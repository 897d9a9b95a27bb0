package utf16text

import (
	"bytes"
	"testing"
)

func TestBOM(t *testing.T) {
	for _, tc := range []struct {
		in     string
		le, ok bool
	}{
		{"\xff\xfeM\x00", true, true},
		{"\xfe\xff\x00M", false, true},
		{"\xff", false, false},
		{"\xef\xbb\xbfM", false, false},
		{"M\x00", false, false},
		{"", false, false},
	} {
		if le, ok := BOM([]byte(tc.in)); le != tc.le || ok != tc.ok {
			t.Errorf("BOM(%q) = %v, %v; want %v, %v", tc.in, le, ok, tc.le, tc.ok)
		}
	}
}

func TestASCII(t *testing.T) {
	for _, tc := range []struct {
		name  string
		in    string
		le    bool
		text  string
		whole bool
	}{
		{"LE", "M\x00I\x00I\x00", true, "MII", true},
		{"BE", "\x00M\x00I\x00I", false, "MII", true},
		{"empty", "", true, "", true},
		{"odd byte left", "M\x00I", true, "M", false},
		{"stops at non-ASCII", "M\x00\x1f\x04I\x00", true, "M", false},
		{"stops at NUL", "M\x00\x00\x00I\x00", true, "M", false},
		{"stops at 0x80", "M\x00\x80\x00", true, "M", false},
		{"wrong order", "M\x00I\x00", false, "", false},
	} {
		text, whole := ASCII([]byte(tc.in), tc.le)
		if !bytes.Equal(text, []byte(tc.text)) || whole != tc.whole {
			t.Errorf("%s: ASCII = %q, %v; want %q, %v", tc.name, text, whole, tc.text, tc.whole)
		}
	}
}
