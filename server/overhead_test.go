//go:build !race

package server

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"testing"

	"gostsig.dev/gostsig"
	"gostsig.dev/internal/benchcpu"
)

// verdictEngine answers every item with one verdict the library reached
// beforehand, so that a benchmark of the service measures the service.
type verdictEngine struct{ res *gostsig.Result }

func (e verdictEngine) Verify(ctx context.Context, in gostsig.Input) (*gostsig.Result, error) {
	return e.res, nil
}
func (verdictEngine) Close() {}

// BenchmarkOverhead measures what the service adds to the library per
// item, next to the library itself. "library" is Verifier.Verify on a
// small attached CAdES-BES (warm caches); "batch=N" serves a batch of N of
// those items over an in-memory connection (HTTP parsing, the JSON
// request and its base64, admission and the worker pool, the result
// JSON, response assembly, metrics, a JSON access log to io.Discard) with
// an engine that returns the library's verdict at once, so its
// cpu-ns/item is the service's own cost per item. The library's share of
// a real server's CPU is then library/(library+batch=N).
//
//	go test ./server -run '^$' -bench Overhead -benchmem -cpu 2
//
// cpu-ns/item is the process's CPU time (the collector's included), the
// figure a loaded machine does not distort; bench/load measures the whole
// over TCP.
func BenchmarkOverhead(b *testing.B) {
	f := testFixture(b)
	v := f.verifier(b)
	defer v.Close()
	ctx := context.Background()
	in := gostsig.Input{Signature: f.attached}
	res, err := v.Verify(ctx, in)
	if err != nil || res.Indication != gostsig.TotalPassed {
		b.Fatalf("fixture: %v %v", res, err)
	}
	b.Run("library", func(b *testing.B) {
		b.ReportAllocs()
		cpu0 := benchcpu.Process()
		for b.Loop() {
			if _, err := v.Verify(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(benchcpu.Process()-cpu0)/float64(b.N), "cpu-ns/item")
	})
	for _, bc := range []struct {
		n     int
		query string
	}{{1, ""}, {10, ""}, {100, ""}, {10, "?detail=summary"}, {100, "?detail=summary"}} {
		n, name := bc.n, "batch="+strconv.Itoa(bc.n)
		if bc.query != "" {
			name += ",summary"
		}
		b.Run(name, func(b *testing.B) {
			s, err := New(nil, Trust{}, Options{Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			s.setEngine(verdictEngine{res}, Trust{Roots: 1})
			var body bytes.Buffer
			body.WriteString(`{"items":[`)
			for i := range n {
				if i > 0 {
					body.WriteByte(',')
				}
				fmt.Fprintf(&body, `{"id":"%d","signature":"%s"}`, i, base64.StdEncoding.EncodeToString(f.attached))
			}
			body.WriteString(`]}`)
			req := fmt.Appendf(nil, "POST /v1/verify/batch%s HTTP/1.1\r\nHost: gostsig\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", bc.query, body.Len(), body.Bytes())
			c := &rwConn{}
			serve := func() {
				c.w.Reset()
				c.r.Write(req)
				if err := s.ServeConn(c); err != nil {
					b.Fatal(err)
				}
			}
			serve()
			_, resp, _ := bytes.Cut(c.w.Bytes(), []byte("\r\n\r\n"))
			var got struct {
				Results []struct{ ID, Indication string }
			}
			if err := json.Unmarshal(resp, &got); err != nil || len(got.Results) != n || got.Results[n-1].ID != strconv.Itoa(n-1) || got.Results[n-1].Indication != "TOTAL_PASSED" {
				b.Fatalf("response %.300q: %v", c.w.Bytes(), err)
			}
			b.SetBytes(int64(len(req)))
			b.ReportAllocs()
			cpu0 := benchcpu.Process()
			for b.Loop() {
				serve()
			}
			b.ReportMetric(float64(benchcpu.Process()-cpu0)/float64(b.N*n), "cpu-ns/item")
		})
	}
}
