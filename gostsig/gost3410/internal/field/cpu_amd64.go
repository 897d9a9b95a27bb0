//go:build amd64 && !purego

package field

import "golang.org/x/sys/cpu"

// useADX selects the MULX/ADCX/ADOX assembly (zz_field_amd64.s). Tests
// switch it off to compare with the pure-Go code.
var useADX = cpu.X86.HasBMI2 && cpu.X86.HasADX

// hasADX reports whether the assembly can run on this CPU.
var hasADX = cpu.X86.HasBMI2 && cpu.X86.HasADX

// UseAssembly switches the assembly on or off (if the CPU has it) and
// returns the previous setting. It exists so that tests of the packages
// above can run every implementation; it is not safe for concurrent use.
func UseAssembly(on bool) (was bool) {
	was = useADX
	useADX = on && hasADX
	return was
}

// HasAssembly reports whether the assembly can run here.
func HasAssembly() bool { return hasADX }

// UsingAssembly reports whether the assembly is in use; packages above use
// it to pick their own assembly (package ec's point operations).
func UsingAssembly() bool { return useADX }
