// Package oid is the project's single table of ASN.1 object identifiers:
// the GOST algorithms and parameter sets, the CMS/CAdES attributes, the X.509
// extensions and the Russian qualified-certificate name attributes.
//
// Every package that matches an OID takes it from here, so one identifier has
// one name in the whole code base. The values are from the RFCs cited on each
// group; see also ../../../shared/docs/gost-curves.md §3 and
// cms-cades-profile.md §1.
package oid

import (
	"encoding/asn1"
	"strings"
)

// GOST R 34.10 public-key and signature algorithms (RFC 4357 §10, RFC 9215 §2, §4.1).
var (
	GostR3410_2001           = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 19}      // id-GostR3410-2001 (key)
	GostR3410_2001DH         = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 98}      // id-GostR3410-2001DH
	GostR3411_94WithR3410    = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 3}       // id-GostR3411-94-with-GostR3410-2001
	GostR3410_94             = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 20}      // obsolete, never accepted
	GostR3411_94WithR3410_94 = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 4}       // obsolete, never accepted
	Gost2012Key256           = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 1} // id-tc26-gost3410-12-256
	Gost2012Key512           = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 1, 2} // id-tc26-gost3410-12-512
	Gost2012SignWith256      = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 3, 2} // id-tc26-signwithdigest-gost3410-12-256
	Gost2012SignWith512      = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 3, 3} // id-tc26-signwithdigest-gost3410-12-512
)

// Hash algorithms (RFC 4357 §10.4, RFC 9215 §3).
var (
	GostR3411_94               = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 9}       // id-GostR3411-94
	GostR3411_94TestParamSet   = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 30, 0}   // S-box of RFC 5831 examples
	GostR3411_94CryptoProParam = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 30, 1}   // production S-box
	Streebog256                = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 2} // id-tc26-gost3411-12-256
	Streebog512                = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 1, 2, 3} // id-tc26-gost3411-12-512
	SHA1                       = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	SHA256                     = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
)

// GOST R 34.10 curve parameter sets (RFC 4357 §10.7, RFC 7836, RFC 9215 App. C/E).
var (
	CryptoProTest = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 35, 0}
	CryptoProA    = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 35, 1}
	CryptoProB    = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 35, 2}
	CryptoProC    = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 35, 3}
	CryptoProXchA = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 36, 0}
	CryptoProXchB = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 36, 1}
	TC26_256A     = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 1, 1}
	TC26_256B     = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 1, 2}
	TC26_256C     = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 1, 3}
	TC26_256D     = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 1, 4}
	TC26_512Test  = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 2, 0}
	TC26_512A     = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 2, 1}
	TC26_512B     = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 2, 2}
	TC26_512C     = asn1.ObjectIdentifier{1, 2, 643, 7, 1, 2, 1, 2, 3}
)

// CMS content types and attributes (RFC 5652 §11, RFC 5035, RFC 6211, RFC 5126, RFC 3161).
var (
	Data                   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	SignedData             = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	DigestedData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 5}
	TSTInfo                = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 1, 4}
	AttrContentType        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	AttrMessageDigest      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	AttrSigningTime        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	AttrCounterSignature   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 6}
	AttrSMIMECapabilities  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 15}
	AttrCMSAlgProtection   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 52}
	AttrSigningCertificate = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 12}
	AttrSigningCertV2      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	AttrSignatureTimeStamp = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
	AttrSigPolicyID        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 15}
	AttrCommitmentType     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 16}
	AttrContentTimeStamp   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 20}
	AttrCompleteCertRefs   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 21}
	AttrCompleteRevocRefs  = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 22}
	AttrCertValues         = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 23}
	AttrRevocationValues   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 24}
	AttrEscTimeStamp       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 25}
	AttrCertCRLTimestamp   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 26}
	AttrArchiveTimestampV3 = asn1.ObjectIdentifier{0, 4, 0, 1733, 2, 4}
)

// X.509 certificate and CRL extensions (RFC 5280 §4.2, §5.2, §5.3).
var (
	ExtSubjectKeyID          = asn1.ObjectIdentifier{2, 5, 29, 14}
	ExtKeyUsage              = asn1.ObjectIdentifier{2, 5, 29, 15}
	ExtPrivateKeyUsagePeriod = asn1.ObjectIdentifier{2, 5, 29, 16}
	ExtSubjectAltName        = asn1.ObjectIdentifier{2, 5, 29, 17}
	ExtIssuerAltName         = asn1.ObjectIdentifier{2, 5, 29, 18}
	ExtBasicConstraints      = asn1.ObjectIdentifier{2, 5, 29, 19}
	ExtCRLNumber             = asn1.ObjectIdentifier{2, 5, 29, 20}
	ExtCRLReason             = asn1.ObjectIdentifier{2, 5, 29, 21}
	ExtInvalidityDate        = asn1.ObjectIdentifier{2, 5, 29, 24}
	ExtDeltaCRLIndicator     = asn1.ObjectIdentifier{2, 5, 29, 27}
	ExtIssuingDistPoint      = asn1.ObjectIdentifier{2, 5, 29, 28}
	ExtCertificateIssuer     = asn1.ObjectIdentifier{2, 5, 29, 29}
	ExtNameConstraints       = asn1.ObjectIdentifier{2, 5, 29, 30}
	ExtCRLDistributionPoints = asn1.ObjectIdentifier{2, 5, 29, 31}
	ExtCertificatePolicies   = asn1.ObjectIdentifier{2, 5, 29, 32}
	ExtPolicyConstraints     = asn1.ObjectIdentifier{2, 5, 29, 36}
	ExtAuthorityKeyID        = asn1.ObjectIdentifier{2, 5, 29, 35}
	ExtAuthorityKeyIDOld     = asn1.ObjectIdentifier{2, 5, 29, 1} // pre-RFC 3280 form, still in TC26 vectors
	ExtExtKeyUsage           = asn1.ObjectIdentifier{2, 5, 29, 37}
	ExtFreshestCRL           = asn1.ObjectIdentifier{2, 5, 29, 46}
	ExtInhibitAnyPolicy      = asn1.ObjectIdentifier{2, 5, 29, 54}
	ExtAuthorityInfoAccess   = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 1}
	ExtOCSPNoCheck           = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 5}
	AccessOCSP               = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1}
	AccessCAIssuers          = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 2}
	AnyPolicy                = asn1.ObjectIdentifier{2, 5, 29, 32, 0}
	KPServerAuth             = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 1}
	KPClientAuth             = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 2}
	KPEmailProtection        = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 4}
	KPTimeStamping           = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 8}
	KPOCSPSigning            = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 9}
	OCSPBasic                = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 1}
	OCSPNonce                = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 48, 1, 2}
	// RIOCSPResponse is id-ri-ocsp-response (RFC 5940 §3): an
	// OtherRevocationInfoFormat in the SignedData crls field whose
	// otherRevInfo is an OCSPResponse.
	RIOCSPResponse = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 16, 2}
)

