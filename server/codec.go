package server

import (
	"bytes"
	"errors"
	"io"
	"sync"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/valyala/fasthttp"
)

// minCompressBytes: smaller responses are sent as they are (the framing
// would cost more than it saves).
const minCompressBytes = 1 << 10

// requestBody returns the request body, decompressed per Content-Encoding
// (gzip or zstd) within MaxBodyBytes. owned reports whether the bytes are
// a fresh copy; otherwise they alias fasthttp's request buffer, which is
// reused once the handler returns.
func (s *Server) requestBody(ctx *fasthttp.RequestCtx) (body []byte, owned bool, err error) {
	raw := ctx.Request.Body()
	switch enc := bytes.ToLower(bytes.TrimSpace(ctx.Request.Header.ContentEncoding())); string(enc) {
	case "", "identity":
		return raw, false, nil
	case "gzip", "x-gzip":
		body, err = s.gunzip(raw)
	case "zstd":
		body, err = s.zdec.DecodeAll(raw, nil)
		if errors.Is(err, zstd.ErrDecoderSizeExceeded) || len(body) > s.opts.MaxBodyBytes {
			err = errBodyTooLarge
		}
	default:
		return nil, false, errorf(415, CodeUnsupportedMedia, "Content-Encoding %q: want gzip or zstd", truncate(enc, 32))
	}
	switch {
	case err == errBodyTooLarge:
		return nil, false, errorf(413, CodeBodyTooLarge, "decompressed request body over the %d-byte limit", s.opts.MaxBodyBytes)
	case err != nil:
		return nil, false, errorf(400, CodeMalformedEncoding, "request body does not decompress: %v", err)
	}
	return body, true, nil
}

var errBodyTooLarge = errors.New("body too large")

var gzipReaders sync.Pool

func (s *Server) gunzip(raw []byte) ([]byte, error) {
	var zr *gzip.Reader
	if v := gzipReaders.Get(); v != nil {
		zr = v.(*gzip.Reader)
		if err := zr.Reset(bytes.NewReader(raw)); err != nil {
			gzipReaders.Put(zr)
			return nil, err
		}
	} else {
		var err error
		if zr, err = gzip.NewReader(bytes.NewReader(raw)); err != nil {
			return nil, err
		}
	}
	defer gzipReaders.Put(zr)
	out, err := io.ReadAll(io.LimitReader(zr, int64(s.opts.MaxBodyBytes)+1))
	if err != nil {
		return nil, err
	}
	if len(out) > s.opts.MaxBodyBytes {
		return nil, errBodyTooLarge
	}
	return out, nil
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		b = b[:n]
	}
	return string(b)
}

type encoding uint8

const (
	encIdentity encoding = iota
	encGzip
	encZstd
)

// acceptedEncoding picks the response encoding from Accept-Encoding
// (RFC 9110 §12.5.3): zstd when accepted, else gzip, else none; "q=0"
// refuses a coding; "*" stands for gzip.
func acceptedEncoding(h []byte) encoding {
	var zstdQ, gzipQ float64 = -1, -1
	for len(h) > 0 {
		var tok []byte
		if i := bytes.IndexByte(h, ','); i >= 0 {
			tok, h = h[:i], h[i+1:]
		} else {
			tok, h = h, nil
		}
		name, params, _ := bytes.Cut(tok, []byte{';'})
		name = bytes.TrimSpace(name)
		q := 1.0
		if p := bytes.TrimSpace(params); len(p) > 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=' {
			q = parseQ(p[2:])
		}
		switch {
		case bytes.EqualFold(name, []byte("zstd")):
			zstdQ = q
		case bytes.EqualFold(name, []byte("gzip")), bytes.EqualFold(name, []byte("x-gzip")):
			gzipQ = q
		case len(name) == 1 && name[0] == '*' && gzipQ < 0:
			gzipQ = q
		}
	}
	switch {
	case zstdQ > 0 && zstdQ >= gzipQ:
		return encZstd
	case gzipQ > 0:
		return encGzip
	}
	return encIdentity
}

// parseQ reads a qvalue ("0", "0.5", "1.000"); anything else is 0.
func parseQ(b []byte) float64 {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || (b[0] != '0' && b[0] != '1') {
		return 0
	}
	v := float64(b[0] - '0')
	if len(b) > 1 {
		if b[1] != '.' {
			return 0
		}
		scale := 0.1
		for _, c := range b[2:] {
			if c < '0' || c > '9' {
				return 0
			}
			v += float64(c-'0') * scale
			scale /= 10
		}
	}
	return min(v, 1)
}

type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }

var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// writeBody sets the response, compressed when the client accepts it.
// fasthttp copies body, so the caller may reuse it afterwards.
func (s *Server) writeBody(ctx *fasthttp.RequestCtx, status int, contentType string, body []byte) error {
	ctx.SetStatusCode(status)
	ctx.SetContentType(contentType)
	ctx.Response.Header.Set(fasthttp.HeaderVary, "Accept-Encoding")
	if len(body) < minCompressBytes {
		ctx.SetBody(body)
		return nil
	}
	switch acceptedEncoding(ctx.Request.Header.Peek(fasthttp.HeaderAcceptEncoding)) {
	case encZstd:
		buf := getBuf()
		*buf = s.zenc.EncodeAll(body, (*buf)[:0])
		ctx.Response.Header.Set(fasthttp.HeaderContentEncoding, "zstd")
		ctx.SetBody(*buf)
		putBuf(buf)
	case encGzip:
		buf := getBuf()
		sw := sliceWriter{(*buf)[:0]}
		zw := gzipWriters.Get().(*gzip.Writer)
		zw.Reset(&sw)
		zw.Write(body)
		err := zw.Close()
		gzipWriters.Put(zw)
		if err != nil {
			putBuf(buf)
			return err
		}
		ctx.Response.Header.Set(fasthttp.HeaderContentEncoding, "gzip")
		ctx.SetBody(sw.b)
		*buf = sw.b
		putBuf(buf)
	default:
		ctx.SetBody(body)
	}
	return nil
}
