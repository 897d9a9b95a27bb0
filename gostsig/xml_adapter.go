package gostsig

import (
	"bytes"
	"context"
	"encoding/asn1"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/cms"
	"gostsig.dev/internal/oid"
	"gostsig.dev/xmldsig"
)

// verifyXML turns an XML message (SMEV 3, SMEV 2, XMLDSig) into
// Signatures: xmldsig establishes the per-signature facts (every
// Reference, the SignatureValue, the certificate), chain and crl the path
// and revocation, the policy the verdict.
func (v *Verifier) verifyXML(ctx context.Context, in *Input, d detected, vt time.Time, res *Result) error {
	opts := &xmldsig.Options{
		Attachments: in.Attachments,
		Parts:       in.Attachments,
		VerifyCMS:   verifyAttachmentCMS,
	}
	xr, err := xmldsig.Verify(d.data, opts)
	if err != nil {
		documentFormatFailure(res, "XML-документ не разобран: он повреждён или не является правильно построенным XML", err.Error())
		return nil
	}
	switch xr.Profile {
	case "smev3":
		res.Profile = ProfileSMEV3
	case "smev2":
		res.Profile = ProfileSMEV2
	default:
		res.Profile = ProfileXMLDSig
	}
	if len(xr.Signatures) == 0 {
		documentFormatFailure(res, "в XML-документе нет ни одной подписи (ds:Signature)", "")
		return nil
	}
	res.Checks = append(res.Checks, Check{Name: CheckFormat, Status: StatusPassed,
		Detail: fmt.Sprintf("XML (%s), подписей: %d", xr.Profile, len(xr.Signatures))})

	extraCerts, err := parseCertBundles("input", in.Certificates)
	if err != nil {
		return &InputError{Msg: err.Error()[len("gostsig: "):]}
	}
	reqCRLs, badCRLs := parseCRLs(in.CRLs)
	// Every certificate the message carries may be an intermediate of
	// another signature's path.
	certs := append([]*cert.Certificate(nil), extraCerts...)
	for _, s := range xr.Signatures {
		if s.Certificate != nil {
			certs = append(certs, s.Certificate)
		}
	}
	claimed := smevMessageTime(d.data, res.Profile)
	trials := maxXMLSignerTrialsPerDocument
	for i, s := range xr.Signatures {
		if err := ctx.Err(); err != nil {
			return err
		}
		f := v.xmlFacts(s, res.Profile)
		f.claimed = claimed
		if f.signer == nil && s.CertificateDER == nil && f.formatErr == "" {
			// No certificate in the signature: one supplied or known
			// whose key verifies it is the signer (signers.go).
			c, stopped := v.xmlSignerByKey(s, extraCerts, &trials)
			switch {
			case c != nil:
				f.signer, f.signerMissing = c, ""
				f.sigValueOK = true
				f.sigValueDetail = "подпись SignedInfo проверена ключом сертификата " + v.descs.label(c) + ", переданного отдельно (в подписи сертификата нет)"
			case stopped && f.signerMissing != "":
				f.signerMissing += xmlSignerTrialsExhausted
			}
		}
		if i == 0 {
			// SMEV attachments are described inside the signed message
			// data; their outcome goes with the first signature
			// (POLICY.md).
			xmlAttachmentFacts(f, xr.Attachments)
		}
		f.revocationNotes = badCRLs
		res.Signatures = append(res.Signatures, Signature{})
		if err := v.finish(ctx, &res.Signatures[len(res.Signatures)-1], nil, f, certs, reqCRLs, nil, vt); err != nil {
			return err
		}
	}
	return nil
}

