package cert_test

import (
	"fmt"
	"os"

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
