package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/valyala/fasthttp"

	"gostsig.dev/gostsig"
)

// Defaults of Options. Each is a flag of `gostsig serve` (see
// cmd/gostsig/serve.go for the flag and environment names).
const (
	DefaultMaxBodyBytes   = 32 << 20 // request body, on the wire and decompressed
	DefaultMaxItems       = 1000     // items of one batch
	DefaultMaxItemBytes   = 16 << 20 // signature + content of one item, decoded
	DefaultItemTimeout    = 10 * time.Second
	DefaultRequestTimeout = 30 * time.Second
	DefaultReadTimeout    = 30 * time.Second // the whole request, header and body
	DefaultWriteTimeout   = 30 * time.Second
	DefaultIdleTimeout    = 75 * time.Second // above nginx's 60 s upstream keepalive_timeout
	DefaultMaxConns       = 1024
	// DefaultMaxPendingBytes bounds the decoded inputs admitted at once.
	DefaultMaxPendingBytes = 512 << 20
)

// A zstd frame's window is bounded by the body limit, but never below the
// 8 MiB window streaming encoders declare by default, nor above 64 MiB.
// The decoder may write up to the floor before it stops; requestBody then
// applies the body limit itself.
const (
	maxZstdWindowFloor = 8 << 20
	maxZstdWindow      = 64 << 20
)

// maxHeaderBytes is the read buffer of a connection, which bounds the
// request line and headers (over it: 431).
const maxHeaderBytes = 8 << 10

// maxIDBytes bounds a batch item's id, an attachment's id and an incoming
// X-Request-Id.
const (
	maxIDBytes        = 256
	maxRequestIDBytes = 64
)

// maxAttachments bounds the SMEV attachments of one item: the multipart
// "attachment" parts of /v1/verify or a batch item's "attachments". Their
// decoded bytes count toward Options.MaxItemBytes with the signature's.
const maxAttachments = 100

// Options are the limits, timeouts and logging of a Server. Zero fields
// take the defaults above.
type Options struct {
	// MaxBodyBytes bounds a request body on the wire and after
	// decompression (413 body_too_large).
	MaxBodyBytes int
	// MaxItems bounds the items of one batch (413 too_many_items).
	MaxItems int
	// MaxItemBytes bounds one item: the decoded signature plus content
	// (413 item_too_large).
	MaxItemBytes int
	// Workers is the number of concurrent verifications (default
	// GOMAXPROCS: verification is CPU-bound while no CRL is fetched).
	Workers int
	// MaxPending bounds the items admitted and not finished, queued or
	// running; a request that would exceed it gets 503 overloaded at once
	// rather than waiting. Default max(MaxItems, 64×Workers).
	MaxPending int
	// MaxPendingBytes bounds the decoded bytes of those items (default
	// DefaultMaxPendingBytes, at least MaxBodyBytes).
	MaxPendingBytes int
	// ItemTimeout is the deadline of one verification, counted from the
	// moment a worker starts it. An item past it is answered with code
	// "timeout" whatever it is doing; the rest of its batch is not held up.
	ItemTimeout time.Duration
	// RequestTimeout bounds the time a request waits for its items,
	// queueing included; items not finished by then are answered with
	// code "timeout" (started) or "canceled" (never started).
	RequestTimeout time.Duration
	// ReadTimeout bounds reading one request, header and body, from its
	// first byte (slow clients get 408 and are disconnected); WriteTimeout
	// bounds writing the response; IdleTimeout bounds a keep-alive
	// connection between requests.
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxConns bounds concurrent connections.
	MaxConns int
	// Logger receives the access log (one record per request, with its
	// request id) and errors; nil is slog.Default(). Probe routes
	// (/healthz, /readyz, /metrics, /openapi.json) are logged at Debug.
	Logger *slog.Logger
	// Version is reported by gostsig_build_info.
	Version string
}

