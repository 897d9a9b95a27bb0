package gost3410

import (
	"bytes"
	"math/big"
	"testing"

	"gostsig.dev/gostsig/gost3410/internal/ec"
	"gostsig.dev/gostsig/gost3410/internal/field"
)

// forEachImpl runs f with the pure-Go field arithmetic and, where the CPU
// has it, with the assembly. Subtests must not run in parallel across
// implementations (the switch is global), so f runs them sequentially.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	was := field.UseAssembly(false)
	defer field.UseAssembly(was)
	t.Run("generic", f)
	if field.HasAssembly() {
		field.UseAssembly(true)
		t.Run("asm", f)
	}
}

func bigLimbs(v *big.Int, n int) []uint64 {
	out := make([]uint64, n)
	w := new(big.Int).Set(v)
	mask := new(big.Int).SetUint64(^uint64(0))
	for i := range out {
		out[i] = new(big.Int).And(w, mask).Uint64()
		w.Rsh(w, 64)
	}
	return out
}

// edgeScalars returns scalars in [0, q−1] that stress the recoding and the
// special cases of the addition formulas.
func edgeScalars(q *big.Int, n int, rnd *detRand, nRandom int) []*big.Int {
	one := big.NewInt(1)
	out := []*big.Int{
		big.NewInt(0), big.NewInt(1), big.NewInt(2), big.NewInt(3), big.NewInt(15), big.NewInt(16), big.NewInt(17),
		new(big.Int).Sub(q, one), new(big.Int).Sub(q, big.NewInt(2)), new(big.Int).Rsh(q, 1),
		new(big.Int).Add(new(big.Int).Rsh(q, 1), one),
	}
	for _, k := range []uint{63, 64, 127, 128, uint(8*n - 3), uint(8*n - 2)} {
		v := new(big.Int).Lsh(one, k)
		out = append(out, v, new(big.Int).Sub(v, one))
	}
	allOnes := new(big.Int).SetUint64(^uint64(0))
	for i := 0; i < n/8; i++ {
		out = append(out, new(big.Int).Lsh(allOnes, uint(64*i)))
	}
	for range nRandom {
		b := make([]byte, n+8)
		rnd.Read(b)
		out = append(out, new(big.Int).SetBytes(b))
	}
	for _, v := range out {
		v.Mod(v, q)
	}
	return out
}

// TestDoubleScalarMultDifferential compares the fixed-limb interleaved
// wNAF z1·P + z2·Q (with and without the per-key table) against the
// math/big double-and-add reference on every curve and both field
// implementations.
func TestDoubleScalarMultDifferential(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		for _, c := range allCurves {
			if testing.Short() && c != curveCryptoProA && c != curveTC26512C {
				continue
			}
			t.Run(c.short, func(t *testing.T) {
				p := &c.p
				n := c.size
				rnd := newDetRand(30)
				d, pub := testKey(t, rnd, c)
				nRandom := 6
				if n == 64 {
					nRandom = 3
				}
				sc := edgeScalars(p.Q, n, rnd, nRandom)
				G := refPoint{x: p.X, y: p.Y}
				Q := refPointOf(pub)
				// Pairs: each scalar against a few partners, plus
				// z1 = −d·z2 (C = O) and z1 = z2 = 0.
				type pair struct{ z1, z2 *big.Int }
				var pairs []pair
				for i, a := range sc {
					pairs = append(pairs, pair{a, sc[(i*7+3)%len(sc)]}, pair{sc[(i*5+1)%len(sc)], a})
				}
				for _, z2 := range sc[:4] {
					z1 := new(big.Int).Mul(d, z2)
					z1.Neg(z1).Mod(z1, p.Q)
					pairs = append(pairs, pair{z1, z2})
				}
				// Pairs that make an addition meet its special cases at the
				// last step: accumulator = ±(table entry).
				// (z1 = ±m·d, z2 = m): z1·P = ±m·Q when m·Q is added.
				// (z1 = m, z2 = ±m/d even): z2·Q = ±m·P when m·P is added.
				dInv := new(big.Int).ModInverse(d, p.Q)
				for _, m := range []int64{1, 3, 5, 7} {
					M := big.NewInt(m)
					for _, sign := range []int64{1, -1} {
						z1 := new(big.Int).Mul(M, d)
						z1.Mul(z1, big.NewInt(sign)).Mod(z1, p.Q)
						pairs = append(pairs, pair{z1, M})
						z2 := new(big.Int).Mul(M, dInv)
						z2.Mul(z2, big.NewInt(sign)).Mod(z2, p.Q)
						if z2.Bit(0) == 0 {
							pairs = append(pairs, pair{M, z2})
						}
					}
				}
				for _, pr := range pairs {
					want := refAdd(p, refScalarMult(p, G, pr.z1), refScalarMult(p, Q, pr.z2))
					for _, pre := range []bool{false, true} {
						x, y, ok := ec.DoubleScalarMult(c.ecID(), pub.fast, bigLimbs(pr.z1, n/8), bigLimbs(pr.z2, n/8), pre)
						if ok == want.inf {
							t.Fatalf("z1=%x z2=%x pre=%v: infinity mismatch (got ok=%v)", pr.z1, pr.z2, pre, ok)
						}
						if !ok {
							continue
						}
						if !bytes.Equal(x, intToLE(want.x, n)) || !bytes.Equal(y, intToLE(want.y, n)) {
							t.Fatalf("z1=%x z2=%x pre=%v: got (%x, %x), want (%x, %x)", pr.z1, pr.z2, pre, x, y, want.x, want.y)
						}
					}
				}
			})
		}
	})
}

