package xmldsig

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzVerify: the whole verifier never panics or hangs on any input, and a
// result always names its checks.
func FuzzVerify(f *testing.F) {
	files, _ := filepath.Glob("testdata/smev/*/*.xml")
	gen, _ := filepath.Glob(genDir + "*.xml")
	for _, s := range append(files, gen...) {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<17 {
			return
		}
		res, err := Verify(in, &Options{Parts: map[string][]byte{"scan.pdf@gostsig": []byte("x")}})
		if err != nil {
			return
		}
		for _, s := range res.Signatures {
			if len(s.Checks) == 0 {
				t.Fatalf("signature %s without checks", s.Name)
			}
			for _, c := range s.Checks {
				if c.Status != StatusPassed && c.Status != StatusSkipped && c.Err == nil {
					t.Fatalf("%s %s without a typed cause", c.Name, c.Status)
				}
			}
		}
	})
}
