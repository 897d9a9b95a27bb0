package gostsig

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/chain"
	"gostsig.dev/crl"
	"gostsig.dev/internal/oid"
)

// crlSet holds parsed CRLs indexed by issuer name, so that a status query
// is given only the CRLs of the certificate's issuer: the crl layer then
// checks the signature of those alone (name, key, GOST signature), rather
// than rejecting every other issuer's CRL on each query. A set is filled
// (add) only while it is built — the configured CRLs in New, a request's
// in parseCRLs — and only read after, so concurrent verifications read it
// without a lock.
type crlSet struct {
	byIssuer map[string][]*crl.CRL // by cert.Name.Key of the CRL issuer
}

func newCRLSet() *crlSet {
	return &crlSet{byIssuer: map[string][]*crl.CRL{}}
}

// add adds c; it carries both digests of its DER (crl.CRL.Digest and
// SHA256), so the DER itself is not kept.
func (s *crlSet) add(c *crl.CRL) {
	k := c.Issuer.Key()
	s.byIssuer[k] = append(s.byIssuer[k], c)
}

// forIssuer returns the CRLs whose issuer name equals the subject of
// issuer; key is nameKey(issuer).
func (s *crlSet) forIssuer(key string) []*crl.CRL {
	if s == nil {
		return nil
	}
	return s.byIssuer[key]
}

// parseCRLs parses per-request CRLs (Input.CRLs, those carried in the
// signature). A CRL that does not parse is skipped and reported: it
// cannot speak for any certificate, and the policy then asks for one that
// does (TRY_LATER).
func parseCRLs(ders [][]byte) (*crlSet, []setAside) {
	if len(ders) == 0 {
		return nil, nil
	}
	s := newCRLSet()
	var bad []setAside
	for i, der := range ders {
		// One DER CRL, or PEM with several X509 CRL blocks (and
		// certificates, which are skipped).
		cs, _, err := crl.ParseBundle(der)
		if err != nil {
			bad = append(bad, setAside{fmt.Sprintf("список отзыва %d не разобран", i+1), err.Error()})
			continue
		}
		for _, c := range cs {
			s.add(c)
		}
	}
	return s, bad
}

// parseOCSPs parses the BasicOCSPResponses a signature carries (CAdES-X
// Long Type 1 revocation-values). One that does not parse is reported and
// skipped.
func parseOCSPs(ders [][]byte) ([]*crl.OCSPResponse, []setAside) {
	var out []*crl.OCSPResponse
	var bad []setAside
	for i, der := range ders {
		r, err := crl.ParseBasicOCSPResponse(der)
		if err != nil {
			bad = append(bad, setAside{fmt.Sprintf("ответ OCSP %d не разобран", i+1), err.Error()})
			continue
		}
		out = append(out, r)
	}
	return out, bad
}

// pathFacts builds the path of the signer and records it in f (rows 7–8
// of the decision table and the qualified facts).
func (v *Verifier) pathFacts(ctx context.Context, f *sigFacts, extra []*cert.Certificate, at time.Time) error {
	if f.signer == nil {
		return nil
	}
	if v.policy.Level(RuleChain) == LevelIgnore {
		f.chainStatus = chainNotChecked
		f.chain = []*cert.Certificate{f.signer}
		f.revocationSkipped = "статус отзыва не проверялся: проверка цепочки отключена политикой"
		return nil
	}
	chains, err := v.builder.Build(ctx, f.signer, chain.BuildOptions{At: at, Intermediates: extra})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		f.chain = []*cert.Certificate{f.signer}
		var ua *chain.UnknownAuthorityError
		var ie *chain.InvalidError
		switch {
		case errors.As(err, &ua):
			f.chainStatus = chainNotFound
			f.chainDetail = "цепочка от сертификата " + v.descs.label(f.signer) + " до доверенного корневого сертификата не построена: издатель не найден среди доверенных и переданных сертификатов"
		case errors.As(err, &ie):
			f.chainStatus = chainConstraints
			f.chainDetail = chainViolationRU("цепочка сертификатов", ie, v.descs.label(ie.Cert))
		default:
			f.chainStatus = chainGeneral
			f.chainDetail = "ошибка построения цепочки сертификатов"
		}
		f.chainCause = err.Error()
		f.revocationSkipped = "статус отзыва не проверялся: цепочка сертификатов не построена"
		return nil
	}
	best := chains[0]
	f.chain = best
	f.chainStatus = chainOK
	f.anchorIsGUC = v.gucRoots[v.descs.get(best.Anchor()).fingerprint()]
	if v.tsl != nil && len(best) > 1 {
		f.accreditationChecked = true
		issuer := best[1]
		f.accredited = v.tsl.AccreditedAt(issuer, f.signer.NotBefore)
		if !f.accredited {
			if v.tsl.FindCA(issuer) == nil {
				f.accreditationDetail = "УЦ " + HumanName(issuer.String()) + " не найден в перечне аккредитованных УЦ"
			} else {
				f.accreditationDetail = "УЦ " + HumanName(issuer.String()) + " не был аккредитован на " + fmtDate(f.signer.NotBefore)
			}
		}
	}
	return nil
}

