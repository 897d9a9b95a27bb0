package server

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

//go:embed openapi.json
var openAPI []byte

const (
	contentJSON    = "application/json; charset=utf-8"
	contentMetrics = "text/plain; version=0.0.4; charset=utf-8"
)

// reqID is a request id held without allocation: the client's
// X-Request-Id when it is sane, else "<8 hex of the process>-<counter>".
type reqID struct {
	b [maxRequestIDBytes]byte
	n uint8
}

func (r *reqID) bytes() []byte  { return r.b[:r.n] }
func (r *reqID) String() string { return string(r.b[:r.n]) }

func validRequestID(b []byte) bool {
	if len(b) == 0 || len(b) > maxRequestIDBytes {
		return false
	}
	for _, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
			return false
		}
	}
	return true
}

func (s *Server) requestID(ctx *fasthttp.RequestCtx, id *reqID) {
	if in := ctx.Request.Header.Peek("X-Request-Id"); validRequestID(in) {
		id.n = uint8(copy(id.b[:], in))
	} else {
		n := copy(id.b[:], s.ridPrefix[:])
		id.b[n] = '-'
		n++
		n += len(strconv.AppendUint(id.b[n:n], s.ridSeq.Add(1), 16))
		id.n = uint8(n)
	}
	ctx.Response.Header.SetBytesV("X-Request-Id", id.bytes())
}

// reqInfo is what a handler tells the access log.
type reqInfo struct {
	items int
}

func routeOf(path []byte) route {
	switch string(path) {
	case "/v1/verify":
		return routeVerify
	case "/v1/verify/batch":
		return routeBatch
	case "/healthz":
		return routeHealthz
	case "/readyz":
		return routeReadyz
	case "/metrics":
		return routeMetrics
	case "/openapi.json":
		return routeOpenAPI
	}
	return routeOther
}

// HandleRequest is the fasthttp.RequestHandler of the service: a path
// switch to thin handlers that return errors, VictoriaMetrics-style. It
// recovers a panic into a logged 500: one bad request never takes the
// process down.
func (s *Server) HandleRequest(ctx *fasthttp.RequestCtx) {
	start := time.Now()
	s.m.inflight.Add(1)
	var id reqID
	s.requestID(ctx, &id)
	r := routeOf(ctx.Path())
	var info reqInfo
	err := s.serveRoute(ctx, r, &id, &info)
	if err != nil {
		s.writeError(ctx, err)
	}
	status := ctx.Response.StatusCode()
	code := ""
	if err != nil {
		_, code = statusOf(err)
	}
	d := time.Since(start)
	s.m.request(r, status, code, d)
	s.m.inflight.Add(-1)
	s.accessLog(ctx, r, &id, &info, status, code, err, d)
}

