package crl

import (
	"errors"
	"fmt"
)

// Kind classifies why a CRL or an OCSP response was rejected.
type Kind int

const (
	_ Kind = iota
	// KindMalformed: not a well-formed CRL/OCSP structure (including
	// truncated input and trailing data).
	KindMalformed
	// KindTooLarge: over a size or count limit.
	KindTooLarge
	// KindUnsupportedAlgorithm: a signature algorithm other than GOST R
	// 34.10-2012/2001, or parameters that are neither absent nor NULL.
	KindUnsupportedAlgorithm
	// KindUnhandledCriticalExtension: a critical extension this package
	// cannot process (RFC 5280 §5.2, §5.3: the CRL must then not be used),
	// or a feature it refuses (indirect CRLs).
	KindUnhandledCriticalExtension
	// KindIssuerMismatch: the CRL or response is not from the given issuer:
	// names differ, or the key identifier does not match the issuer's key.
	KindIssuerMismatch
	// KindBadSignature: the GOST signature does not verify with the issuer's
	// (or responder's) key.
	KindBadSignature
	// KindNotYetValid: thisUpdate (or producedAt) is in the future beyond
	// the allowed clock skew.
	KindNotYetValid
	// KindExpired: nextUpdate has passed.
	KindExpired
	// KindRollback: older than what is already cached (lower CRL number or
	// earlier thisUpdate); a replayed old CRL is refused.
	KindRollback
	// KindUnauthorizedResponder: the OCSP responder is neither the CA nor a
	// responder the CA delegated with id-kp-OCSPSigning.
	KindUnauthorizedResponder
	// KindNonceMismatch: the OCSP response does not echo the nonce we sent.
	KindNonceMismatch
	// KindResponderStatus: the OCSP responseStatus is not successful.
	KindResponderStatus
	// KindFetch: the HTTP fetch failed (network, status, timeout, truncated body).
	KindFetch
)

var kindNames = [...]string{
	KindMalformed:                  "malformed",
	KindTooLarge:                   "too large",
	KindUnsupportedAlgorithm:       "unsupported algorithm",
	KindUnhandledCriticalExtension: "unhandled critical extension",
	KindIssuerMismatch:             "issuer mismatch",
	KindBadSignature:               "bad signature",
	KindNotYetValid:                "not yet valid",
	KindExpired:                    "expired",
	KindRollback:                   "rollback",
	KindUnauthorizedResponder:      "unauthorized responder",
	KindNonceMismatch:              "nonce mismatch",
	KindResponderStatus:            "responder status",
	KindFetch:                      "fetch failed",
}

func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Error is the error of every rejection in this package. Its Kind says why;
// errors.Is(err, ErrMalformed) and the other sentinels match by Kind.
type Error struct {
	Kind Kind
	// Msg is the complete lowercase message, "crl: malformed crlEntry".
	Msg string
	Err error // underlying cause, if any
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Msg + ": " + e.Err.Error()
	}
	return e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Is matches the sentinel of the same Kind.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Msg == "" && t.Kind == e.Kind
}

// Sentinels for errors.Is; they match any *Error of their Kind.
var (
	ErrMalformed                  = &Error{Kind: KindMalformed}
	ErrTooLarge                   = &Error{Kind: KindTooLarge}
	ErrUnsupportedAlgorithm       = &Error{Kind: KindUnsupportedAlgorithm}
	ErrUnhandledCriticalExtension = &Error{Kind: KindUnhandledCriticalExtension}
	ErrIssuerMismatch             = &Error{Kind: KindIssuerMismatch}
	ErrBadSignature               = &Error{Kind: KindBadSignature}
	ErrNotYetValid                = &Error{Kind: KindNotYetValid}
	ErrExpired                    = &Error{Kind: KindExpired}
	ErrRollback                   = &Error{Kind: KindRollback}
	ErrUnauthorizedResponder      = &Error{Kind: KindUnauthorizedResponder}
	ErrNonceMismatch              = &Error{Kind: KindNonceMismatch}
	ErrResponderStatus            = &Error{Kind: KindResponderStatus}
	ErrFetch                      = &Error{Kind: KindFetch}
)

// KindOf returns the Kind of err, or 0 when err is not from this package.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

func errorf(k Kind, format string, args ...any) *Error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

func wrapf(k Kind, err error, format string, args ...any) *Error {
	return &Error{Kind: k, Msg: fmt.Sprintf(format, args...), Err: err}
}

func malformed(what string) *Error {
	return &Error{Kind: KindMalformed, Msg: "crl: malformed " + what}
}
