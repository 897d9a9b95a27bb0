package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"flag"
	"gostsig.dev/gostsig/streebog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gostsig.dev/gostsig"
)

// testAt is the validation time of every CLI test: never the wall clock.
const testAt = "2026-11-22T12:00:00Z"

func runVerifyCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"verify"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestVerifyUsage(t *testing.T) {
	dir := t.TempDir()
	garbage := writeFile(t, dir, "garbage.sig", []byte("\x00\x01 definitely not a signature"))
	tests := []struct {
		name string
		args []string
		code int
		err  string // substring of stderr
	}{
		{"no arguments", nil, exitUsage, "usage"},
		{"unknown flag", []string{"--frobnicate", garbage}, exitUsage, "frobnicate"},
		{"bad --at", []string{"--at", "yesterday", garbage}, exitUsage, "RFC 3339"},
		{"bad --format", []string{"--format", "xml", garbage}, exitUsage, "json или text"},
		{"bad --content-hash", []string{"--content-hash", "md5:00", garbage}, exitUsage, "unknown algorithm"},
		{"short --content-hash", []string{"--content-hash", "streebog256:00", garbage}, exitUsage, "32 bytes"},
		{"content and hash", []string{"--content-hash", "streebog256:" + strings.Repeat("00", 32), garbage, garbage}, exitUsage, "но не оба"},
		{"missing file", []string{"--at", testAt, filepath.Join(dir, "absent.sig")}, exitNoInput, "absent.sig: файл не найден"},
		{"missing roots", []string{"--roots", filepath.Join(dir, "absent.pem"), garbage}, exitNoInput, "absent.pem"},
		{"bad roots", []string{"--roots", garbage, garbage}, exitUsage, "--roots " + garbage + " (root certificates): cert: "},
		{"roots not a certificate", []string{"--roots", sampleDir + "crl/root.crl", garbage}, exitUsage,
			"--roots " + sampleDir + "crl/root.crl (root certificates): cert: no CERTIFICATE or PKCS7 block"},
		{"crl not a CRL", []string{"--crl", sampleDir + "root.pem", garbage}, exitUsage,
			"--crl " + sampleDir + "root.pem (CRLs): crl: malformed PEM (no X509 CRL block)"},
		{"both standard input", []string{"--at", testAt, "-", "-"}, exitUsage, "не могут оба быть стандартным вводом"},
		{"missing policy", []string{"--policy", filepath.Join(dir, "absent.yaml"), garbage}, exitNoInput, "absent.yaml"},
		{"bad policy", []string{"--policy", writeFile(t, dir, "p.yaml", []byte("rules: {chain: maybe}\n")), garbage}, exitUsage, "level"},
		{"missing content", []string{"--at", testAt, garbage, filepath.Join(dir, "absent.bin")}, exitNoInput, "absent.bin"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runVerifyCmd(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.err) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr, tt.code, tt.err)
			}
		})
	}
}

// Malformed input is not a crash and not 64/66: a FORMAT_FAILURE result.
func TestVerifyMalformed(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"empty":  nil,
		"binary": []byte("\x00\x01\x02 not a signature"),
		"text":   []byte("hello, this is plain text!"),
	} {
		p := writeFile(t, dir, name, data)
		code, stdout, stderr := runVerifyCmd(t, "--at", testAt, "--format", "json", p)
		if code != exitFailed {
			t.Errorf("%s: exit %d, stderr %q", name, code, stderr)
			continue
		}
		var r gostsig.Result
		if err := json.Unmarshal([]byte(stdout), &r); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, stdout)
		}
		if r.Indication != gostsig.TotalFailed || r.SubIndication != gostsig.FormatFailure ||
			r.ValidationTime.Format("2006-01-02T15:04:05Z07:00") != testAt {
			t.Errorf("%s: %+v", name, r)
		}
		code, stdout, _ = runVerifyCmd(t, "--at", testAt, "--format", "text", p)
		if code != exitFailed || !strings.Contains(stdout, "FORMAT_FAILURE") || !strings.Contains(stdout, "Подпись недействительна") {
			t.Errorf("%s text: exit %d\n%s", name, code, stdout)
		}
	}
}

func TestParseInterleaved(t *testing.T) {
	code, stdout, stderr := runVerifyCmd(t, writeFile(t, t.TempDir(), "x.sig", []byte("junk")), "--at", testAt, "--format", "json")
	if code != exitFailed || !strings.Contains(stdout, testAt) {
		t.Errorf("flags after the file were not parsed: exit %d %q %q", code, stdout, stderr)
	}
}

