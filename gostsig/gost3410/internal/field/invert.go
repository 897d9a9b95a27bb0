package field

import "math/bits"

// Variable-time modular inversion by Bernstein–Yang divsteps ("Fast
// constant-time gcd computation and modular inversion", 2019, §§ 8–11),
// in the variable-time form: batches of 62 divsteps computed from the low
// 64 bits of f and g as a 2×2 matrix, applied to the full numbers, until
// g = 0. It handles public data only (the signature's e), so its running
// time may depend on the input.
//
// The callers check the result with one multiplication and fall back to
// Fermat's little theorem if it is wrong or if the step bound is hit, so a
// mistake here could cost time but never give a wrong answer.

const maxInvLimbs = 10 // 8-limb moduli plus room for the matrix products

// sm is a signed-magnitude integer of n limbs.
type sm struct {
	neg bool
	mag [maxInvLimbs]uint64
}

func (a *sm) low() uint64 {
	if a.neg {
		return -a.mag[0]
	}
	return a.mag[0]
}

func (a *sm) isZero(n int) bool {
	var acc uint64
	for _, v := range a.mag[:n] {
		acc |= v
	}
	return acc == 0
}

// mulWord sets dst[:n+1] = a[:n]·w.
func mulWord(dst, a []uint64, w uint64, n int) {
	var carry uint64
	for i := 0; i < n; i++ {
		hi, lo := bits.Mul64(a[i], w)
		var c uint64
		dst[i], c = bits.Add64(lo, carry, 0)
		carry = hi + c
	}
	dst[n] = carry
}

