// Package verify benchmarks gostsig's end-to-end verification of a small
// attached CAdES-BES against OpenSSL + gost-engine doing the same check
// in-process (cmsverify.c), in the same run. See bench/README.md.
package verify

import (
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// fixture is the benchmark's document and trust material, built once,
// deterministically, with the project's test-PKI generator.
type fixture struct {
	pki     *testkit.PKI
	sig     []byte   // attached CAdES-BES, DER
	content []byte   // what it signs
	root    []byte   // trust anchor, DER
	ca      []byte   // intermediate, DER
	crls    [][]byte // root's CRL (covers the CA) and the CA's CRL (covers the leaf), DER
	at      time.Time
}

// benchContentSize is the size of the signed document: a small one, so the
// figure is the cost of verification, not of hashing.
const benchContentSize = 1024

var (
	fixtureOnce sync.Once
	fix         *fixture
)

func getFixture(tb testing.TB) *fixture {
	fixtureOnce.Do(func() {
		pki := testkit.MustPKI("bench/verify")
		at := testkit.RefTime
		content := make([]byte, benchContentSize)
		for i := range content {
			content[i] = byte('A' + i%26)
		}
		sig := testkit.MustSignedData(&testkit.SignedDataSpec{
			Content: content,
			Signers: []testkit.SignerSpec{{
				Cert:          pki.Leaf,
				SigningTime:   at.Add(-time.Hour),
				SigningCertV2: true, SigningCertHashOID: oid.Streebog256,
			}},
		})
		crlOf := func(issuer *testkit.Certificate, n int64) []byte {
			der, err := testkit.NewCRL(&testkit.CRLTemplate{
				ThisUpdate: at.Add(-24 * time.Hour),
				NextUpdate: at.Add(7 * 24 * time.Hour),
				Number:     big.NewInt(n),
				// a few revoked serials so the lookup is not trivially empty
				Entries: []testkit.CRLEntry{
					{Serial: big.NewInt(1001), RevokedAt: at.Add(-72 * time.Hour)},
					{Serial: big.NewInt(1002), RevokedAt: at.Add(-48 * time.Hour)},
				},
			}, issuer)
			if err != nil {
				panic(err)
			}
			return der
		}
		fix = &fixture{
			pki: pki, sig: sig, content: content,
			root: pki.Root.DER, ca: pki.CA.DER,
			crls: [][]byte{crlOf(pki.Root, 7), crlOf(pki.CA, 42)},
			at:   at,
		}
	})
	return fix
}

// writeOpenSSLFiles writes the signature and one PEM store (root, CA, CRLs)
// for cmsverify.
func (f *fixture) writeOpenSSLFiles(tb testing.TB, dir string) (sigPath, storePath string) {
	sigPath = filepath.Join(dir, "sig.der")
	storePath = filepath.Join(dir, "store.pem")
	store := append(testkit.PEM("CERTIFICATE", f.root, f.ca), testkit.PEM("X509 CRL", f.crls...)...)
	if err := os.WriteFile(sigPath, f.sig, 0o644); err != nil {
		tb.Fatal(err)
	}
	if err := os.WriteFile(storePath, store, 0o644); err != nil {
		tb.Fatal(err)
	}
	return sigPath, storePath
}
