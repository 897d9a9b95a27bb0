//go:build purego || !amd64

package streebog

const implGeneric = "generic"

// impls lists the implementations this machine can run.
var impls = []string{implGeneric}

// impl is the implementation in use.
var impl = implGeneric

func compress(h, n, m *[8]uint64)             { compressGeneric(h, n, m) }
func blocks(h, n, sigma *[8]uint64, p []byte) { blocksGeneric(h, n, sigma, p) }

func sumLanes(msgs [][]byte, lo, hi int, out256 [][Size256]byte, out512 [][Size512]byte) bool {
	return false
}
