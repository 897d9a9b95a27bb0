//go:build !purego

package jsonenc

// setAVX2 turns the AVX2 scan off (or back on where the CPU has it) and
// returns the function that restores the setting.
func setAVX2(on bool) (restore func()) {
	old := useAVX2
	useAVX2 = on && old
	return func() { useAVX2 = old }
}
