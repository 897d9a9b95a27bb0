package gostsig

import (
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/internal/oid"
)

// The policy engine: validation-policy.md's decision table applied to a
// sigFacts, top to bottom, the first matching row deciding the verdict.
// Every row records its check (passed, failed, indeterminate or skipped)
// whether or not an earlier row already decided, so that the detailed
// report shows all that was found; rows whose inputs do not exist (no
// signer certificate, no path) are recorded as skipped with the reason.

// bestSignatureTime implements validation-policy.md, "Best signature time".
// poe reports whether BST rests on evidence of the moment of signing (a
// verified time-stamp, or a claimed time the policy trusts) rather than on
// the validation time.
func (p *Policy) bestSignatureTime(f *sigFacts, vt time.Time) (st SigningTime, poe bool) {
	st = SigningTime{Best: vt, Source: TimeSourceValidationTime, Claimed: utc(f.claimed)}
	// 1. A valid signature time-stamp, not from the future of the check.
	if f.ts != nil && f.ts.valid && !f.ts.genTime.After(vt) {
		st.Best, st.Source = utc(f.ts.genTime), TimeSourceTimestamp
		return st, true
	}
	// 3. The claimed signingTime, only when the policy trusts it; a claim
	// later than the validation time (beyond the skew) is not believed.
	if p.TrustClaimedSigningTime && !f.claimed.IsZero() && !f.claimed.After(vt.Add(time.Duration(p.ClockSkew))) {
		best := f.claimed
		if best.After(vt) {
			best = vt
		}
		st.Best, st.Source = utc(best), TimeSourceClaimed
		return st, true
	}
	// 2. Otherwise the validation time.
	return st, false
}

type evaluator struct {
	p   *Policy
	dc  *descCache
	f   *sigFacts
	vt  time.Time
	bst time.Time
	poe bool
	sig *Signature
	// store holds the Signature's slices and pointees; nil when they
	// were allocated one by one.
	store *sigStore

	decided  bool
	reason   string
	tryLater bool   // row 16 decides TRY_LATER (set by addFreshness)
	bstStr   string // bstText(), made on first use

	// texts holds the details of the checks a signature passes (text):
	// one allocation for all of them.
	texts strings.Builder
}

// textChunk is the room texts takes at a time: a passed signature's
// details come to about 700 bytes.
const textChunk = 1024

// text returns the concatenation of parts, written into e.texts. A
// strings.Builder never changes the bytes of a string it returned, and a
// full chunk is left to the strings cut from it, so every text stays
// intact.
func (e *evaluator) text(parts ...string) string {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	start := e.room(n)
	for _, p := range parts {
		e.texts.WriteString(p)
	}
	return e.texts.String()[start:]
}

// textBytes is text of one part given as bytes.
func (e *evaluator) textBytes(b []byte) string {
	start := e.room(len(b))
	e.texts.Write(b)
	return e.texts.String()[start:]
}

// room makes room for n more bytes in e.texts, in a new chunk when the
// current one is short (the old one stays with the strings cut from it),
// and returns where they start.
func (e *evaluator) room(n int) int {
	if e.texts.Cap()-e.texts.Len() < n {
		e.texts = strings.Builder{}
		e.texts.Grow(max(n, textChunk))
	}
	return e.texts.Len()
}

// bstText is BST named by its source and rendered once per signature
// ("время проверки 22.11.2026 12:00:00 UTC"): most rows say it. Without a
// time-stamp BST is the validation time, which is not a moment of signing,
// so no detail may call it "время подписи" (QA2 F1).
func (e *evaluator) bstText() string {
	if e.bstStr == "" {
		l := timeSourceLabel(e.sig.SigningTime.Source)
		var buf [96]byte // the longest label and a time fit: no allocation but the text
		b := append(append(buf[:0], l...), ' ')
		e.bstStr = e.textBytes(appendTimeRU(b, e.bst))
	}
	return e.bstStr
}

// timeSourceLabel names a best signature time by where it came from.
func timeSourceLabel(s TimeSource) string {
	switch s {
	case TimeSourceTimestamp:
		return "время из штампа времени"
	case TimeSourceClaimed:
		return "заявленное время подписания"
	default:
		return "время проверки"
	}
}

// noPOEClause ends a reason whose fact holds at the validation time only:
// without a time-stamp, when the signature was made is unknown.
const noPOEClause = "момент подписания не подтверждён штампом времени, поэтому проверить, "

// decide records the verdict of the first matching row; later calls are
// ignored.
func (e *evaluator) decide(ind Indication, sub SubIndication, reason string) {
	if e.decided {
		return
	}
	e.decided = true
	e.sig.Indication, e.sig.SubIndication = ind, sub
	if reason == "" {
		reason = subIndicationReasons[sub]
	}
	e.reason = reason
}

func (e *evaluator) add(c Check) { e.sig.Checks = append(e.sig.Checks, c) }

// rule records check c under rule r's level and, when the level is fail
// and the check did not pass, decides the verdict.
func (e *evaluator) rule(r Rule, c Check, ind Indication, sub SubIndication, reason string) {
	switch l := e.p.Level(r); l {
	case LevelIgnore:
		e.add(Check{Name: c.Name, Status: StatusSkipped, Detail: "правило «" + string(r) + "» отключено политикой проверки"})
		return
	case LevelWarn, LevelInform:
		c.Level = l
		e.add(c)
		return
	}
	e.add(c)
	if c.Status == StatusFailed || c.Status == StatusIndeterminate {
		e.decide(ind, sub, reason)
	}
}

// evaluate applies the policy to the facts of one signature at validation
// time vt.
func (p *Policy) evaluate(f *sigFacts, vt time.Time, dc *descCache) Signature {
	var sig Signature
	p.evaluateInto(&sig, nil, f, vt, dc)
	return sig
}

// sigStore is the storage of one Signature's slices and pointees for the
// usual signature (a path of up to three certificates, up to
// sigStoreChecks checks), allocated in one piece instead of six: a Result
// owns it whole. A longer list outgrows it and is reallocated by append.
type sigStore struct {
	checks  [sigStoreChecks]Check
	chain   [sigStoreChain]ChainCert
	rev     [sigStoreRevocations]Revocation
	signer  CertInfo
	alg     [2]Algorithm
	reasons [1]Reason
}

