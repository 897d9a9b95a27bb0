//go:build !amd64 || purego

package server

func setAVX2(on bool) (restore func()) { return func() {} }
