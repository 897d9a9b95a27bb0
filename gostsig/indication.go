package gostsig

import (
	"fmt"
)

// Indication is the main ETSI EN 319 102-1 verdict of a signature or of a
// whole document (validation-policy.md, "Vocabulary"). Its text form (JSON,
// String) is the ETSI name: TOTAL_PASSED, TOTAL_FAILED, INDETERMINATE.
//
// The zero value is not a valid indication; a Result always carries one.
type Indication uint8

const (
	TotalPassed   Indication = iota + 1 // TOTAL_PASSED
	TotalFailed                         // TOTAL_FAILED
	Indeterminate                       // INDETERMINATE
)

var indicationNames = [...]string{
	TotalPassed:   "TOTAL_PASSED",
	TotalFailed:   "TOTAL_FAILED",
	Indeterminate: "INDETERMINATE",
}

func (i Indication) String() string {
	if int(i) < len(indicationNames) && indicationNames[i] != "" {
		return indicationNames[i]
	}
	return fmt.Sprintf("Indication(%d)", uint8(i))
}

// MarshalText implements encoding.TextMarshaler with the ETSI name.
func (i Indication) MarshalText() ([]byte, error) {
	if int(i) < len(indicationNames) && indicationNames[i] != "" {
		return []byte(indicationNames[i]), nil
	}
	return nil, fmt.Errorf("gostsig: invalid indication %d", uint8(i))
}

// UnmarshalText implements encoding.TextUnmarshaler for the ETSI name.
func (i *Indication) UnmarshalText(b []byte) error {
	for v, name := range indicationNames {
		if name != "" && name == string(b) {
			*i = Indication(v)
			return nil
		}
	}
	return fmt.Errorf("gostsig: unknown indication %q", b)
}

// SubIndication refines an Indication that is not TOTAL_PASSED. The names
// are those of ETSI EN 319 102-1 §5.1.3 as EU DSS spells them
// (urn:etsi:019102:subindication:*). The zero value NoSubIndication is what
// a passed signature carries; it is omitted from JSON.
type SubIndication uint8

const (
	NoSubIndication                SubIndication = iota //
	FormatFailure                                       // FORMAT_FAILURE
	HashFailure                                         // HASH_FAILURE
	SigCryptoFailure                                    // SIG_CRYPTO_FAILURE
	Revoked                                             // REVOKED
	SigConstraintsFailure                               // SIG_CONSTRAINTS_FAILURE
	ChainConstraintsFailure                             // CHAIN_CONSTRAINTS_FAILURE
	CertificateChainGeneralFailure                      // CERTIFICATE_CHAIN_GENERAL_FAILURE
	CryptoConstraintsFailure                            // CRYPTO_CONSTRAINTS_FAILURE
	Expired                                             // EXPIRED
	NotYetValid                                         // NOT_YET_VALID
	PolicyProcessingError                               // POLICY_PROCESSING_ERROR
	SignaturePolicyNotAvailable                         // SIGNATURE_POLICY_NOT_AVAILABLE
	TimestampOrderFailure                               // TIMESTAMP_ORDER_FAILURE
	NoSigningCertificateFound                           // NO_SIGNING_CERTIFICATE_FOUND
	NoCertificateChainFound                             // NO_CERTIFICATE_CHAIN_FOUND
	RevokedNoPOE                                        // REVOKED_NO_POE
	RevokedCANoPOE                                      // REVOKED_CA_NO_POE
	OutOfBoundsNoPOE                                    // OUT_OF_BOUNDS_NO_POE
	OutOfBoundsNotRevoked                               // OUT_OF_BOUNDS_NOT_REVOKED
	CryptoConstraintsFailureNoPOE                       // CRYPTO_CONSTRAINTS_FAILURE_NO_POE
	NoPOE                                               // NO_POE
	TryLater                                            // TRY_LATER
	SignedDataNotFound                                  // SIGNED_DATA_NOT_FOUND
	numSubIndications
)

