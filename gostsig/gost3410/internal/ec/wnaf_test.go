package ec

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestWNAF reconstructs k = Σ d_i·2^i from the recoding and checks the
// digit constraints (odd, |d| < 2^(w−1), at least w−1 zeros between
// non-zero digits) for edge and random values and every width used.
func TestWNAF(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 7))
	for _, limbs := range []int{4, 8} {
		var vals [][]uint64
		for _, pattern := range []uint64{0, 1, 2, 3, ^uint64(0), 1 << 63, 0x5555555555555555, 0xAAAAAAAAAAAAAAAA} {
			v := make([]uint64, limbs)
			for i := range v {
				v[i] = pattern
			}
			vals = append(vals, v)
			w := make([]uint64, limbs)
			w[0] = pattern
			vals = append(vals, w)
			x := make([]uint64, limbs)
			x[limbs-1] = pattern
			vals = append(vals, x)
		}
		for range 200 {
			v := make([]uint64, limbs)
			for i := range v {
				v[i] = rnd.Uint64()
			}
			vals = append(vals, v)
		}
		for _, w := range []uint{5, 6, 7, 8} {
			for _, v := range vals {
				out := make([]int8, 64*limbs+1)
				top := wnaf(out, v, w)
				sum := new(big.Int)
				last := -1
				for i := len(out) - 1; i >= 0; i-- {
					d := out[i]
					if d == 0 {
						continue
					}
					if last < 0 {
						last = i
						if i != top {
							t.Fatalf("top = %d, highest digit at %d", top, i)
						}
					} else if last-i < int(w) {
						t.Fatalf("digits at %d and %d closer than w = %d", last, i, w)
					}
					last = i
					if lim := 1 << (w - 1); d%2 == 0 || int(d) >= lim || int(d) <= -lim {
						t.Fatalf("digit %d at %d out of range for w = %d", d, i, w)
					}
					sum.Add(sum, new(big.Int).Lsh(big.NewInt(int64(d)), uint(i)))
				}
				want := new(big.Int)
				for i := limbs - 1; i >= 0; i-- {
					want.Lsh(want, 64).Or(want, new(big.Int).SetUint64(v[i]))
				}
				if sum.Cmp(want) != 0 {
					t.Fatalf("w = %d: digits of %x sum to %x", w, want, sum)
				}
				if want.Sign() == 0 && top != -1 {
					t.Fatal("top != -1 for 0")
				}
			}
		}
	}
}

// TestEdwardsExceptional: on tc26-256-A and tc26-512-C no Weierstrass
// point has x = t − s, the one x the map to the Edwards form (RFC 7836
// §5.2, v = (x − t − s)/(x − t + s)) cannot take: x³ + ax + b is not a
// non-zero square there. So NewKey's check for it only ever sees off-curve
// input, which is rejected before.
func TestEdwardsExceptional(t *testing.T) {
	check := func(name string, pHex, aHex, bHex string, s, tt *big.Int, n int, newKey func(x, y []byte) Result) {
		p, _ := new(big.Int).SetString(pHex, 16)
		a, _ := new(big.Int).SetString(aHex, 16)
		b, _ := new(big.Int).SetString(bHex, 16)
		x := new(big.Int).Sub(tt, s)
		x.Mod(x, p)
		rhs := new(big.Int).Mul(x, x)
		rhs.Add(rhs, a).Mul(rhs, x).Add(rhs, b).Mod(rhs, p)
		if rhs.Sign() != 0 && big.Jacobi(rhs, p) == 1 {
			t.Errorf("%s: x = t − s is on the curve", name)
		}
		le := func(v *big.Int) []byte {
			out := v.FillBytes(make([]byte, n))
			for i, j := 0, n-1; i < j; i, j = i+1, j-1 {
				out[i], out[j] = out[j], out[i]
			}
			return out
		}
		if r := newKey(le(x), le(big.NewInt(1))); r != ErrNotOnCurve {
			t.Errorf("%s: NewKey(t − s, 1) = %v, want ErrNotOnCurve", name, r)
		}
	}
	check("tc26-256-A", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97",
		"C2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335",
		"295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513", a256s.Big(), a256t.Big(), 32,
		func(x, y []byte) Result { _, r := a256NewKey(x, y); return r })
	check("tc26-512-C", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7",
		"DC9203E514A721875485A529D2C722FB187BC8980EB866644DE41C68E143064546E861C0E2C9EDD92ADE71F46FCF50FF2AD97F951FDA9F2A2EB6546F39689BD3",
		"B4C4EE28CEBC6C2C8AC12952CF37F16AC7EFB6A9F69F4B57FFDA2E4F0DE5ADE038CBC2FFF719D2C18DE0284B8BFEF3B52B8CC7A5F5BF0A3C8D2319A5312557E1", c512s.Big(), c512t.Big(), 64,
		func(x, y []byte) Result { _, r := c512NewKey(x, y); return r })
}
