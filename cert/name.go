package cert

import (
	"encoding/asn1"
	"errors"
	"slices"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/asn1der"
	"gostsig.dev/internal/oid"
)

// maxNameAttributes bounds the number of attributes in one Name. Real
// Russian qualified certificates carry about a dozen (CN, SN, GN, O, OU, T,
// L, ST, STREET, C, E, INN, INNLE, OGRN, SNILS).
const maxNameAttributes = 128

// Attribute is one AttributeTypeAndValue of a distinguished name
// (RFC 5280 §4.1.2.4).
type Attribute struct {
	Type asn1.ObjectIdentifier
	// Tag is the ASN.1 universal tag of the value as encoded:
	// asn1.TagUTF8String, asn1.TagPrintableString, asn1.TagNumericString,
	// asn1.TagIA5String, asn1.TagBMPString, asn1.TagT61String, … . Policy
	// checks use it to flag, for example, an INN written as UTF8String
	// where Приказ ФСБ № 795 requires NumericString.
	Tag int
	// Value is the decoded text. Strings of every type are converted to
	// UTF-8; PrintableString, NumericString and IA5String are taken as
	// written even when they hold characters their type does not allow
	// (real CAs do that). A value that is not a string has Value "".
	Value string
	// RawValue is the complete DER element (tag, length, content) of the
	// value, a sub-slice of the certificate.
	RawValue []byte
	// RDN is the index of the RelativeDistinguishedName (SET) that holds the
	// attribute, counting from 0 in encoding order.
	RDN int
}

// Name is an X.501 distinguished name: the raw DER and its attributes in
// encoding order.
type Name struct {
	// Raw is the complete DER encoding of the Name (the SEQUENCE), a
	// sub-slice of the certificate.
	Raw []byte
	// Attributes lists every attribute in encoding order; multi-valued
	// RDNs are flattened and keep their RDN index.
	Attributes []Attribute
}

var errMalformedName = errors.New("cert: malformed name")

// Universal tags of the character-string types encoding/asn1 has no
// constant for (X.680 §8.6).
const (
	tagVideotexString  = 21
	tagGraphicString   = 25
	tagVisibleString   = 26
	tagGeneralString   = 27
	tagUniversalString = 28
)

// ParseName parses a Name ::= SEQUENCE OF RelativeDistinguishedName
// (RFC 5280 §4.1.2.4). der must be exactly the DER SEQUENCE element; the
// result aliases it. Strings are decoded as Attribute documents; an empty
// Name (no RDN) is accepted here, callers for which it is forbidden (a CRL
// issuer, RFC 5280 §5.1.2.3) check len(Attributes). Certificates, CRLs, OCSP
// responses and CMS signer identifiers all parse names with it, so that they
// compare (Equal, EqualDER) and print (String) by the same rules.
func ParseName(der []byte) (Name, error) {
	p := parser{base: der}
	return p.name(der, -1)
}

// name parses a Name; der is the complete SEQUENCE element, a sub-slice of
// p.base. count is its number of attributes (nameAttributes), or -1 for
// name to count them: either way Attributes is allocated once.
func (p *parser) name(der []byte, count int) (Name, error) {
	n := Name{Raw: der}
	in := cryptobyte.String(der)
	var rdns cryptobyte.String
	if !asn1der.ReadASN1(&in, &rdns, cbasn1.SEQUENCE) || !in.Empty() {
		return Name{}, errMalformedName
	}
	if count < 0 {
		count = countAttributes(rdns)
	}
	n.Attributes = carve(&p.attrs, min(count, maxNameAttributes), 0)
	for i := 0; !rdns.Empty(); i++ {
		var set cryptobyte.String
		if !asn1der.ReadASN1(&rdns, &set, cbasn1.SET) || set.Empty() {
			return Name{}, errMalformedName
		}
		for !set.Empty() {
			if len(n.Attributes) >= maxNameAttributes {
				return Name{}, errors.New("cert: too many name attributes")
			}
			var atv cryptobyte.String
			var a Attribute
			var tag cbasn1.Tag
			var val cryptobyte.String
			if !asn1der.ReadASN1(&set, &atv, cbasn1.SEQUENCE) {
				return Name{}, errMalformedName
			}
			var ok bool
			if atv, _, a.Type, ok = p.readOID(atv); !ok ||
				!asn1der.ReadAnyASN1Element(&atv, &val, &tag) || !atv.Empty() {
				return Name{}, errMalformedName
			}
			a.RawValue = val
			a.RDN = i
			if tag&0xe0 == 0 { // universal, primitive
				a.Tag = int(tag)
				var content cryptobyte.String
				asn1der.ReadAnyASN1(&val, &content, &tag)
				s, ok := p.decodeString(a.Tag, content)
				if !ok {
					return Name{}, errMalformedName
				}
				a.Value = s
			}
			n.Attributes = append(n.Attributes, a)
		}
	}
	return n, nil
}

