package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gostsig.dev/gostsig"
	"gostsig.dev/internal/logbuf"
	"gostsig.dev/server"
)

func init() {
	register("serve", "serve the verification over HTTP (see /openapi.json)", runServe)
}

// Defaults of serve's own flags (the limits are server.Default*).
const (
	defaultServeAddr      = "127.0.0.1:8080"
	defaultCRLReload      = 5 * time.Minute
	defaultShutdownGrace  = 30 * time.Second
	serveEnvPrefix        = "GOSTSIG_"
	serveListeningMessage = "listening"
)

// serveEnv maps a flag to its environment variable: GOSTSIG_ and the flag
// name in upper case with "-" as "_", except --cache-dir, which shares
// GOSTSIG_CRL_CACHE with `gostsig crl`. Flags on the command line win over
// the environment. Repeatable flags take a list separated by ":" (the OS
// path-list separator).
func serveEnv(flagName string) string {
	if flagName == "cache-dir" {
		return crlCacheEnv
	}
	return serveEnvPrefix + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// byteSize is a flag of bytes that also takes K, KiB, M, MiB, G, GiB.
type byteSize int

func (b *byteSize) String() string { return strconv.Itoa(int(*b)) }
func (b *byteSize) Set(s string) error {
	s = strings.TrimSpace(s)
	mult := 1
	for _, u := range []struct {
		suffix string
		mult   int
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"K", 1000}, {"M", 1000 * 1000}, {"G", 1000 * 1000 * 1000}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > (1<<40)/mult {
		return errors.New("want a number of bytes, optionally with K, KiB, M, MiB, G or GiB")
	}
	*b = byteSize(n * mult)
	return nil
}

// serveFlags are the flags of `gostsig serve`.
type serveFlags struct {
	fs            *flag.FlagSet
	tf            *trustFlags
	format        string
	addr          string
	cacheDir      string
	crlReload     time.Duration
	grace         time.Duration
	logLevel      string
	logFormat     string
	logFlush      time.Duration
	opts          server.Options
	maxBody       byteSize
	maxItemSize   byteSize
	maxPendingMem byteSize
}

func newServeFlags(stderr io.Writer) *serveFlags {
	f := &serveFlags{fs: flag.NewFlagSet("gostsig serve", flag.ContinueOnError)}
	fs := f.fs
	fs.SetOutput(stderr)
	f.tf = addTrustFlags(fs)
	// --format is among the flags interfaces.md says verify and serve
	// share; serve's takes the one format the HTTP API answers in.
	fs.StringVar(&f.format, "format", "json", "response `format`: json only (the HTTP API answers JSON)")
	fs.StringVar(&f.addr, "addr", defaultServeAddr, "listen on `HOST:PORT`")
	fs.StringVar(&f.cacheDir, "cache-dir", "", "CRL cache `directory` to read, read-only (never written; default $"+crlCacheEnv+", else $XDG_CACHE_HOME/gostsig/crl when it exists)")
	fs.DurationVar(&f.crlReload, "crl-reload", defaultCRLReload, "re-read the CRL cache directory this often: new entries, newer CRLs (0: never)")
	fs.DurationVar(&f.grace, "shutdown-grace", defaultShutdownGrace, "on SIGTERM, wait this long for in-flight requests")
	f.maxBody = server.DefaultMaxBodyBytes
	fs.Var(&f.maxBody, "max-body", "request body limit, on the wire and decompressed (`bytes`, e.g. 32MiB)")
	fs.IntVar(&f.opts.MaxItems, "max-items", server.DefaultMaxItems, "items of one batch")
	f.maxItemSize = server.DefaultMaxItemBytes
	fs.Var(&f.maxItemSize, "max-item-size", "signature plus content of one item, decoded (`bytes`)")
	fs.IntVar(&f.opts.Workers, "workers", 0, "concurrent verifications (default GOMAXPROCS)")
	fs.IntVar(&f.opts.MaxPending, "max-pending", 0, "items queued or running before requests get 503 (default max(max-items, 64×workers))")
	f.maxPendingMem = server.DefaultMaxPendingBytes
	fs.Var(&f.maxPendingMem, "max-pending-bytes", "decoded bytes of the items queued or running (`bytes`)")
	fs.DurationVar(&f.opts.ItemTimeout, "item-timeout", server.DefaultItemTimeout, "deadline of one verification")
	fs.DurationVar(&f.opts.RequestTimeout, "request-timeout", server.DefaultRequestTimeout, "deadline of all items of one request, queueing included")
	fs.DurationVar(&f.opts.ReadTimeout, "read-timeout", server.DefaultReadTimeout, "time to read one request, header and body (slow clients get 408)")
	fs.DurationVar(&f.opts.WriteTimeout, "write-timeout", server.DefaultWriteTimeout, "time to write one response")
	fs.DurationVar(&f.opts.IdleTimeout, "idle-timeout", server.DefaultIdleTimeout, "keep-alive connection idle limit")
	fs.IntVar(&f.opts.MaxConns, "max-conns", server.DefaultMaxConns, "concurrent connections")
	fs.StringVar(&f.logLevel, "log-level", "info", "`level`: debug, info, warn or error (requests are logged at info, probes at debug)")
	fs.StringVar(&f.logFormat, "log-format", "json", "log `format`: json or text")
	fs.DurationVar(&f.logFlush, "log-flush", logbuf.DefaultFlush, "write the log at most this often (warnings and errors at once; 0: every record at once)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: gostsig serve [--addr HOST:PORT] [flags]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Serves POST /v1/verify, POST /v1/verify/batch, GET /healthz, /readyz, /metrics, /openapi.json.")
		fmt.Fprintln(stderr, "Every flag can also be set by an environment variable; the command line wins:")
		var names []string
		fs.VisitAll(func(fl *flag.Flag) { names = append(names, fl.Name) })
		sort.Strings(names)
		sep := string(os.PathListSeparator)
		for _, n := range names {
			if repeatable[n] {
				fmt.Fprintf(stderr, "  --%-18s $%s (a list: paths separated by %q)\n", n, serveEnv(n), sep)
				continue
			}
			fmt.Fprintf(stderr, "  --%-18s $%s\n", n, serveEnv(n))
		}
		fmt.Fprintf(stderr, "The list-valued flags --certs, --crl and --roots are repeated on the command line\n"+
			"(--crl a.pem --crl b.pem); their variables take the paths separated by %q, like PATH\n"+
			"($%s=a.pem%sb.pem).\n", sep, serveEnv("crl"), sep)
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	return f
}

// repeatable are the flags that take a list in the environment.
var repeatable = map[string]bool{"roots": true, "certs": true, "crl": true}

// parse reads the command line, then the environment for every flag the
// command line did not set.
func (f *serveFlags) parse(args []string, getenv func(string) string) error {
	if err := f.fs.Parse(args); err != nil {
		return err
	}
	if f.fs.NArg() > 0 {
		return usageErr("unexpected argument %q", f.fs.Arg(0))
	}
	set := map[string]bool{}
	f.fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	var err error
	f.fs.VisitAll(func(fl *flag.Flag) {
		if err != nil || set[fl.Name] {
			return
		}
		name := serveEnv(fl.Name)
		v := getenv(name)
		if v == "" || fl.Name == "cache-dir" { // cache-dir's env is resolved with its default
			return
		}
		vals := []string{v}
		if repeatable[fl.Name] {
			vals = strings.Split(v, string(os.PathListSeparator))
		}
		for _, v := range vals {
			if v == "" {
				continue
			}
			if e := f.fs.Set(fl.Name, v); e != nil {
				err = usageErr("$%s=%q: %v", name, v, e)
				return
			}
		}
	})
	if err != nil {
		return err
	}
	if f.format != "json" {
		return usageErr("--format %q: serve answers JSON only", f.format)
	}
	if _, err := f.tf.validationTime(); err != nil {
		return err
	}
	if f.crlReload < 0 || f.grace < 0 {
		return usageErr("durations must not be negative")
	}
	for _, d := range []time.Duration{f.opts.ItemTimeout, f.opts.RequestTimeout, f.opts.ReadTimeout, f.opts.WriteTimeout, f.opts.IdleTimeout} {
		if d <= 0 {
			return usageErr("timeouts must be positive")
		}
	}
	if f.opts.MaxItems <= 0 || f.maxBody <= 0 || f.maxItemSize <= 0 || f.opts.Workers < 0 || f.opts.MaxPending < 0 || f.opts.MaxConns <= 0 {
		return usageErr("limits must be positive")
	}
	f.opts.MaxBodyBytes = int(f.maxBody)
	f.opts.MaxItemBytes = int(f.maxItemSize)
	f.opts.MaxPendingBytes = int(f.maxPendingMem)
	return nil
}

// crlCacheDir returns the cache directory to read, "" for none. An
// explicit one (flag or environment) must exist; the default is used only
// when it does.
func (f *serveFlags) crlCacheDir(getenv func(string) string) (string, error) {
	explicit := f.cacheDir
	if explicit == "" {
		explicit = getenv(crlCacheEnv)
	}
	if explicit != "" {
		fi, err := os.Stat(explicit)
		if err != nil {
			return "", noInputErr(fmt.Errorf("CRL cache: %w", err))
		}
		if !fi.IsDir() {
			return "", usageErr("CRL cache %s: not a directory", explicit)
		}
		return explicit, nil
	}
	d, err := (&crlFlags{}).dir()
	if err != nil {
		return "", nil
	}
	if fi, err := os.Stat(d); err == nil && fi.IsDir() {
		return d, nil
	}
	return "", nil
}

// logger returns the service's logger over w and the buffer that holds its
// records back (--log-flush; nil for 0): the caller flushes it before it
// writes to w itself, and closes it before it returns.
func (f *serveFlags) logger(w io.Writer) (*slog.Logger, *logbuf.Buffer, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(f.logLevel)); err != nil {
		return nil, nil, usageErr("--log-level %q: want debug, info, warn or error", f.logLevel)
	}
	if f.logFormat != "json" && f.logFormat != "text" {
		return nil, nil, usageErr("--log-format %q: want json or text", f.logFormat)
	}
	log, buf := logbuf.NewLogger(w, f.logFlush, f.logFormat == "text", &slog.HandlerOptions{Level: level})
	return log, buf, nil
}

