package cert

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/ber"
	"gostsig.dev/internal/oid"
)

// ParseAll parses every certificate in data, which may be
//   - one DER certificate or several concatenated;
//   - a certificates-only PKCS #7 / CMS SignedData (.p7b, .p7c: RFC 5652
//     §5, RFC 2315 §9.1 "degenerate case"), DER or BER with indefinite
//     lengths, as AIA caIssuers URLs and Windows exports often serve;
//   - PEM with one or more CERTIFICATE (or X509 CERTIFICATE, TRUSTED
//     CERTIFICATE) blocks, or PKCS7 / CMS blocks holding such a
//     SignedData; other block types (X509 CRL, keys…) are skipped, so an
//     OpenSSL-style bundle of certificates and CRLs reads as its
//     certificates;
//   - bare base64 of any DER form above, with or without line breaks (as
//     .cer files exported from Windows and e-trust.gosuslugi.ru often are).
//
// It fails if any certificate fails to parse or if none is found; for PEM
// input the error names the block, counting every PEM block from 1
// ("block 2: cert: malformed validity"), and a block pem.Decode cannot read
// is an error rather than skipped. A
// SignedData that has signers is a signature, not a bundle, and is refused
// (package cms reads those). The certificates alias data only for DER input;
// PEM, base64 and BER are decoded into fresh buffers.
func ParseAll(data []byte) ([]*Certificate, error) {
	if len(data) > 0 && data[0] == 0x30 {
		// DER: never trimmed, its last octet may well be a "space".
		return parseDER(data)
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
		return parseDER(der)
	}
}

// parseDER parses a certificates-only SignedData or a sequence of DER
// certificates.
func parseDER(der []byte) ([]*Certificate, error) {
	if isPKCS7(der) {
		return parsePKCS7(der, nil)
	}
	return parseDERSequence(der)
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

// parsePEM reads the certificate blocks of PEM text; errors name the block,
// counting every PEM block from 1, so that a bundle's bad entry can be found.
func parsePEM(data []byte) ([]*Certificate, error) {
	var out []*Certificate
	for n := 1; ; n++ {
		before := data
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		// pem.Decode silently skips a block it cannot decode and returns
		// the next one: one BEGIN per block read, or a block was lost.
		if bytes.Count(before[:len(before)-len(data)], pemBegin) != 1 {
			return nil, fmt.Errorf("block %d: cert: malformed PEM block (BEGIN line without a matching END, or bad base64)", n)
		}
		switch b.Type {
		case "CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE":
		case "PKCS7", "CMS":
			var err error
			if out, err = parsePKCS7(b.Bytes, out); err != nil {
				return nil, fmt.Errorf("block %d: %w", n, err)
			}
			continue
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
				return nil, fmt.Errorf("block %d: %w", n, malformed("certificate"))
			}
			der = elem
		}
		c, err := Parse(der)
		if err != nil {
			return nil, fmt.Errorf("block %d: %w", n, err)
		}
		out = append(out, c)
	}
	// pem.Decode returns nil, and its input unchanged, when no further
	// block decodes: a BEGIN left over is a broken last block.
	if bytes.Contains(data, pemBegin) {
		return nil, errors.New("cert: malformed PEM block (BEGIN line without a matching END, or bad base64)")
	}
	if len(out) == 0 {
		return nil, errors.New("cert: no CERTIFICATE or PKCS7 block in PEM input")
	}
	return out, nil
}

var pemBegin = []byte("-----BEGIN")

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

// signedDataOID is the DER element of id-signedData (RFC 5652 §5.1).
var signedDataOID = append([]byte{byte(cbasn1.OBJECT_IDENTIFIER), byte(len(oid.Content(oid.SignedData)))},
	oid.Content(oid.SignedData)...)

// isPKCS7 reports whether der begins as a ContentInfo of type id-signedData:
// a SEQUENCE (any length form, BER indefinite included) whose first element
// is that OID. A certificate begins with a SEQUENCE inside its SEQUENCE.
func isPKCS7(der []byte) bool {
	if len(der) < 2 || der[0] != byte(cbasn1.SEQUENCE) {
		return false
	}
	hdr := 2
	switch l := der[1]; {
	case l == 0x80: // indefinite (BER)
	case l > 0x80 && l <= 0x84:
		hdr += int(l & 0x7f)
	case l > 0x84:
		return false
	}
	return len(der) > hdr && bytes.HasPrefix(der[hdr:], signedDataOID)
}

