// Package chain builds certification paths from a signer's certificate to
// the head certification authority (ГУЦ) and reads the ГУЦ trusted list of
// accredited CAs.
//
// # Trust anchors
//
// By default the anchors are the ГУЦ roots embedded in the binary
// (EmbeddedRoots): "Минкомсвязь России" (GOST R 34.10-2012, 2018), "Минцифры
// России" (2026) and the GOST R 34.10-2001 "Головной удостоверяющий центр"
// root. Config.Roots replaces them and Config.ExtraRoots adds to them.
// Accredited CAs (such as ООО "Линк-сервис") are intermediates, never
// anchors.
//
// # Intermediates
//
// A path may use, in this order of preference: the anchors, the
// intermediates of the Config (files the caller supplies) and of the trusted
// list (LoadTSL), the per-call intermediates (the certificates carried in the
// signature), and certificates fetched from AIA caIssuers URLs by a Fetcher
// when no issuer is known (none when offline).
//
// # Path building
//
// Build searches depth-first from the leaf: every certificate whose subject
// equals the issuer name is a candidate, those whose subjectKeyIdentifier
// matches the authorityKeyIdentifier first (CA key rollover leaves several
// CAs with one name), then those without identifiers, then those whose
// identifiers conflict. A candidate must be a CA (basicConstraints cA; v1
// certificates only as anchors), must have keyCertSign if it has keyUsage,
// must allow the number of intermediates below it (pathLenConstraint), and
// its key must verify the GOST signature of the certificate below it
// (cert.CheckSignature). The leaf and every intermediate must carry no
// critical extension that cert does not interpret (name and policy
// constraints among them: RFC 5280 §4.2 requires such a certificate to be
// rejected, so they are refused rather than silently ignored); trust
// anchors are exempt. Loops through cross-certificates are cut; the work
// is bounded by maxChainSignatureChecks, maxChainLength and maxChains. All
// complete paths are returned, ordered deterministically for the time the
// caller passes in (never the wall clock).
//
// Validity periods, revocation and the qualified profile are not decided
// here: the policy decides them at the best signature time on the returned
// certificates. Failures are typed in the crypto/x509 style:
// *UnknownAuthorityError (no issuer found: NO_CERTIFICATE_CHAIN_FOUND) and
// *InvalidError with an InvalidReason (a path exists but is broken:
// CHAIN_CONSTRAINTS_FAILURE).
//
// # Caches
//
// A Builder caches parsed certificates (ParseCertificate), verified
// certificate signatures and built paths, in ristretto caches keyed by
// xxhash of the DER; a hit is confirmed by comparing the bytes, so a hash
// collision can only cost a miss. Within Config.CacheTTL a recurring signer
// costs neither a parse nor a signature check.
//
// # Trusted list
//
// LoadTSL reads the XML published by e-trust.gosuslugi.ru
// (АккредитованныеУдостоверяющиеЦентры): each CA with its complexes, keys,
// certificates and CRL addresses, its accreditation status and history.
// TSL.AccreditedAt answers "was the CA that issued this certificate
// accredited on the day of issue" (63-FZ art. 11).
package chain
