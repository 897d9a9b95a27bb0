package gost341194

//go:generate go run gen_psi.go

// c3 is the constant C_3 of GOST R 34.11-94 §6.1,
// 1^8 0^8 1^16 0^24 1^16 0^8 (0^8 1^8)^2 1^8 0^8 (0^8 1^8)^4 (1^8 0^8)^4 from
// the most significant bit, as four little-endian 64-bit words. C_2 and C_4
// are zero.
var c3 = [4]uint64{0xff00ff00ff00ff00, 0x00ff00ff00ff00ff, 0xff0000ff00ffff00, 0xff00ffff000000ff}

// a is the transformation A of GOST R 34.11-94 §6.1:
// A(x4 || x3 || x2 || x1) = (x1 ^ x2) || x4 || x3 || x2, on 64-bit words
// with x1 = x[0] the least significant.
func a(x [4]uint64) [4]uint64 {
	return [4]uint64{x[1], x[2], x[3], x[0] ^ x[1]}
}

// p is the byte permutation P of GOST R 34.11-94 §6.1: byte
// φ(i + 1 + 4(k-1)) = 8i + k of the input (bytes numbered from 1 at the
// least significant end) becomes byte i + 1 + 4(k-1) of the output, for
// i = 0..3, k = 1..8. With
// the input as four little-endian 64-bit words x[i] and the output as the
// eight little-endian 32-bit words of the GOST 28147-89 key, key word k
// holds byte k of x[0], x[1], x[2], x[3] from the bottom up.
func p(x0, x1, x2, x3 uint64) (k [8]uint32) {
	// A 4×8 byte transpose by masks: first pair the bytes of x0 with those
	// of x1 (and x2 with x3) in 16-bit lanes, even and odd byte positions
	// apart, then pair those lanes into the 32-bit key words.
	const m8, m16 = 0x00ff00ff00ff00ff, 0x0000ffff0000ffff
	e01 := x0&m8 | (x1&m8)<<8 // lane i: byte 2i of x0, of x1
	o01 := x0>>8&m8 | x1&^m8  // lane i: byte 2i+1 of x0, of x1
	e23 := x2&m8 | (x3&m8)<<8 // the same for x2, x3
	o23 := x2>>8&m8 | x3&^m8
	k04 := e01&m16 | (e23&m16)<<16 // key words 0 and 4
	k26 := e01>>16&m16 | e23&^m16  // 2 and 6
	k15 := o01&m16 | (o23&m16)<<16 // 1 and 5
	k37 := o01>>16&m16 | o23&^m16  // 3 and 7
	return [8]uint32{uint32(k04), uint32(k15), uint32(k26), uint32(k37),
		uint32(k04 >> 32), uint32(k15 >> 32), uint32(k26 >> 32), uint32(k37 >> 32)}
}

// f is the round function of GOST 28147-89 after the key addition: the
// S-box on each 4-bit piece and the rotation left by 11, both folded into
// the three tables of t (12 + 12 + 8 bits).
func f(t *SBox, v uint32) uint32 {
	return t.lo[v&0xfff] ^ t.mid[v>>12&0xfff] ^ t.hi[v>>24]
}

