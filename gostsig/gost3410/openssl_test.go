package gost3410

import (
	"bytes"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// opensslGOST prepares an OpenSSL with the gost engine, or skips the test.
// It returns the environment to run openssl with.
func opensslGOST(t *testing.T) []string {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed; this interop test needs OpenSSL 3 + gost engine (Debian: libengine-gost-openssl)")
	}
	conf := filepath.Join(t.TempDir(), "openssl-gost.cnf")
	err := os.WriteFile(conf, []byte(`openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
default_algorithms = ALL
`), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "OPENSSL_CONF="+conf)
	cmd := exec.Command("openssl", "genpkey", "-algorithm", "gost2012_256", "-pkeyopt", "paramset:A")
	cmd.Env = env
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("openssl has no gost engine (install libengine-gost-openssl): %v: %s", err, firstLine(out))
	}
	return env
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}

func runOpenSSL(t *testing.T, env []string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("openssl", args...)
	cmd.Env = env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("openssl %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out
}

// TestOpenSSLInterop has OpenSSL + gost engine make a key on every
// parameter set the engine accepts (openssl-gost-pki.md §2) and sign
// random digests with it (`openssl pkeyutl -sign`, which signs a
// pre-hashed digest); we must accept every signature and reject each one
// after a random bit flip in the signature or the digest.
//
// 100 signatures per key, 14 keys: 1400 signatures, about 15 s of openssl
// processes on 2 cores; -short signs 8 per key.
func TestOpenSSLInterop(t *testing.T) {
	env := opensslGOST(t)
	perKey := 100
	if testing.Short() {
		perKey = 8
	}
	for _, tc := range []struct {
		alg, paramset string
		curve         *Curve
		want          Algorithm
	}{
		{"gost2012_256", "A", curveCryptoProA, GOST2012_256},
		{"gost2012_256", "B", curveCryptoProB, GOST2012_256},
		{"gost2012_256", "C", curveCryptoProC, GOST2012_256},
		{"gost2012_256", "XA", curveCryptoProA, GOST2012_256},
		{"gost2012_256", "XB", curveCryptoProC, GOST2012_256},
		{"gost2012_256", "TCA", curveTC26256A, GOST2012_256},
		{"gost2012_256", "TCB", curveCryptoProA, GOST2012_256},
		{"gost2012_256", "TCC", curveCryptoProB, GOST2012_256},
		{"gost2012_256", "TCD", curveCryptoProC, GOST2012_256},
		{"gost2012_256", "0", curveTest256, GOST2012_256},
		{"gost2001", "A", curveCryptoProA, GOST2001},
		{"gost2012_512", "A", curveTC26512A, GOST2012_512},
		{"gost2012_512", "B", curveTC26512B, GOST2012_512},
		{"gost2012_512", "C", curveTC26512C, GOST2012_512},
	} {
		t.Run(tc.alg+"-"+tc.paramset, func(t *testing.T) {
			dir := t.TempDir()
			key := filepath.Join(dir, "key.pem")
			runOpenSSL(t, env, "genpkey", "-algorithm", tc.alg, "-pkeyopt", "paramset:"+tc.paramset, "-out", key)
			spki := runOpenSSL(t, env, "pkey", "-in", key, "-pubout", "-outform", "DER")
			pub, err := ParsePublicKey(spki)
			if err != nil {
				t.Fatalf("ParsePublicKey(openssl key): %v", err)
			}
			if pub.Curve() != tc.curve || pub.Algorithm() != tc.want {
				t.Fatalf("key parsed as %v on %v", pub.Algorithm(), pub.Curve())
			}
			n := pub.Curve().PointSize()
			rnd := newDetRand(uint64(len(t.Name())) + uint64(tc.curve.size))
			digests := make([][]byte, perKey)
			sigs := make([][]byte, perKey)
			for i := range digests {
				digests[i] = make([]byte, n)
				rnd.Read(digests[i])
				// Cover the edge digests too: e = 0 (α = 0) and α = q.
				switch i {
				case 0:
					clear(digests[i])
				case 1:
					copy(digests[i], intToLE(pub.Curve().p.Q, n))
				}
				if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("d%d", i)), digests[i], 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var wg sync.WaitGroup
			work := make(chan int)
			for range runtime.NumCPU() {
				wg.Go(func() {
					for i := range work {
						sigs[i] = runOpenSSL(t, env, "pkeyutl", "-sign", "-inkey", key,
							"-in", filepath.Join(dir, fmt.Sprintf("d%d", i)))
					}
				})
			}
			for i := range perKey {
				work <- i
			}
			close(work)
			wg.Wait()

			for i := range perKey {
				digest, sig := digests[i], sigs[i]
				if err := CheckSignature(pub, digest, sig); err != nil {
					t.Fatalf("signature %d (digest %x, sig %x): %v", i, digest, sig, err)
				}
				bit := int(rnd.next() % uint64(16*n))
				bad := bytes.Clone(sig)
				bad[bit/8] ^= 1 << (bit % 8)
				if Verify(pub, digest, bad) {
					t.Fatalf("signature %d accepted with bit %d flipped", i, bit)
				}
				bit = int(rnd.next() % uint64(8*n))
				badD := bytes.Clone(digest)
				badD[bit/8] ^= 1 << (bit % 8)
				// Only a digest with the same e may verify (0 → 1 makes
				// α = 1 equivalent to α = 0).
				if Verify(pub, badD, sig) && eOf(pub.Curve(), badD).Cmp(eOf(pub.Curve(), digest)) != 0 {
					t.Fatalf("signature %d accepted with digest bit %d flipped", i, bit)
				}
			}
		})
	}
}

// eOf is e for a digest: int_LE(digest) mod q, or 1 if that is 0.
func eOf(c *Curve, digest []byte) *big.Int {
	e := new(big.Int).Mod(leToInt(digest), c.p.Q)
	if e.Sign() == 0 {
		e.SetInt64(1)
	}
	return e
}
