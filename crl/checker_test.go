package crl

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is the injected time source; tests never read the wall clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (f *fakeClock) Now() time.Time  { f.mu.Lock(); defer f.mu.Unlock(); return f.t }
func (f *fakeClock) Set(t time.Time) { f.mu.Lock(); f.t = t; f.mu.Unlock() }

// crlServer is a local HTTP server on 127.0.0.1 that serves, delays, fails
// and truncates CRLs and answers OCSP with canned responses.
type crlServer struct {
	*httptest.Server
	mu       sync.Mutex
	files    map[string][]byte
	mode     map[string]string // path → "" | "fail" | "truncate" | "delay" | "huge"
	hits     map[string]*atomic.Int64
	condHits atomic.Int64 // requests that carried If-None-Match
	delay    time.Duration
	ocsp     []byte
}

func newCRLServer(t *testing.T) *crlServer {
	s := &crlServer{files: map[string][]byte{}, mode: map[string]string{}, hits: map[string]*atomic.Int64{}}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *crlServer) set(path string, body []byte, mode string) {
	s.mu.Lock()
	s.files[path], s.mode[path] = body, mode
	s.mu.Unlock()
}

func (s *crlServer) count(path string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h := s.hits[path]; h != nil {
		return h.Load()
	}
	return 0
}

func (s *crlServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	h := s.hits[r.URL.Path]
	if h == nil {
		h = new(atomic.Int64)
		s.hits[r.URL.Path] = h
	}
	body, mode, delay, ocsp := s.files[r.URL.Path], s.mode[r.URL.Path], s.delay, s.ocsp
	s.mu.Unlock()
	h.Add(1)
	if r.URL.Path == "/ocsp" && r.Method == http.MethodPost {
		if r.Header.Get("Content-Type") != "application/ocsp-request" {
			http.Error(w, "bad type", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/ocsp-response")
		w.Write(ocsp)
		return
	}
	if body == nil {
		http.NotFound(w, r)
		return
	}
	switch mode {
	case "fail":
		http.Error(w, "boom", http.StatusInternalServerError)
		return
	case "delay":
		select {
		case <-r.Context().Done():
			return
		case <-time.After(delay):
		}
	}
	etag := `"` + strconv.Itoa(len(body)) + "-" + strconv.Itoa(int(body[len(body)-1])) + `"`
	if r.Header.Get("If-None-Match") != "" {
		s.condHits.Add(1)
		if r.Header.Get("If-None-Match") == etag {
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("ETag", etag)
	switch mode {
	case "truncate":
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body[:len(body)/2])
		if hj, ok := w.(http.Hijacker); ok {
			conn, _, _ := hj.Hijack()
			conn.Close()
		}
	default:
		w.Write(body)
	}
}

// client dials the test server whatever host the URL names, so that the
// fixtures' distribution points (http://127.0.0.1/…) reach it.
func (s *crlServer) client() *http.Client {
	addr := s.Listener.Addr().String()
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, addr)
		},
	}}
}

type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) { l.mu.Lock(); defer l.mu.Unlock(); return l.b.Write(p) }
func (l *logBuf) String() string              { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

type env struct {
	srv   *crlServer
	clock *fakeClock
	logs  *logBuf
	dir   string
}

func newEnv(t *testing.T, now string) *env {
	e := &env{srv: newCRLServer(t), clock: &fakeClock{t: date(now)}, logs: &logBuf{}, dir: t.TempDir()}
	e.srv.set("/ca.crl", fixture(t, "feb.crl"), "")
	e.srv.set("/delta.crl", fixture(t, "delta.crl"), "")
	return e
}

// logger writes text records without the wall-clock time attribute.
func (e *env) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}))
}

