// Package outbuf is the output buffer the canonicalizer (c14n) and the
// SMEV transform (smev) write into: bytes are appended to Buf and handed
// to W in pieces of about FlushAt, so that a streaming consumer (a hash)
// sees few large writes and the buffer stays small; with W nil the caller
// keeps everything in Buf.
package outbuf

import "io"

// FlushAt is the buffered size past which MaybeFlush writes.
const FlushAt = 32 << 10

// Sink is the buffer. The zero Sink appends to Buf and never writes.
type Sink struct {
	Buf []byte
	W   io.Writer
	Err error // the first write error; later writes are skipped
}

// MaybeFlush writes Buf to W once it holds FlushAt bytes or more.
func (s *Sink) MaybeFlush() {
	if s.W != nil && len(s.Buf) >= FlushAt {
		s.Flush()
	}
}

// Flush writes what Buf holds to W (if any) and returns the first write
// error.
func (s *Sink) Flush() error {
	if s.W != nil && len(s.Buf) > 0 && s.Err == nil {
		_, s.Err = s.W.Write(s.Buf)
		s.Buf = s.Buf[:0]
	}
	return s.Err
}