const (
	sigStoreChecks      = 19 // the 18 rows and a content digest
	sigStoreChain       = 3  // leaf, CA, root: a qualified certificate's usual path
	sigStoreRevocations = 2  // the path but its anchor
)

// evaluateInto is evaluate writing into *sig (zero on entry), with its
// slices in st when st is not nil.
func (p *Policy) evaluateInto(sig *Signature, st *sigStore, f *sigFacts, vt time.Time, dc *descCache) {
	e := &evaluator{p: p, f: f, vt: vt, dc: dc, sig: sig}
	e.sig.ID = f.id
	e.sig.Profile = f.profile
	e.sig.SigningTime, e.poe = p.bestSignatureTime(f, vt)
	e.bst = e.sig.SigningTime.Best
	nChecks := 18 + len(f.digests) + len(f.extraChecks)
	if st == nil && (nChecks > sigStoreChecks || len(f.chain) > sigStoreChain || len(f.revocation) > sigStoreRevocations) {
		// Unused for a long list: one allocation is no saving then.
		e.sig.Revocation = make([]Revocation, 0, len(f.revocation))
		e.sig.Checks = make([]Check, 0, nChecks)
		e.sig.Chain = make([]ChainCert, 0, len(f.chain))
	} else {
		if st == nil {
			st = new(sigStore)
		}
		e.sig.Revocation = st.rev[:0]
		e.sig.Checks = st.checks[:0]
		e.sig.Chain = st.chain[:0]
		e.store = st
	}
	e.sig.Diagnostic = f.diag
	if f.signer != nil {
		e.sig.Signer = e.signerInfo(f.signer)
	}
	if len(f.sigAlgOID) > 0 {
		e.sig.Algorithm = e.algorithmInfo()
	}
	if f.ts != nil {
		e.sig.Timestamp = timestampInfo(f.ts, vt, dc)
	}
	for i, c := range f.chain {
		cc := dc.get(c).chain
		cc.Anchor = i == len(f.chain)-1 && f.chainStatus == chainOK
		e.sig.Chain = append(e.sig.Chain, cc)
	}
	for _, r := range f.revocation {
		e.sig.Revocation = append(e.sig.Revocation, r.entry)
	}

	e.rowFormat()
	e.rowAlgorithm()
	e.rowSignedData()
	e.rowDigests()
	e.rowSigner()
	e.rowSignatureValue()
	e.rowChain()
	e.rowNotYetValid()
	e.rowTimestampPending()
	e.rowRevoked()
	e.rowValidity()
	e.rowPrivateKeyUsage()
	e.rowAlgorithmDate()
	e.rowFreshness()
	e.rowTimestamp()
	e.sig.Checks = append(e.sig.Checks, f.extraChecks...)
	if len(f.revocationNotes) > 0 {
		for i := range e.sig.Checks {
			if c := &e.sig.Checks[i]; c.Name == CheckRevocation {
				for j, n := range f.revocationNotes {
					if j == 0 {
						c.Detail += "; не учтено: " + n.ru
					} else {
						c.Detail += "; " + n.ru
					}
					c.Cause = strings.TrimPrefix(c.Cause+"; "+n.cause, "; ")
				}
				break
			}
		}
	}

	if !e.decided {
		e.sig.Indication = TotalPassed
	}
	e.sig.MessageRU = messageRU(e.sig.Indication, e.reason)
	e.sig.ReasonRU = sentence(e.reason)
	e.qualify()
}

// Row 1: FORMAT_FAILURE.
func (e *evaluator) rowFormat() {
	if e.f.formatErr != "" {
		e.add(Check{Name: CheckFormat, Status: StatusFailed, Detail: e.f.formatErr, Cause: e.f.formatCause})
		e.decide(TotalFailed, FormatFailure, "")
		return
	}
	e.add(Check{Name: CheckFormat, Status: StatusPassed, Detail: "структура подписи разобрана"})
}

// Row 2: CRYPTO_CONSTRAINTS_FAILURE for a non-GOST or disabled algorithm
// (validation-policy.md, "Algorithms": the OID is named in the message).
func (e *evaluator) rowAlgorithm() {
	f := e.f
	switch {
	case f.formatErr != "" && len(f.sigAlgOID) == 0:
		e.add(Check{Name: CheckAlgorithm, Status: StatusSkipped, Detail: "алгоритм не определён: структура подписи повреждена"})
	case f.badAlgOID != "" || f.alg == algUnknown:
		bad := f.badAlgOID
		if bad == "" {
			bad = f.sigAlgOID.String()
		}
		r := "использован алгоритм " + bad + ", не являющийся алгоритмом ГОСТ"
		e.add(Check{Name: CheckAlgorithm, Status: StatusFailed, Detail: r})
		e.decide(Indeterminate, CryptoConstraintsFailure, r)
	case e.p.Algorithms[f.alg.policyName()].Disabled:
		r := "алгоритм " + algDisplayName(f.alg) + " запрещён политикой проверки"
		e.add(Check{Name: CheckAlgorithm, Status: StatusFailed, Detail: r})
		e.decide(Indeterminate, CryptoConstraintsFailure, r)
	default:
		e.add(Check{Name: CheckAlgorithm, Status: StatusPassed, Detail: algDisplayName(f.alg)})
	}
}

// Row 3: SIGNED_DATA_NOT_FOUND.
func (e *evaluator) rowSignedData() {
	if e.f.signedDataMissing != "" {
		e.add(Check{Name: CheckSignedData, Status: StatusFailed, Detail: e.f.signedDataMissing, Cause: e.f.signedDataCause})
		e.decide(Indeterminate, SignedDataNotFound, e.f.signedDataReason)
	}
}

