package server

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
)

// parseBatch reads {"items": [...]} strictly: JSON that is not this schema
// (unknown members or fields, a second "items" or a repeated field, a
// member of the wrong type, trailing data) or more items than the limit
// reject the whole request before anything is verified. Items are counted
// as they are read, so a body of a million tiny items stops at the limit.
// A well-formed item that cannot be verified (no signature, bad base64 or
// content_hash, over the item limits) carries its own error
// (parsedItem.err) and does not stop the others.
//
// It is a scanner for this one schema (RFC 8259 grammar, no recursion)
// rather than encoding/json, which spends tens of microseconds per item
// scanning base64 text three times over. Strings with escapes or non-ASCII
// bytes (rare: ids in Cyrillic, "\/" from some encoders) are unquoted by
// encoding/json itself, so their meaning is exactly encoding/json's. The
// differential tests hold it to the encoding/json parser it replaced
// (batchref_test.go).
func parseBatch(body []byte, lim batchLimits) ([]parsedItem, error) {
	s := &scanner{b: body, lim: lim}
	bad := func(format string, a ...any) error {
		return errorf(400, CodeMalformedJSON, format, a...)
	}
	s.ws()
	if !s.consume('{') {
		return nil, bad("batch body: %s (want {\"items\": [...]})", s.what())
	}
	// One allocation for the items: count them roughly first (a field
	// name inside a string only makes the guess larger).
	items := make([]parsedItem, 0, min(lim.maxItems, bytes.Count(body, []byte(`"signature"`))))
	seenItems := false
	s.ws()
	if !s.consume('}') {
		for {
			s.ws()
			key, err := s.key()
			if err != nil {
				return nil, bad("batch body: %v", err)
			}
			if key != "items" {
				return nil, bad("batch body: unknown member %q (want items)", truncate([]byte(key), 32))
			}
			if seenItems {
				return nil, bad("batch body: items given twice")
			}
			seenItems = true
			if !s.consume('[') {
				return nil, bad("batch body: items: %s (want an array)", s.what())
			}
			s.ws()
			if !s.consume(']') {
				for {
					if len(items) == lim.maxItems {
						return nil, errorf(413, CodeTooManyItems, "batch over the %d-item limit", lim.maxItems)
					}
					s.ws()
					it, err := s.item(len(items))
					if err != nil {
						return nil, err
					}
					items = append(items, it.parse(lim))
					s.ws()
					if s.consume(',') {
						continue
					}
					if s.consume(']') {
						break
					}
					return nil, bad("items[%d]: %s (want , or ])", len(items)-1, s.what())
				}
			}
			s.ws()
			if s.consume(',') {
				continue
			}
			if s.consume('}') {
				break
			}
			return nil, bad("batch body: %s (want , or })", s.what())
		}
	}
	s.ws()
	if s.i != len(s.b) {
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

// scanner walks a JSON text.
type scanner struct {
	b   []byte
	i   int
	lim batchLimits
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) consume(c byte) bool {
	if s.i < len(s.b) && s.b[s.i] == c {
		s.i++
		return true
	}
	return false
}

// consumeNull consumes the literal null.
func (s *scanner) consumeNull() bool {
	if len(s.b)-s.i >= 4 && string(s.b[s.i:s.i+4]) == "null" {
		s.i += 4
		return true
	}
	return false
}

// what describes the input at the cursor for an error message, never
// quoting more than one byte of it.
func (s *scanner) what() string {
	if s.i >= len(s.b) {
		return "unexpected end of JSON"
	}
	return fmt.Sprintf("unexpected %q at byte %d", s.b[s.i], s.i)
}

// str reads a string at the cursor. plain reports that the bytes between
// the quotes are the value (printable ASCII, no escapes); otherwise raw is
// the whole quoted token, for unquote.
func (s *scanner) str() (raw []byte, plain bool, err error) {
	if !s.consume('"') {
		return nil, false, fmt.Errorf("%s (want a string)", s.what())
	}
	start := s.i
	plain = true
	i := start
	// Eight bytes at a time while none is special: a quote, a backslash,
	// a control character or a non-ASCII byte (base64 text never is).
	for ; i+8 <= len(s.b); i += 8 {
		w := binary.LittleEndian.Uint64(s.b[i:])
		if w&hiBits != 0 || hasZero(w^(lo*'"')) || hasZero(w^(lo*'\\')) || hasLess(w, 0x20) {
			break
		}
	}
	for ; i < len(s.b); i++ {
		switch c := s.b[i]; {
		case c == '"':
			s.i = i + 1
			if plain {
				return s.b[start:i], true, nil
			}
			return s.b[start-1 : i+1], false, nil
		case c == '\\':
			plain = false
			i++ // the escaped byte cannot end the string
		case c < 0x20:
			s.i = i
			return nil, false, fmt.Errorf("control character in a string at byte %d", i)
		case c >= 0x80:
			plain = false
		}
	}
	s.i = len(s.b)
	return nil, false, fmt.Errorf("unexpected end of JSON in a string")
}

const (
	lo     = 0x0101010101010101
	hiBits = 0x8080808080808080
)

// hasZero reports whether a byte of w is zero; hasLess whether a byte is
// below n (n ≤ 128, bytes below 0x80). Hacker's Delight §6-1.
func hasZero(w uint64) bool         { return (w-lo)&^w&hiBits != 0 }
func hasLess(w uint64, n byte) bool { return (w-lo*uint64(n))&^w&hiBits != 0 }

// unquote gives a string's value as encoding/json would.
func unquote(raw []byte, plain bool) (string, error) {
	if plain {
		return string(raw), nil
	}
	var v string
	if err := json.Unmarshal(raw, &v); err != nil {
		return "", fmt.Errorf("malformed string")
	}
	return v, nil
}

// key reads `"name" :`.
func (s *scanner) key() (string, error) {
	raw, plain, err := s.str()
	if err != nil {
		return "", err
	}
	k, err := unquote(raw, plain)
	if err != nil {
		return "", err
	}
	s.ws()
	if !s.consume(':') {
		return "", fmt.Errorf("%s (want :)", s.what())
	}
	s.ws()
	return k, nil
}

// optString reads a string or null into *dst (null leaves it nil).
func (s *scanner) optString(dst **string) error {
	if s.consumeNull() {
		*dst = nil
		return nil
	}
	raw, plain, err := s.str()
	if err != nil {
		return err
	}
	v, err := unquote(raw, plain)
	if err != nil {
		return err
	}
	*dst = &v
	return nil
}

// object reads an object at the cursor, calling member for each member
// with the cursor at its value. Which keys member takes, and whether once,
// is member's business.
func (s *scanner) object(member func(key string) error) error {
	if !s.consume('{') {
		return fmt.Errorf("%s (want an object)", s.what())
	}
	s.ws()
	if s.consume('}') {
		return nil
	}
	for {
		s.ws()
		key, err := s.key()
		if err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
		s.ws()
		if s.consume(',') {
			continue
		}
		if s.consume('}') {
			return nil
		}
		return fmt.Errorf("%s (want , or })", s.what())
	}
}

// item reads one element of "items" into a batchItem, as encoding/json
// would have filled it, but with field names matched exactly and each
// given at most once.
func (s *scanner) item(i int) (batchItem, error) {
	var it batchItem
	var seen uint8 // one bit per field
	err := s.object(func(key string) error {
		bit := itemFieldBit(key)
		if bit == 0 {
			return fmt.Errorf("unknown field %q", truncate([]byte(key), 32))
		}
		if seen&bit != 0 {
			return fmt.Errorf("field %q given twice", key)
		}
		seen |= bit
		switch key {
		case "id":
			var str *string
			if err := s.optString(&str); err != nil {
				return fmt.Errorf("%s: %v", key, err)
			}
			if str != nil {
				it.ID = *str
			}
		case "signature":
			var v *string
			if err := s.base64Member(&it.rawSig, &v, &it.sig, &it.sigOK); err != nil {
				return fmt.Errorf("%s: %v", key, err)
			}
			if v != nil {
				it.Signature = *v
			}
		case "content":
			if err := s.base64Member(&it.rawContent, &it.Content, &it.content, &it.contentOK); err != nil {
				return fmt.Errorf("%s: %v", key, err)
			}
		case "attachments":
			atts, err := s.attachments()
			if err != nil {
				return fmt.Errorf("attachments%v", err)
			}
			it.Attachments = atts
		case "content_hash":
			h, err := s.hash()
			if err != nil {
				return fmt.Errorf("content_hash: %v", err)
			}
			it.ContentHash = h
		}
		return nil
	})
	if err != nil {
		return it, errorf(400, CodeMalformedJSON, "items[%d]: %v", i, err)
	}
	return it, nil
}

func itemFieldBit(key string) uint8 {
	switch key {
	case "id":
		return 1
	case "signature":
		return 2
	case "content":
		return 4
	case "content_hash":
		return 8
	case "attachments":
		return 16
	}
	return 0
}

// base64Member reads a base64 string member (or null, which sets
// nothing). The text is decoded from the body itself when it needs no
// unquoting (nearly always): *raw is the text, *dec its bytes, *ok true.
// Text the one pass does not take is left for decodeBase64: in *raw when
// plain, else unquoted into *str.
func (s *scanner) base64Member(raw *[]byte, str **string, dec *[]byte, ok *bool) error {
	if s.consumeNull() {
		return nil
	}
	if text, d, good := s.base64(); good {
		*raw, *dec, *ok = text, d, true
		return nil
	}
	text, plain, err := s.str()
	if err != nil {
		return err
	}
	if plain {
		*raw = text
		return nil
	}
	v, err := unquote(text, false)
	if err != nil {
		return err
	}
	*str = &v
	return nil
}

// attachments reads an item's attachments: null or
// [{"id": "...", "content": "<base64>"}, ...]. Errors are worded to follow
// "attachments". Elements past maxAttachments+1 are read but not kept, so
// that a body of tiny attachments costs no more memory than its text:
// parse refuses the item by the count.
func (s *scanner) attachments() ([]batchAttachment, error) {
	if s.consumeNull() {
		return nil, nil
	}
	if !s.consume('[') {
		return nil, fmt.Errorf(": %s (want an array)", s.what())
	}
	atts := []batchAttachment{}
	s.ws()
	if s.consume(']') {
		return atts, nil
	}
	for j := 0; ; j++ {
		s.ws()
		a, err := s.attachment()
		if err != nil {
			return nil, fmt.Errorf("[%d]: %v", j, err)
		}
		if len(atts) <= maxAttachments {
			atts = append(atts, a)
		}
		s.ws()
		if s.consume(',') {
			continue
		}
		if s.consume(']') {
			return atts, nil
		}
		return nil, fmt.Errorf("[%d]: %s (want , or ])", j, s.what())
	}
}

// attachment reads {"id": "...", "content": "<base64>"}, each field at
// most once.
func (s *scanner) attachment() (batchAttachment, error) {
	var a batchAttachment
	var seenID, seenContent bool
	err := s.object(func(key string) error {
		switch key {
		case "id":
			if seenID {
				return fmt.Errorf("field %q given twice", key)
			}
			seenID = true
			var v *string
			if err := s.optString(&v); err != nil {
				return fmt.Errorf("%s: %v", key, err)
			}
			if v != nil {
				a.ID = *v
			}
		case "content":
			if seenContent {
				return fmt.Errorf("field %q given twice", key)
			}
			seenContent = true
			if err := s.base64Member(&a.raw, &a.Content, &a.dec, &a.decOK); err != nil {
				return fmt.Errorf("%s: %v", key, err)
			}
		default:
			return fmt.Errorf("unknown field %q", truncate([]byte(key), 32))
		}
		return nil
	})
	return a, err
}

// hash reads content_hash: null or {"alg": "...", "value": "..."}.
func (s *scanner) hash() (*batchHash, error) {
	if s.consumeNull() {
		return nil, nil
	}
	h := &batchHash{}
	var seenAlg, seenValue bool
	err := s.object(func(key string) error {
		var dst *string
		switch key {
		case "alg":
			if seenAlg {
				return fmt.Errorf("field %q given twice", key)
			}
			seenAlg, dst = true, &h.Alg
		case "value":
			if seenValue {
				return fmt.Errorf("field %q given twice", key)
			}
			seenValue, dst = true, &h.Value
		default:
			return fmt.Errorf("unknown field %q", truncate([]byte(key), 32))
		}
		var v *string
		if err := s.optString(&v); err != nil {
			return fmt.Errorf("%s: %v", key, err)
		}
		if v != nil {
			*dst = *v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return h, nil
}

// base64 reads and decodes a string at the cursor that is well-formed
// standard base64 (padded or not) and nothing else: what clients nearly
// always send. The string's end is found with bytes.IndexByte and the text
// decoded straight from the body by encoding/base64, so clean text is
// not walked by str first. Anything else (escapes, line breaks, a byte
// outside the alphabet, misplaced padding, a text over the item limit)
// returns ok false with the cursor unmoved, and the general path decides
// (and words the error). text is the string's bytes, dec a fresh slice.
func (s *scanner) base64() (text, dec []byte, ok bool) {
	if s.i >= len(s.b) || s.b[s.i] != '"' {
		return nil, nil, false
	}
	start := s.i + 1
	end := bytes.IndexByte(s.b[start:], '"')
	if end < 0 {
		return nil, nil, false
	}
	text = s.b[start : start+end]
	if base64.RawStdEncoding.DecodedLen(len(text)) > s.lim.maxItemBytes {
		return nil, nil, false
	}
	// Whole quads are padded or complete; anything else can only be
	// unpadded (RFC 4648 §3.2).
	enc := base64.StdEncoding
	if len(text)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	dec = make([]byte, enc.DecodedLen(len(text)))
	// The vector prefix (decodeStd's) is alphabet only. encoding/base64
	// skips line breaks in the rest, which a JSON string cannot hold
	// unescaped: leave them to str's error.
	nd, ns := decodePrefix(dec, text)
	rest := text[ns:]
	if bytes.IndexByte(rest, '\n') >= 0 || bytes.IndexByte(rest, '\r') >= 0 {
		return nil, nil, false
	}
	n, err := enc.Decode(dec[nd:], rest)
	if err != nil {
		return nil, nil, false
	}
	n += nd
	s.i = start + end + 1
	return text, dec[:n], true
}
