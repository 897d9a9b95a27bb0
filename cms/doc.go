// Package cms parses CMS SignedData (RFC 5652) and CAdES (RFC 5126,
// ETSI EN 319 122-1) signatures as Russian producers write them and
// verifies each SignerInfo with GOST R 34.10-2012/2001.
//
// # What it takes
//
// [Parse] reads DER, BER (indefinite lengths and chunked strings, as
// КриптоПро CSP writes them; normalised by internal/ber within
// [MaxInputSize] and ber.MaxDepth), PEM (PKCS7, CMS, SIGNED DATA) and bare
// base64 with or without line breaks. Detached content is supplied as
// bytes, as a stream that is hashed while read (never held in memory), or
// as a caller-computed hash (hash-only mode) — see [VerifyOptions].
//
// # What it checks, per SignerInfo
//
//   - algorithm: digestAlgorithm and signatureAlgorithm are GOST, in every
//     style producers write (key OID or signwithdigest OID, parameters
//     absent or NULL), and belong together and with the signer's key
//     (2012-256 ↔ Streebog-256, 2012-512 ↔ Streebog-512, 2001 ↔ GOST R
//     34.11-94). A non-GOST algorithm is Indeterminate with the OID named.
//   - signing-certificate: a certificate matches the signer identifier
//     (issuerAndSerialNumber or subjectKeyIdentifier), from the message or
//     from [VerifyOptions.Certificates].
//   - content-type: present and equal to eContentType (absent, as RFC 5652
//     §11.4 requires, in counter-signatures).
//   - message-digest: equal to the hash of the content (or of the parent
//     signature value for a counter-signature).
//   - signature-value: the signature over the signed attributes exactly as
//     received, with the [0] tag read as SET OF (0x31) — never re-encoded
//     or re-sorted — or over the content when there are none.
//   - signing-certificate-v2: ESS signingCertificateV2 / signingCertificate
//     names the signer certificate (certHash, with SHA-256 when the
//     hashAlgorithm is absent as RFC 5035 says, and issuerSerial).
//   - algorithm-protection: RFC 6211 CMSAlgorithmProtection names the
//     SignerInfo's algorithms.
//   - signature-timestamp: each CAdES-T signatureTimeStampToken is an RFC
//     3161 token whose own signature verifies with the TSA certificate it
//     carries and whose messageImprint is the hash of the signature value
//     octets. genTime, the TSA certificate and the token's certificates
//     are exposed for the layer above, which validates the TSA chain.
//   - complete-references and cades-c-timestamp: CAdES-X Long Type 1
//     references are matched to the certificate-values and
//     revocation-values carried, and the CAdES-C time-stamp is verified.
//     Its imprint covers the signature value and the signature-time-stamp
//     and reference attributes; which bytes of each attribute go in is
//     read from ETSI TS 101 733 §6.3.5 NOTE 2 (type and values, no
//     Attribute SEQUENCE header, as EU DSS computes it), and two other
//     readings are accepted and named in [TimeStamp.ImprintInput] because
//     no CryptoPro sample was available to pin the practice.
//
// Counter-signatures are verified recursively (up to
// [MaxCounterSignatureDepth]) and reported as nested results.
//
// # What it does not decide
//
// Each check has a typed [Status] and [Reason]; the reasons document the
// ETSI subindication they usually map to. Certificate chains, validity
// periods, revocation and the trust in time-stamps belong to the layer
// above (packages chain, crl and gostsig): [Result] hands it the signer
// certificate, every certificate found, and the CRLs and OCSP responses
// carried, unverified.
//
// # Limits
//
// Inputs are bounded by named constants (MaxInputSize, MaxSignerInfos,
// MaxCertificates, MaxCRLs, MaxAttributes, MaxAttributeValues,
// MaxCounterSignatureDepth, MaxTimeStamps); an input over one is a
// *[ParseError] wrapping [ErrLimit].
//
// Parsed values alias the input (or its DER normalisation), which must not
// change while they are in use.
package cms
