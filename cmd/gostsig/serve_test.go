package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/crl"
	"gostsig.dev/server"
)

var serveSamples = filepath.Join("..", "..", "testdata", "samples")

func serveSample(name string) string { return filepath.Join(serveSamples, name) }

func serveEnvOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestServeFlagsAndEnv(t *testing.T) {
	parse := func(args []string, env map[string]string) (*serveFlags, error) {
		f := newServeFlags(io.Discard)
		return f, f.parse(args, serveEnvOf(env))
	}
	// Defaults.
	f, err := parse(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.addr != defaultServeAddr || f.opts.MaxBodyBytes != server.DefaultMaxBodyBytes || f.opts.MaxItems != server.DefaultMaxItems ||
		f.opts.ItemTimeout != server.DefaultItemTimeout || f.crlReload != defaultCRLReload || f.grace != defaultShutdownGrace {
		t.Errorf("defaults: %+v", f)
	}
	// Every flag from the environment.
	env := map[string]string{
		"GOSTSIG_ADDR": "0.0.0.0:9000", "GOSTSIG_ROOTS": "a.pem:b.pem", "GOSTSIG_CERTS": "c.pem", "GOSTSIG_CRL": "d.crl::e.crl",
		"GOSTSIG_OFFLINE": "true", "GOSTSIG_AT": "2026-01-01T00:00:00Z", "GOSTSIG_POLICY": "p.yaml", "GOSTSIG_TSL": "tsl.xml",
		"GOSTSIG_CRL_RELOAD": "1m", "GOSTSIG_SHUTDOWN_GRACE": "5s", "GOSTSIG_MAX_BODY": "8MiB", "GOSTSIG_MAX_ITEMS": "50",
		"GOSTSIG_MAX_ITEM_SIZE": "100K", "GOSTSIG_WORKERS": "3", "GOSTSIG_MAX_PENDING": "500", "GOSTSIG_MAX_PENDING_BYTES": "1GiB",
		"GOSTSIG_ITEM_TIMEOUT": "2s", "GOSTSIG_REQUEST_TIMEOUT": "4s", "GOSTSIG_READ_TIMEOUT": "5s", "GOSTSIG_WRITE_TIMEOUT": "6s",
		"GOSTSIG_IDLE_TIMEOUT": "7s", "GOSTSIG_MAX_CONNS": "99", "GOSTSIG_LOG_LEVEL": "debug", "GOSTSIG_LOG_FORMAT": "text",
		"GOSTSIG_FORMAT": "json",
	}
	f, err = parse(nil, env)
	if err != nil {
		t.Fatal(err)
	}
	o := f.opts
	if f.addr != "0.0.0.0:9000" || strings.Join(f.tf.roots, ",") != "a.pem,b.pem" || strings.Join(f.tf.crls, ",") != "d.crl,e.crl" ||
		len(f.tf.certs) != 1 || !f.tf.offline || f.tf.at == "" || f.tf.policy != "p.yaml" || f.tf.tsl != "tsl.xml" ||
		f.crlReload != time.Minute || f.grace != 5*time.Second || o.MaxBodyBytes != 8<<20 || o.MaxItems != 50 ||
		o.MaxItemBytes != 100000 || o.Workers != 3 || o.MaxPending != 500 || o.MaxPendingBytes != 1<<30 ||
		o.ItemTimeout != 2*time.Second || o.RequestTimeout != 4*time.Second || o.ReadTimeout != 5*time.Second ||
		o.WriteTimeout != 6*time.Second || o.IdleTimeout != 7*time.Second || o.MaxConns != 99 ||
		f.logLevel != "debug" || f.logFormat != "text" {
		t.Errorf("from the environment: %+v %+v", f, f.tf)
	}
	// The command line wins.
	f, err = parse([]string{"--addr", "127.0.0.1:1", "--roots", "x.pem", "--max-items", "7"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if f.addr != "127.0.0.1:1" || strings.Join(f.tf.roots, ",") != "x.pem" || f.opts.MaxItems != 7 || f.opts.Workers != 3 {
		t.Errorf("command line over environment: %+v", f)
	}
	// Every flag has its variable, and the usage lists it.
	var usage bytes.Buffer
	uf := newServeFlags(&usage)
	uf.fs.Usage()
	for _, name := range []string{"addr", "roots", "cache-dir", "max-body", "item-timeout", "log-format"} {
		if !strings.Contains(usage.String(), "$"+serveEnv(name)) {
			t.Errorf("usage does not name $%s", serveEnv(name))
		}
	}
	// The list separator of the variables is said (QA2 F11).
	sep := string(os.PathListSeparator)
	for _, n := range []string{"roots", "certs", "crl"} {
		if !repeatable[n] {
			t.Errorf("--%s is not a list in the environment", n)
		}
		if !strings.Contains(usage.String(), "$"+serveEnv(n)+" (a list: paths separated by "+strconv.Quote(sep)+")") {
			t.Errorf("usage does not say $%s is a list separated by %q:\n%s", serveEnv(n), sep, usage.String())
		}
	}
	if !strings.Contains(usage.String(), "$GOSTSIG_CRL=a.pem"+sep+"b.pem") {
		t.Errorf("usage has no example of a list variable:\n%s", usage.String())
	}
	if serveEnv("cache-dir") != "GOSTSIG_CRL_CACHE" {
		t.Error("--cache-dir must share GOSTSIG_CRL_CACHE with gostsig crl")
	}
}

func TestServeUsageErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		env  map[string]string
		code int
		err  string
	}{
		{"unknown flag", []string{"--frobnicate"}, nil, exitUsage, "frobnicate"},
		{"argument", []string{"extra"}, nil, exitUsage, "unexpected argument"},
		{"bad --at", []string{"--at", "yesterday"}, nil, exitUsage, "RFC 3339"},
		{"text format", []string{"--format", "text"}, nil, exitUsage, "JSON only"},
		{"bad env duration", nil, map[string]string{"GOSTSIG_ITEM_TIMEOUT": "soon"}, exitUsage, "$GOSTSIG_ITEM_TIMEOUT"},
		{"bad env size", nil, map[string]string{"GOSTSIG_MAX_BODY": "lots"}, exitUsage, "$GOSTSIG_MAX_BODY"},
		{"bad env bool", nil, map[string]string{"GOSTSIG_OFFLINE": "maybe"}, exitUsage, "$GOSTSIG_OFFLINE"},
		{"zero timeout", []string{"--read-timeout", "0s"}, nil, exitUsage, "positive"},
		{"zero items", []string{"--max-items", "0"}, nil, exitUsage, "positive"},
		{"bad log level", []string{"--log-level", "loud", "--addr", "127.0.0.1:0"}, nil, exitUsage, "log-level"},
		{"missing cache", []string{"--cache-dir", filepath.Join(dir, "absent"), "--addr", "127.0.0.1:0"}, nil, exitNoInput, "absent"},
		{"missing cache env", []string{"--addr", "127.0.0.1:0"}, map[string]string{"GOSTSIG_CRL_CACHE": filepath.Join(dir, "absent")}, exitNoInput, "absent"},
		{"missing roots", []string{"--roots", filepath.Join(dir, "absent.pem"), "--addr", "127.0.0.1:0"}, nil, exitNoInput, "absent.pem"},
		{"bad roots", []string{"--roots", serveSample("hello.txt"), "--addr", "127.0.0.1:0"}, nil, exitUsage, "root certificate"},
		{"bad crl", []string{"--crl", serveSample("hello.txt"), "--addr", "127.0.0.1:0", "--offline"}, nil, exitUsage, "CRL"},
		{"busy address", []string{"--addr", "256.0.0.1:1"}, nil, exitFailed, "256.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer setServeEnv(tt.env)()
			var stderr bytes.Buffer
			code := run(append([]string{"serve"}, tt.args...), io.Discard, &stderr)
			if code != tt.code || !strings.Contains(stderr.String(), tt.err) {
				t.Errorf("exit %d, stderr %q; want exit %d and %q", code, stderr.String(), tt.code, tt.err)
			}
		})
	}
}

