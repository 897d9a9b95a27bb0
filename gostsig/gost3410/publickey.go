package gost3410

import (
	"bytes"
	"crypto"
	"encoding/asn1"
	"fmt"
	"sync/atomic"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/gostsig/gost3410/internal/ec"
	"gostsig.dev/internal/oid"
)

// Algorithm is the public-key algorithm of a [PublicKey], from the
// SubjectPublicKeyInfo algorithm OID.
type Algorithm int

const (
	// GOST2001 is id-GostR3410-2001 (1.2.643.2.2.19): GOST R 34.10-2001,
	// 256-bit curves, used with GOST R 34.11-94 (RFC 4491).
	GOST2001 Algorithm = iota + 1
	// GOST2012_256 is id-tc26-gost3410-12-256 (1.2.643.7.1.1.1.1):
	// GOST R 34.10-2012 with a 256-bit curve, used with Streebog-256.
	GOST2012_256
	// GOST2012_512 is id-tc26-gost3410-12-512 (1.2.643.7.1.1.1.2):
	// GOST R 34.10-2012 with a 512-bit curve, used with Streebog-512.
	GOST2012_512
)

// AlgorithmFromOID returns the algorithm for a SubjectPublicKeyInfo
// algorithm OID, or 0 if the OID is not a GOST R 34.10 key algorithm.
func AlgorithmFromOID(id asn1.ObjectIdentifier) Algorithm {
	switch {
	case id.Equal(oid.GostR3410_2001):
		return GOST2001
	case id.Equal(oid.Gost2012Key256):
		return GOST2012_256
	case id.Equal(oid.Gost2012Key512):
		return GOST2012_512
	}
	return 0
}

// OID returns the algorithm's OID, or nil for an invalid Algorithm.
func (a Algorithm) OID() asn1.ObjectIdentifier {
	switch a {
	case GOST2001:
		return append(asn1.ObjectIdentifier(nil), oid.GostR3410_2001...)
	case GOST2012_256:
		return append(asn1.ObjectIdentifier(nil), oid.Gost2012Key256...)
	case GOST2012_512:
		return append(asn1.ObjectIdentifier(nil), oid.Gost2012Key512...)
	}
	return nil
}

// Size returns the coordinate, scalar and digest size in bytes for the
// algorithm: 32 or 64, or 0 for an invalid Algorithm.
func (a Algorithm) Size() int {
	switch a {
	case GOST2001, GOST2012_256:
		return 32
	case GOST2012_512:
		return 64
	}
	return 0
}

func (a Algorithm) String() string {
	switch a {
	case GOST2001:
		return "GOST R 34.10-2001"
	case GOST2012_256:
		return "GOST R 34.10-2012 (256)"
	case GOST2012_512:
		return "GOST R 34.10-2012 (512)"
	}
	return fmt.Sprintf("Algorithm(%d)", int(a))
}

// A PublicKey is a validated GOST R 34.10 public key: a point of order q on
// its curve. It is immutable and safe for concurrent use.
type PublicKey struct {
	alg            Algorithm
	curve          *Curve
	paramSet       asn1.ObjectIdentifier // as encoded (or inherited); nil from NewPublicKey
	digestParamSet asn1.ObjectIdentifier
	raw            []byte // LE(x) || LE(y): rawArr[:2·size]
	rawArr         [2 * 64]byte
	fast           any // the validated key of internal/ec
	pre            atomic.Pointer[precomputed]
}

type precomputed struct{ table any }

// Precompute prepares a per-key table that makes later Verify calls with
// this key 2.3–3x faster: the odd multiples of Q, 2^32·Q, 2^64·Q, … (2^64·Q,
// … on 512-bit curves) in affine coordinates, so that a verification
// splits both scalars into eight parts sharing one chain of 32 (64)
// doublings instead of 256 (512). It costs about one verification and 4–6
// KiB (256-bit curves) or 16–24 KiB (512-bit curves) of memory, so it pays
// off for keys that verify many signatures: a CA key checking certificates
// and CRLs, an OCSP responder, a recurring SMEV sender. It is safe to call concurrently with Verify and more than once;
// a key that is never precomputed works the same, just slower.
func (k *PublicKey) Precompute() {
	if k.pre.Load() != nil {
		return
	}
	k.pre.Store(&precomputed{table: ec.Precompute(k.curve.ecID(), k.fast)})
}

// Curve returns the key's curve.
func (k *PublicKey) Curve() *Curve { return k.curve }

// Algorithm returns the key's algorithm.
func (k *PublicKey) Algorithm() Algorithm { return k.alg }

