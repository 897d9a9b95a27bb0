//go:build !amd64 || purego

package jsonenc

const useAVX2 = false

func goodPrefixAVX2(s string, i int) int { panic("jsonenc: no AVX2 scan in this build") }
