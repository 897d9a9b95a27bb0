package cert

import (
	"encoding/asn1"
	"unsafe"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/asn1der"
	"gostsig.dev/internal/oid"
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
	// the Name); text is one string copy of it, made on first use with
	// the arena's first chunk (see reserve), of which every decoded string
	// that is the input's own bytes is a substring. A string or identifier
	// kept from a certificate therefore keeps that block alive.
	base []byte
	text string
	// oids is the arena of OID components (oid.Arena: each decoded
	// identifier's capacity ends where it does, so an append by the
	// caller cannot reach its neighbour).
	oids oid.Arena
	// strs and oidLists hold the certificate's lists of strings (URIs,
	// sign tools) and of identifiers (policies, extended key usages), so
	// that they take one allocation each however many there are; Parse
	// starts them in the Certificate's own storage.
	strs     []string
	oidLists []asn1.ObjectIdentifier
	// attrs holds the Names' attributes (parseTBS starts it with room for
	// both the issuer's and the subject's).
	attrs []Attribute
}

// listChunk is the capacity strs and oidLists take at a time.
const listChunk = 8

// carve returns an empty slice of capacity n taken from *pool, which it
// first replaces with a new one of capacity max(n, chunk) when it has no
// room left: the lists one parse makes share a few allocations. The
// slice's capacity ends at n, so an append to it cannot reach its
// neighbour. nil for n = 0.
func carve[T any](pool *[]T, n, chunk int) []T {
	if n == 0 {
		return nil
	}
	if cap(*pool)-len(*pool) < n {
		*pool = make([]T, 0, max(n, chunk))
	}
	i := len(*pool)
	*pool = (*pool)[:i+n]
	return (*pool)[i : i : i+n]
}

// strings returns a copy of l in p.strs, nil for an empty l.
func (p *parser) strings(l []string) []string {
	if len(l) == 0 {
		return nil
	}
	return append(carve(&p.strs, len(l), listChunk), l...)
}

// oidList returns an empty slice of capacity n (at most maxListEntries)
// in p.oidLists, nil for n = 0.
func (p *parser) oidList(n int) []asn1.ObjectIdentifier {
	return carve(&p.oidLists, min(n, maxListEntries), listChunk)
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
		p.reserve()
	}
	return p.text[off : off+len(b)]
}

// readOID reads an OBJECT IDENTIFIER and returns its content octets and its
// components, decoded into the arena. It accepts exactly what cryptobyte's
// ReadASN1ObjectIdentifier accepts: non-empty content, every subidentifier in
// the fewest octets (X.690 §8.19.2: a leading octet is never 0x80) and below
// 2^31.
// It takes and returns values, not pointers, for the reason the package
// doc of internal/asn1der gives (write barriers): rest is s after the
// identifier.
func (p *parser) readOID(s cryptobyte.String) (rest, raw cryptobyte.String, id asn1.ObjectIdentifier, ok bool) {
	_, raw, rest, ok = asn1der.Split(s, byte(cbasn1.OBJECT_IDENTIFIER), false, false)
	if !ok {
		return s, nil, nil, false
	}
	id, ok = p.oid(raw)
	return rest, raw, id, ok
}

// oid decodes the content octets of an OBJECT IDENTIFIER into the arena,
// whose chunks are sized from the input on first use.
func (p *parser) oid(b []byte) (asn1.ObjectIdentifier, bool) {
	if p.oids.Chunk == 0 {
		p.reserve()
	}
	return p.oids.Decode(b)
}

// reserve makes, on first use, the OID arena's first chunk (sized from the
// input, see oidChunkRatio) and p.text, the string copy of p.base, in one
// pointer-free allocation: the chunk's components, then the text's octets.
// The two parts do not overlap (the arena's identifiers have capacity
// equal to length and its storage is capped at the chunk), and the text
// is never exposed as bytes, so the string stays immutable.
func (p *parser) reserve() {
	if p.oids.Chunk != 0 {
		return
	}
	chunk := min(len(p.base)/oidChunkRatio+16, oidChunkMax)
	const w = int(unsafe.Sizeof(int(0)))
	block := make([]int, chunk+(len(p.base)+w-1)/w)
	p.oids = oid.WithStorage(block[:chunk:chunk])
	p.oids.Chunk = chunk
	if len(p.base) > 0 {
		text := unsafe.Slice((*byte)(unsafe.Pointer(&block[chunk])), len(p.base))
		copy(text, p.base)
		p.text = unsafe.String(&text[0], len(text))
	}
}
