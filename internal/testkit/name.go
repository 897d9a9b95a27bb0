package testkit

import (
	"encoding/asn1"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/oid"
)

// String types for name attributes.
const (
	UTF8String      = cbasn1.UTF8String
	PrintableString = cbasn1.PrintableString
	IA5String       = cbasn1.IA5String
	NumericString   = cbasn1.Tag(18)
)

// Attr is one name attribute. Tag 0 picks the type Russian CAs use:
// PrintableString for C, IA5String for E, NumericString for OGRN, OGRNIP,
// SNILS, INN and INNLE, UTF8String otherwise.
type Attr struct {
	Type  asn1.ObjectIdentifier
	Value string
	Tag   cbasn1.Tag
}

// Name is an X.501 Name: one RDN per element, in order. Multi-valued RDNs
// hold more than one Attr.
type Name [][]Attr

// DER returns the encoding of the Name (RDNSequence). The attributes of a
// multi-valued RDN are sorted as DER requires.
func (n Name) DER() []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			for _, rdn := range n {
				var elems [][]byte
				for _, a := range rdn {
					elems = append(elems, a.der())
				}
				addSetOf(b, elems, true)
			}
		})
	})
}

func (a Attr) der() []byte {
	tag := a.Tag
	if tag == 0 {
		tag = defaultTag(a.Type)
	}
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(a.Type)
			b.AddASN1(tag, func(b *cryptobyte.Builder) { b.AddBytes([]byte(a.Value)) })
		})
	})
}

func defaultTag(t asn1.ObjectIdentifier) cbasn1.Tag {
	switch {
	case t.Equal(oid.Country):
		return PrintableString
	case t.Equal(oid.EmailAddress):
		return IA5String
	case t.Equal(oid.OGRN), t.Equal(oid.OGRNIP), t.Equal(oid.SNILS), t.Equal(oid.INN), t.Equal(oid.INNLE):
		return NumericString
	}
	return UTF8String
}

// With returns a copy of n with the attribute appended as a new RDN.
func (n Name) With(t asn1.ObjectIdentifier, value string) Name {
	return append(append(Name(nil), n...), []Attr{{Type: t, Value: value}})
}

// WithTag is With for an explicit string type (e.g. INNLE as UTF8String,
// as OpenSSL 3.0 writes it).
func (n Name) WithTag(t asn1.ObjectIdentifier, value string, tag cbasn1.Tag) Name {
	return append(append(Name(nil), n...), []Attr{{Type: t, Value: value, Tag: tag}})
}

// CommonName returns the Name C=RU, CN=cn.
func CommonName(cn string) Name {
	return Name{}.With(oid.Country, "RU").With(oid.CommonName, cn)
}

// PersonName returns a natural person's qualified-certificate subject
// (Приказ ФСБ № 795): C, CN, SN, GN, SNILS, INN. Build valid identifiers
// with SNILS and INN12.
func PersonName(surname, given, snils, inn string) Name {
	return Name{}.With(oid.Country, "RU").
		With(oid.CommonName, surname+" "+given).
		With(oid.Surname, surname).
		With(oid.GivenName, given).
		With(oid.SNILS, snils).
		With(oid.INN, inn)
}

// OrgName returns a legal entity's subject: C, O, CN, OGRN, INNLE. Build
// valid identifiers with OGRN and INN10.
func OrgName(org, ogrn, innle string) Name {
	return Name{}.With(oid.Country, "RU").
		With(oid.Organization, org).
		With(oid.CommonName, org).
		With(oid.OGRN, ogrn).
		With(oid.INNLE, innle)
}
