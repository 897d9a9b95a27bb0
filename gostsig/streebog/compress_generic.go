package streebog

// lps computes LPS(x) of RFC 6986 §7 with the fused tables t (lpsTable):
// word i of the result is the XOR over j of t[j][byte i of x[j]]. The
// table comes in as an argument so that the compiler keeps it in a register
// and addresses all eight sub-tables from it; the input words are consumed
// one byte at a time from the bottom.
func lps(t *[8][256]uint64, x0, x1, x2, x3, x4, x5, x6, x7 uint64) (y0, y1, y2, y3, y4, y5, y6, y7 uint64) {
	y0 = t[0][uint8(x0)] ^ t[1][uint8(x1)] ^ t[2][uint8(x2)] ^ t[3][uint8(x3)] ^
		t[4][uint8(x4)] ^ t[5][uint8(x5)] ^ t[6][uint8(x6)] ^ t[7][uint8(x7)]
	x0, x1, x2, x3, x4, x5, x6, x7 = x0>>8, x1>>8, x2>>8, x3>>8, x4>>8, x5>>8, x6>>8, x7>>8
	y1 = t[0][uint8(x0)] ^ t[1][uint8(x1)] ^ t[2][uint8(x2)] ^ t[3][uint8(x3)] ^
		t[4][uint8(x4)] ^ t[5][uint8(x5)] ^ t[6][uint8(x6)] ^ t[7][uint8(x7)]
	x0, x1, x2, x3, x4, x5, x6, x7 = x0>>8, x1>>8, x2>>8, x3>>8, x4>>8, x5>>8, x6>>8, x7>>8
	y2 = t[0][uint8(x0)] ^ t[1][uint8(x1)] ^ t[2][uint8(x2)] ^ t[3][uint8(x3)] ^
		t[4][uint8(x4)] ^ t[5][uint8(x5)] ^ t[6][uint8(x6)] ^ t[7][uint8(x7)]
	x0, x1, x2, x3, x4, x5, x6, x7 = x0>>8, x1>>8, x2>>8, x3>>8, x4>>8, x5>>8, x6>>8, x7>>8
	y3 = t[0][uint8(x0)] ^ t[1][uint8(x1)] ^ t[2][uint8(x2)] ^ t[3][uint8(x3)] ^
		t[4][uint8(x4)] ^ t[5][uint8(x5)] ^ t[6][uint8(x6)] ^ t[7][uint8(x7)]
	x0, x1, x2, x3, x4, x5, x6, x7 = x0>>8, x1>>8, x2>>8, x3>>8, x4>>8, x5>>8, x6>>8, x7>>8
	y4 = t[0][uint8(x0)] ^ t[1][uint8(x1)] ^ t[2][uint8(x2)] ^ t[3][uint8(x3)] ^
		t[4][uint8(x4)] ^ t[5][uint8(x5)] ^ t[6][uint8(x6)] ^ t[7][uint8(x7)]
	x0, x1, x2, x3, x4, x5, x6, x7 = x0>>8, x1>>8, x2>>8, x3>>8, x4>>8, x5>>8, x6>>8, x7>>8
	y5 = t[0][uint8(x0)] ^ t[1][uint8(x1)] ^ t[2][uint8(x2)] ^ t[3][uint8(x3)] ^
		t[4][uint8(x4)] ^ t[5][uint8(x5)] ^ t[6][uint8(x6)] ^ t[7][uint8(x7)]
	x0, x1, x2, x3, x4, x5, x6, x7 = x0>>8, x1>>8, x2>>8, x3>>8, x4>>8, x5>>8, x6>>8, x7>>8
	y6 = t[0][uint8(x0)] ^ t[1][uint8(x1)] ^ t[2][uint8(x2)] ^ t[3][uint8(x3)] ^
		t[4][uint8(x4)] ^ t[5][uint8(x5)] ^ t[6][uint8(x6)] ^ t[7][uint8(x7)]
	x0, x1, x2, x3, x4, x5, x6, x7 = x0>>8, x1>>8, x2>>8, x3>>8, x4>>8, x5>>8, x6>>8, x7>>8
	y7 = t[0][uint8(x0)] ^ t[1][uint8(x1)] ^ t[2][uint8(x2)] ^ t[3][uint8(x3)] ^
		t[4][uint8(x4)] ^ t[5][uint8(x5)] ^ t[6][uint8(x6)] ^ t[7][uint8(x7)]
	return
}

