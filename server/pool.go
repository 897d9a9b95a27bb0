package server

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"sync/atomic"
	"time"

	"gostsig.dev/gostsig"
	"gostsig.dev/internal/jsonenc"
)

// The worker pool. A request's items are admitted as a whole (or refused
// with 503 overloaded), queued, and verified by Options.Workers goroutines.
// Each item is a small state machine decided by compare-and-swap, so that
// exactly one party reports it:
//
//	queued ──worker──▶ running ──worker──▶ done
//	   │                  │
//	   └──request deadline┴──item deadline / request deadline──▶ abandoned
//
// An abandoned item is answered with an error at once; a worker still
// verifying it finishes in the background (it holds its worker slot and
// its queue slot until then, so stuck work stays bounded) and drops the
// result. Inputs never alias fasthttp's buffers, so that is safe.

const (
	stQueued int32 = iota
	stRunning
	stDone
	stAbandoned
)

type task struct {
	b     *batch
	idx   int
	id    string // batch item id; unused for /v1/verify
	in    gostsig.Input
	size  int
	state atomic.Int32

	// Written only by the party that moved state to done or abandoned,
	// read by the handler after it has heard of it.
	res *gostsig.Result // the verdict
	err error           // no verdict
	// For a batch item, the worker that verified it also encoded it (see
	// batch.segs): json is its element of "results", in that worker's
	// segment, and res is nil. nil when the handler encodes the item.
	json []byte
}

type batch struct {
	s      *Server
	tasks  []task
	single bool
	// summary: the items' JSON is AppendSummaryJSON's (detail=summary).
	summary bool
	rid     string
	ref     *verifierRef
	done    chan struct{} // closed when every task is reported
	unrep   atomic.Int64  // tasks not reported yet
	left    atomic.Int64  // tasks a worker has not finished with

	// segs[w] holds the JSON of the items worker w verified, each
	// encoded right after its Verify, while the result is still in that
	// core's caches: encoded later by the handler, after the whole batch,
	// a result costs about four times as much (measured: 3.7 against
	// 0.9 µs). Only worker w writes segs[w], and only for an item whose
	// state it moved to done, before reporting it; the handler reads them
	// once done is closed and gives them back (putSeg). nil for a single
	// verify, whose handler encodes its one result itself.
	segs []*[]byte
}

// admit reserves queue room for n items of size bytes in total.
func (s *Server) admit(n, size int) error {
	if s.draining.Load() {
		return errorf(503, CodeShuttingDown, "shutting down")
	}
	p := s.pending.Add(int64(n))
	pb := s.pendingBytes.Add(int64(size))
	if p > int64(s.opts.MaxPending) || pb > int64(s.opts.MaxPendingBytes) {
		s.pending.Add(-int64(n))
		s.pendingBytes.Add(-int64(size))
		return errorf(503, CodeOverloaded, "verification queue full (%d items or %d bytes pending); retry later", s.opts.MaxPending, s.opts.MaxPendingBytes)
	}
	return nil
}

