package gostsig

import (
	"encoding/asn1"
	"time"

	"gostsig.dev/cert"
)

// The facts model: what the format, chain and revocation layers established
// about one signature, with no judgement. The adapters (cms, xmldsig) fill
// it; the policy engine (decide.go) turns it into a Signature. Keeping the
// two apart lets the decision table be tested row by row on hand-made facts.

// algFamily classifies a signature algorithm for the policy.
type algFamily uint8

const (
	algUnknown algFamily = iota // not GOST (RSA, ECDSA, …) or unrecognised
	algGOST2001
	algGOST2012_256
	algGOST2012_512
)

func (a algFamily) policyName() string {
	switch a {
	case algGOST2001:
		return AlgGOST2001
	case algGOST2012_256:
		return AlgGOST2012256
	case algGOST2012_512:
		return AlgGOST2012512
	}
	return ""
}

// digestFact is one digest comparison: the CMS messageDigest, one XMLDSig
// Reference, or one SMEV attachment.
type digestFact struct {
	check    string // CheckMessageDigest, CheckReferenceDigest, CheckAttachmentDigest
	target   string // "content", a Reference URI, an attachment id
	ok       bool
	fallback bool   // matched only with the SMEV JDK escaping (smev-xmldsig.md §5.3)
	detail   string // why it failed, or the digests compared (Russian)
	cause    string // the format layer's technical text (English), for Check.Cause
	// reason, when set, is the verdict's reason for a failure in place
	// of the check's default (a presented document that is not the one
	// signed, while the signature's own content is intact).
	reason string
}

// tsFact is a signature time-stamp token (CAdES-T).
type tsFact struct {
	// valid: token signature and imprint, the TSA certificate (EKU,
	// validity at genTime), its path and its path's revocation status at
	// genTime all verified (POLICY.md "Best signature time").
	valid   bool
	detail  string    // why it is not valid (Russian)
	cause   string    // the technical cause (English), for Timestamp.Cause
	genTime time.Time // as written in TSTInfo (meaningful only if parsed)
	tsa     *cert.Certificate

	// revocation is the status of each certificate of the TSA's path
	// below the anchor at genTime, in path order, as Timestamp.Revocation
	// reports it (nil when not checked), asked by tsaFacts before BST is
	// chosen.
	revocation []Revocation
	// tryLater marks a time-stamp that is not valid only because no CRL
	// or OCSP response speaks for its TSA path at genTime (or its TSA is
	// on hold since), under a revocation_freshness rule at fail: newer
	// evidence may make it valid. valid is false, so BST does not rest on
	// it; the evaluator decides INDETERMINATE/TRY_LATER ahead of rows
	// 10–15 (rowTimestampPending) rather than let them answer *_NO_POE,
	// row 17 records the time-stamp's check indeterminate, and
	// Timestamp.Status is indeterminate.
	tryLater bool
}

// chainStatus classifies the path-building outcome.
type chainStatus uint8

const (
	chainNotBuilt    chainStatus = iota // no path building was done (format failure, no signer)
	chainOK                             // a path to a trust anchor was built
	chainNotFound                       // no path to a trust anchor
	chainConstraints                    // a path exists but a signature or a constraint fails
	chainGeneral                        // path building failed for another reason
	chainNotChecked                     // the policy ignores the chain
)

// revFact is the revocation status of one certificate of the path at BST.
type revFact struct {
	cert      *cert.Certificate
	status    RevocationStatus
	revokedAt time.Time
	entry     Revocation // the evidence, for the Result
}

// sigFacts is everything known about one signature.
type sigFacts struct {
	id      string
	profile Profile

	// Row 1: this signature's structure is broken (a document that does
	// not parse at all never gets this far).
	formatErr   string
	formatCause string // the technical cause (English), for Check.Cause

	// Row 2: algorithms. sigAlgOID / digestAlgOID as written.
	sigAlgOID    asn1.ObjectIdentifier
	digestAlgOID asn1.ObjectIdentifier
	alg          algFamily
	// badAlgOID names the first non-GOST algorithm, when there is one.
	badAlgOID string

	// Row 3: the signed data (detached content, a Reference target) is
	// absent; the text says which.
	signedDataMissing string
	signedDataCause   string
	// signedDataReason, when set, is the verdict's reason in place of
	// the default (a content hash in the wrong algorithm, a missing MTOM
	// part).
	signedDataReason string

	// Row 4: digest comparisons. noSignedAttrs marks a CMS SignerInfo
	// without signed attributes, whose content change shows in row 6.
	digests       []digestFact
	noSignedAttrs bool

	// Row 5: the signer certificate; signerMissing says why it is absent
	// (not in the signature, a signingCertificateV2 that matches none).
	signer        *cert.Certificate
	signerMissing string
	signerCause   string
	// signingCertRef is the signingCertificate(V2) outcome: 0 absent,
	// 1 matches, -1 mismatch (then signer is nil and signerMissing says so).
	signingCertRef int

	// Row 6: the signature value.
	sigValueOK     bool
	sigValueDetail string
	sigValueCause  string

	// Rows 7–8: the path, signer first, anchor last (partial when not
	// found), and its status.
	chain       []*cert.Certificate
	chainStatus chainStatus
	chainDetail string
	chainCause  string

	// Rows 10–12, 16: one entry per certificate of the path below the
	// anchor, in path order; nil when revocation was not checked (then
	// revocationSkipped says why).
	revocation        []revFact
	revocationSkipped string
	// revocationNotes is evidence set aside (a carried CRL that does not
	// parse), said in the one revocation check (Russian), with the
	// technical causes for its Cause.
	revocationNotes []setAside

	// Rows 17 and BST: the signature time-stamp, nil when absent.
	ts *tsFact
	// tsLater are the signature's other time-stamps whose own CMS
	// signature verified, in genTime order after ts: tsaFacts takes the first whose TSA stands when ts's does not.
	tsLater []tsFact
	// claimed is the signingTime attribute (or SMEV message time).
	claimed time.Time

	// Qualification facts beyond the certificate itself.
	anchorIsGUC bool
	// accreditation: "" not checked (no TSL), else the outcome text;
	// accredited tells whether it passed.
	accreditationChecked bool
	accredited           bool
	accreditationDetail  string

	// extra checks recorded as they are (SMEV escaping fallback, …).
	extraChecks []Check

	diag *Diagnostic
}