// Russian qualified-certificate profile (Приказ ФСБ № 795; cms-cades-profile.md §5).
var (
	OGRN               = asn1.ObjectIdentifier{1, 2, 643, 100, 1}
	SNILS              = asn1.ObjectIdentifier{1, 2, 643, 100, 3}
	INNLE              = asn1.ObjectIdentifier{1, 2, 643, 100, 4}
	OGRNIP             = asn1.ObjectIdentifier{1, 2, 643, 100, 5}
	INN                = asn1.ObjectIdentifier{1, 2, 643, 3, 131, 1, 1}
	SubjectSignTool    = asn1.ObjectIdentifier{1, 2, 643, 100, 111}
	IssuerSignTool     = asn1.ObjectIdentifier{1, 2, 643, 100, 112}
	IdentificationKind = asn1.ObjectIdentifier{1, 2, 643, 100, 114}
	PolicyKC1          = asn1.ObjectIdentifier{1, 2, 643, 100, 113, 1}
	PolicyKC2          = asn1.ObjectIdentifier{1, 2, 643, 100, 113, 2}
	PolicyKC3          = asn1.ObjectIdentifier{1, 2, 643, 100, 113, 3}
	PolicyKB1          = asn1.ObjectIdentifier{1, 2, 643, 100, 113, 4}
	PolicyKB2          = asn1.ObjectIdentifier{1, 2, 643, 100, 113, 5}
	PolicyKA1          = asn1.ObjectIdentifier{1, 2, 643, 100, 113, 6}
	CryptoProLicense   = asn1.ObjectIdentifier{1, 2, 643, 2, 2, 49, 2}
)

// X.520 name attributes used in Russian certificates.
var (
	CommonName         = asn1.ObjectIdentifier{2, 5, 4, 3}
	Surname            = asn1.ObjectIdentifier{2, 5, 4, 4}
	SerialNumberAttr   = asn1.ObjectIdentifier{2, 5, 4, 5}
	Country            = asn1.ObjectIdentifier{2, 5, 4, 6}
	Locality           = asn1.ObjectIdentifier{2, 5, 4, 7}
	Province           = asn1.ObjectIdentifier{2, 5, 4, 8}
	Street             = asn1.ObjectIdentifier{2, 5, 4, 9}
	Organization       = asn1.ObjectIdentifier{2, 5, 4, 10}
	OrganizationalUnit = asn1.ObjectIdentifier{2, 5, 4, 11}
	Title              = asn1.ObjectIdentifier{2, 5, 4, 12}
	GivenName          = asn1.ObjectIdentifier{2, 5, 4, 42}
	EmailAddress       = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
	UnstructuredName   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 2}
)

// Content returns the content octets of id's DER encoding (X.690 §8.19): the
// first two arcs packed as 40·a₁+a₂, every subidentifier in base 128 with the
// fewest octets. Parsers compare an OBJECT IDENTIFIER they read with it byte
// for byte instead of decoding it: the minimal encoding is unique, so equal
// content octets mean equal identifiers. It panics on an identifier X.690
// cannot encode (fewer than two arcs, a first arc over 2, a second arc over
// 39 under arcs 0 and 1, a negative arc); the table above holds none.
func Content(id asn1.ObjectIdentifier) string {
	if len(id) < 2 || id[0] < 0 || id[0] > 2 || id[1] < 0 || (id[0] < 2 && id[1] > 39) {
		panic("oid: cannot encode " + id.String())
	}
	var b []byte
	b = appendBase128(b, 40*id[0]+id[1])
	for _, v := range id[2:] {
		if v < 0 {
			panic("oid: cannot encode " + id.String())
		}
		b = appendBase128(b, v)
	}
	return string(b)
}

// Join returns ids in dotted form, separated by ", ": the list an error or
// a message names a certificate's identifiers by.
func Join(ids []asn1.ObjectIdentifier) string {
	var b strings.Builder
	for i, id := range ids {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(id.String())
	}
	return b.String()
}

func appendBase128(b []byte, v int) []byte {
	n := 1
	for t := v >> 7; t > 0; t >>= 7 {
		n++
	}
	for i := n - 1; i >= 0; i-- {
		o := byte(v>>(7*i)) & 0x7f
		if i > 0 {
			o |= 0x80
		}
		b = append(b, o)
	}
	return b
}
