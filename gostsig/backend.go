package gostsig

import (
	"context"
	"errors"
	"time"
)

// backend ties the format packages (cms, xmldsig) and the trust packages
// (chain, crl) to the policy engine: it turns a document into sigFacts.
type backend struct{}

// ErrNotImplemented is returned while a format adapter is not yet wired to
// its package. It is never a verdict.
var ErrNotImplemented = errors.New("gostsig: this format is not supported by this build yet")

func (v *Verifier) initBackend() error { return nil }

func (backend) verifyCMS(ctx context.Context, v *Verifier, in *Input, d detected, vt time.Time, res *Result) error {
	return ErrNotImplemented
}

func (backend) verifyXML(ctx context.Context, v *Verifier, in *Input, d detected, vt time.Time, res *Result) error {
	return ErrNotImplemented
}
