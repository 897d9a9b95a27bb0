package gostsig

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"

	"gostsig.dev/internal/utf16text"
)

// Format detection (interfaces.md: "auto-detection of CMS/XML"). The rules,
// in order:
//
//  0. A UTF-16 byte order mark or '<' in UTF-16 (XML 1.0 Appendix F), after
//     any UTF-16 white space: XML, passed on whole (xmldsig transcodes it).
//
// then on the input with a UTF-8 BOM and leading white space removed
// (trailing white space is removed only from the text forms: the last bytes
// of a DER signature may well be 0x0a or 0x20):
//
//  1. '<' first: XML (in UTF-8 or an encoding its declaration names).
//  2. 0x30 (SEQUENCE) first: CMS in DER or BER.
//  3. "-----BEGIN": PEM; the first block of type PKCS7, CMS or SIGNED DATA
//     (or any block, if none has those types) is CMS.
//  4. Otherwise base64 (standard or URL alphabet, line breaks allowed) of
//     CMS, or of XML (UTF-16 included).
//  5. Otherwise, if the input is ASCII text in UTF-16 (with a byte order
//     mark, or without one when every other byte is zero): rules 1 to 4
//     on that text. Windows PowerShell 5.1 writes UTF-16LE by default
//     (">" and Out-File), so a base64 or PEM signature saved from it
//     arrives so.
//
// Anything else is reported as a CMS FORMAT_FAILURE: binary input that is
// not XML can only have been meant as CMS.

// maxBase64Signature bounds the base64 decoding of an input (its decoded
// size is 3/4 of it); DER input is passed on as it is.
const maxBase64Signature = 1 << 30

var utf8BOM = []byte("\xef\xbb\xbf")

// asciiSpace is the white space bytes.TrimSpace removes from ASCII text.
const asciiSpace = " \t\n\v\f\r"

type detected struct {
	format Format
	data   []byte // the DER/BER of a CMS, or the XML bytes; nil if neither
}

func detect(in []byte) detected {
	if isUTF16XML(in) {
		// Not trimmed: white space is two bytes here.
		return detected{format: FormatXMLDSig, data: in}
	}
	if d := detectText(in); d.data != nil {
		return d
	}
	if text, ok := asciiFromUTF16(in); ok {
		if d := detectText(text); d.data != nil {
			return d
		}
	}
	return detected{format: FormatCMS}
}

// detectText is rules 1 to 4.
func detectText(in []byte) detected {
	b := bytes.TrimPrefix(in, utf8BOM)
	b = bytes.TrimLeft(b, asciiSpace)
	if len(b) == 0 {
		return detected{format: FormatCMS}
	}
	if b[0] == 0x30 {
		return detected{format: FormatCMS, data: b}
	}
	b = bytes.TrimRight(b, asciiSpace)
	switch {
	case b[0] == '<':
		return detected{format: FormatXMLDSig, data: b}
	case bytes.HasPrefix(b, []byte("-----BEGIN")):
		var first []byte
		rest := b
		for {
			var blk *pem.Block
			blk, rest = pem.Decode(rest)
			if blk == nil {
				break
			}
			switch blk.Type {
			case "PKCS7", "CMS", "SIGNED DATA", "PKCS #7 SIGNED DATA":
				return detected{format: FormatCMS, data: blk.Bytes}
			}
			if first == nil {
				first = blk.Bytes
			}
		}
		return detected{format: FormatCMS, data: first}
	}
	if len(b) <= maxBase64Signature {
		if d := decodeBase64(b); len(d) > 0 {
			if isUTF16XML(d) {
				return detected{format: FormatXMLDSig, data: d}
			}
			switch d[0] {
			case 0x30:
				return detected{format: FormatCMS, data: d}
			case '<':
				return detected{format: FormatXMLDSig, data: d}
			}
		}
	}
	return detected{format: FormatCMS}
}

// asciiFromUTF16 returns the text of b when b is UTF-16 (either byte order)
// holding only ASCII other than NUL: after a byte order mark, or, without
// one, when its first code unit is such a character (base64 and PEM begin
// with one). An odd length, or any other code unit, is not such text. The
// text takes one allocation of half of b. detect tries it last, so DER
// (which rule 2 takes by its first byte) never comes here.
func asciiFromUTF16(b []byte) ([]byte, bool) {
	le, bom := utf16text.BOM(b)
	switch {
	case bom:
		b = b[2:]
	case len(b) >= 2 && b[0] != 0 && b[0] < 0x80 && b[1] == 0:
		le = true
	case len(b) >= 2 && b[0] == 0 && b[1] != 0 && b[1] < 0x80:
	default:
		return nil, false
	}
	text, whole := utf16text.ASCII(b, le)
	return text, whole && len(text) > 0
}

// isUTF16XML reports whether b starts as XML in UTF-16: a byte order mark
// (FE FF big-endian, FF FE little-endian) or a '<' with a zero byte beside
// it (XML 1.0 Appendix F), then any white space, then '<'.
func isUTF16XML(b []byte) bool {
	le, bom := utf16text.BOM(b)
	switch {
	case bom:
		b = b[2:]
	case len(b) >= 2 && b[0] == '<' && b[1] == 0:
		le = true
	case len(b) >= 2 && b[0] == 0 && b[1] == '<':
	default:
		return false
	}
	for ; len(b) >= 2; b = b[2:] {
		c, hi := b[1], b[0]
		if le {
			c, hi = b[0], b[1]
		}
		if hi != 0 {
			return false
		}
		switch c {
		case '<':
			return true
		case ' ', '\t', '\r', '\n':
			continue
		}
		return false
	}
	return false
}

// decodeBase64 decodes standard or URL-safe base64 with any white space,
// padded or not; nil when the input is not base64.
func decodeBase64(b []byte) []byte {
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		clean = append(clean, c)
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		out := make([]byte, enc.DecodedLen(len(clean)))
		n, err := enc.Decode(out, clean)
		if err == nil {
			return out[:n]
		}
	}
	return nil
}
