package gostsig

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"slices"

	"context"
	"errors"
	"fmt"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"io"
	"strconv"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/cms"
	"gostsig.dev/crl"
	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/internal/ber"
	"gostsig.dev/internal/gosthash"
	"gostsig.dev/internal/oid"
)

// verifyCMS turns a CMS SignedData into Signatures: cms establishes the
// cryptographic facts of every SignerInfo (and counter-signature), the
// chain and crl layers the path and revocation facts, the policy the
// verdict.
func (v *Verifier) verifyCMS(ctx context.Context, in *Input, d detected, vt time.Time, res *Result) error {
	popts := &cms.ParseOptions{ParseCertificate: v.builder.ParseCertificate}
	sd, err := cms.ParseWithOptions(d.data, popts)
	padding, garbage := 0, 0
	if err != nil {
		// Bytes after the outer SEQUENCE (POLICY.md, "Trailing bytes"):
		// white space and zero padding that transfers add are dropped,
		// anything else is named.
		if end, ok := trailingDataOffset(err, d.data); ok {
			if sd2, err2 := cms.ParseWithOptions(d.data[:end], popts); err2 == nil {
				if tail := d.data[end:]; isPadding(tail) {
					sd, err, padding = sd2, nil, len(tail)
				} else {
					garbage = len(tail)
				}
			}
		}
	}
	if err != nil {
		var pe *cms.ParseError
		detail := "структура CMS не разобрана"
		switch {
		case garbage > 0:
			detail = "после структуры подписи есть лишние данные (" + strconv.Itoa(garbage) + " байт); подпись в таком виде не принимается"
			documentFormatFailureReason(res, "после структуры подписи есть лишние данные ("+strconv.Itoa(garbage)+" байт)", detail, err.Error())
			return nil
		case errors.As(err, &pe) && pe.ContentType.Equal(oid.DigestedData):
			// TC 26 and OpenSSL "cms -digest_create": a hash of the data,
			// not a signature.
			detail = "файл содержит структуру CMS DigestedData — хеш данных без какой-либо электронной подписи"
			documentFormatFailureReason(res, "в файле нет электронной подписи: это структура CMS DigestedData (только хеш данных)", detail, err.Error())
			return nil
		case errors.Is(err, cms.ErrNotSignedData):
			detail = "CMS не является подписанными данными (SignedData)"
			if pe != nil && len(pe.ContentType) > 0 {
				detail += ": тип содержимого " + pe.ContentType.String()
			}
		case pe != nil:
			detail = "структура CMS повреждена"
		}
		documentFormatFailure(res, detail, err.Error())
		return nil
	}
	if len(sd.Signers) == 0 {
		// A .p7b certificate bundle (certs-only SignedData, RFC 5652
		// §5.1 "degenerate case") or an empty SignedData: no signature,
		// one failed format check (POLICY.md).
		what := "в файле нет электронной подписи: это структура CMS SignedData без подписей"
		if len(sd.RawCertificates) > 0 || len(sd.CRLs) > 0 {
			what = "в файле нет электронной подписи: это набор сертификатов (PKCS#7) без подписей"
		}
		detail := what + " (сертификатов: " + strconv.Itoa(len(sd.RawCertificates))
		if len(sd.CRLs) > 0 {
			detail += ", списков отзыва: " + strconv.Itoa(len(sd.CRLs))
		}
		detail += ")"
		documentFormatFailureReason(res, what, detail, "cms: SignedData has no SignerInfo")
		return nil
	}
	fd := cmsFormatDetail(sd, d)
	if padding > 0 {
		fd += "; после структуры CMS " + strconv.Itoa(padding) + " байт пробелов, переводов строк или нулей — не часть подписи, отброшены"
	}
	res.Checks = append(res.Checks, Check{Name: CheckFormat, Status: StatusPassed, Detail: fd})

	extraCerts, err := parseCertBundles("input", in.Certificates)
	if err != nil {
		return &InputError{Msg: err.Error()[len("gostsig: "):]}
	}
	// The signer may be absent from the message: the request's and the
	// known stores' certificates that match a SignerIdentifier are
	// searched after the message's (signers.go).
	if known := v.knownSignerCerts(sd); len(known) > 0 {
		extraCerts = append(extraCerts, known...)
	}
	opts := &cms.VerifyOptions{Certificates: extraCerts}
	// The content of a detached signature; for an attached one a supplied
	// content is compared with the embedded one (POLICY.md).
	var suppliedDigest []byte // Streebog-256 of supplied content, attached case
	if sd.Detached {
		switch {
		case in.Content != nil:
			opts.Content = in.Content
		case in.ContentReader != nil:
			opts.ContentReader = in.ContentReader
		case in.ContentHash != nil:
			opts.ContentHash = &cms.ContentHash{Algorithm: hashAlgorithms[in.ContentHash.Algorithm].oid, Value: in.ContentHash.Value}
		}
	} else if in.Content != nil || in.ContentReader != nil {
		h := streebog.New256()
		if in.Content != nil {
			h.Write(in.Content)
		} else if _, err := io.Copy(h, in.ContentReader); err != nil {
			return fmt.Errorf("gostsig: reading the content: %w", err)
		}
		suppliedDigest = h.Sum(nil)
	}
	cr, err := sd.Verify(opts)
	if err != nil {
		if in.ContentReader != nil {
			return fmt.Errorf("gostsig: reading the content: %w", err)
		}
		return &InputError{Msg: err.Error()}
	}

	// Evidence carried by the document (SignedData crls, CAdES-X L
	// revocation-values) joins the caller's CRLs for this request.
	reqCRLs, badCRLs := parseCRLs(append(append([][]byte(nil), in.CRLs...), cr.CRLs...))
	ocsps, badOCSPs := parseOCSPs(cr.OCSPResponses)
	badCRLs = append(badCRLs, badOCSPs...)
	certs := cr.Certificates

	var mismatch string
	if suppliedDigest != nil {
		e := streebog.Sum256(sd.Content)
		if !bytes.Equal(e[:], suppliedDigest) {
			mismatch = "представленный документ не совпадает с содержимым, встроенным в подпись"
		}
	}
	if !sd.Detached && in.ContentHash != nil {
		// A hash supplied for an attached signature stands for the
		// presented document: it must be the embedded content's
		// (POLICY.md), in the algorithm it names.
		newHash, _, _ := gosthash.ByOID(hashAlgorithms[in.ContentHash.Algorithm].oid)
		h := newHash()
		h.Write(sd.Content)
		if !bytes.Equal(h.Sum(nil), in.ContentHash.Value) {
			mismatch = "переданный хеш документа (" + in.ContentHash.Algorithm + ") не совпадает с хешем содержимого, встроенного в подпись"
		}
	}

	// The usual document has one signature: it and all its parts are one
	// allocation (oneSignature).
	var one *oneSignature
	if n := countSigners(cr.Signers); n == 1 {
		one = new(oneSignature)
		res.Signatures = one.sig[:0]
	} else {
		res.Signatures = make([]Signature, 0, n)
	}
	var walk func(r *cms.SignerResult) error
	walk = func(r *cms.SignerResult) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		var store *sigStore
		var f *sigFacts
		if one != nil {
			store, f = &one.store, &one.facts
			one = nil
		} else {
			f = new(sigFacts)
		}
		v.cmsFacts(f, r, sd)
		if f.signedDataMissing != "" && sd.Detached && in.ContentHash != nil {
			// The hash given is not in the signer's digest algorithm:
			// say which one the signature needs.
			f.signedDataReason = "передан хеш документа по алгоритму " + hashDisplayName(hashAlgorithms[in.ContentHash.Algorithm].oid) +
				", а подпись требует хеш по алгоритму " + hashDisplayName(r.DigestAlgorithm)
			f.signedDataMissing = "отсоединённая подпись: " + f.signedDataReason
		}
		if mismatch != "" && !isCounter(r) {
			presentedMismatch(f, mismatch)
		}
		f.revocationNotes = badCRLs
		res.Signatures = append(res.Signatures, Signature{})
		if err := v.finish(ctx, &res.Signatures[len(res.Signatures)-1], store, f, certs, reqCRLs, ocsps, vt); err != nil {
			return err
		}
		for _, c := range r.CounterSignatures {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, r := range cr.Signers {
		if err := walk(r); err != nil {
			return err
		}
	}
	res.Profile = res.Signatures[0].Profile
	return nil
}

// oneSignature is the Signature of a document with one signer, its
// storage and the scratch facts it is decided from, allocated together
// (3448 bytes: keep it within the 3456-byte size class). The spent facts
// are not cleared: what they point to (the path, cached certificates,
// revocation facts) is small, and clearing pointers costs write barriers.
type oneSignature struct {
	sig   [1]Signature
	store sigStore
	facts sigFacts
}

// countSigners counts rs and their counter-signatures, nested.
func countSigners(rs []*cms.SignerResult) int {
	n := len(rs)
	for _, r := range rs {
		n += countSigners(r.CounterSignatures)
	}
	return n
}

// msgPresentedMismatch is the reason when the document presented with an
// attached signature is not the content it carries (POLICY.md, "Attached
// signature with a document supplied").
const msgPresentedMismatch = "представленный документ не совпадает с подписанным (содержимое, встроенное в подпись, не изменено)"

// presentedMismatch records that the document presented with an attached
// signature differs from the embedded content: the one message-digest
// check of the signer fails with that reason. When the embedded content
// itself does not match messageDigest, that failure stands and the
// presented document is only mentioned.
func presentedMismatch(f *sigFacts, detail string) {
	for i := range f.digests {
		d := &f.digests[i]
		if d.check != CheckMessageDigest || d.target != "content" {
			continue
		}
		if d.ok {
			*d = digestFact{check: CheckMessageDigest, target: "content", reason: msgPresentedMismatch,
				detail: "хеш встроенного содержимого совпадает с атрибутом messageDigest, но " + detail}
		} else {
			d.detail += "; кроме того, " + detail
		}
		return
	}
	// No signed attributes: the content's integrity rests on the
	// signature value, so nothing is claimed about it here.
	f.digests = append(f.digests, digestFact{check: CheckMessageDigest, target: "content", reason: "представленный документ не совпадает с подписанным", detail: detail})
}

// hashDisplayName names a digest algorithm for Russian text, with the
// name ContentHash and `gostsig hash -a` use.
func hashDisplayName(o asn1.ObjectIdentifier) string {
	switch n := digestName(o); n {
	case "streebog256":
		return "ГОСТ Р 34.11-2012 (256 бит, " + n + ")"
	case "streebog512":
		return "ГОСТ Р 34.11-2012 (512 бит, " + n + ")"
	case "gostr341194":
		return "ГОСТ Р 34.11-94 (" + n + ")"
	}
	return oidString(o)
}

func isCounter(r *cms.SignerResult) bool { return bytes.Contains([]byte(r.ID), []byte("/counter")) }

// trailingDataOffset returns where the outer element of data ends when
// err says data holds bytes after it. internal/ber measures the element
// (DER or BER, indefinite lengths included) and reports that offset; cms
// falls back to it for any input its DER fast path rejects.
func trailingDataOffset(err error, data []byte) (int, bool) {
	var be *ber.Error
	if !errors.As(err, &be) || !errors.Is(be, ber.ErrTrailingData) {
		return 0, false
	}
	if be.Offset <= 0 || be.Offset >= len(data) || data[0] != 0x30 {
		return 0, false
	}
	return be.Offset, true
}

// isPadding reports whether b is only what text-mode copies, mail and
// block-padding tools append to a file: ASCII white space and zero bytes.
func isPadding(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n', '\v', '\f', 0:
		default:
			return false
		}
	}
	return true
}

