package field

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// elem is the method set every generated type has.
type elem[T any] interface {
	*T
	Add(x, y *T) *T
	Sub(x, y *T) *T
	Neg(x *T) *T
	Double(x *T) *T
	Mul(x, y *T) *T
	Square(x *T) *T
	Invert(x *T) *T
	InvertFermat(x *T) *T
	SetBig(v *big.Int) *T
	Big() *big.Int
	SetBytesLE(b []byte) bool
	SetBytesBE(b []byte) bool
	IsZero() bool
	IsOne() bool
	SetOne() *T
	Equal(x *T) bool
}

// edgeValues returns 0, 1, 2, m−1, m−2, (m−1)/2, values with one
// all-ones limb, 2^(64L)−1 mod m, 2^k ± 1 around the limb boundaries, and
// random values.
func edgeValues(m *big.Int, limbs int, rnd *rand.Rand, nRandom int) []*big.Int {
	one := big.NewInt(1)
	vals := []*big.Int{
		big.NewInt(0), big.NewInt(1), big.NewInt(2),
		new(big.Int).Sub(m, one), new(big.Int).Sub(m, big.NewInt(2)),
		new(big.Int).Rsh(new(big.Int).Sub(m, one), 1),
	}
	allOnes := new(big.Int).SetUint64(^uint64(0))
	for i := 0; i < limbs; i++ {
		vals = append(vals, new(big.Int).Lsh(allOnes, uint(64*i)))
	}
	vals = append(vals, new(big.Int).Sub(new(big.Int).Lsh(one, uint(64*limbs)), one))
	for _, k := range []uint{63, 64, 65, 127, 128, uint(64*limbs - 2), uint(64*limbs - 1)} {
		p := new(big.Int).Lsh(one, k)
		vals = append(vals, p, new(big.Int).Add(p, one), new(big.Int).Sub(p, one))
	}
	for range nRandom {
		b := make([]byte, 8*limbs)
		for i := range b {
			b[i] = byte(rnd.Uint32())
		}
		vals = append(vals, new(big.Int).SetBytes(b))
	}
	for i, v := range vals {
		vals[i] = v.Mod(v, m)
	}
	return vals
}

func testField[T any, P elem[T]](t *testing.T, limbs int) {
	var zero T
	m := new(big.Int).SetBytes(modulusBE(P(&zero)))
	rnd := rand.New(rand.NewPCG(1, uint64(limbs)))
	nRandom := 40
	if testing.Short() {
		nRandom = 8
	}
	vals := edgeValues(m, limbs, rnd, nRandom)
	mod := func(v *big.Int) *big.Int { return v.Mod(v, m) }
	check := func(op string, got P, want *big.Int, a, b *big.Int) {
		t.Helper()
		if got.Big().Cmp(want) != 0 {
			t.Fatalf("%s(%x, %x) = %x, want %x", op, a, b, got.Big(), want)
		}
	}
	for _, a := range vals {
		var x, z T
		P(&x).SetBig(a)
		if P(&x).Big().Cmp(a) != 0 {
			t.Fatalf("SetBig/Big round trip of %x", a)
		}
		check("Square", P(&z).Square(&x), mod(new(big.Int).Mul(a, a)), a, a)
		check("Neg", P(&z).Neg(&x), mod(new(big.Int).Neg(a)), a, a)
		check("Double", P(&z).Double(&x), mod(new(big.Int).Lsh(a, 1)), a, a)
		if a.Sign() != 0 {
			check("Invert", P(&z).Invert(&x), new(big.Int).ModInverse(a, m), a, a)
			check("InvertFermat", P(&z).InvertFermat(&x), new(big.Int).ModInverse(a, m), a, a)
		} else {
			P(&z).SetOne()
			P(&z).Invert(&x)
			if !P(&z).IsZero() {
				t.Fatal("Invert(0) != 0")
			}
		}
		// Aliasing: z = x·x in place.
		z = x
		check("Mul aliased", P(&z).Mul(&z, &z), mod(new(big.Int).Mul(a, a)), a, a)
		for _, b := range vals {
			var y T
			P(&y).SetBig(b)
			check("Add", P(&z).Add(&x, &y), mod(new(big.Int).Add(a, b)), a, b)
			check("Sub", P(&z).Sub(&x, &y), mod(new(big.Int).Sub(a, b)), a, b)
			check("Mul", P(&z).Mul(&x, &y), mod(new(big.Int).Mul(a, b)), a, b)
			if P(&x).Equal(&y) != (a.Cmp(b) == 0) {
				t.Fatalf("Equal(%x, %x)", a, b)
			}
		}
	}
	// Byte decoding rejects m and above, and wrong lengths.
	n := 8 * limbs
	for _, v := range []*big.Int{m, new(big.Int).Add(m, big.NewInt(1)), new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(8*n)), big.NewInt(1))} {
		var x T
		be := v.FillBytes(make([]byte, n))
		if P(&x).SetBytesBE(be) {
			t.Errorf("SetBytesBE accepted %x ≥ m", v)
		}
		le := reversed(be)
		if P(&x).SetBytesLE(le) {
			t.Errorf("SetBytesLE accepted %x ≥ m", v)
		}
	}
	var x T
	if P(&x).SetBytesLE(make([]byte, n-1)) || P(&x).SetBytesBE(make([]byte, n+1)) {
		t.Error("wrong length accepted")
	}
	mm1 := new(big.Int).Sub(m, big.NewInt(1))
	if !P(&x).SetBytesLE(reversed(mm1.FillBytes(make([]byte, n)))) || P(&x).Big().Cmp(mm1) != 0 {
		t.Error("SetBytesLE(m−1)")
	}
	P(&x).SetOne()
	if !P(&x).IsOne() || P(&x).IsZero() {
		t.Error("SetOne")
	}
}

