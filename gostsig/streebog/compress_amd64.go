//go:build !purego

package streebog

import "golang.org/x/sys/cpu"

// hasAVX512 reports whether the AVX-512 + GFNI compression can run here:
// it needs AVX-512 F and BW (with OS support for the Z registers), VBMI for
// VPERMB/VPERMI2B, and GFNI on Z registers for VGF2P8MULB and
// VGF2P8AFFINEQB.
var hasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW &&
	cpu.X86.HasAVX512VBMI && cpu.X86.HasAVX512GFNI

// useAVX512 selects the assembly; tests switch it to compare implementations.
var useAVX512 = hasAVX512

// compressAVX512 computes h = g_N(h, m) like compressGeneric.
//
//go:noescape
func compressAVX512(h, n, m *[8]uint64)

// blocksAVX512 is blocksGeneric over the whole 64-byte blocks of p.
//
//go:noescape
func blocksAVX512(h, n, sigma *[8]uint64, p []byte)

func compress(h, n, m *[8]uint64) {
	if useAVX512 {
		compressAVX512(h, n, m)
		return
	}
	compressGeneric(h, n, m)
}

func blocks(h, n, sigma *[8]uint64, p []byte) {
	if useAVX512 {
		blocksAVX512(h, n, sigma, p)
		return
	}
	blocksGeneric(h, n, sigma, p)
}

// compress2AVX512, compress3AVX512 and compress4AVX512 compute
// *hs[i] = g_ns[i](*hs[i], *ms[i]) for every lane i, with the lanes'
// compressions interleaved.
//
//go:noescape
func compress2AVX512(hs, ns, ms *[2]*[8]uint64)

//go:noescape
func compress3AVX512(hs, ns, ms *[3]*[8]uint64)

//go:noescape
func compress4AVX512(hs, ns, ms *[4]*[8]uint64)
