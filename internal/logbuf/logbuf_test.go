package logbuf

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a goroutine-safe bytes.Buffer that counts its writes.
type lockedBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.writes++
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func (b *lockedBuffer) Writes() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.writes
}

func TestBufferHoldsBackUntilFlush(t *testing.T) {
	var out lockedBuffer
	b := New(&out, time.Hour)
	defer b.Close()
	for i := range 3 {
		fmt.Fprintf(b, "record %d\n", i)
	}
	if out.String() != "" {
		t.Fatalf("written before a flush: %q", out.String())
	}
	if err := b.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "record 0\nrecord 1\nrecord 2\n"; got != want || out.Writes() != 1 {
		t.Errorf("after Flush: %q in %d writes, want %q in one", got, out.Writes(), want)
	}
}

func TestBufferWritesWhenFull(t *testing.T) {
	var out lockedBuffer
	b := New(&out, time.Hour)
	defer b.Close()
	line := strings.Repeat("x", 1023) + "\n"
	for range MaxBytes/len(line) - 1 {
		b.Write([]byte(line))
	}
	if out.Writes() != 0 {
		t.Fatalf("%d writes below the limit", out.Writes())
	}
	b.Write([]byte(line))
	if out.Writes() != 1 || len(out.String()) != MaxBytes {
		t.Errorf("at the limit: %d writes of %d bytes, want one of %d", out.Writes(), len(out.String()), MaxBytes)
	}
}

func TestBufferTicks(t *testing.T) {
	var out lockedBuffer
	b := New(&out, 5*time.Millisecond)
	defer b.Close()
	b.Write([]byte("tick\n"))
	deadline := time.Now().Add(10 * time.Second)
	for out.String() == "" {
		if time.Now().After(deadline) {
			t.Fatal("the ticker did not write the record")
		}
		time.Sleep(time.Millisecond)
	}
	if out.String() != "tick\n" {
		t.Errorf("got %q", out.String())
	}
}

func TestBufferClose(t *testing.T) {
	var out lockedBuffer
	b := New(&out, time.Hour)
	b.Write([]byte("held\n"))
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if out.String() != "held\n" {
		t.Fatalf("Close wrote %q", out.String())
	}
	select {
	case <-b.done:
	default:
		t.Error("the ticker goroutine still runs after Close")
	}
	b.Write([]byte("late\n"))
	if out.String() != "held\nlate\n" {
		t.Errorf("a write after Close is not written through: %q", out.String())
	}
	if err := b.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// Warnings and errors are not held back with the access log, and records
// keep their order.
func TestHandler(t *testing.T) {
	var out lockedBuffer
	b := New(&out, time.Hour)
	defer b.Close()
	log := slog.New(Handler{slog.NewJSONHandler(b, nil), b}).With("service", "test")
	log.Info("request", "status", 200)
	if out.String() != "" {
		t.Fatalf("an info record was written at once: %q", out.String())
	}
	log.Error("panic in verification")
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], `"msg":"request"`) || !strings.Contains(lines[1], `"msg":"panic in verification"`) || !strings.Contains(lines[1], `"service":"test"`) {
		t.Errorf("after an error record: %q", out.String())
	}
}

// Concurrent records arrive whole, none lost (run with -race).
func TestBufferConcurrent(t *testing.T) {
	var out lockedBuffer
	b := New(&out, time.Millisecond)
	log := slog.New(Handler{slog.NewJSONHandler(b, nil), b})
	const goroutines, each = 8, 500
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			for i := range each {
				log.Info("request", "g", g, "i", i, "pad", strings.Repeat("ж", i%300))
			}
		})
	}
	wg.Wait()
	b.Close()
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "{") || !strings.HasSuffix(line, "}") {
			t.Fatalf("torn record %q", line)
		}
		seen[line] = true
	}
	if len(seen) != goroutines*each {
		t.Errorf("%d distinct records, want %d", len(seen), goroutines*each)
	}
}

// NewLogger with no flush interval writes each record at once and returns
// a nil Buffer whose methods do nothing; with one, it holds info records
// back; text selects slog's text form.
func TestNewLogger(t *testing.T) {
	var out lockedBuffer
	log, buf := NewLogger(&out, 0, false, nil)
	if buf != nil {
		t.Fatal("a Buffer for an unbuffered log")
	}
	log.Info("request")
	if !strings.Contains(out.String(), `"msg":"request"`) {
		t.Errorf("unbuffered JSON record not written at once: %q", out.String())
	}
	if buf.Flush() != nil || buf.Close() != nil {
		t.Error("a nil Buffer's Flush or Close failed")
	}

	var held lockedBuffer
	log, buf = NewLogger(&held, time.Hour, true, nil)
	log.Info("request")
	if held.String() != "" {
		t.Fatalf("buffered record written at once: %q", held.String())
	}
	log.Warn("crl refresh failed")
	if s := held.String(); !strings.Contains(s, "msg=request") || !strings.Contains(s, `msg="crl refresh failed"`) {
		t.Errorf("text records after a warning: %q", s)
	}
	buf.Close()
}
