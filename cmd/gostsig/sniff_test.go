package main

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

// utf16LE and utf16BE return s in UTF-16 with its byte order mark.
func utf16LE(s string) []byte { return utf16Doc(s, true) }
func utf16BE(s string) []byte { return utf16Doc(s, false) }

func utf16Doc(s string, le bool) []byte {
	out := []byte{0xfe, 0xff}
	if le {
		out = []byte{0xff, 0xfe}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if le {
			out = append(out, byte(u), byte(u>>8))
		} else {
			out = append(out, byte(u>>8), byte(u))
		}
	}
	return out
}

func TestSniffFile(t *testing.T) {
	p7s := readSample(t, "hello.p7s") // PEM "CMS"
	blk, _ := pem.Decode(p7s)
	der := blk.Bytes
	sig := readSample(t, "hello.txt.sig")
	root := readSample(t, "root.pem")
	rootDER, _ := pem.Decode(root)
	longPayload := strings.Repeat("<p>данные</p>", 3*sniffWindow)
	signedXML := `<?xml version="1.0" encoding="UTF-8"?><Envelope><Body>` + longPayload +
		`</Body><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></Envelope>`
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		data []byte
		kind string
		why  string
	}{
		{"PEM CMS", p7s, "CMS", ""},
		{"DER", der, "CMS", ""},
		{"DER detached", sig, "CMS", ""},
		{"BOM and blank lines before PEM", append([]byte("\xef\xbb\xbf\r\n\n"), p7s...), "CMS", ""},
		{"base64 with line breaks", []byte(wrap64(sig)), "CMS", ""},
		{"base64 URL alphabet", []byte(base64.RawURLEncoding.EncodeToString(sig)), "CMS", ""},
		{"XML signature after a long payload", []byte(signedXML), "XML", ""},
		{"UTF-16 XML signature", utf16LE(signedXML), "XML", ""},
		{"UTF-16BE XML signature", utf16BE(signedXML), "XML", ""},
		{"UTF-16 XML signature in the first bytes", utf16LE(`<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>`), "XML", ""},
		{"UTF-16 unsigned XML", utf16LE("<doc>" + longPayload + "</doc>"), "", "XML without an XMLDSig signature"},
		{"UTF-16BE unsigned XML", utf16BE("<doc>" + longPayload + "</doc>"), "", "XML without an XMLDSig signature"},
		{"UTF-16BE PEM", utf16BE(string(p7s)), "CMS", ""},
		{"UTF-16 base64", utf16LE(wrap64(sig)), "CMS", ""},
		{"UTF-16 PEM", utf16LE(string(p7s)), "CMS", ""},
		{"UTF-16 text", utf16LE("hello, world"), "", "neither CMS nor XML"},
		{"UTF-16 Cyrillic text", utf16LE("документ"), "", "neither CMS nor XML"},
		{"unsigned XML", []byte("<doc>" + longPayload + "</doc>"), "", "XML without an XMLDSig signature"},
		{"PEM certificate", root, "", "PEM CERTIFICATE, not a signature"},
		{"DER certificate", rootDER.Bytes, "", "binary, not a CMS SignedData"},
		{"text", []byte("hello, world"), "", "neither CMS nor XML"},
		{"base64 of a certificate", []byte(base64.StdEncoding.EncodeToString(rootDER.Bytes)), "", "neither CMS nor XML"},
		{"empty", nil, "", "empty file"},
		{"blank", []byte(" \n"), "", "white space only"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := writeFile(t, dir, strings.ReplaceAll(tc.name, " ", "_"), tc.data)
			r, err := sniffFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if r.kind != tc.kind || r.why != tc.why {
				t.Errorf("sniffFile = %+v, want kind %q why %q", r, tc.kind, tc.why)
			}
		})
	}
	if _, err := sniffFile(filepath.Join(dir, "absent")); !os.IsNotExist(err) {
		t.Errorf("absent file: %v", err)
	}
}

// FuzzSniffBytes: sniffing never panics, and what it calls CMS starts as
// a SignedData (directly or in PEM/base64).
func FuzzSniffBytes(f *testing.F) {
	for _, n := range []string{"hello.p7s", "hello.txt.sig", "root.pem", "hello.txt"} {
		if b, err := os.ReadFile(sampleDir + n); err == nil {
			f.Add(b)
		}
	}
	f.Add(utf16LE(`<a xmlns="http://www.w3.org/2000/09/xmldsig#"/>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := sniffBytes(data)
		if (r.kind == "") == (r.why == "") {
			t.Fatalf("kind %q with reason %q", r.kind, r.why)
		}
		if r.kind == "CMS" {
			b := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
			if !isSignedData(b) && !bytes.HasPrefix(b, []byte("-----BEGIN ")) && !isSignedData(base64Head(b)) {
				t.Fatal("CMS without a SignedData header")
			}
		}
	})
}
