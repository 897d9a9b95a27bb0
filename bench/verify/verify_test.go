package verify

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"gostsig.dev/gostsig"
	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/testkit"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if peerVal != nil {
		os.RemoveAll(peerDir(peerVal))
	}
	os.Exit(code)
}

// newVerifier is the warm-cache configuration of the benchmark: the
// fixture's root as the only anchor, its CA as an intermediate, its CRLs
// loaded, offline, a fixed clock.
func newVerifier(tb testing.TB, f *fixture) *gostsig.Verifier {
	tb.Helper()
	v, err := gostsig.New(gostsig.Config{
		Roots:         [][]byte{f.root},
		Intermediates: [][]byte{f.ca},
		CRLs:          f.crls,
		Offline:       true,
		Clock:         func() time.Time { return f.at },
	})
	if err != nil {
		tb.Fatal(err)
	}
	// Warm the caches, and make sure the fixture verifies: a benchmark of
	// a failing verification would measure the wrong path.
	r, err := v.Verify(context.Background(), gostsig.Input{Signature: f.sig, ValidationTime: f.at})
	if err != nil {
		tb.Fatal(err)
	}
	if r.Indication != gostsig.TotalPassed {
		tb.Fatalf("fixture does not verify: %s %s: %+v", r.Indication, r.SubIndication, r.Signatures)
	}
	return v
}

// BenchmarkVerifyCAdESBES is the end-to-end figure: parse, digest,
// signature, chain (cached), CRL status (cached index), policy, Result.
// Run with -cpu 1,2 for the per-core figures.
func BenchmarkVerifyCAdESBES(b *testing.B) {
	f := getFixture(b)
	v := newVerifier(b, f)
	defer v.Close()
	in := gostsig.Input{Signature: f.sig, ValidationTime: f.at}
	b.ReportAllocs()
	b.SetBytes(int64(len(f.sig)))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			r, err := v.Verify(ctx, in)
			if err != nil || r.Indication != gostsig.TotalPassed {
				b.Errorf("verify: %v %v", r, err)
				return
			}
		}
	})
}

// BenchmarkRawLeafVerify is the floor: one GOST R 34.10-2012 signature
// verification with the leaf's key (same curve, same hash size), digest
// given.
func BenchmarkRawLeafVerify(b *testing.B) {
	pub, digest, sig := rawLeaf(getFixture(b))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if !gost3410.Verify(pub, digest, sig) {
				b.Error("raw verify failed")
				return
			}
		}
	})
}

func rawLeaf(f *fixture) (*gost3410.PublicKey, []byte, []byte) {
	key := f.pki.Leaf.Key
	digest := testkit.Digest(key.HashOID(), f.content)
	return key.Public(), digest, key.SignDigest(digest)
}

// TestCompareOpenSSL measures gostsig and the OpenSSL harness in the same
// run, on 1 and 2 cores, and prints the ratios that bench/README.md
// records. The three measurements are interleaved and repeated
// (compareRounds) and the best rate of each is kept, which is what a busy
// shared machine allows. It takes about 30 s, so it runs only when asked:
//
//	GOSTSIG_BENCH_COMPARE=1 go test ./bench/verify -run CompareOpenSSL -v
func TestCompareOpenSSL(t *testing.T) {
	if os.Getenv("GOSTSIG_BENCH_COMPARE") == "" {
		t.Skip("set GOSTSIG_BENCH_COMPARE=1 to run the side-by-side measurement")
	}
	p := needPeer(t)
	f := getFixture(t)
	prev := runtime.GOMAXPROCS(0)
	defer runtime.GOMAXPROCS(prev)
	var report strings.Builder
	fmt.Fprintf(&report, "small attached CAdES-BES (%d-byte content), warm chain and CRL caches; best of %d interleaved rounds\n", len(f.content), compareRounds)
	fmt.Fprintf(&report, "%-6s %12s %12s %14s %12s %12s\n", "cores", "gostsig/s", "openssl/s", "raw-verify/s", "vs-openssl", "cost/raw")
	for _, cores := range []int{1, 2} {
		runtime.GOMAXPROCS(cores)
		var ours, raw, theirs float64
		for range compareRounds {
			ours = max(ours, rate(testing.Benchmark(BenchmarkVerifyCAdESBES)))
			raw = max(raw, rate(testing.Benchmark(BenchmarkRawLeafVerify)))
			r, err := p.run(cores, 1)
			if err != nil {
				t.Fatal(err)
			}
			theirs = max(theirs, r)
		}
		fmt.Fprintf(&report, "%-6d %12.0f %12.0f %14.0f %11.2fx %11.2fx\n", cores, ours, theirs, raw, ours/theirs, raw/ours)
	}
	t.Log("\n" + report.String())
}

const compareRounds = 3

// rate converts a benchmark result to operations per second of wall time.
// RunParallel spreads b.N over GOMAXPROCS goroutines, so ns/op is already
// wall time per operation.
func rate(r testing.BenchmarkResult) float64 {
	if r.N == 0 || r.T == 0 {
		return 0
	}
	return float64(r.N) / r.T.Seconds()
}
