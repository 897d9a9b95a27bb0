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
	"gostsig.dev/internal/rfc3339"
)

// query holds the parameters both verify routes take: at (RFC 3339
// validation time) and offline (true: no network fetches for this
// request), as interfaces.md names them, and detail (full or summary: the
// whole result of interfaces.md, or gostsig.Result.AppendSummaryJSON's
// verdict without the evidence). Unknown parameters are refused, so that a
// typo such as "ofline=true" cannot silently allow fetches.
type query struct {
	at      time.Time
	offline bool
	summary bool
}

func parseQuery(ctx *fasthttp.RequestCtx) (query, error) {
	var q query
	var err error
	var seen struct{ at, offline, detail bool }
	// first marks a parameter seen; a second one is an error, so that a
	// query cannot say two things.
	first := func(seen *bool, name string) bool {
		if *seen {
			err = errorf(400, CodeBadQuery, "query parameter %s given twice", name)
		}
		*seen = true
		return err == nil
	}
	ctx.QueryArgs().VisitAll(func(k, v []byte) {
		if err != nil {
			return
		}
		switch string(k) {
		case "at":
			if !first(&seen.at, "at") {
				return
			}
			t, perr := parseAt(v)
			if perr != nil {
				err = errorf(400, CodeBadQuery, "query parameter at=%q: want an RFC 3339 time such as 2026-11-22T12:00:00Z or 2026-11-22T15:00:00%%2B03:00 (a + in a query string must be sent as %%2B)", truncate(v, 64))
				return
			}
			q.at = t
		case "offline":
			if !first(&seen.offline, "offline") {
				return
			}
			switch string(v) {
			case "true", "1":
				q.offline = true
			case "false", "0":
			default:
				err = errorf(400, CodeBadQuery, "query parameter offline=%q: want true or false", truncate(v, 16))
			}
		case "detail":
			if !first(&seen.detail, "detail") {
				return
			}
			switch string(v) {
			case "full":
			case "summary":
				q.summary = true
			default:
				err = errorf(400, CodeBadQuery, "query parameter detail=%q: want full or summary", truncate(v, 16))
			}
		default:
			err = errorf(400, CodeBadQuery, "unknown query parameter %q (want at, offline, detail)", truncate(k, 32))
		}
	})
	return q, err
}

// parseAt reads the at parameter, an RFC 3339 date-time as `gostsig
// verify --at` takes it (rfc3339.Parse: "t" and "z" lower case too). A
// query string decodes "+" as a space (application/x-www-form-urlencoded),
// so an offset sent unencoded, "…T15:00:00+03:00", arrives as
// "…T15:00:00 03:00"; a space is nowhere else valid in an RFC 3339 time,
// so one in the offset's place is read as the "+" it was.
func parseAt(v []byte) (time.Time, error) {
	if n := len(v); n > len("hh:mm") && v[n-len(" hh:mm")] == ' ' {
		s := bytes.Clone(v) // v is fasthttp's: fix up a copy
		s[n-len(" hh:mm")] = '+'
		v = s
	}
	return rfc3339.Parse(string(v))
}

func (q query) apply(in *gostsig.Input) {
	in.ValidationTime = q.at
	in.Offline = q.offline
}

// handleVerify serves POST /v1/verify: the body is one signature (CMS or
// XML), or multipart/form-data with the parts "signature" and "content"
// (and, for hash-only checks, "content_hash" as ALG:HEX), and SMEV
// attachments as repeated "attachment" parts.
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
	b.tasks[0].size = inputSize(&in)
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
	if err := encodeResult(&w, t.res, q.summary); err != nil {
		return err
	}
	*buf = w.b
	ctx.Response.Header.Set(fasthttp.HeaderCacheControl, "no-store")
	return s.writeBody(ctx, 200, contentJSON, w.b)
}

func encodeResult(w *sliceWriter, res *gostsig.Result, summary bool) error {
	b, err := appendResult(w.b, res, summary)
	if err != nil {
		return errorf(500, CodeInternal, "cannot encode the result: %v", err)
	}
	w.b = append(b, '\n')
	return nil
}

// appendResult appends res's JSON to b: the whole result, or its summary
// when summary is set (detail=summary). On error it returns nil and b is
// unchanged.
func appendResult(b []byte, res *gostsig.Result, summary bool) ([]byte, error) {
	if summary {
		return res.AppendSummaryJSON(b)
	}
	return res.AppendJSON(b)
}

// parseMultipart reads the parts of a detached-signature request:
// "signature", "content" or "content_hash" (each at most once), and up to
// maxAttachments "attachment" parts, each an SMEV attachment whose
// filename is its id (the content id or file name the message references
// it by, as the CLI's --attachment FILE gives it by the file's name).
// Every part is copied out of body, bounded by MaxItemBytes in total.
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
		var attID string
		switch name {
		case "signature", "content", "content_hash":
			if seen[name] {
				return in, errorf(400, CodeBadRequest, "multipart part %q given twice", name)
			}
			seen[name] = true
		case "attachment":
			if attID, err = attachmentID(p); err != nil {
				return in, err
			}
			if _, dup := in.Attachments[attID]; dup {
				return in, errorf(400, CodeInvalidInput, "attachment %q given twice", attID)
			}
			if len(in.Attachments) == maxAttachments {
				return in, errTooManyAttachments()
			}
		default:
			return in, errorf(400, CodeBadRequest, "unexpected multipart part %q (want signature, content, content_hash, attachment)", truncate([]byte(name), 32))
		}
		data, err := io.ReadAll(io.LimitReader(p, int64(left)+1))
		if err != nil {
			return in, errorf(400, CodeBadRequest, "malformed multipart body: %v", err)
		}
		if len(data) > left {
			return in, errItemTooLarge(s.opts.MaxItemBytes)
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
		case "attachment":
			if in.Attachments == nil {
				in.Attachments = map[string][]byte{}
			}
			in.Attachments[attID] = data
		}
	}
	if len(in.Signature) == 0 {
		return in, errorf(400, CodeEmptyBody, "multipart body without a signature part") // empty_body, as before missing_signature existed: codes are stable
	}
	if seen["content"] && in.ContentHash != nil {
		return in, errorf(400, CodeInvalidInput, "give content or content_hash, not both")
	}
	if seen["content"] && in.Content == nil {
		in.Content = []byte{} // an empty file is content too
	}
	return in, nil
}

// attachmentID is an attachment part's id: the filename of its
// Content-Disposition (RFC 7578 §4.2), taken whole. Part.FileName would
// cut it to its last path element, and an id is not a path.
func attachmentID(p *multipart.Part) (string, error) {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	id := params["filename"]
	switch {
	case err != nil:
		return "", errorf(400, CodeBadRequest, "attachment part: malformed Content-Disposition: %v", err)
	case id == "":
		return "", errorf(400, CodeInvalidInput, "attachment part without a filename (the attachment's id, as the message references it)")
	case len(id) > maxIDBytes:
		return "", errorf(400, CodeInvalidInput, "attachment part: filename over %d bytes", maxIDBytes)
	}
	return id, nil
}
