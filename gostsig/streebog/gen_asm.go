//go:build ignore

// This file is part of the generator run as "go run gen_tables.go
// gen_asm.go". It writes compress_amd64.s, the AVX-512 + GFNI compression.
//
// The linear map l of GOST R 34.11-2012 (RFC 6986 §7) is not only GF(2)-
// linear: on the eight bytes of a 64-bit word it is an 8x8 matrix over the
// field GF(2^8) = GF(2)[x]/(x^8+x^4+x^3+x^2+1) (0x11d); the generator finds
// that matrix and checks it on every input byte. GFNI multiplies in the AES
// field GF(2)[x]/(0x11b), so the assembly works in an isomorphic copy: every
// byte is mapped by a field isomorphism phi (one VGF2P8AFFINEQB), the S-box
// becomes phi∘Pi'∘phi^-1 (VPERMI2B on four 64-byte tables), P and the
// gathering of the bytes that l combines become VPERMB, and l becomes eight
// VGF2P8MULB whose products are XORed together. phi is GF(2)-linear, so the
// XORs with keys and constants commute with it; only the chaining value
// and message enter through phi and the result leaves through phi^-1.
// The generator checks the whole construction against the table-driven LPS
// on random inputs with a software model of the instructions before it
// writes anything.
package main

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
)

// gmul multiplies a and b in GF(2)[x]/(poly).
func gmul(a, b byte, poly uint16) byte {
	var r uint16
	x := uint16(a)
	for ; b != 0; b >>= 1 {
		if b&1 != 0 {
			r ^= x
		}
		x <<= 1
		if x&0x100 != 0 {
			x ^= poly
		}
	}
	return byte(r)
}

const (
	polyStreebog = 0x11d // x^8+x^4+x^3+x^2+1
	polyAES      = 0x11b // x^8+x^4+x^3+x+1, the field of VGF2P8MULB
)

// affineMatrix encodes the GF(2)-linear byte map f as the 64-bit matrix
// operand of VGF2P8AFFINEQB: bit b of the result is the parity of
// (x AND byte 7-b of the matrix).
func affineMatrix(f func(byte) byte) uint64 {
	var m uint64
	for b := 0; b < 8; b++ {
		var row byte
		for i := 0; i < 8; i++ {
			row |= (f(1<<i) >> b & 1) << i
		}
		m |= uint64(row) << (8 * (7 - b))
	}
	return m
}

// affine is a software model of VGF2P8AFFINEQB on one byte (imm8 = 0).
func affine(m uint64, x byte) byte {
	var r byte
	for b := 0; b < 8; b++ {
		row := byte(m >> (8 * (7 - b)))
		p := row & x
		p ^= p >> 4
		p ^= p >> 2
		p ^= p >> 1
		r |= (p & 1) << b
	}
	return r
}

type avxConsts struct {
	sbox          [256]byte    // phi∘Pi'∘phi^-1
	permIdx       [8][64]byte  // VPERMB index gathering input byte c for l
	mul           [8][64]byte  // phi(l matrix column c), per output byte
	c             [12][64]byte // phi(C_i), memory order
	phiM, phiInvM uint64       // VGF2P8AFFINEQB matrices
	phi, phiInv   [256]byte
}

