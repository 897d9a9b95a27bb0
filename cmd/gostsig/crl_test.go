package main

import (
	"bytes"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// The CRL fixtures of package crl (crl/testdata/gen.sh): ca.pem issued
// good/revoked/hold/late; feb.crl (#32, 2025-02-01..03-01) lists revoked
// (keyCompromise, 2025-01-10T12:00:00Z) and hold; delta.crl (#33) lifts the
// hold and revokes late.
const crlPKI = "../../crl/testdata/pki/"

func runCRLCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"crl"}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestCRLCheckWithFiles(t *testing.T) {
	dir := t.TempDir()
	common := []string{"--cache-dir", dir, "--offline", "--issuer", crlPKI + "ca.pem", "--crl", crlPKI + "feb.crl", "--crl", crlPKI + "delta.crl", "--format", "json"}
	for _, tc := range []struct {
		cert, at string
		code     int
		status   string
		evidence int
	}{
		{"good", "2025-02-12T00:00:00Z", exitOK, "good", 2},
		{"revoked", "2025-02-12T00:00:00Z", exitFailed, "revoked", 2},
		{"hold", "2025-02-05T00:00:00Z", exitFailed, "revoked", 1},
		{"hold", "2025-02-13T00:00:00Z", exitOK, "good", 2},
		{"late", "2025-02-12T00:00:00Z", exitFailed, "revoked", 2},
		{"good", "2025-03-05T00:00:00Z", exitIndet, "unknown", 0},
	} {
		code, out, errOut := runCRLCmd(t, append([]string{"check", "--at", tc.at}, append(common, crlPKI+tc.cert+".pem")...)...)
		if code != tc.code {
			t.Errorf("%s at %s: exit %d, want %d (%s)", tc.cert, tc.at, code, tc.code, errOut)
			continue
		}
		var res checkJSON
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("%s: %v\n%s", tc.cert, err, out)
		}
		if res.Status != tc.status || len(res.Evidence) != tc.evidence {
			t.Errorf("%s at %s: %+v", tc.cert, tc.at, res)
		}
		for _, e := range res.Evidence {
			if len(e.Streebog) != 64 || e.ThisUpdate.IsZero() || e.Issuer == "" {
				t.Errorf("evidence %+v", e)
			}
		}
	}
	// Text output names the reason and the evidence.
	code, out, _ := runCRLCmd(t, "check", "--at", "2025-02-12T00:00:00Z", "--cache-dir", dir, "--offline", "--issuer", crlPKI+"ca.pem",
		"--crl", crlPKI+"feb.crl", crlPKI+"revoked.pem")
	if code != exitFailed || !strings.Contains(out, "причина: компрометация ключа (keyCompromise)") || !strings.Contains(out, "основание: CRL № 32") {
		t.Errorf("text output:\n%s", out)
	}
	// Usage errors.
	if code, _, _ := runCRLCmd(t, "check", "--cache-dir", dir, crlPKI+"good.pem"); code != exitUsage {
		t.Errorf("no issuer: exit %d", code)
	}
	if code, _, _ := runCRLCmd(t, "check", "--cache-dir", dir, "--issuer", crlPKI+"ca.pem", "/nonexistent.pem"); code != exitNoInput {
		t.Errorf("missing file: exit %d", code)
	}
	if code, _, _ := runCRLCmd(t, "frobnicate"); code != exitUsage {
		t.Errorf("unknown subcommand: exit %d", code)
	}
}