func cmsFormatDetail(sd *cms.SignedData, d detected) string {
	ber, detached := sd.WasBER && sd.Encoding != cms.EncodingBER, sd.Detached // PEM or base64 of BER: say both
	if e, n := sd.Encoding, len(sd.Signers); e >= cms.EncodingDER && e <= cms.EncodingBase64 && n < len(formatDetails[0][0][0]) {
		return formatDetails[e-cms.EncodingDER][b2i(ber)][b2i(detached)][n]
	}
	return renderFormatDetail(sd.Encoding, ber, detached, len(sd.Signers))
}

// formatDetails holds cmsFormatDetail's texts rendered once, by encoding,
// BER, detached and number of signers (up to 7).
var formatDetails = func() (t [cms.EncodingBase64 - cms.EncodingDER + 1][2][2][8]string) {
	for e := range t {
		for ber := range 2 {
			for det := range 2 {
				for n := range t[e][ber][det] {
					t[e][ber][det][n] = renderFormatDetail(cms.EncodingDER+cms.Encoding(e), ber == 1, det == 1, n)
				}
			}
		}
	}
	return t
}()

func renderFormatDetail(enc cms.Encoding, ber, detached bool, n int) string {
	b, kind := "", ", присоединённая подпись"
	if ber {
		b = ", BER"
	}
	if detached {
		kind = ", отсоединённая подпись"
	}
	return "CMS SignedData (" + enc.String() + b + kind + ", подписей: " + strconv.Itoa(n) + ")"
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func profileOf(l cms.Level) Profile {
	switch l {
	case cms.LevelBES:
		return ProfileCAdESBES
	case cms.LevelT:
		return ProfileCAdEST
	case cms.LevelXLongType1:
		return ProfileCAdESXLong1
	}
	return ProfileCMS
}

func familyOf(a gost3410.Algorithm) algFamily {
	switch a {
	case gost3410.GOST2001:
		return algGOST2001
	case gost3410.GOST2012_256:
		return algGOST2012_256
	case gost3410.GOST2012_512:
		return algGOST2012_512
	}
	return algUnknown
}

// cmsFacts maps the cms layer's checks of one signer onto the facts model,
// into *f, which is zero.
func (v *Verifier) cmsFacts(f *sigFacts, r *cms.SignerResult, sd *cms.SignedData) {
	f.id = r.ID
	f.profile = profileOf(r.Level)
	f.sigAlgOID = r.SignatureAlgorithm
	f.digestAlgOID = r.DigestAlgorithm
	f.alg = familyOf(r.Algorithm)
	f.signer = r.Signer
	f.claimed = r.SigningTime
	for _, c := range r.Checks {
		// c.Detail is the cms layer's English: it goes to Check.Cause,
		// the Russian text is written here.
		detail := c.Detail
		switch c.Reason {
		case cms.ReasonMalformed, cms.ReasonMissingAttribute, cms.ReasonContentTypeMismatch:
			if f.formatErr == "" {
				switch c.Reason {
				case cms.ReasonMissingAttribute:
					f.formatErr = "в подписи нет обязательного подписанного атрибута"
				case cms.ReasonContentTypeMismatch:
					f.formatErr = "атрибут contentType не совпадает с типом подписанного содержимого"
				default:
					f.formatErr = "структура подписи (SignerInfo) повреждена"
				}
				f.formatErr += " (проверка " + string(c.Name) + ")"
				f.formatCause = cms.Check{Name: c.Name, Status: c.Status, Reason: c.Reason, Detail: detail}.String()
			}
			continue
		case cms.ReasonUnsupportedAlgorithm:
			if f.badAlgOID == "" {
				f.badAlgOID = c.OID.String()
				if len(c.OID) == 0 {
					f.badAlgOID = r.SignatureAlgorithm.String()
				}
			}
			continue
		}
		switch c.Name {
		case cms.CheckMessageDigest:
			switch {
			case c.Status == cms.Passed:
				f.digests = append(f.digests, digestFact{check: CheckMessageDigest, target: "content", ok: true, detail: "хеш содержимого совпадает с атрибутом messageDigest"})
			case c.Reason == cms.ReasonContentMissing:
				f.signedDataMissing = "отсоединённая подпись: не передан подписанный документ или его хеш"
				f.signedDataCause = detail
			case c.Reason == cms.ReasonDigestMismatch:
				f.digests = append(f.digests, digestFact{check: CheckMessageDigest, target: "content",
					detail: "хеш содержимого не совпадает со значением атрибута messageDigest", cause: detail})
			case c.Status == cms.NotApplicable && r.Info != nil && r.Info.RawSignedAttrs == nil:
				f.noSignedAttrs = true
			}
		case cms.CheckSignerCertificate:
			if c.Status != cms.Passed {
				f.signerMissing = "сертификат подписанта не найден ни в подписи, ни среди переданных и известных сертификатов"
				if c.Reason == cms.ReasonSignerKey {
					f.signerMissing = "ключ проверки в сертификате подписанта непригоден для проверки подписи"
				}
				f.signerCause = detail
			}
		case cms.CheckSigningCertRef:
			switch c.Status {
			case cms.Passed:
				f.signingCertRef = 1
			case cms.Failed:
				f.signingCertRef = -1
				f.signer = nil
				f.signerMissing = "атрибут signingCertificate(V2) указывает на другой сертификат"
				f.signerCause = detail
			}
		case cms.CheckSignatureValue:
			switch c.Status {
			case cms.Passed:
				f.sigValueOK = true
				f.sigValueDetail = "подпись проверена ключом сертификата подписанта"
			case cms.Failed:
				f.sigValueDetail = "значение подписи не проверяется ключом сертификата подписанта"
				f.sigValueCause = detail
			case cms.Indeterminate:
				if c.Reason == cms.ReasonContentMissing {
					// The signature over the content itself (no signed
					// attributes) cannot be checked without the content.
					f.signedDataMissing = "отсоединённая подпись без подписанных атрибутов: не передан подписанный документ"
				}
				f.sigValueDetail = "значение подписи не проверено"
				f.sigValueCause = detail
			}
		case cms.CheckAlgorithm:
			if c.Status == cms.Failed && c.Reason == cms.ReasonAlgorithmMismatch {
				f.sigValueOK = false
				f.sigValueDetail = "алгоритмы хеширования, подписи и ключа не согласованы"
				f.sigValueCause = detail
			}
		case cms.CheckAlgorithmProtection:
			if c.Status == cms.Failed {
				f.sigValueOK = false
				f.sigValueDetail = "атрибут CMSAlgorithmProtection не совпадает с алгоритмами подписи"
				f.sigValueCause = detail
			}
		case cms.CheckCompleteRefs, cms.CheckCAdESCTimeStamp, cms.CheckCounterSignatures:
			// Recorded as they are; a counter-signature gets its own
			// verdict as a Signature of its own.
			if c.Status != cms.NotApplicable {
				f.extraChecks = append(f.extraChecks, Check{Name: string(c.Name), Status: cmsStatus(c.Status),
					Detail: cmsExtraCheckRU(c.Name, c.Status), Cause: detail, Level: LevelInform})
			}
		}
	}
	// A mismatching algorithm check overrides a passed signature value:
	// the signature cannot be valid as written.
	if c := r.Check(cms.CheckAlgorithm); c.Status == cms.Failed && c.Reason == cms.ReasonAlgorithmMismatch {
		f.sigValueOK = false
	}
	if c := r.Check(cms.CheckAlgorithmProtection); c.Status == cms.Failed {
		f.sigValueOK = false
	}
	f.ts, f.tsLater = cmsTimestamps(r)
	if v.diagnostic {
		f.diag = &Diagnostic{DigestAlgorithm: digestName(r.DigestAlgorithm)}
		if r.Signer != nil {
			f.diag.SignerCertificate = r.Signer.Raw
		}
		if r.Info != nil {
			if a := r.Info.Attr(oid.AttrMessageDigest); a != nil && len(a.Values) == 1 {
				// the value is an OCTET STRING: skip its tag and length
				{
					v := cryptobyte.String(a.Values[0])
					var md cryptobyte.String
					if v.ReadASN1(&md, cbasn1.OCTET_STRING) {
						f.diag.Digests = append(f.diag.Digests, DigestDiag{Target: "content (messageDigest)",
							Algorithm: digestName(r.DigestAlgorithm), Claimed: hex.EncodeToString(md)})
					}
				}
			}
		}
	}
}

func cmsStatus(s cms.Status) Status {
	switch s {
	case cms.Passed:
		return StatusPassed
	case cms.Failed:
		return StatusFailed
	case cms.Indeterminate:
		return StatusIndeterminate
	}
	return StatusSkipped
}

// finish completes the facts of one signature with the time-stamp's TSA,
// the best signature time, the path and the revocation status, and
// applies the policy.
//
// The verdict is written into *sig (zero on entry), its slices into store
// when not nil.
func (v *Verifier) finish(ctx context.Context, sig *Signature, store *sigStore, f *sigFacts, certs []*cert.Certificate, reqCRLs *crlSet, ocsps []*crl.OCSPResponse, vt time.Time) error {
	if err := v.tsaFacts(ctx, f, certs, reqCRLs, ocsps, vt); err != nil {
		return err
	}
	// After the TSA path's revocation status: BST rests on the
	// time-stamp only if that did not take its validity away.
	st, poe := v.policy.bestSignatureTime(f, vt)
	if f.formatErr == "" {
		if err := v.pathFacts(ctx, f, certs, st.Best); err != nil {
			return err
		}
		v.revocationFacts(ctx, f, st.Best, poe, vt, reqCRLs, ocsps)
	}
	if f.diag != nil {
		for _, c := range f.chain {
			f.diag.ChainCertificates = append(f.diag.ChainCertificates, c.Raw)
		}
	}
	v.policy.evaluateInto(sig, store, f, vt, &v.descs)
	return nil
}

// cmsTimestamps maps the signature time-stamp tokens onto tsFacts: the
// earliest one that verified (it proves the most), else the first one,
// whose failure row 17 reports; then the other tokens that verified, in
// genTime order, for tsaFacts to fall back on when the first one's TSA
// does not stand (POLICY.md "Best signature time": a valid signature
// time-stamp, any of them, proves the signature existed at its genTime).
func cmsTimestamps(r *cms.SignerResult) (*tsFact, []tsFact) {
	var passed []*cms.TimeStamp
	for _, t := range r.TimeStamps {
		if t.Status == cms.Passed {
			passed = append(passed, t)
		}
	}
	if len(passed) == 0 {
		if len(r.TimeStamps) == 0 {
			return nil, nil
		}
		t := r.TimeStamps[0]
		d := t.Detail
		if d == "" {
			d = t.Reason.String()
		}
		return &tsFact{valid: false, detail: "подпись штампа, его хеш или сертификат службы штампов времени не проверяются", cause: d, genTime: t.GenTime(), tsa: t.TSA}, nil
	}
	// Stable: tokens of equal genTime keep their order in the signature.
	slices.SortStableFunc(passed, func(a, b *cms.TimeStamp) int { return a.GenTime().Compare(b.GenTime()) })
	// One allocation for all of them: the usual single token costs what
	// it did before there were later ones to fall back on.
	facts := make([]tsFact, len(passed))
	for i, t := range passed {
		facts[i] = tsFact{valid: true, genTime: t.GenTime(), tsa: t.TSA}
	}
	return &facts[0], facts[1:]
}

// cmsExtraCheckRU is the Russian detail of the cms checks recorded as
// they are (inform); the cms layer's own text goes to Check.Cause.
func cmsExtraCheckRU(name cms.CheckName, st cms.Status) string {
	what := string(name)
	switch name {
	case cms.CheckCompleteRefs:
		what = "ссылки CAdES-C на сертификаты и списки отзыва (complete-references)"
	case cms.CheckCAdESCTimeStamp:
		what = "штамп времени CAdES-C"
	case cms.CheckCounterSignatures:
		what = "заверяющие подписи (counterSignature)"
	}
	switch st {
	case cms.Passed:
		return what + ": проверка пройдена"
	case cms.Failed:
		return what + ": проверка не пройдена"
	case cms.Indeterminate:
		return what + ": проверить не удалось"
	}
	return what + ": не проверялось"
}
