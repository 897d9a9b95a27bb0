package testkit

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"io"
	"math/big"
	"math/rand/v2"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/gosthash"
	"gostsig.dev/internal/oid"
)

// NewRand returns a deterministic byte stream seeded by seed (ChaCha8 keyed
// with SHA-256(seed)). Use one per generated object so that adding a key to
// a test does not change the others.
func NewRand(seed string) io.Reader {
	return rand.NewChaCha8(sha256.Sum256([]byte(seed)))
}

// PrivateKey is a GOST R 34.10 key pair for tests.
type PrivateKey struct {
	Alg   gost3410.Algorithm
	Curve *gost3410.Curve
	// ParamSet is the publicKeyParamSet OID written into the
	// SubjectPublicKeyInfo; any alias of Curve (XchA for CryptoPro-A, …).
	ParamSet asn1.ObjectIdentifier
	// DigestParamSet is the optional digestParamSet OID of the key
	// parameters; nil omits it.
	DigestParamSet asn1.ObjectIdentifier
	// NullParams writes the SPKI AlgorithmIdentifier parameters as NULL
	// instead of the parameter SEQUENCE (a broken key, for negative tests).
	NullParams bool

	D    *big.Int // secret scalar, 1 ≤ D < q
	X, Y *big.Int // public point, affine Weierstrass
}

// GenerateKey makes a key of algorithm alg on the curve named by paramSet
// (any alias OID), reading the secret from r (see NewRand). The
// digestParamSet defaults to what real producers write: the CryptoPro
// GOST R 34.11-94 set for 2001 keys, Streebog-256 for 2012-256 keys on the
// CryptoPro/Xch OIDs (КриптоПро CSP style) and nothing for the TC26 OIDs.
func GenerateKey(alg gost3410.Algorithm, paramSet asn1.ObjectIdentifier, r io.Reader) (*PrivateKey, error) {
	c := gost3410.CurveByOID(paramSet)
	if c == nil {
		return nil, fmt.Errorf("testkit: unknown curve %v", paramSet)
	}
	if alg.Size() != c.PointSize() {
		return nil, fmt.Errorf("testkit: %v does not fit curve %v", alg, c)
	}
	p := c.Params()
	buf := make([]byte, c.PointSize()+16)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	d := new(big.Int).SetBytes(buf)
	d.Mod(d, new(big.Int).Sub(p.Q, big.NewInt(1)))
	d.Add(d, big.NewInt(1))
	k, err := NewKeyFromScalar(alg, paramSet, d)
	if err != nil {
		return nil, err
	}
	switch {
	case alg == gost3410.GOST2001:
		k.DigestParamSet = oid.GostR3411_94CryptoProParam
	case alg == gost3410.GOST2012_256 && len(paramSet) > 4 && paramSet[4] == 2: // 1.2.643.2.2.x
		k.DigestParamSet = oid.Streebog256
	}
	return k, nil
}

// NewKeyFromScalar returns the key with secret d (for published test keys).
func NewKeyFromScalar(alg gost3410.Algorithm, paramSet asn1.ObjectIdentifier, d *big.Int) (*PrivateKey, error) {
	c := gost3410.CurveByOID(paramSet)
	if c == nil {
		return nil, fmt.Errorf("testkit: unknown curve %v", paramSet)
	}
	p := c.Params()
	if d.Sign() <= 0 || d.Cmp(p.Q) >= 0 {
		return nil, errors.New("testkit: private scalar out of range")
	}
	x, y := scalarMult(p, p.X, p.Y, d)
	return &PrivateKey{Alg: alg, Curve: c, ParamSet: append(asn1.ObjectIdentifier(nil), paramSet...),
		D: new(big.Int).Set(d), X: x, Y: y}, nil
}

// MustKey is GenerateKey with a seed string, panicking on error (tests only).
func MustKey(alg gost3410.Algorithm, paramSet asn1.ObjectIdentifier, seed string) *PrivateKey {
	k, err := GenerateKey(alg, paramSet, NewRand(seed))
	if err != nil {
		panic(err)
	}
	return k
}

// PublicBytes returns LE(x) || LE(y), the content of the SPKI OCTET STRING.
func (k *PrivateKey) PublicBytes() []byte {
	n := k.Curve.PointSize()
	out := make([]byte, 2*n)
	putLE(out[:n], k.X)
	putLE(out[n:], k.Y)
	return out
}

// Public returns the public key, validated by gost3410.NewPublicKey.
func (k *PrivateKey) Public() *gost3410.PublicKey {
	pub, err := gost3410.NewPublicKey(k.Alg, k.Curve, k.PublicBytes())
	if err != nil {
		panic("testkit: own public key rejected: " + err.Error())
	}
	return pub
}

