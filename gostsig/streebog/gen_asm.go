//go:build ignore

// This file is part of the generator run as "go run gen_tables.go
// gen_asm.go". It writes compress_amd64.s: the AVX-512 + GFNI compression
// (one message, and 2-4 interleaved messages for SumBatch) and, at the end
// of the file, a scalar compression for any amd64 CPU.
//
// The linear map l of GOST R 34.11-2012 (RFC 6986 §7) is not only GF(2)-
// linear: on the eight bytes of a 64-bit word it is an 8x8 matrix over the
// field GF(2^8) = GF(2)[x]/(x^8+x^4+x^3+x^2+1) (0x11d); the generator finds
// that matrix and checks it on every input byte. GFNI multiplies in the AES
// field GF(2)[x]/(0x11b), so the assembly works in an isomorphic copy: every
// byte is mapped by a field isomorphism phi (one VGF2P8AFFINEQB), the S-box
// becomes phi∘Pi'∘phi^-1 (VPERMI2B on four 64-byte tables), P becomes one
// VPERMB, and l becomes eight VGF2P8MULB, one per diagonal of its matrix
// (the bytes brought in line by VPRORQ), whose products are XORed together. phi is GF(2)-linear, so the
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
	"path/filepath"
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
	permP         [64]byte     // VPERMB index of the transposition P
	diag          [8][64]byte  // phi(l matrix diagonal d), per output byte
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
	// In memory order byte 8j+i of the state is byte i of word j. P
	// (tau) makes byte 8i+c of its output byte 8c+i of its input, so that
	// output word i of P holds byte i of every input word, and l then
	// gives output byte r of word i as sum_c m[r][c]·(byte c of word i).
	// The sum runs over the diagonals d = c-r mod 8: rotating every word
	// right by 8d bits brings byte r+d to byte r, and diag[d] holds
	// m[r][r+d] at byte r of every word.
	for i := 0; i < 8; i++ {
		for c := 0; c < 8; c++ {
			k.permP[8*i+c] = byte(8*c + i)
		}
	}
	for d := 0; d < 8; d++ {
		for i := 0; i < 8; i++ {
			for r := 0; r < 8; r++ {
				k.diag[d][8*i+r] = k.phi[m[r][(r+d)%8]]
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
	var t, out [64]byte
	for b := range x {
		t[b] = k.sbox[x[k.permP[b]&63]] // VPERMB, then VPERMI2B x2 + VPBLENDMB
	}
	for d := 0; d < 8; d++ {
		for b := 0; b < 64; b++ {
			v := t[b&^7|(b+d)&7]                     // VPRORQ $8d
			out[b] ^= gmul(v, k.diag[d][b], polyAES) // VGF2P8MULB, XOR
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

// Register plan (all Z registers are caller-saved in the Go ABI; the
// single-lane blocks loop also keeps N and the increment 512 in Z20/Z21):
//
//	Z0-Z3    the mapped S-box, 4 x 64 bytes
//	Z4       VPERMB index of P
//	Z5-Z12   the multipliers of the eight diagonals of l
//	Z24-Z28  LPS temporaries
//
// One lane (g) keeps its round key in Z22, its state in Z23, the chaining
// value in Z29, the message block in Z30 and uses Z31 as scratch. Several
// lanes (gN) keep a key and a state each in Z13-Z23 and read the chaining
// values and message blocks from memory. The phi matrices are broadcast
// from memory.
func (w *asmWriter) loadConsts() {
	for i := 0; i < 4; i++ {
		w.p("\tVMOVDQU64 ·avxSbox+%d(SB), Z%d", 64*i, i)
	}
	w.p("\tVMOVDQU64 ·avxPermP(SB), Z4")
	for d := 0; d < 8; d++ {
		w.p("\tVMOVDQU64 ·avxDiag+%d(SB), Z%d", 64*d, 5+d)
	}
}

// lps emits dst = LPS(src) on phi-mapped bytes; src may equal dst. It uses
// Z24-Z28 as temporaries. Only three of its operations (VPERMB and two
// VPERMI2B) use the shuffle unit.
func (w *asmWriter) lps(src, dst string) {
	w.p("\tVPERMB %s, Z4, Z24", src) // P
	w.p("\tVPMOVB2M Z24, K1")
	w.p("\tVMOVDQA64 Z24, Z25")
	w.p("\tVPERMI2B Z1, Z0, Z24")        // sbox[x & 127]
	w.p("\tVPERMI2B Z3, Z2, Z25")        // sbox[128 + x&127]
	w.p("\tVPBLENDMB Z25, Z24, K1, Z24") // top bit set: Z25
	diag := func(d int, t string) {
		if d == 0 {
			w.p("\tVGF2P8MULB Z5, Z24, %s", t)
			return
		}
		w.p("\tVPRORQ $%d, Z24, %s", 8*d, t)
		w.p("\tVGF2P8MULB Z%d, %s, %s", 5+d, t, t)
	}
	diag(0, "Z25")
	diag(1, "Z26")
	diag(2, "Z27")
	w.p("\tVPTERNLOGQ $0x96, Z27, Z26, Z25")
	diag(3, "Z26")
	diag(4, "Z27")
	diag(5, "Z28")
	w.p("\tVPTERNLOGQ $0x96, Z28, Z27, Z26")
	diag(6, "Z27")
	diag(7, "Z28")
	w.p("\tVPTERNLOGQ $0x96, Z28, Z27, Z26")
	w.p("\tVPXORQ Z26, Z25, %s", dst)
}

// g emits Z29 = g_N(Z29, Z30) with N in operand n (RFC 6986 §8): K = LPS(h ^ N),
// then E(K, m) over 12 rounds, then h ^= E ^ m.
func (w *asmWriter) g(n string) {
	w.p("\tVPXORQ %s, Z29, Z31", n)
	w.p("\tVGF2P8AFFINEQB.BCST $0, ·avxPhi(SB), Z31, Z31")
	w.lps("Z31", "Z22")
	w.p("\tVGF2P8AFFINEQB.BCST $0, ·avxPhi(SB), Z30, Z23")
	w.p("\tVPXORQ Z22, Z23, Z23")
	for i := 0; i < 12; i++ {
		w.p("\t// Round %d: state = LPS(state) ^ K%d, K%d = LPS(K%d ^ C_%d).", i+1, i+2, i+2, i+1, i+1)
		w.lps("Z23", "Z23")
		w.p("\tVPXORQ ·avxC+%d(SB), Z22, Z31", 64*i)
		w.lps("Z31", "Z22")
		w.p("\tVPXORQ Z22, Z23, Z23")
	}
	w.p("\tVGF2P8AFFINEQB.BCST $0, ·avxPhiInv(SB), Z23, Z23")
	w.p("\tVPTERNLOGQ $0x96, Z30, Z23, Z29")
}

// lane names the registers of one lane of gN: pointers to h, N and m, and
// the Z registers for the round key and the state.
type lane struct{ h, n, m, key, state string }

// gN emits independent compressions h = g_N(h, m), one per lane, with their
// instructions interleaved round by round so that the out-of-order core
// overlaps the dependency chains. Chaining values and message blocks are
// read from memory.
func (w *asmWriter) gN(ls []lane) {
	for _, l := range ls {
		w.p("\tVMOVDQU64 (%s), %s", l.h, l.key)
		w.p("\tVPXORQ (%s), %s, %s", l.n, l.key, l.key)
		w.p("\tVGF2P8AFFINEQB.BCST $0, ·avxPhi(SB), %s, %s", l.key, l.key)
		w.lps(l.key, l.key)
		w.p("\tVMOVDQU64 (%s), %s", l.m, l.state)
		w.p("\tVGF2P8AFFINEQB.BCST $0, ·avxPhi(SB), %s, %s", l.state, l.state)
		w.p("\tVPXORQ %s, %s, %s", l.key, l.state, l.state)
	}
	for i := 0; i < 12; i++ {
		w.p("\t// Round %d of every lane.", i+1)
		for _, l := range ls {
			w.lps(l.state, l.state)
			w.p("\tVPXORQ ·avxC+%d(SB), %s, %s", 64*i, l.key, l.key)
			w.lps(l.key, l.key)
			w.p("\tVPXORQ %s, %s, %s", l.key, l.state, l.state)
		}
	}
	for _, l := range ls {
		w.p("\tVGF2P8AFFINEQB.BCST $0, ·avxPhiInv(SB), %s, %s", l.state, l.state)
		w.p("\tVMOVDQU64 (%s), %s", l.h, l.key)
		w.p("\tVPTERNLOGQ $0x96, (%s), %s, %s", l.m, l.state, l.key)
		w.p("\tVMOVDQU64 %s, (%s)", l.key, l.h)
	}
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
	w.data("·avxPermP", k.permP[:])
	w.data("·avxDiag", bytes.Join(func() (r [][]byte) {
		for i := range k.diag {
			r = append(r, k.diag[i][:])
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
	w.g("(BX)")
	w.p("\tVMOVDQU64 Z29, (AX)")
	w.p("\tVZEROUPPER")
	w.p("\tRET")
	w.p("")

	// compressNAVX512 for 1 to 4 lanes: the batch path. Each lane i computes
	// *hs[i] = g_N(*hs[i], m) with N = *ns[i] and m the 64 bytes at ms[i];
	// then, if sigmas[i] is not nil, Σ = Σ + m into *sigmas[i] and
	// N = N + incs[i] into *ns[i] (RFC 6986 §9.2 and §9.3). N is added with
	// a vector store, so that the next call's vector load of it is
	// forwarded; a carry out of its low word goes through memory.
	// Lane 0 uses the array pointers themselves, so it is loaded last.
	gprs := []string{"AX", "BX", "SI", "R8", "R9", "R10", "R11", "R12", "R13", "DI", "DX", "CX"}
	zs := []string{"Z13", "Z14", "Z15", "Z16", "Z17", "Z18", "Z19", "Z20", "Z21", "Z22", "Z23"}
	for lanes := 1; lanes <= 4; lanes++ {
		w.p("// func lanes%dAVX512(hs, ns *[%d]*[8]uint64, ms *[%d]unsafe.Pointer, sigmas *[%d]*[8]uint64, incs *[%d]uint64)", lanes, lanes, lanes, lanes, lanes)
		w.p("TEXT ·lanes%dAVX512(SB), NOSPLIT, $0-40", lanes)
		w.p("\tMOVQ hs+0(FP), AX")
		w.p("\tMOVQ ns+8(FP), BX")
		w.p("\tMOVQ ms+16(FP), SI")
		var ls []lane
		for i := 0; i < lanes; i++ {
			l := lane{h: gprs[3*i], n: gprs[3*i+1], m: gprs[3*i+2], key: zs[2*i], state: zs[2*i+1]}
			ls = append(ls, l)
		}
		for i := len(ls) - 1; i >= 0; i-- {
			w.p("\tMOVQ %d(AX), %s", 8*i, ls[i].h)
			w.p("\tMOVQ %d(BX), %s", 8*i, ls[i].n)
			w.p("\tMOVQ %d(SI), %s", 8*i, ls[i].m)
		}
		w.loadConsts()
		w.gN(ls)
		for i := 0; i < lanes; i++ {
			skip := fmt.Sprintf("skip%d", i)
			carry := fmt.Sprintf("carry%d", i)
			w.p("\t// Lane %d: Σ and N.", i)
			w.p("\tMOVQ sigmas+24(FP), AX")
			w.p("\tMOVQ %d(AX), AX", 8*i)
			w.p("\tTESTQ AX, AX")
			w.p("\tJZ %s", skip)
			w.p("\tMOVQ ms+16(FP), SI")
			w.p("\tMOVQ %d(SI), SI", 8*i)
			w.p("\tMOVQ 0(SI), DX")
			w.p("\tADDQ DX, 0(AX)")
			for j := 1; j < 8; j++ {
				w.p("\tMOVQ %d(SI), DX", 8*j)
				w.p("\tADCQ DX, %d(AX)", 8*j)
			}
			w.p("\tMOVQ ns+8(FP), BX")
			w.p("\tMOVQ %d(BX), BX", 8*i)
			w.p("\tMOVQ incs+32(FP), CX")
			w.p("\tMOVQ %d(CX), CX", 8*i)
			w.p("\tMOVQ (BX), DX")
			w.p("\tADDQ CX, DX")
			w.p("\tJC %s", carry)
			w.p("\tVMOVQ CX, X31")
			w.p("\tVPADDQ (BX), Z31, Z31")
			w.p("\tVMOVDQU64 Z31, (BX)")
			w.p("\tJMP %s", skip)
			w.p("%s:", carry)
			w.p("\tADDQ CX, 0(BX)")
			for j := 1; j < 8; j++ {
				w.p("\tADCQ $0, %d(BX)", 8*j)
			}
			w.p("%s:", skip)
		}
		w.p("\tVZEROUPPER")
		w.p("\tRET")
		w.p("")
	}

	w.p("// func blocksAVX512(h, n, sigma *[8]uint64, p []byte)")
	w.p("//")
	w.p("// N stays in Z20 during the loop (a vector load of N right after scalar")
	w.p("// stores to it would wait for them), its low word also in R8; the rare")
	w.p("// carry out of the low word goes through memory.")
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
	w.p("\tVMOVDQU64 (BX), Z20")
	w.p("\tMOVQ (BX), R8")
	w.p("\tMOVQ $512, R9")
	w.p("\tVMOVQ R9, X21")
	w.p("loop:")
	w.p("\tVMOVDQU64 (SI), Z30")
	w.g("Z20")
	w.p("\t// Σ = Σ + m (RFC 6986 §9.2), full carry chain.")
	w.p("\tMOVQ 0(SI), R9")
	w.p("\tADDQ R9, 0(CX)")
	for i := 1; i < 8; i++ {
		w.p("\tMOVQ %d(SI), R9", 8*i)
		w.p("\tADCQ R9, %d(CX)", 8*i)
	}
	w.p("\t// N = N + 512")
	w.p("\tADDQ $512, R8")
	w.p("\tJC carry")
	w.p("\tVPADDQ Z21, Z20, Z20")
	w.p("next:")
	w.p("\tADDQ $64, SI")
	w.p("\tDECQ DX")
	w.p("\tJNZ loop")
	w.p("\tVMOVDQU64 Z29, (AX)")
	w.p("\tVMOVDQU64 Z20, (BX)")
	w.p("\tVZEROUPPER")
	w.p("done:")
	w.p("\tRET")
	w.p("carry:")
	w.p("\tVMOVDQU64 Z20, (BX)")
	w.p("\tADDQ $512, 0(BX)")
	for i := 1; i < 8; i++ {
		w.p("\tADCQ $0, %d(BX)", 8*i)
	}
	w.p("\tVMOVDQU64 (BX), Z20")
	w.p("\tMOVQ (BX), R8")
	w.p("\tJMP next")
	w.p("")
	w.scalar()
	if err := os.WriteFile(filepath.Join(*outDir, "compress_amd64.s"), w.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
}

// Scalar compression for any amd64 CPU: the table-driven LPS of tables.go.
// Of the eight input words, the first scalarRegWords are loaded into
// registers and consumed a byte at a time by MOVBLZX and SHRQ; the bytes of
// the others are loaded straight from the frame with MOVBLZX. The mix
// balances the load ports against the ALUs: on the Zen 5 development
// machine 6 register words gave 247 ns per compression, 8 gave 270 and 4
// gave 259 (pure Go: 337). The state and the round key
// (kept already XORed with the next round constant) are double-buffered in
// the 256-byte frame, two rounds per loop iteration.
var scalarRegWords = 6

var scalarX = [8]string{"BX", "CX", "DX", "SI", "DI", "R8", "R9", "R10"}
var scalarXB = [8]string{"BL", "CL", "DL", "SIB", "DIB", "R8B", "R9B", "R10B"}

// scalarLPS emits LPS of the 64 bytes at src(SP) (AX = &lpsTable) and calls
// out(i) with output word i in R11; R12 is free at that point.
func (w *asmWriter) scalarLPS(src int, out func(i int)) {
	r := scalarRegWords
	for j := 0; j < r; j++ {
		w.p("\tMOVQ %d(SP), %s", src+8*j, scalarX[j])
	}
	for i := 0; i < 8; i++ {
		for j := 0; j < 8; j++ {
			idx := "R12"
			switch {
			case j >= r:
				w.p("\tMOVBLZX %d(SP), R12", src+8*j+i)
			case i == 7:
				idx = scalarX[j] // only the top byte is left
			default:
				w.p("\tMOVBLZX %s, R12", scalarXB[j])
			}
			if j == 0 {
				w.p("\tMOVQ (AX)(%s*8), R11", idx)
			} else {
				w.p("\tXORQ %d(AX)(%s*8), R11", 2048*j, idx)
			}
		}
		if i < 7 {
			for j := 0; j < r; j++ {
				w.p("\tSHRQ $8, %s", scalarX[j])
			}
		}
		out(i)
	}
}

func (w *asmWriter) scalar() {
	// Frame offsets: two state buffers and two round-key buffers.
	const sA, sB, kA, kB = 0, 64, 128, 192
	var c [13 * 64]byte // C_1..C_12 and a zero row, little-endian words
	for i, s := range c0() {
		copy(c[64*i:], s[:])
	}
	w.data("·scalarC", c[:])
	w.p("// func compressAMD64(h, n, m *[8]uint64)")
	w.p("TEXT ·compressAMD64(SB), NOSPLIT, $256-24")
	w.p("\tLEAQ ·lpsTable(SB), AX")
	w.p("\tLEAQ ·scalarC(SB), R13")
	w.p("\t// K1 = LPS(h ^ N); state = m ^ K1; kA = K1 ^ C_1")
	w.p("\tMOVQ h+0(FP), R11")
	w.p("\tMOVQ n+8(FP), R14")
	for j := 0; j < 8; j++ {
		w.p("\tMOVQ %d(R11), R12", 8*j)
		w.p("\tXORQ %d(R14), R12", 8*j)
		w.p("\tMOVQ R12, %d(SP)", kB+8*j)
	}
	w.p("\tMOVQ m+16(FP), R14")
	w.scalarLPS(kB, func(i int) {
		w.p("\tMOVQ %d(R14), R12", 8*i)
		w.p("\tXORQ R11, R12")
		w.p("\tMOVQ R12, %d(SP)", sA+8*i)
		w.p("\tXORQ %d(R13), R11", 8*i)
		w.p("\tMOVQ R11, %d(SP)", kA+8*i)
	})
	w.p("\tADDQ $64, R13")
	w.p("\tMOVQ $6, R14")
	w.p("rounds:")
	round := func(sFrom, sTo, kFrom, kTo int) {
		w.p("\t// state = LPS(state) ^ LPS(K ^ C); K ^ C for the next round")
		w.scalarLPS(sFrom, func(i int) { w.p("\tMOVQ R11, %d(SP)", sTo+8*i) })
		w.scalarLPS(kFrom, func(i int) {
			w.p("\tXORQ R11, %d(SP)", sTo+8*i)
			w.p("\tXORQ %d(R13), R11", 8*i)
			w.p("\tMOVQ R11, %d(SP)", kTo+8*i)
		})
		w.p("\tADDQ $64, R13")
	}
	round(sA, sB, kA, kB)
	round(sB, sA, kB, kA)
	w.p("\tDECQ R14")
	w.p("\tJNZ rounds")
	w.p("\t// h ^= state ^ m")
	w.p("\tMOVQ h+0(FP), R13")
	w.p("\tMOVQ m+16(FP), R14")
	for j := 0; j < 8; j++ {
		w.p("\tMOVQ %d(SP), R11", sA+8*j)
		w.p("\tXORQ %d(R14), R11", 8*j)
		w.p("\tXORQ R11, %d(R13)", 8*j)
	}
	w.p("\tRET")
}

// c0 returns C_1..C_12 of RFC 6986 §6.5 in memory order.
func c0() (r [12][64]byte) {
	for i, s := range c {
		be, _ := hex.DecodeString(s)
		for j := 0; j < 64; j++ {
			r[i][j] = be[63-j]
		}
	}
	return r
}