// revocationFacts asks for the status of every certificate of the path
// below the anchor at the best signature time (rows 10–12, 16): from the
// request's evidence (Input.CRLs, the CRLs and OCSP responses the
// signature carries), the configured CRLs, the caches and — unless offline
// — the CRL distribution points and the OCSP responder. The time-stamp's
// TSA path was asked first (tsaFacts), so bst is final.
func (v *Verifier) revocationFacts(ctx context.Context, f *sigFacts, bst time.Time, poe bool, vt time.Time, extra *crlSet, ocsps []*crl.OCSPResponse) {
	if f.chainStatus != chainOK {
		return
	}
	f.revocation = make([]revFact, 0, max(len(f.chain)-1, 0))
	for i := 0; i+1 < len(f.chain); i++ {
		c, issuer := f.chain[i], f.chain[i+1]
		r := v.status(ctx, crl.Query{Cert: c, Issuer: issuer, At: bst, FromTimestamp: poe, Now: vt}, extra, ocsps)
		f.revocation = append(f.revocation, v.revFact(c, r))
	}
}

// status asks the checker about q with the configured and the request's
// CRLs of q.Issuer and the request's OCSP responses. crl.Decide applies
// the policy's rules to every CRL, whatever brought it (supplied, carried,
// configured, fetched, cached), the permanent revocation proven by a CRL
// past its nextUpdate included (POLICY.md "Revocation").
func (v *Verifier) status(ctx context.Context, q crl.Query, extra *crlSet, ocsps []*crl.OCSPResponse) crl.Result {
	key := v.names.key(&q.Issuer.Subject)
	supplied := v.crlStatic.forIssuer(key)
	if more := extra.forIssuer(key); len(more) > 0 {
		supplied = append(append([]*crl.CRL(nil), supplied...), more...)
	}
	return v.checker(ctx).Status(ctx, q, supplied, ocsps)
}

func (v *Verifier) revFact(c *cert.Certificate, r crl.Result) revFact {
	d := v.descs.get(c)
	rf := revFact{cert: c, entry: Revocation{Serial: d.info.Serial, Subject: d.info.Subject, Cause: r.Detail}}
	switch r.Status {
	case crl.Good:
		rf.status = RevocationGood
		if r.RevokedLater {
			rf.entry.Detail = "отозван позже времени, на которое проверяется подпись: " + fmtTime(r.RevocationTime)
		}
	case crl.Revoked:
		rf.status = RevocationRevoked
		rf.revokedAt = r.RevocationTime
		rf.entry.RevokedAt = utc(r.RevocationTime)
		if r.ReasonPresent {
			rf.entry.Reason = r.Reason.String()
		}
		if r.Stale {
			rf.entry.Detail = "отзыв подтверждён списком отзыва, срок действия которого истёк: отзыв окончателен"
		}
	default:
		rf.status = RevocationUnknown
		switch r.Unknown {
		case crl.OutOfScope:
			rf.entry.Detail = "списки отзыва издателя не распространяются на этот сертификат (issuingDistributionPoint)"
		case crl.ResponderUnknown:
			rf.entry.Detail = "служба OCSP ответила, что статус сертификата ей неизвестен"
		default:
			rf.entry.Detail = "нет списка отзыва или ответа OCSP, действующего на время, на которое проверяется подпись"
		}
	}
	rf.entry.Status = rf.status
	if len(r.Evidence) > 0 {
		ev := r.Evidence[len(r.Evidence)-1]
		switch ev.Source {
		case crl.SourceOCSP:
			rf.entry.Source = "ocsp"
		default:
			rf.entry.Source = "crl"
		}
		rf.entry.CRLIssuer = ev.Issuer
		rf.entry.ThisUpdate = utc(ev.ThisUpdate)
		rf.entry.NextUpdate = utc(ev.NextUpdate)
		// Rendered once, when the crl layer parsed the DER: every verdict
		// citing the CRL or response shares the strings (and its JSON, in
		// the memo of resultjson_memo.go).
		rf.entry.CRLNumber = ev.NumberText
		rf.entry.EvidenceStreebog256 = ev.DigestHex
		rf.entry.EvidenceSHA256 = ev.SHA256Hex
	}
	return rf
}