// SPKI returns the DER SubjectPublicKeyInfo (RFC 4491 §2.3.2, RFC 9215 §4):
// SEQUENCE { SEQUENCE { key OID, SEQUENCE { paramSet [, digestParamSet] } },
// BIT STRING { OCTET STRING { LE(x) || LE(y) } } }.
func (k *PrivateKey) SPKI() []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(k.Alg.OID())
			if k.NullParams {
				b.AddASN1NULL()
				return
			}
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1ObjectIdentifier(k.ParamSet)
				if k.DigestParamSet != nil {
					b.AddASN1ObjectIdentifier(k.DigestParamSet)
				}
			})
		})
		b.AddASN1BitString(k.publicKeyOctetString())
	})
	return b.BytesOrPanic()
}

func (k *PrivateKey) publicKeyOctetString() []byte {
	var b cryptobyte.Builder
	b.AddASN1OctetString(k.PublicBytes())
	return b.BytesOrPanic()
}

// SubjectKeyID is the RFC 5280 §4.2.1.2 method (1) key identifier: SHA-1
// of the subjectPublicKey BIT STRING value.
func (k *PrivateKey) SubjectKeyID() []byte {
	return sha1Sum(k.publicKeyOctetString())
}

// HashOID is the digest algorithm the key signs with (gosthash).
func (k *PrivateKey) HashOID() asn1.ObjectIdentifier {
	h, _, _, _ := gosthash.ForAlgorithm(k.Alg)
	return h
}

// NewHash returns a fresh instance of the key's hash.
func (k *PrivateKey) NewHash() hash.Hash {
	_, nh, _, _ := gosthash.ForAlgorithm(k.Alg)
	return nh()
}

// SignatureOID is the signwithdigest OID for certificates and CRLs
// (1.2.643.7.1.1.3.2/.3, or 1.2.643.2.2.3 for 2001).
func (k *PrivateKey) SignatureOID() asn1.ObjectIdentifier {
	switch k.Alg {
	case gost3410.GOST2012_256:
		return oid.Gost2012SignWith256
	case gost3410.GOST2012_512:
		return oid.Gost2012SignWith512
	}
	return oid.GostR3411_94WithR3410
}

// Sign hashes msg with the key's hash and signs the digest.
func (k *PrivateKey) Sign(msg []byte) []byte {
	h := k.NewHash()
	h.Write(msg)
	return k.SignDigest(h.Sum(nil))
}

// SignDigest signs a digest per GOST R 34.10-2012 §6.1 and returns
// BE(s) || BE(r). The nonce is derived from the key and the digest
// (HMAC-SHA-512, RFC 6979 in spirit), so signing is deterministic.
func (k *PrivateKey) SignDigest(digest []byte) []byte {
	return k.signWith(digest, nil)
}

// SignDigestRand is SignDigest with the nonce read from r.
func (k *PrivateKey) SignDigestRand(digest []byte, r io.Reader) []byte {
	return k.signWith(digest, r)
}

func (k *PrivateKey) signWith(digest []byte, r io.Reader) []byte {
	p := k.Curve.Params()
	n := k.Curve.PointSize()
	// Step 2: α = int_LE(digest), e = α mod q, e = 1 if 0.
	e := leToInt(digest)
	e.Mod(e, p.Q)
	if e.Sign() == 0 {
		e.SetInt64(1)
	}
	mac := hmac.New(sha512.New, k.D.FillBytes(make([]byte, n)))
	qm1 := new(big.Int).Sub(p.Q, big.NewInt(1))
	for ctr := 0; ; ctr++ {
		// Step 3: 0 < k < q.
		var kb []byte
		if r != nil {
			kb = make([]byte, n+16)
			if _, err := io.ReadFull(r, kb); err != nil {
				panic(err)
			}
		} else {
			mac.Reset()
			mac.Write(digest)
			mac.Write([]byte{byte(ctr >> 8), byte(ctr), 0})
			kb = mac.Sum(nil)
			mac.Reset()
			mac.Write(digest)
			mac.Write([]byte{byte(ctr >> 8), byte(ctr), 1})
			kb = mac.Sum(kb)
		}
		kk := new(big.Int).SetBytes(kb)
		kk.Mod(kk, qm1).Add(kk, big.NewInt(1))
		// Step 4: C = kP, r = x_C mod q.
		cx, _ := scalarMult(p, p.X, p.Y, kk)
		rr := new(big.Int).Mod(cx, p.Q)
		if rr.Sign() == 0 {
			continue
		}
		// Step 5: s = (r·d + k·e) mod q.
		s := new(big.Int).Mul(rr, k.D)
		s.Add(s, new(big.Int).Mul(kk, e))
		s.Mod(s, p.Q)
		if s.Sign() == 0 {
			continue
		}
		// Step 6: ζ = (r̄ || s̄) as a vector; on the wire BE(s) || BE(r)
		// (RFC 4491 §2.2.2, RFC 9215).
		sig := make([]byte, 2*n)
		s.FillBytes(sig[:n])
		rr.FillBytes(sig[n:])
		return sig
	}
}

func leToInt(b []byte) *big.Int {
	be := make([]byte, len(b))
	for i := range b {
		be[len(b)-1-i] = b[i]
	}
	return new(big.Int).SetBytes(be)
}

