package gostsig

import (
	"bytes"
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
