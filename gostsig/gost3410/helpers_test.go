package gost3410

import (
	"encoding/hex"
	"io"
	"math/big"
	"strings"
	"testing"
)

// testAllCurves runs f on every curve in parallel subtests; under -short
// only on CryptoPro-A and tc26-512-C (one Weierstrass 256-bit curve and one
// Edwards 512-bit curve).
func testAllCurves(t *testing.T, f func(t *testing.T, c *Curve)) {
	t.Helper()
	for _, c := range allCurves {
		if testing.Short() && c != curveCryptoProA && c != curveTC26512C {
			continue
		}
		t.Run(c.short, func(t *testing.T) {
			t.Parallel()
			f(t, c)
		})
	}
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	s = strings.Join(strings.Fields(s), "")
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustInt(t testing.TB, s string) *big.Int {
	t.Helper()
	v, ok := new(big.Int).SetString(s, 16)
	if !ok {
		t.Fatalf("bad hex %q", s)
	}
	return v
}

// intToLE returns v as n little-endian bytes.
func intToLE(v *big.Int, n int) []byte {
	b := v.FillBytes(make([]byte, n))
	reverse(b)
	return b
}

// testSign is GOST R 34.10-2012 §6.1 over math/big, for tests only: it
// signs the integer alpha (= int_LE(H)) with key d and nonce k and returns
// BE(s) || BE(r). It returns nil if k gives r = 0 or s = 0.
func testSign(c *Curve, d, alpha, k *big.Int) []byte {
	p := &c.p
	e := new(big.Int).Mod(alpha, p.Q)
	if e.Sign() == 0 {
		e.SetInt64(1)
	}
	C := refScalarMult(p, refPoint{x: p.X, y: p.Y}, k)
	r := new(big.Int).Mod(C.x, p.Q)
	if r.Sign() == 0 {
		return nil
	}
	s := new(big.Int).Mul(r, d)
	s.Add(s, new(big.Int).Mul(k, e)).Mod(s, p.Q)
	if s.Sign() == 0 {
		return nil
	}
	n := c.size
	sig := make([]byte, 2*n)
	s.FillBytes(sig[:n])
	r.FillBytes(sig[n:])
	return sig
}

// randScalar returns an integer in [1, q-1], (almost) uniform.
func randScalar(t testing.TB, r io.Reader, q *big.Int) *big.Int {
	t.Helper()
	// Reduce 64 extra bits: the bias is negligible, and reading r
	// directly keeps the stream deterministic when r is.
	buf := make([]byte, (q.BitLen()+7)/8+8)
	if _, err := io.ReadFull(r, buf); err != nil {
		t.Fatal(err)
	}
	qm1 := new(big.Int).Sub(q, big.NewInt(1))
	k := new(big.Int).SetBytes(buf)
	return k.Mod(k, qm1).Add(k, big.NewInt(1))
}

// testKey returns a key pair on c: d·P with the reference arithmetic.
func testKey(t testing.TB, r io.Reader, c *Curve) (*big.Int, *PublicKey) {
	t.Helper()
	d := randScalar(t, r, c.p.Q)
	Q := refScalarMult(&c.p, refPoint{x: c.p.X, y: c.p.Y}, d)
	raw := append(intToLE(Q.x, c.size), intToLE(Q.y, c.size)...)
	alg := GOST2012_256
	if c.size == 64 {
		alg = GOST2012_512
	}
	pub, err := NewPublicKey(alg, c, raw)
	if err != nil {
		t.Fatalf("NewPublicKey(d·P): %v", err)
	}
	return d, pub
}

// testSignature signs a random digest on c; it returns the digest bytes
// (as a hash would emit them) and the signature.
func testSignature(t testing.TB, r io.Reader, c *Curve, d *big.Int) (digest, sig []byte) {
	t.Helper()
	for {
		digest = make([]byte, c.size)
		if _, err := io.ReadFull(r, digest); err != nil {
			t.Fatal(err)
		}
		k := randScalar(t, r, c.p.Q)
		if sig = testSign(c, d, leToInt(digest), k); sig != nil {
			return digest, sig
		}
	}
}

// detRand is a deterministic byte stream for reproducible tests
// (SHAKE would do too; this avoids a dependency): a xorshift generator.
type detRand struct{ s uint64 }

func newDetRand(seed uint64) *detRand { return &detRand{s: seed*0x9E3779B97F4A7C15 | 1} }

func (r *detRand) next() uint64 {
	r.s ^= r.s << 13
	r.s ^= r.s >> 7
	r.s ^= r.s << 17
	return r.s
}

func (r *detRand) Read(p []byte) (int, error) {
	for i := range p {
		r.s ^= r.s << 13
		r.s ^= r.s >> 7
		r.s ^= r.s << 17
		p[i] = byte(r.s >> 32)
	}
	return len(p), nil
}

// leToInt reads b as a little-endian unsigned integer.
func leToInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i, v := range b {
		be[len(b)-1-i] = v
	}
	return new(big.Int).SetBytes(be)
}

// xy returns the key's affine Weierstrass coordinates (the reference code
// works on big integers; the key keeps only its encoding).
func (k *PublicKey) xy() (x, y *big.Int) {
	n := len(k.raw) / 2
	return leToInt(k.raw[:n]), leToInt(k.raw[n:])
}

func refPointOf(k *PublicKey) refPoint {
	x, y := k.xy()
	return refPoint{x: x, y: y}
}

func refVerifyKey(p *CurveParams, k *PublicKey, e, r, s *big.Int) error {
	x, y := k.xy()
	return refVerify(p, x, y, e, r, s)
}

func refOnCurveKey(p *CurveParams, k *PublicKey) bool {
	x, y := k.xy()
	return refOnCurve(p, x, y)
}