// Row 4: HASH_FAILURE.
func (e *evaluator) rowDigests() {
	f := e.f
	if f.noSignedAttrs && !hasDigestCheck(f.digests, CheckMessageDigest) {
		e.add(Check{Name: CheckMessageDigest, Status: StatusSkipped,
			Detail: "подписанных атрибутов нет: целостность содержимого проверяется вместе со значением подписи"})
	}
	for _, d := range f.digests {
		c := Check{Name: d.check, Detail: d.detail, Cause: d.cause}
		if d.target != "" && d.target != "content" {
			c.Detail = strings.TrimSpace(d.target + ": " + d.detail)
		}
		if d.ok {
			c.Status = StatusPassed
			e.add(c)
			if d.fallback {
				e.add(Check{Name: CheckSMEVEscaping, Status: StatusPassed,
					Detail: d.target + ": хеш совпал только при экранировании по правилам JDK (smev-xmldsig.md §5.3)"})
			}
			continue
		}
		c.Status = StatusFailed
		e.add(c)
		reason := d.reason
		switch {
		case reason != "":
		case d.check == CheckReferenceDigest:
			reason = "документ изменён после подписания: не совпадает хеш подписанного элемента " + d.target
		case d.check == CheckAttachmentDigest:
			reason = "вложение " + d.target + " изменено после подписания"
		}
		e.decide(TotalFailed, HashFailure, reason)
	}
}

func hasDigestCheck(ds []digestFact, name string) bool {
	for _, d := range ds {
		if d.check == name {
			return true
		}
	}
	return false
}

// Row 5: NO_SIGNING_CERTIFICATE_FOUND.
func (e *evaluator) rowSigner() {
	f := e.f
	switch f.signingCertRef {
	case 1:
		e.add(Check{Name: CheckSigningCertRef, Status: StatusPassed, Detail: "хеш сертификата в атрибуте signingCertificateV2 совпадает"})
	case -1:
		e.add(Check{Name: CheckSigningCertRef, Status: StatusFailed, Detail: "атрибут signingCertificate(V2) не соответствует ни одному сертификату"})
	}
	if f.signer == nil {
		if f.formatErr != "" {
			e.add(Check{Name: CheckSigningCertificate, Status: StatusSkipped, Detail: "структура подписи повреждена"})
			return
		}
		d := f.signerMissing
		if d == "" {
			d = "сертификат подписанта не найден ни в подписи, ни среди переданных сертификатов"
		}
		e.add(Check{Name: CheckSigningCertificate, Status: StatusFailed, Detail: d, Cause: f.signerCause})
		e.decide(Indeterminate, NoSigningCertificateFound, "")
		return
	}
	e.add(Check{Name: CheckSigningCertificate, Status: StatusPassed, Detail: e.dc.label(f.signer)})
}

// Row 6: SIG_CRYPTO_FAILURE.
func (e *evaluator) rowSignatureValue() {
	f := e.f
	switch {
	case f.signer == nil:
		e.add(Check{Name: CheckSignatureValue, Status: StatusSkipped, Detail: "нет сертификата подписанта"})
	case f.sigValueOK:
		e.add(Check{Name: CheckSignatureValue, Status: StatusPassed, Detail: f.sigValueDetail})
	default:
		d := f.sigValueDetail
		if d == "" {
			d = "значение подписи не проверяется ключом сертификата подписанта"
		}
		e.add(Check{Name: CheckSignatureValue, Status: StatusFailed, Detail: d, Cause: f.sigValueCause})
		reason := ""
		if f.noSignedAttrs {
			reason = "значение подписи не соответствует подписанным данным: документ изменён после подписания или подпись искажена"
		}
		e.decide(TotalFailed, SigCryptoFailure, reason)
	}
}

// Rows 7–8: NO_CERTIFICATE_CHAIN_FOUND, CHAIN_CONSTRAINTS_FAILURE (with
// the signer's keyUsage).
func (e *evaluator) rowChain() {
	f := e.f
	if f.signer == nil {
		e.add(Check{Name: CheckChain, Status: StatusSkipped, Detail: "нет сертификата подписанта"})
		return
	}
	c := Check{Name: CheckChain, Detail: f.chainDetail, Cause: f.chainCause}
	var sub SubIndication
	switch {
	case f.chainStatus == chainNotBuilt || (f.chainStatus == chainOK && len(f.chain) == 0):
		e.add(Check{Name: CheckChain, Status: StatusSkipped, Detail: "цепочка не строилась: подпись не разобрана"})
		return
	case f.chainStatus == chainOK:
		c.Status = StatusPassed
		if c.Detail == "" {
			c.Detail = e.text("цепочка из ", strconv.Itoa(len(f.chain)), " сертификатов до доверенного корневого сертификата ", e.dc.label(f.chain[len(f.chain)-1]))
		}
	case f.chainStatus == chainNotChecked:
		e.add(Check{Name: CheckChain, Status: StatusSkipped, Detail: "цепочка не проверялась: правило отключено политикой"})
		return
	case f.chainStatus == chainNotFound:
		c.Status, sub = StatusIndeterminate, NoCertificateChainFound
	case f.chainStatus == chainConstraints:
		c.Status, sub = StatusFailed, ChainConstraintsFailure
	default:
		c.Status, sub = StatusIndeterminate, CertificateChainGeneralFailure
	}
	e.rule(RuleChain, c, Indeterminate, sub, "")

	s := f.signer
	if s.KeyUsageValid && s.KeyUsage&(cert.KeyUsageDigitalSignature|cert.KeyUsageContentCommitment) == 0 {
		e.rule(RuleSignerKeyUsage, Check{Name: CheckKeyUsage, Status: StatusFailed,
			Detail: "назначение ключа (keyUsage) сертификата подписанта не допускает электронную подпись"},
			Indeterminate, ChainConstraintsFailure, "назначение ключа сертификата подписанта не допускает электронную подпись")
	} else {
		d := "keyUsage допускает электронную подпись"
		if !s.KeyUsageValid {
			d = "расширение keyUsage отсутствует: ограничений нет"
		}
		e.add(Check{Name: CheckKeyUsage, Status: StatusPassed, Detail: d})
	}
}

// Row 9: NOT_YET_VALID (not a rule: never relaxed).
func (e *evaluator) rowNotYetValid() {
	s := e.f.signer
	if s == nil {
		return
	}
	if e.bst.Before(s.NotBefore) {
		e.add(Check{Name: CheckNotYetValid, Status: StatusFailed,
			Detail: fmt.Sprintf("%s раньше начала срока действия сертификата %s", e.bstText(), fmtTime(s.NotBefore))})
		e.decide(TotalFailed, NotYetValid, "")
		return
	}
	e.add(Check{Name: CheckNotYetValid, Status: StatusPassed, Detail: e.dc.get(s).validFrom})
}