func reversed(b []byte) []byte {
	c := make([]byte, len(b))
	for i, v := range b {
		c[len(b)-1-i] = v
	}
	return c
}

func modulusBE(x any) []byte {
	switch v := x.(type) {
	case interface{ ModulusBE() [32]byte }:
		b := v.ModulusBE()
		return b[:]
	case interface{ ModulusBE() [64]byte }:
		b := v.ModulusBE()
		return b[:]
	}
	panic("no modulus")
}

// forEachImpl runs f with the pure-Go code and, where the CPU has it,
// with the assembly.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	saved := useADX
	defer func() { useADX = saved }()
	useADX = false
	t.Run("generic", f)
	if hasADX {
		useADX = true
		t.Run("adx", f)
	} else {
		t.Log("assembly not available on this CPU/build: only the generic code ran")
	}
}

func TestFields(t *testing.T) { forEachImpl(t, testFields) }

func testFields(t *testing.T) {
	t.Run("Fe256m617", func(t *testing.T) { testField[Fe256m617](t, 4) })
	t.Run("Fe255p3225", func(t *testing.T) { testField[Fe255p3225](t, 4) })
	t.Run("Fe256cpc", func(t *testing.T) { testField[Fe256cpc](t, 4) })
	t.Run("Fe255p1073", func(t *testing.T) { testField[Fe255p1073](t, 4) })
	t.Run("Fe512m569", func(t *testing.T) { testField[Fe512m569](t, 8) })
	t.Run("Fe511p111", func(t *testing.T) { testField[Fe511p111](t, 8) })
	t.Run("Fe512test", func(t *testing.T) { testField[Fe512test](t, 8) })
	t.Run("ScCPA", func(t *testing.T) { testField[ScCPA](t, 4) })
	t.Run("ScCPB", func(t *testing.T) { testField[ScCPB](t, 4) })
	t.Run("ScCPC", func(t *testing.T) { testField[ScCPC](t, 4) })
	t.Run("ScTest256", func(t *testing.T) { testField[ScTest256](t, 4) })
	t.Run("Sc256A", func(t *testing.T) { testField[Sc256A](t, 4) })
	t.Run("Sc512A", func(t *testing.T) { testField[Sc512A](t, 8) })
	t.Run("Sc512B", func(t *testing.T) { testField[Sc512B](t, 8) })
	t.Run("Sc512C", func(t *testing.T) { testField[Sc512C](t, 8) })
	t.Run("ScTest512", func(t *testing.T) { testField[ScTest512](t, 8) })
}

