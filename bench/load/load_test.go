// Package load is the HTTP load test of `gostsig serve`: verifies/s and
// latency of /v1/verify and /v1/verify/batch over loopback TCP, next to the
// library's own verifies/s measured in the same run on the same items.
//
//	go test ./bench/load -run TestLoad -v -load                 # the table of bench/README.md
//	go test ./bench/load -run TestLoad -v -load -duration 5s    # steadier
//	go test ./bench/load -run '^$' -bench . -cpu 2              # go test benchmarks
//
// Every run is bounded in time (-duration per row) and in requests
// (-max-requests per row), and talks to 127.0.0.1 only.
package load

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"gostsig.dev/gostsig"
	"gostsig.dev/internal/logbuf"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
	"gostsig.dev/server"
)

var (
	loadFlag    = flag.Bool("load", false, "run TestLoad (minutes of full CPU)")
	durationF   = flag.Duration("duration", 4*time.Second, "measuring time per row (library and HTTP each), in alternating slices")
	maxRequests = flag.Int("max-requests", 200000, "request bound per row")
	procs       = flag.Int("procs", 2, "GOMAXPROCS of the run (the target is 2 cores)")
	rowsFlag    = flag.String("rows", "", "only the rows whose name and client count (\"batch of 100 c=2\") contain this, or one of these separated by |; a substring: \"batch of 10\" selects the batches of 100 too")
	serverProf  = flag.String("server-cpuprofile", "", "write the server process's CPU profile to this file")
	serverEnv   = flag.String("server-env", "", "extra environment of the server process (space-separated K=V, e.g. GOGC=400)")
	serverLog   = flag.String("server-log", "", "append the server's JSON access log to this file or FIFO, as `gostsig serve` writes it (default: formatted and discarded)")
	logFlush    = flag.Duration("server-log-flush", logbuf.DefaultFlush, "with -server-log: its --log-flush (0: one write per record)")
	nDistinct   = 32 // distinct signatures, cycled
)

// rounds is the number of alternating library/HTTP slices per row.
const rounds = 8

// fixture: small CAdES-BES attached signatures (BES: signingCertificateV2,
// signingTime; ~100-byte documents) on the standard test PKI.
type fixture struct {
	cfg  gostsig.Config
	sigs [][]byte
}

var (
	fixOnce sync.Once
	fixVal  *fixture
)

func getFixture(tb testing.TB) *fixture {
	fixOnce.Do(func() {
		p := testkit.MustPKI("bench/load")
		at := testkit.RefTime
		f := &fixture{}
		var crls [][]byte
		for _, issuer := range []*testkit.Certificate{p.Root, p.CA} {
			der, err := testkit.NewCRL(&testkit.CRLTemplate{ThisUpdate: at.Add(-24 * time.Hour), NextUpdate: at.Add(7 * 24 * time.Hour), Number: big.NewInt(1)}, issuer)
			if err != nil {
				panic(err)
			}
			crls = append(crls, der)
		}
		f.cfg = gostsig.Config{
			Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, CRLs: crls,
			Offline: true, Clock: func() time.Time { return at },
		}
		for i := 0; i < nDistinct; i++ {
			content := fmt.Appendf(nil, "Документ № %d: небольшой текст, подписанный CAdES-BES для нагрузочного теста.", i)
			signer := testkit.SignerSpec{Cert: p.Leaf, SigningTime: at.Add(-time.Hour), SigningCertV2: true, SigningCertHashOID: oid.Streebog256}
			sig := testkit.MustSignedData(&testkit.SignedDataSpec{Content: content, Signers: []testkit.SignerSpec{signer}})
			f.sigs = append(f.sigs, sig)
		}
		fixVal = f
	})
	return fixVal
}

func (f *fixture) verifier(tb testing.TB) *gostsig.Verifier {
	v, err := gostsig.New(f.cfg)
	if err != nil {
		tb.Fatal(err)
	}
	for _, s := range f.sigs { // warm caches, and prove the items pass
		r, err := v.Verify(context.Background(), gostsig.Input{Signature: s})
		if err != nil || r.Indication != gostsig.TotalPassed {
			tb.Fatalf("fixture does not verify: %v %v", r, err)
		}
	}
	return v
}

