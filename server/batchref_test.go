package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// The encoding/json parser of the batch body that parseBatch replaced for
// speed. It stays here as the reference of the differential tests: on
// every body parseBatch accepts, the two must agree item for item.

// parseBatchReference reads {"items": [...]} strictly: unknown members, a
// second "items", trailing data, a malformed item or more items than the
// limit reject the whole request. Items are counted as they are read, so a
// body of a million tiny items stops at the limit. An item that is
// well-formed JSON but cannot be verified carries its own error.
func parseBatchReference(body []byte, lim batchLimits) ([]parsedItem, error) {
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
			items = append(items, it.parse(lim))
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