// run verifies b's tasks and returns when each one is done or abandoned.
// The caller has filled b.tasks and b.single, and may have answered some
// tasks already (state done, err set: an item that cannot be verified);
// run takes care of the rest.
func (s *Server) run(b *batch) error {
	n, size := 0, 0
	for i := range b.tasks {
		if b.tasks[i].state.Load() == stQueued {
			n++
			size += b.tasks[i].size
		}
	}
	if n == 0 {
		s.m.batchItems.observe(float64(len(b.tasks)))
		return nil // every item answered in place
	}
	ref := s.acquire()
	if ref == nil {
		return errorf(503, CodeNotReady, "trust store and CRL cache not loaded yet")
	}
	if err := s.admit(n, size); err != nil {
		ref.release()
		return err
	}
	s.m.batchItems.observe(float64(len(b.tasks)))
	b.s, b.ref = s, ref
	if !b.single {
		b.segs = make([]*[]byte, s.opts.Workers)
	}
	b.done = make(chan struct{})
	b.unrep.Store(int64(n))
	b.left.Store(int64(n))

	s.qmu.RLock()
	if s.closed {
		s.qmu.RUnlock()
		s.pending.Add(-int64(n))
		s.pendingBytes.Add(-int64(size))
		ref.release()
		return errorf(503, CodeShuttingDown, "shutting down")
	}
	for i := range b.tasks {
		t := &b.tasks[i]
		t.b, t.idx = b, i
		if t.state.Load() == stQueued {
			s.queue <- t // never blocks: admit reserved the room
		}
	}
	s.qmu.RUnlock()

	// One wake-up for the whole request: the last report closes done.
	timer := time.NewTimer(s.opts.RequestTimeout)
	defer timer.Stop()
	select {
	case <-b.done:
		return nil
	case <-timer.C:
	}
	// The request deadline: answer whatever is left now.
	for i := range b.tasks {
		t := &b.tasks[i]
		var err *Error
		if t.state.CompareAndSwap(stQueued, stAbandoned) {
			err = errorf(503, CodeCanceled, "not started within the %s request deadline", s.opts.RequestTimeout)
		} else if t.state.CompareAndSwap(stRunning, stAbandoned) {
			err = errorf(503, CodeTimeout, "not finished within the %s request deadline", s.opts.RequestTimeout)
		} else {
			continue // done or abandoned by a worker, which reports it
		}
		s.m.itemErrors[codeIndex(err.Code)].Add(1)
		b.report(t, nil, err)
		b.reported()
	}
	<-b.done // the workers' reports still in flight
	return nil
}

// inputSize is what an input holds in memory while it waits: the bytes
// admit counts against MaxPendingBytes.
func inputSize(in *gostsig.Input) int {
	n := len(in.Signature) + len(in.Content)
	for _, a := range in.Attachments {
		n += len(a)
	}
	return n
}

// reported counts one report; the last one wakes the handler.
func (b *batch) reported() {
	if b.unrep.Add(-1) == 0 {
		close(b.done)
	}
}

// report records t's outcome; only the party that won t's state calls it.
// A batch item its worker has encoded (task.json) comes with neither:
// the handler copies its JSON into the response once every item is
// reported; other outcomes the handler encodes itself.
func (b *batch) report(t *task, res *gostsig.Result, err error) {
	t.res, t.err = res, err
}

// itemResult is one element of the batch's "results": the id, then the
// JSON result of interfaces.md, or an error and its code.
type itemResult struct {
	ID    string `json:"id"`
	Error string `json:"error,omitempty"`
	Code  string `json:"code,omitempty"`
	*gostsig.Result
}

// appendItemHook is appendItem; tests replace it to make a worker's
// encoding panic.
var appendItemHook = appendItem

// appendItem appends one element of the batch's "results" to b: the
// result's summary when summary is set (detail=summary).
func appendItem(b []byte, id string, res *gostsig.Result, err error, summary bool) []byte {
	if err == nil {
		// {"id":…, then the members of the result: what encoding/json
		// makes of itemResult, without reflection.
		n := len(b)
		b = append(b, `{"id":`...)
		b = jsonenc.AppendString(b, id)
		start := len(b)
		out, jerr := appendResult(b, res, summary) // nil on error: b is kept
		if jerr == nil {
			out[start] = ',' // the result's own '{' (no copy of the result)
			return out
		}
		b, err = b[:n], jerr
	}
	r := itemResult{ID: id}
	_, r.Code = statusOf(err)
	r.Error = err.Error()
	if !isServerError(err) {
		r.Error = "server: internal error"
	}
	j, _ := jsonenc.Marshal(&r)
	return append(b, j...)
}

// worker verifies queued items one at a time. Its item deadline is one
// reusable timer rather than a context.WithTimeout per item: when it
// fires, it answers the running item with "timeout" (whether or not
// Verify watches its context), then cancels the worker's context so that a
// Verify that does watch it stops; the worker then takes a fresh context.
type worker struct {
	s      *Server
	id     int                  // index of the worker's segment in batch.segs
	cur    atomic.Pointer[task] // the running item, for the timer
	ctx    context.Context
	cancel context.CancelFunc
	timer  *time.Timer
	fired  chan struct{} // the timer's function has finished
}

