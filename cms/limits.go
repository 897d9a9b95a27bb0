package cms

import (
	"encoding/asn1"
	"errors"
	"fmt"
)

// Limits. An input over one is a *ParseError wrapping ErrLimit, never a
// truncation. They bound the work and memory of one Parse/Verify call on
// hostile input while leaving room for every real signature seen.
const (
	// MaxInputSize is the largest signature file (DER, BER, PEM or
	// base64) accepted. Attached documents larger than this should be
	// signed detached and verified from a stream (content size is then
	// unbounded and never held in memory).
	MaxInputSize = 256 << 20

	// MaxSignerInfos is the most SignerInfos of one SignedData (parallel
	// signatures and co-signatures).
	MaxSignerInfos = 64

	// MaxCounterSignatureDepth is the deepest nesting of
	// counter-signatures (a counter-signature of a counter-signature is
	// depth 2). MaxCounterSignatures bounds their total per SignedData.
	MaxCounterSignatureDepth = 8
	MaxCounterSignatures     = 64

	// MaxCertificates and MaxCRLs bound the certificates and crls fields
	// of one SignedData and the CAdES certificate-values /
	// revocation-values of one signer.
	MaxCertificates = 256
	MaxCRLs         = 256

	// MaxAttributes bounds the signed and the unsigned attributes of one
	// SignerInfo; MaxAttributeValues the values of one attribute.
	MaxAttributes      = 64
	MaxAttributeValues = 16

	// MaxTimeStamps bounds the signature and CAdES-C time-stamp tokens
	// verified per signer (each costs a signature verification).
	MaxTimeStamps = 8

	// MaxSignatureChecks bounds the GOST signature verifications of one
	// Verify call (signers, counter-signatures and time-stamp tokens
	// together); the rest are Indeterminate with ReasonLimitExceeded. Real
	// documents need a handful; the bound keeps a small hostile input from
	// costing thousands of verifications.
	MaxSignatureChecks = 256

	// maxTokenDepth: a time-stamp token is itself a SignedData; tokens
	// inside tokens are parsed but their own unsigned attributes are not
	// followed further than this.
	maxTokenDepth = 2

	// maxRefs bounds CAdES complete-certificate-references and
	// complete-revocation-references entries.
	maxRefs = 1024
)

// ErrLimit is wrapped by the errors for inputs over a limit.
var ErrLimit = errors.New("limit exceeded")

// ErrNotSignedData is wrapped when the input is a ContentInfo of another
// content type (EnvelopedData, DigestedData, …).
var ErrNotSignedData = errors.New("not a SignedData")

// ParseError is the error of Parse: the input is not a well-formed
// SignedData. Path names the element ("signerInfos[1].signedAttrs").
type ParseError struct {
	Path string
	Msg  string
	Err  error // ErrLimit, ErrNotSignedData, a ber error, or nil
	// ContentType is the ContentInfo's content type when Err is
	// ErrNotSignedData (DigestedData, EnvelopedData, …), so that callers
	// can say what the input is.
	ContentType asn1.ObjectIdentifier
}

func (e *ParseError) Error() string {
	s := "cms: " + e.Msg
	if e.Path != "" {
		s += " (" + e.Path + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *ParseError) Unwrap() error { return e.Err }

func malformed(path, what string) error {
	return &ParseError{Path: path, Msg: "malformed " + what}
}

func overLimit(path, what string, max int) error {
	return &ParseError{Path: path, Msg: fmt.Sprintf("more than %d %s", max, what), Err: ErrLimit}
}
