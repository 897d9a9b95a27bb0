package chain

import (
	"bytes"
	"context"
	"crypto/sha1"
	"errors"
	"fmt"
	"slices"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/gost3410"
)

// Limits on the work one Build may do. A path request over one stops with
// what was found so far (or an error), never runs unbounded.
const (
	// maxChainSignatureChecks bounds the GOST signature verifications of
	// one Build (cache hits are free). Real paths need 1–3; a pool with
	// many same-named CAs (key rollover, cross-certificates) needs a few
	// more. The bound stops a crafted set of look-alike certificates from
	// costing minutes (crypto/x509 uses the same figure for the same
	// reason).
	maxChainSignatureChecks = 100
	// maxChainLength is the most certificates in one path, leaf and
	// anchor included. Russian qualified paths have 2–4.
	maxChainLength = 10
	// maxChains is the most complete paths one Build collects.
	maxChains = 32
	// maxAIAFetches is the most caIssuers URLs one Build fetches.
	maxAIAFetches = 4
	// MaxFetchedBytes is the largest caIssuers response accepted.
	MaxFetchedBytes = 1 << 20
)

// Fetcher retrieves the resource at an AIA caIssuers URL (RFC 5280
// §4.2.2.1). Implementations must bound time (through ctx) and size
// (MaxFetchedBytes). A nil Fetcher means offline: nothing is fetched.
type Fetcher interface {
	Fetch(ctx context.Context, url string) ([]byte, error)
}

// Chain is a certification path: the leaf first, each certificate followed
// by its issuer, the trust anchor last. A chain of one certificate is a
// leaf that is itself an anchor.
type Chain []*cert.Certificate

// Leaf returns the first certificate.
func (c Chain) Leaf() *cert.Certificate { return c[0] }

// Anchor returns the trust anchor, the last certificate.
func (c Chain) Anchor() *cert.Certificate { return c[len(c)-1] }

// CommonNames returns the subject CN of every certificate, leaf first.
func (c Chain) CommonNames() []string {
	out := make([]string, len(c))
	for i, x := range c {
		out[i] = x.Subject.CommonName()
	}
	return out
}

// PublicKeys returns the public key of every certificate of the path,
// resolving RFC 4491 §2.3.2 parameter inheritance from the anchor down:
// a key without parameters takes its issuer's.
func (c Chain) PublicKeys() ([]*gost3410.PublicKey, error) {
	keys := make([]*gost3410.PublicKey, len(c))
	var up *gost3410.PublicKey
	for i := len(c) - 1; i >= 0; i-- {
		k, err := c[i].PublicKeyFrom(up)
		if err != nil {
			return nil, fmt.Errorf("chain: public key of %s: %w", c[i], err)
		}
		keys[i], up = k, k
	}
	return keys, nil
}

// BuildOptions are the per-call inputs of Build.
type BuildOptions struct {
	// At is the time used to choose among several complete paths (the
	// one whose certificates are valid at At first). It is required: the
	// wall clock is never read. Validity itself is not decided here.
	At time.Time
	// Intermediates are untrusted certificates that may complete the
	// path: typically the certificates carried in the signature.
	Intermediates []*cert.Certificate
}

// Build returns every certification path (up to maxChains) from leaf to a
// trust anchor, best first, or an error: *UnknownAuthorityError when no
// issuer could be found for some certificate on every path,
// *InvalidError when a path exists by names but a signature, CA flag,
// keyUsage or path length forbids it, ErrSignatureCheckLimit, or the
// context's error.
//
// The order is deterministic: paths whose certificates are all valid at
// opts.At first, then paths whose key identifiers match at every link, then
// shorter paths, then anchors in configuration order, then by fingerprints.
//
// What Build checks: names (RFC 5280 §6.1.3 (a)(4)), the GOST signature of
// every certificate over its TBS, the CA flag, keyCertSign and
// pathLenConstraint of every issuer. What it does not: validity periods,
// revocation, policies, name constraints, the qualified profile; the
// policy above decides those on the certificates of the returned chain.
//
// Results are cached for Config.CacheTTL: a recurring signer costs no
// signature check and no path search.
func (b *Builder) Build(ctx context.Context, leaf *cert.Certificate, opts BuildOptions) ([]Chain, error) {
	if opts.At.IsZero() {
		return nil, ErrNoTime
	}
	if leaf == nil {
		return nil, errors.New("chain: nil certificate")
	}
	key, extras := b.chainKey(leaf, opts.Intermediates)
	e := b.lookupChains(key, leaf, extras)
	if b.chains != nil {
		b.ctr[ctrChains].hit(e != nil)
	}
	if e != nil {
		if e.err != nil {
			return nil, e.err
		}
		return b.order(e.chains, leaf, opts.At), nil
	}

	s := &search{b: b, ctx: ctx, extra: NewPool(opts.Intermediates...), fetched: NewPool(), fetchedURL: map[string]bool{}}
	chains, err := s.run(leaf)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if !s.transient {
		b.storeChains(key, leaf, extras, chains, err)
	}
	if err != nil {
		return nil, err
	}
	return b.order(chains, leaf, opts.At), nil
}

