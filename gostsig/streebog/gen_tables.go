//go:build ignore

// Run with: go run gen_tables.go gen_asm.go

// gen_tables derives the fused LPS tables of GOST R 34.11-2012 (Streebog)
// from the constants printed in the standard (RFC 6986 §6) and writes them,
// together with the iteration constants C_1..C_12, to tables.go. It also
// writes the amd64 assembly, compress_amd64.s (see gen_asm.go).
//
// The LPS transformation (RFC 6986 §7: S, then P, then L) is linear after S,
// so for a state of eight little-endian 64-bit words x[0..7]
//
//	LPS(x)[i] = T[0][byte i of x[0]] ^ T[1][byte i of x[1]] ^ ... ^ T[7][byte i of x[7]]
//
// with T[j][b] = l(Pi'(b) << 8j): P (the byte transposition tau) moves byte i
// of word j to byte j of word i, S substitutes the byte, and l multiplies the
// resulting word by the matrix A.
package main

import (
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
)

// pi is Pi' from RFC 6986 §6.2 (GOST R 34.11-2012 §5.1), the byte substitution.
var pi = [256]byte{
	252, 238, 221, 17, 207, 110, 49, 22, 251, 196, 250, 218, 35, 197, 4, 77,
	233, 119, 240, 219, 147, 46, 153, 186, 23, 54, 241, 187, 20, 205, 95, 193,
	249, 24, 101, 90, 226, 92, 239, 33, 129, 28, 60, 66, 139, 1, 142, 79,
	5, 132, 2, 174, 227, 106, 143, 160, 6, 11, 237, 152, 127, 212, 211, 31,
	235, 52, 44, 81, 234, 200, 72, 171, 242, 42, 104, 162, 253, 58, 206, 204,
	181, 112, 14, 86, 8, 12, 118, 18, 191, 114, 19, 71, 156, 183, 93, 135,
	21, 161, 150, 41, 16, 123, 154, 199, 243, 145, 120, 111, 157, 158, 178, 177,
	50, 117, 25, 61, 255, 53, 138, 126, 109, 84, 198, 128, 195, 189, 13, 87,
	223, 245, 36, 169, 62, 168, 67, 201, 215, 121, 214, 246, 124, 34, 185, 3,
	224, 15, 236, 222, 122, 148, 176, 188, 220, 232, 40, 80, 78, 51, 10, 74,
	167, 151, 96, 115, 30, 0, 98, 68, 26, 184, 56, 130, 100, 159, 38, 65,
	173, 69, 70, 146, 39, 94, 85, 47, 140, 163, 165, 125, 105, 213, 149, 59,
	7, 88, 179, 64, 134, 172, 29, 247, 48, 55, 107, 228, 136, 217, 231, 137,
	225, 27, 131, 73, 76, 63, 248, 254, 141, 83, 170, 144, 202, 216, 133, 97,
	32, 113, 103, 164, 45, 43, 9, 91, 203, 155, 37, 208, 190, 229, 108, 82,
	89, 166, 116, 210, 230, 244, 180, 192, 209, 102, 175, 194, 57, 75, 99, 182,
}

// a is the matrix A of the linear transformation l (RFC 6986 §6.4):
// l(b_63...b_0) = XOR of b_(63-i)·a[i], so a[0] belongs to the top bit.
var a = [64]uint64{
	0x8e20faa72ba0b470, 0x47107ddd9b505a38, 0xad08b0e0c3282d1c, 0xd8045870ef14980e,
	0x6c022c38f90a4c07, 0x3601161cf205268d, 0x1b8e0b0e798c13c8, 0x83478b07b2468764,
	0xa011d380818e8f40, 0x5086e740ce47c920, 0x2843fd2067adea10, 0x14aff010bdd87508,
	0x0ad97808d06cb404, 0x05e23c0468365a02, 0x8c711e02341b2d01, 0x46b60f011a83988e,
	0x90dab52a387ae76f, 0x486dd4151c3dfdb9, 0x24b86a840e90f0d2, 0x125c354207487869,
	0x092e94218d243cba, 0x8a174a9ec8121e5d, 0x4585254f64090fa0, 0xaccc9ca9328a8950,
	0x9d4df05d5f661451, 0xc0a878a0a1330aa6, 0x60543c50de970553, 0x302a1e286fc58ca7,
	0x18150f14b9ec46dd, 0x0c84890ad27623e0, 0x0642ca05693b9f70, 0x0321658cba93c138,
	0x86275df09ce8aaa8, 0x439da0784e745554, 0xafc0503c273aa42a, 0xd960281e9d1d5215,
	0xe230140fc0802984, 0x71180a8960409a42, 0xb60c05ca30204d21, 0x5b068c651810a89e,
	0x456c34887a3805b9, 0xac361a443d1c8cd2, 0x561b0d22900e4669, 0x2b838811480723ba,
	0x9bcf4486248d9f5d, 0xc3e9224312c8c1a0, 0xeffa11af0964ee50, 0xf97d86d98a327728,
	0xe4fa2054a80b329c, 0x727d102a548b194e, 0x39b008152acb8227, 0x9258048415eb419d,
	0x492c024284fbaec0, 0xaa16012142f35760, 0x550b8e9e21f7a530, 0xa48b474f9ef5dc18,
	0x70a6a56e2440598e, 0x3853dc371220a247, 0x1ca76e95091051ad, 0x0edd37c48a08a6d8,
	0x07e095624504536c, 0x8d70c431ac02a736, 0xc83862965601dd1b, 0x641c314b2b8ee083,
}

