package server

import (
	"math"
	"os"
	"runtime"
	rtmetrics "runtime/metrics"
	"strconv"
	"sync/atomic"
	"time"

	"gostsig.dev/gostsig"
)

// The metrics are written by hand in the Prometheus text exposition format
// (version 0.0.4) rather than with prometheus/client_golang: every label
// set here is known in advance (routes, statuses, codes, indications), so
// the counters are fixed arrays of atomics that cost one atomic add and no
// allocation per request, and /metrics is a plain fasthttp handler. The
// client library would bring its registry, label hashing and a net/http
// adaptor (fasthttpadaptor) for nothing this service uses.

// route is one of the fixed routes; everything else is routeOther.
type route uint8

const (
	routeVerify route = iota
	routeBatch
	routeHealthz
	routeReadyz
	routeMetrics
	routeOpenAPI
	routeOther
	numRoutes
)

var routeNames = [numRoutes]string{
	"/v1/verify", "/v1/verify/batch", "/healthz", "/readyz", "/metrics", "/openapi.json", "other",
}

// statuses are the HTTP statuses the server answers with; any other lands
// in the last slot, labelled "other".
var statuses = [...]int{200, 400, 404, 405, 408, 413, 415, 431, 500, 503, 0}

func statusIndex(code int) int {
	for i, s := range statuses[:len(statuses)-1] {
		if s == code {
			return i
		}
	}
	return len(statuses) - 1
}

// codes lists every error code, for the fixed counter arrays.
var codes = [...]string{
	CodeBadRequest, CodeMalformedJSON, CodeMalformedBase64, CodeMalformedHash, CodeInvalidInput,
	CodeBadQuery, CodeEmptyBody, CodeMalformedEncoding, CodeMalformedHTTP, CodeNotFound,
	CodeMethodNotAllowed, CodeRequestTimeout, CodeBodyTooLarge, CodeTooManyItems, CodeItemTooLarge,
	CodeUnsupportedMedia, CodeHeaderTooLarge, CodeInternal, CodeOverloaded, CodeNotReady,
	CodeShuttingDown, CodeTimeout, CodeCanceled, CodeMissingSignature,
}

func codeIndex(code string) int {
	for i, c := range codes {
		if c == code {
			return i
		}
	}
	return codeIndex(CodeInternal)
}

// Latency buckets in seconds: a cached CAdES-BES verifies in a fraction of
// a millisecond, a batch of a thousand or a cold CRL fetch takes seconds.
var latencyBuckets = [...]float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// Batch size buckets (items per request).
var batchBuckets = [...]float64{1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000}

// histogram is a fixed-bucket Prometheus histogram of non-negative values.
type histogram struct {
	bounds []float64
	counts []atomic.Uint64 // one per bound, plus +Inf
	sum    atomic.Uint64   // float64 bits
}

func newHistogram(bounds []float64) *histogram {
	return &histogram{bounds: bounds, counts: make([]atomic.Uint64, len(bounds)+1)}
}

func (h *histogram) observe(v float64) {
	i := 0
	for i < len(h.bounds) && v > h.bounds[i] {
		i++
	}
	h.counts[i].Add(1)
	for {
		old := h.sum.Load()
		if h.sum.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+v)) {
			return
		}
	}
}

const maxSubIndication = 64

// metrics holds every counter of one Server.
type metrics struct {
	requests     [numRoutes][len(statuses)]atomic.Uint64
	errors       [numRoutes][len(codes)]atomic.Uint64
	latency      [numRoutes]*histogram
	batchItems   *histogram
	verifyTime   *histogram
	indications  [4]atomic.Uint64 // by gostsig.Indication (1..3)
	subs         [maxSubIndication]atomic.Uint64
	itemErrors   [len(codes)]atomic.Uint64
	panics       atomic.Uint64
	inflight     atomic.Int64 // requests being handled
	verifiesBusy atomic.Int64 // items a worker is verifying
}

func newMetrics() *metrics {
	m := &metrics{batchItems: newHistogram(batchBuckets[:]), verifyTime: newHistogram(latencyBuckets[:])}
	for i := range m.latency {
		m.latency[i] = newHistogram(latencyBuckets[:])
	}
	return m
}

func (m *metrics) request(r route, status int, code string, d time.Duration) {
	m.count(r, status, code)
	m.latency[r].observe(d.Seconds())
}