// batchBody is the request of n items, items cycling through the fixture.
func (f *fixture) batchBody(n, offset int) []byte {
	type item struct {
		ID        string `json:"id"`
		Signature string `json:"signature"`
	}
	items := make([]item, n)
	for i := range items {
		items[i] = item{ID: strconv.Itoa(i), Signature: base64.StdEncoding.EncodeToString(f.sigs[(offset+i)%len(f.sigs)])}
	}
	b, _ := json.Marshal(map[string]any{"items": items})
	return b
}

// cpuTime is the CPU time (user + system) of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// rate is a throughput measured both ways: per wall-clock second, which
// the machine's other load distorts, and per CPU second this process
// used, which it does not (GC and, for HTTP, the client included).
type rate struct {
	n         int // verifications
	wall, cpu time.Duration
}

func (r rate) perWall() float64 { return float64(r.n) / r.wall.Seconds() }
func (r rate) perCPU() float64  { return float64(r.n) / r.cpu.Seconds() }

func (r *rate) add(o rate) { r.n += o.n; r.wall += o.wall; r.cpu += o.cpu }

// libraryRate verifies with `workers` goroutines calling Verify directly
// for d (or maxN verifications).
func libraryRate(v *gostsig.Verifier, sigs [][]byte, workers int, d time.Duration, maxN int) rate {
	var n atomic.Int64
	cpu0 := cpuTime()
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; time.Now().Before(deadline) && n.Load() < int64(maxN); i++ {
				r, err := v.Verify(context.Background(), gostsig.Input{Signature: sigs[i%len(sigs)]})
				if err != nil || r.Indication != gostsig.TotalPassed {
					panic(fmt.Sprint("library verification failed: ", err))
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return rate{n: int(n.Load()), wall: time.Since(start), cpu: cpuTime() - cpu0}
}

// loadResult is one HTTP row.
type loadResult struct {
	verifies  rate
	latencies []time.Duration // one per request
	peakRSSMB float64
}

func (r *loadResult) add(o loadResult) {
	r.verifies.add(o.verifies)
	r.latencies = append(r.latencies, o.latencies...)
	r.peakRSSMB = max(r.peakRSSMB, o.peakRSSMB)
}

func (r *loadResult) quantile(p float64) time.Duration {
	slices.Sort(r.latencies)
	return r.latencies[min(len(r.latencies)-1, int(p*float64(len(r.latencies))))]
}

// httpRun posts prepared bodies with `clients` concurrent keep-alive
// connections for d (or maxN requests) and checks every response.
// With srv, CPU time and RSS are the server process's; without, this
// process's (server in process, as in the benchmarks).
func httpRun(tb testing.TB, addr, path string, bodies [][]byte, items, clients int, d time.Duration, maxN int, srv *serverProcess) loadResult {
	cpuNow, rssNow := cpuTime, currentRSS
	if srv != nil {
		cpuNow = srv.cpu
		rssNow = func() int64 { r, _ := srv.rss(); return r }
	}
	hc := &fasthttp.HostClient{Addr: addr, MaxConns: clients, MaxResponseBodySize: 64 << 20, ReadTimeout: 30 * time.Second, WriteTimeout: 30 * time.Second}
	defer hc.CloseIdleConnections()
	var (
		mu        sync.Mutex
		latencies []time.Duration
		sent      atomic.Int64
		failed    atomic.Value
		rssPeak   atomic.Int64
	)
	stopRSS := make(chan struct{})
	go func() { // sample the RSS while the load runs
		for {
			if rss := rssNow(); rss > rssPeak.Load() {
				rssPeak.Store(rss)
			}
			select {
			case <-stopRSS:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	cpu0 := cpuNow()
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
			defer fasthttp.ReleaseRequest(req)
			defer fasthttp.ReleaseResponse(resp)
			// Keep this client's response buffer from request to
			// request. Otherwise it goes back to fasthttp's global
			// pool, which after 42000 small responses (an earlier row)
			// calibrates itself to drop large buffers: each batch
			// response then takes a fresh 0.6 MB buffer, and the
			// client's extra work on the two shared cores cost the
			// server's batch-of-100 row 7–10 % of its verifies/CPU-s
			// and a third of its wall-clock rate (alternate runs: 0.73–
			// 0.75x and 0.45x after the /v1/verify c=8 row, 0.81–0.82x
			// and 0.67x without it; with the buffer kept, 0.80–0.81x and
			// 0.67–0.68x either way).
			resp.KeepBodyBuffer = true
			local := make([]time.Duration, 0, 4096)
			for i := c; time.Now().Before(deadline); i++ {
				if sent.Add(1) > int64(maxN) {
					break
				}
				req.Reset()
				req.SetRequestURI("http://" + addr + path)
				req.Header.SetMethod("POST")
				req.SetBodyRaw(bodies[i%len(bodies)])
				t0 := time.Now()
				err := hc.Do(req, resp)
				local = append(local, time.Since(t0))
				if err == nil && resp.StatusCode() != 200 {
					err = fmt.Errorf("status %d: %.200s", resp.StatusCode(), resp.Body())
				}
				if err == nil && i%97 == 0 {
					err = checkPassed(resp.Body(), items, path)
				}
				if err != nil {
					failed.Store(err)
					return
				}
			}
			mu.Lock()
			latencies = append(latencies, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	cpu := cpuNow() - cpu0
	close(stopRSS)
	if err, _ := failed.Load().(error); err != nil {
		tb.Fatalf("%s: %v", path, err)
	}
	return loadResult{
		verifies:  rate{n: len(latencies) * items, wall: elapsed, cpu: cpu},
		latencies: latencies,
		peakRSSMB: float64(rssPeak.Load()) / (1 << 20),
	}
}

// checkPassed decodes a response fully: every item TOTAL_PASSED.
func checkPassed(body []byte, items int, path string) error {
	var results []struct {
		ID         string `json:"id"`
		Indication string `json:"indication"`
		Code       string `json:"code"`
	}
	if path == "/v1/verify" {
		var r struct{ Indication string }
		if err := json.Unmarshal(body, &r); err != nil || r.Indication != "TOTAL_PASSED" {
			return fmt.Errorf("single result %.200s", body)
		}
		return nil
	}
	var resp struct {
		Results json.RawMessage `json:"results"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return err
	}
	if err := json.Unmarshal(resp.Results, &results); err != nil {
		return err
	}
	if len(results) != items {
		return fmt.Errorf("%d results for %d items", len(results), items)
	}
	for i, r := range results {
		if r.ID != strconv.Itoa(i) || r.Indication != "TOTAL_PASSED" {
			return fmt.Errorf("item %d: %+v", i, r)
		}
	}
	return nil
}

// currentRSS reads VmRSS (bytes) from /proc/self/status; 0 elsewhere.
func currentRSS() int64 { return procStatus("VmRSS:") }

// peakRSS reads VmHWM, the process's peak resident set.
func peakRSS() int64 { return procStatus("VmHWM:") }

func procStatus(key string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, key); ok {
			f := strings.Fields(rest)
			if len(f) > 0 {
				kb, _ := strconv.ParseInt(f[0], 10, 64)
				return kb << 10
			}
		}
	}
	return 0
}

// startServer runs the service on 127.0.0.1 in this process, with the
// access log formatted (JSON) and discarded, so that its cost counts; or,
// in the server process with -server-log, written to that file as
// `gostsig serve` writes its log (through logbuf unless -server-log-flush
// is 0).
func startServer(tb testing.TB, v *gostsig.Verifier) (string, func()) {
	log := slog.New(slog.NewJSONHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var logBuf *logbuf.Buffer
	if path := os.Getenv("GOSTSIG_LOAD_LOG"); path != "" {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			tb.Fatal(err)
		}
		every, _ := time.ParseDuration(os.Getenv("GOSTSIG_LOAD_LOG_FLUSH"))
		log, logBuf = logbuf.NewLogger(f, every, false, &slog.HandlerOptions{Level: slog.LevelInfo})
	}
	srv, err := server.New(v, server.Trust{}, server.Options{Logger: log})
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	go srv.Serve(ln)
	return ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		srv.Close()
		logBuf.Close()
	}
}

// TestLoadServerProcess is not a test: it is the server of TestLoad in a
// child process (GOSTSIG_LOAD_SERVER=1), so that the server's own CPU time
// and RSS can be read apart from the client's. It prints its address and
// serves until its standard input closes.
func TestLoadServerProcess(t *testing.T) {
	if os.Getenv("GOSTSIG_LOAD_SERVER") != "1" {
		t.Skip("the server process of TestLoad")
	}
	f := getFixture(t)
	addr, stop := startServer(t, f.verifier(t))
	if p := os.Getenv("GOSTSIG_LOAD_CPUPROFILE"); p != "" {
		pf, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if hz, _ := strconv.Atoi(os.Getenv("GOSTSIG_LOAD_CPUPROFILE_HZ")); hz > 0 {
			runtime.SetCPUProfileRate(hz) // before StartCPUProfile, which then keeps it
		}
		pprof.StartCPUProfile(pf)
		defer pf.Close()
	}
	fmt.Printf("ADDR %s\n", addr)
	io.Copy(io.Discard, os.Stdin)
	pprof.StopCPUProfile()
	stop()
	os.Exit(0)
}

// serverProcess is the child running TestLoadServerProcess.
type serverProcess struct {
	cmd   *exec.Cmd
	stdin io.Closer
	addr  string
}

func startServerProcess(t *testing.T, procs int) *serverProcess {
	cmd := exec.Command(os.Args[0], "-test.run=^TestLoadServerProcess$")
	cmd.Env = append(os.Environ(), "GOSTSIG_LOAD_SERVER=1", "GOMAXPROCS="+strconv.Itoa(procs), "GOSTSIG_LOAD_CPUPROFILE="+*serverProf,
		"GOSTSIG_LOAD_LOG="+*serverLog, "GOSTSIG_LOAD_LOG_FLUSH="+logFlush.String())
	cmd.Env = append(cmd.Env, strings.Fields(*serverEnv)...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "ADDR ")
	if err != nil || !ok {
		cmd.Process.Kill()
		t.Fatalf("server process: %q %v", line, err)
	}
	return &serverProcess{cmd: cmd, stdin: stdin, addr: addr}
}

func (p *serverProcess) stop() {
	p.stdin.Close()
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
	}
}

// cpu reads the child's user + system time from /proc/PID/stat.
func (p *serverProcess) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	// Fields after the ")" that ends the command name: state is 3rd,
	// utime 14th and stime 15th of the whole line.
	rest := string(b[strings.LastIndexByte(string(b), ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clockTicks
}

// clockTicks is sysconf(_SC_CLK_TCK), 100 on every Linux Go supports.
const clockTicks = 100

func (p *serverProcess) rss() (cur, peak int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		kb, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmRSS:":
			cur = kb << 10
		case "VmHWM:":
			peak = kb << 10
		}
	}
	return cur, peak
}

// TestLoad prints the table of bench/README.md ("HTTP service"). The
// server runs in a child process with GOMAXPROCS=-procs; the client runs
// here. Each row measures the library (Verify from -procs goroutines, in
// this process) and then the service on the same items for the same time,
// so that the ratio compares neighbouring measurements on a machine whose
// load drifts. Throughput is given per wall-clock second (the client
// shares the cores) and per CPU second of the server process alone.
func TestLoad(t *testing.T) {
	if !*loadFlag {
		t.Skip("load test: go test ./bench/load -run TestLoad -v -load")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(*procs))
	f := getFixture(t)
	v := f.verifier(t)
	defer v.Close()
	srv := startServerProcess(t, *procs)
	defer srv.stop()
	addr := srv.addr

	type row struct {
		name    string
		path    string
		items   int
		clients int
	}
	rows := []row{
		{"/v1/verify", "/v1/verify", 1, 1},
		{"/v1/verify", "/v1/verify", 1, 8},
		{"batch of 1", "/v1/verify/batch", 1, 1},
		{"batch of 1", "/v1/verify/batch", 1, 8},
		{"batch of 10", "/v1/verify/batch", 10, 1},
		{"batch of 10", "/v1/verify/batch", 10, 4},
		{"batch of 100", "/v1/verify/batch", 100, 1},
		{"batch of 100", "/v1/verify/batch", 100, 2},
		{"batch of 100", "/v1/verify/batch", 100, 4},
		// detail=summary: the verdicts without their evidence (a quarter
		// of the response bytes and of the encoding).
		{"batch of 10, summary", "/v1/verify/batch?detail=summary", 10, 4},
		{"batch of 100, summary", "/v1/verify/batch?detail=summary", 100, 1},
		{"batch of 100, summary", "/v1/verify/batch?detail=summary", 100, 2},
	}
	load, _ := os.ReadFile("/proc/loadavg")
	var out strings.Builder
	fmt.Fprintf(&out, "GOMAXPROCS=%d (library, and the server process), %s, %s/%s, %d distinct CAdES-BES items (%d bytes each), %s per measurement in %d alternating slices, load average %s\n\n",
		*procs, runtime.Version(), runtime.GOOS, runtime.GOARCH, len(f.sigs), len(f.sigs[0]), *durationF, rounds, strings.Join(strings.Fields(string(load))[:3], " "))
	fmt.Fprintln(&out, "| request | clients | requests | library verifies/s | HTTP verifies/s | ratio | library verifies/CPU-s | server verifies/CPU-s | CPU ratio | p50 ms | p99 ms | server RSS MB |")
	fmt.Fprintln(&out, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	// Warm the connections and the server's caches and buffers.
	httpRun(t, addr, "/v1/verify/batch", [][]byte{f.batchBody(10, 0)}, 10, 4, 500*time.Millisecond, 1000, nil)
	var peak int64
	for _, r := range rows {
		if !selected(fmt.Sprintf("%s c=%d", r.name, r.clients), *rowsFlag) {
			continue
		}
		var bodies [][]byte
		for i := range 8 {
			if r.path == "/v1/verify" {
				bodies = append(bodies, f.sigs[i%len(f.sigs)])
			} else {
				bodies = append(bodies, f.batchBody(r.items, i*r.items))
			}
		}
		// Alternate short library and HTTP slices so that both see
		// the same drift of the machine's load.
		var lib rate
		var res loadResult
		slice := *durationF / rounds
		for range rounds {
			lib.add(libraryRate(v, f.sigs, *procs, slice, *maxRequests*r.items/rounds))
			res.add(httpRun(t, addr, r.path, bodies, r.items, r.clients, slice, *maxRequests/rounds, srv))
		}
		_, p := srv.rss()
		peak = max(peak, p)
		fmt.Fprintf(&out, "| %s | %d | %d | %.0f | %.0f | %.2fx | %.0f | %.0f | %.2fx | %.2f | %.2f | %.0f |\n",
			r.name, r.clients, len(res.latencies), lib.perWall(), res.verifies.perWall(), res.verifies.perWall()/lib.perWall(),
			lib.perCPU(), res.verifies.perCPU(), res.verifies.perCPU()/lib.perCPU(),
			float64(res.quantile(0.50).Microseconds())/1000, float64(res.quantile(0.99).Microseconds())/1000, res.peakRSSMB)
	}
	fmt.Fprintf(&out, "\nPeak RSS of the server process over the run (VmHWM): %.0f MB\n", float64(peak)/(1<<20))
	t.Log("\n" + out.String())
}

// selected reports whether the row named name is one -rows asks for.
func selected(name, rows string) bool {
	for _, want := range strings.Split(rows, "|") {
		if strings.Contains(name, want) {
			return true
		}
	}
	return false
}

// Benchmarks for `go test -bench`: the library and the service on the same
// items, each reporting verifies/s.

func BenchmarkLibrary(b *testing.B) {
	f := getFixture(b)
	v := f.verifier(b)
	defer v.Close()
	b.ReportAllocs()
	var i atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := v.Verify(context.Background(), gostsig.Input{Signature: f.sigs[int(i.Add(1))%len(f.sigs)]}); err != nil {
				b.Error(err)
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "verifies/s")
}

func benchmarkBatch(b *testing.B, items int) {
	f := getFixture(b)
	v := f.verifier(b)
	addr, stop := startServer(b, v)
	defer stop()
	body := f.batchBody(items, 0)
	hc := &fasthttp.HostClient{Addr: addr, MaxConns: 64, MaxResponseBodySize: 64 << 20}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
		defer fasthttp.ReleaseRequest(req)
		defer fasthttp.ReleaseResponse(resp)
		resp.KeepBodyBuffer = true // as in httpRun
		for pb.Next() {
			req.SetRequestURI("http://" + addr + "/v1/verify/batch")
			req.Header.SetMethod("POST")
			req.SetBodyRaw(body)
			if err := hc.Do(req, resp); err != nil || resp.StatusCode() != 200 {
				b.Errorf("%v %d", err, resp.StatusCode())
				return
			}
		}
	})
	b.ReportMetric(float64(b.N*items)/b.Elapsed().Seconds(), "verifies/s")
}

func BenchmarkBatch1(b *testing.B)   { benchmarkBatch(b, 1) }
func BenchmarkBatch10(b *testing.B)  { benchmarkBatch(b, 10) }
func BenchmarkBatch100(b *testing.B) { benchmarkBatch(b, 100) }
