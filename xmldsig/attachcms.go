package xmldsig

import (
	"errors"
	"fmt"
	"strings"

	"gostsig.dev/cms"
)

// ErrAttachmentSignature: the detached CMS signature of a SMEV attachment
// does not verify (its cms.Result says which check and why).
var ErrAttachmentSignature = errors.New("xmldsig: attachment CMS signature does not verify")

// verifyAttachmentCMS checks a SMEV SignaturePKCS7 (detached CMS) over the
// attachment with the cms package and turns its result into one check;
// the full cms.Result is kept on the Attachment for the layer above (chain,
// revocation and time decisions are its own).
func verifyAttachmentCMS(a *Attachment) Check {
	res, err := cms.Verify(a.SignaturePKCS7, &cms.VerifyOptions{Content: a.Content, ParseCertificate: parseCertificate})
	if err != nil {
		err := formatErr(err, "SignaturePKCS7 of %q", a.ID)
		return Check{Name: CheckAttachmentCMS, Status: StatusFailed, Detail: err.Error(), Err: err}
	}
	a.CMS = res
	if len(res.Signers) == 0 {
		err := formatErr(nil, "SignaturePKCS7 of %q has no signer", a.ID)
		return Check{Name: CheckAttachmentCMS, Status: StatusFailed, Detail: err.Error(), Err: err}
	}
	var ok []string
	for _, s := range res.Signers {
		if s.Valid() {
			ok = append(ok, s.ID)
			continue
		}
		p := s.FirstProblem()
		if p == nil { // no problem check but no signer certificate either
			err := fmt.Errorf("%w: %s: signer certificate not found", ErrNoCertificate, s.ID)
			return Check{Name: CheckAttachmentCMS, Status: StatusIndeterminate, Detail: err.Error(), Err: err}
		}
		var cause error
		switch p.Reason {
		case cms.ReasonDigestMismatch:
			cause = ErrDigestMismatch
		case cms.ReasonContentMissing:
			cause = ErrAttachmentNotSupplied
		case cms.ReasonSignerNotFound, cms.ReasonSignerKey:
			cause = ErrNoCertificate
		case cms.ReasonUnsupportedAlgorithm:
			cause = &UnsupportedAlgorithmError{What: "CMS algorithm", URI: "urn:oid:" + p.OID.String()}
		case cms.ReasonMalformed, cms.ReasonMissingAttribute, cms.ReasonContentTypeMismatch:
			cause = ErrFormat
		default:
			cause = ErrAttachmentSignature
		}
		st := StatusFailed
		if p.Status == cms.Indeterminate {
			st = StatusIndeterminate
		}
		err := fmt.Errorf("%w: attachment %q, CMS %s: %s", cause, a.ID, s.ID, p)
		return Check{Name: CheckAttachmentCMS, Status: st, Detail: err.Error(), Err: err}
	}
	return Check{Name: CheckAttachmentCMS, Status: StatusPassed,
		Detail: fmt.Sprintf("detached CMS signature verifies over attachment %q (%d bytes): %s", a.ID, len(a.Content), strings.Join(ok, ", "))}
}
