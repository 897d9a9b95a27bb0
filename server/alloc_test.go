//go:build !race

package server

import (
	"bytes"
	"log/slog"
	"net"
	"testing"
	"time"
)

// rwConn is an in-memory net.Conn: requests are read from r, responses
// written to w (fasthttp's own TestAllocationServeConn does the same).
type rwConn struct {
	r, w bytes.Buffer
}

func (c *rwConn) Read(b []byte) (int, error)       { return c.r.Read(b) }
func (c *rwConn) Write(b []byte) (int, error)      { return c.w.Write(b) }
func (c *rwConn) Close() error                     { return nil }
func (c *rwConn) LocalAddr() net.Addr              { return zeroAddr }
func (c *rwConn) RemoteAddr() net.Addr             { return zeroAddr }
func (c *rwConn) SetDeadline(time.Time) error      { return nil }
func (c *rwConn) SetReadDeadline(time.Time) error  { return nil }
func (c *rwConn) SetWriteDeadline(time.Time) error { return nil }

var zeroAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 1}

// TestZeroAllocation: the probe route, hit every few seconds by every load
// balancer and orchestrator, costs no allocation (request id, metrics and
// the access-log level check included).
func TestZeroAllocation(t *testing.T) {
	s, err := New(nil, Trust{}, Options{Logger: slog.New(slog.NewJSONHandler(&bytes.Buffer{}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	c := &rwConn{}
	c.r.Grow(1024)
	c.w.Grow(4096)
	for _, req := range []string{
		"GET /healthz HTTP/1.1\r\nHost: gostsig\r\n\r\n",
		"GET /healthz HTTP/1.1\r\nHost: gostsig\r\nX-Request-Id: lb-probe-1\r\n\r\n",
	} {
		n := testing.AllocsPerRun(200, func() {
			c.r.WriteString(req)
			if err := s.ServeConn(c); err != nil {
				t.Fatal(err)
			}
			c.w.Reset()
		})
		if n != 0 {
			t.Errorf("%q: %v allocations per request, want 0", req[:14], n)
		}
	}
	// It did answer.
	c.r.WriteString("GET /healthz HTTP/1.1\r\nHost: gostsig\r\n\r\n")
	s.ServeConn(c)
	if !bytes.HasPrefix(c.w.Bytes(), []byte("HTTP/1.1 200 OK")) || !bytes.Contains(c.w.Bytes(), []byte(`{"status":"ok"}`)) {
		t.Errorf("response %q", c.w.Bytes())
	}
}
