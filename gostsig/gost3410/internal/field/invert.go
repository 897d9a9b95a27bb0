package field

import "math/bits"

// Variable-time modular inversion by Bernstein–Yang divsteps ("Fast
// constant-time gcd computation and modular inversion", 2019), in the
// variable-time form described for libsecp256k1's modinv64 ("The safegcd
// implementation in libsecp256k1 explained", §§ 3–6). It handles public
// data only (the signature's e), so its running time may depend on the
// input.
//
//   - Numbers are signed, in radix 2^62: every limb but the top one is in
//     [0, 2^62), the top limb carries the sign. Dividing by 2^62 is then
//     a move by one limb.
//   - Batches of 62 divsteps (paper § 8.1, § 9) run on the low 64 bits of f
//     and g only, producing a 2×2 matrix t scaled by 2^62 whose entries obey
//     |u|+|v| ≤ 2^62 and |q|+|r| ≤ 2^62 (§ 8.3), applied once per batch to
//     the full f, g, d, e. Inside a batch, each divstep is split as in
//     § 8.2 into a conditional swap-and-add and a halving; runs of halvings
//     are done at once by counting trailing zeros, and the swap-and-add,
//     unpredictable, is branch-free. (Merging several additions into one
//     w·f, as libsecp256k1 does, lengthens the dependency chain and was
//     slower here.)
//   - d and e (d·x ≡ f, e·x ≡ g mod m) stay in (−2m, m): each update adds
//     the multiple of m that both undoes a negative input and makes the
//     numerator divisible by 2^62, computed from the low limbs only; the
//     result is reduced to [0, m) once, at the end.
//   - f and g shrink (max(|f|, |g|) never grows), so their length drops by a
//     limb whenever both top limbs are 0 or −1.
//   - It stops when g = 0; then f = ±gcd(m, x) and x⁻¹ = ±d (§ 12.1 computes
//     the same value from the product of the matrices instead).
//
// The callers check the result with one multiplication and fall back to
// Fermat's little theorem if it is wrong or if the step bound is hit, so a
// mistake here could cost time but never give a wrong answer; the tests call
// invertVarTime directly so that such a mistake cannot hide behind the
// fallback.

const (
	mask62      = 1<<62 - 1
	maxInvLimbs = 9 // ⌈512/62⌉ limbs of 62 bits for 8-limb moduli
)

// s62 is a signed integer in radix 2^62 (see above); only a prefix of the
// limbs is in use.
type s62 [maxInvLimbs]int64

// transition is the matrix of 62 divsteps, scaled by 2^62:
// (f, g) ← (u·f + v·g, q·f + r·g) / 2^62.
type transition struct{ u, v, q, r int64 }

// divsteps62 performs 62 divsteps on the low bits of f and g, starting
// from η = −δ, and returns the new η and the transition matrix.
func divsteps62(eta int64, f, g uint64) (int64, transition) {
	// Invariants, with s divsteps done: 2^s·f = u·f₀ + v·g₀ and
	// 2^s·g = q·f₀ + r·g₀ (mod 2^64, which is all the low bits need).
	u, v, q, r := uint64(1), uint64(0), uint64(0), uint64(1)
	left := uint(62) // divsteps left in the batch
	for {
		// Each trailing zero of g is one divstep that only halves g
		// (δ ← 1 + δ, η ← η − 1); the sentinel bit stops at the batch end.
		zeros := bits.TrailingZeros64(g | 1<<(left&63))
		z := uint(zeros) & 63
		g >>= z
		u <<= z
		v <<= z
		eta -= int64(zeros)
		left -= uint(zeros)
		if left == 0 {
			break
		}
		// g is odd: with δ > 0 (η < 0) the divstep is (f, g) ← (g, g − f),
		// otherwise g ← g + f; the halving is the next trailing zero. The
		// choice is unpredictable, so it is written for conditional moves
		// and masks rather than a branch.
		c := uint64(eta >> 63)
		nf, nu, nv := (f^c)-c, (u^c)-c, (v^c)-c // ∓f, ∓u, ∓v
		if eta < 0 {
			f = g
		}
		if eta < 0 {
			u = q
		}
		if eta < 0 {
			v = r
		}
		eta = (eta ^ int64(c)) - int64(c)
		g += nf
		q += nu
		r += nv
	}
	return eta, transition{int64(u), int64(v), int64(q), int64(r)}
}

// mulAcc adds the signed product x·y to the 128-bit two's-complement
// accumulator (hi, lo); sx is x>>63 and y ≥ 0 unless signedY.
func mulAcc(hi, lo uint64, x int64, sx uint64, y int64) (uint64, uint64) {
	h, l := bits.Mul64(uint64(x), uint64(y))
	h -= sx & uint64(y)
	var c uint64
	lo, c = bits.Add64(lo, l, 0)
	return hi + h + c, lo
}

