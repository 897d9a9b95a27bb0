package cms

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"

	"gostsig.dev/internal/ber"
)

// Encoding says how the input was written.
type Encoding int

const (
	EncodingDER    Encoding = iota + 1 // DER
	EncodingBER                        // BER (indefinite lengths, chunked strings), normalised by internal/ber
	EncodingPEM                        // PEM armour around DER or BER
	EncodingBase64                     // bare base64, with or without line breaks
)

func (e Encoding) String() string {
	switch e {
	case EncodingDER:
		return "der"
	case EncodingBER:
		return "ber"
	case EncodingPEM:
		return "pem"
	case EncodingBase64:
		return "base64"
	}
	return "unknown"
}

// pemTypes are the PEM labels signatures arrive under: OpenSSL writes
// "PKCS7" and "CMS", Windows tools and some Russian portals "SIGNED DATA"
// or "PKCS #7 SIGNED DATA" (RFC 7468 §8 names "CMS" and "PKCS7").
var pemTypes = map[string]bool{
	"PKCS7": true, "CMS": true, "SIGNED DATA": true, "PKCS #7 SIGNED DATA": true, "PKCS#7": true,
}

// unwrap strips PEM armour or bare base64 and returns the binary (DER or
// BER) form and the outer encoding.
func unwrap(data []byte) (bin []byte, enc Encoding, err error) {
	if len(data) > MaxInputSize {
		return nil, 0, overLimit("", "bytes of input", MaxInputSize)
	}
	if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == 0x30 {
		return t, EncodingDER, nil
	}
	if bytes.Contains(data, []byte("-----BEGIN")) {
		rest := data
		for {
			var blk *pem.Block
			blk, rest = pem.Decode(rest)
			if blk == nil {
				return nil, 0, &ParseError{Msg: "no PKCS7, CMS or SIGNED DATA PEM block"}
			}
			if pemTypes[blk.Type] {
				return blk.Bytes, EncodingPEM, nil
			}
		}
	}
	b, ok := decodeBase64(data)
	if !ok {
		return nil, 0, &ParseError{Msg: "input is neither DER, BER, PEM nor base64"}
	}
	return b, EncodingBase64, nil
}

// parseBinary parses a ContentInfo that may be DER or BER. DER — what
// nearly every producer but КриптоПро CSP writes — is parsed in place
// with no pre-pass; only when that fails is the input normalised with
// internal/ber (which validates the whole encoding) and parsed again.
func parseBinary(bin []byte, depth int, pc certParser, into *SignedData) (sd *SignedData, wasBER bool, err error) {
	sd, err = parseContentInfo(bin, depth, pc, into)
	if err == nil {
		return sd, false, nil
	}
	der, berErr := ber.ToDER(bin)
	if berErr != nil {
		return nil, false, &ParseError{Msg: "malformed ASN.1", Err: berErr}
	}
	if len(der) == len(bin) && &der[0] == &bin[0] {
		// Already DER: the first error stands.
		return nil, false, err
	}
	if into != nil {
		*into = SignedData{} // the failed DER attempt may have filled it
	}
	sd, err = parseContentInfo(der, depth, pc, into)
	return sd, true, err
}

// decodeBase64 decodes standard base64 (padding optional) ignoring ASCII
// whitespace, as .p7s/.sig files exported by portals and CryptoPro's
// "base64" output are written.
func decodeBase64(data []byte) ([]byte, bool) {
	clean := make([]byte, 0, len(data))
	for _, c := range data {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		clean = append(clean, c)
	}
	if len(clean) == 0 {
		return nil, false
	}
	enc := base64.StdEncoding
	if bytes.ContainsAny(clean, "-_") {
		enc = base64.URLEncoding
	}
	clean = bytes.TrimRight(clean, "=")
	out := make([]byte, enc.WithPadding(base64.NoPadding).DecodedLen(len(clean)))
	n, err := enc.WithPadding(base64.NoPadding).Decode(out, clean)
	if err != nil || n == 0 || out[0] != 0x30 {
		return nil, false
	}
	return out[:n], true
}
