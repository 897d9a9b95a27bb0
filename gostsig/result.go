package gostsig

import (
	"time"
)

// Result is the verdict on one document: the JSON result of
// interfaces.md, shared by the CLI, the HTTP service and the commission
// report. Field JSON names are a contract: fields may be added, never
// renamed or removed.
//
// Three layers, as EU DSS reports (validation-anchors.md §8): the simple
// layer (Indication, SubIndication, MessageRU, per-signature verdicts and
// owner fields), the detailed layer (Signature.Checks, one per rule) and
// the diagnostic layer (chain, revocation evidence, time-stamp facts,
// Signature.Diagnostic) holding the raw facts the verdict rests on.
type Result struct {
	// Indication is TOTAL_PASSED only when the document has at least one
	// signature and every signature passed; otherwise TOTAL_FAILED when
	// any failed (or the document itself is malformed), else
	// INDETERMINATE (validation-policy.md, "Decision table").
	Indication Indication `json:"indication"`
	// SubIndication is that of the first signature, in document order,
	// whose indication equals the overall one; FORMAT_FAILURE when the
	// document could not be parsed.
	SubIndication SubIndication `json:"subindication,omitzero"`
	// MessageRU is the overall verdict in Russian.
	MessageRU string `json:"message_ru"`
	// Format is "cms" or "xmldsig" (detected from the bytes; an
	// unparseable input is reported under the format it was taken for).
	Format Format `json:"format"`
	// Profile is the signature profile: for CMS the profile of the first
	// signature (each Signature has its own), for XML the envelope kind.
	Profile Profile `json:"profile"`
	// ValidationTime is the time the check is made for (--at, or the
	// Verifier's clock).
	ValidationTime time.Time `json:"validation_time"`
	// Signatures in document order. Empty when the document could not be
	// parsed or holds no signature; then Checks says why.
	Signatures []Signature `json:"signatures"`
	// Checks are document-level checks (format detection, parsing,
	// ambiguity such as duplicate XML ids).
	Checks []Check `json:"checks,omitempty"`
	// Policy names the validation policy and its version, so that anyone
	// can re-run the check under the same rules.
	Policy string `json:"policy,omitempty"`
}

// Format is the container format of a document.
type Format string

const (
	FormatCMS     Format = "cms"
	FormatXMLDSig Format = "xmldsig"
)

// Profile is the signature profile of a document or of one signature.
type Profile string

const (
	ProfileCMS         Profile = "cms"                 // CMS SignedData without CAdES attributes
	ProfileCAdESBES    Profile = "cades-bes"           // signingCertificate(V2) signed attribute
	ProfileCAdEST      Profile = "cades-t"             // + signatureTimeStampToken
	ProfileCAdESXLong1 Profile = "cades-x-long-type-1" // + certificate/revocation values and an escTimeStamp
	ProfileSMEV3       Profile = "smev3"
	ProfileSMEV2       Profile = "smev2"
	ProfileXMLDSig     Profile = "xmldsig"
)

// Signature is the verdict on one signature (a CMS SignerInfo or an
// XMLDSig Signature element).
type Signature struct {
	// ID names the signature: "signer-N" (1-based, document order) for
	// CMS, the Id attribute or the SMEV container element name for XML.
	ID            string        `json:"id"`
	Indication    Indication    `json:"indication"`
	SubIndication SubIndication `json:"subindication,omitzero"`
	// MessageRU is the verdict in Russian ("Подпись действительна",
	// "Подпись недействительна: документ изменён после подписания").
	MessageRU string `json:"message_ru"`
	// ReasonRU is the reason of a negative verdict as one Russian sentence,
	// fit for the receiver's rejection notice; empty when passed.
	ReasonRU string `json:"reason_ru,omitempty"`
	// Profile of this signature (a CMS document may mix BES and T signers).
	Profile Profile `json:"profile,omitempty"`

	// Qualified reports whether this is a qualified signature under 63-FZ
	// art. 11 and the Приказ ФСБ № 795 profile. It is independent of the
	// indication and true only when the indication is TOTAL_PASSED.
	Qualified bool `json:"qualified"`
	// QualifiedReasons says why the signature is not qualified (or, when
	// qualified, what was established).
	QualifiedReasons []Reason `json:"qualified_reasons,omitempty"`

	// Algorithm is the signature algorithm (name and OID).
	Algorithm *Algorithm `json:"algorithm,omitempty"`

	Signer      *CertInfo   `json:"signer,omitempty"`
	SigningTime SigningTime `json:"signing_time"`
	// Timestamp is the signature time-stamp (CAdES-T), when present.
	Timestamp *Timestamp `json:"timestamp,omitempty"`
	// Chain from the signer (first) to the trust anchor (last), as built.
	Chain []ChainCert `json:"chain"`
	// Revocation has one entry per certificate of the chain below the
	// anchor that was checked, with the evidence that decided it.
	Revocation []Revocation `json:"revocation"`
	// Checks are the individual checks in the order they were made.
	Checks []Check `json:"checks"`

	// Diagnostic holds raw facts for the evidence annex (digests computed
	// and claimed, certificate bytes); filled by the Verifier when asked.
	Diagnostic *Diagnostic `json:"diagnostic,omitempty"`
}

