// Package crl decides the revocation status of GOST certificates from CRLs
// and OCSP responses, and keeps the CRLs it needs parsed, verified, cached
// and fresh.
//
// # CRLs
//
// [Parse] reads an X.509 v1/v2 CRL (RFC 5280 §5) in DER or PEM with
// golang.org/x/crypto/cryptobyte and is strict: DER only, no trailing data,
// a GOST R 34.10-2012/2001 signature algorithm with absent or NULL
// parameters and the same AlgorithmIdentifier inside and outside, no unknown
// critical extension (CRL or entry), no indirect CRL, no removeFromCRL
// outside a delta CRL, RFC 5280 time forms, bounded sizes ([MaxCRLSize],
// maxIndexEntries). It understands reason codes, invalidity dates,
// certificateHold/removeFromCRL, delta CRLs (deltaCRLIndicator,
// freshestCRL), issuingDistributionPoint, cRLNumber and the AKI.
// [ParseBundle] reads every X509 CRL block of PEM input — an OpenSSL-style
// bundle of certificates and CRLs included, other block types skipped —
// and returns each CRL with its DER.
//
// Accredited CAs publish CRLs of tens of megabytes. Parse does not keep the
// DER nor build a parsed entry per certificate: in a single pass over
// revokedCertificates it fills an [Index] (open addressing keyed by xxhash,
// serials in one arena, ≤ 32 bytes per entry on top of the serial octets,
// O(1) lookups that do not allocate) while it hashes the tbsCertList with the
// hash the signature needs. The Streebog-256 and SHA-256 of the whole DER —
// the evidence digests — run beside it. [CRL.CheckSignatureFrom] then costs one
// GOST verification; it matches the issuer by name and by key (the CRL's AKI
// against the issuer's SKI, and the signature itself), so a CA that rolled
// its key over keeps its generations apart and its old key still validates
// the CRLs it signed. An issuer whose keyUsage lacks cRLSign is refused.
//
// # Status
//
// [Decide] (CRLs) and [DecideOCSP] (OCSP) are pure functions of a [Query] —
// certificate, issuer, time T, whether T comes from a time-stamp — and the
// evidence. They implement validation-policy.md "Revocation":
//
//   - only evidence signed by the issuer (or an authorised OCSP responder)
//     and not dated more than [MaxClockSkew] after the validation time
//     counts;
//   - when T is the validation time, the CRL must be current: thisUpdate ≤ T
//     < nextUpdate; when T comes from a time-stamp, a CRL issued at or
//     after T also speaks for T;
//   - a certificate listed with a revocation date after T was good at T
//     (Result.RevokedLater says so); certificateHold is revoked while
//     listed, and removeFromCRL in a delta lifts it; a permanent revocation
//     found in any CRL that speaks for T stands even if a later CRL dropped
//     the entry;
//   - a permanent revocation (any reason but certificateHold) dated ≤ T in
//     any CRL of the issuer, even one past its nextUpdate, makes the
//     certificate revoked at T (Result.Stale marks such evidence): a
//     revocation is never undone (RFC 5280 §5.3.1), so only good needs a
//     CRL that speaks for T. This holds whatever brought the CRL —
//     supplied, configured, fetched or read from a cache;
//   - when nothing speaks for T the Result is Unknown with NoCoverage,
//     which the policy reports as TRY_LATER ([Result.TryLater]).
//
// The deciding CRL(s) or response are returned as [Evidence]: issuer,
// number, thisUpdate, nextUpdate, Streebog-256, SHA-256 and size of the
// DER, URL. Both digests are computed once, when the CRL or response is
// parsed (fetched, loaded from the disk cache or supplied), never per query.
//
// Rules this package adds where the policy is silent: a CRL without
// nextUpdate is never current for the validation time (it can still speak
// for an earlier time-stamp); an OCSP response without nextUpdate is
// current for Query.OCSPMaxAge ([DefaultOCSPMaxAge]) after its thisUpdate;
// CRLs whose issuingDistributionPoint excludes the certificate give
// OutOfScope, and a CRL limited to some reasons can prove revocation but not
// good standing; duplicate serials in one CRL keep the permanent reason over
// a hold, then the earlier date.
//
// # OCSP
//
// [ParseOCSPResponse] (a responder's answer) and [ParseBasicOCSPResponse]
// (CAdES-X Long Type 1 revocation-values, handed in raw by the cms layer)
// parse RFC 6960 responses; [OCSPResponse.Verify] accepts the CA itself, a
// delegated responder certified by the CA with id-kp-OCSPSigning and valid at
// producedAt, or a locally trusted responder; [NewOCSPRequest] builds
// requests (SHA-1 CertID by default, optional RFC 8954 nonce checked with
// [OCSPResponse.VerifyNonce]).
//
// # Caching and fetching
//
// A [Checker] answers queries from supplied evidence, then an in-memory
// ristretto cache of indexes keyed by issuer key ([KeyID]) and distribution
// point, then the persistent [DiskCache] (zstd, checksummed, versioned,
// written atomically; a corrupt entry is deleted and fetched again, never
// trusted), then the network through a [Fetcher]: conditional GETs with
// ETag/If-Modified-Since, timeouts and size limits, at most one request per
// URL at a time, a back-off after failures, one slog record per fetch with
// its outcome. A fetched CRL is cached only after it parses, verifies against
// the issuer, and is neither future-dated, expired nor older than the cached
// one (an authentic one already past its nextUpdate is kept in memory only,
// as evidence of the permanent revocations it lists, and fetched again after
// the back-off). [Checker.Run] refreshes tracked CRLs before their nextUpdate;
// Options.Grace keeps an expired CRL usable (marked Stale) while refetching
// fails; Options.Offline disables all network access. Every time comes from
// the injected Options.Clock.
package crl
