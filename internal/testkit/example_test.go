package testkit_test

import (
	"fmt"
	"math/big"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// Build a test PKI, a second leaf on another curve, a CRL revoking it and
// a CAdES-T signature, all deterministic.
func Example() {
	p := testkit.MustPKI("example") // 512-bit root → 256-bit CA → leaf on CryptoPro-XchA
	leaf512, err := p.NewLeaf("example/512", gost3410.GOST2012_512, oid.TC26_512A, func(t *testkit.CertTemplate) {
		t.Serial = big.NewInt(-42) // real CAs issue negative serials
	})
	if err != nil {
		panic(err)
	}
	crl, err := testkit.NewCRL(&testkit.CRLTemplate{ThisUpdate: testkit.RefTime, Number: big.NewInt(1),
		Entries: []testkit.CRLEntry{{Serial: leaf512.SerialInt(), RevokedAt: testkit.RefTime.Add(-time.Hour),
			Reason: testkit.ReasonKeyCompromise, HasReason: true}}}, p.CA)
	if err != nil {
		panic(err)
	}
	tsa, err := p.NewTSA("example/tsa")
	if err != nil {
		panic(err)
	}
	sig, err := testkit.NewSignedData(&testkit.SignedDataSpec{
		Content: []byte("документ"),
		Signers: []testkit.SignerSpec{{
			Cert: p.Leaf, SigningTime: testkit.RefTime, SigningCertV2: true, SigningCertHashOID: oid.Streebog256,
			SignatureTimeStamp: &testkit.TimeStampSpec{TSA: tsa, GenTime: testkit.RefTime},
		}},
	})
	if err != nil {
		panic(err)
	}
	c, _ := cert.Parse(leaf512.DER)
	fmt.Println(c.SerialNumber, c.PublicKey.Algorithm(), len(crl) > 0, len(sig) > 0)
	// Output: -42 GOST R 34.10-2012 (512) true true
}