// parsePKCS7 appends to out the certificates of a certificates-only
// SignedData (RFC 5652 §5.1; RFC 2315 §9.1):
//
//	ContentInfo ::= SEQUENCE { contentType id-signedData, content [0] EXPLICIT SignedData }
//	SignedData ::= SEQUENCE {
//	  version CMSVersion, digestAlgorithms SET OF …,
//	  encapContentInfo SEQUENCE { eContentType OID }, -- no eContent
//	  certificates [0] IMPLICIT CertificateSet OPTIONAL,
//	  crls [1] IMPLICIT RevocationInfoChoices OPTIONAL,
//	  signerInfos SET OF SignerInfo }                 -- empty
//
// BER (indefinite lengths, as some tools write) is made DER by internal/ber
// first; each certificate must then still be the bytes received, so that a
// certificate that was not itself DER is refused rather than re-encoded. Only
// X.509 certificates are taken from the CertificateSet; attribute and other
// certificate formats are skipped but count towards MaxBundleCertificates.
func parsePKCS7(data []byte, out []*Certificate) ([]*Certificate, error) {
	der, err := ber.ToDER(data)
	if err != nil {
		return nil, fmt.Errorf("cert: malformed PKCS#7 SignedData: %w", err)
	}
	in := cryptobyte.String(der)
	var ci, content, sd, encap, certs, signers cryptobyte.String
	var version int64
	var hasCerts bool
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !in.Empty() ||
		!ci.SkipASN1(cbasn1.OBJECT_IDENTIFIER) ||
		!ci.ReadASN1(&content, cbasn1.Tag(0).Constructed().ContextSpecific()) || !ci.Empty() ||
		!content.ReadASN1(&sd, cbasn1.SEQUENCE) || !content.Empty() ||
		!sd.ReadASN1Integer(&version) ||
		!sd.SkipASN1(cbasn1.SET) ||
		!sd.ReadASN1(&encap, cbasn1.SEQUENCE) ||
		!sd.ReadOptionalASN1(&certs, &hasCerts, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!sd.SkipOptionalASN1(cbasn1.Tag(1).Constructed().ContextSpecific()) ||
		!sd.ReadASN1(&signers, cbasn1.SET) || !sd.Empty() {
		return nil, malformed("PKCS#7 SignedData")
	}
	// RFC 5652 §5.1: version is 1, 3, 4 or 5.
	if version != 1 && version != 3 && version != 4 && version != 5 {
		return nil, fmt.Errorf("cert: PKCS#7 SignedData version %d", version)
	}
	if !encap.SkipASN1(cbasn1.OBJECT_IDENTIFIER) || !encap.Empty() || !signers.Empty() {
		return nil, errors.New("cert: PKCS#7 SignedData has content or signers: a signature, not a certificate bundle (package cms reads it)")
	}
	if !hasCerts {
		return nil, errors.New("cert: no certificate in PKCS#7 SignedData")
	}
	found, pos := 0, 0
	for n := 0; !certs.Empty(); n++ {
		if n >= MaxBundleCertificates || len(out) >= MaxBundleCertificates {
			return nil, fmt.Errorf("cert: more than %d certificates", MaxBundleCertificates)
		}
		var elem cryptobyte.String
		var tag cbasn1.Tag
		if !certs.ReadAnyASN1Element(&elem, &tag) {
			return nil, malformed("PKCS#7 CertificateSet")
		}
		if tag != cbasn1.SEQUENCE {
			continue // [0]–[3]: extended, attribute or other certificate formats
		}
		if len(der) != len(data) || &der[0] != &data[0] {
			// ToDER rewrote something: the certificate must be in the
			// input as it is here (ToDER keeps order and copies DER
			// elements byte for byte).
			i := bytes.Index(data[pos:], elem)
			if i < 0 {
				return nil, fmt.Errorf("certificate %d: cert: not DER inside the BER PKCS#7 SignedData", len(out)+1)
			}
			pos += i + len(elem)
		}
		c, err := Parse(elem)
		if err != nil {
			return nil, fmt.Errorf("certificate %d: %w", len(out)+1, err)
		}
		out = append(out, c)
		found++
	}
	if found == 0 {
		return nil, errors.New("cert: no certificate in PKCS#7 SignedData")
	}
	return out, nil
}
