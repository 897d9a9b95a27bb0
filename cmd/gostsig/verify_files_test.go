package main

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gostsig.dev/gostsig"
)

func readSample(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(sampleDir + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// verifyJSON runs verify --format json and decodes the single result.
func verifyJSON(t *testing.T, args ...string) (int, *gostsig.Result, string) {
	t.Helper()
	code, stdout, stderr := runVerifyCmd(t, append([]string{"--format", "json"}, args...)...)
	if code == exitUsage || code == exitNoInput {
		return code, nil, stderr
	}
	var r gostsig.Result
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s\n%s", err, stdout, stderr)
	}
	return code, &r, stderr
}

// QA finding 1: a trust file may hold several PEM blocks, and an
// OpenSSL-style bundle mixes certificates with CRLs: every CRL of a --crl
// file is used, the certificates of a --roots/--certs file.
func TestVerifyTrustBundles(t *testing.T) {
	dir := t.TempDir()
	root, ca := readSample(t, "root.pem"), readSample(t, "ca.pem")
	caCRL, rootCRL := readSample(t, "crl/ca.crl"), readSample(t, "crl/root.crl")
	key := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{0x30, 0x00}})
	crls := writeFile(t, dir, "crls.pem", bytes.Join([][]byte{caCRL, rootCRL}, nil))
	rootBundle := writeFile(t, dir, "root+crls.pem", bytes.Join([][]byte{root, caCRL, key, rootCRL}, nil))
	caBundle := writeFile(t, dir, "ca+crls.pem", bytes.Join([][]byte{rootCRL, ca, caCRL}, nil))
	// A directory in OpenSSL's CApath style: certificates and CRLs side by
	// side, one CRL in DER.
	mixed := filepath.Join(dir, "mixed")
	if err := os.Mkdir(mixed, 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, mixed, "root.pem", root)
	writeFile(t, mixed, "ca.pem", ca)
	writeFile(t, mixed, "ca.crl.pem", caCRL)
	b, _ := pem.Decode(rootCRL)
	writeFile(t, mixed, "root.crl.der", b.Bytes)
	writeFile(t, mixed, "key.pem", key)

	at := []string{"--offline", "--at", "2025-06-02T00:00:00Z"}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"two CRLs in one file", []string{"--roots", sampleDir + "root.pem", "--certs", sampleDir + "ca.pem", "--crl", crls}},
		{"mixed bundles", []string{"--roots", rootBundle, "--certs", caBundle, "--crl", rootBundle}},
		{"mixed directory", []string{"--roots", filepath.Join(mixed, "root.pem"), "--certs", mixed, "--crl", mixed}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, r, stderr := verifyJSON(t, append(append(tc.args, at...), sampleDir+"hello.p7s")...)
			if code != exitOK || r == nil || r.Indication != gostsig.TotalPassed {
				t.Fatalf("exit %d, %+v, stderr %q; want TOTAL_PASSED", code, r, stderr)
			}
		})
	}
}

// QA finding 12: trust-file errors name the flag, the file and the PEM
// block; a file that does not parse is a bad argument (64), one that
// cannot be read exit 66.
func TestVerifyTrustFileErrors(t *testing.T) {
	dir := t.TempDir()
	sig := sampleDir + "hello.p7s"
	bad := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{0x30, 0x03, 0x02, 0x01, 0x01}})
	badCert := writeFile(t, dir, "bad.pem", bytes.Join([][]byte{readSample(t, "root.pem"), readSample(t, "crl/ca.crl"), bad}, nil))
	badCRL := writeFile(t, dir, "badcrl.pem", bytes.Join([][]byte{readSample(t, "root.pem"),
		pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: []byte{0x30, 0x00}})}, nil))
	badDir := filepath.Join(dir, "d")
	if err := os.Mkdir(badDir, 0o755); err != nil {
		t.Fatal(err)
	}
	inDir := writeFile(t, badDir, "x.pem", bad)
	absent := filepath.Join(dir, "absent.crl")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"malformed certificate block", []string{"--roots", badCert}, exitUsage,
			"gostsig verify: --roots " + badCert + " (root certificates): block 3: cert: malformed"},
		{"malformed CRL block", []string{"--crl", badCRL}, exitUsage,
			"gostsig verify: --crl " + badCRL + " (CRLs): crl: block 2: crl: malformed"},
		{"malformed file in a directory", []string{"--certs", badDir}, exitUsage,
			"gostsig verify: --certs " + inDir + " (certificates): block 1: cert: malformed"},
		{"missing file", []string{"--crl", absent}, exitNoInput, "gostsig verify: --crl " + absent + " (CRLs): файл не найден"},
		{"CRLs only as roots", []string{"--roots", sampleDir + "crl"}, exitUsage,
			"gostsig verify: --roots " + sampleDir + "crl (root certificates): no certificate found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runVerifyCmd(t, append(tc.args, "--offline", "--at", testAt, sig)...)
			if code != tc.code || !strings.HasPrefix(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
}

type batchJSON struct {
	Results []struct {
		File       string `json:"file"`
		Content    string `json:"content"`
		Error      string `json:"error"`
		Indication string `json:"indication"`
	} `json:"results"`
	Skipped []skippedFile `json:"skipped"`
	Summary batchSummary  `json:"summary"`
}

func runBatchJSON(t *testing.T, args ...string) (int, batchJSON, string) {
	t.Helper()
	code, stdout, stderr := runVerifyCmd(t, append([]string{"--format", "json"}, args...)...)
	var out batchJSON
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v\n%s\n%s", err, stdout, stderr)
	}
	return code, out, stderr
}