func avxConstants() *avxConsts {
	k := new(avxConsts)
	// A root beta of 0x11d in the AES field gives the isomorphism
	// phi(sum a_i x^i) = sum a_i beta^i.
	beta := -1
	for b := 2; b < 256 && beta < 0; b++ {
		p := byte(1) // beta^0
		var v byte
		pw := [9]byte{}
		for i := 0; i <= 8; i++ {
			pw[i] = p
			p = gmul(p, byte(b), polyAES)
		}
		v = pw[8] ^ pw[4] ^ pw[3] ^ pw[2] ^ pw[0]
		if v == 0 {
			beta = b
		}
	}
	if beta < 0 {
		log.Fatal("no root of 0x11d in GF(2^8)/0x11b")
	}
	for a := 0; a < 256; a++ {
		var r, p byte = 0, 1
		for i := 0; i < 8; i++ {
			if a>>i&1 != 0 {
				r ^= p
			}
			p = gmul(p, byte(beta), polyAES)
		}
		k.phi[a] = r
	}
	for a := 0; a < 256; a++ {
		k.phiInv[k.phi[a]] = byte(a)
	}
	for a := 0; a < 256; a++ {
		if k.phi[k.phiInv[a]] != byte(a) {
			log.Fatal("phi is not a bijection")
		}
		for b := 0; b < 256; b++ {
			if k.phi[gmul(byte(a), byte(b), polyStreebog)] != gmul(k.phi[a], k.phi[b], polyAES) {
				log.Fatal("phi is not a field isomorphism")
			}
		}
	}
	k.phiM = affineMatrix(func(x byte) byte { return k.phi[x] })
	k.phiInvM = affineMatrix(func(x byte) byte { return k.phiInv[x] })
	for x := 0; x < 256; x++ {
		if affine(k.phiM, byte(x)) != k.phi[x] || affine(k.phiInvM, byte(x)) != k.phiInv[x] {
			log.Fatal("affine matrix encoding is wrong")
		}
	}

	// l as an 8x8 matrix over GF(2^8)/0x11d: byte r of l(v << 8c) = m[r][c]·v.
	var m [8][8]byte
	for r := 0; r < 8; r++ {
		for c := 0; c < 8; c++ {
			m[r][c] = byte(l(1<<(8*c)) >> (8 * r))
		}
	}
	for c := 0; c < 8; c++ {
		for v := 0; v < 256; v++ {
			w := l(uint64(v) << (8 * c))
			for r := 0; r < 8; r++ {
				if byte(w>>(8*r)) != gmul(m[r][c], byte(v), polyStreebog) {
					log.Fatal("l is not GF(2^8)-linear over 0x11d")
				}
			}
		}
	}

	for y := 0; y < 256; y++ {
		k.sbox[y] = k.phi[pi[k.phiInv[y]]]
	}
	// After S, the bytes are laid out as in memory: byte 8j+i is byte i of
	// word j. Output word i of LPS is l applied to (byte i of words 0..7),
	// so output byte r of word i is sum_c m[r][c]·S(byte i of word c).
	for c := 0; c < 8; c++ {
		for i := 0; i < 8; i++ {
			for r := 0; r < 8; r++ {
				k.permIdx[c][8*i+r] = byte(8*c + i)
				k.mul[c][8*i+r] = k.phi[m[r][c]]
			}
		}
	}
	for i, s := range c {
		be, _ := hex.DecodeString(s)
		for j := 0; j < 64; j++ {
			k.c[i][j] = k.phi[be[63-j]]
		}
	}
	return k
}

// lpsModel is a software model of the assembly LPS on phi-mapped bytes.
func (k *avxConsts) lpsModel(x [64]byte) [64]byte {
	var s, out [64]byte
	for i := range x {
		s[i] = k.sbox[x[i]] // VPERMI2B x2 + VPMOVB2M + VPBLENDMB
	}
	for c := 0; c < 8; c++ {
		for b := 0; b < 64; b++ {
			v := s[k.permIdx[c][b]&63]              // VPERMB
			out[b] ^= gmul(v, k.mul[c][b], polyAES) // VGF2P8MULB, XOR
		}
	}
	return out
}

// lpsTableRef is LPS through the fused tables that tables.go holds.
func lpsTableRef(x [8]uint64) (y [8]uint64) {
	for i := 0; i < 8; i++ {
		for j := 0; j < 8; j++ {
			y[i] ^= l(uint64(pi[byte(x[j]>>(8*i))]) << (8 * j))
		}
	}
	return y
}

func (k *avxConsts) selfCheck() {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 2000; n++ {
		var x [8]uint64
		var xb [64]byte
		for i := range x {
			x[i] = r.Uint64()
			for j := 0; j < 8; j++ {
				xb[8*i+j] = k.phi[byte(x[i]>>(8*j))]
			}
		}
		want := lpsTableRef(x)
		got := k.lpsModel(xb)
		for i := range want {
			for j := 0; j < 8; j++ {
				if k.phiInv[got[8*i+j]] != byte(want[i]>>(8*j)) {
					log.Fatal("AVX-512 LPS model disagrees with the table LPS")
				}
			}
		}
	}
}

