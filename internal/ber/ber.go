// Package ber turns a BER-encoded ASN.1 element into the definite-length,
// primitive-string form that golang.org/x/crypto/cryptobyte can read.
//
// Real GOST CMS files are often BER: КриптоПро CSP writes indefinite lengths
// (30 80 … 00 00) and, when streaming, eContent as a constructed OCTET STRING
// made of chunks. cryptobyte, like encoding/asn1, reads DER only, so the cms
// package puts [ToDER] in front of its parser.
//
// # Contract
//
// ToDER rewrites only the encoding structure (ITU-T X.690):
//
//   - indefinite lengths (§8.1.3.6) become definite;
//   - non-minimal definite lengths (§8.1.3.5) become minimal (§10.1);
//   - constructed universal string types — BIT STRING, OCTET STRING and the
//     character and time strings (§8.6.4, §8.7.3, §8.23.6) — become one
//     primitive string holding the concatenated segments (§10.2).
//
// It never touches the contents octets of a primitive element and never
// reorders anything: SET OF is not sorted, BOOLEAN is not canonicalised. A
// signature covers bytes as the signer produced them (RFC 5652 §5.4), so an
// element that is already in this form is copied byte for byte, and an input
// that needs no change at all is returned as is, without a copy. The output of
// ToDER is a fixed point: ToDER(ToDER(x)) == ToDER(x).
//
// Context-specific and application tags are not known to be strings, so a
// constructed [n] IMPLICIT OCTET STRING stays constructed (its lengths are
// still made definite).
//
// # Limits
//
// Nesting deeper than [MaxDepth] is an error (*[Error] wrapping [ErrTooDeep]).
// The output is at most a few bytes per nesting level longer than the input,
// so no separate size bound is needed here; callers bound the input size.
package ber

import (
	"errors"
	"fmt"
)

// MaxDepth is the deepest nesting of constructed elements ToDER accepts. A
// CMS SignedData with certificates, a time-stamp token and a few levels of
// counter-signatures stays well under 64; 128 leaves room for CAdES-X Long
// evidence while bounding the recursion.
const MaxDepth = 128

// ErrTooDeep is wrapped by the error ToDER returns for nesting over MaxDepth.
var ErrTooDeep = errors.New("nesting too deep")

// ErrTrailingData is the Err of the *Error ToDER returns when bytes follow
// the outer element; that Error's Offset is where the element ends, so a
// caller can decide whether what follows is harmless padding.
var ErrTrailingData = errors.New("bytes after the outer element")

// Error is a malformed-input error with the offset of the offending element.
type Error struct {
	Offset int    // offset in the input of the element that is malformed
	Msg    string // what is wrong
	Err    error  // an underlying sentinel such as ErrTooDeep, or nil
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("ber: %s at offset %d: %v", e.Msg, e.Offset, e.Err)
	}
	return fmt.Sprintf("ber: %s at offset %d", e.Msg, e.Offset)
}

func (e *Error) Unwrap() error { return e.Err }

// isUniversalString reports whether a universal tag number is a string type
// that DER requires to be primitive (X.690 §10.2; the restricted character
// string types of §8.23 and the time types, which are VisibleString).
func isUniversalString(n uint32) bool {
	switch n {
	case 3, 4, // BIT STRING, OCTET STRING
		12,                             // UTF8String
		18, 19, 20, 21, 22, 23, 24, 25, // Numeric … GeneralizedTime, GraphicString
		26, 27, 28, 30: // VisibleString, GeneralString, UniversalString, BMPString
		return true
	}
	return false
}

// header is one decoded identifier + length.
type header struct {
	tagClass    byte   // top two bits of the first identifier octet
	constructed bool   // bit 6
	tagNum      uint32 // tag number
	tagLen      int    // identifier octets
	hdrLen      int    // identifier + length octets
	indefinite  bool
	length      int  // contents length when definite
	minimal     bool // length octets are the DER ones
}

