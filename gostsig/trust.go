package gostsig

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/chain"
	"gostsig.dev/crl"
	"gostsig.dev/internal/oid"
)

// crlSet holds parsed CRLs indexed by issuer name, so that a status query
// is given only the CRLs of the certificate's issuer: the crl layer then
// checks the signature of those alone (name, key, GOST signature), rather
// than rejecting every other issuer's CRL on each query. It is safe for
// concurrent use.
type crlSet struct {
	mu       sync.RWMutex
	byIssuer map[string][]*crl.CRL // by cert.Name.Key of the CRL issuer
	// text maps a CRL's Streebog-256 evidence digest to what a Result
	// says about it, rendered once.
	text map[[32]byte]crlText
}

// crlText is a CRL's evidence as the Result writes it.
type crlText struct {
	sha256   string // SHA-256 of the DER, hex (evidence_sha256)
	streebog string // the evidence digest, hex
	number   string // cRLNumber in decimal; "" when absent
}

// newCRLText renders the evidence of c from the digests crl.Parse
// computed.
func newCRLText(c *crl.CRL) crlText {
	t := crlText{sha256: hex.EncodeToString(c.SHA256[:]), streebog: hex.EncodeToString(c.Digest[:])}
	if c.Number != nil {
		t.number = c.Number.String()
	}
	return t
}

func newCRLSet() *crlSet {
	return &crlSet{byIssuer: map[string][]*crl.CRL{}, text: map[[32]byte]crlText{}}
}

// add adds c; it carries both digests of its DER (crl.CRL.Digest and
// SHA256), so the DER itself is not kept.
func (s *crlSet) add(c *crl.CRL) {
	t := newCRLText(c)
	k := c.Issuer.Key()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.text[c.Digest] = t
	s.byIssuer[k] = append(s.byIssuer[k], c)
}

// forIssuer returns the CRLs whose issuer name equals the subject of
// issuer; key is nameKey(issuer).
func (s *crlSet) forIssuer(key string) []*crl.CRL {
	if s == nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.byIssuer[key]
}

// textOf returns the rendered evidence of the CRL with this digest, from
// s or from extra (the request's CRLs).
func (s *crlSet) textOf(digest [32]byte, extra *crlSet) (crlText, bool) {
	s.mu.RLock()
	t, ok := s.text[digest]
	s.mu.RUnlock()
	if !ok && extra != nil {
		extra.mu.RLock()
		t, ok = extra.text[digest]
		extra.mu.RUnlock()
	}
	return t, ok
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
			f.chainDetail = "цепочка сертификатов нарушает ограничения (подпись сертификата, признак удостоверяющего центра, назначение ключа или длина пути)"
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
// — the CRL distribution points and the OCSP responder.
func (v *Verifier) revocationFacts(ctx context.Context, f *sigFacts, bst time.Time, poe bool, vt time.Time, extra *crlSet, ocsps []*crl.OCSPResponse) {
	if f.chainStatus != chainOK {
		return
	}
	f.revocation = make([]revFact, 0, max(len(f.chain)-1, 0))
	for i := 0; i+1 < len(f.chain); i++ {
		c, issuer := f.chain[i], f.chain[i+1]
		q := crl.Query{Cert: c, Issuer: issuer, At: bst, FromTimestamp: poe, Now: vt}
		key := v.names.key(&issuer.Subject)
		supplied := v.crlStatic.forIssuer(key)
		if more := extra.forIssuer(key); len(more) > 0 {
			supplied = append(append([]*crl.CRL(nil), supplied...), more...)
		}
		// crl.Decide applies the policy's rules to every CRL, whatever
		// brought it (supplied, carried, configured, fetched, cached),
		// the permanent revocation proven by a CRL past its nextUpdate
		// included (POLICY.md "Revocation").
		r := v.checker(ctx).Status(ctx, q, supplied, ocsps)
		f.revocation = append(f.revocation, v.revFact(c, r, extra))
	}
}

func (v *Verifier) revFact(c *cert.Certificate, r crl.Result, extra *crlSet) revFact {
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
		if t, ok := v.crlStatic.textOf(ev.Digest, extra); ok && ev.Source != crl.SourceOCSP {
			// A CRL the verifier or the request holds: rendered once.
			rf.entry.CRLNumber = t.number
			rf.entry.EvidenceStreebog256 = t.streebog
			rf.entry.EvidenceSHA256 = t.sha256
		} else {
			// Fetched or cached CRLs, OCSP responses: both digests were
			// computed when the crl layer parsed the DER.
			if ev.Number != nil {
				rf.entry.CRLNumber = ev.Number.String()
			}
			rf.entry.EvidenceStreebog256 = hex.EncodeToString(ev.Digest[:])
			rf.entry.EvidenceSHA256 = hex.EncodeToString(ev.SHA256[:])
		}
	}
	return rf
}

// tsaFacts checks the TSA certificate of a time-stamp that verified
// cryptographically: its path to a trust anchor and its validity at
// genTime (validation-policy.md, BST rule 1: "its TSA chain trusted"), and
// the timeStamping extended key usage (RFC 3161 §2.3).
func (v *Verifier) tsaFacts(ctx context.Context, ts *tsFact, extra []*cert.Certificate) error {
	if ts == nil || !ts.valid {
		return nil
	}
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
	if _, err := v.builder.Build(ctx, tsa, chain.BuildOptions{At: ts.genTime, Intermediates: extra}); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ts.valid, ts.detail, ts.cause = false, "цепочка сертификата службы штампов времени до доверенного корневого сертификата не построена", err.Error()
	}
	return nil
}

// setAside is evidence that could not be used: what people read (Russian)
// and the technical cause.
type setAside struct{ ru, cause string }