func TestCRLFetchLsCheck(t *testing.T) {
	feb, err := os.ReadFile(crlPKI + "feb.crl")
	if err != nil {
		t.Fatal(err)
	}
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.URL.Path != "/ca.crl" {
			http.NotFound(w, r)
			return
		}
		w.Write(feb)
	}))
	defer srv.Close()
	dir := t.TempDir()
	at := "2025-02-12T00:00:00Z"

	code, out, errOut := runCRLCmd(t, "fetch", "--cache-dir", dir, "--at", at, "--issuer", crlPKI+"ca.pem", srv.URL+"/ca.crl")
	if code != exitOK || !strings.Contains(out, "загружен  "+srv.URL+"/ca.crl: № 32") {
		t.Fatalf("fetch: exit %d\n%s%s", code, out, errOut)
	}
	// Without the issuer the CRL cannot be verified, so it is not cached.
	code, out, _ = runCRLCmd(t, "fetch", "--cache-dir", t.TempDir(), "--at", at, srv.URL+"/ca.crl")
	if code != exitFailed || !strings.Contains(out, "signed by none") {
		t.Fatalf("fetch without issuer: exit %d\n%s", code, out)
	}
	// An expired CRL is refused.
	code, out, _ = runCRLCmd(t, "fetch", "--cache-dir", t.TempDir(), "--at", "2025-03-05T00:00:00Z", "--issuer", crlPKI+"ca.pem", srv.URL+"/ca.crl")
	if code != exitFailed || !strings.Contains(out, "has passed") {
		t.Fatalf("fetch of an expired CRL: exit %d\n%s", code, out)
	}

	code, out, _ = runCRLCmd(t, "ls", "--cache-dir", dir, "--at", at)
	if code != exitOK || !strings.Contains(out, "действует") || !strings.Contains(out, srv.URL+"/ca.crl") || !strings.Contains(out, "CRL Test CA") {
		t.Fatalf("ls:\n%s", out)
	}
	code, out, _ = runCRLCmd(t, "ls", "--cache-dir", dir, "--at", "2025-03-05T00:00:00Z", "--format", "json")
	var items []map[string]any
	if code != exitOK || json.Unmarshal([]byte(out), &items) != nil || len(items) != 1 || items[0]["freshness"] != "expired" {
		t.Fatalf("ls json:\n%s", out)
	}

	// check, offline, finds the cached CRL of the issuer's key although the
	// certificate's distribution point names another URL.
	before := hits.Load()
	code, out, errOut = runCRLCmd(t, "check", "--cache-dir", dir, "--offline", "--at", at, "--issuer", crlPKI+"ca.pem", crlPKI+"revoked.pem")
	if code != exitFailed || !strings.Contains(out, "загружен с "+srv.URL+"/ca.crl") {
		t.Fatalf("check from cache: exit %d\n%s%s", code, out, errOut)
	}
	if hits.Load() != before {
		t.Error("offline check used the network")
	}
	_ = filepath.Join
}

// QA finding 1 and the 66 rough edge: "crl check --crl" takes every CRL
// of a PEM bundle (certificates in it ignored), and a CRL file that cannot
// be used is exit 66 naming the file and the block.
func TestCRLCheckBundle(t *testing.T) {
	dir := t.TempDir()
	pemOf := func(name string) []byte {
		der, err := os.ReadFile(crlPKI + name)
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: der})
	}
	ca, err := os.ReadFile(crlPKI + "ca.pem")
	if err != nil {
		t.Fatal(err)
	}
	bundle := filepath.Join(dir, "bundle.pem")
	if err := os.WriteFile(bundle, bytes.Join([][]byte{ca, pemOf("feb.crl"), pemOf("delta.crl")}, nil), 0o644); err != nil {
		t.Fatal(err)
	}
	// The delta (#33) revokes "late"; with only the first CRL it was good.
	// Lowercase t/z: RFC 3339 §5.6.
	code, out, errOut := runCRLCmd(t, "check", "--at", "2025-02-12t00:00:00z", "--cache-dir", dir, "--offline",
		"--issuer", bundle, "--crl", bundle, "--format", "json", crlPKI+"late.pem")
	var res checkJSON
	if code != exitFailed || json.Unmarshal([]byte(out), &res) != nil || res.Status != "revoked" || len(res.Evidence) != 2 {
		t.Errorf("bundle: exit %d %s %s", code, out, errOut)
	}

	bad := filepath.Join(dir, "bad.pem")
	os.WriteFile(bad, bytes.Join([][]byte{pemOf("feb.crl"), pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: []byte{0x30, 0x00}})}, nil), 0o644)
	garbage := filepath.Join(dir, "garbage.crl")
	os.WriteFile(garbage, []byte("not a CRL"), 0o644)
	for file, want := range map[string]string{
		bad:                 "--crl " + bad + " (CRLs): crl: block 2: crl: malformed",
		garbage:             "--crl " + garbage + " (CRLs): crl: malformed",
		crlPKI + "good.pem": "--crl " + crlPKI + "good.pem (CRLs): crl: malformed PEM (no X509 CRL block)",
	} {
		code, _, errOut := runCRLCmd(t, "check", "--at", "2025-02-12T00:00:00Z", "--cache-dir", dir, "--offline",
			"--issuer", crlPKI+"ca.pem", "--crl", file, crlPKI+"late.pem")
		if code != exitNoInput || !strings.Contains(errOut, want) {
			t.Errorf("--crl %s: exit %d, stderr %q; want 66 and %q", file, code, errOut, want)
		}
	}
}

