package crl

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/streebog"
)

// Status is a certificate's revocation status at a time.
type Status int

const (
	// Unknown: no decision; see Result.Unknown for why.
	Unknown Status = iota
	// Good: not revoked at the time asked (it may have been revoked later;
	// see Result.RevokedLater).
	Good
	// Revoked: revoked (or on hold) at the time asked.
	Revoked
)

func (s Status) String() string {
	switch s {
	case Good:
		return "good"
	case Revoked:
		return "revoked"
	}
	return "unknown"
}

// UnknownReason says why a Result is Unknown.
type UnknownReason int

const (
	_ UnknownReason = iota
	// NoCoverage: no CRL or OCSP response speaks for the time asked — none
	// was supplied or could be fetched, all have passed nextUpdate, or
	// (for the validation time) none was issued by then. The policy maps
	// it to INDETERMINATE/TRY_LATER.
	NoCoverage
	// OutOfScope: CRLs of the issuer exist, but their
	// issuingDistributionPoint excludes this certificate (a user-only CRL
	// for a CA certificate, another distribution point, only some reasons).
	OutOfScope
	// ResponderUnknown: an OCSP responder answered "unknown".
	ResponderUnknown
)

func (u UnknownReason) String() string {
	switch u {
	case NoCoverage:
		return "no CRL or OCSP response covers the time"
	case OutOfScope:
		return "no CRL in scope for the certificate"
	case ResponderUnknown:
		return "OCSP responder does not know the certificate"
	}
	return ""
}

// Source is the kind of revocation evidence.
type Source int

const (
	SourceCRL Source = iota + 1
	SourceDeltaCRL
	SourceOCSP
)

func (s Source) String() string {
	switch s {
	case SourceCRL:
		return "crl"
	case SourceDeltaCRL:
		return "delta-crl"
	case SourceOCSP:
		return "ocsp"
	}
	return "none"
}

// Evidence identifies the CRL or OCSP response that decided a status, so
// that a report can cite it and a dispute can re-check it
// (validation-policy.md "Revocation").
type Evidence struct {
	Source     Source
	Issuer     string // RFC 4514 text of the CRL issuer or the OCSP responder
	RawIssuer  []byte
	Number     *big.Int  // cRLNumber; nil for OCSP or when absent
	ThisUpdate time.Time // CRL thisUpdate / OCSP SingleResponse thisUpdate
	NextUpdate time.Time // zero when absent
	ProducedAt time.Time // OCSP only
	// Digest is the Streebog-256 of the DER (of the CRL, or of the
	// BasicOCSPResponse), SHA256 its SHA-256, Size its length: computed
	// when the CRL or response was parsed, whether it was supplied,
	// fetched or read from the disk cache.
	Digest [streebog.Size256]byte
	SHA256 [sha256.Size]byte
	Size   int
	URL    string // where it was fetched; "" when supplied
	// NumberText is Number in decimal ("" when nil), DigestHex and
	// SHA256Hex the digests in lower-case hex: rendered once, when the
	// CRL or response was parsed, so that every verdict citing it —
	// supplied, fetched or cached — shares the same strings.
	NumberText, DigestHex, SHA256Hex string
}

// evidenceText is the text of an Evidence, rendered at parse time.
type evidenceText struct{ number, digest, sha256 string }

func newEvidenceText(number *big.Int, digest *[streebog.Size256]byte, sum *[sha256.Size]byte) evidenceText {
	t := evidenceText{digest: hex.EncodeToString(digest[:]), sha256: hex.EncodeToString(sum[:])}
	if number != nil {
		t.number = number.String()
	}
	return t
}

// Result is the answer to a status query.
type Result struct {
	Status Status
	// For Revoked, and for Good with RevokedLater: the entry.
	RevocationTime time.Time
	Reason         Reason
	ReasonPresent  bool
	InvalidityDate time.Time
	// RevokedLater is set on a Good result when the certificate is listed
	// with a revocation date after the time asked: it was good then
	// (validation-policy.md "Revocation").
	RevokedLater bool
	// Stale is set when the deciding CRL or response does not speak for
	// the time asked: it had passed its nextUpdate and was accepted only
	// within the configured grace, or — for Revoked only — it lists a
	// permanent revocation, which needs no freshness (see Decide).
	Stale bool
	// Evidence lists what decided: a CRL, a CRL and its delta, or an OCSP
	// response. For Unknown it is empty.
	Evidence []Evidence
	Unknown  UnknownReason
	// Detail explains an Unknown result (and notes what was set aside).
	Detail string
}

// TryLater reports whether the result is the "no revocation information
// covers the time" case that the policy maps to TRY_LATER.
func (r Result) TryLater() bool { return r.Status == Unknown && r.Unknown == NoCoverage }