var subIndicationNames = [numSubIndications]string{
	FormatFailure:                  "FORMAT_FAILURE",
	HashFailure:                    "HASH_FAILURE",
	SigCryptoFailure:               "SIG_CRYPTO_FAILURE",
	Revoked:                        "REVOKED",
	SigConstraintsFailure:          "SIG_CONSTRAINTS_FAILURE",
	ChainConstraintsFailure:        "CHAIN_CONSTRAINTS_FAILURE",
	CertificateChainGeneralFailure: "CERTIFICATE_CHAIN_GENERAL_FAILURE",
	CryptoConstraintsFailure:       "CRYPTO_CONSTRAINTS_FAILURE",
	Expired:                        "EXPIRED",
	NotYetValid:                    "NOT_YET_VALID",
	PolicyProcessingError:          "POLICY_PROCESSING_ERROR",
	SignaturePolicyNotAvailable:    "SIGNATURE_POLICY_NOT_AVAILABLE",
	TimestampOrderFailure:          "TIMESTAMP_ORDER_FAILURE",
	NoSigningCertificateFound:      "NO_SIGNING_CERTIFICATE_FOUND",
	NoCertificateChainFound:        "NO_CERTIFICATE_CHAIN_FOUND",
	RevokedNoPOE:                   "REVOKED_NO_POE",
	RevokedCANoPOE:                 "REVOKED_CA_NO_POE",
	OutOfBoundsNoPOE:               "OUT_OF_BOUNDS_NO_POE",
	OutOfBoundsNotRevoked:          "OUT_OF_BOUNDS_NOT_REVOKED",
	CryptoConstraintsFailureNoPOE:  "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
	NoPOE:                          "NO_POE",
	TryLater:                       "TRY_LATER",
	SignedDataNotFound:             "SIGNED_DATA_NOT_FOUND",
}

func (s SubIndication) String() string {
	if s < numSubIndications {
		return subIndicationNames[s]
	}
	return fmt.Sprintf("SubIndication(%d)", uint8(s))
}

// MarshalText implements encoding.TextMarshaler with the ETSI name
// (empty for NoSubIndication, which JSON omits).
func (s SubIndication) MarshalText() ([]byte, error) {
	if s < numSubIndications {
		return []byte(subIndicationNames[s]), nil
	}
	return nil, fmt.Errorf("gostsig: invalid subindication %d", uint8(s))
}

// UnmarshalText implements encoding.TextUnmarshaler for the ETSI name.
func (s *SubIndication) UnmarshalText(b []byte) error {
	for v, name := range subIndicationNames {
		if name == string(b) {
			*s = SubIndication(v)
			return nil
		}
	}
	return fmt.Errorf("gostsig: unknown subindication %q", b)
}

// Status is the outcome of one individual check (Check.Status):
// passed, failed, indeterminate (the check could not decide, e.g. no CRL)
// or skipped (not run: not applicable, an earlier check already decided,
// or the policy ignores it). A skipped check is never reported as passed.
type Status uint8

const (
	StatusPassed        Status = iota + 1 // passed
	StatusFailed                          // failed
	StatusIndeterminate                   // indeterminate
	StatusSkipped                         // skipped
)

var statusNames = [...]string{
	StatusPassed:        "passed",
	StatusFailed:        "failed",
	StatusIndeterminate: "indeterminate",
	StatusSkipped:       "skipped",
}

func (s Status) String() string {
	if int(s) < len(statusNames) && statusNames[s] != "" {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s Status) MarshalText() ([]byte, error) {
	if int(s) < len(statusNames) && statusNames[s] != "" {
		return []byte(statusNames[s]), nil
	}
	return nil, fmt.Errorf("gostsig: invalid check status %d", uint8(s))
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Status) UnmarshalText(b []byte) error {
	for v, name := range statusNames {
		if name != "" && name == string(b) {
			*s = Status(v)
			return nil
		}
	}
	return fmt.Errorf("gostsig: unknown check status %q", b)
}

// RevocationStatus is the status of one certificate at the best signature
// time as the revocation evidence (CRL or OCSP) tells it.
type RevocationStatus uint8

const (
	RevocationGood    RevocationStatus = iota + 1 // good
	RevocationRevoked                             // revoked
	RevocationUnknown                             // unknown
)

var revocationNames = [...]string{
	RevocationGood:    "good",
	RevocationRevoked: "revoked",
	RevocationUnknown: "unknown",
}

func (s RevocationStatus) String() string {
	if int(s) < len(revocationNames) && revocationNames[s] != "" {
		return revocationNames[s]
	}
	return fmt.Sprintf("RevocationStatus(%d)", uint8(s))
}

// MarshalText implements encoding.TextMarshaler.
func (s RevocationStatus) MarshalText() ([]byte, error) {
	if int(s) < len(revocationNames) && revocationNames[s] != "" {
		return []byte(revocationNames[s]), nil
	}
	return nil, fmt.Errorf("gostsig: invalid revocation status %d", uint8(s))
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *RevocationStatus) UnmarshalText(b []byte) error {
	for v, name := range revocationNames {
		if name != "" && name == string(b) {
			*s = RevocationStatus(v)
			return nil
		}
	}
	return fmt.Errorf("gostsig: unknown revocation status %q", b)
}
