package c14n

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzC14N: Parse never panics; canonical output is a fixed point (its own
// canonical form, as a document) for every method, for the whole document and
// for element subsets.
func FuzzC14N(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/cases/*.xml")
	corpus, _ := filepath.Glob("../testdata/smev/*/*.xml")
	for _, s := range append(seeds, corpus...) {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`<a xmlns="urn:d"><b xmlns="" Id="x"><c xmlns="urn:d"><e xmlns=""/></c></b></a>`))
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<16 {
			return
		}
		d, err := Parse(in)
		if err != nil {
			return
		}
		targets := []Node{d.Root()}
		for n := Node(1); int(n) < d.Len() && len(targets) < 8; n++ {
			if d.Kind(n) == ElementNode {
				targets = append(targets, n)
			}
		}
		for _, m := range []Method{Inclusive, InclusiveWithComments, Exclusive, ExclusiveWithComments} {
			for _, n := range targets {
				out, err := AppendCanonical(nil, d, n, Options{Method: m, InclusivePrefixes: []string{"#default", "a"}})
				if err != nil {
					t.Fatalf("canonicalizing a parsed document: %v", err)
				}
				d2, err := Parse(out)
				if err != nil {
					t.Fatalf("canonical form does not parse: %v\n%q", err, out)
				}
				again, err := AppendCanonical(nil, d2, d2.Root(), Options{Method: m, InclusivePrefixes: []string{"#default", "a"}})
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(out, again) {
					t.Fatalf("not a fixed point (method %v, node %d)\n once %q\ntwice %q", m, n, out, again)
				}
			}
		}
	})
}