// readHeader decodes the identifier and length octets at in[off:].
func readHeader(in []byte, off int) (header, error) {
	var h header
	p := off
	if p >= len(in) {
		return h, &Error{Offset: off, Msg: "truncated identifier"}
	}
	b := in[p]
	p++
	h.tagClass = b & 0xc0
	h.constructed = b&0x20 != 0
	h.tagNum = uint32(b & 0x1f)
	if h.tagNum == 0x1f {
		// X.690 §8.1.2.4: high tag number form, base 128, first octet not 0x80.
		h.tagNum = 0
		for i := 0; ; i++ {
			if p >= len(in) {
				return h, &Error{Offset: off, Msg: "truncated identifier"}
			}
			c := in[p]
			p++
			if i == 0 && c == 0x80 {
				return h, &Error{Offset: off, Msg: "non-minimal tag number"}
			}
			if i == 4 {
				return h, &Error{Offset: off, Msg: "tag number too large"}
			}
			h.tagNum = h.tagNum<<7 | uint32(c&0x7f)
			if c&0x80 == 0 {
				break
			}
		}
		if h.tagNum < 0x1f {
			return h, &Error{Offset: off, Msg: "non-minimal tag number"}
		}
	}
	h.tagLen = p - off
	if p >= len(in) {
		return h, &Error{Offset: off, Msg: "truncated length"}
	}
	l := in[p]
	p++
	switch {
	case l < 0x80:
		h.length = int(l)
		h.minimal = true
	case l == 0x80:
		if !h.constructed {
			return h, &Error{Offset: off, Msg: "indefinite length on a primitive element"}
		}
		h.indefinite = true
	case l == 0xff:
		return h, &Error{Offset: off, Msg: "reserved length octet"}
	default:
		n := int(l & 0x7f)
		if p+n > len(in) {
			return h, &Error{Offset: off, Msg: "truncated length"}
		}
		var v uint64
		for i := 0; i < n; i++ {
			if v > (1<<56)-1 {
				return h, &Error{Offset: off, Msg: "length too large"}
			}
			v = v<<8 | uint64(in[p+i])
		}
		p += n
		if v > uint64(len(in)) {
			return h, &Error{Offset: off, Msg: "length exceeds input"}
		}
		h.length = int(v)
		h.minimal = v >= 0x80 && in[p-n] != 0
	}
	h.hdrLen = p - off
	if !h.indefinite && h.length > len(in)-p {
		return h, &Error{Offset: off, Msg: "length exceeds input"}
	}
	return h, nil
}

// change records an element whose encoding ToDER rewrites, keyed by its
// input offset; records are appended in pre-order, so offsets increase.
type change struct {
	off     int
	content int  // DER contents length
	flatten bool // constructed universal string → primitive
}

type converter struct {
	in      []byte
	changes []change
}

// measure walks the element at off and returns the offset just past it and
// the DER length (header + contents) it will have. Elements that change are
// recorded in c.changes.
func (c *converter) measure(off, depth int) (end, derLen int, err error) {
	h, err := readHeader(c.in, off)
	if err != nil {
		return 0, 0, err
	}
	if !h.constructed {
		end = off + h.hdrLen + h.length
		if !h.minimal {
			c.changes = append(c.changes, change{off: off, content: h.length})
		}
		return end, h.tagLen + lenLen(h.length) + h.length, nil
	}
	if depth >= MaxDepth {
		return 0, 0, &Error{Offset: off, Msg: "constructed element", Err: ErrTooDeep}
	}
	flatten := h.tagClass == 0 && isUniversalString(h.tagNum)
	idx := len(c.changes)
	c.changes = append(c.changes, change{off: off, flatten: flatten})
	changed := flatten || h.indefinite || !h.minimal
	p := off + h.hdrLen
	limit := len(c.in)
	if !h.indefinite {
		limit = p + h.length
	}
	content := 0
	for {
		if h.indefinite {
			if p+2 <= len(c.in) && c.in[p] == 0 && c.in[p+1] == 0 {
				p += 2
				break
			}
		} else if p == limit {
			break
		}
		if p >= limit {
			return 0, 0, &Error{Offset: off, Msg: "missing end-of-contents"}
		}
		mark := len(c.changes)
		childEnd, childDER, err := c.subMeasure(p, limit, depth+1, flatten, h.tagNum)
		if err != nil {
			return 0, 0, err
		}
		if len(c.changes) != mark {
			changed = true
		}
		content += childDER
		p = childEnd
	}
	if flatten && h.tagNum == 3 {
		content++ // the single unused-bits octet of the flattened BIT STRING
	}
	if !changed {
		// Already DER: copied verbatim, no record needed.
		c.changes = c.changes[:idx]
		return p, p - off, nil
	}
	c.changes[idx].content = content
	return p, h.tagLen + lenLen(content) + content, nil
}

