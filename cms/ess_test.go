package cms

import "testing"

// TestParseAlgorithmProtectionMalformed: a CMSAlgorithmProtection value
// whose signatureAlgorithm [1] element is cut short or malformed is an
// error, not a panic (it used to index the element it had failed to read).
func TestParseAlgorithmProtectionMalformed(t *testing.T) {
	digest := []byte{0x30, 0x06, 0x06, 0x04, 0x2a, 0x03, 0x04, 0x05}
	for _, tail := range [][]byte{
		{0xa1, 0x05},             // [1] longer than what follows
		{0xa1, 0x81, 0x01, 0x00}, // [1] length not minimal
		{0xa1},                   // [1] without a length
		{0xa1, 0x02, 0x06, 0x00}, // [1] holding an empty OID
		{0xa2, 0x05},             // [2] longer than what follows
	} {
		body := append(append([]byte(nil), digest...), tail...)
		v := append([]byte{0x30, byte(len(body))}, body...)
		if p, err := parseAlgorithmProtection(v); err == nil {
			t.Errorf("% x: parsed as %+v, want an error", v, p)
		}
	}
}
