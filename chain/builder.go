package chain

import (
	"bytes"
	"crypto/sha1"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"time"

	"github.com/cespare/xxhash/v2"
	"github.com/dgraph-io/ristretto/v2"

	"gostsig.dev/cert"
)

// Cache defaults.
const (
	// DefaultCacheTTL is how long a built path (and a verified
	// certificate signature) is reused when Config.CacheTTL is zero.
	DefaultCacheTTL = 10 * time.Minute
	// DefaultCacheBytes is the cache budget when Config.CacheBytes is zero.
	DefaultCacheBytes = 64 << 20
)

// Config configures a Builder. The zero value trusts the embedded ГУЦ roots,
// has no extra intermediates, no trusted list, works offline and caches
// with the defaults.
type Config struct {
	// Roots replaces the trust anchors. Nil means EmbeddedRoots().
	Roots []*cert.Certificate
	// ExtraRoots are trusted in addition to Roots (or to the embedded
	// roots when Roots is nil).
	ExtraRoots []*cert.Certificate
	// Intermediates are untrusted CA certificates offered to every path
	// (the CLI's --certs files).
	Intermediates []*cert.Certificate
	// TSL is the ГУЦ trusted list; its certificates join Intermediates
	// and it answers AccreditedAt for the policy.
	TSL *TSL
	// Fetcher retrieves AIA caIssuers URLs when no issuer is known. Nil
	// means offline.
	Fetcher Fetcher
	// AllowLegacyAnchors accepts v3 trust anchors without basicConstraints
	// cA (like the TC26 test root). Off by default, as RFC 5280 and
	// OpenSSL have it.
	AllowLegacyAnchors bool
	// CacheTTL is how long built paths and verified signatures are reused:
	// 0 means DefaultCacheTTL, a negative value disables the caches.
	CacheTTL time.Duration
	// CacheBytes bounds the memory of the caches (0: DefaultCacheBytes).
	CacheBytes int64
	// Now is the clock of cache expiry only (nil: time.Now). It never
	// influences a verdict.
	Now func() time.Time
}

// Builder builds certification paths to the configured trust anchors. It is
// safe for concurrent use. Close releases its caches.
type Builder struct {
	roots         *Pool
	rank          map[[sha1.Size]byte]int
	rankOf        map[*cert.Certificate]int // rank by the anchors' own pointers
	inter         *Pool
	tsl           *TSL
	fetcher       Fetcher
	legacyAnchors bool
	ttl           time.Duration
	now           func() time.Time

	parsed *ristretto.Cache[uint64, *cert.Certificate]
	sigs   *ristretto.Cache[uint64, *sigEntry]
	chains *ristretto.Cache[uint64, *chainEntry]
	ctr    [numCtrs]cacheCounters // see Stats
}

