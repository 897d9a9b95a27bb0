package crl

import (
	"bytes"
	"crypto/sha256"
	"encoding/pem"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/streebog"
)

// bench50MB is the entry count that makes bigCRL about 50 MB.
const bench50MB = 1_000_000

var (
	big50Once sync.Once
	big50DER  []byte
	big50Ser  [][]byte
)

func big50(b *testing.B) ([]byte, [][]byte) {
	big50Once.Do(func() { big50DER, big50Ser = bigCRL(bench50MB, 1) })
	return big50DER, big50Ser
}

func TestBigCRLIndex(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	der, serials := bigCRL(n, 2)
	c, err := ParseDER(der)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := cert.Parse(bigCA().DER)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.CheckSignatureFrom(ca); err != nil {
		t.Fatal(err)
	}
	if c.Index.Len() != n || c.Index.Duplicates() != 0 {
		t.Fatalf("%d entries, %d duplicates", c.Index.Len(), c.Index.Duplicates())
	}
	for i, s := range serials {
		if _, ok := c.Index.LookupBytes(s); !ok {
			t.Fatalf("serial %d (%x) not found", i, s)
		}
		if _, ok := c.Index.Lookup(new(big.Int).SetBytes(s)); !ok {
			t.Fatalf("serial %d not found as big.Int", i)
		}
	}
	// Absent serials: flip the last octet of each (random 16–20 octet
	// serials do not collide in practice; count to be sure).
	miss := 0
	for _, s := range serials {
		x := bytes.Clone(s)
		x[len(x)-1] ^= 0x5a
		x = append(x, 1)
		if _, ok := c.Index.LookupBytes(x); !ok {
			miss++
		}
	}
	if miss != n {
		t.Errorf("%d of %d absent serials found", n-miss, n)
	}
	if bpe := c.Index.BytesPerEntry(); bpe > 32 {
		t.Errorf("%.1f bytes per entry, want ≤ 32", bpe)
	}
	if d := streebog.Sum256(der); d != c.Digest {
		t.Error("evidence digest is not the Streebog-256 of the DER")
	}
	if d := sha256.Sum256(der); d != c.SHA256 {
		t.Error("evidence SHA256 is not the SHA-256 of the DER")
	}
	e, _ := c.Index.LookupBytes(serials[0])
	if raceEnabled {
		return
	}
	if allocs := testing.AllocsPerRun(100, func() { c.Index.LookupBytes(serials[1]) }); allocs != 0 {
		t.Errorf("LookupBytes allocates %v times", allocs)
	}
	sn := new(big.Int).SetBytes(serials[2])
	if allocs := testing.AllocsPerRun(100, func() { c.Index.Lookup(sn) }); allocs != 0 {
		t.Errorf("Lookup allocates %v times", allocs)
	}
	_ = e
}

// BenchmarkParse50MB is the index benchmark: a ~50 MB CRL of 10⁶
// entries, indexed in one pass while its tbsCertList (Streebog-256, as the
// signature needs) and its whole DER (Streebog-256 evidence) are hashed.
// Sub-benchmarks separate the costs:
//
//	index       the scan and index build alone (hashing switched off)
//	index+tbs   plus the signature hash of tbsCertList
//	full        what Parse does: plus the evidence hash of the DER
//	streebog    Streebog-256 over the same bytes, for reference
func BenchmarkParse50MB(b *testing.B) {
	der, _ := big50(b)
	run := func(name string, mode parseMode) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(der)))
			b.ReportAllocs()
			var c *CRL
			for b.Loop() {
				var err error
				p := parser{der: der, mode: mode}
				if c, err = p.parse(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(c.Index.BytesPerEntry(), "B/entry")
			b.ReportMetric(float64(c.Index.SerialBytes())/float64(c.Index.Len()), "serialB/entry")
			b.ReportMetric(float64(c.Index.Len()), "entries")
		})
	}
	run("index", modeNoHash)
	run("index+tbs", modeTBSHash)
	run("full", modeFull)
	b.Run("streebog", func(b *testing.B) {
		b.SetBytes(int64(len(der)))
		for b.Loop() {
			streebog.Sum256(der)
		}
	})
}

func BenchmarkLookup(b *testing.B) {
	der, serials := big50(b)
	c, err := ParseDER(der)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("hit", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if _, ok := c.Index.LookupBytes(serials[i]); !ok {
				b.Fatal("miss")
			}
			if i++; i == len(serials) {
				i = 0
			}
		}
	})
	b.Run("miss", func(b *testing.B) {
		x := bytes.Clone(serials[0])
		i := 0
		for b.Loop() {
			x[len(x)-1], x[len(x)-2] = byte(i), byte(i>>8)
			c.Index.LookupBytes(x)
			i++
		}
	})
}

// BenchmarkParse50MBvsOpenSSL measures, in the same run, our Parse +
// CheckSignatureFrom of the ~50 MB CRL (signed by a testkit CA) against
// `openssl crl -inform DER -CAfile ca.pem -noout`, which parses the list into
// X509_CRL objects, hashes tbsCertList with Streebog-256 and verifies the
// signature. The OpenSSL figure includes one process start and engine load
// (~30 ms).
func BenchmarkParse50MBvsOpenSSL(b *testing.B) {
	if _, err := exec.LookPath("openssl"); err != nil {
		b.Skip("openssl not installed")
	}
	if os.Getenv("OPENSSL_CONF") == "" {
		b.Skip("set OPENSSL_CONF to a config that loads the gost engine")
	}
	der, _ := big50(b)
	ca, err := cert.Parse(bigCA().DER)
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	crlFile, caFile := filepath.Join(dir, "big.crl"), filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(crlFile, der, 0o600); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: bigCA().DER}), 0o600)
	if out, err := exec.Command("openssl", "crl", "-inform", "DER", "-in", crlFile, "-CAfile", caFile, "-noout").CombinedOutput(); err != nil || !bytes.Contains(out, []byte("verify OK")) {
		b.Skipf("openssl cannot verify the CRL (gost engine missing?): %v %s", err, out)
	}
	var ours, theirs time.Duration
	b.Run("gostsig", func(b *testing.B) {
		b.SetBytes(int64(len(der)))
		for b.Loop() {
			c, err := ParseDER(der)
			if err != nil {
				b.Fatal(err)
			}
			if err := c.CheckSignatureFrom(ca); err != nil {
				b.Fatal(err)
			}
		}
		ours = b.Elapsed() / time.Duration(b.N)
	})
	b.Run("openssl", func(b *testing.B) {
		b.SetBytes(int64(len(der)))
		for b.Loop() {
			out, err := exec.Command("openssl", "crl", "-inform", "DER", "-in", crlFile, "-CAfile", caFile, "-noout").CombinedOutput()
			if err != nil || !bytes.Contains(out, []byte("verify OK")) {
				b.Fatalf("%v %s", err, out)
			}
		}
		theirs = b.Elapsed() / time.Duration(b.N)
	})
	if ours > 0 && theirs > 0 {
		b.Logf("%.1f MB CRL, parse+index+verify: gostsig %v, openssl %v; openssl/gostsig time ratio %.2f",
			float64(len(der))/1e6, ours, theirs, float64(theirs)/float64(ours))
	}
}
