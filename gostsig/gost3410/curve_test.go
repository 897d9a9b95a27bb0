package gost3410

import (
	"encoding/asn1"
	"math/big"
	"testing"

	"gostsig.dev/internal/oid"
)

// TestCurveParams re-checks every parameter set: p and q prime, the base
// point on the curve with order q, the group order m = h·q inside the
// Hasse bound, the Edwards data consistent with the Weierstrass data.
func TestCurveParams(t *testing.T) {
	testAllCurves(t, func(t *testing.T, c *Curve) {
		p := c.Params()
		if !p.P.ProbablyPrime(32) || !p.Q.ProbablyPrime(32) {
			t.Fatal("p or q not prime")
		}
		if got := (p.P.BitLen() + 7) / 8; got != c.PointSize() {
			t.Errorf("p is %d bytes, PointSize %d", got, c.PointSize())
		}
		if !refOnCurve(p, p.X, p.Y) {
			t.Fatal("base point not on curve")
		}
		if !refScalarMult(p, refPoint{x: p.X, y: p.Y}, p.Q).inf {
			t.Fatal("q·P != O")
		}
		// |p + 1 − h·q| ≤ 2·√p.
		m := new(big.Int).Mul(p.Cofactor, p.Q)
		tr := new(big.Int).Add(p.P, big.NewInt(1))
		tr.Sub(tr, m).Abs(tr)
		bound := new(big.Int).Sqrt(new(big.Int).Lsh(p.P, 2))
		if tr.Cmp(bound) > 0 {
			t.Fatal("h·q outside the Hasse bound")
		}
		if c.IsEdwards() != (p.Cofactor.Int64() == 4) {
			t.Fatal("Edwards curves are exactly the cofactor-4 curves")
		}
		if !c.IsEdwards() {
			if p.A.Cmp(big.NewInt(7)) != 0 && new(big.Int).Sub(p.P, p.A).Int64() != 3 {
				t.Errorf("a is neither −3 nor 7 (test curves)")
			}
			return
		}
		P := p.P
		mod := func(x *big.Int) *big.Int { return x.Mod(x, P) }
		// a = s² − 3t², b = 2t³ − t·s² (RFC 7836 §5.2).
		s2 := mod(new(big.Int).Mul(p.S, p.S))
		t2 := mod(new(big.Int).Mul(p.T, p.T))
		a := mod(new(big.Int).Sub(s2, new(big.Int).Mul(big.NewInt(3), t2)))
		b := mod(new(big.Int).Sub(new(big.Int).Mul(big.NewInt(2), mod(new(big.Int).Mul(t2, p.T))), mod(new(big.Int).Mul(p.T, s2))))
		if a.Cmp(p.A) != 0 || b.Cmp(p.B) != 0 {
			t.Fatal("a, b do not match s, t")
		}
		// (u, v) on e·u² + v² = 1 + d·u²·v², and maps to (x, y).
		u2 := mod(new(big.Int).Mul(p.U, p.U))
		v2 := mod(new(big.Int).Mul(p.V, p.V))
		lhs := mod(new(big.Int).Add(new(big.Int).Mul(p.E, u2), v2))
		rhs := mod(new(big.Int).Add(big.NewInt(1), new(big.Int).Mul(p.D, mod(new(big.Int).Mul(u2, v2)))))
		if lhs.Cmp(rhs) != 0 {
			t.Fatal("(u, v) not on the Edwards curve")
		}
		onePlusV := new(big.Int).Add(big.NewInt(1), p.V)
		oneMinusV := mod(new(big.Int).Sub(big.NewInt(1), p.V))
		inv := new(big.Int).ModInverse(oneMinusV, P)
		x := mod(new(big.Int).Add(mod(new(big.Int).Mul(mod(new(big.Int).Mul(p.S, onePlusV)), inv)), p.T))
		y := mod(new(big.Int).Mul(mod(new(big.Int).Mul(p.S, onePlusV)), new(big.Int).ModInverse(mod(new(big.Int).Mul(oneMinusV, p.U)), P)))
		if x.Cmp(p.X) != 0 || y.Cmp(p.Y) != 0 {
			t.Fatal("(u, v) does not map to (x, y)")
		}
		// d is a non-square, so the Edwards addition law is complete.
		if big.Jacobi(p.D, P) != -1 {
			t.Fatal("d is a square")
		}
	})
}