func (o *Options) setDefaults() {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	defD := func(p *time.Duration, v time.Duration) {
		if *p <= 0 {
			*p = v
		}
	}
	def(&o.MaxBodyBytes, DefaultMaxBodyBytes)
	def(&o.MaxItems, DefaultMaxItems)
	def(&o.MaxItemBytes, DefaultMaxItemBytes)
	def(&o.Workers, runtime.GOMAXPROCS(0))
	def(&o.MaxPending, max(o.MaxItems, 64*o.Workers))
	o.MaxPending = max(o.MaxPending, o.MaxItems) // a full batch must be admissible
	def(&o.MaxPendingBytes, DefaultMaxPendingBytes)
	o.MaxPendingBytes = max(o.MaxPendingBytes, o.MaxBodyBytes)
	def(&o.MaxConns, DefaultMaxConns)
	defD(&o.ItemTimeout, DefaultItemTimeout)
	defD(&o.RequestTimeout, DefaultRequestTimeout)
	defD(&o.ReadTimeout, DefaultReadTimeout)
	defD(&o.WriteTimeout, DefaultWriteTimeout)
	defD(&o.IdleTimeout, DefaultIdleTimeout)
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Version == "" {
		o.Version = "devel"
	}
}

// Sources of a loaded CRL (CRLInfo.Source, metric label "source").
const (
	SourceFlag    = "flag"                   // given with --crl
	SourceCache   = gostsig.CRLSourceCache   // read from the CRL cache directory
	SourceFetched = gostsig.CRLSourceFetched // fetched by this replica
)

// CRLInfo describes one CRL the verifier was given, for /readyz and the
// freshness metrics.
type CRLInfo struct {
	Issuer     string
	Number     string
	URL        string
	ThisUpdate time.Time
	NextUpdate time.Time
	Source     string
}

// Trust describes what a Verifier was built from, as /readyz and /metrics
// report it. CRLs is used only for an engine that does not list its own
// (a *gostsig.Verifier does, with Stats).
type Trust struct {
	Roots           int
	CRLs            []CRLInfo
	CRLCacheDir     string
	BadCacheEntries int
	LoadedAt        time.Time
}

// engine is what the Server needs of a *gostsig.Verifier; tests put
// slow, stuck or panicking engines around a real one to drive the pool.
type engine interface {
	Verify(ctx context.Context, in gostsig.Input) (*gostsig.Result, error)
	Close()
}

// statser is an engine that reports its caches (*gostsig.Verifier does).
type statser interface {
	Stats() gostsig.Stats
}

// verifierRef is a Verifier with a reference count, so that a replaced
// verifier is closed only when the last item using it has finished.
type verifierRef struct {
	v       engine
	trust   Trust
	refs    atomic.Int64
	retired atomic.Bool
	closed  atomic.Bool
}

func (r *verifierRef) release() {
	if r.refs.Add(-1) == 0 && r.retired.Load() {
		r.close()
	}
}

func (r *verifierRef) close() {
	if r.closed.CompareAndSwap(false, true) {
		r.v.Close()
	}
}

// Server is the HTTP face of a gostsig.Verifier. It is safe for concurrent
// use; build it with New.
type Server struct {
	opts Options
	log  *slog.Logger
	m    *metrics
	hs   *fasthttp.Server

	cur      atomic.Pointer[verifierRef]
	draining atomic.Bool

	// The worker pool: queue holds admitted items; pending and
	// pendingBytes count them until a worker has finished them.
	queue        chan *task
	pending      atomic.Int64
	pendingBytes atomic.Int64
	segs         chan *[]byte // free worker segments (getSeg, putSeg)
	// itemJSONBytes is the mean size of the items the workers encoded for
	// the last batch answered: the hint for sizing the next batch's
	// segments. The handler sets it once per batch (appendResults), so the
	// workers share no written cache line per item.
	itemJSONBytes atomic.Int64
	qmu           sync.RWMutex // held for reading while enqueuing; Close takes it to close queue
	closed        bool
	workers       sync.WaitGroup
	baseCtx       context.Context
	cancelBase    context.CancelFunc

	zenc *zstd.Encoder
	zdec *zstd.Decoder

	ridPrefix [8]byte
	ridSeq    atomic.Uint64

	// retired sums the cache counters of the verifiers replaced so far,
	// so that the exported counters never go back at a reload.
	retiredMu sync.Mutex
	retired   gostsig.Stats
}

