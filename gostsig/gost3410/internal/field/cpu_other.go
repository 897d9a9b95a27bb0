//go:build !amd64 || purego

package field

// useADX is always false without the amd64 assembly.
var useADX = false

var hasADX = false

// UseAssembly is a no-op without the amd64 assembly; it returns false.
func UseAssembly(on bool) (was bool) { return false }

// HasAssembly reports whether the assembly can run here: never.
func HasAssembly() bool { return false }

// UsingAssembly reports whether the assembly is in use: never.
func UsingAssembly() bool { return false }