// countAttributes counts the attributes in the RDNs of a Name (the content
// of its SEQUENCE), up to the first malformed RDN, and stops counting past
// maxNameAttributes.
func countAttributes(rdns cryptobyte.String) int {
	count := 0
	for !rdns.Empty() && count <= maxNameAttributes {
		var set cryptobyte.String
		if !asn1der.ReadASN1(&rdns, &set, cbasn1.SET) {
			break
		}
		count += asn1der.CountElements(set, maxNameAttributes)
	}
	return count
}

// nameAttributes counts the attributes of the Name element der (as
// countAttributes, 0 when der is not a SEQUENCE), for name.
func nameAttributes(der []byte) int {
	in := cryptobyte.String(der)
	var rdns cryptobyte.String
	if !asn1der.ReadASN1(&in, &rdns, cbasn1.SEQUENCE) {
		return 0
	}
	return countAttributes(rdns)
}

// decodeString converts an ASN.1 character string to UTF-8. It is lenient
// about the character repertoire of PrintableString, NumericString and
// IA5String (real certificates break it) but refuses malformed UTF8String,
// BMPString and UniversalString encodings. Tags that are not strings decode
// to "" and ok.
func (p *parser) decodeString(tag int, b []byte) (string, bool) {
	switch tag {
	case asn1.TagUTF8String:
		if !validUTF8(b) {
			return "", false
		}
		return p.str(b), true
	case asn1.TagPrintableString, asn1.TagNumericString, asn1.TagIA5String,
		asn1.TagT61String, tagVideotexString, tagGraphicString,
		tagVisibleString, tagGeneralString:
		if validUTF8(b) {
			return p.str(b), true
		}
		return latin1(b), true
	case asn1.TagBMPString:
		if len(b)%2 != 0 {
			return "", false
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return string(utf16.Decode(u)), true
	case tagUniversalString: // UCS-4 big-endian
		if len(b)%4 != 0 {
			return "", false
		}
		var sb strings.Builder
		for i := 0; i < len(b); i += 4 {
			r := rune(b[i])<<24 | rune(b[i+1])<<16 | rune(b[i+2])<<8 | rune(b[i+3])
			if !utf8.ValidRune(r) {
				return "", false
			}
			sb.WriteRune(r)
		}
		return sb.String(), true
	}
	return "", true
}

// validUTF8 is utf8.Valid, quicker on the text of Russian certificates:
// ASCII and the two-octet sequences of Cyrillic (U+0400–U+04FF) and of
// punctuation such as «» (U+00AB, U+00BB). A two-octet sequence whose lead
// octet is C2–DF and whose second octet is a continuation octet is always
// valid (U+0080–U+07FF, RFC 3629 §4); anything else is left to utf8.Valid
// from the first octet of that sequence, a rune boundary.
func validUTF8(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < utf8.RuneSelf:
			i++
		case c >= 0xc2 && c < 0xe0 && i+1 < len(b) && b[i+1]&0xc0 == 0x80:
			i += 2
		default:
			return utf8.Valid(b[i:])
		}
	}
	return true
}

func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// Lookup returns the first attribute of type t.
func (n *Name) Lookup(t asn1.ObjectIdentifier) (Attribute, bool) {
	for _, a := range n.Attributes {
		if a.Type.Equal(t) {
			return a, true
		}
	}
	return Attribute{}, false
}

