// Package rfc3339 parses the date-time of RFC 3339 §5.6 as gostsig takes
// it from people: the CLI's --at flags and the HTTP service's at query
// parameter. It is time.Parse with time.RFC3339, except that the "T" and
// "Z" RFC 3339 §5.6 lets be lower case ("NOTE: Per [ABNF] ... may
// alternatively be lower case") are accepted, which time.Parse does not.
package rfc3339

import (
	"strings"
	"time"
)

// Parse parses an RFC 3339 date-time such as 2026-11-22T15:00:00+03:00.
// The other characters of the form are digits and punctuation, so
// upper-casing the whole text changes nothing but "t" and "z".
func Parse(s string) (time.Time, error) {
	return time.Parse(time.RFC3339, strings.ToUpper(s))
}