// tsaFacts checks the TSA certificate of a time-stamp that verified
// cryptographically: its path to a trust anchor and its validity at
// genTime (validation-policy.md, BST rule 1: "its TSA chain trusted"), the
// timeStamping extended key usage (RFC 3161 §2.3) and — for a signature
// whose structure parsed, with a time-stamp not from the future of vt —
// the path's revocation status at genTime (tsaRevocation), from the same
// evidence as the signer's: reqCRLs, ocsps and what the verifier holds.
// It runs before BST is chosen, so the signer's path is built once, for
// the right time.
func (v *Verifier) tsaFacts(ctx context.Context, f *sigFacts, extra []*cert.Certificate, reqCRLs *crlSet, ocsps []*crl.OCSPResponse, vt time.Time) error {
	if f.ts == nil || !f.ts.valid {
		return nil
	}
	var checks []Check
	if err := v.tsaFact(ctx, f.ts, f.formatErr, extra, reqCRLs, ocsps, vt, &checks); err != nil {
		return err
	}
	// When the earliest token's TSA does not stand, a later token whose
	// TSA does still proves its own genTime: take the first such one, its
	// checks with it. When none does, the earliest token's failure is
	// what row 17 reports.
	for i := range f.tsLater {
		if f.ts.valid {
			break
		}
		later := &f.tsLater[i]
		var laterChecks []Check
		if err := v.tsaFact(ctx, later, f.formatErr, extra, reqCRLs, ocsps, vt, &laterChecks); err != nil {
			return err
		}
		if later.valid {
			f.ts, checks = later, laterChecks
		}
	}
	f.extraChecks = append(f.extraChecks, checks...)
	return nil
}

// tsaFact checks one time-stamp's TSA: its certificate, its path at
// genTime and that path's revocation status, recording the tsa-revocation
// check in checks. It clears ts.valid (saying why) when the TSA does not
// stand.
func (v *Verifier) tsaFact(ctx context.Context, ts *tsFact, formatErr string, extra []*cert.Certificate, reqCRLs *crlSet, ocsps []*crl.OCSPResponse, vt time.Time, checks *[]Check) error {
	tsa := ts.tsa
	if tsa == nil {
		ts.valid, ts.detail = false, "сертификат службы штампов времени не найден"
		return nil
	}
	hasTS := false
	for _, e := range tsa.ExtKeyUsage {
		if e.Equal(oid.KPTimeStamping) {
			hasTS = true
		}
	}
	if !hasTS {
		ts.valid, ts.detail = false, "сертификат "+tsa.String()+" не предназначен для штампов времени (нет extKeyUsage timeStamping)"
		return nil
	}
	if ts.genTime.Before(tsa.NotBefore) || ts.genTime.After(tsa.NotAfter) {
		ts.valid, ts.detail = false, "сертификат службы штампов времени не действовал на "+fmtTime(ts.genTime)
		return nil
	}
	chains, err := v.builder.Build(ctx, tsa, chain.BuildOptions{At: ts.genTime, Intermediates: extra})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ts.valid, ts.detail, ts.cause = false, "цепочка сертификата службы штампов времени до доверенного корневого сертификата не построена", err.Error()
		var ie *chain.InvalidError
		if errors.As(err, &ie) {
			ts.detail = chainViolationRU("цепочка сертификата службы штампов времени", ie, v.descs.label(ie.Cert))
		}
		return nil
	}
	if path := chains[0]; formatErr == "" && !ts.genTime.After(vt) && len(path) > 1 {
		v.tsaRevocation(ctx, ts, path, reqCRLs, ocsps, vt, checks)
	}
	return nil
}

