package xmldsig

import (
	"gostsig.dev/cert"
	"gostsig.dev/cms"
)

// Status is the outcome of one check.
type Status uint8

const (
	StatusPassed        Status = iota + 1 // the check was made and holds
	StatusFailed                          // the check was made and does not hold
	StatusIndeterminate                   // the check could not be made (data missing, unsupported algorithm)
	StatusSkipped                         // the check was not performed; Detail says why
)

func (s Status) String() string {
	switch s {
	case StatusPassed:
		return "passed"
	case StatusFailed:
		return "failed"
	case StatusIndeterminate:
		return "indeterminate"
	case StatusSkipped:
		return "skipped"
	}
	return "unknown"
}

// Check names.
const (
	CheckFormat             = "signature-format"       // the ds:Signature structure and its algorithms
	CheckReferenceDigest    = "reference-digest"       // one per Reference, in order
	CheckEscapingFallback   = "smev-escaping-fallback" // present only when the JDK escaping matched (validation-policy.md)
	CheckSignerCertificate  = "signer-certificate"     // a certificate was found and parsed
	CheckSignatureValue     = "signature-value"        // SignatureValue over the canonical SignedInfo
	CheckAttachmentHash     = "attachment-hash"        // SMEV RefAttachmentHeader/Hash against the supplied bytes
	CheckAttachmentCMS      = "attachment-signature"   // the detached CMS SignaturePKCS7 over the attachment
	CheckUnqualifiedElement = "smev-unqualified-elements"
)

// Check is one verification step with its typed outcome.
type Check struct {
	Name   string
	Status Status
	Detail string
	Err    error // the cause when Status is failed or indeterminate (see errors.go)
}

// Result is what Verify found in a message.
type Result struct {
	// Profile is "smev3", "smev2" or "xmldsig".
	Profile     string
	Signatures  []*Signature
	Attachments []*Attachment
}

// Signature is one ds:Signature of the message, verified on its own.
type Signature struct {
	// Name is the container the signature sits in: PersonalSignature,
	// CallerInformationSystemSignature, SenderInformationSystemSignature,
	// SMEVSignature, wsse:Security (SMEV 2), or "Signature[i]" (1-based
	// document order) elsewhere; a repeated name gets "#k" appended.
	Name      string
	Index     int    // 0-based position among the document's signatures
	Container string // local name of the parent element ("" for the document element)

	CanonicalizationMethod string
	SignatureMethod        string
	SignedInfo             []byte // the canonical SignedInfo: the bytes the signature is over
	Value                  []byte // the decoded SignatureValue, BE(s)||BE(r)
	References             []*Reference

	// Certificate is the signer's certificate, nil when none was found or
	// it could not be parsed (shared with other results carrying the same
	// certificate: do not modify it); CertificateDER is its encoding as
	// carried (also shared between the results of the same certificate).
	Certificate    *cert.Certificate
	CertificateDER []byte

	Checks []Check
}

// Passed reports whether every check of the signature passed (skipped checks
// aside). It is a convenience, not a policy decision.
func (s *Signature) Passed() bool {
	ok := false
	for _, c := range s.Checks {
		switch c.Status {
		case StatusFailed, StatusIndeterminate:
			return false
		case StatusPassed:
			ok = true
		}
	}
	return ok
}

// Check returns the first check named name, or nil.
func (s *Signature) Check(name string) *Check {
	for i := range s.Checks {
		if s.Checks[i].Name == name {
			return &s.Checks[i]
		}
	}
	return nil
}

// Reference is one ds:Reference and what it covered.
type Reference struct {
	URI          string
	Transforms   []string
	DigestMethod string
	DigestValue  []byte // as carried
	Computed     []byte // the digest of the transformed data; nil if not computed
	// Covered describes the data: the element (namespace, local name, id)
	// or "the whole document", with the enveloped signature removed if so.
	Covered string
	// Length is the number of bytes digested.
	Length int64
	// Escaping is "woodstox" or "jdk" for a reference with the SMEV
	// transform whose digest matched, "" otherwise.
	Escaping string
	// Data is the digested bytes when Options.KeepDigestedData is set.
	Data []byte
	// XOPIncludes is the number of xop:Include elements in the covered
	// data (replaced by their parts when supplied).
	XOPIncludes int
}

// Attachment is a SMEV 3 attachment header: RefAttachmentHeader (file
// exchange, with a Hash) or AttachmentHeader (MTOM, content in a MIME part).
type Attachment struct {
	Kind     string // "RefAttachmentHeader" or "AttachmentHeader"
	ID       string // uuid (RefAttachmentHeader) or contentId (AttachmentHeader)
	MimeType string
	Hash     []byte // RefAttachmentHeader/Hash, decoded; nil for MTOM
	// HashAlgorithm is the digest URI that matched Hash ("" when not
	// checked): the header does not name its hash, and a 32-byte Hash may
	// be Streebog-256 or GOST R 34.11-94.
	HashAlgorithm string
	// SignaturePKCS7 is the detached CMS signature, decoded (nil when it is
	// an xop:Include whose part was not supplied).
	SignaturePKCS7 []byte
	// Content is the attachment, when supplied.
	Content []byte
	// CMS is the cms package's result for SignaturePKCS7 over Content
	// (signer certificates, signing time, per-signer checks), nil when it
	// was not checked or Options.VerifyCMS was used instead.
	CMS    *cms.Result
	Checks []Check
}