// order sorts a copy of chains for time at (see Build) and puts the
// caller's leaf in front.
func (b *Builder) order(chains []Chain, leaf *cert.Certificate, at time.Time) []Chain {
	if len(chains) == 1 {
		// Nothing to rank: the usual case of one path, returned with its
		// certificates in one allocation when it is short.
		n := len(chains[0])
		var c Chain
		var out []Chain
		if n <= 4 {
			one := new(struct {
				out   [1]Chain
				certs [4]*cert.Certificate
			})
			c, out = one.certs[:n:n], one.out[:]
		} else {
			c, out = make(Chain, n), make([]Chain, 1)
		}
		copy(c, chains[0])
		c[0] = leaf
		out[0] = c
		return out
	}
	type ranked struct {
		c                              Chain
		invalid, kidMiss, length, root int
	}
	rs := make([]ranked, len(chains))
	for i, c := range chains {
		r := ranked{c: c, length: len(c), root: b.rootRank(c.Anchor())}
		for j, x := range c {
			if at.Before(x.NotBefore) || at.After(x.NotAfter) {
				r.invalid++
			}
			if j > 0 && !kidMatches(c[j-1], x) {
				r.kidMiss++
			}
		}
		rs[i] = r
	}
	slices.SortStableFunc(rs, func(a, b ranked) int {
		switch {
		case a.invalid != b.invalid:
			return a.invalid - b.invalid
		case a.kidMiss != b.kidMiss:
			return a.kidMiss - b.kidMiss
		case a.length != b.length:
			return a.length - b.length
		case a.root != b.root:
			return a.root - b.root
		}
		return bytes.Compare(chainFingerprints(a.c), chainFingerprints(b.c))
	})
	out := make([]Chain, len(rs))
	for i, r := range rs {
		c := make(Chain, len(r.c))
		copy(c, r.c)
		c[0] = leaf
		out[i] = c
	}
	return out
}

func chainFingerprints(c Chain) []byte {
	var out []byte
	for _, x := range c {
		fp := x.SHA1Fingerprint()
		out = append(out, fp[:]...)
	}
	return out
}

// kidMatches reports whether child's authorityKeyIdentifier equals
// parent's subjectKeyIdentifier (both present).
func kidMatches(child, parent *cert.Certificate) bool {
	return len(child.AuthorityKeyID) > 0 && bytes.Equal(child.AuthorityKeyID, parent.SubjectKeyID)
}

// kidConflicts reports whether both identifiers are present and differ:
// parent is then, by RFC 5280 §4.2.1.1, not the key that signed child.
func kidConflicts(child, parent *cert.Certificate) bool {
	return len(child.AuthorityKeyID) > 0 && len(parent.SubjectKeyID) > 0 &&
		!bytes.Equal(child.AuthorityKeyID, parent.SubjectKeyID)
}

// search is the state of one path search.
type search struct {
	b          *Builder
	ctx        context.Context
	extra      *Pool // per-call intermediates
	fetched    *Pool // from AIA
	fetchedURL map[string]bool
	fetches    int
	transient  bool // a failure that must not be cached (fetch error, ctx)

	sigChecks int
	limitHit  bool
	chains    []Chain
	seen      map[string]bool // chains already recorded (by fingerprints)

	invalid      *InvalidError // first constraint or signature failure on a named path
	hint         error         // first rejected candidate of an unknown-authority path
	missing      *cert.Certificate
	missingDepth int
}

func (s *search) run(leaf *cert.Certificate) ([]Chain, error) {
	if s.b.roots.Contains(leaf) {
		return []Chain{{leaf}}, nil
	}
	if err := criticalExtensions(leaf); err != nil {
		return nil, err
	}
	s.seen = map[string]bool{}
	s.extend(Chain{leaf})
	if len(s.chains) > 0 {
		return s.chains, nil
	}
	switch {
	case s.ctx.Err() != nil:
		s.transient = true
		return nil, s.ctx.Err()
	case s.limitHit:
		// The search was cut short: any other finding is incomplete.
		return nil, ErrSignatureCheckLimit
	case s.invalid != nil:
		return nil, s.invalid
	}
	if s.missing == nil {
		s.missing = leaf
	}
	return nil, &UnknownAuthorityError{Cert: leaf, Missing: s.missing, Hint: s.hint}
}