// serve answers JSON only: its help shows the shared trust flags and its
// own --format (json, the one value it takes), not verify's ("text on a
// terminal"); verify's help is verify's.
func TestServeHelp(t *testing.T) {
	var serveHelp, verifyHelp bytes.Buffer
	if code := run([]string{"serve", "-h"}, io.Discard, &serveHelp); code != exitOK {
		t.Fatalf("serve -h: exit %d", code)
	}
	for _, fl := range []string{"-roots", "-certs", "-crl ", "-offline", "-at ", "-policy", "-tsl", "-addr", "-cache-dir", "-format format\n    \tresponse format: json only"} {
		if !strings.Contains(serveHelp.String(), fl) {
			t.Errorf("serve -h lacks %q:\n%s", fl, serveHelp.String())
		}
	}
	if strings.Contains(serveHelp.String(), "on a terminal") || strings.Contains(serveHelp.String(), "json or text (default text") {
		t.Errorf("serve -h shows verify's --format:\n%s", serveHelp.String())
	}
	run([]string{"verify", "-h"}, io.Discard, &verifyHelp)
	if !strings.Contains(verifyHelp.String(), "output format: json or text (default text on a terminal, json otherwise)") {
		t.Errorf("verify -h:\n%s", verifyHelp.String())
	}
	if code := run([]string{"serve", "--format", "json", "--at", "yesterday"}, io.Discard, io.Discard); code != exitUsage {
		t.Errorf("serve --format json --at yesterday: exit %d, want the --at usage error", code)
	}
}

