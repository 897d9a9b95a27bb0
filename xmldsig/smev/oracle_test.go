package smev

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// smevverify is the independent Python verifier of the shared research
// tools (lxml plus its own port of the transform); it is run, never copied.
const smevverify = "../../../shared/tools/smevverify.py"

func oracleAvailable(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(smevverify); err != nil {
		t.Skip("shared/tools/smevverify.py not found beside the repository: skipping the oracle comparison")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import lxml.etree").Run(); err != nil {
		t.Skip("python3-lxml not installed: skipping the oracle comparison (CI installs it)")
	}
}

// TestEscapingOracle compares both escapings with smevverify.py on inputs
// that hit every escaping rule: the small and large Woodstox paths, 512-unit
// chunk starts, segment restarts, ']>' and the JDK writer.
func TestEscapingOracle(t *testing.T) {
	oracleAvailable(t)
	files, _ := filepath.Glob("testdata/escaping/*.xml")
	files = append(files, "../testdata/smev/transform-golden/mr_case2.input.xml")
	for _, f := range files {
		in, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, esc := range []Escaping{Woodstox, JDK} {
			want, err := exec.Command("/usr/bin/python3", smevverify, "--transform", f, esc.String()).Output()
			if err != nil {
				t.Fatalf("oracle on %s: %v", f, err)
			}
			if got := transform(t, in, esc); !bytes.Equal(got, want) {
				t.Errorf("%s %v:\n got %q\nwant %q", filepath.Base(f), esc, got, want)
			}
		}
	}
}
