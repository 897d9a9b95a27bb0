package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
		{"bad --format", []string{"--format", "xml", garbage}, exitUsage, "json or text"},
		{"bad --content-hash", []string{"--content-hash", "md5:00", garbage}, exitUsage, "unknown algorithm"},
		{"short --content-hash", []string{"--content-hash", "streebog256:00", garbage}, exitUsage, "32 bytes"},
		{"content and hash", []string{"--content-hash", "streebog256:" + strings.Repeat("00", 32), garbage, garbage}, exitUsage, "not both"},
		{"missing file", []string{"--at", testAt, filepath.Join(dir, "absent.sig")}, exitNoInput, "absent.sig"},
		{"missing roots", []string{"--roots", filepath.Join(dir, "absent.pem"), garbage}, exitNoInput, "absent.pem"},
		{"bad roots", []string{"--roots", garbage, garbage}, exitUsage, "root certificate"},
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