// mulAccSigned is mulAcc for y of either sign.
func mulAccSigned(hi, lo uint64, x int64, sx uint64, y int64) (uint64, uint64) {
	hi, lo = mulAcc(hi, lo, x, sx, y)
	return hi - uint64(y>>63)&uint64(x), lo
}

// shift62 divides the accumulator by 2^62, rounding down.
func shift62(hi, lo uint64) (uint64, uint64) {
	return uint64(int64(hi) >> 62), lo>>62 | hi<<2
}

// combine2 sets out = (x·a + y·b) / 2^62 over n limbs; the division must
// be exact and the result must fit in n limbs.
func combine2(out *s62, x int64, a *s62, y int64, b *s62, n int) {
	sx, sy := uint64(x>>63), uint64(y>>63)
	top := n - 1
	var hi, lo uint64
	if top == 0 {
		hi, lo = mulAccSigned(0, 0, x, sx, a[0])
		hi, lo = mulAccSigned(hi, lo, y, sy, b[0])
		_, lo = shift62(hi, lo)
		out[0] = int64(lo)
		return
	}
	// The low 62 bits of limb 0 vanish by construction.
	hi, lo = mulAcc(0, 0, x, sx, a[0])
	hi, lo = mulAcc(hi, lo, y, sy, b[0])
	hi, lo = shift62(hi, lo)
	for i := 1; i < top; i++ {
		hi, lo = mulAcc(hi, lo, x, sx, a[i])
		hi, lo = mulAcc(hi, lo, y, sy, b[i])
		out[i-1] = int64(lo & mask62)
		hi, lo = shift62(hi, lo)
	}
	hi, lo = mulAccSigned(hi, lo, x, sx, a[top])
	hi, lo = mulAccSigned(hi, lo, y, sy, b[top])
	out[top-1] = int64(lo & mask62)
	_, lo = shift62(hi, lo)
	out[top] = int64(lo)
}

// combine3 sets out = (x·a + y·b + z·m) / 2^62 over n limbs, m ≥ 0; the
// division must be exact and the result must fit in n limbs.
func combine3(out *s62, x int64, a *s62, y int64, b *s62, z int64, m *s62, n int) {
	sx, sy, sz := uint64(x>>63), uint64(y>>63), uint64(z>>63)
	top := n - 1
	var hi, lo uint64
	if top == 0 {
		hi, lo = mulAccSigned(0, 0, x, sx, a[0])
		hi, lo = mulAccSigned(hi, lo, y, sy, b[0])
		hi, lo = mulAcc(hi, lo, z, sz, m[0])
		_, lo = shift62(hi, lo)
		out[0] = int64(lo)
		return
	}
	// The low 62 bits of limb 0 vanish by construction.
	hi, lo = mulAcc(0, 0, x, sx, a[0])
	hi, lo = mulAcc(hi, lo, y, sy, b[0])
	hi, lo = mulAcc(hi, lo, z, sz, m[0])
	hi, lo = shift62(hi, lo)
	for i := 1; i < top; i++ {
		hi, lo = mulAcc(hi, lo, x, sx, a[i])
		hi, lo = mulAcc(hi, lo, y, sy, b[i])
		hi, lo = mulAcc(hi, lo, z, sz, m[i])
		out[i-1] = int64(lo & mask62)
		hi, lo = shift62(hi, lo)
	}
	hi, lo = mulAccSigned(hi, lo, x, sx, a[top])
	hi, lo = mulAccSigned(hi, lo, y, sy, b[top])
	hi, lo = mulAcc(hi, lo, z, sz, m[top])
	out[top-1] = int64(lo & mask62)
	_, lo = shift62(hi, lo)
	out[top] = int64(lo)
}

// updateDE sets (nd, ne) = t·(d, e) / 2^62 mod m, with inputs and outputs
// in (−2m, m) (safegcd_implementation.md § 4): md·m and me·m are added,
// where md, me first add m to a negative d or e and are then corrected so
// that the low 62 bits of the numerators vanish. minv is m⁻¹ mod 2^62.
// ne is left alone unless needE.
func updateDE(nd, ne, d, e *s62, t *transition, m *s62, minv uint64, n int, needE bool) {
	sd, se := d[n-1]>>63, e[n-1]>>63
	md := t.u&sd + t.v&se
	me := t.q&sd + t.r&se
	cd := uint64(t.u)*uint64(d[0]) + uint64(t.v)*uint64(e[0])
	ce := uint64(t.q)*uint64(d[0]) + uint64(t.r)*uint64(e[0])
	md -= int64((minv*cd + uint64(md)) & mask62)
	me -= int64((minv*ce + uint64(me)) & mask62)
	combine3(nd, t.u, d, t.v, e, md, m, n)
	if needE {
		combine3(ne, t.q, d, t.r, e, me, m, n)
	}
}

