package gost3410

import (
	"errors"
	"fmt"
)

// Errors returned by the key parsers and by [CheckSignature]. Callers test
// for them with errors.Is; the returned errors may wrap them with detail.
var (
	// ErrMalformedKey: the SubjectPublicKeyInfo is not valid DER of the
	// expected shape.
	ErrMalformedKey = errors.New("gost3410: malformed public key")
	// ErrUnsupportedAlgorithm: the key's algorithm OID is not one of
	// id-GostR3410-2001, id-tc26-gost3410-12-256, id-tc26-gost3410-12-512.
	ErrUnsupportedAlgorithm = errors.New("gost3410: unsupported public key algorithm")
	// ErrMissingParameters: the key carries no parameters (legal for
	// GOST R 34.10-2001 keys, RFC 4491 §2.3.2); use ParsePublicKeyInherit
	// with the issuer's key.
	ErrMissingParameters = errors.New("gost3410: public key parameters absent")
	// ErrUnknownCurve: the publicKeyParamSet OID names no known curve.
	ErrUnknownCurve = errors.New("gost3410: unknown curve")
	// ErrCurveMismatch: the curve's size does not fit the algorithm (a
	// 512-bit curve under a 256-bit algorithm OID, or the reverse), or
	// an inherited curve does not fit.
	ErrCurveMismatch = errors.New("gost3410: curve does not match the algorithm")
	// ErrLength: the encoded public key has the wrong length for its curve.
	// (Wrong digest or signature lengths are ErrInvalidSignature.)
	ErrLength = errors.New("gost3410: wrong length")
	// ErrPointNotOnCurve: a coordinate is not reduced (x ≥ p or y ≥ p),
	// or the point does not satisfy the curve equation.
	ErrPointNotOnCurve = errors.New("gost3410: point not on curve")
	// ErrIdentity: the key is the point at infinity (encoded as all
	// zeros), or on an Edwards curve it maps to it.
	ErrIdentity = errors.New("gost3410: point at infinity")
	// ErrNotInSubgroup: on a cofactor-4 curve, the point is on the curve
	// but not in the subgroup of prime order q (q·Q ≠ O).
	ErrNotInSubgroup = errors.New("gost3410: point not in the prime-order subgroup")
	// ErrInvalidSignature: the signature does not verify. The error
	// returned by CheckSignature wraps it with the reason.
	ErrInvalidSignature = errors.New("gost3410: invalid signature")
)

// Reasons a signature is rejected, preallocated so that the verification
// path does not allocate.
var (
	errSigLength    = fmt.Errorf("%w: signature length", ErrInvalidSignature)
	errDigestLength = fmt.Errorf("%w: digest length does not match the key size", ErrInvalidSignature)
	errRRange       = fmt.Errorf("%w: r not in [1, q-1]", ErrInvalidSignature)
	errSRange       = fmt.Errorf("%w: s not in [1, q-1]", ErrInvalidSignature)
	errInfinity     = fmt.Errorf("%w: C is the point at infinity", ErrInvalidSignature)
	errMismatch     = fmt.Errorf("%w: x(C) mod q != r", ErrInvalidSignature)
	errNilKey       = fmt.Errorf("%w: nil public key", ErrInvalidSignature)
)