// tsaTryLaterReason is the reason of a TRY_LATER decided by a time-stamp
// whose TSA path's revocation status is not known (rowTimestampPending).
const tsaTryLaterReason = "статус отзыва сертификата службы штампов времени не установлен; повторите проверку с его списком отзыва"

// tsPending reports whether the signature's time-stamp is not valid only
// because the revocation status of its TSA path at genTime is not known
// (tsaRevocation): newer evidence may make it valid.
func (e *evaluator) tsPending() bool { return e.f.ts != nil && e.f.ts.tryLater }

// Before row 10: TRY_LATER for a time-stamp whose TSA path's revocation
// status is not known (POLICY.md "Best signature time"). Rows 10–15 ask
// their questions at BST, and the time-stamp, were it proven, would move
// BST from the validation time to genTime: a signer revoked or expired
// between the two is then REVOKED_NO_POE or OUT_OF_BOUNDS_NO_POE only for
// want of the TSA's CRL, and the answer is the freshness row's — not
// proven now, check again with the evidence — decided here, ahead of
// them. Rows 1–9 do not depend on it (a signature not yet valid at the
// validation time was not valid at the earlier genTime either). Row 17
// records the time-stamp's check under the same rule.
func (e *evaluator) rowTimestampPending() {
	if e.tsPending() && e.p.Level(RuleTimestamp) == LevelFail {
		e.decide(Indeterminate, TryLater, tsaTryLaterReason)
	}
}

// Rows 10–12: REVOKED, REVOKED_NO_POE, REVOKED_CA_NO_POE.
func (e *evaluator) rowRevoked() {
	f := e.f
	if f.revocation == nil {
		d := f.revocationSkipped
		if d == "" {
			d = "статус отзыва не проверялся: цепочка сертификатов не построена"
		}
		e.add(Check{Name: CheckRevocation, Status: StatusSkipped, Detail: d})
		return
	}
	if e.p.Level(RuleRevocation) == LevelIgnore {
		e.rule(RuleRevocation, Check{Name: CheckRevocation}, 0, 0, "")
		return
	}
	var signerRevoked, caRevoked *revFact
	var later []string
	for i := range f.revocation {
		r := &f.revocation[i]
		if r.status != RevocationRevoked {
			continue
		}
		if r.revokedAt.After(e.bst) {
			what := "отозван"
			if r.entry.Suspended() {
				what = "приостановлен"
			}
			later = append(later, fmt.Sprintf("%s %s %s, позже, чем %s", e.dc.label(r.cert), what, fmtTime(r.revokedAt), e.bstText()))
			continue
		}
		if i == 0 {
			signerRevoked = r
		} else if caRevoked == nil {
			caRevoked = r
		}
	}
	switch {
	case signerRevoked != nil && e.poe:
		what, reason := "сертификат подписанта отозван", ""
		if signerRevoked.entry.Suspended() {
			what, reason = "действие сертификата подписанта приостановлено", "действие сертификата подписанта приостановлено до момента подписания"
		}
		e.rule(RuleRevocation, Check{Name: CheckRevocation, Status: StatusFailed,
			Detail: fmt.Sprintf("%s %s%s, раньше момента подписания (%s)", what, fmtTime(signerRevoked.revokedAt), reasonSuffix(signerRevoked), e.bstText())},
			TotalFailed, Revoked, reason)
	case signerRevoked != nil:
		what, reason := "сертификат подписанта отозван", ""
		if signerRevoked.entry.Suspended() {
			what, reason = "действие сертификата подписанта приостановлено",
				"действие сертификата подписанта приостановлено, а штампа времени, доказывающего создание подписи до приостановления, нет"
		}
		noTS := "штампа времени, доказывающего подписание раньше, нет"
		if e.tsPending() {
			noTS = "штамп времени, который мог бы доказать подписание раньше, не подтверждён: статус отзыва сертификата службы штампов времени не установлен"
		}
		e.rule(RuleRevocation, Check{Name: CheckRevocation, Status: StatusIndeterminate,
			Detail: fmt.Sprintf("%s %s%s; %s", what, fmtTime(signerRevoked.revokedAt), reasonSuffix(signerRevoked), noTS)},
			Indeterminate, RevokedNoPOE, reason)
	case caRevoked != nil:
		what, reason := "отозван", ""
		if caRevoked.entry.Suspended() {
			what, reason = "приостановлен", "действие сертификата удостоверяющего центра в цепочке приостановлено"
		}
		e.rule(RuleRevocation, Check{Name: CheckRevocation, Status: StatusIndeterminate,
			Detail: fmt.Sprintf("сертификат удостоверяющего центра %s %s %s%s", e.dc.label(caRevoked.cert), what, fmtTime(caRevoked.revokedAt), reasonSuffix(caRevoked))},
			Indeterminate, RevokedCANoPOE, reason)
	default:
		unknown := 0
		for _, r := range f.revocation {
			if r.status != RevocationGood && r.status != RevocationRevoked {
				unknown++
			}
		}
		if unknown > 0 {
			// Not passed: the status of some is unknown. The one
			// revocation check carries the freshness outcome (row 16).
			e.addFreshness(later)
			return
		}
		d := e.text("ни один из ", strconv.Itoa(len(f.revocation)), " сертификатов цепочки не отозван на ", e.bstText())
		if len(later) > 0 {
			d += "; " + strings.Join(later, "; ")
		}
		e.add(Check{Name: CheckRevocation, Status: StatusPassed, Detail: d})
	}
}

// reasonSuffix names the CRLReason of a revocation in Russian, when given.
func reasonSuffix(r *revFact) string {
	if r.entry.Reason == "" {
		return ""
	}
	return " (причина: " + RevocationReasonRU(r.entry.Reason) + ")"
}