func (e *env) checker(t *testing.T, mod func(*Options)) *Checker {
	t.Helper()
	opts := Options{
		CacheDir: e.dir,
		Clock:    e.clock.Now,
		Logger:   e.logger(),
		Fetcher:  &Fetcher{Client: e.srv.client(), Timeout: 2 * time.Second, Clock: e.clock.Now, Logger: e.logger()},
	}
	if mod != nil {
		mod(&opts)
	}
	c, err := NewChecker(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

func (e *env) query(t *testing.T, leaf string) Query {
	return Query{Cert: pkiCert(t, leaf), Issuer: pkiCert(t, "ca"), At: e.clock.Now()}
}

func TestCheckerFetchCacheRestart(t *testing.T) {
	e := newEnv(t, "2025-02-12T12:00:00Z")
	ctx := context.Background()
	c := e.checker(t, nil)

	r := c.Status(ctx, e.query(t, "hold"), nil, nil)
	if r.Status != Good || len(r.Evidence) != 2 || r.Evidence[0].URL != "http://127.0.0.1/ca.crl" || r.Evidence[1].URL != "http://127.0.0.1/delta.crl" {
		t.Fatalf("hold after removeFromCRL: %+v", r)
	}
	if r := c.Status(ctx, e.query(t, "late"), nil, nil); r.Status != Revoked || r.Reason != ReasonSuperseded {
		t.Fatalf("late: %+v", r)
	}
	if r := c.Status(ctx, e.query(t, "good"), nil, nil); r.Status != Good {
		t.Fatalf("good: %+v", r)
	}
	if n, d := e.srv.count("/ca.crl"), e.srv.count("/delta.crl"); n != 1 || d != 1 {
		t.Fatalf("fetched base %d, delta %d times; want once each", n, d)
	}
	if logs := e.logs.String(); strings.Count(logs, "msg=\"crl fetch\"") != 2 || !strings.Contains(logs, "outcome=fetched") {
		t.Errorf("fetches not logged:\n%s", logs)
	}

	// A restart reads the disk cache and fetches nothing.
	c2 := e.checker(t, nil)
	if r := c2.Status(ctx, e.query(t, "revoked"), nil, nil); r.Status != Revoked || r.Reason != ReasonKeyCompromise {
		t.Fatalf("after restart: %+v", r)
	}
	if n := e.srv.count("/ca.crl"); n != 1 {
		t.Fatalf("restart refetched (%d fetches)", n)
	}

	// A corrupt file is discarded and refetched, never trusted.
	entries, _, err := c2.Disk().List()
	if err != nil || len(entries) != 2 {
		t.Fatalf("disk entries %v %v", entries, err)
	}
	p := c2.Disk().path(cacheKey(KeyID(pkiCert(t, "ca")), "http://127.0.0.1/ca.crl"))
	b, _ := os.ReadFile(p)
	b[len(b)/2] ^= 0xff
	os.WriteFile(p, b, 0o600)
	c3 := e.checker(t, nil)
	if r := c3.Status(ctx, e.query(t, "good"), nil, nil); r.Status != Good {
		t.Fatalf("after corruption: %+v", r)
	}
	if n := e.srv.count("/ca.crl"); n != 2 {
		t.Fatalf("corrupt entry not refetched (%d fetches)", n)
	}
	if !strings.Contains(e.logs.String(), "outcome=discarded") {
		t.Error("discarded entry not logged")
	}

	// Past the delta's nextUpdate the delta is fetched again, conditionally.
	e.clock.Set(date("2025-02-17T00:00:01Z"))
	c3.Status(ctx, e.query(t, "good"), nil, nil)
	if e.srv.condHits.Load() == 0 || !strings.Contains(e.logs.String(), "outcome=not-modified") {
		t.Error("no conditional GET for the expired delta")
	}
}

func TestCheckerRejectsBadCRLs(t *testing.T) {
	tampered := bytes.Clone(fixture(t, "feb.crl"))
	tampered[len(tampered)-10] ^= 1
	for _, tc := range []struct {
		name string
		body []byte
		mode string
		max  int64
		want Kind
	}{
		{"expired", fixture(t, "jan.crl"), "", 0, KindExpired},
		{"future-dated", fixture(t, "mar.crl"), "", 0, KindNotYetValid},
		{"wrongly signed", tampered, "", 0, KindBadSignature},
		{"other issuer", fixture(t, "ca512.crl"), "", 0, KindIssuerMismatch},
		{"truncated", fixture(t, "feb.crl"), "truncate", 0, KindFetch},
		{"oversized", fixture(t, "feb.crl"), "", 100, KindTooLarge},
		{"server error", fixture(t, "feb.crl"), "fail", 0, KindFetch},
		{"garbage", []byte("<html>not a CRL</html>"), "", 0, KindMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, "2025-02-12T12:00:00Z")
			e.srv.set("/ca.crl", tc.body, tc.mode)
			c := e.checker(t, func(o *Options) { o.Fetcher.MaxSize = tc.max })
			_, err := c.CRL(context.Background(), pkiCert(t, "ca"), "http://127.0.0.1/ca.crl")
			if KindOf(err) != tc.want {
				t.Fatalf("got %v (%v), want %v", KindOf(err), err, tc.want)
			}
			// Nothing was cached, in memory or on disk.
			if entries, _, _ := c.Disk().List(); len(entries) != 0 {
				t.Errorf("rejected CRL cached: %+v", entries)
			}
			r := c.Status(context.Background(), e.query(t, "good"), nil, nil)
			if r.Status != Unknown || !r.TryLater() {
				t.Errorf("status %+v", r)
			}
			// The failure is remembered: no refetch within RetryAfter.
			before := e.srv.count("/ca.crl")
			c.CRL(context.Background(), pkiCert(t, "ca"), "http://127.0.0.1/ca.crl")
			if e.srv.count("/ca.crl") != before {
				t.Error("refetched within RetryAfter")
			}
		})
	}
}

