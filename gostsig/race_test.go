//go:build race

package gostsig

const raceEnabled = true