// ParamSet returns the publicKeyParamSet OID exactly as the key's
// SubjectPublicKeyInfo carried it (or as inherited from the issuer), which
// may be an alias of Curve().OID(), such as XchA for CryptoPro-A. It is
// Curve().OID() for keys made by NewPublicKey.
func (k *PublicKey) ParamSet() asn1.ObjectIdentifier {
	if k.paramSet == nil {
		return k.curve.OID()
	}
	return append(asn1.ObjectIdentifier(nil), k.paramSet...)
}

// DigestParamSet returns the optional digestParamSet OID of the key's
// parameters, or nil if it was absent.
func (k *PublicKey) DigestParamSet() asn1.ObjectIdentifier {
	if k.digestParamSet == nil {
		return nil
	}
	return append(asn1.ObjectIdentifier(nil), k.digestParamSet...)
}

// Bytes returns the key point as LE(x) || LE(y): each affine Weierstrass
// coordinate little-endian, zero-padded to Curve().PointSize() bytes. This
// is the content of the OCTET STRING inside the SubjectPublicKeyInfo
// (RFC 9215 §4.3, RFC 4491 §2.3.2).
func (k *PublicKey) Bytes() []byte { return bytes.Clone(k.raw) }

// Equal reports whether x is a *PublicKey with the same algorithm, curve
// and point. The parameter-set OID spelling and the digestParamSet are
// not compared.
func (k *PublicKey) Equal(x crypto.PublicKey) bool {
	o, ok := x.(*PublicKey)
	return ok && k.alg == o.alg && k.curve == o.curve && bytes.Equal(k.raw, o.raw)
}

// NewPublicKey returns the key of algorithm alg on curve c whose point is
// raw = LE(x) || LE(y) (each coordinate little-endian, 32 or 64 bytes).
// It checks that the curve fits the algorithm, the length, that x and y
// are reduced modulo p, that the point is on the curve and is not the
// identity and, on the cofactor-4 curves, that it lies in the subgroup of
// order q. Errors match ErrUnsupportedAlgorithm, ErrCurveMismatch,
// ErrLength, ErrPointNotOnCurve, ErrIdentity or ErrNotInSubgroup.
func NewPublicKey(alg Algorithm, c *Curve, raw []byte) (*PublicKey, error) {
	if alg.Size() == 0 {
		return nil, ErrUnsupportedAlgorithm
	}
	if c == nil {
		return nil, ErrUnknownCurve
	}
	if alg.Size() != c.size {
		return nil, fmt.Errorf("%w: %v key on %d-bit curve %s", ErrCurveMismatch, alg, c.size*8, c.short)
	}
	n := c.size
	if len(raw) != 2*n {
		return nil, fmt.Errorf("%w: public key is %d bytes, want %d", ErrLength, len(raw), 2*n)
	}
	if allZero(raw) {
		return nil, ErrIdentity
	}
	// Both coordinates below p, compared as big-endian octets.
	var pBE [64]byte
	c.p.P.FillBytes(pBE[:n])
	if !lessLE(raw[:n], pBE[:n]) || !lessLE(raw[n:], pBE[:n]) {
		return nil, fmt.Errorf("%w: coordinate not reduced modulo p", ErrPointNotOnCurve)
	}
	k := &PublicKey{alg: alg, curve: c}
	k.raw = k.rawArr[:2*n]
	copy(k.raw, raw)
	if err := c.impl.checkKey(k); err != nil {
		return nil, err
	}
	return k, nil
}

// maxSPKILen bounds the SubjectPublicKeyInfo a parser accepts. A 512-bit
// GOST key with both OIDs is about 170 bytes.
const maxSPKILen = 1024

// ParsePublicKey parses a DER SubjectPublicKeyInfo holding a GOST R 34.10
// key (RFC 9215 §4, RFC 4491 §2.3.2):
//
//	SubjectPublicKeyInfo ::= SEQUENCE {
//	    algorithm AlgorithmIdentifier,   -- 1.2.643.2.2.19 / 1.2.643.7.1.1.1.1 / .2
//	    subjectPublicKey BIT STRING }    -- DER OCTET STRING of LE(x) || LE(y)
//	GostR3410-2012-PublicKeyParameters ::= SEQUENCE {
//	    publicKeyParamSet OBJECT IDENTIFIER,
//	    digestParamSet OBJECT IDENTIFIER OPTIONAL }
//
// The 2001 form with a third encryptionParamSet OID is accepted too. If
// the parameters are absent (or NULL), it returns an error matching
// ErrMissingParameters: the curve must then be inherited from the issuer
// with ParsePublicKeyInherit.
//
// Truncated keys (RFC 4491 §2.3.2: "some erroneous applications discard
// zero bits at the end of BIT STRING containing the public key"; the RFC
// recommends padding to 528 bits on decoding) are accepted for
// GOST R 34.10-2001 keys only, and only when the OCTET STRING header is
// intact: it fixes the length, so padding the content with zero bytes
// (the dropped most significant bytes of y) has exactly one meaning.
// Everything else must be exact DER.
func ParsePublicKey(spki []byte) (*PublicKey, error) {
	return parsePublicKey(spki, nil)
}