// encrypt4 enciphers the four 64-bit blocks x[i] with GOST 28147-89 in
// simple substitution (ECB) mode under the keys k[i] (RFC 5830):
// N1 is the low half, 32 rounds with key words K0..K7 three times and then
// K7..K0, and the last round does not swap the halves. The four
// encryptions are independent and run side by side, one round of each at
// a time, so that the processor overlaps their dependency chains.
func encrypt4(t *SBox, k *[4][8]uint32, x *[4]uint64) {
	a1, a2 := uint32(x[0]), uint32(x[0]>>32)
	b1, b2 := uint32(x[1]), uint32(x[1]>>32)
	c1, c2 := uint32(x[2]), uint32(x[2]>>32)
	d1, d2 := uint32(x[3]), uint32(x[3]>>32)
	ka, kb, kc, kd := &k[0], &k[1], &k[2], &k[3]
	for range 3 {
		for j := 0; j < 8; j += 2 {
			a2 ^= f(t, a1+ka[j])
			b2 ^= f(t, b1+kb[j])
			c2 ^= f(t, c1+kc[j])
			d2 ^= f(t, d1+kd[j])
			a1 ^= f(t, a2+ka[j+1])
			b1 ^= f(t, b2+kb[j+1])
			c1 ^= f(t, c2+kc[j+1])
			d1 ^= f(t, d2+kd[j+1])
		}
	}
	for j := 7; j > 0; j -= 2 {
		a2 ^= f(t, a1+ka[j])
		b2 ^= f(t, b1+kb[j])
		c2 ^= f(t, c1+kc[j])
		d2 ^= f(t, d1+kd[j])
		a1 ^= f(t, a2+ka[j-1])
		b1 ^= f(t, b2+kb[j-1])
		c1 ^= f(t, c2+kc[j-1])
		d1 ^= f(t, d2+kd[j-1])
	}
	x[0] = uint64(a2) | uint64(a1)<<32
	x[1] = uint64(b2) | uint64(b1)<<32
	x[2] = uint64(c2) | uint64(c1)<<32
	x[3] = uint64(d2) | uint64(d1)<<32
}

// compress computes H = χ(M, H), the step hash function of GOST R 34.11-94
// §6: key generation (§6.1), encryption of the four 64-bit words of H
// (§6.2) and the mixing transformation H = ψ^61(H ^ ψ(M ^ ψ^12(S)))
// (§6.3). ψ is linear, so the mixing is ψ^61(H ^ ψ(M)) ^ ψ^74(S): the first
// term does not depend on the encryptions and is computed before them (the
// processor overlaps it with their rounds), the second is one matrix
// applied to their result (zz_psi.go) instead of 74 steps of ψ in a row.
func compress(s *SBox, h, m *[4]uint64) {
	// §6.3, the part without S.
	t0, t1, t2, t3 := psi1(m[0], m[1], m[2], m[3])
	t0, t1, t2, t3 = psi61(h[0]^t0, h[1]^t1, h[2]^t2, h[3]^t3)
	// §6.1: U = H, V = M, W = U ^ V, K1 = P(W); then for j = 2, 3, 4:
	// U = A(U) ^ C_j, V = A(A(V)), W = U ^ V, K_j = P(W).
	var keys [4][8]uint32
	u, v := *h, *m
	keys[0] = p(u[0]^v[0], u[1]^v[1], u[2]^v[2], u[3]^v[3])
	for j := 1; j < 4; j++ {
		u = a(u)
		if j == 2 {
			u = [4]uint64{u[0] ^ c3[0], u[1] ^ c3[1], u[2] ^ c3[2], u[3] ^ c3[3]}
		}
		v = a(a(v))
		keys[j] = p(u[0]^v[0], u[1]^v[1], u[2]^v[2], u[3]^v[3])
	}
	// §6.2: s_i = E_{K_i}(h_i).
	sv := *h
	encrypt4(s, &keys, &sv)
	// §6.3: ψ^74(S) ^ ψ^61(H ^ ψ(M)).
	q0, q1, q2, q3 := psi74(sv[0], sv[1], sv[2], sv[3])
	h[0], h[1], h[2], h[3] = q0^t0, q1^t1, q2^t2, q3^t3
}

// psi1 is ψ of GOST R 34.11-94 §6.3 on the 256-bit value q3:q2:q1:q0 (q0
// least significant), whose sixteen 16-bit words are η_1 (the lowest) to η_16:
// ψ(η_16 || ... || η_1) = (η_1 ^ η_2 ^ η_3 ^ η_4 ^ η_13 ^ η_16) || η_16 ||
// ... || η_2.
func psi1(q0, q1, q2, q3 uint64) (uint64, uint64, uint64, uint64) {
	t := q0 ^ q0>>16 ^ q0>>32 ^ q0>>48 ^ q3 ^ q3>>48
	return q0>>16 | q1<<48, q1>>16 | q2<<48, q2>>16 | q3<<48, q3>>16 | t<<48
}