func setServeEnv(env map[string]string) func() {
	old := serveGetenv
	serveGetenv = serveEnvOf(env)
	return func() { serveGetenv = old }
}

// serveLogBuffer is a goroutine-safe stderr.
type serveLogBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *serveLogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *serveLogBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// startServe runs `gostsig serve args` in the test process until the
// returned stop is called; it returns the base URL.
func startServe(t *testing.T, args ...string) (base string, stop func() int, logs *serveLogBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	oldSignals := serveSignals
	serveSignals = func() (context.Context, context.CancelFunc) { return ctx, cancel }
	logs = &serveLogBuffer{}
	exit := make(chan int, 1)
	go func() { exit <- run(append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), io.Discard, logs) }()
	addr := ""
	for range 2000 {
		for _, line := range strings.Split(logs.String(), "\n") {
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == serveListeningMessage {
				addr = rec.Addr
			}
		}
		if addr != "" {
			break
		}
		select {
		case code := <-exit:
			t.Fatalf("serve exited with %d: %s", code, logs.String())
		case <-time.After(5 * time.Millisecond):
		}
	}
	if addr == "" {
		t.Fatalf("serve did not listen: %s", logs.String())
	}
	base = "http://" + addr
	waitReady(t, base)
	var once sync.Once
	code := -1
	stop = func() int {
		once.Do(func() {
			cancel()
			select {
			case code = <-exit:
			case <-time.After(30 * time.Second):
				t.Fatal("serve did not stop")
			}
			serveSignals = oldSignals
		})
		return code
	}
	t.Cleanup(func() { stop() })
	return base, stop, logs
}

