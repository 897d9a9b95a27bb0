package crl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// Fetcher defaults.
const (
	DefaultFetchTimeout = 30 * time.Second
	// DefaultMaxFetchSize bounds a downloaded CRL; MaxCRLSize bounds
	// what Parse accepts.
	DefaultMaxFetchSize = 256 << 20
)

// Fetcher downloads CRLs and OCSP responses over HTTP. The zero value is
// usable: http.DefaultClient's transport, DefaultFetchTimeout,
// DefaultMaxFetchSize, slog.Default().
type Fetcher struct {
	Client  *http.Client
	Timeout time.Duration // per request, including the body
	MaxSize int64         // body limit for CRLs
	Logger  *slog.Logger
	// Clock measures durations for the log; nil means time.Now.
	Clock     func() time.Time
	UserAgent string

	flights flightGroup
}

// fetchResult is the outcome of a conditional GET.
type fetchResult struct {
	Body         []byte // nil when NotModified
	NotModified  bool
	ETag         string
	LastModified string
}

func (f *Fetcher) now() time.Time {
	if f.Clock != nil {
		return f.Clock()
	}
	return time.Now()
}

func (f *Fetcher) logger() *slog.Logger {
	if f.Logger != nil {
		return f.Logger
	}
	return slog.Default()
}

func (f *Fetcher) client() *http.Client {
	if f.Client != nil {
		return f.Client
	}
	return http.DefaultClient
}

// fetchable reports whether u is a URL the fetcher can use (http or https;
// CDPs also list ldap:// and file names, which are skipped).
func fetchable(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// get performs a GET (conditional when etag or lastModified is set), at
// most one at a time per URL: concurrent callers share the result.
func (f *Fetcher) get(ctx context.Context, u, etag, lastModified string) (*fetchResult, error) {
	v, err := f.flights.do(u, func() (any, error) { return f.doGet(ctx, u, etag, lastModified) })
	if err != nil {
		return nil, err
	}
	res, ok := v.(*fetchResult)
	if !ok || res == nil {
		return nil, errorf(KindFetch, "crl: fetch %s: no result", u)
	}
	return res, nil
}

func (f *Fetcher) doGet(ctx context.Context, u, etag, lastModified string) (res *fetchResult, err error) {
	start := f.now()
	status := 0
	defer func() {
		outcome := "fetched"
		switch {
		case err != nil:
			outcome = "error"
		case res.NotModified:
			outcome = "not-modified"
		}
		attrs := []any{"url", u, "outcome", outcome, "status", status, "duration", f.now().Sub(start)}
		if res != nil {
			attrs = append(attrs, "bytes", len(res.Body))
		}
		if err != nil {
			attrs = append(attrs, "err", err.Error())
			f.logger().Warn("crl fetch", attrs...)
		} else {
			f.logger().Info("crl fetch", attrs...)
		}
	}()
	if !fetchable(u) {
		return nil, errorf(KindFetch, "crl: cannot fetch %q: only http and https URLs are fetched", u)
	}
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = DefaultFetchTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, wrapf(KindFetch, err, "crl: fetch %s", u)
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	if lastModified != "" {
		req.Header.Set("If-Modified-Since", lastModified)
	}
	if f.UserAgent != "" {
		req.Header.Set("User-Agent", f.UserAgent)
	}
	resp, err := f.client().Do(req)
	if err != nil {
		return nil, wrapf(KindFetch, err, "crl: fetch %s", u)
	}
	defer resp.Body.Close()
	status = resp.StatusCode
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotModified:
		if etag == "" && lastModified == "" {
			return nil, errorf(KindFetch, "crl: fetch %s: 304 to an unconditional request", u)
		}
		return &fetchResult{NotModified: true, ETag: nonEmpty(resp.Header.Get("ETag"), etag), LastModified: nonEmpty(resp.Header.Get("Last-Modified"), lastModified)}, nil
	default:
		return nil, errorf(KindFetch, "crl: fetch %s: HTTP %s", u, resp.Status)
	}
	limit := f.MaxSize
	if limit <= 0 {
		limit = DefaultMaxFetchSize
	}
	if resp.ContentLength > limit {
		return nil, errorf(KindTooLarge, "crl: fetch %s: %d bytes, over the %d limit", u, resp.ContentLength, limit)
	}
	body, err := readLimited(resp.Body, limit, resp.ContentLength)
	if err != nil {
		return nil, wrapf(kindOfRead(err), err, "crl: fetch %s", u)
	}
	return &fetchResult{Body: body, ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}, nil
}

