//go:build !purego

package streebog

import (
	"encoding/binary"
	"unsafe"

	"golang.org/x/sys/cpu"
)

// hasAVX512 reports whether the AVX-512 + GFNI compression can run here:
// it needs AVX-512 F and BW (with OS support for the Z registers), VBMI for
// VPERMB/VPERMI2B, and GFNI on Z registers for VGF2P8MULB and
// VGF2P8AFFINEQB.
var hasAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512BW &&
	cpu.X86.HasAVX512VBMI && cpu.X86.HasAVX512GFNI

// Compression implementations, best first.
const (
	implAVX512  = "avx512" // compress_amd64.s, AVX-512 + GFNI
	implAMD64   = "amd64"  // compress_amd64.s, any amd64 CPU
	implGeneric = "generic"
)

// impls lists the implementations this machine can run.
var impls = func() []string {
	if hasAVX512 {
		return []string{implAVX512, implAMD64, implGeneric}
	}
	return []string{implAMD64, implGeneric}
}()

// impl is the implementation in use; tests switch it.
var impl = impls[0]

// compressAVX512 computes h = g_N(h, m) like compressGeneric.
//
//go:noescape
func compressAVX512(h, n, m *[8]uint64)

// blocksAVX512 is blocksGeneric over the whole 64-byte blocks of p.
//
//go:noescape
func blocksAVX512(h, n, sigma *[8]uint64, p []byte)

// lanes1AVX512 to lanes4AVX512 are the batch path: for every lane i they
// compute *hs[i] = g_N(*hs[i], m) with N = *ns[i] and m the 64 bytes at
// ms[i], the lanes' compressions interleaved; then, if sigmas[i] is not
// nil, they add m to *sigmas[i] and incs[i] to *ns[i], full carry chains.
//
//go:noescape
func lanes1AVX512(hs, ns *[1]*[8]uint64, ms *[1]unsafe.Pointer, sigmas *[1]*[8]uint64, incs *[1]uint64)

//go:noescape
func lanes2AVX512(hs, ns *[2]*[8]uint64, ms *[2]unsafe.Pointer, sigmas *[2]*[8]uint64, incs *[2]uint64)

//go:noescape
func lanes3AVX512(hs, ns *[3]*[8]uint64, ms *[3]unsafe.Pointer, sigmas *[3]*[8]uint64, incs *[3]uint64)

//go:noescape
func lanes4AVX512(hs, ns *[4]*[8]uint64, ms *[4]unsafe.Pointer, sigmas *[4]*[8]uint64, incs *[4]uint64)

// compressAMD64 computes h = g_N(h, m) like compressGeneric, with the same
// tables, for any amd64 CPU.
//
//go:noescape
func compressAMD64(h, n, m *[8]uint64)

func compress(h, n, m *[8]uint64) {
	switch impl {
	case implAVX512:
		compressAVX512(h, n, m)
	case implAMD64:
		compressAMD64(h, n, m)
	default:
		compressGeneric(h, n, m)
	}
}

func blocks(h, n, sigma *[8]uint64, p []byte) {
	switch impl {
	case implAVX512:
		blocksAVX512(h, n, sigma, p)
	case implAMD64:
		blocksAMD64(h, n, sigma, p)
	default:
		blocksGeneric(h, n, sigma, p)
	}
}

// blocksAMD64 is blocksGeneric with compressAMD64.
func blocksAMD64(h, n, sigma *[8]uint64, p []byte) {
	var m [8]uint64
	for len(p) >= BlockSize {
		for i := range m {
			m[i] = binary.LittleEndian.Uint64(p[8*i:])
		}
		compressAMD64(h, n, &m)
		add512(n, 512)
		addBlock512(sigma, &m)
		p = p[BlockSize:]
	}
}