// cmpMag compares a[:n] and b[:n].
func cmpMag(a, b []uint64, n int) int {
	for i := n - 1; i >= 0; i-- {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func addMag(dst, a, b []uint64, n int) {
	var c uint64
	for i := 0; i < n; i++ {
		dst[i], c = bits.Add64(a[i], b[i], c)
	}
}

func subMag(dst, a, b []uint64, n int) {
	var c uint64
	for i := 0; i < n; i++ {
		dst[i], c = bits.Sub64(a[i], b[i], c)
	}
}

func abs64(v int64) (uint64, bool) {
	if v < 0 {
		return uint64(-v), true
	}
	return uint64(v), false
}

// combine sets dst = (u·a + v·b) / 2^62 for signed-magnitude a, b of n
// limbs; the division is exact by construction. dst may alias a or b.
func combine(dst *sm, u int64, a *sm, v int64, b *sm, n int) {
	var t1, t2 [maxInvLimbs]uint64
	mu, nu := abs64(u)
	mv, nv := abs64(v)
	mulWord(t1[:], a.mag[:], mu, n)
	mulWord(t2[:], b.mag[:], mv, n)
	s1, s2 := a.neg != nu, b.neg != nv
	var r sm
	if s1 == s2 {
		addMag(r.mag[:], t1[:], t2[:], n+1)
		r.neg = s1
	} else if cmpMag(t1[:], t2[:], n+1) >= 0 {
		subMag(r.mag[:], t1[:], t2[:], n+1)
		r.neg = s1
	} else {
		subMag(r.mag[:], t2[:], t1[:], n+1)
		r.neg = s2
	}
	// Shift right by 62.
	for i := 0; i < n; i++ {
		r.mag[i] = r.mag[i]>>62 | r.mag[i+1]<<2
	}
	r.mag[n] = 0
	*dst = r
}

// combineMod sets dst = (u·a + v·b)/2^62 mod m for a, b in [0, m), using
// k·m with k ≡ −(u·a + v·b)·m⁻¹ (mod 2^62) to make the numerator divisible.
func combineMod(dst, a, b *[maxInvLimbs]uint64, u, v int64, m *[maxInvLimbs]uint64, minv62 uint64, n int) {
	const mask62 = 1<<62 - 1
	k := (-(uint64(u)*a[0] + uint64(v)*b[0]) * minv62) & mask62
	// Positive part P = [u>0]u·a + [v>0]v·b + (2^64 + k)·m, negative part
	// Q = [u<0]|u|·a + [v<0]|v|·b; P − Q > 0 and < 2^65·m.
	P := addShifted(m, k, n)
	var Q, t [maxInvLimbs]uint64
	mu, nu := abs64(u)
	mv, nv := abs64(v)
	mulWord(t[:], a[:], mu, n)
	if nu {
		addMag(Q[:], Q[:], t[:], n+2)
	} else {
		addMag(P[:], P[:], t[:], n+2)
	}
	clear(t[:])
	mulWord(t[:], b[:], mv, n)
	if nv {
		addMag(Q[:], Q[:], t[:], n+2)
	} else {
		addMag(P[:], P[:], t[:], n+2)
	}
	subMag(P[:], P[:], Q[:], n+2)
	// Divide by 2^62 (exact), leaving < 8m in n+1 limbs.
	for i := 0; i <= n; i++ {
		P[i] = P[i]>>62 | P[i+1]<<2
	}
	P[n+1] = 0
	for cmpMag(P[:], m[:], n+1) >= 0 {
		subMag(P[:], P[:], m[:], n+1)
	}
	*dst = P
}

// addShifted returns (2^64 + k)·m as n+2 limbs.
func addShifted(m *[maxInvLimbs]uint64, k uint64, n int) [maxInvLimbs]uint64 {
	var P [maxInvLimbs]uint64
	mulWord(P[:], m[:], k, n) // n+1 limbs
	var c uint64
	for i := 0; i < n; i++ {
		P[i+1], c = bits.Add64(P[i+1], m[i], c)
	}
	P[n+1] = c
	return P
}

// invertVarTime returns x⁻¹ mod m for 0 < x < m, m an odd prime of n ≤ 8
// limbs, minv62 = m⁻¹ mod 2^62. ok is false if the step bound is reached
// (the caller then uses another method).
func invertVarTime(x []uint64, m []uint64, minv62 uint64) (inv [8]uint64, ok bool) {
	n := len(m)
	var f, g sm
	var mm, d, e [maxInvLimbs]uint64
	copy(f.mag[:], m)
	copy(g.mag[:], x)
	copy(mm[:], m)
	e[0] = 1
	delta := int64(1)
	// The divstep count is bounded by about 2.9·bits for any input
	// (Bernstein–Yang, §11); allow a wide margin.
	maxBatches := (64*n*3)/62 + 4
	for batch := 0; ; batch++ {
		if g.isZero(n) {
			break
		}
		if batch == maxBatches {
			return inv, false
		}
		// 62 divsteps on the low 64 bits.
		u, v, q, r := int64(1), int64(0), int64(0), int64(1)
		fl, gl := f.low(), g.low()
		for i := 62; i > 0; {
			z := bits.TrailingZeros64(gl | 1<<uint(i))
			if z > 0 {
				gl >>= uint(z)
				u <<= uint(z)
				v <<= uint(z)
				delta += int64(z)
				i -= z
				if i == 0 {
					break
				}
			}
			// g is odd.
			if delta > 0 {
				delta = 1 - delta
				fl, gl = gl, (gl-fl)>>1
				u, v, q, r = 2*q, 2*r, q-u, r-v
			} else {
				delta = 1 + delta
				gl = (gl + fl) >> 1
				q, r = q+u, r+v
				u, v = 2*u, 2*v
			}
			i--
		}
		var nf, ng sm
		combine(&nf, u, &f, v, &g, n)
		combine(&ng, q, &f, r, &g, n)
		f, g = nf, ng
		var nd, ne [maxInvLimbs]uint64
		combineMod(&nd, &d, &e, u, v, &mm, minv62, n)
		combineMod(&ne, &d, &e, q, r, &mm, minv62, n)
		d, e = nd, ne
	}
	// f = ±1: x⁻¹ = ±d.
	one := [maxInvLimbs]uint64{1}
	if cmpMag(f.mag[:], one[:], n) != 0 {
		return inv, false
	}
	if f.neg && !isZeroSlice(d[:n]) {
		subMag(d[:], mm[:], d[:], n)
	}
	copy(inv[:], d[:n])
	return inv, true
}

func isZeroSlice(a []uint64) bool {
	var acc uint64
	for _, v := range a {
		acc |= v
	}
	return acc == 0
}
