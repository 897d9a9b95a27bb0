//go:build !race

package xmldsig

const raceEnabled = false