// tsaOutcome classifies the status of one certificate of the TSA path for
// the time-stamp (POLICY.md "Best signature time").
type tsaOutcome uint8

const (
	tsaGood    tsaOutcome = iota // not revoked at genTime, nor later for a reason that voids the token
	tsaUnknown                   // no evidence speaks for genTime, or on hold since genTime
	tsaVoid                      // revoked by genTime, or later for a reason that voids the token
)

// tsaRevocation asks for the revocation status of every certificate of
// the TSA path (TSA first, anchor last) below the anchor at genTime, from the same evidence as the
// signer's (the request's CRLs, those the signature carries — CAdES-X
// Long revocation-values, RFC 5940 crls — and its OCSP responses, the
// configured CRLs, the caches, the network unless offline), and decides
// whether the time-stamp stays valid (ETSI EN 319 102-1 §5.4: a
// time-stamp is validated as a signature, its TSA certificate's
// revocation included; RFC 3161 §4 for a TSA revoked after genTime). It
// records the tsa-revocation check in checks and, when the status takes
// the time-stamp's validity away, marks it not valid (or pending:
// tryLater).
//
// Which rule governs: "revocation" for a revoked certificate (fail: the
// time-stamp is not valid; warn/inform: it stays valid and the check
// says what was found; ignore: not asked); "revocation_freshness" — or
// "revocation" when that is not at fail — for a status not known, as in
// the decision table's TRY_LATER row.
func (v *Verifier) tsaRevocation(ctx context.Context, ts *tsFact, path []*cert.Certificate, extra *crlSet, ocsps []*crl.OCSPResponse, vt time.Time, checks *[]Check) {
	revLevel := v.policy.Level(RuleRevocation)
	if revLevel == LevelIgnore {
		*checks = append(*checks, Check{Name: CheckTSARevocation, Status: StatusSkipped,
			Detail: "статус отзыва сертификатов службы штампов времени не проверялся: правило «revocation» отключено политикой проверки"})
		return
	}
	freshLevel := v.policy.Level(RuleRevocationFreshness)
	if revLevel != LevelFail {
		freshLevel = revLevel
	}
	at := "на время штампа " + fmtTime(ts.genTime)
	ts.revocation = make([]Revocation, 0, len(path)-1)
	worst := tsaGood
	var found, causes, notes []string // the deciding findings; the evidence of the rest
	for i := 0; i+1 < len(path); i++ {
		c, issuer := path[i], path[i+1]
		// The status at genTime: a CRL (or OCSP response) whose
		// [thisUpdate, nextUpdate) contains genTime or that was issued
		// after it speaks for genTime, as for a signer whose BST comes from
		// a time-stamp (validation-policy.md "Revocation").
		r := v.status(ctx, crl.Query{Cert: c, Issuer: issuer, At: ts.genTime, FromTimestamp: true, Now: vt}, extra, ocsps)
		rf := v.revFact(c, r)
		ts.revocation = append(ts.revocation, rf.entry)
		o, ru, cause := v.tsaJudge(c, i == 0, r, ts.genTime)
		switch {
		case o > worst:
			worst, found, causes = o, []string{ru}, []string{cause}
		case o == worst && o != tsaGood:
			found, causes = append(found, ru), append(causes, cause)
		}
		if o == tsaGood {
			notes = append(notes, ru)
		}
	}
	switch worst {
	case tsaGood:
		*checks = append(*checks, Check{Name: CheckTSARevocation, Status: StatusPassed,
			Detail: "сертификаты службы штампов времени не отозваны " + at + ": " + strings.Join(notes, "; ")})
		return
	case tsaVoid:
		d := strings.Join(found, "; ")
		c := Check{Name: CheckTSARevocation, Status: StatusFailed, Detail: d, Cause: strings.Join(causes, "; ")}
		if revLevel != LevelFail {
			c.Level = revLevel
			*checks = append(*checks, c)
			return
		}
		*checks = append(*checks, c)
		ts.valid, ts.detail, ts.cause = false, d, c.Cause
		return
	}
	d := "статус отзыва сертификатов службы штампов времени " + at + " не установлен: " + strings.Join(found, "; ")
	c := Check{Name: CheckTSARevocation, Status: StatusIndeterminate, Detail: d, Cause: strings.Join(causes, "; ")}
	switch freshLevel {
	case LevelIgnore:
		c.Status, c.Detail = StatusSkipped, "актуальность статуса отзыва не требуется политикой проверки; "+d
		*checks = append(*checks, c)
		return
	case LevelWarn, LevelInform:
		c.Level = freshLevel
		*checks = append(*checks, c)
		return
	}
	*checks = append(*checks, c)
	ts.valid, ts.detail, ts.cause, ts.tryLater = false, d, c.Cause, true
}

