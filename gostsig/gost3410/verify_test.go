package gost3410

import (
	"errors"
	"math/big"
	"testing"
)

// sigFromInts returns BE(s) || BE(r) for arbitrary non-negative r, s that
// fit in n bytes.
func sigFromInts(n int, r, s *big.Int) []byte {
	sig := make([]byte, 2*n)
	s.FillBytes(sig[:n])
	r.FillBytes(sig[n:])
	return sig
}

func TestVerifyNegative(t *testing.T) {
	testAllCurves(t, func(t *testing.T, c *Curve) {
		n := c.size
		q := c.p.Q
		rnd := newDetRand(20)
		d, pub := testKey(t, rnd, c)
		digest, sig := testSignature(t, rnd, c, d)
		if err := CheckSignature(pub, digest, sig); err != nil {
			t.Fatalf("valid signature rejected: %v", err)
		}
		s := new(big.Int).SetBytes(sig[:n])
		r := new(big.Int).SetBytes(sig[n:])
		two8n := new(big.Int).Lsh(big.NewInt(1), uint(8*n))
		fits := func(v *big.Int) bool { return v.Sign() >= 0 && v.Cmp(two8n) < 0 }

		reject := func(name string, digest, sig []byte) {
			t.Helper()
			err := CheckSignature(pub, digest, sig)
			if err == nil || Verify(pub, digest, sig) {
				t.Errorf("%s: accepted", name)
				return
			}
			if !errors.Is(err, ErrInvalidSignature) {
				t.Errorf("%s: error %v does not match ErrInvalidSignature", name, err)
			}
		}
		zero := new(big.Int)
		qp1 := new(big.Int).Add(q, big.NewInt(1))
		allOnes := new(big.Int).Sub(two8n, big.NewInt(1))
		for _, bad := range []struct {
			name string
			r, s *big.Int
		}{
			{"r = 0", zero, s}, {"s = 0", r, zero}, {"r = s = 0", zero, zero},
			{"r = q", q, s}, {"s = q", r, q},
			{"r = q+1", qp1, s}, {"s = q+1", r, qp1},
			{"r = 2^n-1", allOnes, s}, {"s = 2^n-1", r, allOnes},
			{"r+q", new(big.Int).Add(r, q), s}, {"s+q", r, new(big.Int).Add(s, q)},
			{"r-q wrapped", new(big.Int).Mod(new(big.Int).Sub(r, q), two8n), s},
			{"s-q wrapped", r, new(big.Int).Mod(new(big.Int).Sub(s, q), two8n)},
			{"r, s swapped", s, r},
			{"r+1", new(big.Int).Add(r, big.NewInt(1)), s},
			{"s+1", r, new(big.Int).Add(s, big.NewInt(1))},
			{"-s", r, new(big.Int).Sub(q, s)},
		} {
			if !fits(bad.r) || !fits(bad.s) {
				continue // r + q may not fit in n bytes; that is a length error, tested below
			}
			reject(bad.name, digest, sigFromInts(n, bad.r, bad.s))
		}
		for _, i := range []int{0, 1, n - 1, n, 2*n - 1} {
			for _, bit := range []uint{0, 7} {
				bad := append([]byte(nil), sig...)
				bad[i] ^= 1 << bit
				reject("flipped signature bit", digest, bad)
				badD := append([]byte(nil), digest...)
				badD[i%n] ^= 1 << bit
				reject("flipped digest bit", badD, sig)
			}
		}
		rev := append([]byte(nil), sig...)
		reverse(rev)
		reject("CryptoAPI byte order", digest, rev)
		reject("digest one byte short", digest[:n-1], sig)
		reject("digest one byte long", append(append([]byte(nil), digest...), 0), sig)
		reject("nil digest", nil, sig)
		reject("signature one byte short", digest, sig[:2*n-1])
		reject("signature one byte long", digest, append(append([]byte(nil), sig...), 0))
		reject("empty signature", digest, nil)
		if Verify(nil, digest, sig) || CheckSignature(nil, digest, sig) == nil {
			t.Error("nil key accepted")
		}
		_, other := testKey(t, rnd, c)
		if Verify(other, digest, sig) {
			t.Error("accepted under another key")
		}

		// C = O: s ≡ r·d (mod q) makes z1·P + z2·Q = (s − r·d)·v·P = O.
		rr := randScalar(t, rnd, q)
		ss := new(big.Int).Mul(rr, d)
		ss.Mod(ss, q)
		if err := CheckSignature(pub, digest, sigFromInts(n, rr, ss)); err != errInfinity {
			t.Errorf("C = O: err = %v, want %v", err, errInfinity)
		}
	})
}

