// Package dertimetest generates the inputs the DER time parsers are tested
// on (internal/dertime and the callers that put it in front of a lenient
// parser: cert, cms): random digit strings of the UTCTime and
// GeneralizedTime lengths whose fields are mostly in range, so that about
// half are valid dates and the rest fail on one field or the 'Z'.
package dertimetest

import "math/rand/v2"

// NearDate returns a 13- (YYMMDDHHMMSSZ) or 15-octet (YYYYMMDDHHMMSSZ)
// candidate, at random.
func NearDate(rng *rand.Rand) []byte {
	n := 13
	if rng.IntN(2) == 0 {
		n = 15
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + rng.IntN(10))
	}
	// Keep the fields mostly in range so that valid dates occur.
	b[n-11] = byte('0' + rng.IntN(2)) // month tens
	b[n-9] = byte('0' + rng.IntN(4))  // day tens
	b[n-7] = byte('0' + rng.IntN(3))  // hour tens
	b[n-5] = byte('0' + rng.IntN(7))  // minute tens
	b[n-3] = byte('0' + rng.IntN(7))  // second tens
	if rng.IntN(20) != 0 {
		b[n-1] = 'Z'
	}
	return b
}
