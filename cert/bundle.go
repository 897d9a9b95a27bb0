package cert

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// ParseAll parses every certificate in data, which may be
//   - one DER certificate or several concatenated;
//   - PEM with one or more CERTIFICATE (or X509 CERTIFICATE, TRUSTED
//     CERTIFICATE) blocks; other block types are skipped;
//   - bare base64 of a DER certificate, with or without line breaks (as
//     .cer files exported from Windows and e-trust.gosuslugi.ru often are).
//
// It fails if any certificate fails to parse or if none is found. The
// certificates alias data only for DER input; PEM and base64 are decoded
// into fresh buffers.
func ParseAll(data []byte) ([]*Certificate, error) {
	if len(data) > 0 && data[0] == 0x30 {
		// DER: never trimmed, its last octet may well be a "space".
		return parseDERSequence(data)
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, errors.New("cert: no certificate in input")
	}
	switch {
	case bytes.Contains(trimmed, []byte("-----BEGIN")):
		return parsePEM(trimmed)
	default:
		der, err := decodeBase64(trimmed)
		if err != nil {
			return nil, errors.New("cert: input is neither DER, PEM nor base64")
		}
		return parseDERSequence(der)
	}
}

func parseDERSequence(der []byte) ([]*Certificate, error) {
	var out []*Certificate
	s := cryptobyte.String(der)
	for !s.Empty() {
		if len(out) >= MaxBundleCertificates {
			return nil, fmt.Errorf("cert: more than %d certificates", MaxBundleCertificates)
		}
		var elem cryptobyte.String
		if !s.ReadASN1Element(&elem, cbasn1.SEQUENCE) {
			return nil, malformed("certificate")
		}
		c, err := Parse(elem)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %w", len(out)+1, err)
		}
		out = append(out, c)
	}
	return out, nil
}

func parsePEM(data []byte) ([]*Certificate, error) {
	var out []*Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		switch b.Type {
		case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE":
		default:
			continue
		}
		if len(out) >= MaxBundleCertificates {
			return nil, fmt.Errorf("cert: more than %d certificates", MaxBundleCertificates)
		}
		der := b.Bytes
		if b.Type == "TRUSTED CERTIFICATE" {
			// OpenSSL's X509_AUX follows the certificate: keep the first element.
			s := cryptobyte.String(der)
			var elem cryptobyte.String
			if !s.ReadASN1Element(&elem, cbasn1.SEQUENCE) {
				return nil, malformed("certificate")
			}
			der = elem
		}
		c, err := Parse(der)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %w", len(out)+1, err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("cert: no CERTIFICATE block in PEM input")
	}
	return out, nil
}

// decodeBase64 decodes standard base64 ignoring ASCII whitespace.
func decodeBase64(b []byte) ([]byte, error) {
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		clean = append(clean, c)
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(clean)))
	n, err := base64.StdEncoding.Decode(out, clean)
	if err != nil {
		return nil, err
	}
	return out[:n], nil
}