// TestVerifyZeroDigest checks e ≡ 0 (mod q) → e = 1 (RFC 7091 §6.2 step 3):
// digests whose integer value is 0, q or 2q all verify like e = 1.
func TestVerifyZeroDigest(t *testing.T) {
	testAllCurves(t, func(t *testing.T, c *Curve) {
		n := c.size
		q := c.p.Q
		rnd := newDetRand(21)
		d, pub := testKey(t, rnd, c)
		k := randScalar(t, rnd, q)
		sig := testSign(c, d, big.NewInt(1), k)
		two8n := new(big.Int).Lsh(big.NewInt(1), uint(8*n))
		for _, alpha := range []*big.Int{big.NewInt(0), big.NewInt(1), q, new(big.Int).Lsh(q, 1), new(big.Int).Mul(q, big.NewInt(3))} {
			if alpha.Cmp(two8n) >= 0 {
				continue
			}
			if err := CheckSignature(pub, intToLE(alpha, n), sig); err != nil {
				t.Errorf("α = %x: %v", alpha, err)
			}
			if err := CheckSignatureInt(pub, alpha, sig); err != nil {
				t.Errorf("CheckSignatureInt(α = %x): %v", alpha, err)
			}
		}
		if Verify(pub, intToLE(big.NewInt(2), n), sig) {
			t.Error("e = 2 accepted for an e = 1 signature")
		}
		// α ≥ q reduces: a signature for e = α mod q verifies with α.
		alpha := new(big.Int).Sub(two8n, big.NewInt(1))
		sig = testSign(c, d, alpha, k)
		if err := CheckSignature(pub, intToLE(alpha, n), sig); err != nil {
			t.Errorf("α = 2^n−1: %v", err)
		}
		if err := CheckSignatureInt(pub, new(big.Int).Mod(alpha, q), sig); err != nil {
			t.Errorf("α mod q: %v", err)
		}
		if CheckSignatureInt(pub, big.NewInt(-1), sig) == nil || CheckSignatureInt(pub, nil, sig) == nil {
			t.Error("negative or nil α accepted")
		}
	})
}

// forgeKeyFor returns a public key for which (r, s) with r = x_C mod q is a
// valid signature of alpha, where C is the given point: it solves
// z1·P + z2·Q = C for Q. This reaches cases random signatures never do,
// such as x_C ≥ q on the cofactor-1 curves.
func forgeKeyFor(t *testing.T, c *Curve, C refPoint, alpha, s *big.Int) (*PublicKey, []byte) {
	t.Helper()
	p := &c.p
	q := p.Q
	r := new(big.Int).Mod(C.x, q)
	e := new(big.Int).Mod(alpha, q)
	if e.Sign() == 0 {
		e.SetInt64(1)
	}
	v := new(big.Int).ModInverse(e, q)
	z1 := new(big.Int).Mul(s, v)
	z1.Mod(z1, q)
	z2 := new(big.Int).Mul(r, v)
	z2.Neg(z2).Mod(z2, q)
	// Q = z2⁻¹·(C − z1·P).
	z1P := refScalarMult(p, refPoint{x: p.X, y: p.Y}, z1)
	negZ1P := refPoint{x: z1P.x, y: new(big.Int).Sub(p.P, z1P.y)}
	Q := refScalarMult(p, refAdd(p, C, negZ1P), new(big.Int).ModInverse(z2, q))
	if Q.inf {
		t.Fatal("forged key is O")
	}
	n := c.size
	alg := GOST2012_256
	if n == 64 {
		alg = GOST2012_512
	}
	pub, err := NewPublicKey(alg, c, append(intToLE(Q.x, n), intToLE(Q.y, n)...))
	if err != nil {
		t.Fatal(err)
	}
	return pub, sigFromInts(n, r, s)
}

// TestVerifyLargeX covers x_C ≥ q: the verifier must compare x_C mod q,
// not x_C, with r (RFC 7091 §6.2 step 7).
func TestVerifyLargeX(t *testing.T) {
	testAllCurves(t, func(t *testing.T, c *Curve) {
		p := &c.p
		q := p.Q
		if q.Cmp(p.P) >= 0 {
			t.Skip("q > p: no x_C ≥ q") // test-256, CryptoPro-B, tc26-512-B, test-512 have q > p
		}
		rnd := newDetRand(22)
		n := c.size
		found := 0
		for tries := 0; found < 3 && tries < 1000; tries++ {
			// A point with q ≤ x < p, in the order-q subgroup.
			buf := make([]byte, n)
			rnd.Read(buf)
			x := new(big.Int).SetBytes(buf)
			x.Mod(x, new(big.Int).Sub(p.P, q)).Add(x, q)
			rhs := new(big.Int).Mul(x, x)
			rhs.Add(rhs, p.A).Mul(rhs, x).Add(rhs, p.B).Mod(rhs, p.P)
			y := new(big.Int).ModSqrt(rhs, p.P)
			if y == nil || y.Sign() == 0 {
				continue
			}
			C := refPoint{x: x, y: y}
			if !refScalarMult(p, C, q).inf {
				continue
			}
			alpha := new(big.Int).SetBytes(buf[:n/2])
			pub, sig := forgeKeyFor(t, c, C, alpha, randScalar(t, rnd, q))
			if err := CheckSignatureInt(pub, alpha, sig); err != nil {
				t.Fatalf("x_C = %x ≥ q: %v", x, err)
			}
			// r + q with the same C is out of range; r − 1 is a mismatch.
			r := new(big.Int).SetBytes(sig[n:])
			sig2 := sigFromInts(n, new(big.Int).Sub(r, big.NewInt(1)), new(big.Int).SetBytes(sig[:n]))
			if CheckSignatureInt(pub, alpha, sig2) == nil {
				t.Fatal("r − 1 accepted")
			}
			found++
		}
		if found == 0 {
			t.Fatal("no point with x ≥ q found")
		}
	})
}

func TestVerifyRandom(t *testing.T) {
	testAllCurves(t, func(t *testing.T, c *Curve) {
		rnd := newDetRand(23)
		iters := 4
		if testing.Short() {
			iters = 2
		}
		for i := 0; i < iters; i++ {
			d, pub := testKey(t, rnd, c)
			digest, sig := testSignature(t, rnd, c, d)
			if !Verify(pub, digest, sig) {
				t.Fatalf("signature %d rejected", i)
			}
		}
	})
}