// TestVerifyDifferential compares Verify (fast path, with and without
// Precompute, both field implementations) with the math/big refVerify on
// valid, mutated and random signatures, including x_C ≥ q cases.
func TestVerifyDifferential(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		for _, c := range allCurves {
			if testing.Short() && c != curveCryptoProA && c != curveTC26512C {
				continue
			}
			t.Run(c.short, func(t *testing.T) {
				rnd := newDetRand(31)
				n := c.size
				iters := 6
				if n == 64 {
					iters = 3
				}
				for i := 0; i < iters; i++ {
					d, pub := testKey(t, rnd, c)
					pubPre, _ := NewPublicKey(pub.alg, c, pub.raw)
					pubPre.Precompute()
					digest, sig := testSignature(t, rnd, c, d)
					cases := [][2][]byte{{digest, sig}}
					bad := bytes.Clone(sig)
					bad[int(rnd.next()%uint64(2*n))] ^= byte(1 << (rnd.next() % 8))
					cases = append(cases, [2][]byte{digest, bad})
					random := make([]byte, 2*n)
					rnd.Read(random)
					cases = append(cases, [2][]byte{digest, random})
					for _, cs := range cases {
						s := new(big.Int).SetBytes(cs[1][:n])
						r := new(big.Int).SetBytes(cs[1][n:])
						want := refVerifyKey(&c.p, pub, leToInt(cs[0]), r, s)
						for _, k := range []*PublicKey{pub, pubPre} {
							if got := CheckSignature(k, cs[0], cs[1]); got != want {
								t.Fatalf("sig %x: fast %v, reference %v", cs[1], got, want)
							}
						}
					}
				}
			})
		}
	})
}

// TestAllocations: Verify allocates nothing once the key is parsed, with or
// without the precomputed table.
func TestAllocations(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts are checked in the full run")
	}
	for _, c := range allCurves {
		rnd := newDetRand(32)
		d, pub := testKey(t, rnd, c)
		digest, sig := testSignature(t, rnd, c, d)
		if n := testing.AllocsPerRun(5, func() {
			if !Verify(pub, digest, sig) {
				t.Fatal("rejected")
			}
		}); n != 0 {
			t.Errorf("%v: %v allocations per Verify", c, n)
		}
		pub.Precompute()
		if n := testing.AllocsPerRun(5, func() { Verify(pub, digest, sig) }); n != 0 {
			t.Errorf("%v (precomputed): %v allocations per Verify", c, n)
		}
		// Digest and signature in arrays on the caller's stack must not
		// escape (e.g. h := streebog.Sum256(data); Verify(pub, h[:], sig)).
		if n := testing.AllocsPerRun(5, func() {
			var h [64]byte
			var sg [128]byte
			copy(h[:], digest)
			copy(sg[:], sig)
			if !Verify(pub, h[:len(digest)], sg[:len(sig)]) {
				t.Fatal("rejected")
			}
		}); n != 0 {
			t.Errorf("%v (stack arrays): %v allocations per Verify", c, n)
		}
		bad := bytes.Clone(sig)
		bad[0] ^= 0x80
		if n := testing.AllocsPerRun(5, func() { Verify(pub, digest, bad) }); n != 0 {
			t.Errorf("%v (rejected): %v allocations per Verify", c, n)
		}
	}
}
