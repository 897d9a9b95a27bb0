package cms

import (
	"bytes"
	"encoding/asn1"
	"hash"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/asn1der"
	"gostsig.dev/internal/gosthash"
	"gostsig.dev/internal/oid"
)

// AlgorithmIdentifier is an AlgorithmIdentifier as received.
type AlgorithmIdentifier struct {
	Algorithm  asn1.ObjectIdentifier
	Parameters []byte // DER of the parameters; nil when absent
	Raw        []byte // the whole element
}

// ParamsAbsentOrNULL reports whether the parameters are absent or NULL,
// the two forms GOST producers write (RFC 9215 says absent; gost-engine and
// many CryptoPro products write NULL: gost-pitfalls.md §16).
func (a AlgorithmIdentifier) ParamsAbsentOrNULL() bool {
	return a.Parameters == nil || bytes.Equal(a.Parameters, []byte{0x05, 0x00})
}

// equivalent compares two identifiers treating absent and NULL parameters
// as equal (RFC 6211 comparisons, digestAlgorithms membership).
func (a AlgorithmIdentifier) equivalent(b AlgorithmIdentifier) bool {
	if !a.Algorithm.Equal(b.Algorithm) {
		return false
	}
	if a.ParamsAbsentOrNULL() && b.ParamsAbsentOrNULL() {
		return true
	}
	return bytes.Equal(a.Parameters, b.Parameters)
}

func readAlgorithmIdentifier(s *cryptobyte.String, out *AlgorithmIdentifier) bool {
	var ps *parseState
	return ps.readAlgorithmIdentifier(s, out)
}

// readAlgorithmIdentifier reads an AlgorithmIdentifier, its OID decoded
// into ps's arena (ps may be nil).
func (ps *parseState) readAlgorithmIdentifier(s *cryptobyte.String, out *AlgorithmIdentifier) bool {
	var elem, seq cryptobyte.String
	if !asn1der.ReadASN1Element(s, &elem, cbasn1.SEQUENCE) {
		return false
	}
	seq = elem
	var body cryptobyte.String
	if !asn1der.ReadASN1(&seq, &body, cbasn1.SEQUENCE) || !ps.readOID(&body, &out.Algorithm) {
		return false
	}
	out.Raw = elem
	out.Parameters = nil
	if !body.Empty() {
		var p cryptobyte.String
		var tag cbasn1.Tag
		if !asn1der.ReadAnyASN1Element(&body, &p, &tag) || !body.Empty() {
			return false
		}
		out.Parameters = p
	}
	return true
}

// digestInfo resolves a digestAlgorithm: the hash constructor and the
// GOST R 34.10 algorithm whose keys sign with it (gosthash decides the
// pairing, RFC 9215 §2 / RFC 4491 §2.2.2).
func digestInfo(a AlgorithmIdentifier) (newHash func() hash.Hash, keyAlg gost3410.Algorithm, ok bool) {
	ka, ok := gosthash.KeyAlgorithm(a.Algorithm)
	if !ok {
		return nil, 0, false
	}
	nh, _, _ := gosthash.ByOID(a.Algorithm)
	return nh, ka, true
}

// digestParamsOK: absent or NULL for every GOST hash; GOST R 34.11-94 may
// also name its CryptoPro parameter set (RFC 4357 §10.4), the only one
// used in production.
func digestParamsOK(a AlgorithmIdentifier) bool {
	if a.ParamsAbsentOrNULL() {
		return true
	}
	if a.Algorithm.Equal(oid.GostR3411_94) {
		s := cryptobyte.String(a.Parameters)
		var id asn1.ObjectIdentifier
		return s.ReadASN1ObjectIdentifier(&id) && s.Empty() && id.Equal(oid.GostR3411_94CryptoProParam)
	}
	return false
}

// SignatureStyle says which of the two OID styles a SignerInfo uses.
type SignatureStyle int

const (
	// StyleKeyOID: signatureAlgorithm is the public-key OID
	// (1.2.643.7.1.1.1.1/.2, 1.2.643.2.2.19), as КриптоПро CSP,
	// Rutoken and gost-engine write it.
	StyleKeyOID SignatureStyle = iota + 1
	// StyleSignWithDigest: the signwithdigest OID (1.2.643.7.1.1.3.2/.3,
	// 1.2.643.2.2.3), as the SBIS plug-in writes it.
	StyleSignWithDigest
)

// signatureInfo resolves a SignerInfo signatureAlgorithm to the GOST R
// 34.10 algorithm (cms-cades-profile.md §2 item 2).
func signatureInfo(a AlgorithmIdentifier) (gost3410.Algorithm, SignatureStyle, bool) {
	switch {
	case a.Algorithm.Equal(oid.Gost2012Key256):
		return gost3410.GOST2012_256, StyleKeyOID, true
	case a.Algorithm.Equal(oid.Gost2012Key512):
		return gost3410.GOST2012_512, StyleKeyOID, true
	case a.Algorithm.Equal(oid.GostR3410_2001):
		return gost3410.GOST2001, StyleKeyOID, true
	case a.Algorithm.Equal(oid.Gost2012SignWith256):
		return gost3410.GOST2012_256, StyleSignWithDigest, true
	case a.Algorithm.Equal(oid.Gost2012SignWith512):
		return gost3410.GOST2012_512, StyleSignWithDigest, true
	case a.Algorithm.Equal(oid.GostR3411_94WithR3410):
		return gost3410.GOST2001, StyleSignWithDigest, true
	}
	return 0, 0, false
}

// hashByOID returns a hash for the digests this package compares that are
// not signature digests: the GOST ones, and SHA-1/SHA-256 for ESS
// certificate identifiers (RFC 5035 default) and CAdES references.
func hashByOID(id asn1.ObjectIdentifier) (func() hash.Hash, bool) {
	if nh, _, ok := gosthash.ByOID(id); ok {
		return nh, true
	}
	return essHash(id)
}