// New returns a Server for v with the given options. v may be nil: the
// server then answers /readyz and the verify routes with 503 not_ready
// until SetVerifier is called (load the trust store and CRLs after the
// listener is up, so that orchestrators see a live but not ready
// replica). The Server takes ownership of v (see SetVerifier).
func New(v *gostsig.Verifier, trust Trust, opts Options) (*Server, error) {
	opts.setDefaults()
	s := &Server{opts: opts, log: opts.Logger, m: newMetrics()}
	s.baseCtx, s.cancelBase = context.WithCancel(context.Background())
	var err error
	s.zenc, err = zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedFastest), zstd.WithEncoderConcurrency(opts.Workers), zstd.WithWindowSize(1<<20))
	if err != nil {
		return nil, fmt.Errorf("server: zstd encoder: %w", err)
	}
	s.zdec, err = zstd.NewReader(nil, zstd.WithDecoderMaxMemory(uint64(max(opts.MaxBodyBytes, maxZstdWindowFloor))), zstd.WithDecoderConcurrency(opts.Workers), zstd.WithDecoderMaxWindow(uint64(min(max(opts.MaxBodyBytes, maxZstdWindowFloor), maxZstdWindow))))
	if err != nil {
		return nil, fmt.Errorf("server: zstd decoder: %w", err)
	}
	if _, err := rand.Read(s.ridPrefix[:4]); err != nil {
		return nil, fmt.Errorf("server: request id prefix: %w", err)
	}
	hex.Encode(s.ridPrefix[:], s.ridPrefix[:4])

	s.hs = &fasthttp.Server{
		Handler:                      s.HandleRequest,
		ErrorHandler:                 s.handleHTTPError,
		Name:                         "gostsig",
		ReadTimeout:                  opts.ReadTimeout,
		WriteTimeout:                 opts.WriteTimeout,
		IdleTimeout:                  opts.IdleTimeout,
		MaxRequestBodySize:           opts.MaxBodyBytes,
		Concurrency:                  opts.MaxConns,
		ReadBufferSize:               maxHeaderBytes,
		DisablePreParseMultipartForm: true,
		CloseOnShutdown:              true,
		Logger:                       fasthttpLogger{s.log},
	}
	s.queue = make(chan *task, opts.MaxPending)
	s.segs = make(chan *[]byte, maxFreeSegs)
	for i := range opts.Workers {
		s.workers.Add(1)
		go s.worker(i)
	}
	if v != nil {
		s.SetVerifier(v, trust)
	}
	return s, nil
}

// SetVerifier makes v the verifier of every later request (a CRL reload
// builds a new one). The Server owns v: it closes a replaced verifier once
// the last item using it has finished, and the current one on Close.
// trust describes v for /readyz and /metrics; when trust.Roots is zero it
// is filled from v.
func (s *Server) SetVerifier(v *gostsig.Verifier, trust Trust) {
	if trust.Roots == 0 {
		trust.Roots = len(v.Roots())
	}
	s.setEngine(v, trust)
}

func (s *Server) setEngine(v engine, trust Trust) {
	ref := &verifierRef{v: v, trust: trust}
	ref.refs.Store(1) // the Server's own reference, dropped when replaced
	if old := s.cur.Swap(ref); old != nil {
		if st, ok := old.v.(statser); ok {
			s.retire(st.Stats())
		}
		old.retired.Store(true)
		old.release()
	}
}

// retire adds the counters of a replaced verifier to s.retired.
func (s *Server) retire(st gostsig.Stats) {
	s.retiredMu.Lock()
	defer s.retiredMu.Unlock()
	addCounters(&s.retired, &st)
}

// addCounters adds the cumulative counters of src to dst; the gauges
// (entries, CRLs held, bad entries) are the current verifier's alone.
func addCounters(dst, src *gostsig.Stats) {
	add := func(a *gostsig.CacheStats, b gostsig.CacheStats) { a.Hits += b.Hits; a.Misses += b.Misses }
	add(&dst.Certificates, src.Certificates)
	add(&dst.Signatures, src.Signatures)
	add(&dst.Paths, src.Paths)
	dst.CRLCache.Hits += src.CRLCache.Hits
	dst.CRLCache.DiskHits += src.CRLCache.DiskHits
	dst.CRLCache.Misses += src.CRLCache.Misses
}

// stats returns ref's Stats with the counters of the retired verifiers
// added, nil when its verifier gives none.
func (s *Server) stats(ref *verifierRef) *gostsig.Stats {
	sv, ok := ref.v.(statser)
	if !ok {
		return nil
	}
	st := sv.Stats()
	s.retiredMu.Lock()
	r := s.retired
	s.retiredMu.Unlock()
	addCounters(&st, &r)
	return &st
}