// QA finding 7: a directory's signatures are found by content as well as
// by extension, detached ones are paired with their document, every other
// file is listed with the reason, and nothing to verify is exit 66.
func TestVerifyDirSniffing(t *testing.T) {
	dir := t.TempDir()
	attached := readSample(t, "hello.p7s") // PEM "CMS"
	blk, _ := pem.Decode(attached)
	detached := readSample(t, "hello.txt.sig") // DER
	writeFile(t, dir, "a-attached.pem", attached)
	writeFile(t, dir, "b-attached.der", blk.Bytes)
	writeFile(t, dir, "hello.txt", readSample(t, "hello.txt"))
	writeFile(t, dir, "hello.txt.b64", []byte(wrap64(detached)))
	writeFile(t, dir, "c-attached", blk.Bytes) // no extension at all
	writeFile(t, dir, "notes.txt", []byte("not a signature"))
	writeFile(t, dir, "root.pem", readSample(t, "root.pem"))
	writeFile(t, dir, "doc.xml", []byte("<?xml version=\"1.0\"?><doc>unsigned</doc>"))
	writeFile(t, dir, ".hidden.p7s", attached)

	code, out, stderr := runBatchJSON(t, sampleArgs(dir)...)
	if code != exitOK {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	var got []string
	for _, r := range out.Results {
		got = append(got, filepath.Base(r.File)+"|"+filepath.Base(r.Content)+"|"+r.Indication)
	}
	want := []string{"a-attached.pem|.|TOTAL_PASSED", "b-attached.der|.|TOTAL_PASSED", "c-attached|.|TOTAL_PASSED", "hello.txt.b64|hello.txt|TOTAL_PASSED"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("results %q, want %q", got, want)
	}
	skipped := map[string]string{}
	for _, s := range out.Skipped {
		skipped[filepath.Base(s.File)] = s.Reason
	}
	for name, reason := range map[string]string{
		".hidden.p7s": "hidden file",
		"notes.txt":   "neither CMS nor XML",
		"root.pem":    "PEM CERTIFICATE",
		"doc.xml":     "XML without an XMLDSig signature",
	} {
		if !strings.Contains(skipped[name], reason) {
			t.Errorf("skipped[%s] = %q, want %q", name, skipped[name], reason)
		}
	}
	if len(out.Skipped) != 4 || out.Summary.Skipped != 4 || out.Summary.Files != 4 {
		t.Errorf("skipped %+v, summary %+v", out.Skipped, out.Summary)
	}

	// Text: the skipped files go to stderr.
	_, _, stderr = runVerifyCmd(t, sampleArgs("--format", "text", dir)...)
	if !strings.Contains(stderr, "gostsig verify: пропущен "+filepath.Join(dir, "notes.txt")+": ни CMS, ни XML\n") {
		t.Errorf("text stderr lacks the skipped notes.txt:\n%s", stderr)
	}

	// Nothing to verify: exit 66.
	empty := t.TempDir()
	writeFile(t, empty, "notes.txt", []byte("not a signature"))
	code, out, stderr = runBatchJSON(t, sampleArgs(empty)...)
	if code != exitNoInput || !strings.Contains(stderr, "файлов подписей не найдено") || len(out.Skipped) != 1 || len(out.Results) != 0 {
		t.Errorf("no signatures: exit %d, %+v, stderr %q", code, out, stderr)
	}
}

func wrap64(der []byte) string {
	s := pem.EncodeToMemory(&pem.Block{Type: "X", Bytes: der})
	lines := strings.Split(string(s), "\n")
	return strings.Join(lines[1:len(lines)-2], "\n") + "\n"
}

// QA finding 11: an unreadable file appears in results[], in argument
// order, with its error.
func TestVerifyBatchUnreadable(t *testing.T) {
	absent := filepath.Join(t.TempDir(), "absent.p7s")
	code, out, _ := runBatchJSON(t, sampleArgs("--batch", sampleDir+"hello.p7s", absent, sampleDir+"hello.p7s")...)
	if code != exitNoInput {
		t.Errorf("exit %d, want 66", code)
	}
	if len(out.Results) != 3 || out.Results[1].File != absent || !strings.Contains(out.Results[1].Error, "no such file") ||
		out.Results[1].Indication != "" || out.Results[0].Indication != "TOTAL_PASSED" || out.Results[2].Indication != "TOTAL_PASSED" {
		t.Errorf("results %+v", out.Results)
	}
	if out.Summary.Errors != 1 || out.Summary.Files != 3 || out.Summary.Passed != 2 {
		t.Errorf("summary %+v", out.Summary)
	}
}

// CONTENT "-" reads standard input.
func TestVerifyContentStdin(t *testing.T) {
	old := verifyStdin
	defer func() { verifyStdin = old }()
	for _, tc := range []struct {
		doc  string
		want gostsig.Indication
	}{{"hello.txt", gostsig.TotalPassed}, {"hello-changed.txt", gostsig.TotalFailed}} {
		verifyStdin = bytes.NewReader(readSample(t, tc.doc))
		_, r, stderr := verifyJSON(t, sampleArgs(sampleDir+"hello.txt.sig", "-")...)
		if r == nil || r.Indication != tc.want {
			t.Errorf("%s on stdin: %+v %q, want %v", tc.doc, r, stderr, tc.want)
		}
	}
}

// "verify a.p7s b.p7s": CONTENT that is itself a signature gets a hint;
// the command still verifies it as the content.
func TestVerifyContentLooksLikeSignature(t *testing.T) {
	code, r, stderr := verifyJSON(t, sampleArgs(sampleDir+"hello.p7s", sampleDir+"hello.txt.sig")...)
	if r == nil || code == exitOK {
		t.Fatalf("exit %d %+v", code, r)
	}
	if !strings.Contains(stderr, "похож на подпись CMS") || !strings.Contains(stderr, "--batch") {
		t.Errorf("no hint: %q", stderr)
	}
	_, _, stderr = verifyJSON(t, sampleArgs(sampleDir+"hello.txt.sig", sampleDir+"hello.txt")...)
	if stderr != "" {
		t.Errorf("hint for a document: %q", stderr)
	}
}

// RFC 3339 §5.6 allows lowercase "t" and "z".
func TestVerifyAtLowercase(t *testing.T) {
	args := []string{"--roots", sampleDir + "root.pem", "--certs", sampleDir + "ca.pem", "--crl", sampleDir + "crl",
		"--offline", "--at", "2025-06-02t00:00:00z", sampleDir + "hello.p7s"}
	code, r, stderr := verifyJSON(t, args...)
	if code != exitOK || r == nil || !r.ValidationTime.Equal(mustTime(t, "2025-06-02T00:00:00Z")) {
		t.Errorf("exit %d %+v %q", code, r, stderr)
	}
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return at
}

// Every --at of the CLI (verify, serve, crl, report) goes through
// rfc3339.Parse (its cases are tested there): here, that verify takes the
// lower-case "t" and "z" RFC 3339 §5.6 allows and refuses what is not
// RFC 3339 as a usage error.
func TestVerifyAtRFC3339(t *testing.T) {
	for _, at := range []string{"2025-06-02t00:00:00z", "2025-06-02T04:00:00+04:00"} {
		args := []string{"--roots", sampleDir + "root.pem", "--certs", sampleDir + "ca.pem", "--crl", sampleDir + "crl",
			"--offline", "--at", at, "--format", "json", sampleDir + "hello.txt.sig", sampleDir + "hello.txt"}
		if code, stdout, stderr := runVerifyCmd(t, args...); code != exitOK || !strings.Contains(stdout, `"validation_time": "2025-06-02T00:00:00Z"`) {
			t.Errorf("--at %s: exit %d, stderr %q\n%s", at, code, stderr, stdout)
		}
	}
	for _, at := range []string{"2025-06-10 07:00:00Z", "yesterday", "2025-06-10"} {
		if code, _, _ := runVerifyCmd(t, "--offline", "--at", at, sampleDir+"hello.p7s"); code != exitUsage {
			t.Errorf("--at %q: exit %d, want %d", at, code, exitUsage)
		}
	}
}

// QA2 F8: of two arguments the second is CONTENT; a directory there is a
// usage error that names --batch, and --batch makes it a batch.
func TestVerifyContentDir(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runVerifyCmd(t, sampleArgs("--format", "json", sampleDir+"hello.txt.sig", dir)...)
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "CONTENT "+dir+" — каталог, а не файл") ||
		!strings.Contains(stderr, "gostsig verify --batch "+sampleDir+"hello.txt.sig "+dir) {
		t.Errorf("SIGNATURE DIR: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	// Asked for: the file and the directory's signatures (none) as a batch.
	code, out, _ := runBatchJSON(t, sampleArgs("--batch", sampleDir+"hello.p7s", dir)...)
	if code != exitOK || len(out.Results) != 1 || out.Results[0].Indication != "TOTAL_PASSED" {
		t.Errorf("--batch SIGNATURE DIR: exit %d %+v", code, out)
	}
	// A directory first is a batch, as before.
	code, out, _ = runBatchJSON(t, sampleArgs(dir, sampleDir+"hello.p7s")...)
	if code != exitOK || len(out.Results) != 1 {
		t.Errorf("DIR SIGNATURE: exit %d %+v", code, out)
	}
}
