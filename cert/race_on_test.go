//go:build race

package cert

const raceEnabled = true