type asmWriter struct{ bytes.Buffer }

func (w *asmWriter) p(format string, args ...any) { fmt.Fprintf(&w.Buffer, format+"\n", args...) }

func (w *asmWriter) data(name string, b []byte) {
	for i := 0; i < len(b); i += 8 {
		var v uint64
		for j := 7; j >= 0; j-- {
			v = v<<8 | uint64(b[i+j])
		}
		w.p("DATA %s+%d(SB)/8, $0x%016x", name, i, v)
	}
	w.p("GLOBL %s(SB), RODATA|NOPTR, $%d", name, len(b))
	w.p("")
}

// Register plan (all Z registers are caller-saved in the Go ABI):
//
//	Z0-Z3    the mapped S-box, 4 x 64 bytes
//	Z4-Z11   VPERMB indexes for the eight columns of l
//	Z12-Z19  the multipliers of those columns
//	Z20/Z21  phi / phi^-1 matrices (broadcast)
//	Z22      round key K, Z23 state, Z29 chaining value h
//	Z24-Z28  LPS temporaries, Z30 message block, Z31 scratch
func (w *asmWriter) loadConsts() {
	for i := 0; i < 4; i++ {
		w.p("\tVMOVDQU64 ·avxSbox+%d(SB), Z%d", 64*i, i)
	}
	for c := 0; c < 8; c++ {
		w.p("\tVMOVDQU64 ·avxPermIdx+%d(SB), Z%d", 64*c, 4+c)
	}
	for c := 0; c < 8; c++ {
		w.p("\tVMOVDQU64 ·avxMul+%d(SB), Z%d", 64*c, 12+c)
	}
	w.p("\tVPBROADCASTQ ·avxPhi(SB), Z20")
	w.p("\tVPBROADCASTQ ·avxPhiInv(SB), Z21")
}

// lps emits dst = LPS(src) on phi-mapped bytes; src may equal dst.
func (w *asmWriter) lps(src, dst string) {
	w.p("\tVPMOVB2M %s, K1", src)
	w.p("\tVMOVDQA64 %s, Z24", src)
	w.p("\tVPERMI2B Z1, Z0, Z24") // Z24 = sbox[x & 127]
	w.p("\tVMOVDQA64 %s, Z25", src)
	w.p("\tVPERMI2B Z3, Z2, Z25")        // Z25 = sbox[128 + x&127]
	w.p("\tVPBLENDMB Z25, Z24, K1, Z24") // top bit set: Z25
	prod := func(c int, d string) {
		w.p("\tVPERMB Z24, Z%d, %s", 4+c, d)
		w.p("\tVGF2P8MULB Z%d, %s, %s", 12+c, d, d)
	}
	prod(0, "Z25")
	prod(1, "Z26")
	prod(2, "Z27")
	w.p("\tVPTERNLOGQ $0x96, Z27, Z26, Z25")
	prod(3, "Z26")
	prod(4, "Z27")
	prod(5, "Z28")
	w.p("\tVPTERNLOGQ $0x96, Z28, Z27, Z26")
	prod(6, "Z27")
	prod(7, "Z28")
	w.p("\tVPTERNLOGQ $0x96, Z28, Z27, Z26")
	w.p("\tVPXORQ Z26, Z25, %s", dst)
}

// g emits Z29 = g_N(Z29, Z30) with N at (BX) (RFC 6986 §7): K = LPS(h ^ N),
// then E(K, m) over 12 rounds, then h ^= E ^ m.
func (w *asmWriter) g() {
	w.p("\tVPXORQ (BX), Z29, Z31")
	w.p("\tVGF2P8AFFINEQB $0, Z20, Z31, Z31")
	w.lps("Z31", "Z22")
	w.p("\tVGF2P8AFFINEQB $0, Z20, Z30, Z23")
	w.p("\tVPXORQ Z22, Z23, Z23")
	for i := 0; i < 12; i++ {
		w.p("\t// Round %d: state = LPS(state) ^ K%d, K%d = LPS(K%d ^ C_%d).", i+1, i+2, i+2, i+1, i+1)
		w.lps("Z23", "Z23")
		w.p("\tVPXORQ ·avxC+%d(SB), Z22, Z31", 64*i)
		w.lps("Z31", "Z22")
		w.p("\tVPXORQ Z22, Z23, Z23")
	}
	w.p("\tVGF2P8AFFINEQB $0, Z21, Z23, Z23")
	w.p("\tVPTERNLOGQ $0x96, Z30, Z23, Z29")
}

