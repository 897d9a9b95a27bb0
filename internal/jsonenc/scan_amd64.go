//go:build !purego

package jsonenc

import "golang.org/x/sys/cpu"

// useAVX2 selects the AVX2 scan; tests turn it off to test the portable
// path on the same machine.
var useAVX2 = cpu.X86.HasAVX2 && cpu.X86.HasBMI1 // ANDN

// goodBlocks runs goodPrefix's scan over s[i:] 32 bytes at a time while a
// whole block is left: found, the end of the good run (as goodPrefix
// returns it); else the end j of the blocks scanned, all good, with prev
// 0x80 when s[j-1] opens a two-byte sequence.
func goodBlocks(s string, i int) (j int, prev uint64, found bool) {
	if !useAVX2 || len(s)-i < 32 {
		return i, 0, false
	}
	j, prev, found = scanAVX2(s[i:])
	return i + j, prev, found
}

// scanAVX2 is goodBlocks on s from 0 (scan_amd64.s). Per block, bit masks
// (VPMOVMSKB) of the bytes to escape, the lead bytes C2..DF, the
// continuation bytes 80..BF and the other bytes ≥ 80; a continuation must
// follow a lead and a lead be followed by one, i.e. cont == lead<<1 | the
// previous block's last lead bit.
//
//go:noescape
func scanAVX2(s string) (j int, prev uint64, found bool)
