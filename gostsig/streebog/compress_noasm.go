//go:build purego || !amd64

package streebog

// hasAVX512 reports whether the AVX-512 + GFNI compression can run here.
const hasAVX512 = false

// useAVX512 selects the assembly; tests switch it to compare implementations.
var useAVX512 = false

func compress(h, n, m *[8]uint64)             { compressGeneric(h, n, m) }
func blocks(h, n, sigma *[8]uint64, p []byte) { blocksGeneric(h, n, sigma, p) }

func sumLanes(msgs [][]byte, lo, hi int, out256 [][Size256]byte, out512 [][Size512]byte) bool {
	return false
}
