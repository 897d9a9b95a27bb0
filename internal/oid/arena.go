package oid

import "encoding/asn1"

// Arena decodes the content octets of OBJECT IDENTIFIERs into shared
// backing storage, so that a parser holding many identifiers allocates a
// chunk now and then instead of one slice per identifier. Every identifier
// it returns is a full slice expression of its chunk (capacity equal to
// length), so an append by the caller cannot reach its neighbour; the
// caller owns the components as with any decoded OID. The zero Arena is
// ready to use; an Arena is not safe for concurrent use.
type Arena struct {
	ints []int
	// Chunk is the size, in components, of the chunk a decode takes when
	// the current one is full (0 means DefaultChunk). Real GOST OIDs have
	// 6–9 components.
	Chunk int
}

// WithStorage returns an Arena that decodes into buf's spare capacity
// first, then into chunks of its own: a parser embeds buf in the structure
// the identifiers belong to, and saves the first chunk's allocation. buf's
// contents are overwritten.
func WithStorage(buf []int) Arena { return Arena{ints: buf[:0]} }

// DefaultChunk is Arena.Chunk when it is 0: room for about a dozen OIDs.
const DefaultChunk = 96

// Decode decodes the content octets of an OBJECT IDENTIFIER (X.690 §8.19).
// It accepts exactly what cryptobyte's ReadASN1ObjectIdentifier accepts:
// non-empty content, every subidentifier in the fewest octets (a leading
// octet is never 0x80, §8.19.2) and below 2^31.
func (a *Arena) Decode(b []byte) (asn1.ObjectIdentifier, bool) {
	if len(b) == 0 {
		return nil, false
	}
	// At most one component per octet, plus one for the packed first two.
	need := len(b) + 1
	if cap(a.ints)-len(a.ints) < need {
		chunk := a.Chunk
		if chunk <= 0 {
			chunk = DefaultChunk
		}
		a.ints = make([]int, 0, max(need, chunk))
	}
	start := len(a.ints)
	out := a.ints[start : start+need]
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
	a.ints = a.ints[:start+k]
	return asn1.ObjectIdentifier(out[:k:k]), true
}

// Valid reports whether b is the content of an OBJECT IDENTIFIER that
// Decode (and cryptobyte) would accept, without decoding it.
func Valid(b []byte) bool {
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
