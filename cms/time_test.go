package cms

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/dertime/dertimetest"
)

// TestParseTimeFastPath: parseTime and parseGeneralizedTime, which try
// package dertime first, give exactly what the time.Parse-based paths give,
// accept and reject alike, on edge cases and random near-dates.
func TestParseTimeFastPath(t *testing.T) {
	cases := []string{
		"250601120000Z", "491231235959Z", "500101000000Z", "000229000000Z", "010229000000Z",
		"520229000000Z", "250631000000Z", "250601240000Z", "250601235960Z", "2506011200Z",
		"250601120000+0300", "20250601120000Z", "21000229000000Z", "20000229000000Z",
		"20250601120000.5Z", "20250601120000.50Z", "2025060112000Z0", "25060112000Zx",
	}
	rng := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		cases = append(cases, string(dertimetest.NearDate(rng)))
	}
	fast := 0
	for _, s := range cases {
		for _, tag := range []cbasn1.Tag{cbasn1.UTCTime, cbasn1.GeneralizedTime} {
			var bld cryptobyte.Builder
			bld.AddASN1(tag, func(c *cryptobyte.Builder) { c.AddBytes([]byte(s)) })
			elem := bld.BytesOrPanic()
			got, err := parseTime(elem)
			want, werr := parseTimeSlow(elem)
			if (err == nil) != (werr == nil) || got != want {
				t.Fatalf("parseTime(%v %q) = %v, %v; slow path: %v, %v", tag, s, got, err, want, werr)
			}
			if err == nil {
				fast++
			}
			if tag == cbasn1.GeneralizedTime {
				got, err := parseGeneralizedTime([]byte(s))
				want, werr := parseGeneralizedTimeSlow([]byte(s))
				if (err == nil) != (werr == nil) || got != want {
					t.Fatalf("parseGeneralizedTime(%q) = %v, %v; slow path: %v, %v", s, got, err, want, werr)
				}
			}
		}
	}
	if fast < 5000 {
		t.Fatalf("only %d cases parsed: the generator does not reach valid dates", fast)
	}
}