// Query asks for the status of Cert, issued by Issuer, at time At.
type Query struct {
	Cert   *cert.Certificate
	Issuer *cert.Certificate
	// At is the time the status is wanted for: the best signature time.
	At time.Time
	// FromTimestamp is true when At comes from a time-stamp (BST source
	// "timestamp"). Then a CRL issued at or after At speaks for At, as
	// well as one whose [thisUpdate, nextUpdate) contains At. When false,
	// At is the validation time and only a current CRL (thisUpdate ≤ At <
	// nextUpdate) does.
	FromTimestamp bool
	// Now is the validation time, used to refuse future-dated evidence
	// (thisUpdate or producedAt later than Now + MaxClockSkew). Zero means At.
	Now time.Time
	// Grace accepts a CRL or response up to this long past its nextUpdate,
	// marking the result Stale (stale-if-error). Zero, the default, is the
	// policy's strict rule.
	Grace time.Duration
	// OCSPMaxAge bounds how long after its thisUpdate an OCSP response
	// without nextUpdate stays current for the validation time (see the
	// package doc). Zero means DefaultOCSPMaxAge.
	OCSPMaxAge time.Duration
}

// MaxClockSkew is the tolerance for evidence dated slightly in the future
// (validation-policy.md "Best signature time" allows 5 minutes of skew).
const MaxClockSkew = 5 * time.Minute

// DefaultOCSPMaxAge is how long an OCSP response without nextUpdate counts
// as current for the validation time.
const DefaultOCSPMaxAge = time.Hour

func (q *Query) now() time.Time {
	if q.Now.IsZero() {
		return q.At
	}
	return q.Now
}

// covers reports whether evidence valid over [this, next) speaks for q.At,
// and whether only the grace made it so.
func (q *Query) covers(this, next time.Time) (ok, stale bool) {
	if this.After(q.At) {
		return q.FromTimestamp, false
	}
	if next.IsZero() {
		return false, false
	}
	if q.At.Before(next) {
		return true, false
	}
	if q.Grace > 0 && q.At.Before(next.Add(q.Grace)) {
		return true, true
	}
	return false, false
}

// evidence describes c as Evidence.
func (c *CRL) evidence() Evidence {
	src := SourceCRL
	if c.IsDelta() {
		src = SourceDeltaCRL
	}
	return Evidence{
		Source: src, Issuer: c.issuerText, RawIssuer: c.RawIssuer, Number: c.Number,
		ThisUpdate: c.ThisUpdate, NextUpdate: c.NextUpdate, Digest: c.Digest, SHA256: c.SHA256, Size: c.Size, URL: c.URL,
		NumberText: c.text.number, DigestHex: c.text.digest, SHA256Hex: c.text.sha256,
	}
}

// scope classifies a CRL against a certificate (RFC 5280 §6.3.3 (b)).
type scope int

const (
	scopeNone    scope = iota // the CRL does not cover the certificate
	scopePartial              // only some reasons: can prove Revoked, not Good
	scopeFull
)

func crlScope(c *CRL, crt *cert.Certificate) scope {
	idp := c.IssuingDistributionPoint
	if idp == nil {
		return scopeFull
	}
	isCA := crt.BasicConstraintsValid && crt.IsCA
	switch {
	case idp.OnlyContainsAttributeCerts,
		idp.OnlyContainsUserCerts && isCA,
		idp.OnlyContainsCACerts && !isCA:
		return scopeNone
	}
	if len(idp.FullName) > 0 && len(crt.CRLDistributionPoints) > 0 &&
		!slices.ContainsFunc(idp.FullName, func(u string) bool { return slices.Contains(crt.CRLDistributionPoints, u) }) {
		return scopeNone
	}
	if idp.OnlySomeReasons != 0 {
		return scopePartial
	}
	return scopeFull
}

// view is a complete CRL with the delta applied to it, if any.
type view struct {
	base, delta *CRL
	stale       bool
}

func (v view) thisUpdate() time.Time {
	if v.delta != nil {
		return v.delta.ThisUpdate
	}
	return v.base.ThisUpdate
}

func (v view) evidence() []Evidence {
	ev := []Evidence{v.base.evidence()}
	if v.delta != nil {
		ev = append(ev, v.delta.evidence())
	}
	return ev
}

// lookup returns the entry that applies to serial in the view: the delta's
// (removeFromCRL meaning "no longer listed") over the base's.
func (v view) lookup(serial []byte) (Entry, bool) {
	if v.delta != nil {
		if e, ok := v.delta.Index.find(serial); ok {
			ent := v.delta.Index.entry(e)
			if ent.Reason == ReasonRemoveFromCRL {
				return Entry{}, false
			}
			return ent, true
		}
	}
	if e, ok := v.base.Index.find(serial); ok {
		return v.base.Index.entry(e), true
	}
	return Entry{}, false
}