func (n *Name) get(t asn1.ObjectIdentifier) (string, int) {
	a, ok := n.Lookup(t)
	if !ok {
		return "", 0
	}
	return a.Value, a.Tag
}

// CommonName returns the first CN (2.5.4.3), or "".
func (n *Name) CommonName() string { v, _ := n.get(oid.CommonName); return v }

// Organization returns the first O (2.5.4.10), or "".
func (n *Name) Organization() string { v, _ := n.get(oid.Organization); return v }

// INN returns the ИНН attribute (1.2.643.3.131.1.1): the personal ИНН, or in
// older certificates the legal entity's ИНН padded with "00". tag is the
// ASN.1 universal tag it was encoded with (asn1.TagNumericString in a
// conforming certificate), 0 when absent.
func (n *Name) INN() (value string, tag int) { return n.get(oid.INN) }

// INNLE returns the ИНН ЮЛ attribute (1.2.643.100.4) and its ASN.1 tag
// (0 when absent).
func (n *Name) INNLE() (value string, tag int) { return n.get(oid.INNLE) }

// OGRN returns the ОГРН attribute (1.2.643.100.1) and its ASN.1 tag
// (0 when absent).
func (n *Name) OGRN() (value string, tag int) { return n.get(oid.OGRN) }

// OGRNIP returns the ОГРНИП attribute (1.2.643.100.5) and its ASN.1 tag
// (0 when absent).
func (n *Name) OGRNIP() (value string, tag int) { return n.get(oid.OGRNIP) }

// SNILS returns the СНИЛС attribute (1.2.643.100.3) and its ASN.1 tag
// (0 when absent).
func (n *Name) SNILS() (value string, tag int) { return n.get(oid.SNILS) }

// attrShortNames are the RFC 4514 (and common Russian) short names used by
// String.
var attrShortNames = []struct {
	oid  asn1.ObjectIdentifier
	name string
}{
	{oid.CommonName, "CN"},
	{oid.Surname, "SN"},
	{oid.GivenName, "GN"},
	{oid.SerialNumberAttr, "SERIALNUMBER"},
	{oid.Country, "C"},
	{oid.Locality, "L"},
	{oid.Province, "ST"},
	{oid.Street, "STREET"},
	{oid.Organization, "O"},
	{oid.OrganizationalUnit, "OU"},
	{oid.Title, "T"},
	{oid.EmailAddress, "E"},
	{oid.INN, "INN"},
	{oid.INNLE, "INNLE"},
	{oid.OGRN, "OGRN"},
	{oid.OGRNIP, "OGRNIP"},
	{oid.SNILS, "SNILS"},
}

func shortName(t asn1.ObjectIdentifier) string {
	for _, s := range attrShortNames {
		if s.oid.Equal(t) {
			return s.name
		}
	}
	return t.String()
}

// String returns the name in the style of RFC 4514: RDNs in reverse encoding
// order (so the CN of a Russian certificate comes first), separated by ",",
// multi-valued RDNs joined by "+". Non-ASCII text is written as is (readable
// Cyrillic), special characters are escaped with "\". Values that are not
// strings are written as "#" and the hex of their DER.
func (n *Name) String() string {
	var sb strings.Builder
	for i := len(n.Attributes) - 1; i >= 0; i-- {
		a := n.Attributes[i]
		if i != len(n.Attributes)-1 {
			if n.Attributes[i+1].RDN == a.RDN {
				sb.WriteByte('+')
			} else {
				sb.WriteByte(',')
			}
		}
		sb.WriteString(shortName(a.Type))
		sb.WriteByte('=')
		if a.Tag == 0 || (a.Value == "" && !isStringTag(a.Tag)) {
			sb.WriteByte('#')
			const hexdigits = "0123456789abcdef"
			for _, c := range a.RawValue {
				sb.WriteByte(hexdigits[c>>4])
				sb.WriteByte(hexdigits[c&15])
			}
			continue
		}
		escapeRFC4514(&sb, a.Value)
	}
	return sb.String()
}

