package server

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"mime/multipart"
	"net/textproto"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"

	"gostsig.dev/gostsig"
	"gostsig.dev/gostsig/streebog"
)

func TestVerifyMultipart(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{MaxItemBytes: 64 << 10})
	sum := streebog.Sum256(f.content)
	hash := "streebog256:" + hex.EncodeToString(sum[:])
	sig, content := [2]string{"signature", string(f.detached)}, [2]string{"content", string(f.content)}
	tests := []struct {
		name   string
		parts  [][2]string
		status int
		code   string // error code, or the expected indication
	}{
		{"signature and content", [][2]string{sig, content}, 200, "TOTAL_PASSED"},
		{"content first", [][2]string{content, sig}, 200, "TOTAL_PASSED"},
		{"content hash", [][2]string{sig, {"content_hash", hash}}, 200, "TOTAL_PASSED"},
		{"content hash, other digest", [][2]string{sig, {"content_hash", "streebog256:" + strings.Repeat("00", 32)}}, 200, "TOTAL_FAILED"},
		{"changed content", [][2]string{sig, {"content", string(f.changed)}}, 200, "TOTAL_FAILED"},
		{"attached alone", [][2]string{{"signature", string(f.attached)}}, 200, "TOTAL_PASSED"},
		{"no signature", [][2]string{content}, 400, CodeEmptyBody},
		{"empty signature", [][2]string{{"signature", ""}, content}, 400, CodeEmptyBody},
		{"two signatures", [][2]string{sig, sig, content}, 400, CodeBadRequest},
		{"unknown part", [][2]string{sig, content, {"comment", "x"}}, 400, CodeBadRequest},
		{"attachment", [][2]string{sig, content, {"attachment", "x"}}, 200, "TOTAL_PASSED"},
		{"over the item limit with attachments", [][2]string{sig, {"content", strings.Repeat("x", 40<<10)}, {"attachment", strings.Repeat("x", 30<<10)}}, 413, CodeItemTooLarge},
		{"content and hash", [][2]string{sig, content, {"content_hash", hash}}, 400, CodeInvalidInput},
		{"bad hash alg", [][2]string{sig, {"content_hash", "md5:00"}}, 400, CodeMalformedHash},
		{"bad hash hex", [][2]string{sig, {"content_hash", "streebog256:zz"}}, 400, CodeMalformedHash},
		{"short hash", [][2]string{sig, {"content_hash", "streebog256:00"}}, 400, CodeMalformedHash},
		{"over the item limit", [][2]string{sig, {"content", strings.Repeat("x", 64<<10)}}, 413, CodeItemTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, ct := multipartOf(t, tt.parts...)
			for range 2 {
				r := ts.do(t, "POST", "/v1/verify", body, withHeader("Content-Type", ct))
				if r.status != tt.status {
					t.Fatalf("status %d, want %d: %s", r.status, tt.status, r.body)
				}
				if tt.status == 200 {
					if ind := r.json(t)["indication"]; ind != tt.code {
						t.Errorf("indication %v, want %s", ind, tt.code)
					}
				} else if code := r.errorCode(t); code != tt.code {
					t.Errorf("code %q, want %q", code, tt.code)
				}
			}
		})
	}
	// Malformed multipart framing.
	for name, ct := range map[string]string{
		"no boundary":    "multipart/form-data",
		"wrong boundary": "multipart/form-data; boundary=nothere",
	} {
		body, _ := multipartOf(t, sig, content)
		r := ts.do(t, "POST", "/v1/verify", body, withHeader("Content-Type", ct))
		if r.status != 400 || r.errorCode(t) != CodeBadRequest {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
}

func TestVerifyQuery(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{})
	ok := []struct{ query, validationTime string }{
		{"", "2025-06-01T12:00:00Z"}, // the verifier's clock
		{"?at=2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z"},
		{"?at=2026-01-02T06:04:05%2B03:00", "2026-01-02T03:04:05Z"},
		// RFC 3339 §5.6: "t" and "z" may be lower case, as verify --at takes them (QA2 F3).
		{"?at=2026-01-02t03:04:05z", "2026-01-02T03:04:05Z"},
		{"?at=2026-01-02t06:04:05.5%2b03:00", "2026-01-02T03:04:05.5Z"},
		// A "+" sent unencoded arrives as a space: read back as "+".
		{"?at=2026-01-02T06:04:05+03:00", "2026-01-02T03:04:05Z"},
		{"?at=2026-01-01T22:04:05-05:00", "2026-01-02T03:04:05Z"},
		{"?offline=true&at=2025-07-01T00:00:00Z", "2025-07-01T00:00:00Z"},
		{"?offline=false", "2025-06-01T12:00:00Z"},
	}
	for _, tt := range ok {
		for _, path := range []string{"/v1/verify", "/v1/verify/batch"} {
			body := f.attached
			if path == "/v1/verify/batch" {
				body = batchBody(t, map[string]any{"id": "x", "signature": b64(f.attached)})
			}
			r := ts.do(t, "POST", path+tt.query, body)
			if r.status != 200 {
				t.Fatalf("%s%s: %d %s", path, tt.query, r.status, r.body)
			}
			m := r.json(t)
			if path == "/v1/verify/batch" {
				m = m["results"].([]any)[0].(map[string]any)
			}
			if m["validation_time"] != tt.validationTime {
				t.Errorf("%s%s: validation_time %v, want %s", path, tt.query, m["validation_time"], tt.validationTime)
			}
		}
	}
	bad := []string{
		"?at=yesterday", "?at=2026-01-02", "?at=", "?at=2026-01-02+03:04:05Z", "?at=2026-01-02T03:04:05+0300",
		"?at=2026-01-02T03:04:05Z+", "?at=+2026-01-02T03:04:05Z", "?at=2026-01-02T03:04:05%C5%BF", "?offline=yes", "?offline=",
		"?ofline=true", "?at=2026-01-02T03:04:05Z&at=2026-01-02T03:04:05Z", "?offline=true&offline=true",
	}
	for _, q := range bad {
		for _, path := range []string{"/v1/verify", "/v1/verify/batch"} {
			r := ts.do(t, "POST", path+q, f.attached)
			if r.status != 400 || r.errorCode(t) != CodeBadQuery {
				t.Errorf("%s%s: %d %s", path, q, r.status, r.body)
			}
			if msg, _ := r.json(t)["error"].(string); strings.HasPrefix(q, "?at=2") && !strings.Contains(q, "&") && !strings.Contains(msg, "%2B") {
				t.Errorf("%s%s: the error does not say how to send a +: %s", path, q, msg)
			}
		}
	}
}

