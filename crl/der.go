package crl

import (
	"math/big"

	"golang.org/x/crypto/cryptobyte"
	"golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/dertime"
)

// DER helpers shared by the CRL and OCSP parsers. They work on the content
// octets of already-delimited TLVs, so that the hot loop over
// revokedCertificates never allocates.

// Content octets of the OIDs matched on the hot path (X.690 §8.19); comparing
// bytes avoids decoding every extnID into an asn1.ObjectIdentifier.
var (
	oidReasonCode        = []byte{0x55, 0x1d, 0x15} // 2.5.29.21, RFC 5280 §5.3.1
	oidHoldInstruction   = []byte{0x55, 0x1d, 0x17} // 2.5.29.23, RFC 5280 §5.3 (historic, non-critical)
	oidInvalidityDate    = []byte{0x55, 0x1d, 0x18} // 2.5.29.24, RFC 5280 §5.3.2
	oidCertificateIssuer = []byte{0x55, 0x1d, 0x1d} // 2.5.29.29, RFC 5280 §5.3.3
	oidCRLNumber         = []byte{0x55, 0x1d, 0x14} // 2.5.29.20, RFC 5280 §5.2.3
	oidDeltaCRLIndicator = []byte{0x55, 0x1d, 0x1b} // 2.5.29.27, RFC 5280 §5.2.4
	oidIssuingDistPoint  = []byte{0x55, 0x1d, 0x1c} // 2.5.29.28, RFC 5280 §5.2.5
	oidFreshestCRL       = []byte{0x55, 0x1d, 0x2e} // 2.5.29.46, RFC 5280 §5.2.6
	oidAuthorityKeyID    = []byte{0x55, 0x1d, 0x23} // 2.5.29.35, RFC 5280 §5.2.1
	oidIssuerAltName     = []byte{0x55, 0x1d, 0x12} // 2.5.29.18, RFC 5280 §5.2.2
	oidExpiredCertsOnCRL = []byte{0x55, 0x1d, 0x3c} // 2.5.29.60, X.509 (2019) §9.6.2.6, non-critical
	oidAuthorityInfo     = []byte{0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01}
)

// readTime reads a Time CHOICE (RFC 5280 §4.1: UTCTime or GeneralizedTime)
// as Unix seconds, in the only forms RFC 5280 §4.1.2.5.1–2 (and §5.1.2.4)
// allow: YYMMDDHHMMSSZ and YYYYMMDDHHMMSSZ (package dertime). Any other form
// is malformed.
func readTime(s *cryptobyte.String, out *int64) bool {
	var t cryptobyte.String
	var tag asn1.Tag
	if !s.ReadAnyASN1(&t, &tag) {
		return false
	}
	v, ok := dertime.Unix(tag, t)
	*out = v
	return ok
}

// readGeneralizedTime reads a GeneralizedTime (OCSP uses only this form,
// RFC 6960 §4.2.1, as do invalidityDate values, RFC 5280 §5.3.2).
func readGeneralizedTime(s *cryptobyte.String, out *int64) bool {
	var t cryptobyte.String
	if !s.ReadASN1(&t, asn1.GeneralizedTime) {
		return false
	}
	v, ok := dertime.Unix(asn1.GeneralizedTime, t)
	*out = v
	return ok
}

// normalizeSerial returns the minimal two's-complement form of an INTEGER's
// content octets: X.690 §8.3.2 forbids redundant leading 0x00/0xFF octets, but
// CAs have issued such serials, and the CRL signature covers the bytes we
// read, so matching on the value is safe. It returns nil for an empty
// INTEGER.
func normalizeSerial(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	for len(b) > 1 && ((b[0] == 0 && b[1]&0x80 == 0) || (b[0] == 0xff && b[1]&0x80 != 0)) {
		b = b[1:]
	}
	return b
}

// appendSerial appends the minimal two's-complement encoding of n, the form
// in which serials are stored in an Index.
func appendSerial(dst []byte, n *big.Int) []byte {
	switch n.Sign() {
	case 0:
		return append(dst, 0)
	case 1:
		start := len(dst)
		l := (n.BitLen() + 7) / 8
		dst = append(dst, make([]byte, l+1)...)
		n.FillBytes(dst[start+1:])
		if dst[start+1]&0x80 == 0 {
			// No sign octet needed: shift left by one.
			copy(dst[start:], dst[start+1:])
			dst = dst[:len(dst)-1]
		}
		return dst
	}
	// Negative: two's complement of |n| over enough octets.
	abs := new(big.Int).Neg(n)
	l := (abs.BitLen() + 8) / 8 // room for the sign bit
	buf := make([]byte, l)
	abs.FillBytes(buf)
	for i := range buf {
		buf[i] = ^buf[i]
	}
	for i := len(buf) - 1; i >= 0; i-- { // +1
		buf[i]++
		if buf[i] != 0 {
			break
		}
	}
	return append(dst, normalizeSerial(buf)...)
}

// readExtension reads one Extension (RFC 5280 §4.1):
//
//	Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
//
// An explicit critical FALSE violates DER but is accepted: it changes nothing.
func readExtension(s *cryptobyte.String, oid *cryptobyte.String, critical *bool, value *cryptobyte.String) bool {
	var ext cryptobyte.String
	if !s.ReadASN1(&ext, asn1.SEQUENCE) || !ext.ReadASN1(oid, asn1.OBJECT_IDENTIFIER) || len(*oid) == 0 {
		return false
	}
	*critical = false
	if ext.PeekASN1Tag(asn1.BOOLEAN) && !ext.ReadASN1Boolean(critical) {
		return false
	}
	return ext.ReadASN1(value, asn1.OCTET_STRING) && ext.Empty()
}

// Time tags, for tests and callers that hold a bare tag.
const (
	tagUTC         = asn1.UTCTime
	tagGeneralized = asn1.GeneralizedTime
)
