//go:build !amd64 || purego

package server

const useAVX2 = false

func decodePrefix(dst, src []byte) (nd, ns int) { return 0, 0 }
