package gost341194

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
	for j := range k {
		k[j] = uint32(uint8(x0)) | uint32(uint8(x1))<<8 | uint32(uint8(x2))<<16 | uint32(uint8(x3))<<24
		x0, x1, x2, x3 = x0>>8, x1>>8, x2>>8, x3>>8
	}
	return k
}

// f is the round function of GOST 28147-89 after the key addition:
// the S-box on each 4-bit piece and the rotation left by 11, both folded
// into the tables t.
func f(t *[4][256]uint32, v uint32) uint32 {
	return t[0][uint8(v)] ^ t[1][uint8(v>>8)] ^ t[2][uint8(v>>16)] ^ t[3][v>>24]
}

// encrypt4 enciphers the four 64-bit blocks x[i] with GOST 28147-89 in
// simple substitution (ECB) mode under the keys k[i] (RFC 5830):
// N1 is the low half, 32 rounds with key words K0..K7 three times and then
// K7..K0, and the last round does not swap the halves. The four
// encryptions are independent and run side by side, one round of each at
// a time, so that the processor overlaps their dependency chains.
func encrypt4(t *[4][256]uint32, k *[4][8]uint32, x *[4]uint64) {
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
// (§6.3).
func compress(s *SBox, h, m *[4]uint64) {
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
	encrypt4(&s.t, &keys, &sv)
	// §6.3: ψ^12(S), ^ M, ψ, ^ H, ψ^61.
	q0, q1, q2, q3 := sv[0], sv[1], sv[2], sv[3]
	for range 3 {
		q0, q1, q2, q3 = psi4(q0, q1, q2, q3)
	}
	q0, q1, q2, q3 = psi1(q0^m[0], q1^m[1], q2^m[2], q3^m[3])
	q0, q1, q2, q3 = q0^h[0], q1^h[1], q2^h[2], q3^h[3]
	for range 15 {
		q0, q1, q2, q3 = psi4(q0, q1, q2, q3)
	}
	h[0], h[1], h[2], h[3] = psi1(q0, q1, q2, q3)
}

// psi1 is ψ of GOST R 34.11-94 §6.3 on the 256-bit value q3:q2:q1:q0 (q0
// least significant), whose sixteen 16-bit words are η_1 (the lowest) to η_16:
// ψ(η_16 || ... || η_1) = (η_1 ^ η_2 ^ η_3 ^ η_4 ^ η_13 ^ η_16) || η_16 ||
// ... || η_2.
func psi1(q0, q1, q2, q3 uint64) (uint64, uint64, uint64, uint64) {
	t := q0 ^ q0>>16 ^ q0>>32 ^ q0>>48 ^ q3 ^ q3>>48
	return q0>>16 | q1<<48, q1>>16 | q2<<48, q2>>16 | q3<<48, q3>>16 | t<<48
}

// psi4 is ψ applied four times. The four new words are
// η_(17+j) = η_(1+j) ^ η_(2+j) ^ η_(3+j) ^ η_(4+j) ^ η_(13+j) ^ η_(16+j) for
// j = 0..3; all but the last term come from the old value (the 16-bit lanes
// of b hold them for the four j, plus η_16 in lane 0), and the last term
// chains each new word to the one before, which a prefix XOR over the lanes
// of b resolves.
func psi4(q0, q1, q2, q3 uint64) (uint64, uint64, uint64, uint64) {
	b := q0 ^ (q0>>16 | q1<<48) ^ (q0>>32 | q1<<32) ^ (q0>>48 | q1<<16) ^ q3 ^ q3>>48
	b ^= b << 16
	b ^= b << 32
	return q1, q2, q3, b
}