// Test hooks: the context whose end starts the shutdown (SIGTERM or
// SIGINT), and the environment.
var (
	serveSignals = func() (context.Context, context.CancelFunc) {
		return signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	}
	serveGetenv = os.Getenv
)

// runServe implements "gostsig serve": listen first (so that /healthz
// answers and /readyz says "not ready" while the trust store and CRLs
// load), load, serve until SIGTERM, then drain within --shutdown-grace.
func runServe(args []string, stdout, stderr io.Writer) int {
	f := newServeFlags(stderr)
	if err := f.parse(args, serveGetenv); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		var ce *cliError
		if errors.As(err, &ce) {
			fmt.Fprintf(stderr, "gostsig serve: %v\n", err)
		}
		return exitUsage
	}
	var logBuf *logbuf.Buffer
	fail := func(err error) int {
		logBuf.Flush()
		fmt.Fprintf(stderr, "gostsig serve: %v\n", err)
		return exitStatusOf(err)
	}
	log, logBuf, err := f.logger(stderr)
	if err != nil {
		return fail(err)
	}
	defer logBuf.Close() // deferred first: runs after srv.Close, which may log
	cacheDir, err := f.crlCacheDir(serveGetenv)
	if err != nil {
		return fail(err)
	}
	f.opts.Logger = log
	f.opts.Version = Version
	srv, err := server.New(nil, server.Trust{}, f.opts)
	if err != nil {
		return fail(err)
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return fail(&cliError{status: exitFailed, err: err})
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info(serveListeningMessage, "addr", ln.Addr().String(), "version", Version)
	logBuf.Flush() // scripts and supervisors wait for this line

	ctx, stop := serveSignals()
	defer stop()
	l := &trustLoader{f: f, cacheDir: cacheDir, log: log}
	if err := l.load(srv); err != nil {
		log.Error("cannot load the trust store", "error", err.Error())
		shutdown(srv, f.grace, log)
		return fail(err)
	}
	if cacheDir != "" && f.crlReload > 0 {
		go l.watch(ctx, f.crlReload)
	}

	select {
	case <-ctx.Done():
		log.Info("shutting down", "grace", f.grace.String())
	case err := <-served:
		if err != nil {
			log.Error("serve failed", "error", err.Error())
			return exitFailed
		}
	}
	if !shutdown(srv, f.grace, log) {
		return exitFailed
	}
	return exitOK
}