// count counts a request by route, status and error code; request adds its
// latency. A request refused before it reached its handler (body over the
// limit, read timeout, malformed HTTP) is only counted: no handler ran, and
// a flood of refusals must not pull the route's latency quantiles to zero.
func (m *metrics) count(r route, status int, code string) {
	m.requests[r][statusIndex(status)].Add(1)
	if status >= 400 {
		m.errors[r][codeIndex(code)].Add(1)
	}
}

func (m *metrics) outcome(res *gostsig.Result) {
	if res.Indication >= 1 && res.Indication <= 3 {
		m.indications[res.Indication].Add(1)
	}
	if s := int(res.SubIndication); s > 0 && s < maxSubIndication {
		m.subs[s].Add(1)
	}
}

// expo appends the text exposition format.
type expo []byte

func (b expo) help(name, typ, help string) expo {
	b = append(b, "# HELP "...)
	b = append(b, name...)
	b = append(b, ' ')
	b = append(b, help...)
	b = append(b, "\n# TYPE "...)
	b = append(b, name...)
	b = append(b, ' ')
	b = append(b, typ...)
	return append(b, '\n')
}

// sample appends `name{k1="v1",k2="v2"} value`; labels come in pairs.
func (b expo) sample(name string, v float64, labels ...string) expo {
	b = append(b, name...)
	if len(labels) > 0 {
		b = append(b, '{')
		for i := 0; i+1 < len(labels); i += 2 {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, labels[i]...)
			b = append(b, `="`...)
			b = appendLabelValue(b, labels[i+1])
			b = append(b, '"')
		}
		b = append(b, '}')
	}
	b = append(b, ' ')
	b = appendFloat(b, v)
	return append(b, '\n')
}

func (b expo) histogram(name string, h *histogram, labels ...string) expo {
	var cum uint64
	lb := append(labels[:len(labels):len(labels)], "le", "")
	for i, bound := range h.bounds {
		cum += h.counts[i].Load()
		lb[len(lb)-1] = strconv.FormatFloat(bound, 'g', -1, 64)
		b = b.sample(name+"_bucket", float64(cum), lb...)
	}
	cum += h.counts[len(h.bounds)].Load()
	lb[len(lb)-1] = "+Inf"
	b = b.sample(name+"_bucket", float64(cum), lb...)
	b = b.sample(name+"_sum", math.Float64frombits(h.sum.Load()), labels...)
	return b.sample(name+"_count", float64(cum), labels...)
}