func (s *Server) serveRoute(ctx *fasthttp.RequestCtx, r route, id *reqID, info *reqInfo) (err error) {
	defer func() {
		if p := recover(); p != nil {
			s.m.panics.Add(1)
			s.log.Error("panic in handler", "request_id", id.String(), "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			ctx.Response.ResetBody()
			ctx.Response.Header.Del(fasthttp.HeaderContentEncoding)
			err = errorf(500, CodeInternal, "internal error (request id %s)", id.String())
		}
	}()
	switch r {
	case routeVerify, routeBatch:
		if !ctx.IsPost() {
			ctx.Response.Header.Set(fasthttp.HeaderAllow, fasthttp.MethodPost)
			return errorf(405, CodeMethodNotAllowed, "%s takes POST", routeNames[r])
		}
		if r == routeVerify {
			return s.handleVerify(ctx, id, info)
		}
		return s.handleBatch(ctx, id, info)
	case routeOther:
		return errorf(404, CodeNotFound, "no such route (see /openapi.json)")
	}
	if !ctx.IsGet() && !ctx.IsHead() {
		ctx.Response.Header.Set(fasthttp.HeaderAllow, "GET, HEAD")
		return errorf(405, CodeMethodNotAllowed, "%s takes GET", routeNames[r])
	}
	switch r {
	case routeHealthz:
		ctx.SetContentType(contentJSON)
		ctx.SetBodyString(`{"status":"ok"}` + "\n")
		return nil
	case routeReadyz:
		return s.handleReadyz(ctx)
	case routeMetrics:
		buf := getBuf()
		defer putBuf(buf)
		*buf = s.writeMetrics(expo((*buf)[:0]))
		return s.writeBody(ctx, 200, contentMetrics, *buf)
	case routeOpenAPI:
		return s.writeBody(ctx, 200, contentJSON, openAPI)
	}
	return errorf(404, CodeNotFound, "no such route")
}

func (s *Server) handleReadyz(ctx *fasthttp.RequestCtx) error {
	ref, err := s.readiness()
	if err != nil {
		ctx.Response.Header.Set(fasthttp.HeaderRetryAfter, "1")
		return err
	}
	t := &ref.trust
	crls, bad := crlState(ref, s.stats(ref))
	body := struct {
		Status          string    `json:"status"`
		TrustAnchors    int       `json:"trust_anchors"`
		CRLs            int       `json:"crls"`
		CRLCacheDir     string    `json:"crl_cache_dir,omitempty"`
		BadCacheEntries int       `json:"crl_cache_bad_entries,omitempty"`
		LoadedAt        time.Time `json:"loaded_at,omitzero"`
	}{"ready", t.Roots, len(crls), t.CRLCacheDir, bad, t.LoadedAt}
	b, err := json.Marshal(&body)
	if err != nil {
		return err
	}
	return s.writeBody(ctx, 200, contentJSON, append(b, '\n'))
}

// writeError answers with the JSON error body of interfaces.md.
func (s *Server) writeError(ctx *fasthttp.RequestCtx, err error) {
	status, code := statusOf(err)
	msg := err.Error()
	if code == CodeInternal && !isServerError(err) {
		// An unexpected error: its text stays in the log.
		msg = "server: internal error"
	}
	if status == 503 && len(ctx.Response.Header.Peek(fasthttp.HeaderRetryAfter)) == 0 {
		ctx.Response.Header.Set(fasthttp.HeaderRetryAfter, "1")
	}
	b, _ := json.Marshal(struct {
		Error string `json:"error"`
		Code  string `json:"code"`
	}{msg, code})
	ctx.Response.Header.Del(fasthttp.HeaderContentEncoding)
	ctx.SetStatusCode(status)
	ctx.SetContentType(contentJSON)
	ctx.SetBody(append(b, '\n'))
}

func isServerError(err error) bool {
	_, ok := err.(*Error)
	return ok
}

func (s *Server) accessLog(ctx *fasthttp.RequestCtx, r route, id *reqID, info *reqInfo, status int, code string, err error, d time.Duration) {
	level := slog.LevelInfo
	switch {
	case status >= 500:
		level = slog.LevelError
	case r != routeVerify && r != routeBatch && status < 400:
		level = slog.LevelDebug
	}
	bg := context.Background()
	if !s.log.Enabled(bg, level) {
		return
	}
	attrs := make([]slog.Attr, 0, 12)
	attrs = append(attrs,
		slog.String("request_id", id.String()),
		slog.String("method", string(ctx.Method())),
		slog.String("path", routeNames[r]),
		slog.Int("status", status),
		slog.Float64("duration_ms", float64(d.Microseconds())/1000),
		slog.Int("bytes_in", len(ctx.Request.Body())),
		slog.Int("bytes_out", len(ctx.Response.Body())),
		slog.String("remote", ctx.RemoteAddr().String()),
	)
	if r == routeOther {
		p := ctx.Path()
		if len(p) > 128 {
			p = p[:128]
		}
		attrs = append(attrs, slog.String("raw_path", string(p)))
	}
	if info.items > 0 {
		attrs = append(attrs, slog.Int("items", info.items))
	}
	if err != nil {
		attrs = append(attrs, slog.String("code", code))
		// Error texts name items and limits, never document bytes.
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	s.log.LogAttrs(bg, level, "request", attrs...)
}

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

// maxPooledBuf is the largest buffer putBuf keeps for reuse.
const maxPooledBuf = 4 << 20

func putBuf(b *[]byte) {
	if cap(*b) > maxPooledBuf {
		return // do not keep huge buffers alive
	}
	*b = (*b)[:0]
	bufPool.Put(b)
}