// Decide answers q from the given CRLs alone (no I/O): it keeps the CRLs
// that q.Issuer signed (CheckSignatureFrom: name, key, cRLSign, GOST
// signature), that are not future-dated and whose scope includes q.Cert,
// pairs complete CRLs with their delta CRLs, and applies the freshness rules
// of validation-policy.md "Revocation":
//
//   - a view (a complete CRL, or one with a delta applied) speaks for At
//     when its thisUpdate ≤ At < nextUpdate, or, when At comes from a
//     time-stamp, also when its thisUpdate ≥ At;
//   - a certificate listed with a permanent reason (any but
//     certificateHold and removeFromCRL) and a revocation date ≤ At in any
//     view that speaks for At is Revoked;
//   - failing that, so listed in any other of the CRLs kept — one past its
//     nextUpdate included — it is Revoked too, with Stale set and that CRL
//     as the evidence: a revocation is never undone (RFC 5280 §5.3.1), so
//     newer information could not make the certificate good, and freshness
//     (ETSI EN 319 102-1 §5.2.5) has nothing to add to it (gostsig
//     POLICY.md, "Revocation"). A certificateHold entry proves nothing
//     permanent and needs a view that speaks for At;
//   - otherwise the newest view that speaks for At decides: listed with
//     date ≤ At (certificateHold included, while listed) is Revoked;
//     listed with a later date is Good with RevokedLater; removeFromCRL in
//     the delta or not listed is Good;
//   - no view speaks for At: Unknown with NoCoverage (TRY_LATER).
//
// So Good always needs a CRL whose [thisUpdate, nextUpdate) covers At (or
// one issued after At, for a time-stamp), Revoked does not.
func Decide(q Query, crls []*CRL) Result {
	if q.Cert == nil || q.Issuer == nil {
		return Result{Unknown: NoCoverage, Detail: "crl: certificate and issuer are both needed"}
	}
	var serialBuf [64]byte
	serial := normalizeSerial(appendSerial(serialBuf[:0], q.Cert.SerialNumber))
	var notes []string
	var bases, deltas []*CRL
	partial := []*CRL{}
	outOfScope := 0
	now := q.now()
	for _, c := range crls {
		if c == nil {
			continue
		}
		if err := c.CheckSignatureFrom(q.Issuer); err != nil {
			if KindOf(err) != KindIssuerMismatch || c.Issuer.Equal(&q.Issuer.Subject) {
				notes = append(notes, err.Error())
			}
			continue
		}
		if c.ThisUpdate.After(now.Add(MaxClockSkew)) {
			notes = append(notes, fmt.Sprintf("crl: number %v issued %s, in the future", c.Number, c.ThisUpdate.Format(time.RFC3339)))
			continue
		}
		switch crlScope(c, q.Cert) {
		case scopeNone:
			outOfScope++
			continue
		case scopePartial:
			partial = append(partial, c)
			continue
		}
		if c.IsDelta() {
			deltas = append(deltas, c)
		} else {
			bases = append(bases, c)
		}
	}

	// Build the views that speak for At.
	var views []view
	for _, b := range bases {
		v := view{base: b}
		bOK, bStale := q.covers(b.ThisUpdate, b.NextUpdate)
		// The newest delta that applies to b (RFC 5280 §5.2.4: BaseCRLNumber
		// ≤ b's number < the delta's number, same scope).
		for _, d := range deltas {
			if b.Number == nil || d.BaseNumber.Cmp(b.Number) > 0 || d.Number.Cmp(b.Number) <= 0 ||
				d.ThisUpdate.Before(b.ThisUpdate) || !sameScope(b, d) {
				continue
			}
			if ok, _ := q.covers(d.ThisUpdate, d.NextUpdate); !ok {
				continue
			}
			if v.delta == nil || d.Number.Cmp(v.delta.Number) > 0 {
				v.delta = d
			}
		}
		switch {
		case v.delta != nil:
			_, v.stale = q.covers(v.delta.ThisUpdate, v.delta.NextUpdate)
		case bOK:
			v.stale = bStale
		default:
			continue
		}
		views = append(views, v)
	}
	for _, p := range partial {
		if ok, _ := q.covers(p.ThisUpdate, p.NextUpdate); ok {
			// A partial CRL can only prove revocation.
			if e, found := p.Index.find(serial); found {
				if ent := p.Index.entry(e); !ent.RevocationDate.After(q.At) && ent.Reason != ReasonRemoveFromCRL {
					return revokedResult(ent, view{base: p})
				}
			}
		}
	}
	// A permanent revocation by At in any view stands (a later CRL may have
	// dropped the entry because the certificate expired) …
	for _, v := range views {
		if e, ok := v.lookup(serial); ok && permanent(e) && !e.RevocationDate.After(q.At) {
			return revokedResult(e, v)
		}
	}
	// … and so it does in a CRL that no longer speaks for At.
	if r, ok := staleRevocation(q, serial, bases, deltas, partial); ok {
		return r
	}
	if len(views) == 0 {
		r := Result{Unknown: NoCoverage}
		switch {
		case len(bases)+len(deltas) > 0:
			r.Detail = fmt.Sprintf("no CRL of \"%s\" covers %s", q.Issuer.Subject.String(), q.At.UTC().Format(time.RFC3339))
		case outOfScope > 0 || len(partial) > 0:
			r.Unknown = OutOfScope
			r.Detail = fmt.Sprintf("%d CRL(s) of \"%s\", none in scope for the certificate", outOfScope+len(partial), q.Issuer.Subject.String())
		default:
			r.Detail = fmt.Sprintf("no CRL of \"%s\"", q.Issuer.Subject.String())
		}
		if len(notes) > 0 {
			r.Detail += "; set aside: " + strings.Join(notes, "; ")
		}
		return r
	}
	// Otherwise the newest view decides.
	best := views[0]
	for _, v := range views[1:] {
		if t, bt := v.thisUpdate(), best.thisUpdate(); t.After(bt) ||
			(t.Equal(bt) && v.base.Number != nil && best.base.Number != nil && v.base.Number.Cmp(best.base.Number) > 0) {
			best = v
		}
	}
	e, ok := best.lookup(serial)
	if ok && !e.RevocationDate.After(q.At) {
		return revokedResult(e, best)
	}
	r := Result{Status: Good, Evidence: best.evidence(), Stale: best.stale}
	if ok {
		r.RevokedLater = true
		r.RevocationTime, r.Reason, r.ReasonPresent, r.InvalidityDate = e.RevocationDate, e.Reason, e.ReasonPresent, e.InvalidityDate
	}
	return r
}