var errBodyTooLarge = errors.New("body over the size limit")

func kindOfRead(err error) Kind {
	if errors.Is(err, errBodyTooLarge) {
		return KindTooLarge
	}
	return KindFetch
}

// readLimited reads at most limit bytes; a longer body is errBodyTooLarge, a
// body shorter than Content-Length is io.ErrUnexpectedEOF (truncated).
func readLimited(r io.Reader, limit, contentLength int64) ([]byte, error) {
	var buf bytes.Buffer
	if contentLength > 0 {
		buf.Grow(int(contentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = io.ErrUnexpectedEOF
		}
		return nil, fmt.Errorf("truncated body after %d bytes: %w", n, err)
	}
	if n > limit {
		return nil, errBodyTooLarge
	}
	if contentLength >= 0 && n != contentLength {
		return nil, fmt.Errorf("truncated body: %d of %d bytes: %w", n, contentLength, io.ErrUnexpectedEOF)
	}
	return buf.Bytes(), nil
}

func nonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// postOCSP sends an OCSP request (RFC 6960 App. A.1: POST,
// application/ocsp-request) and returns the response body.
func (f *Fetcher) postOCSP(ctx context.Context, u string, req []byte) (body []byte, err error) {
	start := f.now()
	status := 0
	defer func() {
		attrs := []any{"url", u, "status", status, "duration", f.now().Sub(start), "bytes", len(body)}
		if err != nil {
			f.logger().Warn("ocsp query", append(attrs, "outcome", "error", "err", err.Error())...)
		} else {
			f.logger().Info("ocsp query", append(attrs, "outcome", "answered")...)
		}
	}()
	if !fetchable(u) {
		return nil, errorf(KindFetch, "crl: cannot query %q: only http and https OCSP URLs are used", u)
	}
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = DefaultFetchTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(req))
	if err != nil {
		return nil, wrapf(KindFetch, err, "crl: OCSP query %s", u)
	}
	hr.Header.Set("Content-Type", "application/ocsp-request")
	hr.Header.Set("Accept", "application/ocsp-response")
	hr.Header.Set("Content-Length", strconv.Itoa(len(req)))
	if f.UserAgent != "" {
		hr.Header.Set("User-Agent", f.UserAgent)
	}
	resp, err := f.client().Do(hr)
	if err != nil {
		return nil, wrapf(KindFetch, err, "crl: OCSP query %s", u)
	}
	defer resp.Body.Close()
	status = resp.StatusCode
	if resp.StatusCode != http.StatusOK {
		return nil, errorf(KindFetch, "crl: OCSP query %s: HTTP %s", u, resp.Status)
	}
	body, err = readLimited(resp.Body, MaxOCSPResponseSize, resp.ContentLength)
	if err != nil {
		return nil, wrapf(kindOfRead(err), err, "crl: OCSP query %s", u)
	}
	return body, nil
}

// flightGroup runs at most one call per key at a time; callers that arrive
// while it runs wait for and share its result.
type flightGroup struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done chan struct{}
	val  any
	err  error
}

func (g *flightGroup) do(key string, fn func() (any, error)) (any, error) {
	g.mu.Lock()
	if g.m == nil {
		g.m = map[string]*flight{}
	}
	if f, ok := g.m[key]; ok {
		g.mu.Unlock()
		<-f.done
		return f.val, f.err
	}
	f := &flight{done: make(chan struct{})}
	g.m[key] = f
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		delete(g.m, key)
		g.mu.Unlock()
		close(f.done)
	}()
	f.val, f.err = fn()
	return f.val, f.err
}
