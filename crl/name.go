package crl

import (
	"encoding/asn1"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/cert"
)

const maxNameAttributes = 128

// parseName decodes a Name (RFC 5280 §4.1.2.4) into a cert.Name, so that CRL
// and OCSP issuer names compare with certificate names by the same rules
// (cert.Name.Equal) and print the same way. der is the complete SEQUENCE; the
// returned name aliases it.
func parseName(der []byte) (cert.Name, bool) {
	n := cert.Name{Raw: der}
	in := cryptobyte.String(der)
	var rdns cryptobyte.String
	if !in.ReadASN1(&rdns, cbasn1.SEQUENCE) || !in.Empty() {
		return cert.Name{}, false
	}
	for i := 0; !rdns.Empty(); i++ {
		var set cryptobyte.String
		if !rdns.ReadASN1(&set, cbasn1.SET) || set.Empty() {
			return cert.Name{}, false
		}
		for !set.Empty() {
			var atv, val cryptobyte.String
			var typ asn1.ObjectIdentifier
			var tag cbasn1.Tag
			if len(n.Attributes) == maxNameAttributes ||
				!set.ReadASN1(&atv, cbasn1.SEQUENCE) ||
				!atv.ReadASN1ObjectIdentifier(&typ) ||
				!atv.ReadAnyASN1Element(&val, &tag) || !atv.Empty() {
				return cert.Name{}, false
			}
			a := cert.Attribute{Type: typ, RawValue: val, RDN: i}
			if tag&0xe0 == 0 { // universal, primitive: maybe a string
				a.Tag = int(tag)
				var content cryptobyte.String
				val.ReadAnyASN1(&content, &tag)
				s, ok := decodeString(a.Tag, content)
				if !ok {
					return cert.Name{}, false
				}
				a.Value = s
			}
			n.Attributes = append(n.Attributes, a)
		}
	}
	return n, true
}

// decodeString converts an ASN.1 character string to UTF-8 with the rules of
// package cert (lenient about the repertoire of PrintableString and friends,
// strict about UTF8String, BMPString and UniversalString encodings). Non-string
// tags decode to "" and ok.
//
// It mirrors cert's unexported name parser; an exported cert.ParseName would
// let this file go.
func decodeString(tag int, b []byte) (string, bool) {
	switch tag {
	case asn1.TagUTF8String:
		return string(b), utf8.Valid(b)
	case asn1.TagPrintableString, asn1.TagNumericString, asn1.TagIA5String,
		asn1.TagT61String, 21, 25, 26, 27: // Videotex, Graphic, Visible, General
		if utf8.Valid(b) {
			return string(b), true
		}
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r), true
	case asn1.TagBMPString:
		if len(b)%2 != 0 {
			return "", false
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return string(utf16.Decode(u)), true
	case 28: // UniversalString, UCS-4 big-endian
		if len(b)%4 != 0 {
			return "", false
		}
		r := make([]rune, len(b)/4)
		for i := range r {
			r[i] = rune(uint32(b[4*i])<<24 | uint32(b[4*i+1])<<16 | uint32(b[4*i+2])<<8 | uint32(b[4*i+3]))
			if !utf8.ValidRune(r[i]) {
				return "", false
			}
		}
		return string(r), true
	}
	return "", true
}