// permanent reports whether an entry records a revocation that cannot be
// undone (RFC 5280 §5.3.1: every reason but certificateHold, and
// removeFromCRL, which is no revocation).
func permanent(e Entry) bool {
	return e.Reason != ReasonCertificateHold && e.Reason != ReasonRemoveFromCRL
}

// staleRevocation finds, among CRLs that Decide kept (issuer-signed, not
// future-dated, in scope) but that need not speak for q.At, the newest that
// lists serial as revoked for good by q.At, ignoring CRLs issued before the
// certificate's notBefore. The result is Revoked with
// that CRL alone as evidence, Stale unless the CRL covers q.At (a delta
// whose base is missing may). Not listed anywhere: false.
func staleRevocation(q Query, serial []byte, lists ...[]*CRL) (Result, bool) {
	var best *CRL
	var bestEntry Entry
	for _, l := range lists {
		for _, c := range l {
			if best != nil && !c.ThisUpdate.After(best.ThisUpdate) {
				continue
			}
			if q.Cert != nil && c.ThisUpdate.Before(q.Cert.NotBefore) {
				// Issued before the certificate existed: an entry with its
				// serial is about an earlier certificate that reused it
				// (this rule accepts CRLs of any age, so it must not let an
				// old CRL revoke a new certificate).
				continue
			}
			i, ok := c.Index.find(serial)
			if !ok {
				continue
			}
			if e := c.Index.entry(i); permanent(e) && !e.RevocationDate.After(q.At) {
				best, bestEntry = c, e
			}
		}
	}
	if best == nil {
		return Result{}, false
	}
	covers, _ := q.covers(best.ThisUpdate, best.NextUpdate)
	r := revokedResult(bestEntry, view{base: best})
	r.Stale = !covers
	return r, true
}

func revokedResult(e Entry, v view) Result {
	return Result{
		Status: Revoked, RevocationTime: e.RevocationDate, Reason: e.Reason, ReasonPresent: e.ReasonPresent,
		InvalidityDate: e.InvalidityDate, Evidence: v.evidence(), Stale: v.stale,
	}
}

// sameScope reports whether two CRLs of one issuer have the same
// issuingDistributionPoint (RFC 5280 §5.2.4: a delta and its complete CRL
// must have the same scope).
func sameScope(a, b *CRL) bool {
	x, y := a.IssuingDistributionPoint, b.IssuingDistributionPoint
	if x == nil || y == nil {
		return x == y
	}
	return slices.Equal(x.FullName, y.FullName) && x.HasName == y.HasName &&
		x.OnlyContainsUserCerts == y.OnlyContainsUserCerts && x.OnlyContainsCACerts == y.OnlyContainsCACerts &&
		x.OnlyContainsAttributeCerts == y.OnlyContainsAttributeCerts && x.OnlySomeReasons == y.OnlySomeReasons
}