// Reason is one coded reason, with its Russian text.
type Reason struct {
	Code      string `json:"code"`
	MessageRU string `json:"message_ru"`
}

// ReasonNotGUCRoot is the qualified_reasons code of a path that does not
// end at a head-CA (ГУЦ) root: callers that word the chain (the report)
// test for it rather than for the text.
const ReasonNotGUCRoot = "not-guc-root"

// Algorithm names a signature or digest algorithm.
type Algorithm struct {
	Name string `json:"name"`
	OID  string `json:"oid"`
	// Digest is the digest algorithm of the signature.
	Digest *Algorithm `json:"digest,omitempty"`
}

// CertInfo describes a certificate in the terms Russian users expect
// (ФИО, organisation, ИНН/ИНН ЮЛ/ОГРН/СНИЛС, issuer, validity, thumbprint).
type CertInfo struct {
	Subject    string `json:"subject"`
	CommonName string `json:"common_name"`
	// Serial is the serial number in upper-case hex (as CAs print it).
	Serial string `json:"serial"`
	Issuer string `json:"issuer"`
	INN    string `json:"inn,omitempty"`
	INNLE  string `json:"innle,omitempty"`
	OGRN   string `json:"ogrn,omitempty"`
	OGRNIP string `json:"ogrnip,omitempty"`
	SNILS  string `json:"snils,omitempty"`
	// Surname, GivenName (name and patronymic), Title, Organization as in
	// the subject.
	Surname      string `json:"surname,omitempty"`
	GivenName    string `json:"given_name,omitempty"`
	Title        string `json:"title,omitempty"`
	Organization string `json:"organization,omitempty"`
	Email        string `json:"email,omitempty"`

	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	// PrivateKeyNotBefore/After are the privateKeyUsagePeriod bounds, when present.
	PrivateKeyNotBefore time.Time `json:"private_key_not_before,omitzero"`
	PrivateKeyNotAfter  time.Time `json:"private_key_not_after,omitzero"`
	// SHA1 is the certificate thumbprint (hex, upper case), as the ГУЦ
	// portal and Windows show it.
	SHA1 string `json:"sha1"`
}

// SigningTime is the best signature time and where it came from
// (validation-policy.md, "Best signature time").
type SigningTime struct {
	// Best is the time the signature is evaluated at (BST).
	Best time.Time `json:"best"`
	// Source is "timestamp" (a verified signature time-stamp's genTime),
	// "validation-time", or "claimed" (the signingTime attribute, only
	// when the policy trusts it).
	Source TimeSource `json:"source"`
	// Claimed is the signingTime attribute (or the SMEV message time), if
	// any: always reported, proves nothing by itself.
	Claimed time.Time `json:"claimed,omitzero"`
}

// TimeSource says where a best signature time came from.
type TimeSource string

const (
	TimeSourceTimestamp      TimeSource = "timestamp"
	TimeSourceValidationTime TimeSource = "validation-time"
	TimeSourceClaimed        TimeSource = "claimed"
)

// Timestamp describes a signature time-stamp token (RFC 3161, CAdES-T).
type Timestamp struct {
	GenTime time.Time `json:"gen_time"`
	// Status is passed when the token verifies, its imprint matches the
	// signature value, its TSA chains to a trust anchor and that path is
	// not revoked at genTime; indeterminate when only the path's
	// revocation status is not known (the verdict is then TRY_LATER);
	// failed otherwise.
	Status Status `json:"status"`
	// Detail says in Russian why the token is not valid.
	Detail string `json:"detail,omitempty"`
	// Cause is the technical cause behind Detail, as the lower layer
	// reported it (English, for logs and diagnostics; not for people).
	Cause string    `json:"cause,omitempty"`
	TSA   *CertInfo `json:"tsa,omitempty"`
	// Revocation is the status at genTime of each certificate of the
	// TSA's path below its anchor, TSA first, with the evidence that
	// decided it (POLICY.md "Best signature time"); empty when it was not
	// asked (no path, the token not valid before, the rule ignored).
	Revocation []Revocation `json:"revocation,omitempty"`
}