// tsaJudge decides what the status r of c, a certificate of the TSA path
// (the TSA's own when isTSA), means for a time-stamp made at genTime, and
// says it in Russian and, for the cause, in English.
//
//   - Revoked (or on hold) at genTime: the token is void — the TSA could
//     not vouch for the time then. A CRL past its nextUpdate proves a
//     permanent revocation too (crl.Decide, POLICY.md "Revocation").
//   - Revoked after genTime: RFC 3161 §4. A TSA taken out of service
//     without a compromise is revoked with reason unspecified,
//     affiliationChanged, superseded or cessationOfOperation, and its
//     earlier tokens stay valid; without a reasonCode, or with
//     keyCompromise, no token signed with that key can be trusted: whoever
//     holds a compromised key can write any genTime. The same holds for a
//     CA of the TSA path revoked for a compromise (cACompromise,
//     keyCompromise, aACompromise): its key could have issued a TSA
//     certificate for backdated tokens. Other reasons of a CA, or none, do
//     not touch earlier certificates (validation-policy.md "Revocation").
//   - On hold since genTime: a hold can end either way, so the status is
//     not known yet.
//   - No evidence for genTime: not known.
func (v *Verifier) tsaJudge(c *cert.Certificate, isTSA bool, r crl.Result, genTime time.Time) (tsaOutcome, string, string) {
	who := "сертификат УЦ службы штампов времени " + v.descs.label(c)
	if isTSA {
		who = "сертификат службы штампов времени " + v.descs.label(c)
	}
	serial := c.SerialHex()
	switch r.Status {
	case crl.Revoked:
		cause := fmt.Sprintf("tsa path: certificate %s (serial %s) revoked at %s", c.Subject.String(), serial, r.RevocationTime.UTC().Format(time.RFC3339))
		if r.ReasonPresent {
			cause += " (" + r.Reason.String() + ")"
		}
		cause += ", not after genTime " + genTime.UTC().Format(time.RFC3339)
		var ru string
		if r.ReasonPresent && r.Reason == crl.ReasonCertificateHold {
			ru = "действие " + genitive(who) + " приостановлено с " + fmtTime(r.RevocationTime)
		} else {
			ru = who + " отозван " + fmtTime(r.RevocationTime) + reasonRU(r)
		}
		ru += ", не позже времени штампа " + fmtTime(genTime)
		if r.Stale {
			ru += " (отзыв подтверждён списком отзыва, срок действия которого истёк: отзыв окончателен)"
		} else {
			ru += evidenceRU(r)
		}
		return tsaVoid, ru, cause
	case crl.Good:
		ev := evidenceRU(r)
		if !r.RevokedLater {
			return tsaGood, v.descs.label(c) + ": не отозван" + ev, ""
		}
		later := fmtTime(r.RevocationTime) + reasonRU(r) + ev
		cause := fmt.Sprintf("tsa path: certificate %s (serial %s) revoked at %s, after genTime %s", c.Subject.String(), serial,
			r.RevocationTime.UTC().Format(time.RFC3339), genTime.UTC().Format(time.RFC3339))
		if r.ReasonPresent {
			cause += ", reason " + r.Reason.String()
		} else {
			cause += ", no reasonCode"
		}
		switch {
		case r.ReasonPresent && r.Reason == crl.ReasonCertificateHold:
			return tsaUnknown, "действие " + genitive(who) + " приостановлено с " + later + ", позже времени штампа: пока приостановление не снято или не заменено отзывом, доверять штампам этой службы нельзя",
				cause + ": on hold, the status may still change"
		case r.ReasonPresent && (r.Reason == crl.ReasonKeyCompromise || r.Reason == crl.ReasonCACompromise || r.Reason == crl.ReasonAACompromise):
			what := "владеющий ключом мог подписать штамп с любым временем"
			if !isTSA {
				what = "владеющий ключом УЦ мог выпустить сертификат службы штампов времени и подписать штамп с любым временем"
			}
			return tsaVoid, who + " отозван " + later + ", позже времени штампа, но при компрометации ключа время штампа не доказано: " + what + " (RFC 3161 §4)",
				cause + ": a compromised key voids every token it vouches for (RFC 3161 §4)"
		case isTSA && !r.ReasonPresent:
			return tsaVoid, who + " отозван " + later + " без указания причины, позже времени штампа; по RFC 3161 §4 при отзыве без причины все штампы этой службы недействительны",
				cause + ": RFC 3161 §4 voids every token of a TSA revoked without a reasonCode"
		case isTSA && r.Reason == crl.ReasonPrivilegeWithdrawn:
			return tsaVoid, who + " отозван " + later + ", позже времени штампа; RFC 3161 §4 сохраняет силу прежних штампов только при отзыве без компрометации ключа (причины: не указана, изменение сведений, сертификат заменён, прекращение деятельности)",
				cause + ": not one of the reasons RFC 3161 §4 allows for a TSA whose key was not compromised"
		}
		return tsaGood, v.descs.label(c) + ": отозван позже времени штампа, " + later + ", — штампы, выданные до отзыва, сохраняют силу (RFC 3161 §4)", ""
	}
	ru := who + ": "
	switch r.Unknown {
	case crl.OutOfScope:
		ru += "списки отзыва издателя не распространяются на этот сертификат (issuingDistributionPoint)"
	case crl.ResponderUnknown:
		ru += "служба OCSP ответила, что статус сертификата ей неизвестен"
	default:
		ru += "нет списка отзыва или ответа OCSP, действующего на время штампа"
	}
	cause := r.Detail
	if cause == "" {
		cause = r.Unknown.String()
	}
	return tsaUnknown, ru, "tsa path: certificate " + c.Subject.String() + " (serial " + serial + "): " + cause
}

