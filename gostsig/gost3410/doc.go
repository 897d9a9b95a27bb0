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
//
// # Decisions
//
// Cofactor 4. On tc26-256-A and tc26-512-C a point on the curve may have a
// component of order 2 or 4. Such a key has no private key d with Q = d·P,
// yet a verifier that accepted it would still give an answer, and different
// verifiers' answers could differ. Keys are therefore checked for q·Q = O
// when they are parsed (one scalar multiplication, about the cost of a
// verification), and rejected with ErrNotInSubgroup. Parse a certificate's
// key once and keep the *PublicKey.
//
// Truncated keys. RFC 4491 §2.3.2 notes that some applications drop the
// trailing zero bits of the BIT STRING holding a 2001 public key. The
// parser repairs this only for GOST R 34.10-2001 keys and only when the
// OCTET STRING header (04 40) is intact, so that the length is known and
// zero-padding has exactly one meaning; any other deviation from DER is
// an error.
//
// Parameters. Keys whose parameters are absent (legal for 2001 keys)
// give ErrMissingParameters; [ParsePublicKeyInherit] takes the curve from
// the issuer's key (RFC 4491 §2.3.2). The digestParamSet is kept for
// information ([PublicKey.DigestParamSet]) and not enforced.
//
// # Implementation
//
// Each curve has its own fixed-limb field arithmetic (internal/field):
// pseudo-Mersenne folding for 2^256 − 617 and 2^512 − 569, 2^k + c folding
// for 2^255 + 3225, 2^255 + 1073 and 2^511 + 111, Montgomery multiplication
// for the CryptoPro-C prime, the 512-bit test prime and the group orders,
// with MULX/ADX assembly on amd64 CPUs that have BMI2 and ADX (pure Go
// otherwise, and with -tags purego). Points (internal/ec) are in Jacobian
// coordinates (a = −3 doubling where it applies) or, for tc26-256-A and
// tc26-512-C, in extended twisted Edwards coordinates. Verify computes
// z1·P + z2·Q by interleaved wNAF with a precomputed base-point table,
// compares x without an inversion (r + k·q candidates), inverts e with
// variable-time divsteps, and allocates nothing. On the 2^256 − 617 and
// 2^512 − 569 curves each point doubling and addition is one assembly
// function.
//
// [PublicKey.Precompute] builds a per-key table of eight rows (the odd
// multiples of 2^(j·n/8)·Q) for keys that verify many signatures (CA keys,
// OCSP responders, recurring senders): with the base point's matching rows,
// a verification then shares n/8 doublings among sixteen digit streams
// instead of n doublings among two. It is optional and safe to call
// concurrently with Verify.
package gost3410