// detail=summary answers the library's result less each signature's
// evidence, on both routes, for a passed and a failed signature; detail=full
// is the default.
func TestVerifyDetailSummary(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{})
	for _, tt := range []struct {
		name       string
		in         gostsig.Input
		indication string
	}{
		{"passed", gostsig.Input{Signature: f.detached, Content: f.content}, "TOTAL_PASSED"},
		{"changed", gostsig.Input{Signature: f.detached, Content: f.changed}, "TOTAL_FAILED"},
	} {
		want := f.libraryJSON(t, tt.in)
		if want["indication"] != tt.indication {
			t.Fatalf("%s: the library says %v", tt.name, want["indication"])
		}
		full := f.libraryJSON(t, tt.in)
		for _, s := range want["signatures"].([]any) {
			sig := s.(map[string]any)
			for _, k := range []string{"algorithm", "timestamp", "chain", "revocation", "checks", "diagnostic"} {
				delete(sig, k)
			}
			if sig["signer"] == nil || sig["message_ru"] == nil {
				t.Fatalf("%s: the summary would say nothing: %v", tt.name, sig)
			}
		}
		for _, q := range []string{"?detail=summary", "?offline=true&detail=summary"} {
			body, ct := multipartOf(t, [2]string{"signature", string(tt.in.Signature)}, [2]string{"content", string(tt.in.Content)})
			r := ts.do(t, "POST", "/v1/verify"+q, body, withHeader("Content-Type", ct))
			if r.status != 200 {
				t.Fatalf("%s %s: %d %s", tt.name, q, r.status, r.body)
			}
			sameJSON(t, tt.name+" /v1/verify"+q, r.json(t), want)
			r = ts.do(t, "POST", "/v1/verify/batch"+q, batchBody(t,
				map[string]any{"id": "a", "signature": b64(tt.in.Signature), "content": b64(tt.in.Content)},
				map[string]any{"id": "b", "signature": "!"}))
			if r.status != 200 {
				t.Fatalf("%s %s: %d %s", tt.name, q, r.status, r.body)
			}
			results := r.json(t)["results"].([]any)
			item := results[0].(map[string]any)
			if item["id"] != "a" {
				t.Fatalf("%s: %v", tt.name, item)
			}
			delete(item, "id")
			sameJSON(t, tt.name+" batch"+q, item, want)
			if e := results[1].(map[string]any); e["id"] != "b" || e["code"] != CodeMalformedBase64 || e["indication"] != nil {
				t.Errorf("%s: a malformed item in a summary batch: %v", tt.name, e)
			}
		}
		// detail=full, like no detail, is the whole result.
		body, ct := multipartOf(t, [2]string{"signature", string(tt.in.Signature)}, [2]string{"content", string(tt.in.Content)})
		r := ts.do(t, "POST", "/v1/verify?detail=full", body, withHeader("Content-Type", ct))
		sameJSON(t, tt.name+" detail=full", r.json(t), full)
	}
	for _, q := range []string{"?detail=", "?detail=short", "?detail=summary&detail=summary", "?detail=SUMMARY"} {
		for _, path := range []string{"/v1/verify", "/v1/verify/batch"} {
			r := ts.do(t, "POST", path+q, f.attached)
			if r.status != 400 || r.errorCode(t) != CodeBadQuery {
				t.Errorf("%s%s: %d %s", path, q, r.status, r.body)
			}
		}
	}
}

