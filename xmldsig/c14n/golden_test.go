package c14n

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGolden pins the canonical forms of the test cases (whole document in
// every mode and every element exclusively), so a change shows even where
// lxml is not installed. The files were checked against lxml by
// TestAgainstLxml when written; regenerate with -update.
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/cases/*.xml")
	modes := []struct {
		name string
		opt  Options
	}{
		{"inc", Options{Method: Inclusive}},
		{"incC", Options{Method: InclusiveWithComments}},
		{"exc", Options{Method: Exclusive}},
		{"excC", Options{Method: ExclusiveWithComments}},
	}
	for _, f := range files {
		src, _ := os.ReadFile(f)
		d := mustParse(t, src)
		var got bytes.Buffer
		for _, m := range modes {
			got.WriteString("== document " + m.name + "\n")
			got.Write(canonOf(t, d, d.Root(), m.opt))
			got.WriteString("\n")
		}
		for n := Node(1); int(n) < d.Len(); n++ {
			if d.Kind(n) == ElementNode {
				got.WriteString("== element " + string(d.LocalName(n)) + " exc\n")
				got.Write(canonOf(t, d, n, Options{Method: Exclusive}))
				got.WriteString("\n")
			}
		}
		golden := filepath.Join("testdata/golden", strings.TrimSuffix(filepath.Base(f), ".xml")+".txt")
		if *update {
			os.MkdirAll("testdata/golden", 0o755)
			if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s differs from %s", f, golden)
		}
	}
}