func TestVerifyBatchMalformed(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.sig", []byte("junk a"))
	writeFile(t, dir, "b.p7s", []byte("junk b"))
	writeFile(t, dir, "notes.txt", []byte("not picked up"))
	code, stdout, stderr := runVerifyCmd(t, "--at", testAt, "--format", "text", dir)
	if code != exitFailed {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	if !strings.Contains(stdout, "a.sig") || !strings.Contains(stdout, "b.p7s") || strings.Contains(stdout, "notes.txt") {
		t.Errorf("batch lines:\n%s", stdout)
	}
	if !strings.Contains(stdout, "Итого файлов: 2") || !strings.Contains(stdout, "FORMAT_FAILURE") {
		t.Errorf("summary:\n%s", stdout)
	}
	code, stdout, _ = runVerifyCmd(t, "--at", testAt, "--format", "json", dir)
	var out struct {
		Results []struct {
			File       string `json:"file"`
			Indication string `json:"indication"`
		} `json:"results"`
		Summary batchSummary `json:"summary"`
	}
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	if code != exitFailed || len(out.Results) != 2 || out.Summary.Failed != 2 || out.Results[0].Indication != "TOTAL_FAILED" {
		t.Errorf("json batch: exit %d %+v", code, out)
	}
}

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/")

const sampleDir = "../../testdata/samples/"

// sampleArgs are the trust flags of the bundled sampleDir (README.md).
func sampleArgs(extra ...string) []string {
	return append([]string{"--roots", sampleDir + "root.pem", "--certs", sampleDir + "ca.pem", "--crl", sampleDir + "crl",
		"--offline", "--at", "2025-06-02T00:00:00Z"}, extra...)
}

func TestVerifySamples(t *testing.T) {
	hello, err := os.ReadFile(sampleDir + "hello.txt")
	if err != nil {
		t.Fatal(err)
	}
	sum := streebog.Sum256(hello)
	tests := []struct {
		name string
		args []string
		code int
		want []string // substrings of stdout
	}{
		{"detached", sampleArgs("--format", "json", sampleDir+"hello.txt.sig", sampleDir+"hello.txt"), exitOK,
			[]string{`"indication": "TOTAL_PASSED"`, `"profile": "cades-bes"`, `"source": "validation-time"`}},
		{"detached, changed document", sampleArgs("--format", "json", sampleDir+"hello.txt.sig", sampleDir+"hello-changed.txt"), exitFailed,
			[]string{`"subindication": "HASH_FAILURE"`, "документ изменён после подписания"}},
		{"detached, no document", sampleArgs("--format", "json", sampleDir+"hello.txt.sig"), exitIndet,
			[]string{`"subindication": "SIGNED_DATA_NOT_FOUND"`}},
		{"hash only", sampleArgs("--format", "json", "--content-hash", "streebog256:"+hex.EncodeToString(sum[:]), sampleDir+"hello.txt.sig"), exitOK,
			[]string{`"indication": "TOTAL_PASSED"`}},
		{"hash only, algorithm in upper case", sampleArgs("--format", "json", "--content-hash", "STREEBOG256:"+hex.EncodeToString(sum[:]), sampleDir+"hello.txt.sig"), exitOK,
			[]string{`"indication": "TOTAL_PASSED"`}},
		{"attached CAdES-T", sampleArgs("--format", "json", sampleDir+"hello.p7s"), exitOK,
			[]string{`"profile": "cades-t"`, `"source": "timestamp"`}},
		{"embedded ГУЦ roots only", []string{"--offline", "--at", "2025-06-02T00:00:00Z", "--format", "json", sampleDir + "hello.p7s"}, exitIndet,
			[]string{`"subindication": "NO_CERTIFICATE_CHAIN_FOUND"`}},
		{"no CRLs", []string{"--roots", sampleDir + "root.pem", "--certs", sampleDir + "ca.pem", "--offline", "--at", "2025-06-02T00:00:00Z", "--format", "json", sampleDir + "hello.p7s"}, exitIndet,
			[]string{`"subindication": "TRY_LATER"`}},
		{"policy relaxes freshness", []string{"--roots", sampleDir + "root.pem", "--certs", sampleDir + "ca.pem", "--offline", "--at", "2025-06-02T00:00:00Z", "--format", "json",
			"--policy", writeFile(t, t.TempDir(), "p.json", []byte(`{"name": "relaxed/1", "rules": {"revocation_freshness": "warn"}}`)), sampleDir + "hello.p7s"}, exitOK,
			[]string{`"policy": "relaxed/1"`, `"level": "warn"`}},
		{"text", sampleArgs("--format", "text", sampleDir+"hello.txt.sig", sampleDir+"hello.txt"), exitOK,
			[]string{"Подпись действительна", "Цепочка сертификатов:", "[доверенный корень]", "Статус отзыва:"}},
		{"text, no CRLs, --diagnostic shows the technical cause", []string{"--roots", sampleDir + "root.pem", "--certs", sampleDir + "ca.pem", "--offline", "--at", "2025-06-02T00:00:00Z",
			"--format", "text", "--diagnostic", sampleDir + "hello.p7s"}, exitIndet,
			[]string{"причина (техн.): ", "offline"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runVerifyCmd(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %q\n%s", code, tt.code, stderr, stdout)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("output lacks %q\n%s", w, stdout)
				}
			}
		})
	}
	// Without --diagnostic the text output stays Russian: no causes.
	_, stdout, _ := runVerifyCmd(t, "--roots", sampleDir+"root.pem", "--certs", sampleDir+"ca.pem", "--offline", "--at", "2025-06-02T00:00:00Z",
		"--format", "text", sampleDir+"hello.p7s")
	if strings.Contains(stdout, "причина (техн.)") {
		t.Errorf("causes shown without --diagnostic:\n%s", stdout)
	}
}