// The reductions must handle any double-width input, not just products of
// reduced values: all-ones, single all-ones limbs, random.
func TestReduceExtremes(t *testing.T) {
	rnd := rand.New(rand.NewPCG(2, 2))
	t4 := func(f func(z *[4]uint64, t *[8]uint64), m *big.Int, name string) {
		for i := 0; i < 2000; i++ {
			var in [8]uint64
			switch {
			case i == 0:
				for j := range in {
					in[j] = ^uint64(0)
				}
			case i <= 8:
				in[i-1] = ^uint64(0)
			default:
				for j := range in {
					switch rnd.IntN(4) {
					case 0:
						in[j] = ^uint64(0)
					case 1:
						in[j] = 0
					default:
						in[j] = rnd.Uint64()
					}
				}
			}
			var z [4]uint64
			f(&z, &in)
			want := new(big.Int).Mod(limbsBig(in[:]), m)
			if limbsBig(z[:]).Cmp(want) != 0 {
				t.Fatalf("%s(%x) = %x, want %x", name, in, z, want)
			}
		}
	}
	t8 := func(f func(z *[8]uint64, t *[16]uint64), m *big.Int, name string) {
		for i := 0; i < 2000; i++ {
			var in [16]uint64
			switch {
			case i == 0:
				for j := range in {
					in[j] = ^uint64(0)
				}
			case i <= 16:
				in[i-1] = ^uint64(0)
			default:
				for j := range in {
					switch rnd.IntN(4) {
					case 0:
						in[j] = ^uint64(0)
					case 1:
						in[j] = 0
					default:
						in[j] = rnd.Uint64()
					}
				}
			}
			var z [8]uint64
			f(&z, &in)
			want := new(big.Int).Mod(limbsBig(in[:]), m)
			if limbsBig(z[:]).Cmp(want) != 0 {
				t.Fatalf("%s(%x) = %x, want %x", name, in, z, want)
			}
		}
	}
	t4(func(z *[4]uint64, t *[8]uint64) { fe256m617Reduce((*Fe256m617)(z), t) }, limbsBig(fe256m617Modulus[:]), "fe256m617Reduce")
	t4(func(z *[4]uint64, t *[8]uint64) { fe255p3225Reduce((*Fe255p3225)(z), t) }, limbsBig(fe255p3225Modulus[:]), "fe255p3225Reduce")
	t4(func(z *[4]uint64, t *[8]uint64) { fe255p1073Reduce((*Fe255p1073)(z), t) }, limbsBig(fe255p1073Modulus[:]), "fe255p1073Reduce")
	t8(func(z *[8]uint64, t *[16]uint64) { fe512m569Reduce((*Fe512m569)(z), t) }, limbsBig(fe512m569Modulus[:]), "fe512m569Reduce")
	t8(func(z *[8]uint64, t *[16]uint64) { fe511p111Reduce((*Fe511p111)(z), t) }, limbsBig(fe511p111Modulus[:]), "fe511p111Reduce")
}

func limbsBig(l []uint64) *big.Int {
	v := new(big.Int)
	for i := len(l) - 1; i >= 0; i-- {
		v.Lsh(v, 64).Or(v, new(big.Int).SetUint64(l[i]))
	}
	return v
}

// testTargets checks products that land next to the reduction's corner
// cases: results 0..k, m−1−k, 2^(64L−1) ± k and 2^(64L) − m + k, reached as
// x·(target·x⁻¹).
func testTargets[T any, P elem[T]](t *testing.T, limbs int) {
	var zero T
	m := new(big.Int).SetBytes(modulusBE(P(&zero)))
	rnd := rand.New(rand.NewPCG(3, uint64(limbs)))
	var targets []*big.Int
	one := big.NewInt(1)
	for k := int64(0); k < 8; k++ {
		K := big.NewInt(k)
		targets = append(targets, K, new(big.Int).Sub(m, new(big.Int).Add(K, one)))
		for _, base := range []*big.Int{new(big.Int).Lsh(one, uint(64*limbs-1)), new(big.Int).Sub(new(big.Int).Lsh(one, uint(64*limbs)), m)} {
			targets = append(targets, new(big.Int).Add(base, K), new(big.Int).Sub(base, K))
		}
	}
	for _, c := range []int64{111, 222, 569, 617, 1073, 2146, 3225, 6450} {
		targets = append(targets, big.NewInt(c), big.NewInt(c-1), big.NewInt(c+1))
	}
	for _, target := range targets {
		target.Mod(target, m)
		for range 6 {
			buf := make([]byte, 8*limbs+8)
			for i := range buf {
				buf[i] = byte(rnd.Uint32())
			}
			xv := new(big.Int).SetBytes(buf)
			xv.Mod(xv, m)
			if xv.Sign() == 0 {
				continue
			}
			yv := new(big.Int).ModInverse(xv, m)
			yv.Mul(yv, target).Mod(yv, m)
			var x, y, z T
			P(&x).SetBig(xv)
			P(&y).SetBig(yv)
			P(&z).Mul(&x, &y)
			if got := P(&z).Big(); got.Cmp(target) != 0 {
				t.Fatalf("Mul(%x, %x) = %x, want %x", xv, yv, got, target)
			}
		}
	}
}

func TestTargets(t *testing.T) {
	forEachImpl(t, func(t *testing.T) {
		testTargets[Fe256m617](t, 4)
		testTargets[Fe255p3225](t, 4)
		testTargets[Fe256cpc](t, 4)
		testTargets[Fe255p1073](t, 4)
		testTargets[Fe512m569](t, 8)
		testTargets[Fe511p111](t, 8)
		testTargets[Fe512test](t, 8)
		testTargets[ScCPA](t, 4)
		testTargets[Sc256A](t, 4)
		testTargets[Sc512A](t, 8)
		testTargets[Sc512C](t, 8)
	})
}
