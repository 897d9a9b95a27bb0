package main

import (
	"bytes"
	"encoding/base64"
	"io"
	"os"
	"strings"

	"gostsig.dev/internal/utf16text"
)

// Signature sniffing for "verify DIR" (which files of a directory are
// signatures) and for the hint when CONTENT looks like a signature.
//
// gostsig's format detection decides which parser reads an input it is
// told is a signature (anything not XML is CMS there); this asks the other
// question — is a file a signature at all? — and must not claim
// certificates, CRLs or documents. The rules, on the file's first
// sniffWindow bytes (UTF-8 BOM and leading white space removed):
//
//   - DER/BER: a ContentInfo of type id-signedData (RFC 5652 §3, §5.1):
//     SEQUENCE, any length form, then OID 1.2.840.113549.1.7.2;
//   - PEM: a BEGIN line of type PKCS7, CMS, SIGNED DATA or PKCS #7 SIGNED
//     DATA (RFC 7468 §8 and what CryptoPro and OpenSSL write);
//   - base64 of such a DER;
//   - the PEM or base64 above as ASCII text in UTF-16 with its BOM
//     (Windows PowerShell 5.1 saves text so by default);
//   - XML (UTF-8, a single-byte encoding, or UTF-16 with its BOM) that uses
//     the XMLDSig namespace anywhere in the file — an SMEV message's
//     signature may follow megabytes of payload, so the whole file is
//     scanned, streaming.
//
// Certificates-only PKCS #7 bundles (.p7b/.p7c) are SignedData too; the
// directory walk tells them apart by extension.

// sniffWindow is how much of a file is read to classify it.
const sniffWindow = 8 << 10

// xmldsigNS is the XMLDSig namespace (XMLDSig 1.0 §4; SMEV 2/3 and WS-Security
// signatures bind their ds: prefix to it).
const xmldsigNS = "http://www.w3.org/2000/09/xmldsig#"

// signedDataOID is the DER of OID id-signedData 1.2.840.113549.1.7.2.
var signedDataOID = []byte{0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02}

// sniffResult is what a file looks like.
type sniffResult struct {
	kind string // "CMS" or "XML" when the file is a signature, else ""
	why  string // when kind is "": what the file is instead, for the skip list
}

// sniffFile classifies the file at path; err only when it cannot be read.
func sniffFile(path string) (sniffResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return sniffResult{}, err
	}
	defer f.Close()
	head := make([]byte, sniffWindow)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return sniffResult{}, err
	}
	head = head[:n]
	r := sniffBytes(head)
	if r.kind != "XML?" {
		return r, nil
	}
	// XML: look for the namespace in the whole file.
	found, err := containsStream(io.MultiReader(bytes.NewReader(head), f), xmlPattern(head))
	if err != nil {
		return sniffResult{}, err
	}
	if found {
		return sniffResult{kind: "XML"}, nil
	}
	return sniffResult{why: skipUnsignedXML}, nil
}