// Row 13: OUT_OF_BOUNDS_NO_POE for a certificate of the path not valid at
// BST. The anchor counts: an expired root vouches for nothing (the shell
// model that Russian verifiers apply).
func (e *evaluator) rowValidity() {
	f := e.f
	if len(f.chain) == 0 {
		return
	}
	for _, c := range f.chain {
		if e.bst.Before(c.NotBefore) || e.bst.After(c.NotAfter) {
			what := "срок действия сертификата " + e.dc.label(c) + " истёк " + fmtTime(c.NotAfter)
			// Before notBefore the signature, which exists at BST, was
			// made before the certificate began: proven even at the
			// validation time. After notAfter, only a BST with evidence
			// tells when it was made.
			reason := "сертификат не действовал в момент подписания (" + e.bstText() + "): " + what
			switch {
			case e.bst.Before(c.NotBefore):
				what = "сертификат " + e.dc.label(c) + " начинает действовать только " + fmtTime(c.NotBefore)
				reason = "сертификат не действовал в момент подписания: " + what + ", позже, чем " + e.bstText()
			case !e.poe:
				reason = "сертификат не действует на время проверки (" + fmtDate(e.bst) + "): " + what + "; " +
					noPOEClause + "действовал ли сертификат при подписании, нельзя"
			case e.sig.SigningTime.Source == TimeSourceClaimed:
				reason = "сертификат не действовал на заявленное время подписания (" + fmtTime(e.bst) + "): " + what
			}
			e.rule(RuleValidityPeriod, Check{Name: CheckValidityPeriod, Status: StatusFailed,
				Detail: what + " (" + e.bstText() + ")"},
				Indeterminate, OutOfBoundsNoPOE, reason)
			return
		}
	}
	e.add(Check{Name: CheckValidityPeriod, Status: StatusPassed,
		Detail: e.text("все сертификаты цепочки (", strconv.Itoa(len(f.chain)), ") действуют на ", e.bstText())})
}

// Row 14: OUT_OF_BOUNDS_NO_POE for a signing key used outside its
// privateKeyUsagePeriod.
func (e *evaluator) rowPrivateKeyUsage() {
	s := e.f.signer
	if s == nil {
		return
	}
	p := s.PrivateKeyUsage
	if p.NotBefore.IsZero() && p.NotAfter.IsZero() {
		e.add(Check{Name: CheckPrivateKeyUsage, Status: StatusSkipped, Detail: "расширение privateKeyUsagePeriod отсутствует"})
		return
	}
	switch {
	case !p.NotBefore.IsZero() && e.bst.Before(p.NotBefore):
		e.rule(RulePrivateKeyUsagePeriod, Check{Name: CheckPrivateKeyUsage, Status: StatusFailed,
			Detail: fmt.Sprintf("ключ подписи действует с %s, %s", fmtTime(p.NotBefore), e.bstText())},
			Indeterminate, OutOfBoundsNoPOE, "ключ электронной подписи использован до начала срока его действия")
	case !p.NotAfter.IsZero() && e.bst.After(p.NotAfter):
		reason := "ключ электронной подписи использован после окончания срока его действия (" + e.bstText() + ")"
		if !e.poe {
			reason = "срок действия ключа электронной подписи истёк " + fmtTime(p.NotAfter) + "; на время проверки (" +
				fmtDate(e.bst) + ") ключ не действует; " + noPOEClause + "использован ли ключ в период его действия, нельзя"
		}
		e.rule(RulePrivateKeyUsagePeriod, Check{Name: CheckPrivateKeyUsage, Status: StatusFailed,
			Detail: fmt.Sprintf("срок действия ключа подписи истёк %s, %s", fmtTime(p.NotAfter), e.bstText())},
			Indeterminate, OutOfBoundsNoPOE, reason)
	default:
		e.add(Check{Name: CheckPrivateKeyUsage, Status: StatusPassed, Detail: e.text(e.bstText(), " в пределах срока действия ключа подписи ", e.dc.get(s).keyUsageWithin)})
	}
}

// Row 15: CRYPTO_CONSTRAINTS_FAILURE_NO_POE: the signature algorithm not
// acceptable at BST; a certificate of the path signed with a limited
// algorithm after its end date (the CA could not have lawfully issued it).
func (e *evaluator) rowAlgorithmDate() {
	f := e.f
	if f.alg == algUnknown {
		return
	}
	until := e.p.Algorithms[f.alg.policyName()].AcceptableUntil.Time()
	if !until.IsZero() && !e.bst.Before(until) {
		e.rule(RuleAlgorithmDate, Check{Name: CheckAlgorithmDate, Status: StatusFailed,
			Detail: fmt.Sprintf("%s допускается только для подписей, созданных до %s; %s",
				algDisplayName(f.alg), fmtDate(until), e.bstText())},
			Indeterminate, CryptoConstraintsFailureNoPOE,
			fmt.Sprintf("алгоритм %s допускается только для подписей, созданных до %s и подтверждённых штампом времени", algDisplayName(f.alg), fmtDate(until)))
		return
	}
	for i := 0; i+1 < len(f.chain); i++ {
		c := f.chain[i]
		fam := certSigFamily(c)
		u := e.p.Algorithms[fam.policyName()].AcceptableUntil.Time()
		if fam != algUnknown && !u.IsZero() && !c.NotBefore.Before(u) {
			e.rule(RuleAlgorithmDate, Check{Name: CheckAlgorithmDate, Status: StatusFailed,
				Detail: fmt.Sprintf("сертификат %s выпущен %s и подписан алгоритмом %s, допустимым только до %s",
					e.dc.label(c), fmtTime(c.NotBefore), algDisplayName(fam), fmtDate(u))},
				Indeterminate, CryptoConstraintsFailureNoPOE, "")
			return
		}
	}
	var d string
	if until.IsZero() {
		d = e.text(algDisplayName(f.alg), " допустим на ", e.bstText())
	} else {
		d = e.text(algDisplayName(f.alg), " допустим на ", e.bstText(), " (допускается до ", fmtDate(until), ")")
	}
	e.add(Check{Name: CheckAlgorithmDate, Status: StatusPassed, Detail: d})
}

