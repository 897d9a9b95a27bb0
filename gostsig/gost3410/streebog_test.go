package gost3410

import (
	"testing"

	"gostsig.dev/gostsig/streebog"
)

// streebogSum returns Streebog-256 (size 32) or Streebog-512 (size 64) of
// data, exactly as the hash emits it.
func streebogSum(t testing.TB, size int, data []byte) []byte {
	t.Helper()
	if size == 32 {
		h := streebog.Sum256(data)
		return h[:]
	}
	h := streebog.Sum512(data)
	return h[:]
}
