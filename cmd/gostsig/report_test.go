package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gostsig.dev/gostsig"
)

const (
	reportExample = "../../examples/report"
	reportResults = "../../report/testdata/results"
)

// fixtureVerifier answers with the report package's fixture results for
// the example's signature files (see report/testdata/gen_example.go).
type fixtureVerifier map[string]*gostsig.Result

func (fv fixtureVerifier) Verify(_ context.Context, in gostsig.Input) (*gostsig.Result, error) {
	if r, ok := fv[string(in.Signature)]; ok {
		c := *r
		return &c, nil
	}
	return nil, errors.New("fixture verifier: unknown signature")
}

func useFixtureVerifier(t *testing.T) {
	t.Helper()
	fv := fixtureVerifier{}
	files, _ := filepath.Glob(filepath.Join(reportResults, "*.json"))
	if len(files) == 0 {
		t.Fatal("no fixture results")
	}
	for _, f := range files {
		sig, err := os.ReadFile(filepath.Join(reportExample, strings.TrimSuffix(filepath.Base(f), ".json")))
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r gostsig.Result
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		fv[string(sig)] = &r
	}
	reportVerifier = fv
	t.Cleanup(func() { reportVerifier = nil })
}

// copyExample copies the example case into a temporary directory and
// returns the directory.
func copyExample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	ents, err := os.ReadDir(reportExample)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, err := os.ReadFile(filepath.Join(reportExample, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCmd(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestReportWritesAllOutputs(t *testing.T) {
	useFixtureVerifier(t)
	dir := copyExample(t)
	out := t.TempDir()
	pdf, html, js := filepath.Join(out, "c.pdf"), filepath.Join(out, "c.html"), filepath.Join(out, "c.json")
	code, _, stderr := runCmd("report", "--at", "2025-06-10T11:00:00+04:00", "--pdf", pdf, "--html", html, "--json", js, filepath.Join(dir, "case.yaml"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(pdf)
	if err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("PDF: %v %q", err, b[:min(len(b), 8)])
	}
	h, err := os.ReadFile(html)
	if err != nil || !bytes.Contains(h, []byte("Экземпляр № 2")) {
		t.Fatalf("HTML: %v", err)
	}
	var annex map[string]any
	j, _ := os.ReadFile(js)
	if err := json.Unmarshal(j, &annex); err != nil {
		t.Fatalf("JSON: %v", err)
	}
	if annex["check_time"] != "2025-06-10T11:00:00+04:00" {
		t.Errorf("check_time = %v", annex["check_time"])
	}
	ents, _ := os.ReadDir(out)
	if len(ents) != 3 {
		t.Errorf("output directory holds %d files, want 3 (temporary files left?)", len(ents))
	}
}

func TestReportNotice(t *testing.T) {
	useFixtureVerifier(t)
	dir := copyExample(t)
	code, stdout, stderr := runCmd("report", "--notice", filepath.Join(dir, "notice.yaml"))
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "О невозможности принять электронный документ к исполнению") ||
		!strings.Contains(stdout, "документ изменён после подписания") {
		t.Errorf("notice text:\n%s", stdout)
	}
	// The contract's signature is valid: nothing to reject.
	nb, _ := os.ReadFile(filepath.Join(dir, "notice.yaml"))
	nb = bytes.ReplaceAll(nb, []byte("akt.txt"), []byte("dogovor.txt"))
	os.WriteFile(filepath.Join(dir, "valid.yaml"), nb, 0o644)
	code, _, stderr = runCmd("report", "--notice", filepath.Join(dir, "valid.yaml"))
	if code != exitFailed || !strings.Contains(stderr, "no rejection notice") {
		t.Errorf("valid signature: exit %d, stderr %q", code, stderr)
	}
}

// TestReportBadInput: a bad case file or a missing input is a precise
// error with exit 64/66, and no output file is created or changed.
func TestReportBadInput(t *testing.T) {
	useFixtureVerifier(t)
	base, err := os.ReadFile(filepath.Join(reportExample, "case.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		edit     func(string) string
		args     []string
		code     int
		wantErrs []string
	}{
		{"missing field", func(s string) string { return strings.Replace(s, "    role: chair\n", "", 1) },
			nil, exitUsage, []string{"case.yaml:30:", "commission[0].role", "missing required field"}},
		{"wrong type", func(s string) string { return strings.Replace(s, "offline: true", "offline: \"yes\"", 1) },
			nil, exitUsage, []string{"case.yaml:", "offline", "want true or false"}},
		{"unknown field", func(s string) string { return strings.Replace(s, "place:", "plase:", 1) },
			nil, exitUsage, []string{"plase", "unknown field"}},
		{"missing section", func(s string) string { return strings.Replace(s, "ca:\n", "ca_x:\n", 1) },
			nil, exitUsage, []string{"ca_x", "unknown field"}},
		{"missing file", func(s string) string { return strings.Replace(s, "document: akt.txt", "document: akt-missing.txt", 1) },
			nil, exitNoInput, []string{"files.signatures[1].document", "akt-missing.txt", "no such file"}},
		{"missing CRL", func(s string) string { return strings.Replace(s, "[ca.crl, root.crl]", "[ca.crl, gone.crl]", 1) },
			nil, exitNoInput, []string{"files.crls[1]", "gone.crl"}},
		{"malformed CRL", func(s string) string { return strings.Replace(s, "[ca.crl, root.crl]", "[ca.crl, dogovor.txt]", 1) },
			nil, exitNoInput, []string{"files.crls[1]", "dogovor.txt"}},
		{"bad --at", func(s string) string { return s }, []string{"--at", "yesterday"}, exitUsage, []string{"--at"}},
		{"no output", func(s string) string { return s }, []string{"--pdf="}, exitUsage, []string{"at least one output"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyExample(t)
			cs := filepath.Join(dir, "case.yaml")
			if err := os.WriteFile(cs, []byte(tt.edit(string(base))), 0o644); err != nil {
				t.Fatal(err)
			}
			out := t.TempDir()
			keep := filepath.Join(out, "old.html")
			os.WriteFile(keep, []byte("previous"), 0o644)
			args := []string{"report"}
			if tt.args != nil {
				args = append(args, tt.args...)
			} else {
				args = append(args, "--pdf", filepath.Join(out, "new.pdf"), "--html", keep)
			}
			code, _, stderr := runCmd(append(args, cs)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			for _, w := range tt.wantErrs {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr %q does not contain %q", stderr, w)
				}
			}
			ents, _ := os.ReadDir(out)
			if len(ents) != 1 {
				t.Errorf("output directory holds %d files, want only the previous one", len(ents))
			}
			if b, _ := os.ReadFile(keep); string(b) != "previous" {
				t.Errorf("existing output was changed")
			}
		})
	}
	// The case file itself is missing: 66.
	code, _, stderr := runCmd("report", "--json", "-", filepath.Join(t.TempDir(), "nope.yaml"))
	if code != exitNoInput || !strings.Contains(stderr, "nope.yaml") {
		t.Errorf("missing case: exit %d, stderr %q", code, stderr)
	}
}
