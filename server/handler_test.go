package server

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"gostsig.dev/gostsig"
)

func TestRoutes(t *testing.T) {
	ts := newTestServer(t, Options{})
	tests := []struct {
		method, uri string
		status      int
		code        string // error code, or "" for a success
		allow       string
	}{
		{"GET", "/healthz", 200, "", ""},
		{"HEAD", "/healthz", 200, "", ""},
		{"GET", "/readyz", 200, "", ""},
		{"GET", "/metrics", 200, "", ""},
		{"GET", "/openapi.json", 200, "", ""},
		{"GET", "/", 404, CodeNotFound, ""},
		{"GET", "/v1/verify/", 404, CodeNotFound, ""},
		{"POST", "/v2/verify", 404, CodeNotFound, ""},
		{"GET", "/v1/verify", 405, CodeMethodNotAllowed, "POST"},
		{"PUT", "/v1/verify/batch", 405, CodeMethodNotAllowed, "POST"},
		{"POST", "/healthz", 405, CodeMethodNotAllowed, "GET, HEAD"},
		{"DELETE", "/metrics", 405, CodeMethodNotAllowed, "GET, HEAD"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.uri, func(t *testing.T) {
			for range 2 { // try again: buffers are reused between requests
				r := ts.do(t, tt.method, tt.uri, nil)
				if r.status != tt.status {
					t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
				}
				if r.header["x-request-id"] == "" {
					t.Error("no X-Request-Id")
				}
				if tt.code != "" {
					if code := r.errorCode(t); code != tt.code {
						t.Errorf("code %q, want %q", code, tt.code)
					}
				}
				if tt.allow != "" && r.header["allow"] != tt.allow {
					t.Errorf("Allow %q, want %q", r.header["allow"], tt.allow)
				}
			}
		})
	}
}

func TestHealthAndReady(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.do(t, "GET", "/healthz", nil)
	if string(r.body) != "{\"status\":\"ok\"}\n" {
		t.Errorf("healthz body %q", r.body)
	}
	r = ts.do(t, "GET", "/readyz", nil)
	m := r.json(t)
	if m["status"] != "ready" || m["trust_anchors"] != 1.0 || m["crls"] != 2.0 {
		t.Errorf("readyz body %s", r.body)
	}
	r = ts.do(t, "GET", "/openapi.json", nil)
	if !bytes.Equal(r.body, openAPI) || !json.Valid(r.body) {
		t.Error("/openapi.json is not the embedded document")
	}
	if !strings.HasPrefix(r.header["content-type"], "application/json") {
		t.Errorf("openapi Content-Type %q", r.header["content-type"])
	}
}

// A server without a verifier is alive but not ready; it becomes ready
// when one is set, and stops being ready when it drains.
func TestNotReady(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{})
	ref := ts.cur.Swap(nil) // as if nothing were loaded yet
	r := ts.do(t, "GET", "/readyz", nil)
	if r.status != 503 || r.errorCode(t) != CodeNotReady || r.header["retry-after"] != "1" {
		t.Fatalf("readyz before load: %d %s (Retry-After %q)", r.status, r.body, r.header["retry-after"])
	}
	if r := ts.do(t, "GET", "/healthz", nil); r.status != 200 {
		t.Fatalf("healthz before load: %d", r.status)
	}
	r = ts.do(t, "POST", "/v1/verify", f.attached)
	if r.status != 503 || r.errorCode(t) != CodeNotReady {
		t.Fatalf("verify before load: %d %s", r.status, r.body)
	}
	ts.cur.Store(ref)
	if r := ts.do(t, "GET", "/readyz", nil); r.status != 200 {
		t.Fatalf("readyz after load: %d %s", r.status, r.body)
	}
	ts.draining.Store(true)
	r = ts.do(t, "GET", "/readyz", nil)
	if r.status != 503 || r.errorCode(t) != CodeShuttingDown {
		t.Fatalf("readyz while draining: %d %s", r.status, r.body)
	}
	r = ts.do(t, "POST", "/v1/verify", f.attached)
	if r.status != 503 || r.errorCode(t) != CodeShuttingDown {
		t.Fatalf("verify while draining: %d %s", r.status, r.body)
	}
}

func TestRequestID(t *testing.T) {
	ts := newTestServer(t, Options{})
	r := ts.do(t, "GET", "/healthz", nil, withHeader("X-Request-Id", "nginx-3f2a.17"))
	if got := r.header["x-request-id"]; got != "nginx-3f2a.17" {
		t.Errorf("X-Request-Id %q, want the client's", got)
	}
	seen := map[string]bool{}
	for _, bad := range []string{"", "has space", strings.Repeat("a", maxRequestIDBytes+1), "new\nline", "кириллица"} {
		r := ts.do(t, "GET", "/healthz", nil, withHeader("X-Request-Id", bad))
		got := r.header["x-request-id"]
		if got == bad || got == "" || seen[got] {
			t.Errorf("X-Request-Id %q for client's %q: want a fresh one", got, bad)
		}
		seen[got] = true
	}
}