func shutdown(srv *server.Server, grace time.Duration, log *slog.Logger) bool {
	ctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		log.Error("in-flight requests not finished within the grace period", "grace", grace.String(), "error", err.Error())
		return false
	}
	log.Info("stopped")
	return true
}

// trustLoader builds the verifier from the trust flags and opens the CRL
// cache directory read-only in it; watch picks up the writer's changes.
type trustLoader struct {
	f        *serveFlags
	cacheDir string
	log      *slog.Logger
	v        *gostsig.Verifier // the verifier handed to the server
}

// load builds a verifier from the flags, reading the CRL cache directory
// read-only (its CRLs are parsed when first needed, not at start), and
// hands it to srv.
func (l *trustLoader) load(srv *server.Server) error {
	cfg, err := l.f.tf.config()
	if err != nil {
		return err
	}
	if at, _ := l.f.tf.validationTime(); !at.IsZero() {
		cfg.Clock = func() time.Time { return at }
	}
	cfg.Logger = l.log
	if l.cacheDir != "" {
		cfg.CRLCacheDir, cfg.CRLCacheReadOnly = l.cacheDir, true
		if _, err := os.Stat(l.cacheDir); err != nil {
			return noInputErr(fmt.Errorf("CRL cache: %w", err))
		}
	}
	v, err := gostsig.New(cfg)
	if err != nil {
		return usageErr("%v", err)
	}
	srv.SetVerifier(v, server.Trust{CRLCacheDir: l.cacheDir, LoadedAt: time.Now().UTC()})
	l.v = v
	st := v.Stats()
	l.log.Info("trust store loaded", "trust_anchors", len(v.Roots()), "crls", len(st.CRLs), "crl_cache", l.cacheDir, "crl_cache_bad", st.CRLCache.Bad)
	return nil
}

// watch re-reads the CRL cache directory every period: new entries are
// found from then on and newer CRLs replace those held, in place (the
// verifier and its warm caches stay). A failed scan keeps the CRLs held.
func (l *trustLoader) watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := l.v.ReloadCRLCache(); err != nil {
			l.log.Error("CRL cache unreadable; keeping the CRLs held", "dir", l.cacheDir, "error", err.Error())
		}
	}
}
