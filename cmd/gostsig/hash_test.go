package main

import (
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gostsig.dev/gostsig/streebog"
)

// The digests of testdata/samples/hello.txt ("Hello, GOST!\n"), from
// openssl dgst -engine gost -md_gost12_256 / -md_gost12_512 / -md_gost94.
const (
	helloPath        = "../../testdata/samples/hello.txt"
	helloStreebog256 = "9ddeaad41bc6a961fa7b0dd1f24914234f941a303ead9aabaebcafe4d70ed4fd"
	helloStreebog512 = "900f7e5618c03cf5b9fec6f4302065cb91f36a9dfe130e69021c08fcb558fec691baa320bb5fd7f1d80557b5125de4ea57f3ef2f4e15be5ca0f24799a156c670"
	helloGOST94      = "2e92d7920921f550d37e96ce3425fd7dbbc3305347ff0a4ed6cdb3633e428ad5"
)

// runHashCmd runs "gostsig hash args..." with stdin as standard input, the
// way main does, and returns the exit status and what was printed.
func runHashCmd(t *testing.T, stdin io.Reader, args ...string) (int, string, string) {
	t.Helper()
	old := hashStdin
	hashStdin = stdin
	defer func() { hashStdin = old }()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"hash"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestHash(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	hello, err := os.ReadFile(helloPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name       string
		stdin      string
		args       []string
		wantCode   int
		wantStdout string
		wantStderr string // substring; "" means stderr must be empty
	}{
		{name: "default is streebog256", args: []string{helloPath}, wantCode: exitOK,
			wantStdout: helloStreebog256 + "  " + helloPath + "\n"},
		{name: "streebog512", args: []string{"-a", "streebog512", helloPath}, wantCode: exitOK,
			wantStdout: helloStreebog512 + "  " + helloPath + "\n"},
		{name: "gostr341194", args: []string{"-a", "gostr341194", helloPath}, wantCode: exitOK,
			wantStdout: helloGOST94 + "  " + helloPath + "\n"},
		{name: "algorithm names are case-insensitive", args: []string{"-a", "STREEBOG512", helloPath}, wantCode: exitOK,
			wantStdout: helloStreebog512 + "  " + helloPath + "\n"},
		{name: "double-dash flag", args: []string{"--a=gostr341194", helloPath}, wantCode: exitOK,
			wantStdout: helloGOST94 + "  " + helloPath + "\n"},
		{name: "stdin without args", stdin: string(hello), wantCode: exitOK,
			wantStdout: helloStreebog256 + "  -\n"},
		{name: "stdin as -", stdin: string(hello), args: []string{"-a", "streebog512", "-"}, wantCode: exitOK,
			wantStdout: helloStreebog512 + "  -\n"},
		{name: "empty file", args: []string{empty}, wantCode: exitOK,
			wantStdout: "3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb  " + empty + "\n"},
		{name: "several files", args: []string{helloPath, empty, helloPath}, wantCode: exitOK,
			wantStdout: helloStreebog256 + "  " + helloPath + "\n" +
				"3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb  " + empty + "\n" +
				helloStreebog256 + "  " + helloPath + "\n"},
		{name: "missing file between good ones", args: []string{helloPath, filepath.Join(dir, "nope"), helloPath},
			wantCode:   exitNoInput,
			wantStdout: helloStreebog256 + "  " + helloPath + "\n" + helloStreebog256 + "  " + helloPath + "\n",
			wantStderr: "gostsig hash: " + filepath.Join(dir, "nope") + ": no such file or directory\n"},
		{name: "directory", args: []string{dir, helloPath}, wantCode: exitNoInput,
			wantStdout: helloStreebog256 + "  " + helloPath + "\n",
			wantStderr: "gostsig hash: " + dir + ": is a directory\n"},
		{name: "unknown algorithm", args: []string{"-a", "sha256", helloPath}, wantCode: exitUsage,
			wantStderr: `unknown algorithm "sha256"`},
		{name: "unknown flag", args: []string{"-x", helloPath}, wantCode: exitUsage,
			wantStderr: "usage: gostsig hash"},
		{name: "help", args: []string{"-h"}, wantCode: exitOK, wantStderr: "usage: gostsig hash"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, stdout, stderr := runHashCmd(t, strings.NewReader(c.stdin), c.args...)
			if code != c.wantCode {
				t.Errorf("exit status %d, want %d (stderr %q)", code, c.wantCode, stderr)
			}
			if stdout != c.wantStdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout, c.wantStdout)
			}
			if c.wantStderr == "" && stderr != "" {
				t.Errorf("unexpected stderr %q", stderr)
			}
			if !strings.Contains(stderr, c.wantStderr) {
				t.Errorf("stderr %q does not contain %q", stderr, c.wantStderr)
			}
			if c.wantCode == exitNoInput && strings.Count(stderr, "\n") != 1 {
				t.Errorf("want a one-line error, got %q", stderr)
			}
		})
	}
}

// failingReader returns some data and then an error, like a pipe whose
// writer died or a device with a read error.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("input/output error")
	}
	k := min(r.n, len(p))
	r.n -= k
	return k, nil
}

func TestHashUnreadableStdin(t *testing.T) {
	code, stdout, stderr := runHashCmd(t, &failingReader{n: 100000}, "-", helloPath)
	if code != exitNoInput {
		t.Errorf("exit status %d, want %d", code, exitNoInput)
	}
	// Nothing about stdin on stdout, not even part of a line.
	if want := helloStreebog256 + "  " + helloPath + "\n"; stdout != want {
		t.Errorf("stdout %q, want %q", stdout, want)
	}
	if want := "gostsig hash: -: reading standard input: input/output error\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
}

func TestHashUnreadableFile(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: file permissions do not stop reads")
	}
	f := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(f, []byte("x"), 0o000); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runHashCmd(t, nil, f)
	if code != exitNoInput || stdout != "" || stderr != "gostsig hash: "+f+": permission denied\n" {
		t.Errorf("got %d, %q, %q", code, stdout, stderr)
	}
}

// failingWriter fails every write, like stdout on a closed pipe.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestHashOutputError(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"hash", helloPath}, failingWriter{}, &stderr); code != exitFailed {
		t.Errorf("exit status %d, want %d", code, exitFailed)
	}
	if !strings.Contains(stderr.String(), "broken pipe") {
		t.Errorf("stderr %q", stderr.String())
	}
}

func TestHashLineEscaping(t *testing.T) {
	sum := []byte{0xab, 0x01}
	for name, want := range map[string]string{
		"plain.txt":  "ab01  plain.txt\n",
		"a\nb":       "\\ab01  a\\nb\n",
		`back\slash`: "\\ab01  back\\\\slash\n",
		"cr\rname":   "\\ab01  cr\\rname\n",
		"space name": "ab01  space name\n",
	} {
		if got := string(appendHashLine(nil, sum, name)); got != want {
			t.Errorf("appendHashLine(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestHashLargeFile hashes a file longer than the read buffer.
func TestHashLargeFile(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789abcdef\n"), 3*hashBufSize/17+5)
	f := filepath.Join(t.TempDir(), "large")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		t.Fatal(err)
	}
	want := streebog.Sum512(data)
	code, stdout, _ := runHashCmd(t, nil, "-a", "streebog512", f)
	if code != exitOK || stdout != hex.EncodeToString(want[:])+"  "+f+"\n" {
		t.Errorf("got %d, %q", code, stdout)
	}
}
