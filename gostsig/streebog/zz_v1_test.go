package streebog

// lps computes LPS(x) of RFC 6986 §7 with the fused tables: word i of the
// result is the XOR over j of lpsTable[j][byte i of x[j]].
func lpsV1(x0, x1, x2, x3, x4, x5, x6, x7 uint64) (y0, y1, y2, y3, y4, y5, y6, y7 uint64) {
	t := &lpsTable
	y0 = t[0][uint8(x0)] ^ t[1][uint8(x1)] ^ t[2][uint8(x2)] ^ t[3][uint8(x3)] ^
		t[4][uint8(x4)] ^ t[5][uint8(x5)] ^ t[6][uint8(x6)] ^ t[7][uint8(x7)]
	y1 = t[0][uint8(x0>>8)] ^ t[1][uint8(x1>>8)] ^ t[2][uint8(x2>>8)] ^ t[3][uint8(x3>>8)] ^
		t[4][uint8(x4>>8)] ^ t[5][uint8(x5>>8)] ^ t[6][uint8(x6>>8)] ^ t[7][uint8(x7>>8)]
	y2 = t[0][uint8(x0>>16)] ^ t[1][uint8(x1>>16)] ^ t[2][uint8(x2>>16)] ^ t[3][uint8(x3>>16)] ^
		t[4][uint8(x4>>16)] ^ t[5][uint8(x5>>16)] ^ t[6][uint8(x6>>16)] ^ t[7][uint8(x7>>16)]
	y3 = t[0][uint8(x0>>24)] ^ t[1][uint8(x1>>24)] ^ t[2][uint8(x2>>24)] ^ t[3][uint8(x3>>24)] ^
		t[4][uint8(x4>>24)] ^ t[5][uint8(x5>>24)] ^ t[6][uint8(x6>>24)] ^ t[7][uint8(x7>>24)]
	y4 = t[0][uint8(x0>>32)] ^ t[1][uint8(x1>>32)] ^ t[2][uint8(x2>>32)] ^ t[3][uint8(x3>>32)] ^
		t[4][uint8(x4>>32)] ^ t[5][uint8(x5>>32)] ^ t[6][uint8(x6>>32)] ^ t[7][uint8(x7>>32)]
	y5 = t[0][uint8(x0>>40)] ^ t[1][uint8(x1>>40)] ^ t[2][uint8(x2>>40)] ^ t[3][uint8(x3>>40)] ^
		t[4][uint8(x4>>40)] ^ t[5][uint8(x5>>40)] ^ t[6][uint8(x6>>40)] ^ t[7][uint8(x7>>40)]
	y6 = t[0][uint8(x0>>48)] ^ t[1][uint8(x1>>48)] ^ t[2][uint8(x2>>48)] ^ t[3][uint8(x3>>48)] ^
		t[4][uint8(x4>>48)] ^ t[5][uint8(x5>>48)] ^ t[6][uint8(x6>>48)] ^ t[7][uint8(x7>>48)]
	y7 = t[0][uint8(x0>>56)] ^ t[1][uint8(x1>>56)] ^ t[2][uint8(x2>>56)] ^ t[3][uint8(x3>>56)] ^
		t[4][uint8(x4>>56)] ^ t[5][uint8(x5>>56)] ^ t[6][uint8(x6>>56)] ^ t[7][uint8(x7>>56)]
	return
}

// compressGeneric computes h = g_N(h, m) = E(LPS(h ^ N), m) ^ h ^ m
// (RFC 6986 §7), where E(K, m) = X[K13]·LPSX[K12]···LPSX[K1](m) and the
// round keys are K1 = K, K(i+1) = LPS(Ki ^ C_i) (§7, key schedule).
func compressV1(h, n, m *[8]uint64) {
	k0, k1, k2, k3, k4, k5, k6, k7 := lpsV1(h[0]^n[0], h[1]^n[1], h[2]^n[2], h[3]^n[3],
		h[4]^n[4], h[5]^n[5], h[6]^n[6], h[7]^n[7])
	s0, s1, s2, s3, s4, s5, s6, s7 := m[0]^k0, m[1]^k1, m[2]^k2, m[3]^k3,
		m[4]^k4, m[5]^k5, m[6]^k6, m[7]^k7
	for i := range roundC {
		c := &roundC[i]
		s0, s1, s2, s3, s4, s5, s6, s7 = lpsV1(s0, s1, s2, s3, s4, s5, s6, s7)
		k0, k1, k2, k3, k4, k5, k6, k7 = lpsV1(k0^c[0], k1^c[1], k2^c[2], k3^c[3],
			k4^c[4], k5^c[5], k6^c[6], k7^c[7])
		s0, s1, s2, s3, s4, s5, s6, s7 = s0^k0, s1^k1, s2^k2, s3^k3, s4^k4, s5^k5, s6^k6, s7^k7
	}
	h[0] ^= s0 ^ m[0]
	h[1] ^= s1 ^ m[1]
	h[2] ^= s2 ^ m[2]
	h[3] ^= s3 ^ m[3]
	h[4] ^= s4 ^ m[4]
	h[5] ^= s5 ^ m[5]
	h[6] ^= s6 ^ m[6]
	h[7] ^= s7 ^ m[7]
}
