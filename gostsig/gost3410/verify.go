package gost3410

import (
	"math/big"

	"gostsig.dev/gostsig/gost3410/internal/ec"
)

// Verify reports whether sig is a valid GOST R 34.10-2012 / 34.10-2001
// signature of digest under pub (GOST R 34.10-2012 §6.2, RFC 7091 §6.2).
//
// Byte orders, exactly (see RFC 9215 §2 and §4.3, RFC 4491 §2.2.2):
//
//   - digest is the hash output exactly as the hash function emits it
//     (Streebog-256 for 256-bit 2012 keys, Streebog-512 for 512-bit keys,
//     GOST R 34.11-94 for 2001 keys): the bytes of CMS messageDigest, of an
//     XMLDSig DigestValue, of `openssl dgst`. It is read as a
//     little-endian integer α; e = α mod q, and e = 1 if that is 0. It
//     must be exactly Curve().PointSize() bytes (32 or 64).
//   - sig is BE(s) || BE(r): s big-endian in the first half, r big-endian
//     in the second, each zero-padded to PointSize bytes, 2·PointSize
//     bytes in all. This is the content of an X.509 or CRL signatureValue
//     BIT STRING, of a CMS SignerInfo signature OCTET STRING, and the
//     base64-decoded XMLDSig SignatureValue. (Windows CryptoAPI blobs are
//     the full byte reversal of this and are rejected.)
//   - the key is LE(x) || LE(y), see [PublicKey.Bytes].
//
// r and s must be in [1, q−1]; the signature is accepted iff
// C = z1·P + z2·Q is not the point at infinity and x_C mod q = r.
//
// Verify is variable-time code: its running time depends on the key, the
// digest and the signature, which is fine because all three are public.
// It must not be used with secret inputs.
func Verify(pub *PublicKey, digest, sig []byte) bool {
	return CheckSignature(pub, digest, sig) == nil
}

// CheckSignature is Verify returning the reason for a rejection: nil if
// the signature is valid, otherwise an error matching ErrInvalidSignature
// whose text says which check failed.
func CheckSignature(pub *PublicKey, digest, sig []byte) error {
	if pub == nil || pub.curve == nil {
		return errNilKey
	}
	n := pub.curve.size
	if len(digest) != n {
		return errDigestLength
	}
	if len(sig) != 2*n {
		return errSigLength
	}
	return pub.curve.impl.verify(pub, digest, sig)
}

// CheckSignatureInt is CheckSignature with the digest given as the integer
// α (for a hash output H, α = int_LE(H)); it is for tests that work from
// the standard's numbers. α may be any non-negative integer: e = α mod q,
// and e = 1 if that is 0. sig is BE(s) || BE(r) as for Verify.
func CheckSignatureInt(pub *PublicKey, alpha *big.Int, sig []byte) error {
	if pub == nil || pub.curve == nil {
		return errNilKey
	}
	if alpha == nil || alpha.Sign() < 0 {
		return errDigestLength
	}
	n := pub.curve.size
	if len(sig) != 2*n {
		return errSigLength
	}
	// Reduce α mod q, then hand the fast path an equivalent digest:
	// e < q < 2^(8n), so LE(e mod q) fits in n bytes.
	e := new(big.Int).Mod(alpha, pub.curve.p.Q)
	digest := make([]byte, n)
	e.FillBytes(digest)
	reverse(digest)
	return pub.curve.impl.verify(pub, digest, sig)
}

func reverse(b []byte) {
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
}

// The per-curve implementation is a concrete type, not an interface, so
// that digest and sig do not escape: a caller may pass slices of arrays
// on its stack without Verify allocating.
func newVerifier(c *Curve) fastVerifier { return fastVerifier{c.ecID()} }

// fastVerifier runs the fixed-limb code of internal/ec.
type fastVerifier struct{ id ec.ID }

func (v fastVerifier) checkKey(k *PublicKey) error {
	n := len(k.raw) / 2
	key, res := ec.NewKey(v.id, k.raw[:n], k.raw[n:])
	switch res {
	case ec.OK:
		k.fast = key
		return nil
	case ec.ErrNotInSubgroup:
		return ErrNotInSubgroup
	default:
		return ErrPointNotOnCurve
	}
}

func (v fastVerifier) verify(k *PublicKey, digest, sig []byte) error {
	var pre any
	if p := k.pre.Load(); p != nil {
		pre = p.table
	}
	switch ec.Verify(v.id, k.fast, pre, digest, sig) {
	case ec.OK:
		return nil
	case ec.ErrRRange:
		return errRRange
	case ec.ErrSRange:
		return errSRange
	case ec.ErrInfinity:
		return errInfinity
	case ec.ErrBadLength:
		return errSigLength
	default:
		return errMismatch
	}
}

func (c *Curve) ecID() ec.ID {
	switch c {
	case curveCryptoProA:
		return ec.CryptoProA
	case curveCryptoProB:
		return ec.CryptoProB
	case curveCryptoProC:
		return ec.CryptoProC
	case curveTest256:
		return ec.Test256
	case curveTC26256A:
		return ec.TC26256A
	case curveTC26512A:
		return ec.TC26512A
	case curveTC26512B:
		return ec.TC26512B
	case curveTC26512C:
		return ec.TC26512C
	case curveTest512:
		return ec.Test512
	}
	panic("gost3410: curve without implementation")
}
