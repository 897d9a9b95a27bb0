package testkit

import (
	"bufio"
	"iter"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// entries yields n revoked serials without holding them.
func entries(n int) iter.Seq[CRLEntry] {
	return func(yield func(CRLEntry) bool) {
		for i := 0; i < n; i++ {
			e := CRLEntry{Serial: new(big.Int).SetUint64(0x7f00000000000000 + uint64(i)*7919),
				RevokedAt: RefTime.Add(-time.Duration(i) * time.Second)}
			if i%3 == 0 {
				e.Reason, e.HasReason = ReasonKeyCompromise, true
			}
			if !yield(e) {
				return
			}
		}
	}
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// TestWriteCRLStreams: a large CRL is written without holding it (memory
// stays flat) and is byte-identical to the in-memory builder's output.
func TestWriteCRLStreams(t *testing.T) {
	p := MustPKI("crl-stream")
	tmpl := &CRLTemplate{ThisUpdate: RefTime, NextUpdate: RefTime.Add(24 * time.Hour), Number: big.NewInt(7)}
	n := 200000
	if testing.Short() {
		n = 20000
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var cw countingWriter
	written, err := WriteCRL(&cw, tmpl, entries(n), p.CA)
	runtime.ReadMemStats(&after)
	if err != nil || written != cw.n {
		t.Fatalf("WriteCRL: %v (%d vs %d)", err, written, cw.n)
	}
	// Allocations are per entry and short-lived; what matters is that the
	// heap does not grow with the CRL.
	if grow := int64(after.HeapInuse) - int64(before.HeapInuse); grow > 8<<20 {
		t.Fatalf("heap grew by %d bytes writing a %d-byte CRL", grow, written)
	}
	t.Logf("%d entries, %d bytes", n, written)

	small := tmpl
	small.Entries = nil
	for e := range entries(100) {
		small.Entries = append(small.Entries, e)
	}
	mem, err := NewCRL(small, p.CA)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	if _, err := WriteCRL(&sb, small, entries(100), p.CA); err != nil || sb.String() != string(mem) {
		t.Fatalf("streamed and in-memory CRLs differ: %v", err)
	}
}

// TestOpenSSLVerifiesStreamedCRL: a streamed CRL of many entries is a
// valid GOST-signed CRL for openssl.
func TestOpenSSLVerifiesStreamedCRL(t *testing.T) {
	o := NeedOpenSSL(t)
	p := MustPKI("crl-stream-openssl")
	f, err := os.Create(filepath.Join(o.Dir, "big.crl"))
	if err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(f)
	n := 50000
	if testing.Short() {
		n = 2000
	}
	if _, err := WriteCRL(bw, &CRLTemplate{ThisUpdate: RefTime, Number: big.NewInt(1)}, entries(n), p.CA); err != nil {
		t.Fatal(err)
	}
	bw.Flush()
	f.Close()
	ca := o.WriteFile(t, "ca.pem", PEM("CERTIFICATE", p.CA.DER))
	out, err := o.Run("crl", "-inform", "DER", "-in", "big.crl", "-CAfile", ca, "-noout")
	if err != nil || !strings.Contains(string(out), "verify OK") {
		t.Fatalf("openssl crl: %v\n%s", err, out)
	}
}