// TestCheckerExpiredFetchProvesRevocation: a fetched CRL already past its
// nextUpdate proves nothing good, but the permanent revocation it lists
// stands (doc.go), so it is kept in memory as evidence — never on disk —
// and the URL is fetched again only after RetryAfter.
func TestCheckerExpiredFetchProvesRevocation(t *testing.T) {
	e := newEnv(t, "2025-02-12T12:00:00Z")
	e.srv.set("/ca.crl", fixture(t, "jan.crl"), "")
	c := e.checker(t, nil)
	r := c.Status(context.Background(), e.query(t, "revoked"), nil, nil)
	if r.Status != Revoked || r.Reason != ReasonKeyCompromise || !r.Stale || len(r.Evidence) != 1 || r.Evidence[0].URL != "http://127.0.0.1/ca.crl" {
		t.Fatalf("revoked certificate, only an expired CRL fetched: %+v", r)
	}
	if r := c.Status(context.Background(), e.query(t, "good"), nil, nil); r.Status != Unknown || !r.TryLater() {
		t.Errorf("good certificate, only an expired CRL: %+v", r)
	}
	entries, _, _ := c.Disk().List()
	for _, m := range entries {
		if m.URL == "http://127.0.0.1/ca.crl" {
			t.Errorf("expired CRL written to disk: %+v", m)
		}
	}
	if n := e.srv.count("/ca.crl"); n != 1 {
		t.Errorf("%d fetches within RetryAfter, want 1", n)
	}
	// Past RetryAfter the server answers "not modified": the CRL is no
	// fresher for it, so the URL backs off again rather than being asked
	// on every call.
	e.clock.Set(e.clock.Now().Add(2 * DefaultRetryAfter))
	for range 5 {
		if r := c.Status(context.Background(), e.query(t, "revoked"), nil, nil); r.Status != Revoked || !r.Stale {
			t.Fatalf("revoked certificate after a 304: %+v", r)
		}
	}
	if n, cond := e.srv.count("/ca.crl"), e.srv.condHits.Load(); n != 2 || cond != 1 {
		t.Errorf("%d fetches (%d conditional) over five calls past RetryAfter, want 2 (1)", n, cond)
	}
}

func TestCheckerRollback(t *testing.T) {
	e := newEnv(t, "2025-01-20T00:00:00Z")
	c := e.checker(t, nil)
	feb := &cacheEntry{crl: loadCRL(t, "feb.crl")}
	if err := c.accept(loadCRL(t, "jan.crl"), pkiCert(t, "ca"), "u", feb, e.clock.Now()); !errors.Is(err, ErrRollback) {
		t.Fatalf("older CRL over a newer one: %v", err)
	}
}

func TestCheckerStaleIfError(t *testing.T) {
	e := newEnv(t, "2025-02-20T00:00:00Z")
	ctx := context.Background()
	c := e.checker(t, func(o *Options) { o.Grace = 5 * 24 * time.Hour; o.Fetcher.Timeout = 200 * time.Millisecond })
	if r := c.Status(ctx, e.query(t, "good"), nil, nil); r.Status != Good || r.Stale {
		t.Fatalf("initial: %+v", r)
	}
	// feb.crl expires on 2025-03-01; the server now hangs.
	e.srv.delay = 10 * time.Second
	e.srv.set("/ca.crl", fixture(t, "feb.crl"), "delay")
	e.clock.Set(date("2025-03-02T00:00:00Z"))
	r := c.Status(ctx, e.query(t, "good"), nil, nil)
	if r.Status != Good || !r.Stale {
		t.Fatalf("stale-if-error: %+v", r)
	}
	if !strings.Contains(e.logs.String(), "outcome=error") {
		t.Errorf("timeout not logged:\n%s", e.logs.String())
	}
	// Past the grace: TRY_LATER.
	e.clock.Set(date("2025-03-07T00:00:00Z"))
	if r := c.Status(ctx, e.query(t, "good"), nil, nil); !r.TryLater() {
		t.Fatalf("past grace: %+v", r)
	}
	// Without grace the expired CRL never decides.
	e.clock.Set(date("2025-03-02T00:00:00Z"))
	strict := e.checker(t, func(o *Options) { o.Fetcher.Timeout = 200 * time.Millisecond })
	if r := strict.Status(ctx, e.query(t, "good"), nil, nil); !r.TryLater() {
		t.Fatalf("strict: %+v", r)
	}
}