// Row 16: TRY_LATER. The revocation check itself was recorded by
// rowRevoked (addFreshness), in its place; the verdict waits for this row,
// after rows 13–15.
func (e *evaluator) rowFreshness() {
	if e.tryLater {
		e.decide(Indeterminate, TryLater, "")
	}
}

// addFreshness records the revocation check when no certificate is
// revoked at BST but the status of some is unknown: indeterminate (or at
// the level the policy sets for revocation freshness), never passed.
func (e *evaluator) addFreshness(later []string) {
	f := e.f
	var missing, causes []string
	for _, r := range f.revocation {
		if r.status != RevocationGood && r.status != RevocationRevoked {
			d := e.dc.label(r.cert)
			if r.entry.Detail != "" {
				d += ": " + r.entry.Detail
			}
			missing = append(missing, d)
			if r.entry.Cause != "" {
				causes = append(causes, r.entry.Cause)
			}
		}
	}
	lvl := e.p.Level(RuleRevocationFreshness)
	if l := e.p.Level(RuleRevocation); l != LevelFail {
		lvl = l
	}
	d := fmt.Sprintf("нет списка отзыва или ответа OCSP на %s для %d из %d сертификатов цепочки: %s",
		e.bstText(), len(missing), len(f.revocation), strings.Join(missing, "; "))
	if len(later) > 0 {
		d += "; " + strings.Join(later, "; ")
	}
	c := Check{Name: CheckRevocation, Status: StatusIndeterminate, Detail: d, Cause: strings.Join(causes, "; ")}
	switch lvl {
	case LevelIgnore:
		e.add(Check{Name: CheckRevocation, Status: StatusSkipped, Detail: "актуальность статуса отзыва не требуется политикой проверки; " + d, Cause: c.Cause})
	case LevelWarn, LevelInform:
		c.Level = lvl
		e.add(c)
	default:
		e.add(c)
		e.tryLater = true
	}
}

// Row 17: TIMESTAMP_ORDER_FAILURE.
func (e *evaluator) rowTimestamp() {
	f := e.f
	if f.ts == nil {
		e.add(Check{Name: CheckTimestamp, Status: StatusSkipped, Detail: "штампа времени на подписи нет"})
		return
	}
	switch {
	case f.ts.tryLater:
		e.rule(RuleTimestamp, Check{Name: CheckTimestamp, Status: StatusIndeterminate,
			Detail: "штамп времени не подтверждён: " + f.ts.detail + "; повторите проверку со списком отзыва издателя сертификата службы штампов времени", Cause: f.ts.cause},
			Indeterminate, TryLater, tsaTryLaterReason)
		return
	case !f.ts.valid:
		e.rule(RuleTimestamp, Check{Name: CheckTimestamp, Status: StatusFailed, Detail: "штамп времени недействителен: " + f.ts.detail, Cause: f.ts.cause},
			Indeterminate, TimestampOrderFailure, "штамп времени на подписи недействителен")
		return
	case f.ts.genTime.After(e.vt):
		e.rule(RuleTimestamp, Check{Name: CheckTimestamp, Status: StatusFailed,
			Detail: fmt.Sprintf("время штампа %s позже времени проверки %s", fmtTime(f.ts.genTime), fmtTime(e.vt))},
			Indeterminate, TimestampOrderFailure, "время штампа времени позже времени проверки")
		return
	}
	e.add(Check{Name: CheckTimestamp, Status: StatusPassed, Detail: "штамп времени действителен, время " + fmtTime(f.ts.genTime)})
	if !f.claimed.IsZero() {
		skew := time.Duration(e.p.ClockSkew)
		if f.claimed.After(f.ts.genTime.Add(skew)) {
			e.rule(RuleClaimedTimeOrder, Check{Name: CheckClaimedTime, Status: StatusFailed,
				Detail: fmt.Sprintf("заявленное время подписания %s позже времени штампа %s более чем на %s", fmtTime(f.claimed), fmtTime(f.ts.genTime), skew)},
				Indeterminate, TimestampOrderFailure, "заявленное время подписания позже времени штампа времени")
			return
		}
		e.add(Check{Name: CheckClaimedTime, Status: StatusPassed,
			Detail: "заявленное время подписания " + fmtTime(f.claimed) + " согласуется со штампом времени (допуск " + skew.String() + ")"})
	}
}

const (
	qualifiedDetail = "сертификат соответствует требованиям к квалифицированному сертификату (Приказ ФСБ России № 795)"
	qualifiedNoTSL  = "; аккредитация УЦ не проверялась: перечень аккредитованных УЦ (TSL) не загружен"
)

// qualify decides Signature.Qualified (validation-policy.md, "Qualified
// certificate profile"; cms-cades-profile.md §5.3).
func (e *evaluator) qualify() {
	f := e.f
	var reasons []Reason
	if e.store != nil {
		reasons = e.store.reasons[:0]
	}
	no := func(code, msg string) { reasons = append(reasons, Reason{Code: code, MessageRU: msg}) }
	if e.sig.Indication != TotalPassed {
		no("not-valid", "подпись не признана действительной")
	}
	if s := f.signer; s != nil {
		reasons = append(reasons, profileReasons(s, e.p)...)
		for _, c := range f.chain {
			if c.PublicKey != nil && c.PublicKey.Curve().IsTest() {
				no("test-curve", "ключ сертификата "+e.dc.label(c)+" на тестовых параметрах кривой")
				break
			}
		}
		if f.chainStatus == chainOK && !f.anchorIsGUC {
			no(ReasonNotGUCRoot, "цепочка не ведёт к корневому сертификату Головного удостоверяющего центра")
		}
		if f.accreditationChecked && !f.accredited {
			no("not-accredited", "удостоверяющий центр не был аккредитован на дату выдачи сертификата: "+f.accreditationDetail)
		}
	} else {
		no("no-signer", "нет сертификата подписанта")
	}
	e.sig.Qualified = len(reasons) == 0
	c := Check{Name: CheckQualified, Level: LevelInform}
	if e.sig.Qualified {
		c.Status = StatusPassed
		c.Detail = qualifiedDetail
		if !f.accreditationChecked {
			c.Detail = qualifiedDetail + qualifiedNoTSL
			reasons = append(reasons, Reason{Code: "accreditation-not-checked",
				MessageRU: "аккредитация удостоверяющего центра не проверялась: перечень аккредитованных УЦ не загружен"})
		}
	} else {
		c.Status = StatusFailed
		msgs := make([]string, len(reasons))
		for i, r := range reasons {
			msgs[i] = r.MessageRU
		}
		c.Detail = strings.Join(msgs, "; ")
	}
	if len(reasons) > 0 {
		e.sig.QualifiedReasons = reasons
	}
	e.add(c)
}

