//go:build !amd64 || purego

package jsonenc

func setAVX2(on bool) (restore func()) { return func() {} }
