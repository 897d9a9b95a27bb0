package gost3410

import "math/big"

// This file is the plain math/big reference implementation: affine
// coordinates, textbook formulas, double-and-add. It is slow and obviously
// correct, and it is what the fast code is tested against (ref_test.go,
// the fuzz target). It is variable-time; it only ever sees public data.

// refPoint is an affine point on the Weierstrass form of a curve; inf marks
// the point at infinity O.
type refPoint struct {
	x, y *big.Int
	inf  bool
}

// refOnCurve reports whether (x, y) with 0 ≤ x, y < p satisfies
// y² = x³ + a·x + b (mod p).
func refOnCurve(p *CurveParams, x, y *big.Int) bool {
	if x.Sign() < 0 || y.Sign() < 0 || x.Cmp(p.P) >= 0 || y.Cmp(p.P) >= 0 {
		return false
	}
	lhs := new(big.Int).Mul(y, y)
	lhs.Mod(lhs, p.P)
	rhs := new(big.Int).Mul(x, x)
	rhs.Add(rhs, p.A)
	rhs.Mul(rhs, x)
	rhs.Add(rhs, p.B)
	rhs.Mod(rhs, p.P)
	return lhs.Cmp(rhs) == 0
}

// refAdd returns a + b, handling every special case (O, a = −b, a = b).
func refAdd(p *CurveParams, a, b refPoint) refPoint {
	if a.inf {
		return b
	}
	if b.inf {
		return a
	}
	var lambda *big.Int
	if a.x.Cmp(b.x) == 0 {
		sumY := new(big.Int).Add(a.y, b.y)
		if sumY.Mod(sumY, p.P).Sign() == 0 {
			return refPoint{inf: true} // a = −b (includes doubling a point with y = 0)
		}
		// Doubling: λ = (3x² + a) / 2y.
		num := new(big.Int).Mul(a.x, a.x)
		num.Mul(num, big.NewInt(3)).Add(num, p.A)
		den := new(big.Int).Lsh(a.y, 1)
		den.ModInverse(den, p.P)
		lambda = num.Mul(num, den)
	} else {
		// λ = (y2 − y1) / (x2 − x1).
		num := new(big.Int).Sub(b.y, a.y)
		den := new(big.Int).Sub(b.x, a.x)
		den.Mod(den, p.P).ModInverse(den, p.P)
		lambda = num.Mul(num, den)
	}
	lambda.Mod(lambda, p.P)
	x := new(big.Int).Mul(lambda, lambda)
	x.Sub(x, a.x).Sub(x, b.x).Mod(x, p.P)
	y := new(big.Int).Sub(a.x, x)
	y.Mul(y, lambda).Sub(y, a.y).Mod(y, p.P)
	return refPoint{x: x, y: y}
}

// refScalarMult returns k·pt by left-to-right double-and-add; k ≥ 0.
func refScalarMult(p *CurveParams, pt refPoint, k *big.Int) refPoint {
	acc := refPoint{inf: true}
	for i := k.BitLen() - 1; i >= 0; i-- {
		acc = refAdd(p, acc, acc)
		if k.Bit(i) == 1 {
			acc = refAdd(p, acc, pt)
		}
	}
	return acc
}

// refVerify is GOST R 34.10-2012 §6.2 (RFC 7091 §6.2) over math/big.
// (qx, qy) is the public key, already validated; alpha is the digest as an
// integer (int_LE(H) for a hash output H); sig is r, s.
func refVerify(p *CurveParams, qx, qy, alpha, r, s *big.Int) error {
	// Step 1: 0 < r < q and 0 < s < q.
	if r.Sign() <= 0 || r.Cmp(p.Q) >= 0 {
		return errRRange
	}
	if s.Sign() <= 0 || s.Cmp(p.Q) >= 0 {
		return errSRange
	}
	// Step 2: e = α mod q, and e = 1 if that is 0.
	e := new(big.Int).Mod(alpha, p.Q)
	if e.Sign() == 0 {
		e.SetInt64(1)
	}
	// Step 3: v = e⁻¹ mod q.
	v := new(big.Int).ModInverse(e, p.Q)
	// Step 4: z1 = s·v mod q, z2 = −r·v mod q.
	z1 := new(big.Int).Mul(s, v)
	z1.Mod(z1, p.Q)
	z2 := new(big.Int).Mul(r, v)
	z2.Neg(z2).Mod(z2, p.Q)
	// Step 5: C = z1·P + z2·Q, R = x_C mod q.
	c := refAdd(p,
		refScalarMult(p, refPoint{x: p.X, y: p.Y}, z1),
		refScalarMult(p, refPoint{x: qx, y: qy}, z2))
	if c.inf {
		return errInfinity
	}
	// Step 6: accept iff R = r.
	if new(big.Int).Mod(c.x, p.Q).Cmp(r) != 0 {
		return errMismatch
	}
	return nil
}
