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
	// sig and content are that text already decoded (fresh slices), when
	// sigOK and contentOK: the scanner's one-pass path for clean base64.
	sig, content     []byte
	sigOK, contentOK bool
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
	if it.sigOK {
		p.in.Signature = it.sig
	} else if p.in.Signature, err = decodeBase64(sig); err != nil {
		return p, errorf(400, CodeMalformedBase64, "%s: signature: %v", where(), err)
	}
	if it.contentOK {
		p.in.Content = it.content
	} else if content != nil {
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
	ctx.Response.Header.Set(fasthttp.HeaderCacheControl, "no-store")
	// The results are encoded once, into fasthttp's own (pooled, reused)
	// body buffer: nothing of it outlives the handler.
	out := append(ctx.Response.SwapBody(nil)[:0], `{"results":[`...)
	for i := range b.tasks {
		if i > 0 {
			out = append(out, ',')
		}
		t := &b.tasks[i]
		out = appendItem(out, t.id, t.res, t.err)
		t.res = nil // the result is garbage once encoded
	}
	out = append(out, "]}\n"...)
	if len(out) < minCompressBytes || acceptedEncoding(ctx.Request.Header.Peek(fasthttp.HeaderAcceptEncoding)) == encIdentity {
		ctx.Response.SwapBody(out)
		ctx.SetStatusCode(200)
		ctx.SetContentType(contentJSON)
		ctx.Response.Header.Set(fasthttp.HeaderVary, "Accept-Encoding")
		return nil
	}
	// writeBody compresses out before it sets the body.
	ctx.Response.SwapBody(out)
	return s.writeBody(ctx, 200, contentJSON, ctx.Response.Body())
}