// subMeasure measures one child. Inside a string being flattened a child is a
// segment and contributes only its contents octets.
func (c *converter) subMeasure(off, limit, depth int, flatten bool, strTag uint32) (end, n int, err error) {
	if limit < len(c.in) {
		// Definite-length parent: the child must fit inside it.
		saved := c.in
		c.in = c.in[:limit]
		defer func() { c.in = saved }()
	}
	if !flatten {
		return c.measure(off, depth)
	}
	h, err := readHeader(c.in, off)
	if err != nil {
		return 0, 0, err
	}
	// X.690 §8.6.4.1, §8.7.3.2: segments carry the universal tag of the string.
	if h.tagClass != 0 || h.tagNum != strTag {
		return 0, 0, &Error{Offset: off, Msg: "constructed string segment of the wrong type"}
	}
	if h.constructed {
		if depth >= MaxDepth {
			return 0, 0, &Error{Offset: off, Msg: "constructed string", Err: ErrTooDeep}
		}
		// Nested constructed segment: its segments are flattened into ours.
		p := off + h.hdrLen
		lim := len(c.in)
		if !h.indefinite {
			lim = p + h.length
		}
		total := 0
		for {
			if h.indefinite {
				if p+2 <= len(c.in) && c.in[p] == 0 && c.in[p+1] == 0 {
					p += 2
					break
				}
			} else if p == lim {
				break
			}
			if p >= lim {
				return 0, 0, &Error{Offset: off, Msg: "missing end-of-contents"}
			}
			e, m, err := c.subMeasure(p, lim, depth+1, true, strTag)
			if err != nil {
				return 0, 0, err
			}
			total += m
			p = e
		}
		return p, total, nil
	}
	n = h.length
	if strTag == 3 {
		// X.690 §8.6.4: each BIT STRING segment starts with its unused-bits
		// octet; only the last one may be non-zero. The check for "last" is
		// done while writing; here each segment contributes its bits.
		if n == 0 {
			return 0, 0, &Error{Offset: off, Msg: "empty bit string segment"}
		}
		n--
	}
	return off + h.hdrLen + h.length, n, nil
}

// lenLen is the number of DER length octets for a contents length n.
func lenLen(n int) int {
	switch {
	case n < 0x80:
		return 1
	case n < 1<<8:
		return 2
	case n < 1<<16:
		return 3
	case n < 1<<24:
		return 4
	default:
		k := 1
		for v := n; v > 0; v >>= 8 {
			k++
		}
		return k
	}
}

func appendLength(out []byte, n int) []byte {
	if n < 0x80 {
		return append(out, byte(n))
	}
	k := lenLen(n) - 1
	out = append(out, 0x80|byte(k))
	for i := k - 1; i >= 0; i-- {
		out = append(out, byte(n>>(8*i)))
	}
	return out
}

// write emits the element at off (already validated by measure) and returns
// the offset just past it in the input.
func (c *converter) write(out []byte, off int, next *int) ([]byte, int) {
	h, _ := readHeader(c.in, off)
	end := 0
	if *next < len(c.changes) && c.changes[*next].off == off {
		ch := c.changes[*next]
		*next++
		out = append(out, c.in[off:off+h.tagLen]...)
		if ch.flatten {
			out[len(out)-h.tagLen] &^= 0x20 // primitive
		}
		out = appendLength(out, ch.content)
		if !h.constructed {
			out = append(out, c.in[off+h.hdrLen:off+h.hdrLen+h.length]...)
			return out, off + h.hdrLen + h.length
		}
		if ch.flatten {
			var unused byte
			mark := len(out)
			if h.tagNum == 3 {
				out = append(out, 0)
			}
			out, end, unused = c.writeSegments(out, off, h, h.tagNum == 3)
			if h.tagNum == 3 {
				out[mark] = unused
			}
			return out, end
		}
		p := off + h.hdrLen
		for !c.atEnd(h, off, p) {
			out, p = c.write(out, p, next)
		}
		return out, c.skipEnd(h, p)
	}
	// Unchanged: copy verbatim.
	end = off + h.hdrLen + h.length
	return append(out, c.in[off:end]...), end
}

