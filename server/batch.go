package server

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/valyala/fasthttp"

	"gostsig.dev/gostsig"
)

// batchItem is one element of "items" as clients send it.
type batchItem struct {
	ID          string     `json:"id"`
	Signature   string     `json:"signature"`
	Content     *string    `json:"content"`
	ContentHash *batchHash `json:"content_hash"`

	// rawSig and rawContent are the base64 text when the scanner found it
	// needing no unquoting: sub-slices of the body, decoded and dropped.
	rawSig, rawContent []byte
}

func (it *batchItem) signatureText() []byte {
	if it.rawSig != nil {
		return it.rawSig
	}
	return []byte(it.Signature)
}

// contentText returns the content's base64 text, nil when absent.
func (it *batchItem) contentText() []byte {
	switch {
	case it.rawContent != nil:
		return it.rawContent
	case it.Content != nil:
		return []byte(*it.Content)
	}
	return nil
}

type batchHash struct {
	Alg   string `json:"alg"`
	Value string `json:"value"`
}

// batchLimits are the bounds parseBatch enforces.
type batchLimits struct {
	maxItems, maxItemBytes int
}

// parsedItem is an item ready for the verifier. Its byte slices are fresh
// (decoded from base64), never aliases of the request buffer.
type parsedItem struct {
	id string
	in gostsig.Input
}

func (it *batchItem) parse(i int, lim batchLimits) (parsedItem, error) {
	p := parsedItem{id: it.ID}
	where := func() string { // only on the error paths
		if it.ID == "" {
			return fmt.Sprintf("items[%d]", i)
		}
		return fmt.Sprintf("items[%d] (id %q)", i, truncate([]byte(it.ID), 64))
	}
	if len(it.ID) > maxIDBytes {
		return p, errorf(400, CodeBadRequest, "%s: id over %d bytes", where(), maxIDBytes)
	}
	sig, content := it.signatureText(), it.contentText()
	if len(sig) == 0 {
		return p, errorf(400, CodeEmptyBody, "%s: no signature", where())
	}
	// Check the size before decoding: base64 is 4/3 of the bytes.
	if base64.StdEncoding.DecodedLen(len(sig))+base64.StdEncoding.DecodedLen(len(content)) > lim.maxItemBytes+2*3 {
		return p, errorf(413, CodeItemTooLarge, "%s: signature and content over the %d-byte item limit", where(), lim.maxItemBytes)
	}
	var err error
	if p.in.Signature, err = decodeBase64(sig); err != nil {
		return p, errorf(400, CodeMalformedBase64, "%s: signature: %v", where(), err)
	}
	if content != nil {
		if p.in.Content, err = decodeBase64(content); err != nil {
			return p, errorf(400, CodeMalformedBase64, "%s: content: %v", where(), err)
		}
	}
	if len(p.in.Signature)+len(p.in.Content) > lim.maxItemBytes {
		return p, errorf(413, CodeItemTooLarge, "%s: signature and content over the %d-byte item limit", where(), lim.maxItemBytes)
	}
	if h := it.ContentHash; h != nil {
		if content != nil {
			return p, errorf(400, CodeInvalidInput, "%s: give content or content_hash, not both", where())
		}
		ch, err := gostsig.ParseContentHash(h.Alg + ":" + h.Value)
		if err != nil {
			return p, errorf(400, CodeMalformedHash, "%s: content_hash: %s", where(), strings.TrimPrefix(err.Error(), "gostsig: "))
		}
		p.in.ContentHash = ch
	}
	return p, nil
}

// decodeBase64 takes standard base64 with or without padding (line breaks
// are ignored, as in PEM-style wrapping). The result is a fresh slice.
func decodeBase64(s []byte) ([]byte, error) {
	// Unpadded text decodes to up to RawStdEncoding.DecodedLen bytes,
	// more than StdEncoding.DecodedLen.
	out := make([]byte, max(base64.StdEncoding.DecodedLen(len(s)), base64.RawStdEncoding.DecodedLen(len(s))))
	n, err := base64.StdEncoding.Decode(out, s)
	if err == nil {
		return out[:n], nil
	}
	if n2, err2 := base64.RawStdEncoding.Decode(out, s); err2 == nil {
		return out[:n2], nil
	}
	var ce base64.CorruptInputError
	if errors.As(err, &ce) {
		return nil, fmt.Errorf("malformed base64 at byte %d", int64(ce))
	}
	return nil, errors.New("malformed base64")
}

// handleBatch serves POST /v1/verify/batch.
func (s *Server) handleBatch(ctx *fasthttp.RequestCtx, id *reqID, info *reqInfo) error {
	q, err := parseQuery(ctx)
	if err != nil {
		return err
	}
	body, _, err := s.requestBody(ctx)
	if err != nil {
		return err
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return errorf(400, CodeEmptyBody, "empty body: send {\"items\": [...]}")
	}
	items, err := parseBatch(body, batchLimits{maxItems: s.opts.MaxItems, maxItemBytes: s.opts.MaxItemBytes})
	if err != nil {
		return err
	}
	info.items = len(items)
	b := &batch{rid: id.String(), tasks: make([]task, len(items))}
	for i := range items {
		t := &b.tasks[i]
		t.id = items[i].id
		t.in = items[i].in
		q.apply(&t.in)
		t.size = len(t.in.Signature) + len(t.in.Content)
	}
	if err := s.run(b); err != nil {
		return err
	}
	defer releaseItems(b.tasks)
	ctx.Response.Header.Set(fasthttp.HeaderCacheControl, "no-store")
	size := len(`{"results":[]}` + "\n")
	for i := range b.tasks {
		size += len(b.tasks[i].out) + 1
	}
	if size < minCompressBytes || acceptedEncoding(ctx.Request.Header.Peek(fasthttp.HeaderAcceptEncoding)) == encIdentity {
		// Straight into fasthttp's own (reused) body buffer.
		ctx.SetStatusCode(200)
		ctx.SetContentType(contentJSON)
		ctx.Response.Header.Set(fasthttp.HeaderVary, "Accept-Encoding")
		ctx.Response.ResetBody()
		ctx.Response.AppendBodyString(`{"results":[`)
		for i := range b.tasks {
			if i > 0 {
				ctx.Response.AppendBodyString(",")
			}
			ctx.Response.AppendBody(b.tasks[i].out)
		}
		ctx.Response.AppendBodyString("]}\n")
		return nil
	}
	buf := getBuf()
	defer putBuf(buf)
	out := append((*buf)[:0], `{"results":[`...)
	if cap(out) < size {
		out = append(make([]byte, 0, size), out...)
	}
	for i := range b.tasks {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, b.tasks[i].out...)
	}
	out = append(out, "]}\n"...)
	*buf = out
	return s.writeBody(ctx, 200, contentJSON, out)
}
