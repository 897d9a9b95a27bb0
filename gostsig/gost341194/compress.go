package gost341194

import "encoding/binary"

// c3 is the constant C_3 of RFC 5831 §6.1 (GOST R 34.11-94 §6.1),
// 1^8 0^8 1^16 0^24 1^16 0^8 (0^8 1^8)^2 1^8 0^8 (0^8 1^8)^4 (1^8 0^8)^4 from
// the most significant bit, as four little-endian 64-bit words. C_2 and C_4
// are zero.
var c3 = [4]uint64{0xff00ff00ff00ff00, 0x00ff00ff00ff00ff, 0xff0000ff00ffff00, 0xff00ffff000000ff}

// a is the transformation A of RFC 5831 §6.1:
// A(x4 || x3 || x2 || x1) = (x1 ^ x2) || x4 || x3 || x2, on 64-bit words
// with x1 = x[0] the least significant.
func a(x [4]uint64) [4]uint64 {
	return [4]uint64{x[1], x[2], x[3], x[0] ^ x[1]}
}

// p is the byte permutation P of RFC 5831 §6.1: byte φ(i + 1 + 4(k-1)) =
// 8i + k of the input (bytes numbered from 1 at the least significant end)
// becomes byte i + 1 + 4(k-1) of the output, for i = 0..3, k = 1..8. The
// result is the 256-bit GOST 28147-89 key as eight little-endian 32-bit
// words.
func p(x [4]uint64) (k [8]uint32) {
	var in, out [32]byte
	for i, w := range x {
		binary.LittleEndian.PutUint64(in[8*i:], w)
	}
	for i := range 4 {
		for kk := range 8 {
			out[i+4*kk] = in[8*i+kk]
		}
	}
	for i := range k {
		k[i] = binary.LittleEndian.Uint32(out[4*i:])
	}
	return k
}

// encrypt enciphers the 64-bit block x with GOST 28147-89 in simple
// substitution (ECB) mode under key k (GOST 28147-89 §2.1): N1 is the low
// half, 32 rounds with key words K0..K7 three times and then K7..K0.
func encrypt(s *SBox, k *[8]uint32, x uint64) uint64 {
	n1, n2 := uint32(x), uint32(x>>32)
	f := func(v uint32) uint32 {
		return s.t[0][uint8(v)] ^ s.t[1][uint8(v>>8)] ^ s.t[2][uint8(v>>16)] ^ s.t[3][v>>24]
	}
	for range 3 {
		n2 ^= f(n1 + k[0])
		n1 ^= f(n2 + k[1])
		n2 ^= f(n1 + k[2])
		n1 ^= f(n2 + k[3])
		n2 ^= f(n1 + k[4])
		n1 ^= f(n2 + k[5])
		n2 ^= f(n1 + k[6])
		n1 ^= f(n2 + k[7])
	}
	n2 ^= f(n1 + k[7])
	n1 ^= f(n2 + k[6])
	n2 ^= f(n1 + k[5])
	n1 ^= f(n2 + k[4])
	n2 ^= f(n1 + k[3])
	n1 ^= f(n2 + k[2])
	n2 ^= f(n1 + k[1])
	n1 ^= f(n2 + k[0])
	// The last round does not swap the halves.
	return uint64(n2) | uint64(n1)<<32
}

// compress computes H = χ(M, H), the step hash function of RFC 5831 §6:
// key generation (§6.1), encryption of the four 64-bit words of H (§6.2)
// and the mixing transformation H = ψ^61(H ^ ψ(M ^ ψ^12(S))) (§6.3).
func compress(s *SBox, h, m *[4]uint64) {
	// §6.1: U = H, V = M, W = U ^ V, K1 = P(W); then for j = 2, 3, 4:
	// U = A(U) ^ C_j, V = A(A(V)), W = U ^ V, K_j = P(W).
	var keys [4][8]uint32
	u, v := *h, *m
	keys[0] = p([4]uint64{u[0] ^ v[0], u[1] ^ v[1], u[2] ^ v[2], u[3] ^ v[3]})
	for j := 1; j < 4; j++ {
		u = a(u)
		if j == 2 {
			u = [4]uint64{u[0] ^ c3[0], u[1] ^ c3[1], u[2] ^ c3[2], u[3] ^ c3[3]}
		}
		v = a(a(v))
		keys[j] = p([4]uint64{u[0] ^ v[0], u[1] ^ v[1], u[2] ^ v[2], u[3] ^ v[3]})
	}
	// §6.2: s_i = E_{K_i}(h_i).
	var sv [4]uint64
	for i := range sv {
		sv[i] = encrypt(s, &keys[i], h[i])
	}
	// §6.3: ψ^12(S), ^ M, ψ, ^ H, ψ^61.
	var w [16 + 61]uint16
	load16(&w, &sv)
	psi(&w, 12)
	x := store16(&w, 12)
	for i := range x {
		x[i] ^= m[i]
	}
	load16(&w, &x)
	psi(&w, 1)
	x = store16(&w, 1)
	for i := range x {
		x[i] ^= h[i]
	}
	load16(&w, &x)
	psi(&w, 61)
	*h = store16(&w, 61)
}

// load16 splits x into its sixteen 16-bit words η_1..η_16 (w[0] = η_1, the
// least significant).
func load16(w *[16 + 61]uint16, x *[4]uint64) {
	for i, v := range x {
		w[4*i] = uint16(v)
		w[4*i+1] = uint16(v >> 16)
		w[4*i+2] = uint16(v >> 32)
		w[4*i+3] = uint16(v >> 48)
	}
}

// psi applies ψ n times: ψ(η_16 || ... || η_1) = (η_1 ^ η_2 ^ η_3 ^ η_4 ^
// η_13 ^ η_16) || η_16 || ... || η_2 (RFC 5831 §6.3). Each application
// shifts the words down by one and appends a new top word, so ψ^n of
// w[0..15] is w[n..n+15] of the sequence extended by this recurrence.
func psi(w *[16 + 61]uint16, n int) {
	for j := range n {
		w[16+j] = w[j] ^ w[j+1] ^ w[j+2] ^ w[j+3] ^ w[j+12] ^ w[j+15]
	}
}

// store16 reassembles the 256-bit value w[off..off+15].
func store16(w *[16 + 61]uint16, off int) (x [4]uint64) {
	for i := range x {
		x[i] = uint64(w[off+4*i]) | uint64(w[off+4*i+1])<<16 |
			uint64(w[off+4*i+2])<<32 | uint64(w[off+4*i+3])<<48
	}
	return x
}
