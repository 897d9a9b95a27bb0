package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
)

// tcpServer runs a Server on a real listener on 127.0.0.1.
func tcpServer(t *testing.T, opts Options) (*Server, string) {
	t.Helper()
	f := testFixture(t)
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s, err := New(f.verifier(t), Trust{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
		s.Close()
	})
	return s, ln.Addr().String()
}

// The whole API over TCP with the standard library's client, which sends
// chunked bodies when it does not know their length.
func TestE2EOverTCP(t *testing.T) {
	f := testFixture(t)
	_, addr := tcpServer(t, Options{})
	base := "http://" + addr
	client := &http.Client{Timeout: 30 * time.Second}
	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, b
	}
	for _, p := range []string{"/healthz", "/readyz", "/metrics", "/openapi.json"} {
		if resp, b := get(p); resp.StatusCode != 200 {
			t.Errorf("GET %s: %d %s", p, resp.StatusCode, b)
		}
	}
	post := func(path, ct string, body io.Reader, hdr ...string) (int, map[string]any) {
		t.Helper()
		req, _ := http.NewRequest("POST", base+path, body)
		req.Header.Set("Content-Type", ct)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		resp, err := client.Do(req) // transparent gzip: Accept-Encoding: gzip
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
			t.Fatalf("POST %s: %d, body not JSON: %v", path, resp.StatusCode, err)
		}
		return resp.StatusCode, m
	}
	// Chunked: io.MultiReader hides the length.
	st, m := post("/v1/verify?at=2025-06-01T12:00:00Z", "application/pkcs7-signature", io.MultiReader(bytes.NewReader(f.attached)))
	if st != 200 || m["indication"] != "TOTAL_PASSED" {
		t.Errorf("chunked verify: %d %v", st, m)
	}
	body, ct := multipartOf(t, [2]string{"signature", string(f.detached)}, [2]string{"content", string(f.changed)})
	st, m = post("/v1/verify", ct, bytes.NewReader(body))
	if st != 200 || m["subindication"] != "HASH_FAILURE" {
		t.Errorf("multipart verify: %d %v", st, m)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(batchBody(t, map[string]any{"id": "1", "signature": b64(f.attached)}, map[string]any{"id": "2", "signature": b64(f.detached), "content": b64(f.content)}))
	zw.Close()
	st, m = post("/v1/verify/batch", "application/json", &gz, "Content-Encoding", "gzip")
	res, _ := m["results"].([]any)
	if st != 200 || len(res) != 2 {
		t.Fatalf("gzip batch: %d %v", st, m)
	}
	for i, r := range res {
		if r.(map[string]any)["indication"] != "TOTAL_PASSED" {
			t.Errorf("gzip batch item %d: %v", i, r)
		}
	}
	st, m = post("/v1/verify/batch", "application/json", strings.NewReader(`{"items":[{"signature":"%%%"}]}`))
	if res, _ := m["results"].([]any); st != 200 || len(res) != 1 || res[0].(map[string]any)["code"] != CodeMalformedBase64 {
		t.Errorf("malformed base64: %d %v", st, m)
	}
	st, m = post("/v1/verify/batch", "application/json", strings.NewReader(`{"items":[{"signature":5}]}`))
	if st != 400 || m["code"] != CodeMalformedJSON {
		t.Errorf("malformed JSON: %d %v", st, m)
	}
}

// rawExchange writes req on a fresh connection and reads one response.
func rawExchange(t *testing.T, addr, req string) (*http.Response, string) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(20 * time.Second))
	// The server may answer and close before it has read the whole
	// request (a body over the limit): the write then fails with a reset,
	// but the answer is already on its way, so read it all the same.
	wrote := make(chan error, 1)
	go func() { _, err := io.WriteString(c, req); wrote <- err }()
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("%v (writing the request: %v)", err, <-wrote)
	}
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func errorCodeOf(t *testing.T, body string) string {
	t.Helper()
	var m struct{ Error, Code string }
	if err := json.Unmarshal([]byte(body), &m); err != nil || m.Error == "" {
		t.Fatalf("not a JSON error: %q", body)
	}
	return m.Code
}

// Limits enforced from the header, before the body is read.
func TestE2ELimits(t *testing.T) {
	_, addr := tcpServer(t, Options{MaxBodyBytes: 1 << 20})
	for _, path := range []string{"/v1/verify", "/v1/verify/batch"} {
		resp, body := rawExchange(t, addr, "POST "+path+" HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n")
		if resp.StatusCode != 413 || errorCodeOf(t, body) != CodeBodyTooLarge {
			t.Errorf("%s oversize: %d %s", path, resp.StatusCode, body)
		}
	}
	resp, body := rawExchange(t, addr, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: "+strings.Repeat("p", maxHeaderBytes)+"\r\n\r\n")
	if resp.StatusCode != 431 || errorCodeOf(t, body) != CodeHeaderTooLarge {
		t.Errorf("big header: %d %s", resp.StatusCode, body)
	}
	resp, body = rawExchange(t, addr, "BREW /coffee HTCPCP/1.0 and nonsense\r\n\r\n")
	if resp.StatusCode != 400 || errorCodeOf(t, body) != CodeMalformedHTTP {
		t.Errorf("malformed request: %d %s", resp.StatusCode, body)
	}
}

// Slowloris: a client that trickles its header or body is cut off at the
// read timeout, and other clients are served meanwhile.
func TestE2ESlowClients(t *testing.T) {
	f := testFixture(t)
	const readTimeout = 300 * time.Millisecond
	_, addr := tcpServer(t, Options{ReadTimeout: readTimeout, IdleTimeout: readTimeout})
	// cutOff reports whether the server closes c while the client trickles
	// bytes; the test's own deadline is far above the server's timeout.
	cutOff := func(c net.Conn, prefix string, trickle byte) error {
		defer c.Close()
		if _, err := io.WriteString(c, prefix); err != nil {
			return err
		}
		stop := make(chan struct{})
		defer close(stop)
		go func() {
			for {
				select {
				case <-stop:
					return
				case <-time.After(50 * time.Millisecond):
					if _, err := c.Write([]byte{trickle}); err != nil {
						return
					}
				}
			}
		}()
		c.SetReadDeadline(time.Now().Add(15 * time.Second))
		_, err := io.Copy(io.Discard, c)
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return errors.New("connection still open after 15 s")
		}
		return nil // EOF or reset: the server hung up
	}
	slowDone := make(chan error, 20)
	for i := range 20 {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		prefix := "POST /v1/verify HTTP/1.1\r\nHost: x\r\nX-Slow: " // a header that never ends
		trickle := byte('a')
		if i%2 == 1 {
			prefix = "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" // a body that never ends
			trickle = 0
		}
		go func() { slowDone <- cutOff(c, prefix, trickle) }()
	}
	// Others are served while the slow ones hang on.
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	req := "POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: " + itoa(len(f.attached)) + "\r\n\r\n" + string(f.attached)
	c.SetDeadline(time.Now().Add(20 * time.Second))
	io.WriteString(c, req)
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("a normal client during the slow ones: %v %v", resp, err)
	}
	io.Copy(io.Discard, resp.Body)
	// The idle keep-alive connection is closed at the idle timeout.
	c.SetReadDeadline(time.Now().Add(15 * time.Second))
	if _, err := br.ReadByte(); !errors.Is(err, io.EOF) {
		t.Errorf("idle keep-alive connection: %v, want EOF", err)
	}
	c.Close()
	for i := range 20 {
		if err := <-slowDone; err != nil {
			t.Errorf("slow client %d: %v", i, err)
		}
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