type candidate struct {
	c      *cert.Certificate
	fp     [sha1.Size]byte
	anchor bool
	prio   int // 0 key ids match, 1 unknown, 2 conflict
	src    int // 0 anchor, 1 builder intermediates, 2 per-call, 3 fetched
}

// candidates returns the possible issuers of c in deterministic priority
// order, without duplicates.
func (s *search) candidates(c *cert.Certificate) []candidate {
	key := c.Issuer.Key()
	var out []candidate
	seen := map[[sha1.Size]byte]bool{}
	add := func(list []*cert.Certificate, src int) {
		for _, p := range list {
			fp := p.SHA1Fingerprint()
			if seen[fp] {
				continue
			}
			seen[fp] = true
			cd := candidate{c: p, fp: fp, src: src, anchor: src == 0, prio: 1}
			if kidMatches(c, p) {
				cd.prio = 0
			} else if kidConflicts(c, p) {
				cd.prio = 2
			}
			out = append(out, cd)
		}
	}
	add(s.b.roots.bySubjectKey(key), 0)
	add(s.b.inter.bySubjectKey(key), 1)
	add(s.extra.bySubjectKey(key), 2)
	add(s.fetched.bySubjectKey(key), 3)
	slices.SortStableFunc(out, func(a, b candidate) int {
		if a.prio != b.prio {
			return a.prio - b.prio
		}
		if a.src != b.src {
			return a.src - b.src
		}
		return bytes.Compare(a.fp[:], b.fp[:])
	})
	return out
}

// extend tries every issuer of the last certificate of path.
func (s *search) extend(path Chain) {
	if len(s.chains) >= maxChains || s.limitHit || s.ctx.Err() != nil {
		return
	}
	c := path[len(path)-1]
	cands := s.candidates(c)
	if len(cands) == 0 && s.fetch(c) {
		cands = s.candidates(c)
	}
	tried := false
	for _, cd := range cands {
		if s.limitHit || len(s.chains) >= maxChains {
			return
		}
		if inPath(path, cd.c) {
			continue // a loop through cross-certificates
		}
		tried = true
		if err := s.checkIssuer(path, cd); err != nil {
			s.reject(c, cd, err)
			continue
		}
		if err := s.verify(c, cd.c); err != nil {
			if s.limitHit {
				return
			}
			s.reject(c, cd, err)
			continue
		}
		next := append(path[:len(path):len(path)], cd.c)
		if cd.anchor {
			s.record(next)
			continue
		}
		if len(next) >= maxChainLength {
			s.noteHint(fmt.Errorf("chain: path longer than %d certificates abandoned at %s", maxChainLength, cd.c))
			continue
		}
		s.extend(next)
	}
	if !tried && len(path) > s.missingDepth {
		s.missing, s.missingDepth = c, len(path)
	}
}

// inPath reports whether p (or the same subject with the same key) is in
// path already.
func inPath(path Chain, p *cert.Certificate) bool {
	for _, x := range path {
		if x.Equal(p) || (bytes.Equal(x.RawSubject, p.RawSubject) &&
			bytes.Equal(x.RawSubjectPublicKeyInfo, p.RawSubjectPublicKeyInfo)) {
			return true
		}
	}
	return false
}

func (s *search) record(c Chain) {
	k := string(chainFingerprints(c))
	if s.seen[k] {
		return
	}
	s.seen[k] = true
	s.chains = append(s.chains, slices.Clone(c))
}

// reject notes why candidate cd is not the issuer of c. A candidate whose
// key identifier contradicts c's AKI was never really "the" issuer: its
// failure is only a hint for an unknown-authority error. Otherwise the
// failure is a broken path (InvalidError).
func (s *search) reject(c *cert.Certificate, cd candidate, err error) {
	var ie *InvalidError
	if cd.prio == 2 || !errors.As(err, &ie) {
		s.noteHint(fmt.Errorf("candidate issuer %s of %s rejected: %w", cd.c, c, err))
		return
	}
	if s.invalid == nil {
		s.invalid = ie
	}
}

func (s *search) noteHint(err error) {
	if s.hint == nil {
		s.hint = err
	}
}