// c holds the iteration constants C_1..C_12 exactly as RFC 6986 §6.5 prints
// them: big-endian hexadecimal numbers (most significant byte first).
var c = [12]string{
	"b1085bda1ecadae9ebcb2f81c0657c1f2f6a76432e45d016714eb88d7585c4fc4b7ce09192676901a2422a08a460d31505767436cc744d23dd806559f2a64507",
	"6fa3b58aa99d2f1a4fe39d460f70b5d7f3feea720a232b9861d55e0f16b501319ab5176b12d699585cb561c2db0aa7ca55dda21bd7cbcd56e679047021b19bb7",
	"f574dcac2bce2fc70a39fc286a3d843506f15e5f529c1f8bf2ea7514b1297b7bd3e20fe490359eb1c1c93a376062db09c2b6f443867adb31991e96f50aba0ab2",
	"ef1fdfb3e81566d2f948e1a05d71e4dd488e857e335c3c7d9d721cad685e353fa9d72c82ed03d675d8b71333935203be3453eaa193e837f1220cbebc84e3d12e",
	"4bea6bacad4747999a3f410c6ca923637f151c1f1686104a359e35d7800fffbdbfcd1747253af5a3dfff00b723271a167a56a27ea9ea63f5601758fd7c6cfe57",
	"ae4faeae1d3ad3d96fa4c33b7a3039c02d66c4f95142a46c187f9ab49af08ec6cffaa6b71c9ab7b40af21f66c2bec6b6bf71c57236904f35fa68407a46647d6e",
	"f4c70e16eeaac5ec51ac86febf240954399ec6c7e6bf87c9d3473e33197a93c90992abc52d822c3706476983284a05043517454ca23c4af38886564d3a14d493",
	"9b1f5b424d93c9a703e7aa020c6e41414eb7f8719c36de1e89b4443b4ddbc49af4892bcb929b069069d18d2bd1a5c42f36acc2355951a8d9a47f0dd4bf02e71e",
	"378f5a541631229b944c9ad8ec165fde3a7d3a1b258942243cd955b7e00d0984800a440bdbb2ceb17b2b8a9aa6079c540e38dc92cb1f2a607261445183235adb",
	"abbedea680056f52382ae548b2e4f3f38941e71cff8a78db1fffe18a1b3361039fe76702af69334b7a1e6c303b7652f43698fad1153bb6c374b4c7fb98459ced",
	"7bcd9ed0efc889fb3002c6cd635afe94d8fa6bbbebab076120018021148466798a1d71efea48b9caefbacd1d7d476e98dea2594ac06fd85d6bcaa4cd81f32d1b",
	"378ee767f11631bad21380b00449b17acda43c32bcdf1d77f82012d430219f9b5d80ef9d1891cc86e71da4aa88e12852faf417d5d9b21b9948bc924af11bd720",
}

// l is the linear transformation of RFC 6986 §7 on one 64-bit word.
func l(w uint64) uint64 {
	var r uint64
	for bit := 0; bit < 64; bit++ {
		if w>>bit&1 == 1 {
			r ^= a[63-bit]
		}
	}
	return r
}

// outDir is where the generated files go: the package directory by
// default; TestGeneratedFilesUpToDate points it elsewhere.
var outDir = flag.String("out", ".", "output `directory`")

func main() {
	flag.Parse()
	var buf bytes.Buffer
	buf.WriteString("// Code generated by gen_tables.go from the constants of RFC 6986 §6; DO NOT EDIT.\n\n")
	buf.WriteString("package streebog\n\n")
	buf.WriteString("// lpsTable[j][b] = l(Pi'(b) << 8j): the S, P and L steps of GOST R 34.11-2012\n")
	buf.WriteString("// fused, so that LPS(x)[i] is the XOR over j of lpsTable[j][byte i of x[j]].\n")
	buf.WriteString("var lpsTable = [8][256]uint64{\n")
	for j := 0; j < 8; j++ {
		buf.WriteString("\t{\n")
		for b := 0; b < 256; b++ {
			if b%4 == 0 {
				buf.WriteString("\t\t")
			}
			fmt.Fprintf(&buf, "0x%016x,", l(uint64(pi[b])<<(8*j)))
			if b%4 == 3 {
				buf.WriteString("\n")
			} else {
				buf.WriteString(" ")
			}
		}
		buf.WriteString("\t},\n")
	}
	buf.WriteString("}\n\n")
	buf.WriteString("// roundC[i] is the iteration constant C_(i+1) of RFC 6986 §6.5 as eight\n")
	buf.WriteString("// little-endian 64-bit words (word 0 is the least significant).\n")
	buf.WriteString("var roundC = [12][8]uint64{\n")
	for i, s := range c {
		be, err := hex.DecodeString(s)
		if err != nil || len(be) != 64 {
			log.Fatalf("C_%d: bad constant", i+1)
		}
		buf.WriteString("\t{")
		for w := 0; w < 8; w++ {
			var v uint64
			// Word w holds the bytes 8w..8w+7 counted from the least
			// significant end, i.e. from the right of the printed number.
			for k := 7; k >= 0; k-- {
				v = v<<8 | uint64(be[63-(8*w+k)])
			}
			if w > 0 {
				buf.WriteString(", ")
			}
			fmt.Fprintf(&buf, "0x%016x", v)
		}
		buf.WriteString("},\n")
	}
	buf.WriteString("}\n")
	out, err := format.Source(buf.Bytes())
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(*outDir, "tables.go"), out, 0o644); err != nil {
		log.Fatal(err)
	}
	writeAsm()
}
