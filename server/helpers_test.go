package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"math/big"
	"mime/multipart"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	"gostsig.dev/gostsig"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// Tests never read the wall clock for verdicts: the verifier's clock is
// refTime, and requests that need another time say so with ?at=.
var refTime = testkit.RefTime

// fixture is a test PKI with signatures made on it, built once.
type fixture struct {
	pki      *testkit.PKI
	roots    [][]byte
	inter    [][]byte
	crls     [][]byte
	content  []byte
	attached []byte // CAdES-BES with the content inside
	detached []byte // CAdES-BES of content, detached
	changed  []byte // content with one byte changed
}

var (
	fixOnce sync.Once
	fixVal  *fixture
)

func testFixture(t testing.TB) *fixture {
	t.Helper()
	fixOnce.Do(func() {
		p := testkit.MustPKI("server/test")
		f := &fixture{pki: p, content: []byte("Документ для проверки подписи сервером.\n")}
		f.roots = [][]byte{p.Root.DER}
		f.inter = [][]byte{p.CA.DER}
		for _, issuer := range []*testkit.Certificate{p.Root, p.CA} {
			der, err := testkit.NewCRL(&testkit.CRLTemplate{
				ThisUpdate: refTime.Add(-24 * time.Hour),
				NextUpdate: refTime.Add(7 * 24 * time.Hour),
				Number:     big.NewInt(7),
			}, issuer)
			if err != nil {
				panic(err)
			}
			f.crls = append(f.crls, der)
		}
		signer := testkit.SignerSpec{Cert: p.Leaf, SigningTime: refTime.Add(-time.Hour), SigningCertV2: true, SigningCertHashOID: oid.Streebog256}
		f.attached = testkit.MustSignedData(&testkit.SignedDataSpec{Content: f.content, Signers: []testkit.SignerSpec{signer}})
		f.detached = testkit.MustSignedData(&testkit.SignedDataSpec{Content: f.content, Detached: true, Signers: []testkit.SignerSpec{signer}})
		f.changed = bytes.Clone(f.content)
		f.changed[0] ^= 1
		fixVal = f
	})
	return fixVal
}

func (f *fixture) config() gostsig.Config {
	return gostsig.Config{
		Roots: f.roots, Intermediates: f.inter, CRLs: f.crls,
		Offline: true, Clock: func() time.Time { return refTime },
	}
}

func (f *fixture) verifier(t testing.TB) *gostsig.Verifier {
	t.Helper()
	v, err := gostsig.New(f.config())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// libraryJSON is the library's own verdict on in, encoded as the server
// encodes it: the server must return exactly this.
func (f *fixture) libraryJSON(t testing.TB, in gostsig.Input) map[string]any {
	t.Helper()
	v := f.verifier(t)
	defer v.Close()
	res, err := v.Verify(context.Background(), in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// Magic signatures the fake engine acts on.
var (
	sigStuck = []byte("TEST-STUCK") // blocks until released, ignoring ctx
	sigSlow  = []byte("TEST-SLOW")  // blocks until ctx is done
	sigPanic = []byte("TEST-PANIC") // panics
	sigError = []byte("TEST-ERROR") // an error that is no verdict
)

// fakeEngine wraps a real Verifier and misbehaves on the magic inputs.
type fakeEngine struct {
	v       *gostsig.Verifier
	release chan struct{} // closed to let stuck items go
	started chan struct{} // one value per stuck/slow item started
	closed  atomic.Bool
	calls   atomic.Int64
}

func newFakeEngine(v *gostsig.Verifier) *fakeEngine {
	return &fakeEngine{v: v, release: make(chan struct{}), started: make(chan struct{}, 100)}
}

func (e *fakeEngine) Verify(ctx context.Context, in gostsig.Input) (*gostsig.Result, error) {
	e.calls.Add(1)
	switch {
	case bytes.Equal(in.Signature, sigStuck):
		e.started <- struct{}{}
		<-e.release
	case bytes.Equal(in.Signature, sigSlow):
		e.started <- struct{}{}
		<-ctx.Done()
		return nil, ctx.Err()
	case bytes.Equal(in.Signature, sigPanic):
		panic("test panic")
	case bytes.Equal(in.Signature, sigError):
		return nil, errTestEngine
	}
	return e.v.Verify(ctx, in)
}

var errTestEngine = &testEngineError{}

type testEngineError struct{}

func (*testEngineError) Error() string { return "test engine failure" }

func (e *fakeEngine) Stats() gostsig.Stats { return e.v.Stats() }

func (e *fakeEngine) Close() {
	if e.closed.Swap(true) {
		panic("engine closed twice")
	}
	e.v.Close()
}

// testServer is a Server on an in-memory listener with a client.
type testServer struct {
	*Server
	ln     *fasthttputil.InmemoryListener
	client *fasthttp.Client
	eng    *fakeEngine
	logs   *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func newTestServer(t testing.TB, opts Options) *testServer {
	t.Helper()
	f := testFixture(t)
	ts := &testServer{logs: &syncBuffer{}}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewJSONHandler(ts.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	s, err := New(nil, Trust{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	ts.Server = s
	ts.eng = newFakeEngine(f.verifier(t))
	s.setEngine(ts.eng, Trust{Roots: 1, LoadedAt: refTime})
	ts.ln = fasthttputil.NewInmemoryListener()
	go s.Serve(ts.ln)
	ts.client = &fasthttp.Client{
		Dial:                func(string) (net.Conn, error) { return ts.ln.Dial() },
		MaxResponseBodySize: 64 << 20,
	}
	t.Cleanup(func() {
		select {
		case <-ts.eng.release:
		default:
			close(ts.eng.release)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(ctx)
		s.Close()
	})
	return ts
}

// reply is a response copied out of fasthttp.
type reply struct {
	status int
	header map[string]string
	body   []byte
}

func (r *reply) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, r.body)
	}
	return m
}

// errorCode checks the JSON error body and returns its code.
func (r *reply) errorCode(t testing.TB) string {
	t.Helper()
	m := r.json(t)
	msg, _ := m["error"].(string)
	code, _ := m["code"].(string)
	if msg == "" || code == "" || len(m) != 2 {
		t.Fatalf("not a JSON error body: %s", r.body)
	}
	return code
}

type reqOpt func(*fasthttp.Request)

func withHeader(k, v string) reqOpt { return func(r *fasthttp.Request) { r.Header.Set(k, v) } }

func (ts *testServer) do(t testing.TB, method, uri string, body []byte, opts ...reqOpt) *reply {
	t.Helper()
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.SetRequestURI("http://gostsig.test" + uri)
	req.Header.SetMethod(method)
	if body != nil {
		req.SetBody(body)
	}
	for _, o := range opts {
		o(req)
	}
	if err := ts.client.DoTimeout(req, resp, 30*time.Second); err != nil {
		t.Fatalf("%s %s: %v", method, uri, err)
	}
	r := &reply{status: resp.StatusCode(), header: map[string]string{}, body: bytes.Clone(resp.Body())}
	for k, v := range resp.Header.All() {
		r.header[strings.ToLower(string(k))] = string(v)
	}
	return r
}

func multipartOf(t testing.TB, parts ...[2]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, p := range parts {
		fw, err := w.CreateFormFile(p[0], p[0]+".bin")
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(p[1]))
	}
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// batchBody builds a batch request from items given as maps.
func batchBody(t testing.TB, items ...map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"items": items})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sameJSON compares a decoded server result to the library's.
func sameJSON(t testing.TB, what string, got, want map[string]any) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("%s: the server's result differs from the library's\n got: %s\nwant: %s", what, g, w)
	}
}