// New returns a Builder for cfg. The certificates given are kept: they must
// not be modified afterwards.
func New(cfg Config) (*Builder, error) {
	roots := cfg.Roots
	if roots == nil {
		roots = EmbeddedRoots()
	}
	b := &Builder{
		roots:         NewPool(),
		rank:          map[[sha1.Size]byte]int{},
		rankOf:        map[*cert.Certificate]int{},
		inter:         NewPool(cfg.Intermediates...),
		tsl:           cfg.TSL,
		fetcher:       cfg.Fetcher,
		legacyAnchors: cfg.AllowLegacyAnchors,
		ttl:           cfg.CacheTTL,
		now:           cfg.Now,
	}
	for _, r := range append(slices.Clone(roots), cfg.ExtraRoots...) {
		if r == nil {
			continue
		}
		fp := r.SHA1Fingerprint()
		if _, ok := b.rank[fp]; !ok {
			b.rank[fp] = len(b.rank)
		}
		b.roots.AddCert(r)
	}
	for _, r := range b.roots.Certificates() {
		b.rankOf[r] = b.rank[r.SHA1Fingerprint()]
	}
	if b.roots.Len() == 0 {
		return nil, errors.New("chain: no trust anchors")
	}
	if cfg.TSL != nil {
		for _, c := range cfg.TSL.Certificates() {
			b.inter.AddCert(c)
		}
	}
	if b.now == nil {
		b.now = time.Now
	}
	if b.ttl == 0 {
		b.ttl = DefaultCacheTTL
	}
	if b.ttl > 0 {
		budget := cfg.CacheBytes
		if budget <= 0 {
			budget = DefaultCacheBytes
		}
		var err error
		if b.parsed, err = newCache[*cert.Certificate](budget / 4); err != nil {
			return nil, err
		}
		if b.sigs, err = newCache[*sigEntry](budget / 4); err != nil {
			return nil, err
		}
		if b.chains, err = newCache[*chainEntry](budget / 2); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func newCache[V any](maxCost int64) (*ristretto.Cache[uint64, V], error) {
	c, err := ristretto.NewCache(&ristretto.Config[uint64, V]{
		NumCounters: max(maxCost/200, 1000), // ~10 counters per 2 KB entry
		MaxCost:     maxCost,
		BufferItems: 64,
	})
	if err != nil {
		return nil, fmt.Errorf("chain: cache: %w", err)
	}
	return c, nil
}

// Close stops the caches' background work. The Builder must not be used
// afterwards.
func (b *Builder) Close() {
	if b.parsed != nil {
		b.parsed.Close()
		b.sigs.Close()
		b.chains.Close()
	}
}

// Roots returns the trust anchors.
func (b *Builder) Roots() []*cert.Certificate { return b.roots.Certificates() }

// Intermediates returns the configured untrusted CA certificates (with the
// trusted list's).
func (b *Builder) Intermediates() []*cert.Certificate { return b.inter.Certificates() }

// FindBySubjectKeyID returns the anchors and configured intermediates whose
// subjectKeyIdentifier is ski: the lookup for a CMS signer identified by
// subjectKeyIdentifier (RFC 5652 §5.3) whose certificate the message lacks.
func (b *Builder) FindBySubjectKeyID(ski []byte) []*cert.Certificate {
	return append(b.roots.BySubjectKeyID(ski), b.inter.BySubjectKeyID(ski)...)
}

// TSL returns the trusted list given in Config, or nil.
func (b *Builder) TSL() *TSL { return b.tsl }

func (b *Builder) rootRank(c *cert.Certificate) int {
	if r, ok := b.rankOf[c]; ok {
		return r // an anchor of the pool: no SHA-1 per call
	}
	if r, ok := b.rank[c.SHA1Fingerprint()]; ok {
		return r
	}
	return len(b.rank)
}

// ParseCertificate parses a DER certificate through the Builder's cache: a
// certificate seen within the cache lifetime is returned without
// re-parsing. The result does not alias der (the cache keeps its own copy)
// and is shared: do not modify it.
func (b *Builder) ParseCertificate(der []byte) (*cert.Certificate, error) {
	if b.parsed == nil {
		return cert.Parse(bytes.Clone(der))
	}
	key := xxhash.Sum64(der)
	if c, ok := b.parsed.Get(key); ok && bytes.Equal(c.Raw, der) {
		b.ctr[ctrParsed].hit(true)
		return c, nil
	}
	b.ctr[ctrParsed].hit(false)
	c, err := cert.Parse(bytes.Clone(der))
	if err != nil {
		return nil, err
	}
	b.parsed.SetWithTTL(key, c, int64(len(der))+512, b.ttl)
	return c, nil
}

// sigEntry is a cached signature verdict. The bytes it was computed over
// are kept so that an xxhash collision can never return a wrong verdict.
type sigEntry struct {
	child, parentSPKI []byte
	err               error
	at                time.Time
}

func sigKey(child, parent *cert.Certificate) uint64 {
	return xxhash.Sum64(child.Raw) ^ bits.RotateLeft64(xxhash.Sum64(parent.RawSubjectPublicKeyInfo), 17)
}

func (b *Builder) cachedSig(child, parent *cert.Certificate) (error, bool) {
	if b.sigs == nil {
		return nil, false
	}
	e, ok := b.sigs.Get(sigKey(child, parent))
	if !ok || b.now().Sub(e.at) > b.ttl || !bytes.Equal(e.child, child.Raw) ||
		!bytes.Equal(e.parentSPKI, parent.RawSubjectPublicKeyInfo) {
		b.ctr[ctrSigs].hit(false)
		return nil, false
	}
	b.ctr[ctrSigs].hit(true)
	return e.err, true
}

func (b *Builder) storeSig(child, parent *cert.Certificate, err error) {
	if b.sigs == nil {
		return
	}
	e := &sigEntry{child: bytes.Clone(child.Raw), parentSPKI: bytes.Clone(parent.RawSubjectPublicKeyInfo), err: err, at: b.now()}
	b.sigs.SetWithTTL(sigKey(child, parent), e, int64(len(e.child)+len(e.parentSPKI))+64, b.ttl)
}

// chainEntry is a cached Build result for a leaf and a set of per-call
// intermediates: all paths found (unordered: ordering depends on the
// caller's time) or the error.
type chainEntry struct {
	leaf   []byte
	extras [][]byte // DER of the per-call intermediates, sorted
	chains []Chain  // certificates owned by the cache
	err    error
	at     time.Time
}

func (b *Builder) chainKey(leaf *cert.Certificate, inter []*cert.Certificate) (uint64, [][]byte) {
	h := xxhash.Sum64(leaf.Raw)
	var extras [][]byte // nil, without an allocation, when there are none
	for _, c := range inter {
		if c != nil && !c.Equal(leaf) {
			if extras == nil {
				extras = make([][]byte, 0, len(inter))
			}
			extras = append(extras, c.Raw)
		}
	}
	slices.SortFunc(extras, bytes.Compare)
	extras = slices.CompactFunc(extras, bytes.Equal)
	for _, e := range extras {
		h = bits.RotateLeft64(h, 13) ^ xxhash.Sum64(e)
	}
	return h, extras
}

func (b *Builder) lookupChains(key uint64, leaf *cert.Certificate, extras [][]byte) *chainEntry {
	if b.chains == nil {
		return nil
	}
	e, ok := b.chains.Get(key)
	if !ok || b.now().Sub(e.at) > b.ttl || !bytes.Equal(e.leaf, leaf.Raw) || len(e.extras) != len(extras) {
		return nil
	}
	for i := range extras {
		if !bytes.Equal(e.extras[i], extras[i]) {
			return nil
		}
	}
	return e
}

// storeChains caches a Build result. Certificates that came from the caller
// (leaf, per-call intermediates) may alias the caller's buffers, so the
// cache keeps its own copies.
func (b *Builder) storeChains(key uint64, leaf *cert.Certificate, extras [][]byte, chains []Chain, err error) {
	if b.chains == nil {
		return
	}
	e := &chainEntry{leaf: bytes.Clone(leaf.Raw), err: err, at: b.now()}
	cost := int64(len(leaf.Raw)) + 256
	for _, x := range extras {
		e.extras = append(e.extras, bytes.Clone(x))
		cost += int64(len(x))
	}
	owned := map[*cert.Certificate]*cert.Certificate{}
	own := func(c *cert.Certificate) *cert.Certificate {
		if b.roots.Contains(c) || b.inter.Contains(c) {
			return c // kept by the Builder already
		}
		if o, ok := owned[c]; ok {
			return o
		}
		o := c.Clone()
		if o == nil {
			o = c
		}
		owned[c] = o
		cost += int64(len(c.Raw))
		return o
	}
	for _, ch := range chains {
		oc := make(Chain, len(ch))
		for i, c := range ch {
			oc[i] = own(c)
		}
		e.chains = append(e.chains, oc)
	}
	// The error may point at caller certificates too; keep its text and
	// type, with the certificate replaced by an owned copy.
	var ie *InvalidError
	var ue *UnknownAuthorityError
	switch {
	case errors.As(err, &ie):
		cp := *ie
		cp.Cert = own(ie.Cert)
		e.err = &cp
	case errors.As(err, &ue):
		cp := *ue
		cp.Cert = own(ue.Cert)
		if ue.Missing != nil {
			cp.Missing = own(ue.Missing)
		}
		e.err = &cp
	}
	b.chains.SetWithTTL(key, e, cost, b.ttl)
}