// carry62 brings the limbs below the top one back into [0, 2^62).
func carry62(a *s62, n int) {
	for i := 0; i < n-1; i++ {
		a[i+1] += a[i] >> 62
		a[i] &= mask62
	}
}

func isZero62(a *s62, n int) bool {
	var acc int64
	for _, v := range a[:n] {
		acc |= v
	}
	return acc == 0
}

// negate62 sets a = −a.
func negate62(a *s62, n int) {
	for i := range a[:n] {
		a[i] = -a[i]
	}
	carry62(a, n)
}

// addIfNegative62 adds m to a if a < 0.
func addIfNegative62(a, m *s62, n int) {
	if a[n-1] < 0 {
		for i := range a[:n] {
			a[i] += m[i]
		}
		carry62(a, n)
	}
}

// from64 converts x, 64-bit limbs, to s62 limbs.
func (a *s62) from64(x []uint64, n int) {
	for i := range a[:n] {
		p := 62 * i
		k, s := p/64, uint(p%64)
		var v uint64
		if k < len(x) {
			v = x[k] >> s
			if s > 2 && k+1 < len(x) {
				v |= x[k+1] << (64 - s)
			}
		}
		a[i] = int64(v & mask62)
	}
}

// to64 writes a, 0 ≤ a < 2^(64·len(out)), as 64-bit limbs.
func (a *s62) to64(out []uint64, n int) {
	clear(out)
	for i := range a[:n] {
		p := 62 * i
		k, s := p/64, uint(p%64)
		v := uint64(a[i])
		if k < len(out) {
			out[k] |= v << s
		}
		if s > 2 && k+1 < len(out) {
			out[k+1] |= v >> (64 - s)
		}
	}
}

// invertVarTime returns x⁻¹ mod m for 0 < x < m, m an odd modulus of
// len(m) ≤ 8 limbs, minv62 = m⁻¹ mod 2^62. ok is false if gcd(x, m) ≠ 1
// or the step bound is reached (the caller then uses another method).
func invertVarTime(x []uint64, m []uint64, minv62 uint64) (inv [8]uint64, ok bool) {
	if len(m) == 0 || len(m) > len(inv) || len(x) != len(m) {
		return inv, false
	}
	L := (64*len(m) + 61) / 62
	var modulus s62
	modulus.from64(m, L)
	// Each update reads f, g, d, e and writes the other four buffers.
	var bufs [8]s62
	f, g, d, e := &bufs[0], &bufs[1], &bufs[2], &bufs[3]
	nf, ng, nd, ne := &bufs[4], &bufs[5], &bufs[6], &bufs[7]
	*f = modulus
	g.from64(x, L)
	e[0] = 1
	eta := int64(-1) // η = −δ, δ = 1
	n := L           // limbs in use for f and g
	// The divstep count is bounded by about 2.9·bits for any input
	// (Bernstein–Yang, Theorem 11.2); allow a wide margin.
	maxBatches := (64*len(m)*3)/62 + 4
	for batch := 0; !isZero62(g, n); batch++ {
		if batch == maxBatches {
			return inv, false
		}
		var t transition
		eta, t = divsteps62(eta, uint64(f[0]), uint64(g[0]))
		combine2(nf, t.u, f, t.v, g, n)
		combine2(ng, t.q, f, t.r, g, n)
		f, nf, g, ng = nf, f, ng, g
		// After the last batch (g = 0) only d is needed.
		last := isZero62(g, n)
		updateDE(nd, ne, d, e, &t, &modulus, minv62, L, !last)
		d, nd, e, ne = nd, d, ne, e
		if last {
			break
		}
		// Drop the top limb when both f and g fit in one limb less.
		if n > 1 {
			ft, gt := f[n-1], g[n-1]
			if (ft^ft>>63)|(gt^gt>>63) == 0 {
				f[n-2] += ft << 62
				g[n-2] += gt << 62
				n--
			}
		}
	}
	// g = 0, so f = ±gcd(m, x), which must be ±1; then x⁻¹ = ±d.
	sign := f[n-1] < 0
	if sign {
		negate62(f, n)
	}
	f[0] ^= 1
	if !isZero62(f, n) {
		return inv, false
	}
	addIfNegative62(d, &modulus, L) // (−2m, m) → (−m, m)
	if sign {
		negate62(d, L)
	}
	addIfNegative62(d, &modulus, L) // → [0, m)
	d.to64(inv[:len(m)], L)
	return inv, true
}