// ParsePublicKeyInherit is ParsePublicKey for a key whose parameters may be
// absent: then the curve and digestParamSet are taken from issuer, the key
// of the certificate's issuer (RFC 4491 §2.3.2, RFC 5280 §6.1). If the key
// has its own parameters, issuer is ignored. A nil issuer behaves like
// ParsePublicKey. An issuer whose curve size does not fit the key's
// algorithm gives ErrCurveMismatch.
func ParsePublicKeyInherit(spki []byte, issuer *PublicKey) (*PublicKey, error) {
	return parsePublicKey(spki, issuer)
}

func parsePublicKey(spki []byte, issuer *PublicKey) (*PublicKey, error) {
	if len(spki) > maxSPKILen {
		return nil, fmt.Errorf("%w: SubjectPublicKeyInfo longer than %d bytes", ErrMalformedKey, maxSPKILen)
	}
	// OIDs are matched by their content octets (a valid OID has one DER
	// encoding) against the tables, and decoded only for error messages
	// and unknown digestParamSets: a key parse costs two allocations.
	input := cryptobyte.String(spki)
	var seq, algID, algOID cryptobyte.String
	var bits asn1.BitString
	if !input.ReadASN1(&seq, cbasn1.SEQUENCE) || !input.Empty() ||
		!seq.ReadASN1(&algID, cbasn1.SEQUENCE) ||
		!seq.ReadASN1BitString(&bits) || !seq.Empty() ||
		!readOIDContent(&algID, &algOID) {
		return nil, ErrMalformedKey
	}
	alg := algorithmFromContent(algOID)
	if alg == 0 {
		return nil, fmt.Errorf("%w: %v", ErrUnsupportedAlgorithm, decodeOID(algOID))
	}

	// Parameters: absent, NULL, or the SEQUENCE of OIDs.
	var paramSet, digestSet asn1.ObjectIdentifier
	var c *Curve
	hasParams := false
	switch {
	case algID.Empty():
	case algID.PeekASN1Tag(cbasn1.NULL):
		var null cryptobyte.String
		if !algID.ReadASN1(&null, cbasn1.NULL) || !null.Empty() || !algID.Empty() {
			return nil, fmt.Errorf("%w: bad NULL parameters", ErrMalformedKey)
		}
	default:
		var params, ps, ds cryptobyte.String
		if !algID.ReadASN1(&params, cbasn1.SEQUENCE) || !algID.Empty() ||
			!readOIDContent(&params, &ps) {
			return nil, fmt.Errorf("%w: bad algorithm parameters", ErrMalformedKey)
		}
		if !params.Empty() {
			if !readOIDContent(&params, &ds) {
				return nil, fmt.Errorf("%w: bad digestParamSet", ErrMalformedKey)
			}
			digestSet = internOID(ds, knownDigestParamSets)
		}
		if alg == GOST2001 && !params.Empty() {
			var encSet cryptobyte.String // encryptionParamSet, RFC 4491 §2.3.2
			if !readOIDContent(&params, &encSet) {
				return nil, fmt.Errorf("%w: bad encryptionParamSet", ErrMalformedKey)
			}
		}
		if !params.Empty() {
			return nil, fmt.Errorf("%w: trailing data in algorithm parameters", ErrMalformedKey)
		}
		hasParams = true
		if c, paramSet = curveByContent(ps); c == nil {
			return nil, fmt.Errorf("%w: %v", ErrUnknownCurve, decodeOID(ps))
		}
	}

	switch {
	case hasParams:
		if c.size != alg.Size() {
			return nil, fmt.Errorf("%w: %v key on %d-bit curve %s", ErrCurveMismatch, alg, c.size*8, c.short)
		}
	case issuer != nil:
		c = issuer.curve
		paramSet = issuer.paramSet
		digestSet = issuer.digestParamSet
		if c.size != alg.Size() {
			return nil, fmt.Errorf("%w: inherited %s for a %v key", ErrCurveMismatch, c.short, alg)
		}
	default:
		return nil, ErrMissingParameters
	}

	raw, err := publicKeyOctets(alg, bits)
	if err != nil {
		return nil, err
	}
	k, err := NewPublicKey(alg, c, raw)
	if err != nil {
		return nil, err
	}
	k.paramSet = paramSet
	k.digestParamSet = digestSet
	return k, nil
}

