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
	ID          string            `json:"id"`
	Signature   string            `json:"signature"`
	Content     *string           `json:"content"`
	ContentHash *batchHash        `json:"content_hash"`
	Attachments []batchAttachment `json:"attachments"`

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
func (it *batchItem) contentText() []byte { return base64Text(it.rawContent, it.Content) }

// base64Text is a base64 member's text as the scanner left it: raw when
// it needed no unquoting, else the unquoted string, nil when absent.
func base64Text(raw []byte, str *string) []byte {
	switch {
	case raw != nil:
		return raw
	case str != nil:
		return []byte(*str)
	}
	return nil
}

type batchHash struct {
	Alg   string `json:"alg"`
	Value string `json:"value"`
}

// batchAttachment is one element of an item's "attachments": an SMEV
// attachment by the id the message references it by (content id or file
// name), as the CLI's --attachment FILE gives it by the file's name.
type batchAttachment struct {
	ID      string  `json:"id"`
	Content *string `json:"content"`

	raw, dec []byte // as rawContent, content and contentOK of batchItem
	decOK    bool
}

func (a *batchAttachment) text() []byte { return base64Text(a.raw, a.Content) }

// textLen is len(a.text()) without text's copy of an unquoted string:
// the size check before decoding needs only the length.
func (a *batchAttachment) textLen() int {
	if a.raw == nil && a.Content != nil {
		return len(*a.Content)
	}
	return len(a.raw)
}

// batchLimits are the bounds parseBatch enforces.
type batchLimits struct {
	maxItems, maxItemBytes int
}

// parsedItem is an item ready for the verifier, or err: why it cannot be
// verified, answered in its place in "results" (the rest of the batch is
// verified all the same). Its byte slices are fresh (decoded from base64),
// never aliases of the request buffer.
type parsedItem struct {
	id  string
	in  gostsig.Input
	err *Error
}

// parse checks and decodes one well-formed item. What is wrong with it
// (no signature, bad base64 or content_hash, contradictory fields, over
// the item limits) is the item's error, not the request's.
func (it *batchItem) parse(lim batchLimits) parsedItem {
	p := parsedItem{id: it.ID}
	if len(it.ID) > maxIDBytes {
		// Not echoed: the item is known by its place in "results".
		p.id = ""
		p.err = errorf(400, CodeInvalidInput, "id over %d bytes", maxIDBytes)
		return p
	}
	p.err = it.decode(&p.in, lim)
	if p.err != nil {
		p.in = gostsig.Input{}
	}
	return p
}

func (it *batchItem) decode(in *gostsig.Input, lim batchLimits) *Error {
	sig, content := it.signatureText(), it.contentText()
	if len(sig) == 0 {
		return errorf(400, CodeMissingSignature, "no signature")
	}
	if it.ContentHash != nil && content != nil {
		return errorf(400, CodeInvalidInput, "give content or content_hash, not both")
	}
	if len(it.Attachments) > maxAttachments {
		return errTooManyAttachments()
	}
	// Check the size before decoding: base64 is 4/3 of the bytes.
	n := base64.StdEncoding.DecodedLen(len(sig)) + base64.StdEncoding.DecodedLen(len(content))
	for i := range it.Attachments {
		n += base64.StdEncoding.DecodedLen(it.Attachments[i].textLen())
	}
	if n > lim.maxItemBytes+(2+len(it.Attachments))*3 {
		return errItemTooLarge(lim.maxItemBytes)
	}
	var err error
	if it.sigOK {
		in.Signature = it.sig
	} else if in.Signature, err = decodeBase64(sig); err != nil {
		return errorf(400, CodeMalformedBase64, "signature: %v", err)
	}
	if it.contentOK {
		in.Content = it.content
	} else if content != nil {
		if in.Content, err = decodeBase64(content); err != nil {
			return errorf(400, CodeMalformedBase64, "content: %v", err)
		}
	}
	n = len(in.Signature) + len(in.Content)
	if len(it.Attachments) > 0 {
		in.Attachments = make(map[string][]byte, len(it.Attachments))
	}
	for i := range it.Attachments {
		a := &it.Attachments[i]
		switch {
		case a.ID == "":
			return errorf(400, CodeInvalidInput, "attachments[%d]: no id", i)
		case len(a.ID) > maxIDBytes:
			return errorf(400, CodeInvalidInput, "attachments[%d]: id over %d bytes", i, maxIDBytes)
		}
		if _, dup := in.Attachments[a.ID]; dup {
			return errorf(400, CodeInvalidInput, "attachments[%d] (id %q): id given twice", i, a.ID)
		}
		var data []byte
		switch text := a.text(); {
		case a.decOK:
			data = a.dec
		case text == nil:
			return errorf(400, CodeInvalidInput, "attachments[%d] (id %q): no content", i, a.ID)
		default:
			if data, err = decodeBase64(text); err != nil {
				return errorf(400, CodeMalformedBase64, "attachments[%d] (id %q): content: %v", i, a.ID, err)
			}
		}
		in.Attachments[a.ID] = data
		n += len(data)
	}
	if n > lim.maxItemBytes {
		return errItemTooLarge(lim.maxItemBytes)
	}
	if h := it.ContentHash; h != nil {
		ch, err := gostsig.ParseContentHash(h.Alg + ":" + h.Value)
		if err != nil {
			return errorf(400, CodeMalformedHash, "content_hash: %s", strings.TrimPrefix(err.Error(), "gostsig: "))
		}
		in.ContentHash = ch
	}
	return nil
}

// errItemTooLarge and errTooManyAttachments are the item limits' errors,
// the same for a batch item and a multipart /v1/verify body.
func errItemTooLarge(maxItemBytes int) *Error {
	return errorf(413, CodeItemTooLarge, "signature, content and attachments over the %d-byte item limit", maxItemBytes)
}

func errTooManyAttachments() *Error {
	return errorf(413, CodeItemTooLarge, "attachments over the %d-attachment limit", maxAttachments)
}

// decodeBase64 takes standard base64 with or without padding (line breaks
// are ignored, as in PEM-style wrapping). The result is a fresh slice.
func decodeBase64(s []byte) ([]byte, error) {
	// Unpadded text decodes to up to RawStdEncoding.DecodedLen bytes,
	// more than StdEncoding.DecodedLen.
	out := make([]byte, max(base64.StdEncoding.DecodedLen(len(s)), base64.RawStdEncoding.DecodedLen(len(s))))
	n, err := decodeStd(base64.StdEncoding, out, s)
	if err == nil {
		return out[:n], nil
	}
	if n2, err2 := decodeStd(base64.RawStdEncoding, out, s); err2 == nil {
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
	b := &batch{rid: id.String(), tasks: make([]task, len(items)), summary: q.summary}
	for i := range items {
		t := &b.tasks[i]
		t.id = items[i].id
		if err := items[i].err; err != nil {
			// Answered in place; run leaves it out.
			t.err = err
			t.state.Store(stDone)
			s.m.itemErrors[codeIndex(err.Code)].Add(1)
			continue
		}
		t.in = items[i].in
		q.apply(&t.in)
		t.size = inputSize(&t.in)
	}
	if err := s.run(b); err != nil {
		return err
	}
	ctx.Response.Header.Set(fasthttp.HeaderCacheControl, "no-store")
	// The workers encoded the results (batch.segs); they are copied once,
	// in request order, into fasthttp's own (pooled, reused) body buffer:
	// nothing of it outlives the handler.
	out := append(ctx.Response.SwapBody(nil)[:0], `{"results":[`...)
	out = b.appendResults(out)
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
