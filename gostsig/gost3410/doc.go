// Package gost3410 verifies GOST R 34.10-2012 and GOST R 34.10-2001
// signatures (RFC 7091, RFC 4491, RFC 9215) on every standard curve.
//
// # Contract
//
// The package only verifies: it has no private keys and no signing. Every
// input it sees (keys, digests, signatures) is public, so its code is
// variable-time and says so; it must never be given secret data.
//
//   - Curves: [CurveByOID] and [CurveByName] resolve the parameter sets of
//     RFC 4357 (CryptoPro-A/B/C, XchA/XchB, the 2001 test set), RFC 7836 and
//     RFC 9215 (tc26-256-A..D, tc26-512-A/B/C and the 512-bit test set).
//     Aliases resolve to the same *Curve. The two test sets work, but
//     [Curve.IsTest] reports them so that callers can refuse them outside
//     testing (RFC 9215 §4.2).
//   - Keys: [ParsePublicKey] reads a DER SubjectPublicKeyInfo, [NewPublicKey]
//     takes the raw point LE(x) || LE(y). A returned *PublicKey is always
//     valid: coordinates reduced, on the curve, not the identity and, on the
//     cofactor-4 Edwards curves (tc26-256-A, tc26-512-C), in the subgroup
//     of prime order q. Bad keys give typed errors (ErrUnknownCurve,
//     ErrPointNotOnCurve, …) usable with errors.Is.
//   - Signatures: [Verify] takes the digest bytes exactly as the hash emits
//     them and the signature as BE(s) || BE(r), the layout of X.509, CRL,
//     CMS and XMLDSig alike. Any malformed input is a false (or, from
//     [CheckSignature], an error saying why), never a panic.
//
// The digest must come from the hash that belongs to the key:
// Streebog-256 for GOST2012_256, Streebog-512 for GOST2012_512 and
// GOST R 34.11-94 for GOST2001 (RFC 9215 §2, RFC 4491 §2.2.2). This package
// only checks that its length matches the key; choosing the hash is the
// caller's job.
package gost3410