// crlState is what /readyz and /metrics report of ref's CRLs: those held
// (each series once, uniqueCRLs) and the bad cache entries skipped. st is
// ref's Stats when its verifier gives them (its own account), else nil
// and Trust says.
func crlState(ref *verifierRef, st *gostsig.Stats) (crls []CRLInfo, bad int) {
	if st == nil {
		return uniqueCRLs(ref.trust.CRLs), ref.trust.BadCacheEntries
	}
	crls = make([]CRLInfo, 0, len(st.CRLs))
	for _, c := range st.CRLs {
		src := c.Source
		if src == gostsig.CRLSourceConfig {
			src = SourceFlag
		}
		crls = append(crls, CRLInfo{Issuer: c.Issuer, Number: c.Number, URL: c.URL, ThisUpdate: c.ThisUpdate, NextUpdate: c.NextUpdate, Source: src})
	}
	return uniqueCRLs(crls), st.CRLCache.Bad
}

// acquire returns the current verifier with one more reference, or nil.
func (s *Server) acquire() *verifierRef {
	for {
		r := s.cur.Load()
		if r == nil {
			return nil
		}
		r.refs.Add(1)
		if s.cur.Load() == r {
			return r
		}
		r.release()
	}
}

// Trust returns what the current verifier was built from (zero when there
// is none yet).
func (s *Server) Trust() Trust {
	if r := s.cur.Load(); r != nil {
		return r.trust
	}
	return Trust{}
}

// readiness returns the current trust when the server is ready.
func (s *Server) readiness() (*verifierRef, error) {
	if s.draining.Load() {
		return nil, errorf(503, CodeShuttingDown, "shutting down")
	}
	r := s.cur.Load()
	if r == nil {
		return nil, errorf(503, CodeNotReady, "trust store and CRL cache not loaded yet")
	}
	return r, nil
}

// Serve accepts connections on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error { return s.hs.Serve(ln) }

// ListenAndServe listens on the TCP address addr and serves.
func (s *Server) ListenAndServe(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// ServeConn serves the requests of one connection (tests, custom
// listeners).
func (s *Server) ServeConn(c net.Conn) error { return s.hs.ServeConn(c) }

// Shutdown stops accepting connections, turns /readyz to 503 and waits
// for in-flight requests to finish (idle keep-alive connections are
// closed, busy ones get "Connection: close" with their response). It
// returns ctx.Err() if the grace period ends first. Call Close afterwards.
func (s *Server) Shutdown(ctx context.Context) error {
	s.draining.Store(true)
	return s.hs.ShutdownWithContext(ctx)
}

// Close cancels the verifications still running, stops the workers and
// closes the verifier. Requests still in flight get 503.
func (s *Server) Close() {
	s.draining.Store(true)
	s.cancelBase()
	s.qmu.Lock()
	if !s.closed {
		s.closed = true
		close(s.queue)
	}
	s.qmu.Unlock()
	s.workers.Wait()
	if r := s.cur.Swap(nil); r != nil {
		r.retired.Store(true)
		r.release()
	}
	s.zenc.Close()
	s.zdec.Close()
}

// fasthttpLogger sends fasthttp's own messages to slog.
type fasthttpLogger struct{ l *slog.Logger }

func (f fasthttpLogger) Printf(format string, args ...any) {
	f.l.Warn(fmt.Sprintf(format, args...), "component", "fasthttp")
}

// handleHTTPError answers requests fasthttp could not read.
func (s *Server) handleHTTPError(ctx *fasthttp.RequestCtx, err error) {
	var e *Error
	var small *fasthttp.ErrSmallBuffer
	var ne net.Error
	switch {
	case errors.Is(err, fasthttp.ErrBodyTooLarge):
		e = errorf(413, CodeBodyTooLarge, "request body over the %d-byte limit", s.opts.MaxBodyBytes)
	case errors.As(err, &small):
		e = errorf(431, CodeHeaderTooLarge, "request header over the %d-byte limit", maxHeaderBytes)
	case errors.As(err, &ne) && ne.Timeout():
		e = errorf(408, CodeRequestTimeout, "request not received within %s", s.opts.ReadTimeout)
	default:
		e = errorf(400, CodeMalformedHTTP, "malformed HTTP request")
	}
	s.writeError(ctx, e)
	// fasthttp reads the body after the header: a body over the limit (or
	// too slow, or malformed) belongs to the route its header named. When
	// the header itself failed, the path is empty and the route "other".
	r := routeOf(ctx.Path())
	s.m.count(r, e.Status, e.Code)
	s.log.Info("request rejected", "status", e.Status, "code", e.Code, "path", routeNames[r], "remote", ctx.RemoteAddr().String(), "error", err.Error())
}
