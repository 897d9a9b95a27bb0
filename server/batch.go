package server

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

// parseBatch reads {"items": [...]} strictly: unknown members, a second
// "items", trailing data, a malformed item or one over a limit reject the
// whole request with the item's index and id, before anything is
// verified. Items are counted as they are read, so a body of a million
// tiny items stops at the limit.
func parseBatch(body []byte, lim batchLimits) ([]parsedItem, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	bad := func(format string, a ...any) error {
		return errorf(400, CodeMalformedJSON, format, a...)
	}
	if err := expectDelim(dec, '{'); err != nil {
		return nil, bad("batch body: %v (want {\"items\": [...]})", err)
	}
	var items []parsedItem
	seenItems := false
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, bad("batch body: %v", jsonErr(err))
		}
		key, _ := tok.(string)
		if key != "items" {
			return nil, bad("batch body: unknown member %q (want items)", truncate([]byte(key), 32))
		}
		if seenItems {
			return nil, bad("batch body: items given twice")
		}
		seenItems = true
		if err := expectDelim(dec, '['); err != nil {
			return nil, bad("batch body: items: %v (want an array)", err)
		}
		for dec.More() {
			if len(items) == lim.maxItems {
				return nil, errorf(413, CodeTooManyItems, "batch over the %d-item limit", lim.maxItems)
			}
			var it batchItem
			if err := dec.Decode(&it); err != nil {
				return nil, bad("items[%d]: %v", len(items), jsonErr(err))
			}
			p, err := it.parse(len(items), lim)
			if err != nil {
				return nil, err
			}
			items = append(items, p)
		}
		if err := expectDelim(dec, ']'); err != nil {
			return nil, bad("batch body: items: %v", err)
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return nil, bad("batch body: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, bad("batch body: data after the object")
	}
	if !seenItems {
		return nil, bad("batch body: no items member")
	}
	if len(items) == 0 {
		return nil, errorf(400, CodeEmptyBody, "batch with no items")
	}
	return items, nil
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	tok, err := dec.Token()
	if err != nil {
		return jsonErr(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return fmt.Errorf("found %v where %q belongs", tokenKind(tok), string(want))
	}
	return nil
}

func tokenKind(tok json.Token) string {
	switch tok.(type) {
	case json.Delim:
		return fmt.Sprintf("%q", tok)
	case string:
		return "a string"
	case float64, json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	}
	return "a value"
}

// jsonErr keeps the decoder's message but never the input bytes.
func jsonErr(err error) error {
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("unexpected end of JSON")
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("syntax error at byte %d", se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s: want a %s, got %s", te.Field, te.Type, te.Value)
	}
	return err
}

func (it *batchItem) parse(i int, lim batchLimits) (parsedItem, error) {
	p := parsedItem{id: it.ID}
	where := fmt.Sprintf("items[%d]", i)
	if it.ID != "" {
		where += fmt.Sprintf(" (id %q)", truncate([]byte(it.ID), 64))
	}
	if len(it.ID) > maxIDBytes {
		return p, errorf(400, CodeBadRequest, "%s: id over %d bytes", where, maxIDBytes)
	}
	if it.Signature == "" {
		return p, errorf(400, CodeEmptyBody, "%s: no signature", where)
	}
	// Check the size before decoding: base64 is 4/3 of the bytes.
	est := base64.StdEncoding.DecodedLen(len(it.Signature))
	if it.Content != nil {
		est += base64.StdEncoding.DecodedLen(len(*it.Content))
	}
	if est > lim.maxItemBytes+2*3 {
		return p, errorf(413, CodeItemTooLarge, "%s: signature and content over the %d-byte item limit", where, lim.maxItemBytes)
	}
	var err error
	if p.in.Signature, err = decodeBase64(it.Signature); err != nil {
		return p, errorf(400, CodeMalformedBase64, "%s: signature: %v", where, err)
	}
	if it.Content != nil {
		if p.in.Content, err = decodeBase64(*it.Content); err != nil {
			return p, errorf(400, CodeMalformedBase64, "%s: content: %v", where, err)
		}
	}
	if len(p.in.Signature)+len(p.in.Content) > lim.maxItemBytes {
		return p, errorf(413, CodeItemTooLarge, "%s: signature and content over the %d-byte item limit", where, lim.maxItemBytes)
	}
	if h := it.ContentHash; h != nil {
		if it.Content != nil {
			return p, errorf(400, CodeInvalidInput, "%s: give content or content_hash, not both", where)
		}
		ch, err := gostsig.ParseContentHash(h.Alg + ":" + h.Value)
		if err != nil {
			return p, errorf(400, CodeMalformedHash, "%s: content_hash: %s", where, strings.TrimPrefix(err.Error(), "gostsig: "))
		}
		p.in.ContentHash = ch
	}
	return p, nil
}

// decodeBase64 takes standard base64 with or without padding (line breaks
// are ignored, as in PEM-style wrapping).
func decodeBase64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err == nil {
		return b, nil
	}
	if b2, err2 := base64.RawStdEncoding.DecodeString(s); err2 == nil {
		return b2, nil
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
	size := len(`{"results":[]}` + "\n")
	for i := range b.tasks {
		size += len(b.tasks[i].out) + 1
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
	ctx.Response.Header.Set(fasthttp.HeaderCacheControl, "no-store")
	return s.writeBody(ctx, 200, contentJSON, out)
}