func writeAsm() {
	k := avxConstants()
	k.selfCheck()
	var w asmWriter
	w.p("// Code generated by gen_tables.go and gen_asm.go from the constants of RFC 6986 §6; DO NOT EDIT.")
	w.p("")
	w.p("//go:build !purego")
	w.p("")
	w.p("#include \"textflag.h\"")
	w.p("")
	w.data("·avxSbox", k.sbox[:])
	w.data("·avxPermIdx", bytes.Join(func() (r [][]byte) {
		for i := range k.permIdx {
			r = append(r, k.permIdx[i][:])
		}
		return
	}(), nil))
	w.data("·avxMul", bytes.Join(func() (r [][]byte) {
		for i := range k.mul {
			r = append(r, k.mul[i][:])
		}
		return
	}(), nil))
	w.data("·avxC", bytes.Join(func() (r [][]byte) {
		for i := range k.c {
			r = append(r, k.c[i][:])
		}
		return
	}(), nil))
	var m [8]byte
	for i := range m {
		m[i] = byte(k.phiM >> (8 * i))
	}
	w.data("·avxPhi", m[:])
	for i := range m {
		m[i] = byte(k.phiInvM >> (8 * i))
	}
	w.data("·avxPhiInv", m[:])

	w.p("// func compressAVX512(h, n, m *[8]uint64)")
	w.p("TEXT ·compressAVX512(SB), NOSPLIT, $0-24")
	w.p("\tMOVQ h+0(FP), AX")
	w.p("\tMOVQ n+8(FP), BX")
	w.p("\tMOVQ m+16(FP), SI")
	w.loadConsts()
	w.p("\tVMOVDQU64 (AX), Z29")
	w.p("\tVMOVDQU64 (SI), Z30")
	w.g()
	w.p("\tVMOVDQU64 Z29, (AX)")
	w.p("\tVZEROUPPER")
	w.p("\tRET")
	w.p("")

	w.p("// func blocksAVX512(h, n, sigma *[8]uint64, p []byte)")
	w.p("TEXT ·blocksAVX512(SB), NOSPLIT, $0-48")
	w.p("\tMOVQ h+0(FP), AX")
	w.p("\tMOVQ n+8(FP), BX")
	w.p("\tMOVQ sigma+16(FP), CX")
	w.p("\tMOVQ p_base+24(FP), SI")
	w.p("\tMOVQ p_len+32(FP), DX")
	w.p("\tSHRQ $6, DX")
	w.p("\tJZ done")
	w.loadConsts()
	w.p("\tVMOVDQU64 (AX), Z29")
	w.p("loop:")
	w.p("\tVMOVDQU64 (SI), Z30")
	w.g()
	w.p("\t// Σ = Σ + m, N = N + 512 (RFC 6986 §8.2), full carry chains.")
	w.p("\tMOVQ 0(SI), R8")
	w.p("\tADDQ R8, 0(CX)")
	for i := 1; i < 8; i++ {
		w.p("\tMOVQ %d(SI), R8", 8*i)
		w.p("\tADCQ R8, %d(CX)", 8*i)
	}
	w.p("\tADDQ $512, 0(BX)")
	for i := 1; i < 8; i++ {
		w.p("\tADCQ $0, %d(BX)", 8*i)
	}
	w.p("\tADDQ $64, SI")
	w.p("\tDECQ DX")
	w.p("\tJNZ loop")
	w.p("\tVMOVDQU64 Z29, (AX)")
	w.p("\tVZEROUPPER")
	w.p("done:")
	w.p("\tRET")
	if err := os.WriteFile("compress_amd64.s", w.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}