// ChainCert is one certificate of the path (signer first, anchor last).
type ChainCert struct {
	Subject   string    `json:"subject"`
	Issuer    string    `json:"issuer,omitempty"`
	Serial    string    `json:"serial"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	SHA1      string    `json:"sha1"`
	// Anchor marks the trust anchor that ends the path.
	Anchor bool `json:"anchor,omitempty"`
}

// Revocation is the status of one certificate and the evidence that
// decided it (validation-policy.md, "Revocation": which CRL, with the hash
// of its DER, is evidence in a dispute).
type Revocation struct {
	Serial string `json:"serial"`
	// Subject of the certificate the entry is about.
	Subject string           `json:"subject,omitempty"`
	Status  RevocationStatus `json:"status"`
	// Source is "crl" or "ocsp"; empty when no evidence was found.
	Source    string    `json:"source,omitempty"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
	Reason    string    `json:"reason,omitempty"`
	// CRLIssuer is the issuer of the CRL or the OCSP responder.
	CRLIssuer  string    `json:"crl_issuer,omitempty"`
	CRLNumber  string    `json:"crl_number,omitempty"`
	ThisUpdate time.Time `json:"this_update,omitzero"`
	NextUpdate time.Time `json:"next_update,omitzero"`
	// EvidenceSHA256 is the SHA-256 of the DER of the CRL or OCSP
	// response; EvidenceStreebog256 its Streebog-256 (hex).
	EvidenceSHA256      string `json:"evidence_sha256,omitempty"`
	EvidenceStreebog256 string `json:"evidence_streebog256,omitempty"`
	// Detail explains an unknown status in Russian ("нет списка отзыва,
	// действующего на время, на которое проверяется подпись", …).
	Detail string `json:"detail,omitempty"`
	// Cause is the technical cause (English, as the crl layer reported
	// it: "no CRL of … covers …", "crl: offline, and no cached CRL from
	// …"), for logs and diagnostics.
	Cause string `json:"cause,omitempty"`
}

// Check is one individual check with its outcome.
type Check struct {
	// Name is a stable identifier (the Check* constants).
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Detail says, in Russian, what was found.
	Detail string `json:"detail,omitempty"`
	// Level is the policy level the rule ran at when it is not "fail":
	// "warn" or "inform" (the failure is reported, the verdict is not
	// affected). Empty means the rule decides the verdict.
	Level Level `json:"level,omitempty"`
	// Cause is the technical cause behind Detail as the format, chain or
	// revocation layer reported it (English, e.g. "chain: no path from …
	// to a trusted root"), for logs and diagnostics. Everything shown to
	// people is in Detail, in Russian.
	Cause string `json:"cause,omitempty"`
}

// Names of the individual checks (Check.Name).
const (
	CheckFormat               = "format"                 // the document parses as a supported format
	CheckUnambiguous          = "unambiguous"            // no duplicate ids a reference could resolve to
	CheckAlgorithm            = "algorithm"              // GOST signature and digest algorithms
	CheckSignedData           = "signed-data"            // the signed content (or its hash) is available
	CheckMessageDigest        = "message-digest"         // CMS messageDigest = hash of the content
	CheckReferenceDigest      = "reference-digest"       // XMLDSig Reference DigestValue (one per reference)
	CheckAttachmentDigest     = "attachment-digest"      // SMEV attachment hash
	CheckSMEVEscaping         = "smev-escaping-fallback" // JDK escaping fallback used (smev-xmldsig.md §5.3)
	CheckSigningCertificate   = "signing-certificate"    // the signer's certificate was found
	CheckSigningCertRef       = "signing-certificate-v2" // signingCertificate(V2) matches the certificate
	CheckSignatureValue       = "signature-value"        // the signature verifies with the signer's key
	CheckChain                = "certificate-chain"      // a path to a trust anchor exists and is sound
	CheckNotYetValid          = "certificate-not-before" // BST ≥ signer notBefore
	CheckValidityPeriod       = "certificate-validity"   // every certificate of the path valid at BST
	CheckPrivateKeyUsage      = "private-key-usage-period"
	CheckRevocation           = "revocation" // signer and CA status at BST
	CheckAlgorithmDate        = "algorithm-date"
	CheckTimestamp            = "signature-timestamp"
	CheckTSARevocation        = "tsa-revocation"       // the TSA path's status at genTime (POLICY.md "Best signature time")
	CheckClaimedTime          = "claimed-signing-time" // claimed vs time-stamp skew
	CheckKeyUsage             = "key-usage"            // signer keyUsage allows signing
	CheckQualified            = "qualified-profile"
	CheckCertificateSignature = "certificate-signature"
)

// Diagnostic holds the raw facts behind a signature's verdict, with no
// judgement (DSS DiagnosticData).
type Diagnostic struct {
	// DigestAlgorithm and the digests: computed over the content, and
	// claimed by the signature (messageDigest / DigestValue), hex.
	DigestAlgorithm string `json:"digest_algorithm,omitempty"`
	ComputedDigest  string `json:"computed_digest,omitempty"`
	ClaimedDigest   string `json:"claimed_digest,omitempty"`
	// Digests lists each digest compared: the CMS messageDigest, every
	// XMLDSig Reference (hex; Computed is empty where the format layer
	// does not expose it).
	Digests []DigestDiag `json:"digests,omitempty"`
	// SignerCertificate is the signer certificate's DER (base64 in JSON).
	SignerCertificate []byte `json:"signer_certificate,omitempty"`
	// ChainCertificates are the DER of the path, signer first.
	ChainCertificates [][]byte `json:"chain_certificates,omitempty"`
}

// DigestDiag is one digest comparison of the diagnostic layer.
type DigestDiag struct {
	Target    string `json:"target"`
	Algorithm string `json:"algorithm"`
	Computed  string `json:"computed,omitempty"`
	Claimed   string `json:"claimed,omitempty"`
	// Bytes is how many bytes were digested (XML references).
	Bytes int64 `json:"bytes,omitempty"`
}