func TestVerifyErrors(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{MaxBodyBytes: 256 << 10, MaxItemBytes: 128 << 10})
	gz := func(b []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	zs := func(b []byte) []byte {
		// A streamed frame does not declare its size: the decoder must
		// stop at the limit by itself.
		var buf bytes.Buffer
		w, _ := zstd.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	zsAll := func(b []byte) []byte {
		e, _ := zstd.NewWriter(nil)
		return e.EncodeAll(b, nil)
	}
	bomb := make([]byte, 64<<20) // 64 MiB of zeros: compresses to a few KiB
	tests := []struct {
		name   string
		body   []byte
		opts   []reqOpt
		status int
		code   string
	}{
		{"empty body", nil, nil, 400, CodeEmptyBody},
		{"body over the item limit", make([]byte, 200<<10), nil, 413, CodeItemTooLarge},
		{"unknown encoding", f.attached, []reqOpt{withHeader("Content-Encoding", "br")}, 415, CodeUnsupportedMedia},
		{"two encodings", f.attached, []reqOpt{withHeader("Content-Encoding", "gzip, zstd")}, 415, CodeUnsupportedMedia},
		{"corrupt gzip", []byte("\x1f\x8b\x08\x00garbage"), []reqOpt{withHeader("Content-Encoding", "gzip")}, 400, CodeMalformedEncoding},
		{"truncated gzip", gz(f.attached)[:100], []reqOpt{withHeader("Content-Encoding", "gzip")}, 400, CodeMalformedEncoding},
		{"corrupt zstd", []byte("\x28\xb5\x2f\xfdgarbage"), []reqOpt{withHeader("Content-Encoding", "zstd")}, 400, CodeMalformedEncoding},
		{"gzip bomb", gz(bomb), []reqOpt{withHeader("Content-Encoding", "gzip")}, 413, CodeBodyTooLarge},
		{"zstd bomb, streamed", zs(bomb), []reqOpt{withHeader("Content-Encoding", "zstd")}, 413, CodeBodyTooLarge},
		{"zstd bomb, sized", zsAll(bomb), []reqOpt{withHeader("Content-Encoding", "zstd")}, 413, CodeBodyTooLarge},
		{"gzip ok", gz(f.attached), []reqOpt{withHeader("Content-Encoding", "gzip")}, 200, ""},
		{"x-gzip ok", gz(f.attached), []reqOpt{withHeader("Content-Encoding", "x-gzip")}, 200, ""},
		{"zstd ok", zs(f.attached), []reqOpt{withHeader("Content-Encoding", "ZSTD")}, 200, ""},
		{"identity ok", f.attached, []reqOpt{withHeader("Content-Encoding", "identity")}, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ts.do(t, "POST", "/v1/verify", tt.body, tt.opts...)
			if r.status != tt.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, tt.status, r.body)
			}
			if tt.code != "" {
				if code := r.errorCode(t); code != tt.code {
					t.Errorf("code %q, want %q", code, tt.code)
				}
			} else if ind := r.json(t)["indication"]; ind != "TOTAL_PASSED" {
				t.Errorf("indication %v", ind)
			}
		})
	}
}

