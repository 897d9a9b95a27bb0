package chain

import (
	"errors"
	"fmt"

	"gostsig.dev/cert"
)

// InvalidReason says why a certificate cannot be part of a path. The policy
// maps every reason to CHAIN_CONSTRAINTS_FAILURE (validation-policy.md).
type InvalidReason int

const (
	// NotAuthorizedToSign: an issuer is not a CA (basicConstraints absent
	// or cA FALSE on a v3 certificate, RFC 5280 §4.2.1.9, §6.1.4 (k)).
	NotAuthorizedToSign InvalidReason = iota + 1
	// MissingKeyCertSign: an issuer's keyUsage lacks keyCertSign
	// (RFC 5280 §4.2.1.3, §6.1.4 (n)).
	MissingKeyCertSign
	// TooManyIntermediates: a CA's pathLenConstraint is exceeded
	// (RFC 5280 §6.1.4 (l), (m)).
	TooManyIntermediates
	// BadSignature: a certificate's signature does not verify with the
	// key of the issuer its name and key identifier point to.
	BadSignature
	// UnsupportedAlgorithm: a certificate of the path is signed with, or
	// an issuer holds, a key this verifier does not check (not GOST).
	UnsupportedAlgorithm
	// IssuerKeyUnavailable: the issuer's public key could not be decoded
	// (malformed, or parameters absent with nothing to inherit them from).
	IssuerKeyUnavailable
	// UnhandledCriticalExtension: the leaf or an intermediate carries a
	// critical extension this verifier does not process (name or policy
	// constraints, an unknown private extension): RFC 5280 §4.2 says such
	// a certificate MUST be rejected (§6.1.4 (o), §6.1.5 (f)). Trust
	// anchors are trusted by configuration and exempt (§6.1.1 (d)).
	UnhandledCriticalExtension
)

var reasonText = map[InvalidReason]string{
	NotAuthorizedToSign:        "issuer is not a CA",
	MissingKeyCertSign:         "issuer keyUsage lacks keyCertSign",
	TooManyIntermediates:       "path length constraint exceeded",
	BadSignature:               "certificate signature does not verify",
	UnsupportedAlgorithm:       "unsupported signature algorithm",
	IssuerKeyUnavailable:       "issuer public key unavailable",
	UnhandledCriticalExtension: "unrecognised critical extension",
}

func (r InvalidReason) String() string {
	if s, ok := reasonText[r]; ok {
		return s
	}
	return fmt.Sprintf("InvalidReason(%d)", int(r))
}

// InvalidError reports that a path to a trust anchor exists by names and
// key identifiers but a certificate in it breaks a constraint or its
// signature fails. Cert is the certificate at fault (the issuer for the CA,
// key-usage and path-length reasons; the subject for BadSignature).
type InvalidError struct {
	Cert   *cert.Certificate
	Reason InvalidReason
	Detail string
	Err    error // underlying error, if any (e.g. from cert.VerifySignature)
}

func (e *InvalidError) Error() string {
	s := "chain: certificate " + e.Cert.String() + " is not valid in the path: " + e.Reason.String()
	switch {
	case e.Detail != "":
		s += " (" + e.Detail + ")"
	case e.Err != nil:
		s += " (" + e.Err.Error() + ")"
	}
	return s
}

func (e *InvalidError) Unwrap() error { return e.Err }

// UnknownAuthorityError reports that no path from Cert to a trust anchor
// was found: no issuer certificate is known for some certificate of every
// path tried. Hint, if not nil, is the first reason a candidate issuer was
// rejected (for example a name match whose key identifier or signature did
// not fit).
type UnknownAuthorityError struct {
	Cert *cert.Certificate
	// Missing is the certificate whose issuer could not be found on the
	// longest path tried.
	Missing *cert.Certificate
	Hint    error
}

func (e *UnknownAuthorityError) Error() string {
	s := "chain: no path from " + e.Cert.String() + " to a trusted root"
	if e.Missing != nil && e.Missing != e.Cert {
		s += "; issuer of " + e.Missing.String() + " (" + e.Missing.Issuer.String() + ") not found"
	} else if e.Missing != nil {
		s += "; issuer " + e.Missing.Issuer.String() + " not found"
	}
	if e.Hint != nil {
		s += "; " + e.Hint.Error()
	}
	return s
}

func (e *UnknownAuthorityError) Unwrap() error { return e.Hint }

// ErrSignatureCheckLimit is returned when path building stops after
// maxChainSignatureChecks signature verifications without finding a path.
var ErrSignatureCheckLimit = errors.New("chain: signature check limit reached while building paths")

// ErrNoTime is returned when Build is called without a time.
var ErrNoTime = errors.New("chain: no time given for choosing among candidate paths")