// profileReasons checks the signer certificate against the Приказ ФСБ
// № 795 profile and returns what is missing or wrong.
func profileReasons(s *cert.Certificate, p *Policy) []Reason {
	var out []Reason
	no := func(code, msg string) { out = append(out, Reason{Code: code, MessageRU: msg}) }
	if s.SubjectSignTool == "" {
		no("no-subject-sign-tool", "нет расширения subjectSignTool (средство ЭП владельца)")
	}
	if len(s.IssuerSignTool) == 0 {
		no("no-issuer-sign-tool", "нет расширения issuerSignTool (средства ЭП и УЦ издателя)")
	}
	hasKC := false
	for _, pol := range s.Policies {
		if pol.Equal(oid.PolicyKC1) || pol.Equal(oid.PolicyKC2) || pol.Equal(oid.PolicyKC3) {
			hasKC = true
		}
	}
	if !hasKC {
		no("no-kc-policy", "в certificatePolicies нет класса средства ЭП (КС1–КС3)")
	}
	if from := p.IdentificationKindFrom.Time(); s.IdentificationKind < 0 && !from.IsZero() && !s.NotBefore.Before(from) {
		no("no-identification-kind", "нет расширения identificationKind, обязательного для сертификатов, выданных с "+fmtDate(from))
	}
	if s.KeyUsageValid && s.KeyUsage&cert.KeyUsageDigitalSignature == 0 {
		no("no-digital-signature", "назначение ключа не включает digitalSignature")
	}
	out = append(out, ownerIDReasons(&s.Subject)...)
	return out
}

// ownerIDReasons checks the subject identifiers by owner kind: a legal
// entity (ОГРН present) needs ОГРН and ИНН ЮЛ (or the old "00"+ИНН), an
// individual entrepreneur (ОГРНИП) needs ОГРНИП, a natural person СНИЛС and
// ИНН. Every identifier present must be a NumericString of the right
// length with correct check digits.
func ownerIDReasons(n *cert.Name) []Reason {
	var out []Reason
	type id struct {
		name  string
		value string
		tag   int
		valid func(string) bool
	}
	inn, innTag := n.INN()
	innle, innleTag := n.INNLE()
	ogrn, ogrnTag := n.OGRN()
	ogrnip, ogrnipTag := n.OGRNIP()
	snils, snilsTag := n.SNILS()
	ids := []id{
		{"ОГРН", ogrn, ogrnTag, ValidOGRN},
		{"ОГРНИП", ogrnip, ogrnipTag, ValidOGRNIP},
		{"ИНН ЮЛ", innle, innleTag, ValidINN10},
		{"ИНН", inn, innTag, ValidINN},
		{"СНИЛС", snils, snilsTag, ValidSNILS},
	}
	for _, x := range ids {
		if x.tag == 0 {
			continue
		}
		if x.tag != tagNumericString {
			out = append(out, Reason{Code: "owner-id-type", MessageRU: x.name + " записан не как NumericString (тип ASN.1 " + tagName(x.tag) + ")"})
		}
		if !x.valid(x.value) {
			out = append(out, Reason{Code: "owner-id-checksum", MessageRU: x.name + " «" + x.value + "» неверной длины или с неверным контрольным числом"})
		}
	}
	need := func(present bool, name string) {
		if !present {
			out = append(out, Reason{Code: "owner-id-missing", MessageRU: "в сертификате нет обязательного атрибута " + name})
		}
	}
	switch {
	case ogrnTag != 0: // юридическое лицо
		legacyINN := len(inn) == 12 && strings.HasPrefix(inn, "00")
		need(innleTag != 0 || legacyINN, "ИНН ЮЛ")
	case ogrnipTag != 0: // индивидуальный предприниматель
		need(innTag != 0, "ИНН")
	default: // физическое лицо
		need(snilsTag != 0, "СНИЛС")
		need(innTag != 0, "ИНН")
	}
	return out
}

const tagNumericString = 18

func tagName(tag int) string {
	switch tag {
	case 12:
		return "UTF8String"
	case 19:
		return "PrintableString"
	case 22:
		return "IA5String"
	case 30:
		return "BMPString"
	case 20:
		return "TeletexString"
	}
	return fmt.Sprintf("тег %d", tag)
}

func certSigFamily(c *cert.Certificate) algFamily {
	switch {
	case c.SignatureAlgorithm.Equal(oid.Gost2012SignWith256), c.SignatureAlgorithm.Equal(oid.Gost2012Key256):
		return algGOST2012_256
	case c.SignatureAlgorithm.Equal(oid.Gost2012SignWith512), c.SignatureAlgorithm.Equal(oid.Gost2012Key512):
		return algGOST2012_512
	case c.SignatureAlgorithm.Equal(oid.GostR3411_94WithR3410), c.SignatureAlgorithm.Equal(oid.GostR3410_2001):
		return algGOST2001
	}
	return algUnknown
}

func algDisplayName(a algFamily) string {
	switch a {
	case algGOST2001:
		return "ГОСТ Р 34.10-2001 / ГОСТ Р 34.11-94"
	case algGOST2012_256:
		return "ГОСТ Р 34.10-2012 (256 бит) / ГОСТ Р 34.11-2012 (256 бит)"
	case algGOST2012_512:
		return "ГОСТ Р 34.10-2012 (512 бит) / ГОСТ Р 34.11-2012 (512 бит)"
	}
	return "неизвестный алгоритм"
}