func TestCurveLookup(t *testing.T) {
	tests := []struct {
		oid  asn1.ObjectIdentifier
		name string
		want *Curve
	}{
		{oid.CryptoProTest, "id-GostR3410-2001-TestParamSet", curveTest256},
		{oid.CryptoProA, "id-GostR3410-2001-CryptoPro-A-ParamSet", curveCryptoProA},
		{oid.CryptoProB, "id-GostR3410-2001-CryptoPro-B-ParamSet", curveCryptoProB},
		{oid.CryptoProC, "id-GostR3410-2001-CryptoPro-C-ParamSet", curveCryptoProC},
		{oid.CryptoProXchA, "id-GostR3410-2001-CryptoPro-XchA-ParamSet", curveCryptoProA},
		{oid.CryptoProXchB, "id-GostR3410-2001-CryptoPro-XchB-ParamSet", curveCryptoProC},
		{oid.TC26_256A, "id-tc26-gost-3410-2012-256-paramSetA", curveTC26256A},
		{oid.TC26_256B, "id-tc26-gost-3410-2012-256-paramSetB", curveCryptoProA},
		{oid.TC26_256C, "id-tc26-gost-3410-2012-256-paramSetC", curveCryptoProB},
		{oid.TC26_256D, "id-tc26-gost-3410-2012-256-paramSetD", curveCryptoProC},
		{oid.TC26_512Test, "id-tc26-gost-3410-2012-512-paramSetTest", curveTest512},
		{oid.TC26_512A, "id-tc26-gost-3410-12-512-paramSetA", curveTC26512A},
		{oid.TC26_512B, "id-tc26-gost-3410-12-512-paramSetB", curveTC26512B},
		{oid.TC26_512C, "id-tc26-gost-3410-2012-512-paramSetC", curveTC26512C},
	}
	for _, tt := range tests {
		if got := CurveByOID(tt.oid); got != tt.want {
			t.Errorf("CurveByOID(%v) = %v, want %v", tt.oid, got, tt.want)
		}
		if got := CurveByName(tt.name); got != tt.want {
			t.Errorf("CurveByName(%q) = %v, want %v", tt.name, got, tt.want)
		}
		found := false
		for _, o := range tt.want.OIDs() {
			found = found || o.Equal(tt.oid)
		}
		if !found {
			t.Errorf("%v.OIDs() lacks %v", tt.want, tt.oid)
		}
	}
	for name, want := range map[string]*Curve{
		"CryptoPro-A": curveCryptoProA, "XchA": curveCryptoProA, "tc26-256-B": curveCryptoProA,
		"XchB": curveCryptoProC, "tc26-256-D": curveCryptoProC, "tc26-256-C": curveCryptoProB,
		"tc26-256-A": curveTC26256A, "tc26-512-A": curveTC26512A, "TC26-512-c": curveTC26512C,
		"id-tc26-gost-3410-2012-512-paramSetA": curveTC26512A, "id-tc26-gost-3410-12-512-paramSetC": curveTC26512C,
		"test-256": curveTest256, "test-512": curveTest512,
	} {
		if got := CurveByName(name); got != want {
			t.Errorf("CurveByName(%q) = %v, want %v", name, got, want)
		}
	}
	if CurveByOID(asn1.ObjectIdentifier{1, 2, 643, 2, 2, 35, 4}) != nil || CurveByName("P-256") != nil || CurveByName("") != nil {
		t.Error("unknown curve resolved")
	}
	var tests256, tests512 int
	for _, c := range Curves() {
		if c.IsTest() {
			if c.PointSize() == 32 {
				tests256++
			} else {
				tests512++
			}
		}
		if c.String() != c.Name || c.OID().Equal(nil) || c.ShortName() == "" {
			t.Errorf("%v: bad names", c)
		}
	}
	if len(Curves()) != 9 || tests256 != 1 || tests512 != 1 {
		t.Errorf("Curves() = %d curves, %d+%d test", len(Curves()), tests256, tests512)
	}
	// Params returns a copy.
	p := curveCryptoProA.Params()
	p.P.SetInt64(5)
	if curveCryptoProA.Params().P.Int64() == 5 {
		t.Error("Params shares state")
	}
}
