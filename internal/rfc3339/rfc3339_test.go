package rfc3339

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	want := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"2026-11-22T12:00:00Z", true},
		{"2026-11-22t12:00:00z", true},
		{"2026-11-22T15:00:00+03:00", true},
		{"2026-11-22t09:00:00-03:00", true},
		{"2026-11-22T12:00:00.000Z", true},
		{"2026-11-22 12:00:00Z", false},
		{"2026-11-22T15:00:00 03:00", false},
		{"2026-11-22T12:00:00", false},
		{"2026-11-22", false},
		{"", false},
	} {
		got, err := Parse(tc.in)
		switch {
		case tc.ok && err != nil:
			t.Errorf("Parse(%q): %v", tc.in, err)
		case tc.ok && !got.Equal(want):
			t.Errorf("Parse(%q) = %v, want %v", tc.in, got, want)
		case !tc.ok && err == nil:
			t.Errorf("Parse(%q) = %v, want an error", tc.in, got)
		}
	}
}

// FuzzParse: Parse never panics, does not care about the case of the
// text, and reads back what it parsed, written as RFC 3339.
func FuzzParse(f *testing.F) {
	for _, s := range []string{"2026-11-22T12:00:00Z", "2026-11-22t15:00:00+03:00", "2026-11-22T12:00:00.5z", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := Parse(s)
		lower, lerr := Parse(strings.ToLower(s))
		if (err == nil) != (lerr == nil) || !got.Equal(lower) {
			t.Fatalf("Parse(%q) = %v, %v; of its lower case: %v, %v", s, got, err, lower, lerr)
		}
		if err != nil {
			return
		}
		text := got.Format(time.RFC3339Nano)
		if back, err := Parse(text); err != nil || !back.Equal(got) {
			t.Fatalf("Parse(%q) = %v, written %q, read back %v, %v", s, got, text, back, err)
		}
	})
}

func ExampleParse() {
	t, err := Parse("2026-11-22t15:00:00+03:00")
	fmt.Println(t.UTC(), err)
	// Output: 2026-11-22 12:00:00 +0000 UTC <nil>
}
