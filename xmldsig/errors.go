package xmldsig

import (
	"errors"
	"fmt"
)

// The causes a caller decides on. Each Check with a status other than
// passed carries one of them (possibly wrapped) in Err; the layer above maps
// them to ETSI indications (validation-policy.md): ErrFormat →
// FORMAT_FAILURE, *UnsupportedAlgorithmError → CRYPTO_CONSTRAINTS_FAILURE,
// ErrReferenceNotFound, ErrAttachmentNotSupplied and ErrXOPPartMissing →
// SIGNED_DATA_NOT_FOUND, ErrDigestMismatch → HASH_FAILURE, ErrNoCertificate →
// NO_SIGNING_CERTIFICATE_FOUND, ErrSignatureInvalid → SIG_CRYPTO_FAILURE.
var (
	// ErrFormat: the document or a signature in it is malformed or
	// ambiguous. Every *FormatError matches it.
	ErrFormat = errors.New("xmldsig: malformed document")
	// ErrDuplicateID: a Reference names an id that more than one element
	// carries, the shape of a signature-wrapping attack. Reported wrapped in
	// a *FormatError.
	ErrDuplicateID = errors.New("xmldsig: duplicate id")
	// ErrExternalReference: a Reference points outside the document.
	// Reported wrapped in a *FormatError: this verifier never fetches.
	ErrExternalReference = errors.New("xmldsig: reference outside the document")
	// ErrReferenceNotFound: no element carries the referenced id.
	ErrReferenceNotFound = errors.New("xmldsig: referenced element not found")
	// ErrDigestMismatch: the digest of the referenced data differs from
	// DigestValue (or an attachment differs from its Hash).
	ErrDigestMismatch = errors.New("xmldsig: digest mismatch")
	// ErrSignatureInvalid: SignatureValue does not verify over the canonical
	// SignedInfo with the signer's key.
	ErrSignatureInvalid = errors.New("xmldsig: signature value does not verify")
	// ErrNoCertificate: the signature carries no usable signer certificate
	// (KeyInfo/X509Data/X509Certificate or a WS-Security token reference).
	ErrNoCertificate = errors.New("xmldsig: signer certificate not found")
	// ErrXOPPartMissing: the signed data contains an xop:Include whose MIME
	// part was not supplied, so its digest cannot be computed.
	ErrXOPPartMissing = errors.New("xmldsig: XOP part missing")
	// ErrAttachmentNotSupplied: a SMEV attachment's bytes were not
	// supplied, so its hash and signature cannot be checked.
	ErrAttachmentNotSupplied = errors.New("xmldsig: attachment not supplied")
)

// FormatError reports a malformed or ambiguous document or signature.
type FormatError struct {
	Msg string
	Err error // the underlying cause, if any
}

func (e *FormatError) Error() string {
	if e.Err != nil {
		return "xmldsig: " + e.Msg + ": " + e.Err.Error()
	}
	return "xmldsig: " + e.Msg
}

func (e *FormatError) Unwrap() error { return e.Err }

func (e *FormatError) Is(target error) bool { return target == ErrFormat }

func formatErr(err error, format string, args ...any) *FormatError {
	return &FormatError{Msg: fmt.Sprintf(format, args...), Err: err}
}

// ErrUnsupportedAlgorithm is matched by every *UnsupportedAlgorithmError.
var ErrUnsupportedAlgorithm = errors.New("xmldsig: unsupported algorithm")

// UnsupportedAlgorithmError names an algorithm URI this verifier does not
// implement: anything but the GOST signature and digest methods, the
// canonicalization methods, enveloped-signature and the SMEV transform.
type UnsupportedAlgorithmError struct {
	What string // "signature method", "digest method", "canonicalization method" or "transform"
	URI  string
}

func (e *UnsupportedAlgorithmError) Error() string {
	return fmt.Sprintf("xmldsig: unsupported %s %q", e.What, e.URI)
}

func (e *UnsupportedAlgorithmError) Is(target error) bool { return target == ErrUnsupportedAlgorithm }
