package field

import (
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// allModuli lists one value of every element type of the package: the
// field primes (Fe*) and the group orders (Sc*), 256- and 512-bit.
var allModuli = map[string]any{
	"Fe255p1073": Fe255p1073{}, "Fe255p3225": Fe255p3225{}, "Fe256cpc": Fe256cpc{},
	"Fe256m617": Fe256m617{}, "Fe511p111": Fe511p111{}, "Fe512m569": Fe512m569{},
	"Fe512test": Fe512test{},
	"Sc256A":    Sc256A{}, "Sc512A": Sc512A{}, "Sc512B": Sc512B{}, "Sc512C": Sc512C{},
	"ScCPA": ScCPA{}, "ScCPB": ScCPB{}, "ScCPC": ScCPC{},
	"ScTest256": ScTest256{}, "ScTest512": ScTest512{},
}

// TestAllModuliListed keeps allModuli in step with the generated types, so
// that a new modulus cannot escape TestInvertVarTime.
func TestAllModuliListed(t *testing.T) {
	files, err := filepath.Glob("zz_*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^type ((?:Fe|Sc)\w+) \[\d+\]uint64$`)
	found := 0
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllSubmatch(src, -1) {
			found++
			if _, ok := allModuli[string(m[1])]; !ok {
				t.Errorf("type %s (%s) is missing from allModuli", m[1], name)
			}
		}
	}
	if found != len(allModuli) {
		t.Errorf("found %d element types in zz_*.go, allModuli has %d", found, len(allModuli))
	}
}

func toLimbs(x *big.Int, n int) []uint64 {
	l := make([]uint64, n)
	for i := range l {
		l[i] = new(big.Int).Rsh(x, uint(64*i)).Uint64()
	}
	return l
}

func minv62(m *big.Int) uint64 {
	return new(big.Int).ModInverse(m, new(big.Int).Lsh(big.NewInt(1), 62)).Uint64()
}

// inversionInputs returns edgeValues plus the inputs that stress the
// divsteps: every power of two and 2^k − 1, m − 2^k, runs of ones and of
// zeros at every offset, alternating bits, and m − x for each of these;
// all reduced mod m, 0 dropped.
func inversionInputs(m *big.Int, n int, rnd *rand.Rand, nRandom int) []*big.Int {
	one := big.NewInt(1)
	bitLen := 64 * n
	all := new(big.Int).Sub(new(big.Int).Lsh(one, uint(bitLen)), one)
	vals := edgeValues(m, n, rnd, nRandom)
	for k := 0; k < bitLen; k++ {
		p := new(big.Int).Lsh(one, uint(k))
		vals = append(vals, p, new(big.Int).Sub(p, one), new(big.Int).Sub(m, p))
	}
	for _, runLen := range []int{7, 61, 62, 63, 64, 65, 124, 200} {
		run := new(big.Int).Sub(new(big.Int).Lsh(one, uint(runLen)), one)
		for off := 0; off+runLen <= bitLen; off += 37 {
			ones := new(big.Int).Lsh(run, uint(off))
			vals = append(vals, ones, new(big.Int).Xor(all, ones))
		}
	}
	for _, pat := range []uint64{0x5555555555555555, 0xaaaaaaaaaaaaaaaa, 0x00ff00ff00ff00ff, 0xffff0000ffff0000} {
		v := new(big.Int)
		for range n {
			v.Lsh(v, 64).Or(v, new(big.Int).SetUint64(pat))
		}
		vals = append(vals, v)
	}
	out := vals[:0]
	for _, v := range vals {
		v.Mod(v, m)
		if v.Sign() != 0 {
			out = append(out, v, new(big.Int).Sub(m, v))
		}
	}
	return out
}

// checkInvert calls the fast path directly (no fallback behind it) and
// compares with math/big.
func checkInvert(t *testing.T, name string, m, x *big.Int, n int) {
	t.Helper()
	got, ok := invertVarTime(toLimbs(x, n), toLimbs(m, n), minv62(m))
	if !ok {
		t.Fatalf("%s: invertVarTime(%#x) gave up", name, x)
	}
	want := new(big.Int).ModInverse(x, m)
	if gb := limbsBig(got[:n]); gb.Cmp(want) != 0 {
		t.Fatalf("%s: invertVarTime(%#x) = %#x, want %#x", name, x, gb, want)
	}
	for i := n; i < len(got); i++ {
		if got[i] != 0 {
			t.Fatalf("%s: invertVarTime(%#x) left limb %d = %#x", name, x, i, got[i])
		}
	}
}

// TestInvertVarTime checks the divsteps inversion against math/big for
// every modulus of the package on edge and random inputs, and that it
// never gives up (ok = false) on them.
func TestInvertVarTime(t *testing.T) {
	rnd := rand.New(rand.NewPCG(5, 5))
	iters := 300
	if testing.Short() {
		iters = 50
	}
	for name, v := range allModuli {
		be := modulusBE(v)
		m := new(big.Int).SetBytes(be)
		n := len(be) / 8
		for _, x := range inversionInputs(m, n, rnd, iters) {
			checkInvert(t, name, m, x, n)
		}
	}
}

// TestInvertVarTimeLimbCounts runs random odd moduli of every limb count
// invertVarTime accepts, full-size and with a short top limb (so that the
// 62-bit limbs are split differently), including inputs with a common
// factor, which must give up rather than return a wrong value.
func TestInvertVarTimeLimbCounts(t *testing.T) {
	rnd := rand.New(rand.NewPCG(7, 7))
	for n := 1; n <= 8; n++ {
		for _, topBits := range []int{64, 33, 2} {
			for range 5 {
				m := new(big.Int)
				for range n {
					m.Lsh(m, 64).Or(m, new(big.Int).SetUint64(rnd.Uint64()))
				}
				bl := 64*(n-1) + topBits
				m.Rsh(m, uint(64*n-bl))
				m.SetBit(m, bl-1, 1).SetBit(m, 0, 1)
				if m.Cmp(big.NewInt(3)) < 0 {
					continue
				}
				for _, x := range inversionInputs(m, n, rnd, 20) {
					if new(big.Int).GCD(nil, nil, x, m).Cmp(big.NewInt(1)) != 0 {
						if _, ok := invertVarTime(toLimbs(x, n), toLimbs(m, n), minv62(m)); ok {
							t.Fatalf("n=%d m=%#x: invertVarTime(%#x) claimed an inverse, gcd ≠ 1", n, m, x)
						}
						continue
					}
					checkInvert(t, "random", m, x, n)
				}
			}
		}
	}
}

func TestInvertVarTimeAllocs(t *testing.T) {
	x := ScCPA{0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb, 0x2545f4914f6cdd1d}
	y := Sc512A{0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb, 0x2545f4914f6cdd1d,
		0xd6e8feb86659fd93, 0xa0761d6478bd642f, 0xe7037ed1a0b428db, 0x2d358dccaa6c78a5}
	if a := testing.AllocsPerRun(100, func() {
		x.Invert(&x)
		y.Invert(&y)
	}); a != 0 {
		t.Errorf("Invert allocates %v times per run", a)
	}
}
