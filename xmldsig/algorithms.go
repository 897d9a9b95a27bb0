package xmldsig

import (
	"encoding/asn1"
	"hash"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/gostsig/gost341194"
	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/internal/oid"
	"gostsig.dev/xmldsig/c14n"
	"gostsig.dev/xmldsig/smev"
)

// Namespaces.
const (
	NamespaceDSig = "http://www.w3.org/2000/09/xmldsig#"
	NamespaceWSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	NamespaceWSU  = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	NamespaceXOP  = "http://www.w3.org/2004/08/xop/include"
	namespaceExc  = "http://www.w3.org/2001/10/xml-exc-c14n#"
)

// Algorithm URIs (smev-xmldsig.md §2; RFC 4051 for xmldsig-more).
const (
	SignatureGOST2012_256 = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-256"
	SignatureGOST2012_512 = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-512"
	SignatureGOST2001     = "http://www.w3.org/2001/04/xmldsig-more#gostr34102001-gostr3411"
	// SignatureGOST2001CryptoPro is the CryptoPro alias of SignatureGOST2001
	// (accepted, never emitted: SMEV itself rejects it).
	SignatureGOST2001CryptoPro = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102001-gostr3411"

	DigestStreebog256        = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-256"
	DigestStreebog512        = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-512"
	DigestGOST94             = "http://www.w3.org/2001/04/xmldsig-more#gostr3411"
	DigestGOST94CryptoPro    = "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr3411"
	TransformEnveloped       = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
	TransformSMEV            = smev.URI
	CanonicalizationExc      = c14n.URIExclusive
	CanonicalizationExcCmt   = c14n.URIExclusiveWithComments
	CanonicalizationC14N     = c14n.URIInclusive
	CanonicalizationC14NCmt  = c14n.URIInclusiveWithComments
	maxDigestAndSignatureLen = 128
)

// signatureAlgorithm maps a SignatureMethod URI to the signature OID the
// cert package checks with (it fixes the hash by the key: Streebog-256/512 or
// GOST R 34.11-94) and the key algorithm it requires.
func signatureAlgorithm(uri string) (asn1.ObjectIdentifier, gost3410.Algorithm, bool) {
	switch uri {
	case SignatureGOST2012_256:
		return oid.Gost2012SignWith256, gost3410.GOST2012_256, true
	case SignatureGOST2012_512:
		return oid.Gost2012SignWith512, gost3410.GOST2012_512, true
	case SignatureGOST2001, SignatureGOST2001CryptoPro:
		return oid.GostR3411_94WithR3410, gost3410.GOST2001, true
	}
	return nil, 0, false
}

// digestAlgorithm maps a DigestMethod URI to its hash; DigestValue is the
// raw hash output (smev-xmldsig.md §3).
func digestAlgorithm(uri string) (func() hash.Hash, bool) {
	switch uri {
	case DigestStreebog256:
		return streebog.New256, true
	case DigestStreebog512:
		return streebog.New512, true
	case DigestGOST94, DigestGOST94CryptoPro:
		return gost341194.New, true
	}
	return nil, false
}