// Responses are compressed as Accept-Encoding allows, and every encoding
// carries the same result.
func TestResponseCompression(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{})
	want := f.libraryJSON(t, gostsig.Input{Signature: f.attached})
	zdec, _ := zstd.NewReader(nil)
	defer zdec.Close()
	tests := []struct{ accept, enc string }{
		{"", ""},
		{"gzip", "gzip"},
		{"zstd", "zstd"},
		{"gzip, deflate, br, zstd", "zstd"},
		{"zstd;q=0.5, gzip;q=0.9", "gzip"},
		{"zstd;q=0, gzip", "gzip"},
		{"gzip;q=0", ""},
		{"br", ""},
		{"*", "gzip"},
		{"identity", ""},
	}
	for _, tt := range tests {
		for _, route := range []string{"/v1/verify", "/v1/verify/batch"} {
			body := f.attached
			if route == "/v1/verify/batch" {
				body = batchBody(t, map[string]any{"id": "x", "signature": b64(f.attached)})
			}
			var opts []reqOpt
			if tt.accept != "" {
				opts = append(opts, withHeader("Accept-Encoding", tt.accept))
			}
			r := ts.do(t, "POST", route, body, opts...)
			if r.status != 200 {
				t.Fatalf("%s %q: %d %s", route, tt.accept, r.status, r.body)
			}
			if got := r.header["content-encoding"]; got != tt.enc {
				t.Errorf("%s Accept-Encoding %q: Content-Encoding %q, want %q", route, tt.accept, got, tt.enc)
			}
			if r.header["vary"] != "Accept-Encoding" {
				t.Errorf("%s: Vary %q", route, r.header["vary"])
			}
			plain := r.body
			switch tt.enc {
			case "gzip":
				zr, err := gzip.NewReader(bytes.NewReader(r.body))
				if err != nil {
					t.Fatal(err)
				}
				var buf bytes.Buffer
				if _, err := buf.ReadFrom(zr); err != nil {
					t.Fatal(err)
				}
				plain = buf.Bytes()
			case "zstd":
				var err error
				if plain, err = zdec.DecodeAll(r.body, nil); err != nil {
					t.Fatal(err)
				}
			}
			r.body = plain
			got := r.json(t)
			if route == "/v1/verify/batch" {
				got = got["results"].([]any)[0].(map[string]any)
				if got["id"] != "x" {
					t.Errorf("batch id %v", got["id"])
				}
				delete(got, "id")
			}
			sameJSON(t, fmt.Sprintf("%s %q", route, tt.accept), got, want)
		}
	}
	// Small bodies are not worth compressing.
	r := ts.do(t, "GET", "/healthz", nil, withHeader("Accept-Encoding", "gzip, zstd"))
	if r.header["content-encoding"] != "" {
		t.Errorf("healthz compressed: %q", r.header["content-encoding"])
	}
	r = ts.do(t, "GET", "/metrics", nil, withHeader("Accept-Encoding", "gzip"))
	if r.header["content-encoding"] != "gzip" {
		t.Errorf("metrics not gzipped: %q", r.header["content-encoding"])
	}
}

