//go:build ignore

// gen.go makes the bundled samples of README.md with the project's test-PKI
// generator (internal/testkit). It is deterministic: running it again
// rewrites the same bytes.
//
//	go run testdata/samples/gen.go
//
// Files (next to this one):
//
//	root.pem            the test root ("Тестовый головной УЦ", GOST R 34.10-2012 512)
//	ca.pem              the test CA under it (GOST R 34.10-2012 256)
//	crl/root.crl        the root's CRL (covers ca.pem), valid until 2039
//	crl/ca.crl          the CA's CRL (covers the signer), valid until 2039
//	hello.txt.sig       detached CAdES-BES of hello.txt (DER)
//	hello.p7s           attached CAdES-T of hello.txt with a time-stamp (PEM)
//	hello-changed.txt   hello.txt with one character changed (HASH_FAILURE demo)
//
// These are test certificates: signatures verify with --roots root.pem and
// are never qualified (the root is not a ГУЦ root).
package main

import (
	"bytes"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

func main() {
	dir := filepath.Join("testdata", "samples")
	content, err := os.ReadFile(filepath.Join(dir, "hello.txt"))
	if err != nil {
		log.Fatal(err)
	}
	pki := testkit.MustPKI("testdata/samples")
	tsa, err := pki.NewTSA("testdata/samples/tsa")
	if err != nil {
		log.Fatal(err)
	}
	signed := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	crlOf := func(issuer *testkit.Certificate, n int64) []byte {
		der, err := testkit.NewCRL(&testkit.CRLTemplate{
			ThisUpdate: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
			NextUpdate: time.Date(2039, 1, 1, 0, 0, 0, 0, time.UTC),
			Number:     big.NewInt(n),
		}, issuer)
		if err != nil {
			log.Fatal(err)
		}
		return testkit.PEM("X509 CRL", der)
	}
	signer := testkit.SignerSpec{
		Cert:          pki.Leaf,
		SigningTime:   signed,
		SigningCertV2: true, SigningCertHashOID: oid.Streebog256,
	}
	detached := testkit.MustSignedData(&testkit.SignedDataSpec{Content: content, Detached: true, Signers: []testkit.SignerSpec{signer}})
	withTS := signer
	withTS.SignatureTimeStamp = &testkit.TimeStampSpec{TSA: tsa, GenTime: signed.Add(-time.Second)}
	attached := testkit.MustSignedData(&testkit.SignedDataSpec{
		Content: content, Signers: []testkit.SignerSpec{withTS},
		Certificates: [][]byte{tsa.DER},
	})
	changed := bytes.Replace(content, []byte("GOST"), []byte("G0ST"), 1)

	files := map[string][]byte{
		"root.pem":          testkit.PEM("CERTIFICATE", pki.Root.DER),
		"ca.pem":            testkit.PEM("CERTIFICATE", pki.CA.DER),
		"crl/root.crl":      crlOf(pki.Root, 1),
		"crl/ca.crl":        crlOf(pki.CA, 1),
		"hello.txt.sig":     detached,
		"hello.p7s":         testkit.PEM("CMS", attached),
		"hello-changed.txt": changed,
	}
	if err := os.MkdirAll(filepath.Join(dir, "crl"), 0o755); err != nil {
		log.Fatal(err)
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}
