package server

import (
	"encoding/base64"
	"errors"
)

// decodeStd is enc.Decode(dst, src) for enc base64.StdEncoding or
// base64.RawStdEncoding, the same bytes written, the same count and the
// same error (a CorruptInputError at the same offset), only faster: where
// the CPU allows, a vector kernel first decodes the longest prefix of
// 32-character blocks made only of alphabet characters (RFC 4648 §4,
// Table 1), and encoding/base64 decodes the rest. Such a prefix is whole
// quanta with no padding and no line breaks, which both encodings decode
// alike and which leaves encoding/base64 where it would have been after
// decoding it itself, so only its error offsets need shifting.
func decodeStd(enc *base64.Encoding, dst, src []byte) (int, error) {
	nd, ns := decodePrefix(dst, src)
	n, err := enc.Decode(dst[nd:], src[ns:])
	var ce base64.CorruptInputError
	if errors.As(err, &ce) {
		err = ce + base64.CorruptInputError(ns)
	}
	return nd + n, err
}