// sniffBytes classifies the first bytes of a file. It returns kind "XML?"
// for XML whose namespace was not seen in b: the caller scans further.
func sniffBytes(b []byte) sniffResult {
	if len(b) == 0 {
		return sniffResult{why: skipEmpty}
	}
	if le, ok := utf16text.BOM(b); ok {
		// UTF-16 text that does not start with '<' is not XML: base64
		// or PEM saved as UTF-16 (Windows PowerShell 5.1's default) is
		// judged like its UTF-8 form, the ASCII text it begins with.
		text, _ := utf16text.ASCII(b[2:], le)
		if text = bytes.TrimLeft(text, " \t\r\n"); len(text) == 0 || text[0] != '<' {
			if len(text) == 0 {
				return sniffResult{why: skipNeither}
			}
			return sniffBytes(text)
		}
		if bytes.Contains(b, xmlPattern(b)) {
			return sniffResult{kind: "XML"}
		}
		return sniffResult{kind: "XML?"}
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	b = bytes.TrimLeft(b, " \t\r\n")
	switch {
	case len(b) == 0:
		return sniffResult{why: skipWhiteSpace}
	case b[0] == 0x30:
		if isSignedData(b) {
			return sniffResult{kind: "CMS"}
		}
		return sniffResult{why: skipBinary}
	case b[0] == '<':
		if bytes.Contains(b, xmldsigNSBytes) {
			return sniffResult{kind: "XML"}
		}
		return sniffResult{kind: "XML?"}
	case bytes.HasPrefix(b, []byte("-----BEGIN ")):
		typ, _, _ := bytes.Cut(b[len("-----BEGIN "):], []byte("-----"))
		switch string(typ) {
		case "PKCS7", "CMS", "SIGNED DATA", "PKCS #7 SIGNED DATA":
			return sniffResult{kind: "CMS"}
		}
		if len(typ) > 40 {
			typ = typ[:40]
		}
		return sniffResult{why: skipPEMPrefix + strings.ToValidUTF8(string(typ), "?") + skipPEMSuffix}
	}
	if der := base64Head(b); der != nil && isSignedData(der) {
		return sniffResult{kind: "CMS"}
	}
	return sniffResult{why: skipNeither}
}

// isSignedData reports whether der begins as a ContentInfo of type
// id-signedData: a SEQUENCE with a short, long (up to 4 octets) or
// indefinite length, then the OID.
func isSignedData(der []byte) bool {
	if len(der) < 2 || der[0] != 0x30 {
		return false
	}
	hdr := 2
	switch l := der[1]; {
	case l > 0x84:
		return false
	case l > 0x80:
		hdr += int(l & 0x7f)
	}
	return len(der) > hdr && bytes.HasPrefix(der[hdr:], signedDataOID)
}

// base64Head decodes the start of base64 text (standard or URL alphabet,
// line breaks allowed) far enough to see a DER header; nil if it is not
// base64.
func base64Head(b []byte) []byte {
	var clean []byte
	for _, c := range b {
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			continue
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/', c == '-', c == '_':
			clean = append(clean, c)
		default:
			return nil // '=' padding can only end a tiny input; anything else is not base64
		}
		if len(clean) == 64 {
			break
		}
	}
	clean = clean[:len(clean)/4*4]
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		if out, err := enc.DecodeString(string(clean)); err == nil && len(out) > 0 {
			return out
		}
	}
	return nil
}

// xmlPattern is the XMLDSig namespace as it is encoded in a document that
// starts like head: UTF-16 with its BOM, or ASCII-compatible bytes. The
// result is shared: do not modify it.
func xmlPattern(head []byte) []byte {
	if _, ok := utf16text.BOM(head); ok {
		return xmldsigNSUTF16
	}
	return xmldsigNSBytes
}

// The namespace as xmlPattern looks for it, made once rather than for
// every file sniffed. In UTF-16 it is ASCII, so its characters with a zero
// byte between each two are found in either byte order: "h\x00t\x00…#"
// is in little-endian "h\x00t\x00…#\x00" and in big-endian
// "\x00h\x00t…\x00#".
var (
	xmldsigNSBytes = []byte(xmldsigNS)
	xmldsigNSUTF16 = interleaveZeros(xmldsigNS)
)

// interleaveZeros returns the bytes of s with a zero byte between each
// two.
func interleaveZeros(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for i := range len(s) {
		if i > 0 {
			out = append(out, 0)
		}
		out = append(out, s[i])
	}
	return out
}

// containsStream reports whether r holds pat, reading at most
// maxSignatureFile bytes in sniffWindow chunks (overlapping by len(pat)-1).
func containsStream(r io.Reader, pat []byte) (bool, error) {
	buf := make([]byte, 0, sniffWindow+len(pat))
	chunk := make([]byte, sniffWindow)
	var total int64
	for total <= maxSignatureFile {
		n, err := r.Read(chunk)
		total += int64(n)
		buf = append(buf, chunk[:n]...)
		if bytes.Contains(buf, pat) {
			return true, nil
		}
		if keep := len(pat) - 1; len(buf) > keep {
			buf = append(buf[:0], buf[len(buf)-keep:]...)
		}
		if err == io.EOF {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	return false, nil
}
