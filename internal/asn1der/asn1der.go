// Package asn1der holds the small DER helpers that cert and cms share:
// reading elements by cursor without cryptobyte's write barriers (Split,
// ReadASN1 and kin, read.go), counting the elements of a SET OF or SEQUENCE
// OF before filling a slice, and decoding INTEGER content octets (X.690
// §8.3: two's complement, big-endian).
package asn1der

import (
	"math/big"

	"golang.org/x/crypto/cryptobyte"
)

// CountElements counts the elements of a SET OF or SEQUENCE OF content, up
// to limit+1, so that the slice they fill is allocated once. It stops at the
// first malformed element: the parse that follows reports it.
func CountElements(s cryptobyte.String, limit int) int {
	n := 0
	for n <= limit && len(s) > 0 {
		_, _, rest, ok := Split(s, 0, true, true)
		if !ok {
			break
		}
		s = rest
		n++
	}
	return n
}

// Int decodes INTEGER content octets (two's complement, big-endian, any
// length; empty content is 0).
func Int(b []byte) *big.Int { return SetInt(new(big.Int), b) }

// SetInt sets v to the INTEGER with content octets b and returns v.
func SetInt(v *big.Int, b []byte) *big.Int {
	v.SetBytes(b)
	if len(b) > 0 && b[0]&0x80 != 0 {
		// Negative: subtract 2^(8·len).
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	return v
}
