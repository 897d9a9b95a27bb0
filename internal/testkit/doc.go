// Package testkit builds GOST test PKIs for the project's tests: keys on
// every GOST R 34.10 curve, X.509 certificates as Russian CAs issue them,
// CRLs (streamed, so a 50 MB CRL costs no memory), CMS SignedData / CAdES
// signatures, RFC 3161 time-stamp tokens, BasicOCSPResponses and the CAdES-X
// Long Type 1 attributes.
//
// It is test-only code. It signs with math/big (GOST R 34.10-2012 §6.1),
// slowly and not in constant time, and is never linked into a binary.
//
// # Determinism
//
// Every builder is a pure function of its inputs: keys come from a
// caller-supplied reader (use [NewRand] with a seed string), signatures use a
// nonce derived from the key and the digest, and times are always passed in.
// The same inputs give the same bytes on every run, so generated files can be
// committed as golden testdata and regenerated.
//
// # Encodings
//
// Signatures are BE(s) || BE(r); public keys are LE(x) || LE(y) in the
// SubjectPublicKeyInfo OCTET STRING; digests are read little-endian
// (RFC 4491 §2.2.2, RFC 9215, GOST R 34.10-2012 §6). Unless a template says
// otherwise the output is DER; knobs exist to produce the sloppy but real
// encodings verifiers must accept (signwithdigest OIDs in SignerInfo, NULL
// parameters, unsorted signed attributes, BER indefinite lengths, negative
// serials, UTF8String INN) and the broken ones they must reject.
//
// The API is used by cert, crl, chain, cms, xmldsig and the verifier tests;
// it only grows.
package testkit