// TestVerifyGolden pins the text and JSON forms of the bundled sampleDir
// (go test ./cmd/gostsig -run Golden -update rewrites them).
func TestVerifyGolden(t *testing.T) {
	for _, g := range []struct {
		file string
		args []string
	}{
		{"testdata/verify-detached.txt", sampleArgs("--format", "text", sampleDir+"hello.txt.sig", sampleDir+"hello.txt")},
		{"testdata/verify-cades-t.json", sampleArgs("--format", "json", sampleDir+"hello.p7s")},
		{"testdata/verify-changed.txt", sampleArgs("--format", "text", sampleDir+"hello.txt.sig", sampleDir+"hello-changed.txt")},
	} {
		_, stdout, stderr := runVerifyCmd(t, g.args...)
		if stderr != "" {
			t.Errorf("%s: stderr %q", g.file, stderr)
		}
		if *updateGolden {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(g.file, []byte(stdout), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(g.file)
		if err != nil {
			t.Fatalf("%v (run with -update)", err)
		}
		if stdout != string(want) {
			t.Errorf("%s differs from the output:\n%s", g.file, stdout)
		}
	}
}

func TestVerifyBatchSamples(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"hello.txt", "hello.txt.sig", "hello.p7s"} {
		b, err := os.ReadFile(sampleDir + n)
		if err != nil {
			t.Fatal(err)
		}
		writeFile(t, dir, n, b)
	}
	writeFile(t, dir, "other.sig", []byte("junk"))
	code, stdout, stderr := runVerifyCmd(t, sampleArgs("--format", "text", dir)...)
	if code != exitFailed {
		t.Fatalf("exit %d; %s %s", code, stdout, stderr)
	}
	for _, w := range []string{"hello.txt.sig", "hello.p7s", "other.sig", "TOTAL_PASSED", "Итого файлов: 3"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("lacks %q:\n%s", w, stdout)
		}
	}
	// hello.txt.sig is paired with hello.txt: it passes.
	for _, line := range strings.Split(stdout, "\n") {
		if strings.Contains(line, "hello.txt.sig") && !strings.Contains(line, "TOTAL_PASSED") {
			t.Errorf("detached pair not verified with its content: %s", line)
		}
	}
}

func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &progressBar{w: &buf, total: 4, now: func() time.Time { return now }, width: 8}
	p.start = now
	p.draw()
	now = now.Add(time.Second)
	p.step()
	p.step() // within progressEvery of the last draw: not redrawn
	if got := buf.String(); !strings.Contains(got, "[==>     ] 1/4") || strings.Contains(got, "2/4") {
		t.Errorf("bar %q", got)
	}
	p.clear()
	p.step()
	if got := buf.String(); !strings.Contains(got, "\r\033[K") || !strings.Contains(got, "3/4") || !strings.Contains(got, "файл/с") {
		t.Errorf("bar after clear %q", got)
	}
	p.step()
	if !strings.Contains(buf.String(), "[========] 4/4") {
		t.Errorf("final bar %q", buf.String())
	}
	var nilBar *progressBar
	nilBar.step() // no-ops on nil
	nilBar.clear()
	nilBar.finish()
}
