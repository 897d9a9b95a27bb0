package crl_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/crl"
)

func mustCert(path string) *cert.Certificate {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	certs, err := cert.ParseAll(b)
	if err != nil {
		log.Fatal(err)
	}
	return certs[0]
}

func mustCRL(path string) *crl.CRL {
	b, err := os.ReadFile(path)
	if err != nil {
		log.Fatal(err)
	}
	c, err := crl.Parse(b)
	if err != nil {
		log.Fatal(err)
	}
	return c
}

// Decide a certificate's status at a signature's time-stamp from a CRL and
// its delta, and cite the evidence.
func Example() {
	ca := mustCert("testdata/pki/ca.pem")
	leaf := mustCert("testdata/pki/late.pem")
	base, delta := mustCRL("testdata/pki/feb.crl"), mustCRL("testdata/pki/delta.crl")

	for _, at := range []string{"2025-02-10T12:00:00Z", "2025-02-12T12:00:00Z"} {
		t, _ := time.Parse(time.RFC3339, at)
		r := crl.Decide(crl.Query{Cert: leaf, Issuer: ca, At: t}, []*crl.CRL{base, delta})
		fmt.Printf("%s: %v", at, r.Status)
		if r.Status == crl.Revoked {
			fmt.Printf(" (%v since %s)", r.Reason, r.RevocationTime.Format(time.DateOnly))
		}
		for _, e := range r.Evidence {
			fmt.Printf("; %v #%v of %s", e.Source, e.Number, e.ThisUpdate.Format(time.DateOnly))
		}
		fmt.Println()
	}
	// Output:
	// 2025-02-10T12:00:00Z: good; crl #32 of 2025-02-01; delta-crl #33 of 2025-02-10
	// 2025-02-12T12:00:00Z: revoked (superseded since 2025-02-11); crl #32 of 2025-02-01; delta-crl #33 of 2025-02-10
}
