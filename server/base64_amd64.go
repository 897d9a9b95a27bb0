//go:build !purego

package server

import "golang.org/x/sys/cpu"

// useAVX2 selects the AVX2 base64 kernel; tests turn it off to test the
// portable path on the same machine.
var useAVX2 = cpu.X86.HasAVX2

// decodePrefix decodes the longest prefix of src made of whole 32-byte
// blocks of base64 alphabet characters that fits dst, 24 bytes a block,
// and returns the bytes written and read.
func decodePrefix(dst, src []byte) (nd, ns int) {
	if !useAVX2 || len(src) < 32 {
		return 0, 0
	}
	return decodeAVX2(dst, src)
}

// decodeAVX2 is decodePrefix with AVX2 (base64_amd64.s): the alphabet
// check and the character values by nibble lookups (VPSHUFB), the 6-bit
// values packed by multiply-adds, after W. Muła and D. Lemire, "Faster
// Base64 Encoding and Decoding Using AVX2 Instructions" (ACM TOW 2018).
//
//go:noescape
func decodeAVX2(dst, src []byte) (nd, ns int)