func TestAcceptedEncoding(t *testing.T) {
	f := func(h string, want encoding) {
		t.Helper()
		if got := acceptedEncoding([]byte(h)); got != want {
			t.Errorf("acceptedEncoding(%q) = %d, want %d", h, got, want)
		}
	}
	f("", encIdentity)
	f("gzip", encGzip)
	f("GZIP", encGzip)
	f("zstd", encZstd)
	f("gzip;q=1.0, zstd;q=0.999", encGzip)
	f("gzip;q=0.5, zstd;q=0.5", encZstd)
	f("zstd;q=0.", encIdentity)
	f("zstd;q=2", encIdentity) // out of range: refused
	f("zstd;q=abc, gzip", encGzip)
	f(" gzip ; q=0.1 ", encGzip)
	f("*;q=0", encIdentity)
	f("zstd;q=0, *", encGzip)
	f(",,,", encIdentity)
}

// SMEV attachments reach the verifier as the CLI's --attachment gives
// them (QA2 F10): multipart "attachment" parts named by their filename,
// or a batch item's "attachments". The MTOM sample's RefAttachmentHeader
// and AttachmentHeader sign ref.bin and scan.pdf; a substituted one is
// HASH_FAILURE, missing MTOM parts INDETERMINATE, exactly as the library
// says on the same input.
func TestVerifySMEVAttachments(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "gostsig", "testdata", "smev-mtom", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	msg := read("smev3_mtom_attachments_256.xml")
	cfg := gostsig.Config{Roots: [][]byte{read("person256.pem"), read("system256.pem")}, Offline: true,
		Clock: func() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) }} // the certificates were issued on 22.11.2026
	v, err := gostsig.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := newTestServer(t, Options{MaxItemBytes: 64 << 10})
	ts.SetVerifier(v, Trust{})
	lib, err := gostsig.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer lib.Close()

	signed := [][2]string{ // id, content
		{"scan.pdf.sig@gostsig", string(read("scan.pdf.p7s"))},
		{"scan.pdf@gostsig", string(read("scan.pdf"))},
		{"0f0e0d0c-0b0a-0908-0706-050403020100", string(read("ref.bin"))},
	}
	changedRef := slices.Clone(signed)
	changedRef[2][1] = "не тот файл, который был подписан"
	tests := []struct {
		name string
		atts [][2]string
		ind  string
		sub  string
	}{
		{"as signed", signed, "TOTAL_PASSED", ""},
		{"referenced attachment substituted", changedRef, "TOTAL_FAILED", "HASH_FAILURE"},
		{"MTOM parts missing", nil, "INDETERMINATE", "SIGNED_DATA_NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := gostsig.Input{Signature: msg}
			if tt.atts != nil {
				in.Attachments = map[string][]byte{}
			}
			var parts bytes.Buffer
			w := multipart.NewWriter(&parts)
			fw, _ := w.CreateFormFile("signature", "message.xml")
			fw.Write(msg)
			var items []map[string]any
			for _, a := range tt.atts {
				in.Attachments[a[0]] = []byte(a[1])
				fw, _ := w.CreateFormFile("attachment", a[0])
				fw.Write([]byte(a[1]))
				items = append(items, map[string]any{"id": a[0], "content": b64([]byte(a[1]))})
			}
			w.Close()
			res, err := lib.Verify(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Indication.String() + "/" + res.SubIndication.String(); got != tt.ind+"/"+tt.sub {
				t.Fatalf("the library says %s, want %s/%s: the sample no longer shows the case", got, tt.ind, tt.sub)
			}
			jb, _ := json.Marshal(res)
			var want map[string]any
			json.Unmarshal(jb, &want)

			r := ts.do(t, "POST", "/v1/verify", parts.Bytes(), withHeader("Content-Type", w.FormDataContentType()))
			if r.status != 200 {
				t.Fatalf("multipart: %d %s", r.status, r.body)
			}
			sameJSON(t, "multipart", r.json(t), want)

			item := map[string]any{"id": "msg", "signature": b64(msg)}
			if items != nil {
				item["attachments"] = items
			}
			got := ts.do(t, "POST", "/v1/verify/batch", batchBody(t, item)).batch(t).Results[0]
			delete(got, "id")
			sameJSON(t, "batch", got, want)
		})
	}

	// Malformed attachment parts.
	sig := [2]string{"signature", string(msg)}
	for _, tt := range []struct {
		name   string
		parts  [][2]string // name, filename; content "x"
		status int
		code   string
	}{
		{"no filename", [][2]string{{"attachment", ""}}, 400, CodeInvalidInput},
		{"id twice", [][2]string{{"attachment", "a"}, {"attachment", "a"}}, 400, CodeInvalidInput},
		{"long id", [][2]string{{"attachment", strings.Repeat("a", maxIDBytes+1)}}, 400, CodeInvalidInput},
	} {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		fw, _ := w.CreateFormFile(sig[0], "m.xml")
		fw.Write([]byte(sig[1]))
		for _, p := range tt.parts {
			h := textproto.MIMEHeader{}
			h.Set("Content-Disposition", mime.FormatMediaType("form-data", map[string]string{"name": p[0], "filename": p[1]}))
			pw, _ := w.CreatePart(h)
			pw.Write([]byte("x"))
		}
		w.Close()
		r := ts.do(t, "POST", "/v1/verify", body.Bytes(), withHeader("Content-Type", w.FormDataContentType()))
		if r.status != tt.status || r.errorCode(t) != tt.code {
			t.Errorf("%s: %d %s, want %d %s", tt.name, r.status, r.body, tt.status, tt.code)
		}
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("signature", "m.xml")
	fw.Write(msg)
	for i := range maxAttachments + 1 {
		fw, _ := w.CreateFormFile("attachment", fmt.Sprintf("a%d/x", i))
		fw.Write([]byte("x"))
	}
	w.Close()
	r := ts.do(t, "POST", "/v1/verify", body.Bytes(), withHeader("Content-Type", w.FormDataContentType()))
	if r.status != 413 || r.errorCode(t) != CodeItemTooLarge {
		t.Errorf("%d attachments: %d %s", maxAttachments+1, r.status, r.body)
	}
}

