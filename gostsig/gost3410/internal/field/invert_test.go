package field

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestInvertVarTime checks the divsteps inversion against math/big for
// every scalar modulus on edge and random inputs, and that it does not
// fall back (ok = false) on any of them.
func TestInvertVarTime(t *testing.T) {
	mods := map[string][]byte{}
	add := func(name string, be []byte) { mods[name] = be }
	var a ScCPA
	var b ScCPB
	var c ScCPC
	var d Sc256A
	var e ScTest256
	var f Sc512A
	var g Sc512B
	var h Sc512C
	var i ScTest512
	var j Fe256m617
	var k Fe512m569
	for name, v := range map[string]any{"ScCPA": a, "ScCPB": b, "ScCPC": c, "Sc256A": d, "ScTest256": e,
		"Sc512A": f, "Sc512B": g, "Sc512C": h, "ScTest512": i, "Fe256m617": j, "Fe512m569": k} {
		add(name, modulusBE(v))
	}
	rnd := rand.New(rand.NewPCG(5, 5))
	for name, be := range mods {
		m := new(big.Int).SetBytes(be)
		n := len(be) / 8
		ml := make([]uint64, n)
		for i := range ml {
			ml[i] = new(big.Int).Rsh(m, uint(64*i)).Uint64()
		}
		minv := new(big.Int).ModInverse(m, new(big.Int).Lsh(big.NewInt(1), 62)).Uint64()
		iters := 300
		if testing.Short() {
			iters = 50
		}
		vals := edgeValues(m, n, rnd, iters)
		for _, x := range vals {
			if x.Sign() == 0 {
				continue
			}
			xl := make([]uint64, n)
			for i := range xl {
				xl[i] = new(big.Int).Rsh(x, uint(64*i)).Uint64()
			}
			got, ok := invertVarTime(xl, ml, minv)
			if !ok {
				t.Fatalf("%s: invertVarTime(%x) gave up", name, x)
			}
			want := new(big.Int).ModInverse(x, m)
			if gb := limbsBig(got[:n]); gb.Cmp(want) != 0 {
				t.Fatalf("%s: invertVarTime(%x) = %x, want %x", name, x, gb, want)
			}
		}
	}
}
