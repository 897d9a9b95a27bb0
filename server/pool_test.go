package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gostsig.dev/gostsig"
)

type batchReply struct {
	Results []map[string]any `json:"results"`
}

func (r *reply) batch(t testing.TB) batchReply {
	t.Helper()
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var b batchReply
	if err := json.Unmarshal(r.body, &b); err != nil {
		t.Fatal(err)
	}
	return b
}

func itemOutcome(m map[string]any) string {
	if c, ok := m["code"].(string); ok {
		return "error:" + c
	}
	s, _ := m["indication"].(string)
	return s
}

// An item that hangs, even one that ignores its context, is answered with
// "timeout" at its deadline; the rest of the batch is not held up.
func TestItemDeadline(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{Workers: 2, ItemTimeout: 200 * time.Millisecond, RequestTimeout: time.Minute})
	body := batchBody(t,
		map[string]any{"id": "a", "signature": b64(f.attached)},
		map[string]any{"id": "stuck", "signature": b64(sigStuck)},
		map[string]any{"id": "slow", "signature": b64(sigSlow)},
		map[string]any{"id": "b", "signature": b64(f.attached)},
		map[string]any{"id": "c", "signature": b64(f.attached)},
	)
	done := make(chan *reply, 1)
	go func() { done <- ts.do(t, "POST", "/v1/verify/batch", body) }()
	var r *reply
	select {
	case r = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("a stuck item held up its batch")
	}
	want := []string{"TOTAL_PASSED", "error:timeout", "error:timeout", "TOTAL_PASSED", "TOTAL_PASSED"}
	for i, res := range r.batch(t).Results {
		if got := itemOutcome(res); got != want[i] {
			t.Errorf("item %d (%v): %s, want %s", i, res["id"], got, want[i])
		}
	}
	// The single route says the same with a 503.
	go func() { done <- ts.do(t, "POST", "/v1/verify", sigSlow) }()
	r = <-done
	if r.status != 503 || r.errorCode(t) != CodeTimeout {
		t.Errorf("single slow item: %d %s", r.status, r.body)
	}
	close(ts.eng.release)
	// Both workers come back, with live contexts: every item passes.
	waitFor(t, func() bool { return ts.pending.Load() == 0 })
	items := make([]map[string]any, 6)
	for i := range items {
		items[i] = map[string]any{"signature": b64(f.attached)}
	}
	for i, res := range ts.do(t, "POST", "/v1/verify/batch", batchBody(t, items...)).batch(t).Results {
		if got := itemOutcome(res); got != "TOTAL_PASSED" {
			t.Errorf("after the deadlines, item %d: %s", i, got)
		}
	}
}

// Items a request could not even start before its deadline are answered
// "canceled", started ones "timeout".
func TestRequestDeadline(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{Workers: 1, ItemTimeout: time.Minute, RequestTimeout: 300 * time.Millisecond})
	body := batchBody(t,
		map[string]any{"id": "stuck", "signature": b64(sigStuck)},
		map[string]any{"id": "a", "signature": b64(f.attached)},
		map[string]any{"id": "b", "signature": b64(f.attached)},
	)
	r := ts.do(t, "POST", "/v1/verify/batch", body)
	want := []string{"error:timeout", "error:canceled", "error:canceled"}
	for i, res := range r.batch(t).Results {
		if got := itemOutcome(res); got != want[i] {
			t.Errorf("item %d: %s, want %s", i, got, want[i])
		}
	}
	close(ts.eng.release)
	// The cancelled items were never verified; the pool drains.
	waitFor(t, func() bool { return ts.pending.Load() == 0 })
	if n := ts.eng.calls.Load(); n != 1 {
		t.Errorf("%d verifications, want 1 (the stuck item)", n)
	}
}