// parseAt takes what `gostsig verify --at` takes (RFC 3339, "t" and "z"
// in either case) and a space where a query string turned the offset's
// "+" into one.
func TestParseAt(t *testing.T) {
	want := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, s := range []string{"2026-01-02T03:04:05Z", "2026-01-02t03:04:05z", "2026-01-02T06:04:05+03:00",
		"2026-01-02T06:04:05 03:00", "2026-01-02t06:04:05 03:00", "2026-01-02T03:04:05 00:00"} {
		got, err := parseAt([]byte(s))
		if err != nil || !got.Equal(want) {
			t.Errorf("%q: %v %v, want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", " ", "2026-01-02 03:04:05Z", "2026-01-02T03:04:05", "2026-01-02T03:04:05 0300",
		"2026-01-02T03:04:05Z 03:00", "2026-01-02ſ03:04:05Z", "2026-01-02T03:04:05 -03:00", "2026-01-02T03:04:05  3:00"} {
		if got, err := parseAt([]byte(s)); err == nil {
			t.Errorf("%q: accepted as %v", s, got)
		}
	}
}

// An attachment's id is its part's filename whole: an id is not a path.
func TestAttachmentID(t *testing.T) {
	for _, id := range []string{"scan.pdf@gostsig", "dir/scan.pdf", `C:\x\скан.pdf`, "0f0e0d0c-0b0a-0908-0706-050403020100"} {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		w.CreateFormFile("attachment", id)
		w.Close()
		p, err := multipart.NewReader(&body, w.Boundary()).NextPart()
		if err != nil {
			t.Fatal(err)
		}
		if got, err := attachmentID(p); got != id || err != nil {
			t.Errorf("%q: %q %v", id, got, err)
		}
	}
}