func (s *Server) worker(id int) {
	defer s.workers.Done()
	w := &worker{s: s, id: id, fired: make(chan struct{}, 1)}
	w.ctx, w.cancel = context.WithCancel(s.baseCtx)
	w.timer = time.AfterFunc(time.Hour, w.deadline)
	w.timer.Stop()
	for t := range s.queue {
		w.run(t)
	}
	w.cancel()
}

// deadline runs in the timer's goroutine when an item overruns.
func (w *worker) deadline() {
	if t := w.cur.Load(); t != nil && t.state.CompareAndSwap(stRunning, stAbandoned) {
		err := errorf(503, CodeTimeout, "verification not finished within the %s item deadline", w.s.opts.ItemTimeout)
		w.s.m.itemErrors[codeIndex(err.Code)].Add(1)
		t.b.report(t, nil, err)
		t.b.reported()
	}
	w.cancel()
	w.fired <- struct{}{}
}

func (w *worker) run(t *task) {
	s, b := w.s, t.b
	defer func() {
		s.pending.Add(-1)
		s.pendingBytes.Add(-int64(t.size))
		if b.left.Add(-1) == 0 {
			b.ref.release()
		}
	}()
	if !t.state.CompareAndSwap(stQueued, stRunning) {
		return // the request deadline passed while t was queued
	}
	w.cur.Store(t)
	w.timer.Reset(s.opts.ItemTimeout)
	s.m.verifiesBusy.Add(1)
	start := time.Now()
	res, err := s.verify(w.ctx, b, t)
	s.m.verifyTime.observe(time.Since(start).Seconds())
	s.m.verifiesBusy.Add(-1)
	if !w.timer.Stop() {
		// The deadline fired: wait until its function is done with
		// w.cur and w.ctx, then start over with a live context.
		<-w.fired
		w.ctx, w.cancel = context.WithCancel(s.baseCtx)
	}
	w.cur.Store(nil)
	if !t.state.CompareAndSwap(stRunning, stDone) {
		return // abandoned: the client already has its answer
	}
	if err != nil {
		_, code := statusOf(err)
		s.m.itemErrors[codeIndex(code)].Add(1)
	} else {
		s.m.outcome(res)
	}
	if b.segs != nil {
		res, err = nil, w.encode(t, res, err)
	}
	b.report(t, res, err)
	b.reported()
}