// The access log has the request id and never the document: neither its
// bytes nor their base64.
func TestLogsHaveNoContent(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{})
	secret := "СЕКРЕТНОЕ-СОДЕРЖИМОЕ-ДОКУМЕНТА-42"
	body, ct := multipartOf(t, [2]string{"signature", string(f.detached)}, [2]string{"content", secret})
	r := ts.do(t, "POST", "/v1/verify", body, withHeader("Content-Type", ct), withHeader("X-Request-Id", "req-logs-1"))
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	r = ts.do(t, "POST", "/v1/verify/batch", batchBody(t,
		map[string]any{"id": "a", "signature": b64(f.detached), "content": b64([]byte(secret))},
		map[string]any{"id": "b", "signature": "!!!" + b64([]byte(secret))},
	), withHeader("X-Request-Id", "req-logs-2"))
	if r.status != 200 || !strings.Contains(string(r.body), `"code":"malformed_base64"`) {
		t.Fatalf("bad base64: %d %s", r.status, r.body)
	}
	r = ts.do(t, "POST", "/v1/verify/batch", batchBody(t,
		map[string]any{"id": "a", "signature": b64(f.detached), "content": b64([]byte(secret))},
		map[string]any{"id": "b", "signature": b64(sigError)},
	), withHeader("X-Request-Id", "req-logs-3"))
	if r.status != 200 || !strings.Contains(string(r.body), `"code":"internal"`) {
		t.Fatalf("engine error: %d %s", r.status, r.body)
	}
	logs := ts.logs.String()
	for _, id := range []string{"req-logs-1", "req-logs-2", "req-logs-3"} {
		if !strings.Contains(logs, `"request_id":"`+id+`"`) {
			t.Errorf("no log record with request_id %s:\n%s", id, logs)
		}
	}
	for _, leak := range []string{secret, b64([]byte(secret)), b64(f.detached)[:40]} {
		if strings.Contains(logs, leak) {
			t.Errorf("logs contain %q:\n%s", leak, logs)
		}
	}
}

// The result of /v1/verify is the library's, byte for byte in meaning.
func TestVerifyIsTheLibraryVerdict(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{})
	body, ct := multipartOf(t, [2]string{"signature", string(f.detached)}, [2]string{"content", string(f.changed)})
	garbage := []byte("\x00\x01 definitely not a signature")
	tests := []struct {
		name string
		body []byte
		ct   string
		in   gostsig.Input
		ind  string
		sub  string
	}{
		{"attached", f.attached, "application/pkcs7-signature", gostsig.Input{Signature: f.attached}, "TOTAL_PASSED", ""},
		{"detached changed", body, ct, gostsig.Input{Signature: f.detached, Content: f.changed}, "TOTAL_FAILED", "HASH_FAILURE"},
		{"garbage", garbage, "", gostsig.Input{Signature: garbage}, "TOTAL_FAILED", "FORMAT_FAILURE"},
		{"detached without content", f.detached, "application/octet-stream", gostsig.Input{Signature: f.detached}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := f.libraryJSON(t, tt.in)
			for range 2 {
				var opts []reqOpt
				if tt.ct != "" {
					opts = append(opts, withHeader("Content-Type", tt.ct))
				}
				r := ts.do(t, "POST", "/v1/verify", tt.body, opts...)
				if r.status != 200 {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				got := r.json(t)
				sameJSON(t, tt.name, got, want)
				if tt.ind != "" && (got["indication"] != tt.ind || (tt.sub != "" && got["subindication"] != tt.sub)) {
					t.Errorf("verdict %v/%v, want %s/%s", got["indication"], got["subindication"], tt.ind, tt.sub)
				}
				if r.header["cache-control"] != "no-store" {
					t.Errorf("Cache-Control %q", r.header["cache-control"])
				}
			}
		})
	}
}

// openapi.json's ErrorCode lists exactly the Code* constants, and its
// description names each one.
func TestOpenAPIErrorCodes(t *testing.T) {
	var doc struct {
		Components struct {
			Schemas struct {
				ErrorCode struct {
					Description string   `json:"description"`
					Enum        []string `json:"enum"`
				}
			}
		}
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	ec := doc.Components.Schemas.ErrorCode
	got := slices.Sorted(slices.Values(ec.Enum))
	want := slices.Sorted(slices.Values(codes[:]))
	if !slices.Equal(got, want) {
		t.Errorf("openapi ErrorCode enum %v, want the Code* constants %v", got, want)
	}
	for _, c := range codes {
		if !strings.Contains(ec.Description, c) {
			t.Errorf("openapi ErrorCode description does not name %s", c)
		}
	}
}
