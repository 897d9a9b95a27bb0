package server

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// parseExposition checks every line of the text format and returns the
// samples by their full name with labels.
func parseExposition(t *testing.T, text string) map[string]float64 {
	t.Helper()
	sample := regexp.MustCompile(`^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*)\})? (\S+)$`)
	out := map[string]float64{}
	typed := map[string]string{}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if strings.HasPrefix(line, "# HELP ") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "# TYPE "); ok {
			name, typ, _ := strings.Cut(rest, " ")
			if typed[name] != "" {
				t.Errorf("line %d: second TYPE for %s", i+1, name)
			}
			typed[name] = typ
			continue
		}
		m := sample.FindStringSubmatch(line)
		if m == nil {
			t.Errorf("line %d is not a sample: %q", i+1, line)
			continue
		}
		v, err := strconv.ParseFloat(m[4], 64)
		if err != nil && m[4] != "+Inf" {
			t.Errorf("line %d: value %q", i+1, m[4])
		}
		key := m[1] + m[2]
		if _, dup := out[key]; dup {
			t.Errorf("line %d: duplicate sample %s", i+1, key)
		}
		out[key] = v
	}
	return out
}

func TestMetrics(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{Workers: 2, ItemTimeout: 100 * time.Millisecond})
	ts.do(t, "POST", "/v1/verify", f.attached)
	ts.do(t, "POST", "/v1/verify", []byte("garbage"))
	ts.do(t, "POST", "/v1/verify/batch", batchBody(t,
		map[string]any{"signature": b64(f.attached)},
		map[string]any{"signature": b64(f.detached), "content": b64(f.changed)},
		map[string]any{"signature": b64(sigSlow)},
	))
	ts.do(t, "POST", "/v1/verify/batch", []byte("{"))
	ts.do(t, "GET", "/nowhere", nil)
	ts.do(t, "GET", "/healthz", nil)
	waitFor(t, func() bool { return ts.pending.Load() == 0 }) // the slow item's worker is back
	r := ts.do(t, "GET", "/metrics", nil)
	if r.status != 200 || r.header["content-type"] != contentMetrics {
		t.Fatalf("metrics: %d %q", r.status, r.header["content-type"])
	}
	m := parseExposition(t, string(r.body))
	want := map[string]float64{
		`gostsig_http_requests_total{path="/v1/verify",status="200"}`:                      2,
		`gostsig_http_requests_total{path="/v1/verify/batch",status="200"}`:                1,
		`gostsig_http_requests_total{path="/v1/verify/batch",status="400"}`:                1,
		`gostsig_http_requests_total{path="other",status="404"}`:                           1,
		`gostsig_http_requests_total{path="/healthz",status="200"}`:                        1,
		`gostsig_http_request_errors_total{path="/v1/verify/batch",code="malformed_json"}`: 1,
		`gostsig_http_request_errors_total{path="other",code="not_found"}`:                 1,
		`gostsig_verifications_total{indication="TOTAL_PASSED"}`:                           2,
		`gostsig_verifications_total{indication="TOTAL_FAILED"}`:                           2,
		`gostsig_verifications_total{indication="INDETERMINATE"}`:                          0,
		`gostsig_verification_subindications_total{subindication="FORMAT_FAILURE"}`:        1,
		`gostsig_verification_subindications_total{subindication="HASH_FAILURE"}`:          1,
		`gostsig_verification_errors_total{code="timeout"}`:                                1,
		`gostsig_batch_items_count`:                                                        3,
		`gostsig_batch_items_sum`:                                                          5,
		`gostsig_verify_duration_seconds_count`:                                            5,
		`gostsig_http_request_duration_seconds_count{path="/v1/verify"}`:                   2,
		`gostsig_workers`:              2,
		`gostsig_ready`:                1,
		`gostsig_trust_anchors`:        1,
		`gostsig_crls{source="flag"}`:  2,
		`gostsig_crls{source="cache"}`: 0,
		`gostsig_panics_total`:         0,
	}
	for k, v := range want {
		if got, ok := m[k]; !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
	// Histograms are cumulative and end with +Inf = count.
	inf := m[`gostsig_http_request_duration_seconds_bucket{path="/v1/verify",le="+Inf"}`]
	if inf != 2 {
		t.Errorf("+Inf bucket %v", inf)
	}
	prev := 0.0
	for _, b := range latencyBuckets {
		v := m[fmt.Sprintf(`gostsig_verify_duration_seconds_bucket{le="%s"}`, strconv.FormatFloat(b, 'g', -1, 64))]
		if v < prev {
			t.Errorf("bucket le=%v: %v < %v", b, v, prev)
		}
		prev = v
	}
	// CRL freshness: the fixture's CRLs end a week after refTime.
	next := float64(refTime.Add(7 * 24 * time.Hour).Unix())
	n := 0
	for k, v := range m {
		if strings.HasPrefix(k, "gostsig_crl_next_update_timestamp_seconds{") {
			n++
			if math.Abs(v-next) > 1e-3 || !strings.Contains(k, `source="flag"`) || !strings.Contains(k, `number="7"`) {
				t.Errorf("%s = %v, want %v", k, v, next)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d CRL freshness samples, want 2", n)
	}
	// Cache counters: every verification looks its path up once (the
	// three that parsed: two attached, one detached; garbage and the slow
	// item never reach the path).
	paths := m[`gostsig_cache_hits_total{cache="paths"}`] + m[`gostsig_cache_misses_total{cache="paths"}`]
	certs := m[`gostsig_cache_hits_total{cache="certificates"}`] + m[`gostsig_cache_misses_total{cache="certificates"}`]
	if paths != 3 || certs < 3 {
		t.Errorf("cache lookups counted: paths %v (want 3), certificates %v (want ≥ 3)", paths, certs)
	}
	for _, k := range []string{`gostsig_cache_hits_total{cache="crl"}`, `gostsig_cache_misses_total{cache="signatures"}`, `gostsig_crl_cache_entries`, `gostsig_crls{source="fetched"}`} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %s", k)
		}
	}
	if _, ok := m["process_resident_memory_bytes"]; !ok {
		t.Error("no process_resident_memory_bytes")
	}
}