// A panic in a verification is a 500 (single) or an item error (batch),
// logged, and the process goes on serving.
func TestPanicRecovered(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{Workers: 2})
	r := ts.do(t, "POST", "/v1/verify", sigPanic, withHeader("X-Request-Id", "panic-1"))
	if r.status != 500 || r.errorCode(t) != CodeInternal {
		t.Fatalf("single: %d %s", r.status, r.body)
	}
	r = ts.do(t, "POST", "/v1/verify/batch", batchBody(t,
		map[string]any{"id": "p", "signature": b64(sigPanic)},
		map[string]any{"id": "ok", "signature": b64(f.attached)},
	))
	res := r.batch(t).Results
	if itemOutcome(res[0]) != "error:internal" || itemOutcome(res[1]) != "TOTAL_PASSED" {
		t.Errorf("batch: %s", r.body)
	}
	if n := ts.m.panics.Load(); n != 2 {
		t.Errorf("%d panics counted, want 2", n)
	}
	logs := ts.logs.String()
	if !contains(logs, `"msg":"panic in verification"`) || !contains(logs, `"request_id":"panic-1"`) {
		t.Errorf("panic not logged with its request id:\n%s", logs)
	}
	for range 4 {
		if r := ts.do(t, "POST", "/v1/verify", f.attached); r.status != 200 {
			t.Fatalf("after the panics: %d", r.status)
		}
	}
}

// A panic while a worker encodes a batch item's result is that item's
// internal error: the items around it, encoded into the same worker
// segment, keep their results, and the process goes on serving.
func TestEncodePanicRecovered(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{Workers: 1})
	defer func(h func([]byte, string, *gostsig.Result, error, bool) []byte) { appendItemHook = h }(appendItemHook)
	appendItemHook = func(b []byte, id string, res *gostsig.Result, err error, summary bool) []byte {
		if id == "boom" {
			b = append(b, `{"id":"boom","half-written`...)
			panic("test encode panic")
		}
		return appendItem(b, id, res, err, summary)
	}
	r := ts.do(t, "POST", "/v1/verify/batch", batchBody(t,
		map[string]any{"id": "a", "signature": b64(f.attached)},
		map[string]any{"id": "boom", "signature": b64(f.attached)},
		map[string]any{"id": "c", "signature": b64(f.attached)},
	))
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	res := r.batch(t).Results
	if len(res) != 3 || itemOutcome(res[0]) != "TOTAL_PASSED" || itemOutcome(res[1]) != "error:internal" || itemOutcome(res[2]) != "TOTAL_PASSED" {
		t.Fatalf("batch: %s", r.body)
	}
	if res[0]["id"] != "a" || res[1]["id"] != "boom" || res[2]["id"] != "c" {
		t.Errorf("ids out of order: %s", r.body)
	}
	if n := ts.m.panics.Load(); n != 1 {
		t.Errorf("%d panics counted, want 1", n)
	}
	if !contains(ts.logs.String(), `"msg":"panic encoding a result"`) {
		t.Errorf("panic not logged:\n%s", ts.logs.String())
	}
	if r := ts.do(t, "POST", "/v1/verify", f.attached); r.status != 200 {
		t.Fatalf("after the panic: %d", r.status)
	}
}

// When the queue is full a request is refused at once with 503 and
// Retry-After, not queued behind the work.
func TestOverload(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{Workers: 1, MaxItems: 2, MaxPending: 2, ItemTimeout: time.Minute})
	done := make(chan *reply, 1)
	go func() { done <- ts.do(t, "POST", "/v1/verify", sigStuck) }()
	<-ts.eng.started
	r := ts.do(t, "POST", "/v1/verify/batch", batchBody(t,
		map[string]any{"signature": b64(f.attached)}, map[string]any{"signature": b64(f.attached)}))
	if r.status != 503 || r.errorCode(t) != CodeOverloaded || r.header["retry-after"] == "" {
		t.Fatalf("overloaded batch: %d %s (Retry-After %q)", r.status, r.body, r.header["retry-after"])
	}
	close(ts.eng.release)
	if r := <-done; r.status != 200 {
		t.Fatalf("stuck request: %d %s", r.status, r.body)
	}
	waitFor(t, func() bool { return ts.pending.Load() == 0 })
	r = ts.do(t, "POST", "/v1/verify/batch", batchBody(t,
		map[string]any{"signature": b64(f.attached)}, map[string]any{"signature": b64(f.attached)}))
	if r.status != 200 {
		t.Fatalf("after the load: %d %s", r.status, r.body)
	}
}

