package gostsig

import "fmt"

// Level is how much a policy rule weighs, as in the EU DSS constraint
// file: LevelFail (the default) decides the verdict; LevelWarn and
// LevelInform report a failed check but leave the verdict alone; LevelIgnore
// does not run the check (it is reported as skipped).
type Level string

const (
	LevelFail   Level = "fail"
	LevelWarn   Level = "warn"
	LevelInform Level = "inform"
	LevelIgnore Level = "ignore"
)

func (l Level) valid() bool {
	switch l {
	case LevelFail, LevelWarn, LevelInform, LevelIgnore:
		return true
	}
	return false
}

// UnmarshalText accepts the level names in any case.
func (l *Level) UnmarshalText(b []byte) error {
	v := Level(toLowerASCII(string(b)))
	if !v.valid() {
		return fmt.Errorf("gostsig: unknown rule level %q (want fail, warn, inform or ignore)", b)
	}
	*l = v
	return nil
}

func toLowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
