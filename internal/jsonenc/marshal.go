package jsonenc

import (
	"bytes"
	"encoding/json"
)

// Marshal is json.Marshal with HTML escaping off ("<" stays "<" in Russian
// messages and distinguished names), the form AppendString matches: the
// reflective path for the rare values (diagnostics, error bodies) that
// have no hand-written encoder, and the reference the encoders are tested
// against.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}
