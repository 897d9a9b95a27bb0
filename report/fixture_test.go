package report

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

const exampleDir = "../examples/report"

// fixtureVerifier returns the results of report/testdata/results for the
// example's signature files (matched by their bytes). It stands in for
// gostsig.Verifier so that the renderers are tested on fixed results;
// TestExampleVerifierAgrees checks the real verifier against them.
type fixtureVerifier struct {
	t       testing.TB
	results map[string]*gostsig.Result // by signature bytes
}

func newFixtureVerifier(t testing.TB) *fixtureVerifier {
	t.Helper()
	fv := &fixtureVerifier{t: t, results: map[string]*gostsig.Result{}}
	files, err := filepath.Glob("testdata/results/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixture results: %v", err)
	}
	for _, f := range files {
		sig, err := os.ReadFile(filepath.Join(exampleDir, filepath.Base(f[:len(f)-len(".json")])))
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r gostsig.Result
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		fv.results[string(sig)] = &r
	}
	return fv
}

// Roots lists the example's trust anchor, as *gostsig.Verifier does.
func (fv *fixtureVerifier) Roots() []*cert.Certificate {
	b, err := os.ReadFile(filepath.Join(exampleDir, "root.cer"))
	if err != nil {
		fv.t.Fatal(err)
	}
	certs, err := cert.ParseAll(b)
	if err != nil {
		fv.t.Fatal(err)
	}
	return certs
}

func (fv *fixtureVerifier) Verify(_ context.Context, in gostsig.Input) (*gostsig.Result, error) {
	r, ok := fv.results[string(in.Signature)]
	if !ok {
		return nil, fmt.Errorf("fixture verifier: no result for this signature")
	}
	if !in.ValidationTime.Equal(r.ValidationTime) {
		fv.t.Errorf("fixture verifier: validation time %v, fixture made for %v", in.ValidationTime, r.ValidationTime)
	}
	c := *r
	return &c, nil
}

// buildExample builds the Report of an example case with the fixture
// verifier.
func buildExample(t testing.TB, name string) *Report {
	t.Helper()
	c, err := LoadCase(filepath.Join(exampleDir, name))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), c, Options{Verifier: newFixtureVerifier(t), Software: "gostsig test"})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func render(t testing.TB, r *Report, m Mode, f Format) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := r.Render(&b, m, f); err != nil {
		t.Fatalf("render %s: %v", f, err)
	}
	return b.Bytes()
}

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update after checking the change):\n%s", name, firstDiff(want, got))
	}
}

func firstDiff(a, b []byte) string {
	al, bl := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y []byte
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if !bytes.Equal(x, y) {
			return fmt.Sprintf("line %d:\n-%s\n+%s", i+1, x, y)
		}
	}
	return ""
}

// exampleTime is the example case's check time.
var exampleTime = time.Date(2025, 6, 10, 7, 0, 0, 0, time.UTC)
