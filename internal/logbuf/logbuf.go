// Package logbuf is the buffered log writer of `gostsig serve`: slog
// records collected and written a few times a second instead of one system
// call per request, with warnings and errors written at once.
package logbuf

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// Buffer is the writer of `gostsig serve`'s log. slog writes each record
// in one Write; unbuffered, the access log costs one system call per
// request, and when standard error is a pipe (systemd, a container
// runtime) it also wakes the reader each time. Measured with bench/load
// (`-rows "/v1/verify c=8" -server-log FIFO`, `cat` draining the FIFO):
// the server's CPU ratio to the library was 0.36x with a write per record
// against 0.39–0.43x with the log discarded, and 0.38–0.41x through a
// Buffer. Buffer collects records and writes them in one call at most every
// flushEvery, or at once when it holds MaxBytes, so a busy server
// makes a few log writes a second. Records of level Warn and above are
// written at once (Handler), and Close writes what is left; after
// Close, writes go straight through.
type Buffer struct {
	w io.Writer

	mu     sync.Mutex
	buf    []byte
	closed bool

	stop chan struct{}
	done chan struct{}
}

// MaxBytes is the buffered log that is written at once rather than at the
// next tick: it bounds the buffer at this plus one record.
const MaxBytes = 64 << 10

// DefaultFlush is `gostsig serve --log-flush`'s default: how stale a log
// line may get.
const DefaultFlush = 100 * time.Millisecond

// New returns a Buffer over w that writes at most every
// flushEvery (> 0).
func New(w io.Writer, flushEvery time.Duration) *Buffer {
	b := &Buffer{w: w, stop: make(chan struct{}), done: make(chan struct{})}
	go b.tick(flushEvery)
	return b
}

func (b *Buffer) tick(every time.Duration) {
	defer close(b.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			b.Flush()
		}
	}
}

// Write appends p (one record) to the buffer, or writes it through after
// Close. Only a write through, or a flush that p's size starts, returns
// the underlying writer's error.
func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return b.w.Write(p)
	}
	b.buf = append(b.buf, p...)
	if len(b.buf) >= MaxBytes {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

// Flush writes the buffered records. A nil Buffer (an unbuffered log, see
// NewLogger) has nothing to write.
func (b *Buffer) Flush() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

func (b *Buffer) flushLocked() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	// The records are dropped even on error: retrying a writer that
	// fails would only grow the buffer.
	b.buf = b.buf[:0]
	if cap(b.buf) > 4*MaxBytes {
		b.buf = nil // one huge record must not stay allocated
	}
	return err
}

// Close stops the ticker and writes what is buffered; nil does nothing.
func (b *Buffer) Close() error {
	if b == nil {
		return nil
	}
	b.mu.Lock()
	if b.closed {
		b.mu.Unlock()
		return nil
	}
	b.closed = true
	err := b.flushLocked()
	b.mu.Unlock()
	close(b.stop)
	<-b.done
	return err
}

// Handler wraps a slog.Handler that writes to Buf: it writes Buf out after each record of level Warn or
// above, so that errors (a panic answered as 500, a failed CRL refresh) are
// not held back with the access log.
type Handler struct {
	slog.Handler
	Buf *Buffer
}

func (h Handler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := h.Buf.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h Handler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return Handler{h.Handler.WithAttrs(attrs), h.Buf}
}

func (h Handler) WithGroup(name string) slog.Handler {
	return Handler{h.Handler.WithGroup(name), h.Buf}
}

// NewLogger returns the logger of `gostsig serve` over w: JSON records, or
// slog's text form if text is set, written through a Buffer that flushes
// every flushEvery, which it also returns; for flushEvery 0, each record is
// written at once and the Buffer is nil (its methods do nothing).
func NewLogger(w io.Writer, flushEvery time.Duration, text bool, opts *slog.HandlerOptions) (*slog.Logger, *Buffer) {
	var buf *Buffer
	if flushEvery > 0 {
		buf = New(w, flushEvery)
		w = buf
	}
	var h slog.Handler = slog.NewJSONHandler(w, opts)
	if text {
		h = slog.NewTextHandler(w, opts)
	}
	if buf != nil {
		h = Handler{h, buf}
	}
	return slog.New(h), buf
}