func TestExpositionEscaping(t *testing.T) {
	b := expo(nil).sample("x", 1.5, "a", "q\"b\\n\nz")
	if got, want := string(b), `x{a="q\"b\\n\nz"} 1.5`+"\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	for _, tt := range []struct {
		v    float64
		want string
	}{{0, "0"}, {3, "3"}, {0.25, "0.25"}, {math.Inf(1), "+Inf"}, {1e20, "1e+20"}} {
		if got := string(appendFloat(nil, tt.v)); got != tt.want {
			t.Errorf("appendFloat(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// The cache counters are per verifier; a reload swaps in a new one, and
// the exported counters carry the old one's on, so that they never go
// back.
func TestCacheCountersSurviveReload(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{Workers: 1})
	lookups := func() float64 {
		m := parseExposition(t, string(ts.do(t, "GET", "/metrics", nil).body))
		return m[`gostsig_cache_hits_total{cache="paths"}`] + m[`gostsig_cache_misses_total{cache="paths"}`]
	}
	for range 3 {
		ts.do(t, "POST", "/v1/verify", f.attached)
	}
	if n := lookups(); n != 3 {
		t.Fatalf("%v path lookups counted, want 3", n)
	}
	eng := newFakeEngine(f.verifier(t))
	ts.setEngine(eng, Trust{Roots: 1})
	ts.eng = eng // cleanup releases this one
	if n := lookups(); n != 3 {
		t.Fatalf("after the reload: %v path lookups, want the old verifier's 3", n)
	}
	ts.do(t, "POST", "/v1/verify", f.attached)
	if n := lookups(); n != 4 {
		t.Errorf("after one more verification: %v, want 4", n)
	}
}

// Requests fasthttp refuses before the handler (a body over --max-body
// announced by Content-Length) are counted under the route their header
// named, and add nothing to its latency histogram; a request without a
// readable path stays "other". So does a chunked body that runs over the
// limit: fasthttp resets the request (header included) when a body read
// fails, before the error handler sees it.
func TestMetricsRejectedRoute(t *testing.T) {
	_, addr := tcpServer(t, Options{MaxBodyBytes: 1 << 20})
	for _, req := range []string{
		"POST /v1/verify HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n",
		"POST /v1/verify?x=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n100001\r\n" + strings.Repeat("a", 1<<20+1) + "\r\n0\r\n\r\n",
		"POST /v1/verify/batch HTTP/1.1\r\nHost: x\r\nContent-Length: 9000000\r\n\r\n",
		"POST /elsewhere HTTP/1.1\r\nHost: x\r\nContent-Length: 9000000\r\n\r\n",
		"BREW /coffee HTCPCP/1.0 and nonsense\r\n\r\n",
	} {
		if resp, body := rawExchange(t, addr, req); resp.StatusCode != 413 && resp.StatusCode != 400 {
			t.Fatalf("%.40q: %d %s", req, resp.StatusCode, body)
		}
	}
	resp, body := rawExchange(t, addr, "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
	if resp.StatusCode != 200 {
		t.Fatalf("metrics: %d", resp.StatusCode)
	}
	m := parseExposition(t, body)
	for k, v := range map[string]float64{
		`gostsig_http_requests_total{path="/v1/verify",status="413"}`:                      1,
		`gostsig_http_request_errors_total{path="/v1/verify",code="body_too_large"}`:       1,
		`gostsig_http_requests_total{path="/v1/verify/batch",status="413"}`:                1,
		`gostsig_http_request_errors_total{path="/v1/verify/batch",code="body_too_large"}`: 1,
		`gostsig_http_requests_total{path="other",status="413"}`:                           2, // /elsewhere, chunked
		`gostsig_http_requests_total{path="other",status="400"}`:                           1,
		`gostsig_http_request_duration_seconds_count{path="/v1/verify"}`:                   0,
		`gostsig_http_request_duration_seconds_count{path="/v1/verify/batch"}`:             0,
	} {
		if got, ok := m[k]; !ok || got != v {
			t.Errorf("%s = %v (present %v), want %v", k, got, ok, v)
		}
	}
}
