//go:build purego || !amd64

package streebog

// Stubs so that the comparison tests compile where there is no assembly;
// they skip before calling these.
func compressAVX512(h, n, m *[8]uint64)             { panic("unreachable") }
func blocksAVX512(h, n, sigma *[8]uint64, p []byte) { panic("unreachable") }