// A verifier swapped in (CRL reload) serves the next requests; the old one
// is closed only after its last item.
func TestSetVerifierSwap(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{Workers: 2, ItemTimeout: time.Minute})
	old := ts.eng
	done := make(chan *reply, 1)
	go func() { done <- ts.do(t, "POST", "/v1/verify", sigStuck) }()
	<-old.started
	eng := newFakeEngine(f.verifier(t))
	ts.setEngine(eng, Trust{Roots: 1})
	if r := ts.do(t, "POST", "/v1/verify", f.attached); r.status != 200 {
		t.Fatalf("with the new verifier: %d", r.status)
	}
	if eng.calls.Load() != 1 {
		t.Error("the new verifier was not used")
	}
	if old.closed.Load() {
		t.Fatal("the old verifier was closed under a running item")
	}
	close(old.release)
	<-done
	waitFor(t, old.closed.Load)
	ts.eng = eng // cleanup releases this one
}

// Shutdown lets in-flight requests finish, then refuses new connections.
func TestGracefulShutdown(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{Workers: 2, ItemTimeout: time.Minute})
	done := make(chan *reply, 1)
	go func() {
		done <- ts.do(t, "POST", "/v1/verify/batch", batchBody(t,
			map[string]any{"signature": b64(sigStuck)}, map[string]any{"signature": b64(f.attached)}))
	}()
	<-ts.eng.started
	shut := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		shut <- ts.Shutdown(ctx)
	}()
	waitFor(t, ts.draining.Load)
	if _, err := ts.readiness(); err == nil {
		t.Error("ready while draining")
	}
	select {
	case <-shut:
		t.Fatal("Shutdown returned with a request in flight")
	case <-time.After(100 * time.Millisecond):
	}
	close(ts.eng.release)
	r := <-done
	res := r.batch(t).Results
	if itemOutcome(res[0]) != "TOTAL_FAILED" || itemOutcome(res[1]) != "TOTAL_PASSED" {
		// The stuck item is released into the real verifier: garbage.
		t.Errorf("in-flight batch: %s", r.body)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if _, err := ts.ln.Dial(); err == nil {
		t.Error("new connections accepted after Shutdown")
	}
}

// Many clients at once (run with -race): every result is right.
func TestConcurrentBatches(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{Workers: 4})
	body := batchBody(t,
		map[string]any{"id": "ok", "signature": b64(f.attached)},
		map[string]any{"id": "bad", "signature": b64(f.detached), "content": b64(f.changed)},
		map[string]any{"id": "ok2", "signature": b64(f.detached), "content": b64(f.content)},
	)
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 6 {
				var r *reply
				if (c+i)%3 == 0 {
					r = ts.do(t, "POST", "/v1/verify", f.attached)
					if r.status != 200 || !contains(string(r.body), `"indication":"TOTAL_PASSED"`) {
						errs <- fmt.Errorf("single: %d %.200s", r.status, r.body)
					}
					continue
				}
				r = ts.do(t, "POST", "/v1/verify/batch", body, withHeader("Accept-Encoding", "zstd"))
				if r.status != 200 {
					errs <- fmt.Errorf("batch: %d", r.status)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	r := ts.do(t, "POST", "/v1/verify/batch", body)
	want := []string{"TOTAL_PASSED", "TOTAL_FAILED", "TOTAL_PASSED"}
	for i, res := range r.batch(t).Results {
		if itemOutcome(res) != want[i] {
			t.Errorf("item %d: %s", i, itemOutcome(res))
		}
	}
	// A worker gives its queue slot back just after it reports its last
	// item, so the count may lag the answer by a moment; it must drain.
	waitFor(t, func() bool { return ts.pending.Load() == 0 && ts.pendingBytes.Load() == 0 })
}

func waitFor(t testing.TB, cond func() bool) {
	t.Helper()
	for range 2000 {
		if cond() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("condition not reached in 10 s")
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