func putLE(dst []byte, x *big.Int) {
	x.FillBytes(dst)
	for i, j := 0, len(dst)-1; i < j; i, j = i+1, j-1 {
		dst[i], dst[j] = dst[j], dst[i]
	}
}

// scalarMult computes k·(x, y) on the Weierstrass curve with affine math/big
// arithmetic (public-data-only test code; not constant time).
func scalarMult(p *gost3410.CurveParams, x, y, k *big.Int) (*big.Int, *big.Int) {
	var rx, ry *big.Int // nil = point at infinity
	for i := k.BitLen() - 1; i >= 0; i-- {
		rx, ry = pointAdd(p, rx, ry, rx, ry)
		if k.Bit(i) == 1 {
			rx, ry = pointAdd(p, rx, ry, x, y)
		}
	}
	return rx, ry
}

func pointAdd(p *gost3410.CurveParams, x1, y1, x2, y2 *big.Int) (*big.Int, *big.Int) {
	if x1 == nil {
		return x2, y2
	}
	if x2 == nil {
		return x1, y1
	}
	var lambda *big.Int
	if x1.Cmp(x2) == 0 {
		if new(big.Int).Add(y1, y2).Cmp(p.P) == 0 || y1.Sign() == 0 && y2.Sign() == 0 {
			return nil, nil
		}
		if y1.Cmp(y2) != 0 {
			return nil, nil
		}
		// λ = (3x² + a) / 2y
		num := new(big.Int).Mul(x1, x1)
		num.Mul(num, big.NewInt(3)).Add(num, p.A)
		den := new(big.Int).Lsh(y1, 1)
		den.ModInverse(den.Mod(den, p.P), p.P)
		lambda = num.Mul(num, den)
	} else {
		num := new(big.Int).Sub(y2, y1)
		den := new(big.Int).Sub(x2, x1)
		den.ModInverse(den.Mod(den, p.P), p.P)
		lambda = num.Mul(num, den)
	}
	lambda.Mod(lambda, p.P)
	x3 := new(big.Int).Mul(lambda, lambda)
	x3.Sub(x3, x1).Sub(x3, x2).Mod(x3, p.P)
	y3 := new(big.Int).Sub(x1, x3)
	y3.Mul(y3, lambda).Sub(y3, y1).Mod(y3, p.P)
	return x3, y3
}

// PKCS8 returns the private key as PKCS#8 PrivateKeyInfo in the form
// gost-engine writes and reads: the SPKI AlgorithmIdentifier and an OCTET
// STRING holding LE(d).
func (k *PrivateKey) PKCS8() []byte {
	spki := cryptobyte.String(k.SPKI())
	var inner, algID cryptobyte.String
	spki.ReadASN1(&inner, cbasn1.SEQUENCE)
	inner.ReadASN1Element(&algID, cbasn1.SEQUENCE)
	d := make([]byte, k.Curve.PointSize())
	putLE(d, k.D)
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1Int64(0)
			b.AddBytes(algID)
			b.AddASN1OctetString(d)
		})
	})
}

// ParsePKCS8 reads a GOST PKCS#8 key as gost-engine writes it (the
// published TC26 test keys): the secret as a raw little-endian OCTET
// STRING, or an OCTET STRING wrapping an OCTET STRING or INTEGER.
func ParsePKCS8(der []byte) (*PrivateKey, error) {
	s := cryptobyte.String(der)
	var seq, algID, params, priv cryptobyte.String
	var keyOID, set asn1.ObjectIdentifier
	var digest asn1.ObjectIdentifier
	var version int64
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !seq.ReadASN1Integer(&version) ||
		!seq.ReadASN1(&algID, cbasn1.SEQUENCE) || !algID.ReadASN1ObjectIdentifier(&keyOID) ||
		!algID.ReadASN1(&params, cbasn1.SEQUENCE) || !params.ReadASN1ObjectIdentifier(&set) ||
		!seq.ReadASN1(&priv, cbasn1.OCTET_STRING) {
		return nil, errors.New("testkit: malformed PKCS#8 key")
	}
	if !params.Empty() && !params.ReadASN1ObjectIdentifier(&digest) {
		return nil, errors.New("testkit: malformed PKCS#8 key parameters")
	}
	alg := gost3410.AlgorithmFromOID(keyOID)
	if alg == 0 {
		return nil, fmt.Errorf("testkit: not a GOST key: %v", keyOID)
	}
	var d *big.Int
	switch {
	case len(priv) == alg.Size():
		d = leToInt(priv)
	default:
		inner := cryptobyte.String(priv)
		var oct cryptobyte.String
		var v big.Int
		switch {
		case inner.PeekASN1Tag(cbasn1.OCTET_STRING) && inner.ReadASN1(&oct, cbasn1.OCTET_STRING):
			d = leToInt(oct)
		case inner.ReadASN1Integer(&v):
			d = &v
		default:
			return nil, errors.New("testkit: malformed PKCS#8 private key")
		}
	}
	k, err := NewKeyFromScalar(alg, set, d)
	if err != nil {
		return nil, err
	}
	k.DigestParamSet = digest
	return k, nil
}