// verifyAttachmentCMS checks the detached CMS signature of a SMEV
// attachment cryptographically (digest and signature value of every
// signer); its signers' chains are not judged.
func verifyAttachmentCMS(signature, content []byte) error {
	r, err := cms.Verify(signature, &cms.VerifyOptions{Content: content})
	if err != nil {
		return err
	}
	if len(r.Signers) == 0 {
		return errors.New("no SignerInfo")
	}
	for _, s := range r.Signers {
		if c := s.Check(cms.CheckMessageDigest); c.Status == cms.Failed && c.Reason == cms.ReasonDigestMismatch {
			return &attachmentDigestError{fmt.Errorf("%s: %s", s.ID, c)}
		}
		// Without signed attributes the signature value is computed over
		// the attachment itself (RFC 5652 §5.4): when it does not verify,
		// the attachment is not the file signed, as with a messageDigest
		// mismatch.
		if s.Check(cms.CheckMessageDigest).Status == cms.NotApplicable {
			if c := s.Check(cms.CheckSignatureValue); c.Status == cms.Failed && c.Reason == cms.ReasonSignatureInvalid {
				return &attachmentDigestError{fmt.Errorf("%s: no signed attributes, and the signature over the attachment does not verify: %s", s.ID, c)}
			}
		}
	}
	for _, s := range r.Signers {
		if !s.Valid() {
			if c := s.FirstProblem(); c != nil {
				return fmt.Errorf("%s: %s", s.ID, c)
			}
			return fmt.Errorf("%s: signer certificate not found", s.ID)
		}
	}
	return nil
}

// attachmentDigestError reports that an attachment's hash differs from the
// messageDigest of its SignaturePKCS7: the attachment is not the file that
// was signed.
type attachmentDigestError struct{ err error }

func (e *attachmentDigestError) Error() string { return e.err.Error() }
func (e *attachmentDigestError) Unwrap() error { return e.err }

var xmlSignatureMethods = map[string]struct {
	fam algFamily
	oid asn1.ObjectIdentifier
}{
	xmldsig.SignatureGOST2012_256:      {algGOST2012_256, oid.Gost2012SignWith256},
	xmldsig.SignatureGOST2012_512:      {algGOST2012_512, oid.Gost2012SignWith512},
	xmldsig.SignatureGOST2001:          {algGOST2001, oid.GostR3411_94WithR3410},
	xmldsig.SignatureGOST2001CryptoPro: {algGOST2001, oid.GostR3411_94WithR3410},
}

var xmlDigestMethods = map[string]asn1.ObjectIdentifier{
	xmldsig.DigestStreebog256:     oid.Streebog256,
	xmldsig.DigestStreebog512:     oid.Streebog512,
	xmldsig.DigestGOST94:          oid.GostR3411_94,
	xmldsig.DigestGOST94CryptoPro: oid.GostR3411_94,
}