// encode appends t's element of the batch's "results" to the worker's
// segment of t's batch; the caller has moved t to done.
//
// Like Verify, the encoding runs under a recover: a panic is answered as
// this item's internal error (returned, for the handler to encode), the
// segment keeps only the items before it (it is assigned only when the
// append returns), and the process lives on.
func (w *worker) encode(t *task, res *gostsig.Result, err error) (perr error) {
	b := t.b
	defer func() {
		if p := recover(); p != nil {
			w.s.m.panics.Add(1)
			w.s.log.Error("panic encoding a result", "request_id", b.rid, "item", t.idx, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			perr = errorf(500, CodeInternal, "internal error (request id %s)", b.rid)
		}
	}()
	seg := b.segs[w.id]
	if seg == nil {
		// Room for one and a half times this worker's even share of
		// the batch (a worker may take more than its share) at the size
		// of the last item encoded, so that the segment is not grown and
		// copied on the way. Capped: one odd large item must not make
		// every later batch reserve megabytes.
		share := (len(b.tasks) + len(b.segs) - 1) / len(b.segs)
		seg = w.s.getSeg(min(share*int(w.s.itemJSONBytes.Load())*3/2, maxFreeSeg))
		b.segs[w.id] = seg
	}
	start := len(*seg)
	buf := appendItemHook(*seg, t.id, res, err, b.summary)
	*seg = buf
	t.json = buf[start:len(buf):len(buf)]
	return nil
}

// getSeg returns an empty segment buffer for a batch. Segments live in a
// free list of the server's own rather than in bufPool (a sync.Pool): the
// collector empties a sync.Pool every other cycle, which under load is
// every few batches, and the next batches then allocate and fault in a few
// hundred kilobytes of fresh buffers. (Measured with bufPool instead, two
// alternating rounds of batches of 100 with one client: CPU ratio
// 0.78/0.77 against 0.81/0.83.)
//
// The segment has room for want bytes: one from the list is replaced when
// it is smaller, and a new one is made at that size (at least minSeg), so
// that no buffer is made only to be replaced.
func (s *Server) getSeg(want int) *[]byte {
	var seg *[]byte
	select {
	case seg = <-s.segs:
	default:
		seg = new([]byte)
	}
	if cap(*seg) < want || *seg == nil {
		*seg = make([]byte, 0, max(want, minSeg))
	}
	return seg
}

// minSeg is the least room a new segment is made with.
const minSeg = 16 << 10

// maxFreeSeg bounds a segment kept on the free list, and the room a
// segment is given before its first item (a batch of 100 small items
// makes about 330 KB per worker on two workers); maxFreeSegs bounds their
// number: the list holds at most 32 MiB.
const (
	maxFreeSeg  = 1 << 20
	maxFreeSegs = 32 // enough for 16 batches in flight on two workers
)

// putSeg gives seg back to the free list, unless it is over maxFreeSeg or
// the list is full.
func (s *Server) putSeg(seg *[]byte) {
	if cap(*seg) > maxFreeSeg {
		return
	}
	*seg = (*seg)[:0]
	select {
	case s.segs <- seg:
	default:
	}
}

// appendResults appends the elements of b's "results" in request order,
// records the size of the workers' items for the next batch's segments
// (Server.itemJSONBytes) and gives the segments back.
func (b *batch) appendResults(out []byte) []byte {
	segBytes := 0
	for _, seg := range b.segs {
		if seg != nil {
			segBytes += len(*seg)
		}
	}
	out = slices.Grow(out, segBytes+len(b.tasks)) // and the commas
	encoded := 0
	for i := range b.tasks {
		if i > 0 {
			out = append(out, ',')
		}
		t := &b.tasks[i]
		if t.json != nil {
			out = append(out, t.json...)
			encoded++
		} else {
			out = appendItem(out, t.id, t.res, t.err, b.summary)
			t.res = nil // the result is garbage once encoded
		}
	}
	if encoded > 0 {
		b.s.itemJSONBytes.Store(int64(segBytes / encoded))
	}
	for i, seg := range b.segs {
		if seg != nil {
			b.s.putSeg(seg)
			b.segs[i] = nil
		}
	}
	return out
}

// verify calls the library once, turning a panic and every error into an
// *Error with its status and code. The verdict itself is never touched.
func (s *Server) verify(ctx context.Context, b *batch, t *task) (res *gostsig.Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.m.panics.Add(1)
			s.log.Error("panic in verification", "request_id", b.rid, "item", t.idx, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			res, err = nil, errorf(500, CodeInternal, "internal error (request id %s)", b.rid)
		}
	}()
	res, err = b.ref.v.Verify(ctx, t.in)
	if err == nil {
		if res == nil {
			return nil, errorf(500, CodeInternal, "internal error: no result (request id %s)", b.rid)
		}
		return res, nil
	}
	var ie *gostsig.InputError
	switch {
	case errors.As(err, &ie):
		return nil, &Error{Status: 400, Code: CodeInvalidInput, Err: err}
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		// The worker's context ends at the item deadline (whose own
		// report wins) or when the server closes.
		return nil, errorf(503, CodeCanceled, "verification cancelled (server shutting down)")
	}
	s.log.Error("verification failed without a verdict", "request_id", b.rid, "item", t.idx, "error", err.Error())
	return nil, errorf(500, CodeInternal, "no verdict possible (request id %s)", b.rid)
}
