//go:build !amd64 || purego

package field

// useADX is always false without the amd64 assembly.
var useADX = false

var hasADX = false