func waitReady(t *testing.T, base string) map[string]any {
	t.Helper()
	for range 2000 {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			var m map[string]any
			json.NewDecoder(resp.Body).Decode(&m)
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return m
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("not ready in 10 s")
	return nil
}

// detachedBody is the bundled detached sample as a /v1/verify multipart
// body, and its Content-Type.
func detachedBody(t *testing.T) (body []byte, contentType string) {
	t.Helper()
	sig, err := os.ReadFile(serveSample("hello.txt.sig"))
	if err != nil {
		t.Fatal(err)
	}
	content, err := os.ReadFile(serveSample("hello.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	p, _ := w.CreateFormFile("signature", "hello.txt.sig")
	p.Write(sig)
	p, _ = w.CreateFormFile("content", "hello.txt")
	p.Write(content)
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

// postDetached posts the bundled detached sample and returns the result.
func postDetached(t *testing.T, base, query string) map[string]any {
	t.Helper()
	body, ct := detachedBody(t)
	resp, err := http.Post(base+"/v1/verify"+query, ct, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 200 {
		t.Fatalf("verify: %d %v %v", resp.StatusCode, m, err)
	}
	return m
}

func TestServeRun(t *testing.T) {
	base, stop, logs := startServe(t, "--roots", serveSample("root.pem"), "--certs", serveSample("ca.pem"), "--crl", filepath.Join(serveSamples, "crl"), "--offline", "--at", "2026-01-01T00:00:00Z")
	m := postDetached(t, base, "")
	if m["indication"] != "TOTAL_PASSED" || m["validation_time"] != "2026-01-01T00:00:00Z" {
		t.Errorf("verify: %v %v", m["indication"], m["validation_time"])
	}
	ready := waitReady(t, base)
	if ready["trust_anchors"] != 1.0 || ready["crls"] != 2.0 {
		t.Errorf("readyz: %v", ready)
	}
	if code := stop(); code != exitOK {
		t.Errorf("exit %d after SIGTERM", code)
	}
	for _, msg := range []string{`"msg":"trust store loaded"`, `"msg":"request"`, `"msg":"shutting down"`, `"msg":"stopped"`} {
		if !strings.Contains(logs.String(), msg) {
			t.Errorf("no %s in the logs:\n%s", msg, logs.String())
		}
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still serving after shutdown")
	}
}

// storeSampleCRLs writes the bundled CRLs into a CRL cache directory, as
// `gostsig crl fetch` would have.
func storeSampleCRLs(t *testing.T, dir string) {
	t.Helper()
	dc, err := crl.OpenDiskCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]string{{"root.pem", "crl/root.crl"}, {"ca.pem", "crl/ca.crl"}} {
		ib, _ := os.ReadFile(serveSample(pair[0]))
		issuers, err := cert.ParseAll(ib)
		if err != nil {
			t.Fatal(err)
		}
		cb, _ := os.ReadFile(serveSample(pair[1]))
		blk, _ := pem.Decode(cb)
		c, err := crl.Parse(blk.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		meta := crl.DiskMeta{
			URL: "http://crl.test/" + pair[1], IssuerKey: crl.KeyID(issuers[0]), Issuer: c.Issuer.String(),
			ThisUpdate: c.ThisUpdate, NextUpdate: c.NextUpdate, Number: c.Number.String(),
			Entries: c.Index.Len(), Size: c.Size, Digest: hex.EncodeToString(c.Digest[:]),
		}
		if err := dc.Store(meta, blk.Bytes); err != nil {
			t.Fatal(err)
		}
	}
}

// The CRL cache is read at start and reloaded when it changes; the
// replica never writes to it.
func TestServeCRLCacheReload(t *testing.T) {
	dir := t.TempDir()
	base, _, logs := startServe(t, "--roots", serveSample("root.pem"), "--certs", serveSample("ca.pem"), "--offline",
		"--at", "2026-01-01T00:00:00Z", "--cache-dir", dir, "--crl-reload", "50ms")
	if m := postDetached(t, base, ""); m["indication"] == "TOTAL_PASSED" {
		t.Fatal("passed without any CRL: the test proves nothing")
	}
	storeSampleCRLs(t, dir)
	before := dirState(t, dir)
	var ready map[string]any
	for range 400 {
		if ready = waitReady(t, base); ready["crls"] == 2.0 {
			break
		}
		time.Sleep(25 * time.Millisecond)
	}
	if ready["crls"] != 2.0 || ready["crl_cache_dir"] != dir {
		t.Fatalf("readyz after the cache filled: %v\n%s", ready, logs.String())
	}
	if m := postDetached(t, base, ""); m["indication"] != "TOTAL_PASSED" {
		t.Errorf("with the cached CRLs: %v %v", m["indication"], m["subindication"])
	}
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), `gostsig_crls{source="cache"} 2`) || !strings.Contains(string(metrics), `gostsig_crl_next_update_timestamp_seconds{`) {
		t.Errorf("metrics do not show the cached CRLs:\n%s", metrics)
	}
	if after := dirState(t, dir); after != before {
		t.Error("the replica wrote to the CRL cache")
	}
}

// dirState lists names, sizes, modes and modification times.
func dirState(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, e := range ents {
		fi, _ := e.Info()
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		b.WriteString(e.Name() + " " + fi.Mode().String() + " " + fi.ModTime().String() + " " + hex.EncodeToString(data[:min(len(data), 64)]) + "\n")
	}
	return b.String()
}
