package outbuf

import (
	"bytes"
	"errors"
	"testing"
)

type failing struct{ n int }

func (f *failing) Write(p []byte) (int, error) {
	f.n++
	return 0, errors.New("full")
}

func TestSink(t *testing.T) {
	var out bytes.Buffer
	s := Sink{W: &out}
	for range 3 {
		s.Buf = append(s.Buf, make([]byte, FlushAt/2)...)
		s.MaybeFlush()
	}
	if out.Len() != FlushAt || len(s.Buf) != FlushAt/2 {
		t.Fatalf("after 1.5 FlushAt: written %d, buffered %d", out.Len(), len(s.Buf))
	}
	if err := s.Flush(); err != nil || out.Len() != FlushAt*3/2 || len(s.Buf) != 0 {
		t.Fatalf("Flush: %v, written %d", err, out.Len())
	}
	var keep Sink // no writer: everything stays in Buf
	keep.Buf = append(keep.Buf, make([]byte, 2*FlushAt)...)
	keep.MaybeFlush()
	if keep.Flush() != nil || len(keep.Buf) != 2*FlushAt {
		t.Fatal("a Sink without a writer wrote")
	}
	f := &failing{}
	bad := Sink{W: f, Buf: []byte("x")}
	if bad.Flush() == nil || bad.Flush() == nil || f.n != 1 {
		t.Fatalf("write error not kept (%d writes)", f.n)
	}
}
