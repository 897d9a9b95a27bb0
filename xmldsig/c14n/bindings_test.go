package c14n

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestBindStack holds the indexed stack to the linear scan it replaced
// (innermost binding wins, a pop restores what was shadowed) on random
// pushes, pops and lookups over a few prefixes.
func TestBindStack(t *testing.T) {
	scan := func(bs []binding, prefix int32) (int32, bool) {
		for i := len(bs) - 1; i >= 0; i-- {
			if bs[i].prefix == prefix {
				return bs[i].uri, true
			}
		}
		return symEmpty, false
	}
	rng := rand.New(rand.NewPCG(11, 12))
	var s bindStack
	s.reset(3)
	var ref []binding
	var marks []int
	for range 20000 {
		switch rng.IntN(4) {
		case 0: // an element opens with a few declarations
			marks = append(marks, s.len())
			for range rng.IntN(4) {
				b := binding{int32(rng.IntN(12)), int32(rng.IntN(50))}
				s.push(b)
				ref = append(ref, b)
			}
		case 1:
			if len(marks) > 0 {
				m := marks[len(marks)-1]
				marks = marks[:len(marks)-1]
				s.pop(m)
				ref = ref[:m]
			}
		default:
			p := int32(rng.IntN(14)) // some never bound
			gu, gok := s.lookup(p)
			wu, wok := scan(ref, p)
			if gu != wu || gok != wok {
				t.Fatalf("lookup(%d) = %d %v, scan %d %v", p, gu, gok, wu, wok)
			}
		}
		if s.len() != len(ref) {
			t.Fatalf("len %d, want %d", s.len(), len(ref))
		}
	}
	if u, ok := s.lookup(-1); ok || u != symEmpty {
		t.Error("lookup(-1) found a binding")
	}
}

// TestDuplicateAttributesMany: past sortFrom attributes the duplicate checks
// search a sorted index; they must find what the scan found, and report the
// same (first repeated) attribute.
func TestDuplicateAttributesMany(t *testing.T) {
	tag := func(n int, extra string) string {
		s := `<e xmlns:p="urn:p" xmlns:q="urn:p"`
		for i := range n {
			s += fmt.Sprintf(` a%02d="v"`, (i*7)%n)
		}
		return s + extra + `/>`
	}
	for _, n := range []int{3, sortFrom - 1, sortFrom, sortFrom + 1, 40, MaxAttributes - 10} {
		if _, err := Parse([]byte(tag(n, ` p:x="1"`))); err != nil {
			t.Fatalf("%d distinct attributes: %v", n, err)
		}
		for _, tc := range []struct{ extra, want string }{
			{` a00="w" a01="w"`, `duplicate attribute "a00"`},
			{` p:x="1" p:x="2"`, `duplicate attribute "p:x"`},
			{` p:x="1" q:x="2"`, `duplicate attribute {urn:p}x`},
		} {
			_, err := Parse([]byte(tag(n, tc.extra)))
			var se *SyntaxError
			if !errors.As(err, &se) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%d attributes + %q: %v, want %s", n, tc.extra, err, tc.want)
			}
		}
	}
}