// xmlFacts maps xmldsig's checks of one signature onto the facts model,
// by the typed causes xmldsig documents (errors.go there).
func (v *Verifier) xmlFacts(s *xmldsig.Signature, profile Profile) *sigFacts {
	f := &sigFacts{id: s.Name, profile: profile, signer: s.Certificate}
	if m, ok := xmlSignatureMethods[s.SignatureMethod]; ok {
		f.alg, f.sigAlgOID = m.fam, m.oid
	} else if s.SignatureMethod != "" {
		f.badAlgOID = s.SignatureMethod
	}
	for _, r := range s.References {
		if o, ok := xmlDigestMethods[r.DigestMethod]; ok && len(f.digestAlgOID) == 0 {
			f.digestAlgOID = o
		}
	}
	refIndex := 0
	for _, c := range s.Checks {
		var ref *xmldsig.Reference
		if c.Name == xmldsig.CheckReferenceDigest {
			if refIndex < len(s.References) {
				ref = s.References[refIndex]
			}
			refIndex++
		}
		target := ""
		if ref != nil {
			target = "#" + trimHash(ref.URI)
			if ref.URI == "" {
				target = "весь документ"
			}
		}
		switch c.Status {
		case xmldsig.StatusPassed:
			switch c.Name {
			case xmldsig.CheckReferenceDigest:
				f.digests = append(f.digests, digestFact{check: CheckReferenceDigest, target: target, ok: true,
					fallback: ref != nil && ref.Escaping == "jdk", detail: "хеш подписанных данных совпадает со значением DigestValue", cause: c.Detail})
			case xmldsig.CheckSignatureValue:
				f.sigValueOK, f.sigValueDetail = true, "подпись SignedInfo проверена ключом сертификата подписанта"
			case xmldsig.CheckUnqualifiedElement:
				f.extraChecks = append(f.extraChecks, Check{Name: c.Name, Status: StatusPassed,
					Detail: "подписанные данные содержат элементы без пространства имён; они канонизированы так, как это делает эталонная реализация СМЭВ на Java", Cause: c.Detail, Level: LevelInform})
			}
			continue
		case xmldsig.StatusSkipped:
			continue
		}
		var ua *xmldsig.UnsupportedAlgorithmError
		switch err := c.Err; {
		case errors.As(err, &ua):
			if f.badAlgOID == "" {
				f.badAlgOID = ua.URI
			}
		case errors.Is(err, xmldsig.ErrFormat):
			if f.formatErr == "" {
				f.formatErr, f.formatCause = "структура подписи XML нарушена (проверка "+c.Name+")", c.Detail
				if errors.Is(err, xmldsig.ErrDuplicateID) {
					f.formatErr = "документ неоднозначен: несколько элементов с одним идентификатором (подмена подписанных данных, signature wrapping)"
				}
			}
		case errors.Is(err, xmldsig.ErrXOPPartMissing):
			if f.signedDataMissing == "" {
				f.signedDataReason = "не передана часть MTOM/XOP-сообщения, на которую ссылаются подписанные данные (xop:Include)"
				f.signedDataMissing, f.signedDataCause = f.signedDataReason+": "+target, c.Detail
			}
		case errors.Is(err, xmldsig.ErrReferenceNotFound):
			if f.signedDataMissing == "" {
				f.signedDataMissing, f.signedDataCause = "не найдены подписанные данные: в документе нет элемента "+target, c.Detail
			}
		case errors.Is(err, xmldsig.ErrDigestMismatch):
			f.digests = append(f.digests, digestFact{check: CheckReferenceDigest, target: target,
				detail: "хеш подписанных данных не совпадает со значением DigestValue", cause: c.Detail})
		case errors.Is(err, xmldsig.ErrNoCertificate):
			f.signer = nil
			f.signerMissing, f.signerCause = "в подписи нет пригодного сертификата подписанта", c.Detail
		case errors.Is(err, xmldsig.ErrSignatureInvalid), c.Name == xmldsig.CheckSignatureValue:
			f.sigValueOK, f.sigValueDetail, f.sigValueCause = false, "значение подписи не проверяется ключом сертификата подписанта", c.Detail
		default:
			if f.formatErr == "" {
				f.formatErr, f.formatCause = "подпись XML не разобрана (проверка "+c.Name+")", c.Detail
			}
		}
	}
	if v.diagnostic {
		f.diag = &Diagnostic{}
		if len(f.digestAlgOID) > 0 {
			f.diag.DigestAlgorithm = digestName(f.digestAlgOID)
		}
		f.diag.SignerCertificate = s.CertificateDER
		for _, r := range s.References {
			d := DigestDiag{Target: r.URI, Algorithm: r.DigestMethod, Claimed: hex.EncodeToString(r.DigestValue), Bytes: r.Length}
			if r.Computed != nil {
				d.Computed = hex.EncodeToString(r.Computed)
			}
			f.diag.Digests = append(f.diag.Digests, d)
		}
	}
	return f
}

func trimHash(s string) string {
	if len(s) > 0 && s[0] == '#' {
		return s[1:]
	}
	return s
}