// A CRL the checker fetched, now past its nextUpdate, still proves a
// permanent revocation — held in memory while the refetch fails, and read
// from the disk cache by an offline checker — but neither good standing nor
// a hold (POLICY.md "Revocation"). The evidence carries both digests of
// the DER that was fetched.
func TestCheckerStaleRevocation(t *testing.T) {
	e := newEnv(t, "2025-02-12T12:00:00Z")
	ctx := context.Background()
	c := e.checker(t, nil)
	if r := c.Status(ctx, e.query(t, "good"), nil, nil); r.Status != Good || r.Stale {
		t.Fatalf("initial: %+v", r)
	}
	feb, delta := fixture(t, "feb.crl"), fixture(t, "delta.crl")
	// feb.crl expires on 2025-03-01, the delta on 2025-02-17; the server
	// now fails.
	e.srv.set("/ca.crl", feb, "fail")
	e.srv.set("/delta.crl", delta, "fail")
	e.clock.Set(date("2025-03-05T00:00:00Z"))
	for _, tc := range []struct {
		name string
		c    *Checker
	}{
		{"in memory, refetch failing", c},
		{"on disk, offline", e.checker(t, func(o *Options) { o.Offline = true })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, w := range []struct {
				leaf   string
				reason Reason
				der    []byte
				url    string
			}{
				{"revoked", ReasonKeyCompromise, feb, "http://127.0.0.1/ca.crl"},
				{"late", ReasonSuperseded, delta, "http://127.0.0.1/delta.crl"},
			} {
				r := tc.c.Status(ctx, e.query(t, w.leaf), nil, nil)
				if r.Status != Revoked || !r.Stale || r.Reason != w.reason || len(r.Evidence) != 1 {
					t.Fatalf("%s: %+v", w.leaf, r)
				}
				ev := r.Evidence[0]
				if ev.URL != w.url || ev.Digest != sumStreebog(w.der) || ev.SHA256 != sha256.Sum256(w.der) || ev.Size != len(w.der) || !evidenceTextOK(ev) {
					t.Errorf("%s: evidence %+v", w.leaf, ev)
				}
			}
			for _, leaf := range []string{"good", "hold"} {
				if r := tc.c.Status(ctx, e.query(t, leaf), nil, nil); !r.TryLater() {
					t.Errorf("%s from a stale CRL: %+v", leaf, r)
				}
			}
		})
	}
}

func TestCheckerSingleflight(t *testing.T) {
	e := newEnv(t, "2025-02-12T12:00:00Z")
	e.srv.delay = 200 * time.Millisecond
	e.srv.set("/ca.crl", fixture(t, "feb.crl"), "delay")
	c := e.checker(t, func(o *Options) { o.CacheDir = "" })
	var wg sync.WaitGroup
	results := make([]Result, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.Status(context.Background(), e.query(t, "good"), nil, nil)
		}()
	}
	wg.Wait()
	for i, r := range results {
		if r.Status != Good {
			t.Errorf("query %d: %+v", i, r)
		}
	}
	if n := e.srv.count("/ca.crl"); n != 1 {
		t.Errorf("%d concurrent fetches of one URL, want 1", n)
	}
}

func TestCheckerOffline(t *testing.T) {
	e := newEnv(t, "2025-02-12T12:00:00Z")
	c := e.checker(t, func(o *Options) { o.Offline = true; o.LiveOCSP = true })
	r := c.Status(context.Background(), e.query(t, "good"), nil, nil)
	if !r.TryLater() || !strings.Contains(r.Detail, "offline") {
		t.Fatalf("offline: %+v", r)
	}
	if e.srv.count("/ca.crl")+e.srv.count("/ocsp") != 0 {
		t.Fatal("offline checker used the network")
	}
	// Supplied CRLs still decide offline.
	if r := c.Status(context.Background(), e.query(t, "revoked"), []*CRL{loadCRL(t, "feb.crl")}, nil); r.Status != Revoked {
		t.Fatalf("supplied CRL offline: %+v", r)
	}
}