// genitive turns the subject of tsaJudge's texts ("сертификат …") into
// the genitive the suspension phrase needs ("действие сертификата …").
func genitive(who string) string {
	if rest, ok := strings.CutPrefix(who, "сертификат "); ok {
		return "сертификата " + rest
	}
	return who
}

// reasonRU renders the reason of a revocation entry for tsaJudge's texts:
// " (причина: компрометация ключа)", or "" without a reasonCode.
func reasonRU(r crl.Result) string {
	if !r.ReasonPresent {
		return ""
	}
	return " (причина: " + RevocationReasonRU(r.Reason.String()) + ")"
}

// evidenceRU names what decided a status, for tsaJudge's texts.
func evidenceRU(r crl.Result) string {
	if len(r.Evidence) == 0 {
		return ""
	}
	ev := r.Evidence[len(r.Evidence)-1]
	if ev.Source == crl.SourceOCSP {
		return " (ответ OCSP от " + fmtTime(ev.ThisUpdate) + ")"
	}
	s := " (список отзыва"
	if ev.Number != nil {
		s += " № " + ev.Number.String()
	}
	return s + " от " + fmtTime(ev.ThisUpdate) + ")"
}

// setAside is evidence that could not be used: what people read (Russian)
// and the technical cause.
type setAside struct{ ru, cause string }
