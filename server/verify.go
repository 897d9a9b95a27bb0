package server

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"time"

	"github.com/valyala/fasthttp"

	"gostsig.dev/gostsig"
)

// query holds the parameters both verify routes take (interfaces.md):
// at (RFC 3339 validation time) and offline (true: no network fetches for
// this request). Unknown parameters are refused, so that a typo such as
// "ofline=true" cannot silently allow fetches.
type query struct {
	at      time.Time
	offline bool
}

func parseQuery(ctx *fasthttp.RequestCtx) (query, error) {
	var q query
	var err error
	var seenAt, seenOffline bool
	ctx.QueryArgs().VisitAll(func(k, v []byte) {
		if err != nil {
			return
		}
		switch string(k) {
		case "at":
			if seenAt {
				err = errorf(400, CodeBadQuery, "query parameter at given twice")
				return
			}
			seenAt = true
			t, perr := time.Parse(time.RFC3339, string(v))
			if perr != nil {
				err = errorf(400, CodeBadQuery, "query parameter at=%q: want an RFC 3339 time such as 2026-11-22T12:00:00Z", truncate(v, 64))
				return
			}
			q.at = t
		case "offline":
			if seenOffline {
				err = errorf(400, CodeBadQuery, "query parameter offline given twice")
				return
			}
			seenOffline = true
			switch string(v) {
			case "true", "1":
				q.offline = true
			case "false", "0":
			default:
				err = errorf(400, CodeBadQuery, "query parameter offline=%q: want true or false", truncate(v, 16))
			}
		default:
			err = errorf(400, CodeBadQuery, "unknown query parameter %q (want at, offline)", truncate(k, 32))
		}
	})
	return q, err
}

func (q query) apply(in *gostsig.Input) {
	in.ValidationTime = q.at
	in.Offline = q.offline
}

// handleVerify serves POST /v1/verify: the body is one signature (CMS or
// XML), or multipart/form-data with the parts "signature" and "content"
// (and, for hash-only checks, "content_hash" as ALG:HEX).
func (s *Server) handleVerify(ctx *fasthttp.RequestCtx, id *reqID, info *reqInfo) error {
	q, err := parseQuery(ctx)
	if err != nil {
		return err
	}
	body, owned, err := s.requestBody(ctx)
	if err != nil {
		return err
	}
	var in gostsig.Input
	mt, params, _ := mime.ParseMediaType(string(ctx.Request.Header.ContentType()))
	if mt == "multipart/form-data" {
		if in, err = s.parseMultipart(body, params["boundary"]); err != nil {
			return err
		}
	} else {
		if len(body) == 0 {
			return errorf(400, CodeEmptyBody, "empty body: send a signature (CMS or XML), or multipart/form-data with signature and content")
		}
		if len(body) > s.opts.MaxItemBytes {
			return errorf(413, CodeItemTooLarge, "signature of %d bytes over the %d-byte item limit", len(body), s.opts.MaxItemBytes)
		}
		if !owned {
			// The verification may outlive this handler (item
			// deadline); fasthttp reuses its buffer.
			body = bytes.Clone(body)
		}
		in.Signature = body
	}
	q.apply(&in)
	info.items = 1
	b := &batch{single: true, rid: id.String(), tasks: make([]task, 1)}
	b.tasks[0].in = in
	b.tasks[0].size = len(in.Signature) + len(in.Content)
	if err := s.run(b); err != nil {
		return err
	}
	t := &b.tasks[0]
	if t.err != nil {
		return t.err
	}
	buf := getBuf()
	defer putBuf(buf)
	w := sliceWriter{(*buf)[:0]}
	if err := encodeResult(&w, t.res); err != nil {
		return err
	}
	*buf = w.b
	ctx.Response.Header.Set(fasthttp.HeaderCacheControl, "no-store")
	return s.writeBody(ctx, 200, contentJSON, w.b)
}

func encodeResult(w *sliceWriter, res *gostsig.Result) error {
	b, err := res.AppendJSON(w.b)
	if err != nil {
		return errorf(500, CodeInternal, "cannot encode the result: %v", err)
	}
	w.b = append(b, '\n')
	return nil
}

// parseMultipart reads the parts of a detached-signature request. Every
// part is copied out of body, bounded by MaxItemBytes in total.
func (s *Server) parseMultipart(body []byte, boundary string) (gostsig.Input, error) {
	var in gostsig.Input
	if boundary == "" {
		return in, errorf(400, CodeBadRequest, "multipart/form-data without a boundary")
	}
	mr := multipart.NewReader(bytes.NewReader(body), boundary)
	left := s.opts.MaxItemBytes
	seen := map[string]bool{}
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return in, errorf(400, CodeBadRequest, "malformed multipart body: %v", err)
		}
		name := p.FormName()
		switch name {
		case "signature", "content", "content_hash":
		default:
			return in, errorf(400, CodeBadRequest, "unexpected multipart part %q (want signature, content, content_hash)", truncate([]byte(name), 32))
		}
		if seen[name] {
			return in, errorf(400, CodeBadRequest, "multipart part %q given twice", name)
		}
		seen[name] = true
		data, err := io.ReadAll(io.LimitReader(p, int64(left)+1))
		if err != nil {
			return in, errorf(400, CodeBadRequest, "malformed multipart body: %v", err)
		}
		if len(data) > left {
			return in, errorf(413, CodeItemTooLarge, "signature and content over the %d-byte item limit", s.opts.MaxItemBytes)
		}
		left -= len(data)
		switch name {
		case "signature":
			in.Signature = data
		case "content":
			in.Content = data
		case "content_hash":
			h, err := gostsig.ParseContentHash(strings.TrimSpace(string(data)))
			if err != nil {
				return in, &Error{Status: 400, Code: CodeMalformedHash, Err: errors.New("server: content_hash part: " + strings.TrimPrefix(err.Error(), "gostsig: "))}
			}
			in.ContentHash = h
		}
	}
	if len(in.Signature) == 0 {
		return in, errorf(400, CodeEmptyBody, "multipart body without a signature part")
	}
	if seen["content"] && in.ContentHash != nil {
		return in, errorf(400, CodeInvalidInput, "give content or content_hash, not both")
	}
	if seen["content"] && in.Content == nil {
		in.Content = []byte{} // an empty file is content too
	}
	return in, nil
}