// algorithmInfo is the signature's Algorithm, in e.store when there is one.
func (e *evaluator) algorithmInfo() *Algorithm {
	f := e.f
	var a, d *Algorithm
	if e.store != nil {
		a, d = &e.store.alg[0], &e.store.alg[1]
	} else {
		a, d = new(Algorithm), new(Algorithm)
	}
	*a = Algorithm{Name: f.alg.policyName(), OID: oidString(f.sigAlgOID)}
	if a.Name == "" {
		a.Name = "unknown"
	}
	if len(f.digestAlgOID) > 0 {
		*d = Algorithm{Name: digestName(f.digestAlgOID), OID: oidString(f.digestAlgOID)}
		a.Digest = d
	}
	return a
}

// signerInfo is a copy of the signer certificate's CertInfo that the
// Result owns (the cached one is never handed out), in e.store when there
// is one.
func (e *evaluator) signerInfo(c *cert.Certificate) *CertInfo {
	if e.store == nil {
		return e.dc.signer(c)
	}
	e.store.signer = e.dc.get(c).info
	return &e.store.signer
}

func digestName(o asn1.ObjectIdentifier) string {
	switch {
	case o.Equal(oid.Streebog256):
		return "streebog256"
	case o.Equal(oid.Streebog512):
		return "streebog512"
	case o.Equal(oid.GostR3411_94):
		return "gostr341194"
	case o.Equal(oid.SHA1):
		return "sha1"
	case o.Equal(oid.SHA256):
		return "sha256"
	}
	return "unknown"
}

// knownOIDs are the algorithm OIDs a Result names, rendered once.
var knownOIDs = func() map[string]string {
	m := map[string]string{}
	for _, o := range []asn1.ObjectIdentifier{oid.Gost2012Key256, oid.Gost2012Key512, oid.GostR3410_2001,
		oid.Gost2012SignWith256, oid.Gost2012SignWith512, oid.GostR3411_94WithR3410,
		oid.Streebog256, oid.Streebog512, oid.GostR3411_94} {
		m[string(oidKey(o))] = o.String()
	}
	return m
}()

func oidKey(o asn1.ObjectIdentifier) []byte {
	b := make([]byte, 0, 4*len(o))
	for _, n := range o {
		b = append(b, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	return b
}

// oidString is o.String() without the formatting for the common OIDs.
func oidString(o asn1.ObjectIdentifier) string {
	var buf [64]byte
	k := buf[:0]
	for _, n := range o {
		k = append(k, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	if s, ok := knownOIDs[string(k)]; ok {
		return s
	}
	return o.String()
}

func timestampInfo(t *tsFact, vt time.Time, dc *descCache) *Timestamp {
	ts := &Timestamp{GenTime: utc(t.genTime), Status: StatusPassed, Detail: t.detail, Cause: t.cause}
	if t.tryLater {
		ts.Status = StatusIndeterminate
	} else if !t.valid {
		ts.Status = StatusFailed
	} else if t.genTime.After(vt) {
		ts.Status = StatusFailed
		ts.Detail = "время штампа позже времени проверки"
	}
	if t.tsa != nil {
		ts.TSA = dc.signer(t.tsa)
	}
	if len(t.revocation) > 0 {
		ts.Revocation = t.revocation // the facts are spent: the Result owns it
	}
	return ts
}

// certInfo describes a certificate for the Result.
func certInfo(c *cert.Certificate) *CertInfo {
	fp := c.SHA1Fingerprint()
	ci := &CertInfo{
		Subject:             c.Subject.String(),
		CommonName:          c.Subject.CommonName(),
		Serial:              c.SerialHex(),
		Issuer:              c.Issuer.String(),
		NotBefore:           utc(c.NotBefore),
		NotAfter:            utc(c.NotAfter),
		PrivateKeyNotBefore: utc(c.PrivateKeyUsage.NotBefore),
		PrivateKeyNotAfter:  utc(c.PrivateKeyUsage.NotAfter),
		SHA1:                strings.ToUpper(hex.EncodeToString(fp[:])),
		Organization:        c.Subject.Organization(),
	}
	ci.INN, _ = c.Subject.INN()
	ci.INNLE, _ = c.Subject.INNLE()
	ci.OGRN, _ = c.Subject.OGRN()
	ci.OGRNIP, _ = c.Subject.OGRNIP()
	ci.SNILS, _ = c.Subject.SNILS()
	if a, ok := c.Subject.Lookup(oid.Surname); ok {
		ci.Surname = a.Value
	}
	if a, ok := c.Subject.Lookup(oid.GivenName); ok {
		ci.GivenName = a.Value
	}
	if a, ok := c.Subject.Lookup(oid.Title); ok {
		ci.Title = a.Value
	}
	if a, ok := c.Subject.Lookup(oid.EmailAddress); ok {
		ci.Email = a.Value
	} else if len(c.EmailAddresses) > 0 {
		ci.Email = c.EmailAddresses[0]
	}
	return ci
}

func chainCert(c *cert.Certificate) ChainCert {
	fp := c.SHA1Fingerprint()
	return ChainCert{
		Subject:   c.Subject.String(),
		Issuer:    c.Issuer.String(),
		Serial:    c.SerialHex(),
		NotBefore: utc(c.NotBefore),
		NotAfter:  utc(c.NotAfter),
		SHA1:      strings.ToUpper(hex.EncodeToString(fp[:])),
	}
}

func utc(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

// fmtTime writes an instant for Russian text: "22.11.2026 12:00:00 UTC".
// It writes the digits by hand: time.Format costs more than the rest of a
// passed check's detail, and details are built on every verification.
func fmtTime(t time.Time) string {
	var b [23]byte
	return string(appendTimeRU(b[:0], t))
}

// appendTimeRU appends fmtTime(t) to b.
func appendTimeRU(b []byte, t time.Time) []byte {
	t = t.UTC()
	y, mo, d := t.Date()
	h, mi, sec := t.Clock()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, "02.01.2006 15:04:05 UTC")
	}
	put2 := func(v int, sep byte) { b = append(b, byte('0'+v/10), byte('0'+v%10), sep) }
	put2(d, '.')
	put2(int(mo), '.')
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10))
	put2(y%100, ' ')
	put2(h, ':')
	put2(mi, ':')
	put2(sec, ' ')
	return append(b, "UTC"...)
}

func fmtTimeOrDash(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return fmtTime(t)
}

func fmtDate(t time.Time) string { return t.UTC().Format("02.01.2006") }