// checkIssuer checks the constraints cd must meet to issue the last
// certificate of path (RFC 5280 §6.1.4 (k)–(n)).
func (s *search) checkIssuer(path Chain, cd candidate) error {
	p := cd.c
	if cd.anchor {
		// A trust anchor is trusted by configuration (RFC 5280 §6.1.1
		// (d)). A v1/v2 anchor has no extensions to check; a v3 anchor
		// without cA is accepted only under AllowLegacyAnchors (the TC26
		// vector root, cms-cades-profile.md §6).
		if p.Version == 3 && !(p.BasicConstraintsValid && p.IsCA) && !s.b.legacyAnchors {
			return &InvalidError{Cert: p, Reason: NotAuthorizedToSign, Detail: "v3 trust anchor without basicConstraints cA"}
		}
	} else {
		if p.Version < 3 {
			return &InvalidError{Cert: p, Reason: NotAuthorizedToSign, Detail: fmt.Sprintf("v%d certificate as an intermediate CA", p.Version)}
		}
		if !p.BasicConstraintsValid || !p.IsCA {
			return &InvalidError{Cert: p, Reason: NotAuthorizedToSign}
		}
		if err := criticalExtensions(p); err != nil {
			return err
		}
	}
	if p.KeyUsageValid && p.KeyUsage&cert.KeyUsageCertSign == 0 {
		return &InvalidError{Cert: p, Reason: MissingKeyCertSign}
	}
	if p.BasicConstraintsValid && p.MaxPathLen >= 0 {
		// Non-self-issued intermediates below p (the leaf does not count).
		n := 0
		for _, x := range path[1:] {
			if !x.SelfIssued() {
				n++
			}
		}
		if n > p.MaxPathLen {
			return &InvalidError{Cert: p, Reason: TooManyIntermediates,
				Detail: fmt.Sprintf("pathLenConstraint %d, %d intermediates below", p.MaxPathLen, n)}
		}
	}
	return nil
}

// criticalExtensions refuses a certificate of the path (not a trust
// anchor) with a critical extension cert does not interpret (RFC 5280
// §6.1.4 (o) for an intermediate, §6.1.5 (f) for the leaf).
func criticalExtensions(c *cert.Certificate) error {
	if err := c.CheckCriticalExtensions(); err != nil {
		return &InvalidError{Cert: c, Reason: UnhandledCriticalExtension, Err: err}
	}
	return nil
}

// verify checks that parent's key signed child, through the signature
// cache, counting real verifications against maxChainSignatureChecks.
func (s *search) verify(child, parent *cert.Certificate) error {
	if err, ok := s.b.cachedSig(child, parent); ok {
		return err
	}
	if s.sigChecks >= maxChainSignatureChecks {
		s.limitHit = true
		return ErrSignatureCheckLimit
	}
	s.sigChecks++
	pub, err := s.issuerKey(parent)
	if err != nil {
		return &InvalidError{Cert: parent, Reason: IssuerKeyUnavailable, Err: err}
	}
	err = child.CheckSignature(pub)
	switch {
	case err == nil:
	case errors.Is(err, cert.ErrUnsupportedAlgorithm):
		err = &InvalidError{Cert: child, Reason: UnsupportedAlgorithm, Err: err}
	default:
		err = &InvalidError{Cert: child, Reason: BadSignature, Detail: "issuer " + parent.String(), Err: err}
	}
	s.b.storeSig(child, parent, err)
	return err
}

// issuerKey returns parent's public key. When its parameters are absent
// (RFC 4491 §2.3.2) they are inherited from the first of parent's own
// issuers (by name) that has a complete key.
func (s *search) issuerKey(parent *cert.Certificate) (*gost3410.PublicKey, error) {
	if parent.PublicKey != nil {
		return parent.PublicKey, nil
	}
	if !errors.Is(parent.PublicKeyErr, gost3410.ErrMissingParameters) {
		return nil, parent.PublicKeyErr
	}
	for _, gp := range s.candidates(parent) {
		if gp.c.PublicKey != nil && !gp.c.Equal(parent) {
			if k, err := parent.PublicKeyFrom(gp.c.PublicKey); err == nil {
				return k, nil
			}
		}
	}
	return nil, parent.PublicKeyErr
}

// fetch retrieves c's caIssuers URLs into s.fetched and reports whether
// anything new arrived.
func (s *search) fetch(c *cert.Certificate) bool {
	if s.b.fetcher == nil {
		return false
	}
	got := false
	for _, url := range c.IssuingCertificateURL {
		if s.fetchedURL[url] || s.fetches >= maxAIAFetches {
			continue
		}
		s.fetchedURL[url] = true
		s.fetches++
		data, err := s.b.fetcher.Fetch(s.ctx, url)
		if err == nil && len(data) > MaxFetchedBytes {
			err = fmt.Errorf("response over %d bytes", MaxFetchedBytes)
		}
		if err != nil {
			s.transient = true
			s.noteHint(fmt.Errorf("chain: fetching caIssuers %s: %w", url, err))
			continue
		}
		certs, err := cert.ParseAll(data)
		if err != nil {
			s.noteHint(fmt.Errorf("chain: caIssuers %s: %w", url, err))
			continue
		}
		for _, x := range certs {
			s.fetched.AddCert(x)
		}
		got = true
	}
	return got
}