// publicKeyOctets returns the content of the OCTET STRING inside the
// subjectPublicKey BIT STRING (RFC 9215 §4.3).
func publicKeyOctets(alg Algorithm, bits asn1.BitString) ([]byte, error) {
	n := alg.Size()
	content := cryptobyte.String(bits.Bytes)
	var octets cryptobyte.String
	if bits.BitLength%8 == 0 && content.ReadASN1(&octets, cbasn1.OCTET_STRING) && content.Empty() {
		if len(octets) != 2*n {
			return nil, fmt.Errorf("%w: public key is %d bytes, want %d", ErrLength, len(octets), 2*n)
		}
		return octets, nil
	}
	// RFC 4491 §2.3.2 truncation, 2001 keys only: header 04 40 intact,
	// fewer than 64 content bytes. ReadASN1BitString already checked
	// that the unused bits of the last byte are zero.
	b := bits.Bytes
	if alg == GOST2001 && len(b) >= 2 && len(b) < 2+2*n && b[0] == 0x04 && int(b[1]) == 2*n {
		full := make([]byte, 2*n)
		copy(full, b[2:])
		return full, nil
	}
	return nil, fmt.Errorf("%w: subjectPublicKey is not an OCTET STRING of %d bytes", ErrMalformedKey, 2*n)
}

func allZero(b []byte) bool {
	var acc byte
	for _, v := range b {
		acc |= v
	}
	return acc == 0
}

// lessLE reports whether the little-endian integer le is below the
// big-endian integer be of the same length. Public data: variable time.
func lessLE(le, be []byte) bool {
	n := len(le)
	for i := range n {
		a, b := le[n-1-i], be[i]
		if a != b {
			return a < b
		}
	}
	return false
}

// readOIDContent reads an OBJECT IDENTIFIER element and returns its
// content octets, accepting exactly what cryptobyte's
// ReadASN1ObjectIdentifier accepts (oid.Valid).
func readOIDContent(s *cryptobyte.String, out *cryptobyte.String) bool {
	return s.ReadASN1(out, cbasn1.OBJECT_IDENTIFIER) && oid.Valid(*out)
}

// decodeOID decodes valid OID content octets (for messages and unknown
// identifiers).
func decodeOID(b []byte) asn1.ObjectIdentifier {
	var a oid.Arena
	id, _ := a.Decode(b)
	return id[:len(id):len(id)]
}

// oidContent pairs a table OID with its content octets.
type oidContent struct {
	id      asn1.ObjectIdentifier
	content string
}

func contents(ids ...asn1.ObjectIdentifier) []oidContent {
	out := make([]oidContent, len(ids))
	for i, id := range ids {
		out[i] = oidContent{id, oid.Content(id)}
	}
	return out
}

var (
	keyAlgorithmOIDs = contents(oid.GostR3410_2001, oid.Gost2012Key256, oid.Gost2012Key512)
	// knownDigestParamSets are the digestParamSets real keys carry; any
	// other is decoded.
	knownDigestParamSets = contents(oid.GostR3411_94CryptoProParam, oid.GostR3411_94TestParamSet, oid.Streebog256, oid.Streebog512)
	// curveOIDs lists every curve's parameter-set OIDs, in allCurves order.
	curveOIDs = func() (out []struct {
		c *Curve
		oidContent
	}) {
		for _, c := range allCurves {
			for _, o := range contents(c.oids...) {
				out = append(out, struct {
					c *Curve
					oidContent
				}{c, o})
			}
		}
		return out
	}()
)

// algorithmFromContent is AlgorithmFromOID on content octets.
func algorithmFromContent(b []byte) Algorithm {
	for _, o := range keyAlgorithmOIDs {
		if o.content == string(b) {
			return AlgorithmFromOID(o.id)
		}
	}
	return 0
}

// curveByContent is CurveByOID on content octets; it also returns the
// table's OID for it (shared: PublicKey.ParamSet hands out copies).
func curveByContent(b []byte) (*Curve, asn1.ObjectIdentifier) {
	for _, e := range curveOIDs {
		if e.content == string(b) {
			return e.c, e.id
		}
	}
	return nil, nil
}

// internOID returns the table OID with content octets b, or b decoded.
// Table OIDs are shared: PublicKey hands out copies only.
func internOID(b []byte, table []oidContent) asn1.ObjectIdentifier {
	for _, e := range table {
		if e.content == string(b) {
			return e.id
		}
	}
	return decodeOID(b)
}