func isStringTag(tag int) bool {
	switch tag {
	case asn1.TagUTF8String, asn1.TagPrintableString, asn1.TagNumericString,
		asn1.TagIA5String, asn1.TagT61String, asn1.TagBMPString,
		tagVideotexString, tagGraphicString, tagVisibleString,
		tagGeneralString, tagUniversalString:
		return true
	}
	return false
}

// escapeRFC4514 writes s escaped as RFC 4514 §2.4 asks.
func escapeRFC4514(sb *strings.Builder, s string) {
	for i, r := range s {
		switch {
		case r == ',' || r == '+' || r == '"' || r == '\\' || r == '<' ||
			r == '>' || r == ';' || r == '=':
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case (r == '#' || r == ' ') && i == 0, r == ' ' && i == len(s)-1:
			sb.WriteByte('\\')
			sb.WriteRune(r)
		case r < 0x20 || r == 0x7f:
			sb.WriteString(`\`)
			const hexdigits = "0123456789abcdef"
			sb.WriteByte(hexdigits[r>>4])
			sb.WriteByte(hexdigits[r&15])
		default:
			sb.WriteRune(r)
		}
	}
}

// Equal reports whether two names are the same distinguished name. Names
// with identical DER are equal; otherwise they are compared as RFC 5280 §7.1
// describes, simplified the way real path builders do: the same RDNs in the
// same order, each with the same set of attribute types, string values
// equal after removing leading and trailing spaces, collapsing inner runs of
// spaces and folding case, whatever their ASN.1 string types. Non-string
// values must be byte-identical.
func (n *Name) Equal(o *Name) bool {
	if string(n.Raw) == string(o.Raw) {
		return true
	}
	return n.Key() == o.Key()
}

// EqualDER reports whether der, the DER encoding of a Name, is the same
// distinguished name as n by the rules of Equal. Identical encodings match
// without parsing; a der that ParseName refuses matches nothing. CMS signer
// identifiers (RFC 5652 §5.3) and ESS IssuerSerial (RFC 5035 §4) carry the
// issuer as DER that a signing tool may have re-encoded (another string type,
// spacing or case), and RFC 5280 §7.1 asks for them to match all the same.
func (n *Name) EqualDER(der []byte) bool {
	if string(n.Raw) == string(der) {
		return true
	}
	o, err := ParseName(der)
	return err == nil && n.Key() == o.Key()
}

// Key returns a string that is the same for two names that Equal reports
// equal and different otherwise; path builders index issuers by it.
func (n *Name) Key() string {
	var sb strings.Builder
	sb.Grow(len(n.Raw))
	start := 0
	for start < len(n.Attributes) {
		end := start
		for end < len(n.Attributes) && n.Attributes[end].RDN == n.Attributes[start].RDN {
			end++
		}
		// Attributes of one RDN form a SET: order them canonically.
		parts := make([]string, 0, end-start)
		for _, a := range n.Attributes[start:end] {
			parts = append(parts, attrKey(a))
		}
		slices.Sort(parts)
		sb.WriteByte('{')
		for i, p := range parts {
			if i > 0 {
				sb.WriteByte(0)
			}
			sb.WriteString(p)
		}
		sb.WriteByte('}')
		start = end
	}
	return sb.String()
}

func attrKey(a Attribute) string {
	var sb strings.Builder
	sb.WriteString(a.Type.String())
	sb.WriteByte('=')
	if isStringTag(a.Tag) {
		sb.WriteByte('s')
		sb.WriteString(foldValue(a.Value))
	} else {
		sb.WriteByte('r')
		sb.Write(a.RawValue)
	}
	return sb.String()
}

// foldValue applies the simplified RFC 4518 string preparation: trim, collapse
// inner whitespace, case fold.
func foldValue(s string) string {
	var sb strings.Builder
	space := false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space {
			sb.WriteByte(' ')
			space = false
		}
		sb.WriteRune(unicode.ToLower(unicode.ToUpper(r)))
	}
	return sb.String()
}