// QA2 F2: a revocation listed by a CRL past its nextUpdate is proven all
// the same (crl.Decide; POLICY.md "a revocation is proven permanently"):
// "crl check" says revoked, exit 1, marked stale, while a certificate the
// stale CRL does not list stays unknown (exit 2).
func TestCRLCheckStaleRevocation(t *testing.T) {
	dir := t.TempDir()
	args := func(cert string, extra ...string) []string {
		return append([]string{"check", "--at", "2025-03-05T00:00:00Z", "--cache-dir", dir, "--offline",
			"--issuer", crlPKI + "ca.pem", "--crl", crlPKI + "feb.crl"}, append(extra, crlPKI+cert)...)
	}
	code, out, errOut := runCRLCmd(t, args("revoked.pem", "--format", "json")...)
	var res checkJSON
	if code != exitFailed || json.Unmarshal([]byte(out), &res) != nil || res.Status != "revoked" || !res.Stale ||
		res.Reason != "keyCompromise" || len(res.Evidence) != 1 {
		t.Errorf("revoked, stale CRL: exit %d %s %s", code, out, errOut)
	}
	code, out, _ = runCRLCmd(t, args("revoked.pem")...)
	if code != exitFailed || !strings.HasPrefix(out, "отозван: ") || !strings.Contains(out, "отзыв окончателен") {
		t.Errorf("revoked, stale CRL, text: exit %d\n%s", code, out)
	}
	code, out, _ = runCRLCmd(t, args("good.pem")...)
	if code != exitIndet || !strings.HasPrefix(out, "статус неизвестен: ") ||
		!strings.Contains(out, "ни один список отзыва (CRL) или ответ OCSP не относится к этому времени") {
		t.Errorf("good, stale CRL: exit %d\n%s", code, out)
	}
}

// QA2 F7: "crl check" speaks Russian to people, names a wrong --issuer as
// such, and its JSON "at" from the clock is in whole seconds.
func TestCRLCheckForPeople(t *testing.T) {
	dir := t.TempDir()
	code, out, _ := runCRLCmd(t, "check", "--at", "2025-02-05T00:00:00Z", "--cache-dir", dir, "--offline",
		"--issuer", crlPKI+"ca.pem", "--crl", crlPKI+"feb.crl", crlPKI+"hold.pem")
	if code != exitFailed || !strings.HasPrefix(out, "действие приостановлено: ") ||
		!strings.Contains(out, "причина: приостановление действия сертификата (certificateHold)") {
		t.Errorf("hold: exit %d\n%s", code, out)
	}

	code, _, errOut := runCRLCmd(t, "check", "--cache-dir", dir, "--offline", "--issuer", crlPKI+"ca-new.pem", crlPKI+"good.pem")
	if code != exitUsage || !strings.Contains(errOut, "--issuer "+crlPKI+"ca-new.pem: ни один из сертификатов не является издателем") {
		t.Errorf("wrong issuer: exit %d, stderr %q", code, errOut)
	}
	code, _, errOut = runCRLCmd(t, "check", "--cache-dir", dir, "--offline", crlPKI+"good.pem")
	if code != exitUsage || !strings.Contains(errOut, "нужен сертификат издателя «") {
		t.Errorf("no issuer: exit %d, stderr %q", code, errOut)
	}

	old := crlNow
	defer func() { crlNow = old }()
	crlNow = func() time.Time { return time.Date(2025, 2, 12, 0, 0, 0, 389157585, time.UTC) }
	code, out, errOut = runCRLCmd(t, "check", "--cache-dir", dir, "--offline", "--issuer", crlPKI+"ca.pem",
		"--crl", crlPKI+"feb.crl", "--format", "json", crlPKI+"good.pem")
	if code != exitOK || !strings.Contains(out, `"at": "2025-02-12T00:00:00Z"`) {
		t.Errorf("at from the clock: exit %d\n%s%s", code, out, errOut)
	}
}
