//go:build !amd64 || purego

package jsonenc

const useAVX2 = false

func goodBlocks(s string, i int) (j int, prev uint64, found bool) { return i, 0, false }