func appendFloat(b []byte, v float64) []byte {
	switch {
	case math.IsInf(v, 1):
		return append(b, "+Inf"...)
	case math.IsInf(v, -1):
		return append(b, "-Inf"...)
	case math.IsNaN(v):
		return append(b, "NaN"...)
	case v == math.Trunc(v) && math.Abs(v) < 1e15:
		return strconv.AppendInt(b, int64(v), 10)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}

// appendLabelValue escapes backslash, double quote and newline (the only
// escapes of the text format).
func appendLabelValue(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, `\\`...)
		case '"':
			b = append(b, `\"`...)
		case '\n':
			b = append(b, `\n`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

// writeMetrics appends the whole exposition for s.
func (s *Server) writeMetrics(b expo) expo {
	m := s.m
	b = b.help("gostsig_http_requests_total", "counter", "HTTP requests by route and status.")
	for r := range numRoutes {
		for i, st := range statuses {
			if n := m.requests[r][i].Load(); n > 0 {
				code := "other"
				if st != 0 {
					code = strconv.Itoa(st)
				}
				b = b.sample("gostsig_http_requests_total", float64(n), "path", routeNames[r], "status", code)
			}
		}
	}
	b = b.help("gostsig_http_request_errors_total", "counter", "HTTP requests answered with an error, by route and error code.")
	for r := range numRoutes {
		for i, c := range codes {
			if n := m.errors[r][i].Load(); n > 0 {
				b = b.sample("gostsig_http_request_errors_total", float64(n), "path", routeNames[r], "code", c)
			}
		}
	}
	b = b.help("gostsig_http_request_duration_seconds", "histogram", "Time from the request read to the response written to the connection buffer, by route.")
	for r := range numRoutes {
		if r == routeOther {
			continue
		}
		b = b.histogram("gostsig_http_request_duration_seconds", m.latency[r], "path", routeNames[r])
	}
	b = b.help("gostsig_http_requests_inflight", "gauge", "Requests being handled.")
	b = b.sample("gostsig_http_requests_inflight", float64(m.inflight.Load()))
	b = b.help("gostsig_batch_items", "histogram", "Items per verification request (1 for /v1/verify).")
	b = b.histogram("gostsig_batch_items", m.batchItems)

	b = b.help("gostsig_verifications_total", "counter", "Verdicts by overall indication.")
	for i := gostsig.TotalPassed; i <= gostsig.Indeterminate; i++ {
		b = b.sample("gostsig_verifications_total", float64(m.indications[i].Load()), "indication", i.String())
	}
	b = b.help("gostsig_verification_subindications_total", "counter", "Verdicts by overall subindication (not TOTAL_PASSED).")
	for i := 1; i < maxSubIndication; i++ {
		if n := m.subs[i].Load(); n > 0 {
			b = b.sample("gostsig_verification_subindications_total", float64(n), "subindication", gostsig.SubIndication(i).String())
		}
	}
	b = b.help("gostsig_verification_errors_total", "counter", "Items for which no verdict was possible, by error code.")
	for i, c := range codes {
		if n := m.itemErrors[i].Load(); n > 0 {
			b = b.sample("gostsig_verification_errors_total", float64(n), "code", c)
		}
	}
	b = b.help("gostsig_verify_duration_seconds", "histogram", "Library time of one verification (gostsig.Verifier.Verify).")
	b = b.histogram("gostsig_verify_duration_seconds", m.verifyTime)
	b = b.help("gostsig_panics_total", "counter", "Panics recovered in handlers and workers (each is a bug, logged with its stack).")
	b = b.sample("gostsig_panics_total", float64(m.panics.Load()))

	b = b.help("gostsig_workers", "gauge", "Verification workers.")
	b = b.sample("gostsig_workers", float64(s.opts.Workers))
	b = b.help("gostsig_workers_busy", "gauge", "Workers verifying an item now.")
	b = b.sample("gostsig_workers_busy", float64(m.verifiesBusy.Load()))
	b = b.help("gostsig_queue_items", "gauge", "Items admitted and not finished (queued or running).")
	b = b.sample("gostsig_queue_items", float64(s.pending.Load()))
	b = b.help("gostsig_queue_capacity", "gauge", "Items that may be admitted at once (--max-pending); over it requests get 503.")
	b = b.sample("gostsig_queue_capacity", float64(s.opts.MaxPending))

	b = b.help("gostsig_ready", "gauge", "1 when /readyz answers 200.")
	ready := 0.0
	if _, err := s.readiness(); err == nil {
		ready = 1
	}
	b = b.sample("gostsig_ready", ready)
	if ref := s.cur.Load(); ref != nil {
		t := &ref.trust
		st := s.stats(ref)
		crls, bad := crlState(ref, st)
		b = b.help("gostsig_trust_anchors", "gauge", "Trust anchors of the verifier.")
		b = b.sample("gostsig_trust_anchors", float64(t.Roots))
		b = b.help("gostsig_trust_loaded_timestamp_seconds", "gauge", "When the trust store and CRLs in use were loaded.")
		b = b.sample("gostsig_trust_loaded_timestamp_seconds", unixSeconds(t.LoadedAt))
		if st != nil {
			b = b.help("gostsig_cache_hits_total", "counter", "Cache lookups answered from cache, by cache (certificates: parsed certificates; signatures: certificate signature verdicts; paths: certification paths; crl: CRLs by distribution point).")
			b = b.sample("gostsig_cache_hits_total", float64(st.Certificates.Hits), "cache", "certificates")
			b = b.sample("gostsig_cache_hits_total", float64(st.Signatures.Hits), "cache", "signatures")
			b = b.sample("gostsig_cache_hits_total", float64(st.Paths.Hits), "cache", "paths")
			b = b.sample("gostsig_cache_hits_total", float64(st.CRLCache.Hits), "cache", "crl")
			b = b.help("gostsig_cache_misses_total", "counter", "Cache lookups that found nothing cached, by cache; hit ratio: rate(hits) / (rate(hits) + rate(misses)).")
			b = b.sample("gostsig_cache_misses_total", float64(st.Certificates.Misses), "cache", "certificates")
			b = b.sample("gostsig_cache_misses_total", float64(st.Signatures.Misses), "cache", "signatures")
			b = b.sample("gostsig_cache_misses_total", float64(st.Paths.Misses), "cache", "paths")
			b = b.sample("gostsig_cache_misses_total", float64(st.CRLCache.Misses), "cache", "crl")
			b = b.help("gostsig_crl_cache_disk_hits_total", "counter", "CRL cache hits answered by reading the cache directory (part of gostsig_cache_hits_total{cache=\"crl\"}).")
			b = b.sample("gostsig_crl_cache_disk_hits_total", float64(st.CRLCache.DiskHits))
			b = b.help("gostsig_crl_cache_entries", "gauge", "CRLs the CRL cache holds (in memory, or listed in the read-only cache directory).")
			b = b.sample("gostsig_crl_cache_entries", float64(st.CRLCache.Entries))
		}
		b = b.help("gostsig_crls", "gauge", "CRLs held, by source (flag: --crl; cache: the CRL cache directory; fetched: fetched by this replica).")
		var nFlag, nCache, nFetched int
		for _, c := range crls {
			switch c.Source {
			case SourceCache:
				nCache++
			case SourceFetched:
				nFetched++
			default:
				nFlag++
			}
		}
		b = b.sample("gostsig_crls", float64(nFlag), "source", SourceFlag)
		b = b.sample("gostsig_crls", float64(nCache), "source", SourceCache)
		b = b.sample("gostsig_crls", float64(nFetched), "source", SourceFetched)
		b = b.help("gostsig_crl_cache_bad_entries", "gauge", "Entries of the CRL cache directory that failed their checks (skipped).")
		b = b.sample("gostsig_crl_cache_bad_entries", float64(bad))
		b = b.help("gostsig_crl_this_update_timestamp_seconds", "gauge", "thisUpdate of each CRL held.")
		for _, c := range crls {
			b = b.sample("gostsig_crl_this_update_timestamp_seconds", unixSeconds(c.ThisUpdate), "issuer", c.Issuer, "number", c.Number, "source", c.Source, "url", c.URL)
		}
		b = b.help("gostsig_crl_next_update_timestamp_seconds", "gauge", "nextUpdate of each CRL held (0: none); alert on it minus time().")
		for _, c := range crls {
			b = b.sample("gostsig_crl_next_update_timestamp_seconds", unixSeconds(c.NextUpdate), "issuer", c.Issuer, "number", c.Number, "source", c.Source, "url", c.URL)
		}
	}

	b = b.help("gostsig_build_info", "gauge", "Version of the server.")
	b = b.sample("gostsig_build_info", 1, "version", s.opts.Version, "goversion", runtime.Version())
	b = b.help("go_goroutines", "gauge", "Goroutines.")
	b = b.sample("go_goroutines", float64(runtime.NumGoroutine()))
	samples := []rtmetrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/memory/classes/total:bytes"}}
	rtmetrics.Read(samples)
	b = b.help("go_heap_objects_bytes", "gauge", "Bytes of live and unswept heap objects (runtime/metrics).")
	b = b.sample("go_heap_objects_bytes", sampleValue(samples[0]))
	b = b.help("go_memory_total_bytes", "gauge", "All memory mapped by the Go runtime (runtime/metrics).")
	b = b.sample("go_memory_total_bytes", sampleValue(samples[1]))
	if rss, ok := residentBytes(); ok {
		b = b.help("process_resident_memory_bytes", "gauge", "Resident set size.")
		b = b.sample("process_resident_memory_bytes", float64(rss))
	}
	return b
}

// uniqueCRLs drops a CRL whose labels repeat an earlier one's (the same
// file given twice): a series appears once in an exposition.
func uniqueCRLs(crls []CRLInfo) []CRLInfo {
	seen := make(map[[4]string]bool, len(crls))
	out := crls[:0:0]
	for _, c := range crls {
		k := [4]string{c.Issuer, c.Number, c.Source, c.URL}
		if !seen[k] {
			seen[k] = true
			out = append(out, c)
		}
	}
	return out
}

func sampleValue(s rtmetrics.Sample) float64 {
	if s.Value.Kind() == rtmetrics.KindUint64 {
		return float64(s.Value.Uint64())
	}
	return 0
}

func unixSeconds(t time.Time) float64 {
	if t.IsZero() {
		return 0
	}
	return float64(t.UnixNano()) / 1e9
}

// residentBytes reads the RSS from /proc/self/statm (Linux).
func residentBytes() (uint64, bool) {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, false
	}
	// "size resident shared text lib data dt", in pages.
	i := 0
	for i < len(b) && b[i] != ' ' {
		i++
	}
	j := i + 1
	for j < len(b) && b[j] != ' ' {
		j++
	}
	if j > len(b) || i+1 > j {
		return 0, false
	}
	pages, err := strconv.ParseUint(string(b[i+1:j]), 10, 64)
	if err != nil {
		return 0, false
	}
	return pages * uint64(os.Getpagesize()), true
}
