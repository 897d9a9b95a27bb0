//go:build !purego

package jsonenc

import "golang.org/x/sys/cpu"

// useAVX2 selects the AVX2 scan; tests turn it off to test the portable
// path on the same machine.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasBMI1 // BMI1: ANDN

// goodPrefixAVX2 is goodPrefix(s, i) for i ≤ len(s) in AVX2
// (scan_amd64.s), 32 bytes a block. Per block, bit masks (VPMOVMSKB) of
// the bytes to escape, the leads C2..DF, the continuations 80..BF and the
// other bytes ≥ 80; a continuation must follow a lead and a lead be
// followed by one, i.e. cont == lead<<1 | the previous block's last lead
// bit, and the string must not end on a lead. The last 1-32 bytes are the
// 32 bytes that end s, the bytes already scanned shifted out of the masks;
// a string shorter than 32 bytes is loaded from its start when that does
// not cross a page boundary, else as the 32 bytes that end at its end
// (the same page): never a byte of another page than s's own.
//
//go:noescape
func goodPrefixAVX2(s string, i int) int
