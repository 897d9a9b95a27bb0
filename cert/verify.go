package cert

import (
	"encoding/asn1"
	"errors"
	"fmt"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/gosthash"
	"gostsig.dev/internal/keyuse"
	"gostsig.dev/internal/oid"
)

// Errors of signature verification. Callers test them with errors.Is.
var (
	// ErrUnsupportedAlgorithm: a signature or key algorithm that is not
	// GOST R 34.10-2012/2001. The error returned is an
	// *UnsupportedAlgorithmError naming the OID.
	ErrUnsupportedAlgorithm = errors.New("cert: unsupported algorithm")
	// ErrSignature: the signature does not verify with the key.
	ErrSignature = errors.New("cert: signature verification failed")
	// ErrKeyMismatch: the signature algorithm does not fit the key (a
	// 2012-256 signature OID with a 512-bit or 2001 key, …), so the hash
	// it implies is not the one the key must be used with.
	ErrKeyMismatch = errors.New("cert: signature algorithm does not match the key")
	// ErrNoPublicKey: the signer's key could not be decoded (see
	// Certificate.PublicKeyErr, which the returned error wraps).
	ErrNoPublicKey = errors.New("cert: issuer public key unavailable")
	// ErrUnhandledCriticalExtension: the certificate carries a critical
	// extension this package does not interpret (CheckCriticalExtensions).
	ErrUnhandledCriticalExtension = errors.New("cert: unhandled critical extension")
)

// CheckCriticalExtensions returns an error wrapping
// ErrUnhandledCriticalExtension, naming the extensions, when c carries a
// critical extension this package does not interpret
// (UnhandledCriticalExtensions: name or policy constraints, an unknown
// private extension). RFC 5280 §4.2: a certificate-using system MUST
// reject such a certificate; every path certificate other than a trust
// anchor, and a delegated OCSP responder's, is checked with it.
func (c *Certificate) CheckCriticalExtensions() error {
	if len(c.UnhandledCriticalExtensions) == 0 {
		return nil
	}
	return fmt.Errorf("%w %s", ErrUnhandledCriticalExtension, oid.Join(c.UnhandledCriticalExtensions))
}

// UnsupportedAlgorithmError names an algorithm this package does not
// verify. It matches ErrUnsupportedAlgorithm with errors.Is.
type UnsupportedAlgorithmError struct {
	OID  asn1.ObjectIdentifier
	What string // "signature" or "public key"
}

func (e *UnsupportedAlgorithmError) Error() string {
	return fmt.Sprintf("cert: unsupported %s algorithm %s", e.What, e.OID)
}

func (e *UnsupportedAlgorithmError) Is(target error) bool { return target == ErrUnsupportedAlgorithm }

// SignatureAlgorithmKey maps a signature algorithm OID to the GOST key
// algorithm it requires. It accepts both styles producers write
// (gost-pitfalls.md D.16): the sign-with-digest OIDs
// id-tc26-signwithdigest-gost3410-12-256/512 (1.2.643.7.1.1.3.2/.3) and
// id-GostR3411-94-with-GostR3410-2001 (1.2.643.2.2.3), and the bare key
// OIDs 1.2.643.7.1.1.1.1/.2 and 1.2.643.2.2.19.
func SignatureAlgorithmKey(sigAlg asn1.ObjectIdentifier) (gost3410.Algorithm, bool) {
	switch {
	case sigAlg.Equal(oid.Gost2012SignWith256), sigAlg.Equal(oid.Gost2012Key256):
		return gost3410.GOST2012_256, true
	case sigAlg.Equal(oid.Gost2012SignWith512), sigAlg.Equal(oid.Gost2012Key512):
		return gost3410.GOST2012_512, true
	case sigAlg.Equal(oid.GostR3411_94WithR3410), sigAlg.Equal(oid.GostR3410_2001):
		return gost3410.GOST2001, true
	}
	return 0, false
}

// VerifySignature checks a GOST R 34.10 signature sig (BE(s)‖BE(r), RFC 9215
// §2, RFC 4491 §2.2.2) over signed with pub. sigAlg names the algorithm (see
// SignatureAlgorithmKey); it must fit the key, and the hash is the one the
// key requires: Streebog-256 for 256-bit 2012 keys, Streebog-512 for
// 512-bit keys, GOST R 34.11-94 (CryptoPro S-box) for 2001 keys. It hashes
// signed itself.
//
// The errors are *UnsupportedAlgorithmError (errors.Is
// ErrUnsupportedAlgorithm), ErrKeyMismatch and ErrSignature (which wraps
// the gost3410 reason).
func VerifySignature(sigAlg asn1.ObjectIdentifier, pub *gost3410.PublicKey, signed, sig []byte) error {
	alg, ok := SignatureAlgorithmKey(sigAlg)
	if !ok {
		return &UnsupportedAlgorithmError{OID: sigAlg, What: "signature"}
	}
	if pub == nil {
		return ErrNoPublicKey
	}
	if pub.Algorithm() != alg {
		return fmt.Errorf("%w: %s signature with a %s key", ErrKeyMismatch, alg, pub.Algorithm())
	}
	var buf [64]byte
	digest, ok := gosthash.Sum(alg, buf[:0], signed)
	if !ok {
		return &UnsupportedAlgorithmError{OID: sigAlg, What: "signature"}
	}
	keyuse.Note(pub) // a recurring CA, responder or signer key gets its table
	if err := gost3410.CheckSignature(pub, digest, sig); err != nil {
		return fmt.Errorf("%w: %w", ErrSignature, err)
	}
	return nil
}

// CheckSignatureFrom verifies that c's signature was made with the key of
// parent. It checks the cryptography only: names, key identifiers, CA flags
// and validity are for the path builder and the policy.
//
// When parent's key parameters are absent (RFC 4491 §2.3.2 allows it for
// GOST R 34.10-2001), they cannot be known from parent alone: the error
// wraps gost3410.ErrMissingParameters and the caller resolves the key with
// PublicKeyFrom and calls CheckSignature.
func (c *Certificate) CheckSignatureFrom(parent *Certificate) error {
	if parent.PublicKey == nil {
		if parent.PublicKeyErr != nil {
			if errors.Is(parent.PublicKeyErr, ErrUnsupportedAlgorithm) {
				return parent.PublicKeyErr
			}
			return fmt.Errorf("%w: %w", ErrNoPublicKey, parent.PublicKeyErr)
		}
		return ErrNoPublicKey
	}
	return c.CheckSignature(parent.PublicKey)
}

// CheckSignature verifies c's signature over RawTBSCertificate with pub.
func (c *Certificate) CheckSignature(pub *gost3410.PublicKey) error {
	return VerifySignature(c.SignatureAlgorithm, pub, c.RawTBSCertificate, c.Signature)
}

// PublicKeyFrom returns c's public key, inheriting the curve parameters from
// issuerKey when c's own are absent (RFC 4491 §2.3.2, RFC 5280 §6.1.4
// (f)). With parameters present it returns c.PublicKey. It does not modify
// c.
func (c *Certificate) PublicKeyFrom(issuerKey *gost3410.PublicKey) (*gost3410.PublicKey, error) {
	if c.PublicKey != nil {
		return c.PublicKey, nil
	}
	if !errors.Is(c.PublicKeyErr, gost3410.ErrMissingParameters) || issuerKey == nil {
		if c.PublicKeyErr != nil {
			return nil, c.PublicKeyErr
		}
		return nil, ErrNoPublicKey
	}
	return gost3410.ParsePublicKeyInherit(c.RawSubjectPublicKeyInfo, issuerKey)
}
