package cms

import (
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/oid"
)

// Content octets of the OIDs basicOCSPFromRevocationInfo matches.
var (
	rawRIOCSPResponse = oid.Content(oid.RIOCSPResponse)
	rawOCSPBasic      = oid.Content(oid.OCSPBasic)
)

// basicOCSPFromRevocationInfo returns the DER BasicOCSPResponse carried by a
// RevocationInfoChoice of the SignedData crls field (RFC 5652 §10.2.1) as
// RFC 5940 §3 defines it:
//
//	other [1] IMPLICIT OtherRevocationInfoFormat ::= SEQUENCE {
//	  otherRevInfoFormat id-ri-ocsp-response, -- 1.3.6.1.5.5.7.16.2
//	  otherRevInfo OCSPResponse }
//	OCSPResponse ::= SEQUENCE {                -- RFC 6960 §4.2.1
//	  responseStatus ENUMERATED { successful (0), … },
//	  responseBytes [0] EXPLICIT SEQUENCE {
//	    responseType id-pkix-ocsp-basic, response OCTET STRING } }
//
// The result is a sub-slice of rev. Only a successful id-pkix-ocsp-basic
// response is evidence; anything else (another format, an error status,
// another response type, a malformed structure) gives ok false and is left
// in SignedData.CRLs as received. The response is not verified here: crl
// does that with the rest of the revocation evidence.
func basicOCSPFromRevocationInfo(rev []byte) (basic []byte, ok bool) {
	s := cryptobyte.String(rev)
	var other, format, resp, status, rbWrap, rb, rtype, octets cryptobyte.String
	if !s.ReadASN1(&other, tagCtx1C) || !s.Empty() ||
		!other.ReadASN1(&format, cbasn1.OBJECT_IDENTIFIER) || string(format) != rawRIOCSPResponse ||
		!other.ReadASN1(&resp, cbasn1.SEQUENCE) || !other.Empty() ||
		!resp.ReadASN1(&status, cbasn1.ENUM) || len(status) != 1 || status[0] != 0 ||
		!resp.ReadASN1(&rbWrap, cbasn1.Tag(0).Constructed().ContextSpecific()) || !resp.Empty() ||
		!rbWrap.ReadASN1(&rb, cbasn1.SEQUENCE) || !rbWrap.Empty() ||
		!rb.ReadASN1(&rtype, cbasn1.OBJECT_IDENTIFIER) || string(rtype) != rawOCSPBasic ||
		!rb.ReadASN1(&octets, cbasn1.OCTET_STRING) || !rb.Empty() {
		return nil, false
	}
	// The OCTET STRING holds exactly one DER BasicOCSPResponse SEQUENCE.
	body := octets
	var elem cryptobyte.String
	if !body.ReadASN1Element(&elem, cbasn1.SEQUENCE) || !body.Empty() {
		return nil, false
	}
	return elem, true
}