func (c *converter) atEnd(h header, off, p int) bool {
	if h.indefinite {
		return c.in[p] == 0 && c.in[p+1] == 0
	}
	return p == off+h.hdrLen+h.length
}

func (c *converter) skipEnd(h header, p int) int {
	if h.indefinite {
		return p + 2
	}
	return p
}

// writeSegments appends the concatenated contents of the segments of the
// constructed string at off. For a BIT STRING it drops each segment's
// unused-bits octet and returns the last one.
func (c *converter) writeSegments(out []byte, off int, h header, bits bool) ([]byte, int, byte) {
	var unused byte
	p := off + h.hdrLen
	for !c.atEnd(h, off, p) {
		sh, _ := readHeader(c.in, p)
		if sh.constructed {
			var u byte
			out, p, u = c.writeSegments(out, p, sh, bits)
			unused = u
			continue
		}
		body := c.in[p+sh.hdrLen : p+sh.hdrLen+sh.length]
		if bits {
			unused = body[0]
			body = body[1:]
		}
		out = append(out, body...)
		p += sh.hdrLen + sh.length
	}
	return out, c.skipEnd(h, p), unused
}

// checkBitSegments enforces X.690 §8.6.4: only the last segment of a
// constructed BIT STRING may have unused bits, and at most 7.
func (c *converter) checkBitSegments(off int, h header, last bool) (bool, error) {
	p := off + h.hdrLen
	for !c.atEnd(h, off, p) {
		sh, _ := readHeader(c.in, p)
		next := p + sh.hdrLen + sh.length
		if sh.constructed {
			next = c.elementEnd(p)
		}
		isLast := last && c.atEnd(h, off, next)
		if sh.constructed {
			if _, err := c.checkBitSegments(p, sh, isLast); err != nil {
				return false, err
			}
		} else {
			u := c.in[p+sh.hdrLen]
			if u > 7 || (!isLast && u != 0) || (sh.length == 1 && u != 0) {
				return false, &Error{Offset: p, Msg: "bad unused-bits count in bit string segment"}
			}
		}
		p = next
	}
	return true, nil
}

// elementEnd returns the end offset of a validated element.
func (c *converter) elementEnd(off int) int {
	h, _ := readHeader(c.in, off)
	if !h.indefinite {
		return off + h.hdrLen + h.length
	}
	p := off + h.hdrLen
	for !(c.in[p] == 0 && c.in[p+1] == 0) {
		p = c.elementEnd(p)
	}
	return p + 2
}

// ToDER returns the input's single element in DER structure (see the package
// documentation for exactly what is rewritten). If the input needs no change,
// the returned slice is the input itself. Trailing bytes after the element
// are an error.
func ToDER(in []byte) ([]byte, error) {
	c := converter{in: in}
	end, derLen, err := c.measure(0, 0)
	if err != nil {
		return nil, err
	}
	if end != len(in) {
		return nil, &Error{Offset: end, Msg: "trailing data", Err: ErrTrailingData}
	}
	// Validate BIT STRING segment rules before writing.
	for _, ch := range c.changes {
		if !ch.flatten {
			continue
		}
		h, _ := readHeader(in, ch.off)
		if h.tagNum == 3 {
			if _, err := c.checkBitSegments(ch.off, h, true); err != nil {
				return nil, err
			}
		}
	}
	if len(c.changes) == 0 {
		return in, nil
	}
	out := make([]byte, 0, derLen)
	next := 0
	out, _ = c.write(out, 0, &next)
	return out, nil
}

// IsDER reports whether in is exactly one element that ToDER would return
// unchanged.
func IsDER(in []byte) bool {
	c := converter{in: in}
	end, _, err := c.measure(0, 0)
	return err == nil && end == len(in) && len(c.changes) == 0
}