func TestCheckerBackgroundRefresh(t *testing.T) {
	e := newEnv(t, "2025-02-12T12:00:00Z")
	ctx := context.Background()
	c := e.checker(t, nil)
	if _, err := c.CRL(ctx, pkiCert(t, "ca"), "http://127.0.0.1/ca.crl"); err != nil {
		t.Fatal(err)
	}
	next := c.RefreshDue(ctx)
	if want := date("2025-02-28T23:00:00Z"); !next.Equal(want) {
		t.Fatalf("next refresh %v, want %v (an hour before nextUpdate)", next, want)
	}
	if n := e.srv.count("/ca.crl"); n != 1 {
		t.Fatalf("%d fetches before due", n)
	}
	// Due: the CA has published March's CRL.
	e.srv.set("/ca.crl", fixture(t, "mar.crl"), "")
	e.clock.Set(date("2025-03-01T00:00:30Z"))
	c.RefreshDue(ctx)
	crl, err := c.CRL(ctx, pkiCert(t, "ca"), "http://127.0.0.1/ca.crl")
	if err != nil || crl.Number.Int64() != 64 || e.srv.count("/ca.crl") != 2 {
		t.Fatalf("after refresh: number %v, %d fetches, %v", crl.Number, e.srv.count("/ca.crl"), err)
	}

	// Run drives RefreshDue from the injected timer.
	ticks := make(chan time.Time)
	var waits atomic.Int64
	c2 := e.checker(t, func(o *Options) {
		o.After = func(time.Duration) <-chan time.Time { waits.Add(1); return ticks }
	})
	c2.CRL(ctx, pkiCert(t, "ca"), "http://127.0.0.1/ca.crl")
	e.srv.set("/ca.crl", fixture(t, "mar.crl"), "")
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { c2.Run(rctx); close(done) }()
	ticks <- time.Time{}
	ticks <- time.Time{}
	cancel()
	<-done
	if waits.Load() < 2 {
		t.Errorf("Run waited %d times", waits.Load())
	}
}

func TestCheckerLiveOCSP(t *testing.T) {
	resp := fixture(t, "ocsp-good.der")
	r, _ := ParseOCSPResponse(resp)
	e := newEnv(t, r.ProducedAt.Add(time.Minute).Format(time.RFC3339))
	e.srv.set("/ca.crl", nil, "") // no CRL: 404
	e.srv.ocsp = resp
	req := fixture(t, "ocsp-req-good.der")
	nonce := req[len(req)-16:]

	// The nonce our request carries is the one the canned response echoes.
	c := e.checker(t, func(o *Options) { o.LiveOCSP = true; o.Rand = bytes.NewReader(nonce) })
	res := c.Status(context.Background(), e.query(t, "good"), nil, nil)
	if res.Status != Good || res.Evidence[0].Source != SourceOCSP || res.Evidence[0].URL != "http://127.0.0.1/ocsp" {
		t.Fatalf("live OCSP: %+v", res)
	}
	if ev := res.Evidence[0]; ev.SHA256 != sha256.Sum256(r.Raw) || ev.Digest != sumStreebog(r.Raw) || len(r.Raw) == 0 || !evidenceTextOK(ev) || ev.NumberText != "" {
		t.Errorf("live OCSP evidence digests: %+v", ev)
	}
	// Another nonce: the replayed response is refused.
	c2 := e.checker(t, func(o *Options) { o.LiveOCSP = true; o.Rand = bytes.NewReader(bytes.Repeat([]byte{7}, 16)) })
	res = c2.Status(context.Background(), e.query(t, "good"), nil, nil)
	if res.Status != Unknown || !strings.Contains(res.Detail, "nonce") {
		t.Fatalf("replayed OCSP response: %+v", res)
	}
	// Future-dated and expired answers are refused, not cached.
	for _, tc := range []struct {
		now  time.Time
		want string
	}{{r.ProducedAt.Add(-time.Hour), "in the future"}, {r.Responses[0].NextUpdate.Add(time.Second), "has passed"}} {
		e.clock.Set(tc.now)
		c3 := e.checker(t, func(o *Options) { o.LiveOCSP = true; o.Rand = bytes.NewReader(nonce) })
		_, err := c3.OCSP(context.Background(), pkiCert(t, "good"), pkiCert(t, "ca"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("at %v: %v, want %q", tc.now, err, tc.want)
		}
	}
}

// evidenceTextOK reports whether the text an Evidence carries, rendered
// at parse time, is its number and digests.
func evidenceTextOK(ev Evidence) bool {
	number := ""
	if ev.Number != nil {
		number = ev.Number.String()
	}
	return ev.NumberText == number && ev.DigestHex == hex.EncodeToString(ev.Digest[:]) &&
		ev.SHA256Hex == hex.EncodeToString(ev.SHA256[:])
}
