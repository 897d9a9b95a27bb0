package cert

import (
	"encoding/asn1"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// The OID arena is sized from the input: real certificates hold one OID
// component per 8–15 octets of tbsCertificate (a qualified certificate's
// 40–60 identifiers take about 200 components). A larger need takes
// another chunk.
const (
	oidChunkRatio = 8   // octets of input per component reserved
	oidChunkMax   = 512 // components in one chunk at most
)

// parser is the scratch one Parse or ParseName shares between the fields it
// decodes, so that a certificate costs a handful of allocations however many
// names, attributes and identifiers it holds.
type parser struct {
	// base is the DER everything decoded lies in (the tbsCertificate, or
	// the Name); text is one string copy of it, made on first use, of
	// which every decoded string that is the input's own bytes is a
	// substring. A string kept from a certificate therefore keeps that
	// copy alive.
	base []byte
	text string
	// ints is the arena of OID components: each decoded identifier is a
	// full slice expression of it (its capacity ends where it does, so an
	// append by the caller cannot reach its neighbour).
	ints []int
}

// str returns b, a sub-slice of p.base, as a substring of p.text. Bytes that
// are not p.base's own are copied.
func (p *parser) str(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	// b and base share the backing array when b is a sub-slice of base:
	// their capacities then both run to its end.
	off := cap(p.base) - cap(b)
	if off < 0 || off+len(b) > len(p.base) || &p.base[off] != &b[0] {
		return string(b)
	}
	if p.text == "" {
		p.text = string(p.base)
	}
	return p.text[off : off+len(b)]
}

// readOID reads an OBJECT IDENTIFIER and returns its content octets and its
// components, decoded into the arena. It accepts exactly what cryptobyte's
// ReadASN1ObjectIdentifier accepts: non-empty content, every subidentifier in
// the fewest octets (X.690 §8.19.2: a leading octet is never 0x80) and below
// 2^31.
func (p *parser) readOID(s *cryptobyte.String, raw *cryptobyte.String, out *asn1.ObjectIdentifier) bool {
	if !s.ReadASN1(raw, cbasn1.OBJECT_IDENTIFIER) {
		return false
	}
	id, ok := p.oid(*raw)
	*out = id
	return ok
}

// oid decodes the content octets of an OBJECT IDENTIFIER into the arena.
func (p *parser) oid(b []byte) (asn1.ObjectIdentifier, bool) {
	if len(b) == 0 {
		return nil, false
	}
	// At most one component per octet, plus one for the packed first two.
	need := len(b) + 1
	if cap(p.ints)-len(p.ints) < need {
		p.ints = make([]int, 0, max(need, min(len(p.base)/oidChunkRatio+16, oidChunkMax)))
	}
	start := len(p.ints)
	out := p.ints[start : start+need]
	k := 0
	for len(b) > 0 {
		v := int(b[0])
		b = b[1:]
		if v >= 0x80 {
			// A multi-octet subidentifier, as cryptobyte reads it: not
			// starting with 0x80 (X.690 §8.19.2), at most 5 octets,
			// below 2^31.
			if v == 0x80 {
				return nil, false
			}
			v &= 0x7f
			for i := 1; ; i++ {
				if i == 5 || v >= 1<<(31-7) || len(b) == 0 {
					return nil, false
				}
				c := b[0]
				b = b[1:]
				v = v<<7 | int(c&0x7f)
				if c&0x80 == 0 {
					break
				}
			}
		}
		if k == 0 {
			// The first subidentifier is 40·a₁ + a₂ with a₁ ∈ {0, 1, 2}.
			if v < 80 {
				out[0], out[1] = v/40, v%40
			} else {
				out[0], out[1] = 2, v-80
			}
			k = 2
			continue
		}
		out[k] = v
		k++
	}
	p.ints = p.ints[:start+k]
	return asn1.ObjectIdentifier(out[:k:k]), true
}

// countElements counts the elements of a SEQUENCE OF or SET OF content, up
// to limit+1, so that the slice they fill is allocated once. It stops at the
// first malformed element: the parse that follows reports it.
func countElements(s cryptobyte.String, limit int) int {
	n := 0
	for n <= limit && !s.Empty() {
		var elem cryptobyte.String
		var tag cbasn1.Tag
		if !s.ReadAnyASN1Element(&elem, &tag) {
			break
		}
		n++
	}
	return n
}

// validOID reports whether b is the content of an OBJECT IDENTIFIER that
// readOID would accept, without decoding it.
func validOID(b []byte) bool {
	if len(b) == 0 || b[len(b)-1]&0x80 != 0 {
		return false
	}
	n := 0 // octets of the current subidentifier
	for i, c := range b {
		if n == 0 && c == 0x80 {
			return false // X.690 §8.19.2: not minimal
		}
		n++
		// Below 2^31 as cryptobyte requires: at most 5 octets, and a
		// 5-octet one may carry only 3 bits in its first octet
		// (4·7 + 3 = 31).
		if n == 5 && b[i-4]&0x7f > 0x07 {
			return false
		}
		if n > 5 {
			return false
		}
		if c&0x80 == 0 {
			n = 0
		}
	}
	return true
}