// compressGeneric computes h = g_N(h, m) = E(LPS(h ^ N), m) ^ h ^ m
// (RFC 6986 §8), where E(K, m) = X[K13]·LPSX[K12]···LPSX[K1](m) and the
// round keys are K1 = K, K(i+1) = LPS(Ki ^ C_i) (§8).
func compressGeneric(h, n, m *[8]uint64) {
	t := &lpsTable
	k0, k1, k2, k3, k4, k5, k6, k7 := lps(t, h[0]^n[0], h[1]^n[1], h[2]^n[2], h[3]^n[3],
		h[4]^n[4], h[5]^n[5], h[6]^n[6], h[7]^n[7])
	s0, s1, s2, s3, s4, s5, s6, s7 := m[0]^k0, m[1]^k1, m[2]^k2, m[3]^k3,
		m[4]^k4, m[5]^k5, m[6]^k6, m[7]^k7
	// Round 1.
	s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0, s1, s2, s3, s4, s5, s6, s7)
	k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^roundC[0][0], k1^roundC[0][1], k2^roundC[0][2], k3^roundC[0][3],
		k4^roundC[0][4], k5^roundC[0][5], k6^roundC[0][6], k7^roundC[0][7])
	s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	// Round 2.
	s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0, s1, s2, s3, s4, s5, s6, s7)
	k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^roundC[1][0], k1^roundC[1][1], k2^roundC[1][2], k3^roundC[1][3],
		k4^roundC[1][4], k5^roundC[1][5], k6^roundC[1][6], k7^roundC[1][7])
	s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	// Round 3.
	s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0, s1, s2, s3, s4, s5, s6, s7)
	k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^roundC[2][0], k1^roundC[2][1], k2^roundC[2][2], k3^roundC[2][3],
		k4^roundC[2][4], k5^roundC[2][5], k6^roundC[2][6], k7^roundC[2][7])
	s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	// Round 4.
	s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0, s1, s2, s3, s4, s5, s6, s7)
	k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^roundC[3][0], k1^roundC[3][1], k2^roundC[3][2], k3^roundC[3][3],
		k4^roundC[3][4], k5^roundC[3][5], k6^roundC[3][6], k7^roundC[3][7])
	s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	// Round 5.
	s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0, s1, s2, s3, s4, s5, s6, s7)
	k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^roundC[4][0], k1^roundC[4][1], k2^roundC[4][2], k3^roundC[4][3],
		k4^roundC[4][4], k5^roundC[4][5], k6^roundC[4][6], k7^roundC[4][7])
	s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	// Round 6.
	s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0, s1, s2, s3, s4, s5, s6, s7)
	k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^roundC[5][0], k1^roundC[5][1], k2^roundC[5][2], k3^roundC[5][3],
		k4^roundC[5][4], k5^roundC[5][5], k6^roundC[5][6], k7^roundC[5][7])
	s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	// Round 7.
	s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0, s1, s2, s3, s4, s5, s6, s7)
	k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^roundC[6][0], k1^roundC[6][1], k2^roundC[6][2], k3^roundC[6][3],
		k4^roundC[6][4], k5^roundC[6][5], k6^roundC[6][6], k7^roundC[6][7])
	s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	// Round 8.
	s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0, s1, s2, s3, s4, s5, s6, s7)
	k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^roundC[7][0], k1^roundC[7][1], k2^roundC[7][2], k3^roundC[7][3],
		k4^roundC[7][4], k5^roundC[7][5], k6^roundC[7][6], k7^roundC[7][7])
	s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	// Round 9.
	s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0, s1, s2, s3, s4, s5, s6, s7)
	k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^roundC[8][0], k1^roundC[8][1], k2^roundC[8][2], k3^roundC[8][3],
		k4^roundC[8][4], k5^roundC[8][5], k6^roundC[8][6], k7^roundC[8][7])
	s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	// Round 10.
	s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0, s1, s2, s3, s4, s5, s6, s7)
	k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^roundC[9][0], k1^roundC[9][1], k2^roundC[9][2], k3^roundC[9][3],
		k4^roundC[9][4], k5^roundC[9][5], k6^roundC[9][6], k7^roundC[9][7])
	s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	// Round 11.
	s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0, s1, s2, s3, s4, s5, s6, s7)
	k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^roundC[10][0], k1^roundC[10][1], k2^roundC[10][2], k3^roundC[10][3],
		k4^roundC[10][4], k5^roundC[10][5], k6^roundC[10][6], k7^roundC[10][7])
	s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	// Round 12.
	s0, s1, s2, s3, s4, s5, s6, s7 = lps(t, s0, s1, s2, s3, s4, s5, s6, s7)
	k0, k1, k2, k3, k4, k5, k6, k7 = lps(t, k0^roundC[11][0], k1^roundC[11][1], k2^roundC[11][2], k3^roundC[11][3],
		k4^roundC[11][4], k5^roundC[11][5], k6^roundC[11][6], k7^roundC[11][7])
	s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	h[0] ^= s0 ^ m[0]
	h[1] ^= s1 ^ m[1]
	h[2] ^= s2 ^ m[2]
	h[3] ^= s3 ^ m[3]
	h[4] ^= s4 ^ m[4]
	h[5] ^= s5 ^ m[5]
	h[6] ^= s6 ^ m[6]
	h[7] ^= s7 ^ m[7]
}
