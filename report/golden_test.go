package report

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gostsig.dev/gostsig"
)

// TestGolden renders the example case and notice and compares every
// output with testdata/golden (go test -update rewrites them).
func TestGolden(t *testing.T) {
	r := buildExample(t, "case.yaml")
	golden(t, "conclusion.json", render(t, r, ModeConclusion, JSON))
	golden(t, "conclusion.html", render(t, r, ModeConclusion, HTML))
	golden(t, "conclusion.txt", render(t, r, ModeConclusion, Text))
	n := buildExample(t, "notice.yaml")
	golden(t, "notice.html", render(t, n, ModeNotice, HTML))
	golden(t, "notice.txt", render(t, n, ModeNotice, Text))
}

// TestDeterministic: two Builds of the same case give byte-identical
// outputs in every format, the PDF included.
func TestDeterministic(t *testing.T) {
	for _, f := range []Format{PDF, HTML, JSON, Text} {
		a := render(t, buildExample(t, "case.yaml"), ModeConclusion, f)
		b := render(t, buildExample(t, "case.yaml"), ModeConclusion, f)
		if !bytes.Equal(a, b) {
			t.Errorf("%s output differs between two runs", f)
		}
	}
}

// TestCheckTime: --at overrides the case's check_time, which overrides
// the clock; the clock is used only when both are absent.
func TestCheckTime(t *testing.T) {
	c, err := LoadCase(filepath.Join(exampleDir, "case.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return exampleTime.Add(90*time.Minute + 500*time.Millisecond) }
	for _, tt := range []struct {
		name     string
		caseTime time.Time
		at       time.Time
		want     time.Time
	}{
		{"case", exampleTime, time.Time{}, exampleTime},
		{"--at wins", exampleTime.Add(time.Hour), exampleTime, exampleTime},
		{"clock", time.Time{}, time.Time{}, exampleTime.Add(90 * time.Minute)},
	} {
		cc := *c
		cc.CheckTime = tt.caseTime
		fv := &timeVerifier{}
		r, err := Build(context.Background(), &cc, Options{Verifier: fv, At: tt.at, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		if !r.CheckTime.Equal(tt.want) || !fv.at.Equal(tt.want) {
			t.Errorf("%s: check time %v, verifier asked at %v, want %v", tt.name, r.CheckTime, fv.at, tt.want)
		}
		if r.CheckTime.Location().String() != "Europe/Samara" {
			t.Errorf("%s: zone %v", tt.name, r.CheckTime.Location())
		}
	}
}

// timeVerifier records the validation time it was asked for.
type timeVerifier struct{ at time.Time }

func (v *timeVerifier) Verify(_ context.Context, in gostsig.Input) (*gostsig.Result, error) {
	v.at = in.ValidationTime
	return &gostsig.Result{Indication: gostsig.Indeterminate, ValidationTime: in.ValidationTime, Signatures: []gostsig.Signature{}}, nil
}

// TestWriteOutputsAllOrNothing: when one output cannot be written, no
// output is created and an existing file is left as it was.
func TestWriteOutputsAllOrNothing(t *testing.T) {
	r := buildExample(t, "case.yaml")
	dir := t.TempDir()
	keep := filepath.Join(dir, "c.html")
	if err := os.WriteFile(keep, []byte("previous"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := r.WriteOutputs(ModeConclusion, []Output{
		{PDF, filepath.Join(dir, "c.pdf")},
		{HTML, keep},
		{JSON, filepath.Join(dir, "missing-dir", "c.json")},
	}, nil)
	if err == nil || !strings.Contains(err.Error(), "c.json") {
		t.Fatalf("err = %v, want an error naming c.json", err)
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("directory holds %d entries, want only the previous file", len(ents))
	}
	if b, _ := os.ReadFile(keep); string(b) != "previous" {
		t.Error("existing output changed")
	}
	// A render error (notice without a notice section) also writes nothing.
	err = r.WriteOutputs(ModeNotice, []Output{{PDF, filepath.Join(dir, "n.pdf")}}, nil)
	var ce *CaseError
	if !errors.As(err, &ce) || ce.Field != "notice" {
		t.Errorf("notice without section: %v", err)
	}
	// Success replaces the file.
	var stdout bytes.Buffer
	if err := r.WriteOutputs(ModeConclusion, []Output{{HTML, keep}, {Text, "-"}}, &stdout); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(keep); !bytes.HasPrefix(b, []byte("<!DOCTYPE html>")) {
		t.Error("output not replaced")
	}
	if !strings.Contains(stdout.String(), HeadAnnex) {
		t.Error("standard output misses the text")
	}
	if err := r.WriteOutputs(ModeConclusion, []Output{{HTML, "-"}, {Text, "-"}}, &stdout); err == nil {
		t.Error("two outputs on standard output accepted")
	}
}

// TestExampleVerifierAgrees runs the real verifier over the example case
// and checks that it reaches the verdicts of the fixture results the
// golden files render.
func TestExampleVerifierAgrees(t *testing.T) {
	c, err := LoadCase(filepath.Join(exampleDir, "case.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), c, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := buildExample(t, "case.yaml")
	for i, s := range r.Signatures {
		w := want.Signatures[i].Result
		if s.Result.Indication != w.Indication || s.Result.SubIndication != w.SubIndication || len(s.Result.Signatures) != len(w.Signatures) {
			t.Errorf("%s: verifier says %v/%v, fixture %v/%v", s.File, s.Result.Indication, s.Result.SubIndication, w.Indication, w.SubIndication)
			continue
		}
		for j, sig := range s.Result.Signatures {
			ws := w.Signatures[j]
			if sig.Indication != ws.Indication || sig.SubIndication != ws.SubIndication || sig.SigningTime.Source != ws.SigningTime.Source || sig.Qualified != ws.Qualified {
				t.Errorf("%s #%d: verifier %v/%v (time from %s, qualified %v), fixture %v/%v (%s, %v)", s.File, j+1,
					sig.Indication, sig.SubIndication, sig.SigningTime.Source, sig.Qualified, ws.Indication, ws.SubIndication, ws.SigningTime.Source, ws.Qualified)
			}
		}
	}
}
