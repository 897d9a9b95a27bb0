package dertime

import (
	"math/rand/v2"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/dertime/dertimetest"
)

func TestUnix(t *testing.T) {
	for _, tc := range []struct {
		utc  bool
		in   string
		want string // "" = reject
	}{
		{true, "250101000000Z", "2025-01-01T00:00:00Z"},
		{true, "491231235959Z", "2049-12-31T23:59:59Z"},
		{true, "500101000000Z", "1950-01-01T00:00:00Z"},
		{true, "000229000000Z", "2000-02-29T00:00:00Z"},
		{true, "010229000000Z", ""},
		{false, "20250101000000Z", "2025-01-01T00:00:00Z"},
		{false, "20240229120000Z", "2024-02-29T12:00:00Z"},
		{false, "99991231235959Z", "9999-12-31T23:59:59Z"},
		{false, "19000101000000Z", "1900-01-01T00:00:00Z"},
		{false, "00000101000000Z", "0000-01-01T00:00:00Z"},
		{false, "21000229000000Z", ""},
		{false, "20230229120000Z", ""},
		{false, "20250101000000", ""},
		{false, "20250101000000.5Z", ""},
		{false, "2025010100000Z", ""},
		{false, "20250101240000Z", ""},
		{false, "20251301000000Z", ""},
		{false, "20250431000000Z", ""},
		{false, "20250100000000Z", ""},
		{false, "2025010100000+0", ""},
		{false, "250101000000Z", ""}, // a UTCTime body under the GeneralizedTime tag
		{true, "2501010000Z", ""},
		{true, "250101000060Z", ""},
		{true, "250101006000Z", ""},
		{true, "250101000000+0300", ""},
		{true, "2-0101000000Z", ""},
		{true, " 50101000000Z", ""},
		{true, "20250101000000Z", ""}, // a GeneralizedTime body under the UTCTime tag
	} {
		tag := asn1.GeneralizedTime
		if tc.utc {
			tag = asn1.UTCTime
		}
		got, ok := Unix(tag, []byte(tc.in))
		gotT, okT := Time(tag, []byte(tc.in))
		if ok != okT || (ok && gotT.Unix() != got) {
			t.Errorf("%s: Unix %d %v, Time %v %v", tc.in, got, ok, gotT, okT)
		}
		if tc.want == "" {
			if ok {
				t.Errorf("%s accepted as %v", tc.in, time.Unix(got, 0).UTC())
			}
			continue
		}
		want, _ := time.Parse(time.RFC3339, tc.want)
		if !ok || got != want.Unix() || gotT != time.Date(want.Year(), want.Month(), want.Day(), want.Hour(), want.Minute(), want.Second(), 0, time.UTC) {
			t.Errorf("%s: %v %v, want %s", tc.in, gotT, ok, tc.want)
		}
	}
	if _, ok := Unix(asn1.OCTET_STRING, []byte("250101000000Z")); ok {
		t.Error("a time under another tag accepted")
	}
}

// reference decodes the two forms with time.Parse: what Unix must agree
// with on every input of the right length.
func reference(tag asn1.Tag, s string) (time.Time, bool) {
	var full string
	switch {
	case tag == asn1.UTCTime && len(s) == 13:
		if s[0] >= '5' {
			full = "19" + s
		} else {
			full = "20" + s
		}
	case tag == asn1.GeneralizedTime && len(s) == 15:
		full = s
	default:
		return time.Time{}, false
	}
	for i := 0; i < len(full)-1; i++ {
		if full[i] < '0' || full[i] > '9' {
			return time.Time{}, false
		}
	}
	t, err := time.Parse("20060102150405Z", full)
	return t, err == nil
}

// TestUnixAgainstTimeParse holds Unix and Time to time.Parse on random
// digit strings that are mostly near valid dates.
func TestUnixAgainstTimeParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	accepted := 0
	for range 50000 {
		b := dertimetest.NearDate(rng)
		n, tag := len(b), asn1.UTCTime
		if n == 15 {
			tag = asn1.GeneralizedTime
		}
		if rng.IntN(50) == 0 {
			b[rng.IntN(n)] = byte(rng.IntN(256))
		}
		accepted += check(t, tag, b)
	}
	if accepted < 10000 {
		t.Fatalf("only %d cases accepted: the generator does not reach valid dates", accepted)
	}
}

func check(t *testing.T, tag asn1.Tag, b []byte) int {
	t.Helper()
	got, ok := Time(tag, b)
	want, wantOK := reference(tag, string(b))
	if ok != wantOK || (ok && got != want) {
		t.Fatalf("Time(%v, %q) = %v, %v; time.Parse: %v, %v", tag, b, got, ok, want, wantOK)
	}
	if ok {
		return 1
	}
	return 0
}

func FuzzUnix(f *testing.F) {
	for _, s := range []string{"250101000000Z", "20240229120000Z", "000229000000Z", "20250101000000.5Z", "2501010000Z"} {
		f.Add(true, s)
		f.Add(false, s)
	}
	f.Fuzz(func(t *testing.T, utc bool, s string) {
		tag := asn1.GeneralizedTime
		if utc {
			tag = asn1.UTCTime
		}
		check(t, tag, []byte(s))
	})
}

func TestUnixAllocs(t *testing.T) {
	b := []byte("20250101000000Z")
	if n := testing.AllocsPerRun(100, func() { Time(asn1.GeneralizedTime, b) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
