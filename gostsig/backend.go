package gostsig

import (
	"context"
	"errors"
	"time"
)

// ErrNotImplemented is returned while a format adapter is not yet wired to
// its package. It is never a verdict.
var ErrNotImplemented = errors.New("gostsig: this format is not supported by this build yet")

func (v *Verifier) initBackend() error { return nil }

func (v *Verifier) verifyXML(ctx context.Context, in *Input, d detected, vt time.Time, res *Result) error {
	return ErrNotImplemented
}