// xmlAttachmentFacts adds the SMEV attachments' outcomes: a supplied
// attachment whose hash differs is HASH_FAILURE (validation-policy.md);
// one not supplied cannot be checked and is reported, but does not change
// the verdict on the XML signature, which covers only its header (POLICY.md).
func xmlAttachmentFacts(f *sigFacts, atts []*xmldsig.Attachment) {
	for _, a := range atts {
		for _, c := range a.Checks {
			switch {
			case c.Name == xmldsig.CheckAttachmentHash && c.Status == xmldsig.StatusPassed:
				f.digests = append(f.digests, digestFact{check: CheckAttachmentDigest, target: a.ID, ok: true,
					detail: "хеш вложения совпадает со значением Hash заголовка", cause: c.Detail})
			case c.Name == xmldsig.CheckAttachmentHash && errors.Is(c.Err, xmldsig.ErrDigestMismatch):
				f.digests = append(f.digests, digestFact{check: CheckAttachmentDigest, target: a.ID,
					detail: "хеш вложения не совпадает со значением Hash заголовка", cause: c.Detail})
			case c.Name == xmldsig.CheckAttachmentCMS && a.Kind == "AttachmentHeader" && c.Status == xmldsig.StatusPassed:
				// An MTOM AttachmentHeader has no Hash: the messageDigest
				// of its signed SignaturePKCS7 is the attachment's only
				// signed hash (POLICY.md).
				f.digests = append(f.digests, digestFact{check: CheckAttachmentDigest, target: a.ID, ok: true,
					detail: "хеш вложения совпадает с атрибутом messageDigest подписи SignaturePKCS7"})
				f.extraChecks = append(f.extraChecks, Check{Name: c.Name, Status: StatusPassed, Detail: a.ID + ": отсоединённая подпись CMS вложения проверена", Cause: c.Detail, Level: LevelInform})
			case c.Name == xmldsig.CheckAttachmentCMS && a.Kind == "AttachmentHeader" && errors.As(c.Err, new(*attachmentDigestError)):
				f.digests = append(f.digests, digestFact{check: CheckAttachmentDigest, target: a.ID,
					detail: "хеш вложения не совпадает с атрибутом messageDigest его подписи SignaturePKCS7: передан не тот файл, который был подписан", cause: c.Detail})
			case c.Name == xmldsig.CheckAttachmentHash:
				f.extraChecks = append(f.extraChecks, Check{Name: CheckAttachmentDigest, Status: StatusSkipped,
					Detail: "вложение " + a.ID + " не передано: его хеш не проверен", Cause: c.Detail, Level: LevelInform})
			default:
				st := StatusSkipped
				switch c.Status {
				case xmldsig.StatusPassed:
					st = StatusPassed
				case xmldsig.StatusFailed:
					st = StatusFailed
				case xmldsig.StatusIndeterminate:
					st = StatusIndeterminate
				}
				f.extraChecks = append(f.extraChecks, Check{Name: c.Name, Status: st, Detail: a.ID + ": " + attachmentCheckRU(c), Cause: c.Detail, Level: LevelInform})
			}
		}
	}
}

// maxMessageTimeTokens bounds the scan for the message time.
const maxMessageTimeTokens = 1 << 16

// smevMessageTime finds the time the message states for itself — SMEV 3
// MessageMetadata/SendingTimestamp, SMEV 2 Message/Date — reported as the
// claimed signing time (validation-policy.md, "Best signature time" 3: it
// never moves BST unless the policy trusts claimed times). Zero when the
// message has none or it carries no time zone.
func smevMessageTime(doc []byte, profile Profile) time.Time {
	if profile != ProfileSMEV3 && profile != ProfileSMEV2 {
		return time.Time{}
	}
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.Strict = false
	var stack []string
	for i := 0; i < maxMessageTimeTokens; i++ {
		tok, err := dec.RawToken()
		if err != nil {
			return time.Time{}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
		case xml.EndElement:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			name := stack[len(stack)-1]
			parent := ""
			if len(stack) > 1 {
				parent = stack[len(stack)-2]
			}
			if (profile == ProfileSMEV3 && name == "SendingTimestamp") || (profile == ProfileSMEV2 && name == "Date" && parent == "Message") {
				tm, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(string(t)))
				if err != nil {
					return time.Time{}
				}
				return tm.UTC()
			}
		}
	}
	return time.Time{}
}

// attachmentCheckRU is the Russian detail of an attachment check reported
// as it is (the SignaturePKCS7 of an attachment); xmldsig's text goes to
// Check.Cause.
func attachmentCheckRU(c xmldsig.Check) string {
	what := "проверка вложения"
	if c.Name == xmldsig.CheckAttachmentCMS {
		what = "отсоединённая подпись CMS вложения (SignaturePKCS7)"
	}
	switch {
	case c.Status == xmldsig.StatusPassed:
		return what + ": проверена"
	case errors.Is(c.Err, xmldsig.ErrAttachmentNotSupplied):
		return what + ": не проверена, вложение не передано"
	case errors.Is(c.Err, xmldsig.ErrXOPPartMissing):
		return what + ": не проверена, не передана часть MTOM/XOP-сообщения с подписью"
	case errors.Is(c.Err, xmldsig.ErrFormat):
		return what + ": структура повреждена"
	case c.Status == xmldsig.StatusFailed:
		return what + ": не проверяется"
	}
	return what + ": проверить не удалось"
}
