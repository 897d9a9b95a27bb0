package cms

import (
	"encoding/asn1"
	"fmt"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/gost3410"
)

// Status is the outcome of one check.
type Status int

const (
	// NotApplicable: the thing checked is absent and optional (no
	// signingCertificateV2, no time-stamp, …).
	NotApplicable Status = iota
	// Passed: the check was done and holds.
	Passed
	// Failed: the check was done and does not hold; Reason says why.
	Failed
	// Indeterminate: the check could not be done (content not supplied,
	// signer certificate not found, unsupported algorithm); Reason says
	// why. It is never reported as passed.
	Indeterminate
)

func (s Status) String() string {
	switch s {
	case NotApplicable:
		return "not-applicable"
	case Passed:
		return "passed"
	case Failed:
		return "failed"
	case Indeterminate:
		return "indeterminate"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Reason says why a check failed or is indeterminate. The comment on each
// gives the ETSI EN 319 102-1 subindication a policy would normally map it
// to; the policy (package gostsig) decides.
type Reason int

const (
	ReasonNone Reason = iota
	// ReasonMalformed: an attribute or structure is not as the standard
	// requires (duplicate contentType, undecodable signingTime, a
	// counter-signature carrying contentType, …). FORMAT_FAILURE.
	ReasonMalformed
	// ReasonMissingAttribute: a mandatory signed attribute (contentType,
	// messageDigest) is absent. FORMAT_FAILURE.
	ReasonMissingAttribute
	// ReasonContentTypeMismatch: the contentType attribute differs from
	// eContentType (RFC 5652 §11.1). FORMAT_FAILURE.
	ReasonContentTypeMismatch
	// ReasonUnsupportedAlgorithm: a digest or signature algorithm that is
	// not GOST (the OID is in Check.OID). CRYPTO_CONSTRAINTS_FAILURE.
	ReasonUnsupportedAlgorithm
	// ReasonAlgorithmMismatch: digest, signature algorithm and key do not
	// belong together (Streebog-512 with a 256-bit key, …).
	// SIG_CRYPTO_FAILURE (the signature cannot be valid as written).
	ReasonAlgorithmMismatch
	// ReasonContentMissing: the detached content (or a hash of it with
	// the right algorithm) was not supplied. SIGNED_DATA_NOT_FOUND.
	ReasonContentMissing
	// ReasonDigestMismatch: messageDigest differs from the content's hash.
	// HASH_FAILURE.
	ReasonDigestMismatch
	// ReasonSignerNotFound: no certificate matches the SignerIdentifier.
	// NO_SIGNING_CERTIFICATE_FOUND.
	ReasonSignerNotFound
	// ReasonSignerKey: the signer certificate's public key cannot be used
	// (not GOST, malformed, parameters not inheritable).
	// NO_SIGNING_CERTIFICATE_FOUND or CRYPTO_CONSTRAINTS_FAILURE.
	ReasonSignerKey
	// ReasonSignatureInvalid: the signature value does not verify.
	// SIG_CRYPTO_FAILURE.
	ReasonSignatureInvalid
	// ReasonSigningCertMismatch: signingCertificate(V2) does not name the
	// signer certificate (hash or issuerSerial differ).
	// NO_SIGNING_CERTIFICATE_FOUND.
	ReasonSigningCertMismatch
	// ReasonAlgorithmProtectionMismatch: CMSAlgorithmProtection names other
	// algorithms than the SignerInfo (RFC 6211 §3). SIG_CRYPTO_FAILURE.
	ReasonAlgorithmProtectionMismatch
	// ReasonImprintMismatch: a time-stamp's messageImprint is not the
	// hash of what it must cover. TIMESTAMP_ORDER_FAILURE / invalid
	// time-stamp.
	ReasonImprintMismatch
	// ReasonTimeStampInvalid: a time-stamp token is malformed or its own
	// signature does not verify (see TimeStamp.Signer for the details).
	ReasonTimeStampInvalid
	// ReasonReferenceMismatch: a CAdES reference names evidence whose hash
	// differs from the value carried.
	ReasonReferenceMismatch
	// ReasonLimitExceeded: the document needs more work than
	// MaxSignatureChecks allows. FORMAT_FAILURE.
	ReasonLimitExceeded
)

var reasonNames = [...]string{
	ReasonNone:                        "",
	ReasonMalformed:                   "malformed",
	ReasonMissingAttribute:            "missing_attribute",
	ReasonContentTypeMismatch:         "content_type_mismatch",
	ReasonUnsupportedAlgorithm:        "unsupported_algorithm",
	ReasonAlgorithmMismatch:           "algorithm_mismatch",
	ReasonContentMissing:              "content_missing",
	ReasonDigestMismatch:              "digest_mismatch",
	ReasonSignerNotFound:              "signer_not_found",
	ReasonSignerKey:                   "signer_key",
	ReasonSignatureInvalid:            "signature_invalid",
	ReasonSigningCertMismatch:         "signing_certificate_mismatch",
	ReasonAlgorithmProtectionMismatch: "algorithm_protection_mismatch",
	ReasonImprintMismatch:             "imprint_mismatch",
	ReasonTimeStampInvalid:            "timestamp_invalid",
	ReasonReferenceMismatch:           "reference_mismatch",
	ReasonLimitExceeded:               "limit_exceeded",
}

func (r Reason) String() string {
	if int(r) >= 0 && int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", int(r))
}

// CheckName names a check. The names match the check names of the
// project's JSON result where one exists (interfaces.md).
type CheckName string

const (
	CheckAlgorithm           CheckName = "algorithm"              // GOST digest and signature algorithms, consistent with each other and the key
	CheckSignerCertificate   CheckName = "signing-certificate"    // the signer's certificate was found
	CheckContentType         CheckName = "content-type"           // contentType present and = eContentType
	CheckMessageDigest       CheckName = "message-digest"         // messageDigest = hash of the content
	CheckSignatureValue      CheckName = "signature-value"        // the signature verifies with the signer's key
	CheckSigningCertRef      CheckName = "signing-certificate-v2" // ESS signingCertificate(V2) names the signer certificate
	CheckAlgorithmProtection CheckName = "algorithm-protection"   // RFC 6211 CMSAlgorithmProtection matches
	CheckSigningTime         CheckName = "signing-time"           // signingTime well-formed (exposed, not judged)
	CheckSignatureTimeStamp  CheckName = "signature-timestamp"    // CAdES-T token: its signature and imprint
	CheckCompleteRefs        CheckName = "complete-references"    // CAdES-C references match the carried values
	CheckCAdESCTimeStamp     CheckName = "cades-c-timestamp"      // escTimeStamp token: its signature and imprint
	// CheckCounterSignatures is reserved for callers that summarise
	// counter-signatures. This package never records it on the parent:
	// each counter-signature is its own SignerResult in
	// SignerResult.CounterSignatures, and a bad counter-signature does not
	// make its parent invalid.
	CheckCounterSignatures CheckName = "counter-signatures"
)

// Check is the outcome of one check on one signer.
type Check struct {
	Name   CheckName
	Status Status
	Reason Reason
	Detail string                // human detail (English), for logs and reports
	OID    asn1.ObjectIdentifier // the offending algorithm for ReasonUnsupportedAlgorithm
}

func (c Check) String() string {
	s := string(c.Name) + ": " + c.Status.String()
	if c.Reason != ReasonNone {
		s += " (" + c.Reason.String() + ")"
	}
	if c.Detail != "" {
		s += ": " + c.Detail
	}
	return s
}

// Level is the CAdES form a signer's attributes reach (RFC 5126 §4.3,
// §4.4). It describes what is present, not what verified.
type Level int

const (
	LevelCMS        Level = iota + 1 // plain CMS: no ESS signing-certificate attribute
	LevelBES                         // CAdES-BES: signingCertificate(V2) present
	LevelT                           // CAdES-T: + signature-time-stamp
	LevelXLongType1                  // CAdES-X Long Type 1: + references, values and CAdES-C time-stamp
)

func (l Level) String() string {
	switch l {
	case LevelCMS:
		return "cms"
	case LevelBES:
		return "cades-bes"
	case LevelT:
		return "cades-t"
	case LevelXLongType1:
		return "cades-x-long-type-1"
	}
	return "unknown"
}

// SignerResult is everything this layer established about one SignerInfo
// (or counter-signature). It holds no policy decision.
type SignerResult struct {
	// ID is "signer-1", "signer-2", …; counter-signatures are
	// "signer-1/counter-1".
	ID   string
	Info *SignerInfo

	// Signer is the certificate that matches the SignerIdentifier, nil
	// when none does (CheckSignerCertificate is then not passed).
	Signer *cert.Certificate
	// SignerFromMessage is set when Signer came from the SignedData
	// certificates (rather than from the caller's certificates).
	SignerFromMessage bool

	// Algorithm is the GOST R 34.10 algorithm of the signature (0 when
	// not GOST); DigestAlgorithm and SignatureAlgorithm as received.
	Algorithm          gost3410.Algorithm
	Style              SignatureStyle
	DigestAlgorithm    asn1.ObjectIdentifier
	SignatureAlgorithm asn1.ObjectIdentifier

	Checks []Check

	// SigningTime is the claimed signingTime attribute (zero when absent).
	SigningTime time.Time
	// SigningCertificate is the parsed ESS signingCertificateV2 (or v1)
	// attribute, nil when absent.
	SigningCertificate *ESSSigningCertificate
	// AlgorithmProtection is the parsed CMSAlgorithmProtection, nil when
	// absent.
	AlgorithmProtection *AlgorithmProtection

	// TimeStamps are the signature-time-stamp tokens (CAdES-T), in order.
	TimeStamps []*TimeStamp
	// LongTerm holds the CAdES-X Long Type 1 evidence, nil when none of
	// its attributes is present.
	LongTerm *LongTermEvidence

	CounterSignatures []*SignerResult
	Level             Level
}

// Check returns the check named n (zero Check with NotApplicable if it
// was not recorded).
func (r *SignerResult) Check(n CheckName) Check {
	for _, c := range r.Checks {
		if c.Name == n {
			return c
		}
	}
	return Check{Name: n}
}

// Valid reports whether every check is Passed or NotApplicable and the
// signer certificate was found: the cryptographic part of the signature
// holds. It says nothing about the chain, revocation or time.
func (r *SignerResult) Valid() bool {
	if r.Signer == nil {
		return false
	}
	for _, c := range r.Checks {
		if c.Status == Failed || c.Status == Indeterminate {
			return false
		}
	}
	return true
}

// FirstProblem returns the first check that is Failed, else the first
// Indeterminate one, else nil.
func (r *SignerResult) FirstProblem() *Check {
	for i := range r.Checks {
		if r.Checks[i].Status == Failed {
			return &r.Checks[i]
		}
	}
	for i := range r.Checks {
		if r.Checks[i].Status == Indeterminate {
			return &r.Checks[i]
		}
	}
	return nil
}

func (r *SignerResult) add(c Check) { r.Checks = append(r.Checks, c) }

// Result is the outcome of verifying every SignerInfo of a SignedData.
type Result struct {
	SignedData *SignedData
	Signers    []*SignerResult

	// Certificates is every certificate found: the SignedData
	// certificates, the CAdES certificate-values, the time-stamp tokens'
	// certificates, then the caller's, without duplicates. The chain
	// builder takes its intermediates from here.
	Certificates []*cert.Certificate
	// CRLs are the DER X.509 CRLs found (SignedData crls field and CAdES
	// revocation-values); OCSPResponses the DER BasicOCSPResponses (the
	// crls field's id-ri-ocsp-response entries, RFC 5940, and
	// revocation-values ocspVals). They are evidence for crl/chain,
	// unverified here.
	CRLs          [][]byte
	OCSPResponses [][]byte
}
