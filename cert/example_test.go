package cert_test

import (
	"encoding/asn1"
	"fmt"
	"os"
	"unicode/utf16"

	"gostsig.dev/cert"
)

// Check that an accredited CA's certificate was signed by the ГУЦ GOST
// R 34.10-2001 root, and read the fields a qualified-signature check needs.
func Example() {
	root, err := load("testdata/guc2001_root_34681E40.cer")
	if err != nil {
		fmt.Println(err)
		return
	}
	ca, err := load("testdata/linkservice_ca_by_guc2001.cer")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("CA:", ca.Subject.CommonName())
	fmt.Println("issuer:", ca.Issuer.CommonName())
	ogrn, _ := ca.Subject.OGRN()
	fmt.Println("OGRN:", ogrn)
	fmt.Println("serial:", ca.SerialHex())
	fmt.Println("CA flag, pathlen:", ca.IsCA, ca.MaxPathLen)
	fmt.Println("signature:", ca.CheckSignatureFrom(root))
	// Output:
	// CA: ООО "Линк-сервис"
	// issuer: Головной удостоверяющий центр
	// OGRN: 1027401869990
	// serial: 58FBA94D000000000265
	// CA flag, pathlen: true 0
	// signature: <nil>
}

func load(name string) (*cert.Certificate, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	certs, err := cert.ParseAll(data)
	if err != nil {
		return nil, err
	}
	return certs[0], nil
}

// Compare an issuer name that a signing tool re-encoded: RFC 5280 §7.1
// matches names, not bytes (string type, case and inner spaces do not count).
func ExampleParseName() {
	// Name ::= SEQUENCE OF SET OF SEQUENCE { type OID, value ANY }, with one
	// attribute CN (2.5.4.3) written as UTF8String or as BMPString.
	name := func(tag int, value []byte) []byte {
		atv, _ := asn1.Marshal(struct {
			Type  asn1.ObjectIdentifier
			Value asn1.RawValue
		}{asn1.ObjectIdentifier{2, 5, 4, 3}, asn1.RawValue{Tag: tag, Bytes: value}})
		rdn, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: atv})
		seq, _ := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSequence, IsCompound: true, Bytes: rdn})
		return seq
	}
	var bmp []byte
	for _, r := range utf16.Encode([]rune("ТЕСТОВЫЙ  УЦ")) {
		bmp = append(bmp, byte(r>>8), byte(r))
	}
	a, err := cert.ParseName(name(asn1.TagUTF8String, []byte("Тестовый УЦ")))
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := cert.ParseName(name(asn1.TagBMPString, bmp))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(a.String(), "|", b.String())
	fmt.Println("equal:", a.Equal(&b), a.EqualDER(b.Raw))
	fmt.Println("other:", a.EqualDER(name(asn1.TagUTF8String, []byte("Другой УЦ"))))
	// Output:
	// CN=Тестовый УЦ | CN=ТЕСТОВЫЙ  УЦ
	// equal: true true
	// other: false
}
