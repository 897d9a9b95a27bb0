package crl

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dgraph-io/ristretto/v2"

	"gostsig.dev/cert"
)

// Checker defaults.
const (
	// DefaultMaxMemory bounds the in-memory cache of CRL indexes.
	DefaultMaxMemory = 1 << 30
	// DefaultRefreshBefore: a cached CRL is refreshed in the background
	// this long (at most a quarter of its validity) before its nextUpdate.
	DefaultRefreshBefore = time.Hour
	// DefaultRetryAfter: after a failed fetch a URL is not tried again for
	// this long (queries meanwhile use what is cached).
	DefaultRetryAfter = time.Minute
)

// Options configure a Checker. The zero value is an online checker with
// memory caching only.
type Options struct {
	// CacheDir is the persistent cache directory; "" keeps CRLs in memory
	// only.
	CacheDir string
	// Disk, when not nil, is the persistent cache to use instead of
	// CacheDir. A read-only one (OpenDiskCacheReadOnly) may be shared by
	// several Checkers; CRLs fetched are then kept in memory only.
	Disk *DiskCache
	// Offline disables every network access (CRL fetches, OCSP queries):
	// only supplied and cached evidence is used.
	Offline bool
	// Fetcher does the HTTP; nil means a default Fetcher.
	Fetcher *Fetcher
	// Clock is the time source for freshness and refresh; nil means
	// time.Now. After schedules the background refresh; nil means
	// time.After.
	Clock func() time.Time
	After func(time.Duration) <-chan time.Time
	// Logger receives one record per fetch and per rejected or discarded
	// CRL; nil means slog.Default().
	Logger *slog.Logger
	// Grace is the stale-if-error window: when a refetch fails, a cached
	// CRL up to Grace past its nextUpdate still decides, marked Stale
	// (Query.Grace). Zero keeps the policy's strict rule.
	Grace         time.Duration
	RefreshBefore time.Duration // see DefaultRefreshBefore
	RetryAfter    time.Duration // see DefaultRetryAfter
	MaxMemory     int64         // see DefaultMaxMemory
	// LiveOCSP queries the certificate's AIA OCSP responder when CRLs do
	// not decide (never when Offline).
	LiveOCSP bool
	// TrustedResponders are OCSP responder certificates trusted by local
	// configuration, besides the CA and its delegated responders.
	TrustedResponders []*cert.Certificate
	// Rand supplies OCSP nonces; nil means crypto/rand.
	Rand io.Reader
}

// Checker answers revocation queries from supplied evidence, its caches
// and, unless offline, the network. It is safe for concurrent use.
type Checker struct {
	opts  Options
	log   *slog.Logger
	fetch *Fetcher
	mem   *ristretto.Cache[string, *cacheEntry]
	disk  *DiskCache

	mu      sync.Mutex
	tracked map[string]*tracked
	static  []*CRL

	ctr counters // see Stats
}

// cacheEntry is what the in-memory cache holds: a CRL with its metadata, or
// a live OCSP response.
type cacheEntry struct {
	crl      *CRL
	meta     DiskMeta
	ocsp     *OCSPResponse
	fromDisk bool // the CRL was read from the disk cache, not fetched by this Checker
}

// tracked is a (issuer, URL) the checker has been asked about: what the
// background refresh walks.
type tracked struct {
	issuer      *cert.Certificate
	url         string
	failedUntil time.Time
	lastErr     error
}

// NewChecker returns a Checker. With opts.CacheDir set it opens (creating)
// the persistent cache there.
func NewChecker(opts Options) (*Checker, error) {
	c := &Checker{opts: opts, tracked: map[string]*tracked{}}
	c.log = opts.Logger
	if c.log == nil {
		c.log = slog.Default()
	}
	c.fetch = opts.Fetcher
	if c.fetch == nil {
		c.fetch = &Fetcher{Logger: c.log, Clock: opts.Clock}
	}
	maxMem := opts.MaxMemory
	if maxMem <= 0 {
		maxMem = DefaultMaxMemory
	}
	var err error
	c.mem, err = ristretto.NewCache(&ristretto.Config[string, *cacheEntry]{
		NumCounters: 10_000, MaxCost: maxMem, BufferItems: 64,
	})
	if err != nil {
		return nil, err
	}
	if opts.Disk != nil {
		c.disk = opts.Disk
	} else if opts.CacheDir != "" {
		if c.disk, err = OpenDiskCache(opts.CacheDir); err != nil {
			c.mem.Close()
			return nil, err
		}
	}
	return c, nil
}

// Close releases the in-memory cache.
func (c *Checker) Close() { c.mem.Close() }

// Disk returns the persistent cache, nil when there is none.
func (c *Checker) Disk() *DiskCache { return c.disk }

func (c *Checker) now() time.Time {
	if c.opts.Clock != nil {
		return c.opts.Clock()
	}
	return time.Now()
}

// AddCRL makes a CRL (a --crl file, say) available to every query. It is
// used only where its issuer's signature verifies.
func (c *Checker) AddCRL(crl *CRL) {
	c.mu.Lock()
	c.static = append(c.static, crl)
	c.mu.Unlock()
}

// decisive reports whether a result needs nothing more.
func decisive(r Result) bool { return r.Status == Revoked || (r.Status == Good && !r.Stale) }

// Status answers q: first from the supplied CRLs and OCSP responses (CAdES
// revocation-values, --crl files given to AddCRL), then from the caches and
// the certificate's CRL distribution points (and their freshestCRL deltas),
// fetching what is missing or expired unless offline, then, if still
// undecided and LiveOCSP is on, from the AIA OCSP responder. When
// q.Grace is zero the checker's Grace applies to cached CRLs.
func (c *Checker) Status(ctx context.Context, q Query, crls []*CRL, responses []*OCSPResponse) Result {
	c.mu.Lock()
	supplied := crls[:len(crls):len(crls)] // appends below copy, never write into crls
	if len(c.static) > 0 {
		supplied = append(slices.Clone(c.static), crls...)
	}
	c.mu.Unlock()
	results := []Result{Decide(q, supplied)}
	if len(responses) > 0 {
		results = append(results, DecideOCSP(q, responses, c.opts.TrustedResponders))
	}
	if m := Merge(results...); decisive(m) || q.Cert == nil || q.Issuer == nil {
		return m
	}

	var notes []string
	var found []*CRL
	add := func(u string) *CRL {
		crl, err := c.CRL(ctx, q.Issuer, u)
		if err != nil {
			notes = append(notes, err.Error())
		}
		if crl != nil {
			found = append(found, crl)
		}
		return crl
	}
	for _, u := range q.Cert.CRLDistributionPoints {
		if !fetchable(u) {
			continue // ldap:// and file names: only cached or supplied CRLs can help
		}
		if base := add(u); base != nil {
			for _, du := range base.FreshestCRL {
				add(du)
			}
		}
	}
	cq := q
	if cq.Grace == 0 {
		cq.Grace = c.opts.Grace
	}
	if len(found) > 0 {
		results = append(results, Decide(cq, append(supplied, found...)))
	}
	if m := Merge(results...); !decisive(m) {
		// CRLs of the issuer's key cached from other URLs (a mirror, a
		// URL given to "gostsig crl fetch", a certificate without CDP).
		tried := map[string]bool{}
		for _, u := range q.Cert.CRLDistributionPoints {
			tried[u] = true
		}
		var more []*CRL
		for _, u := range c.cachedURLs(q.Issuer) {
			if !tried[u] {
				tried[u] = true
				if crl, _ := c.CRL(ctx, q.Issuer, u); crl != nil {
					more = append(more, crl)
				}
			}
		}
		if len(more) > 0 {
			results = append(results, Decide(cq, append(append(supplied, found...), more...)))
		}
	}
	if m := Merge(results...); !decisive(m) && c.opts.LiveOCSP && !c.opts.Offline {
		r, err := c.OCSP(ctx, q.Cert, q.Issuer)
		if err != nil {
			notes = append(notes, err.Error())
		} else {
			results = append(results, DecideOCSP(cq, []*OCSPResponse{r}, c.opts.TrustedResponders))
		}
	}
	m := Merge(results...)
	if m.Status == Unknown && len(notes) > 0 {
		m.Detail = strings.TrimPrefix(m.Detail+"; "+strings.Join(notes, "; "), "; ")
	}
	return m
}

// cachedURLs returns the URLs from which CRLs of issuer's key are tracked
// in memory or stored on disk.
func (c *Checker) cachedURLs(issuer *cert.Certificate) []string {
	id := KeyID(issuer)
	c.mu.Lock()
	var urls []string
	// The map key is cacheKey(KeyID(t.issuer), t.url): the issuer's key
	// is read from it rather than hashed again for every tracked URL.
	for k, t := range c.tracked {
		if len(k) > len(id) && k[len(id)] == '|' && k[:len(id)] == id {
			urls = append(urls, t.url)
		}
	}
	c.mu.Unlock()
	if c.disk != nil {
		urls = append(urls, c.disk.URLsFor(id)...)
	}
	slices.Sort(urls)
	return slices.Compact(urls)
}

// CRL returns the CRL of issuer published at url: from memory, else from
// the disk cache, fetching it (a conditional GET when one is cached) when
// none is cached or the cached one is past its nextUpdate — unless offline,
// or the URL failed less than RetryAfter ago. A fetched CRL is accepted only
// if it parses, issuer signed it, it is neither future-dated nor expired
// and it is not older than the cached one; otherwise the cached one stays
// (stale-if-error) and is returned along with the error. One exception: a
// fetched CRL that is authentic and not a rollback but already past its
// nextUpdate is kept in memory (not on disk) and returned with its
// KindExpired error, since a permanent revocation it lists stands.
func (c *Checker) CRL(ctx context.Context, issuer *cert.Certificate, url string) (*CRL, error) {
	key := cacheKey(KeyID(issuer), url)
	t := c.track(key, issuer, url)
	e, from := c.lookupFrom(key, issuer, url)
	c.ctr.count(from)
	now := c.now()
	if e != nil && c.current(e, now) {
		return e.crl, nil
	}
	cached := func(err error) (*CRL, error) {
		if e != nil {
			return e.crl, err
		}
		return nil, err
	}
	if c.opts.Offline {
		if e == nil {
			return nil, errorf(KindFetch, "crl: offline, and no cached CRL from %s", url)
		}
		return e.crl, nil
	}
	c.mu.Lock()
	wait, lastErr := t.failedUntil, t.lastErr
	c.mu.Unlock()
	if now.Before(wait) {
		return cached(lastErr)
	}
	ne, err := c.refresh(ctx, key, issuer, url, e)
	if ne != nil {
		return ne.crl, err // err: fetched, authentic, past its nextUpdate
	}
	return cached(err)
}

// Fetch fetches (conditionally) the CRL at url now, whatever is cached, and
// returns what is cached afterwards. It is what "gostsig crl fetch" does.
func (c *Checker) Fetch(ctx context.Context, issuer *cert.Certificate, url string) (*CRL, DiskMeta, error) {
	key := cacheKey(KeyID(issuer), url)
	c.track(key, issuer, url)
	if c.opts.Offline {
		return nil, DiskMeta{}, errorf(KindFetch, "crl: offline")
	}
	e, err := c.refresh(ctx, key, issuer, url, c.lookup(key, issuer, url))
	if err != nil {
		return nil, DiskMeta{}, err
	}
	return e.crl, e.meta, nil
}

func (c *Checker) track(key string, issuer *cert.Certificate, url string) *tracked {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.tracked[key]
	if !ok {
		t = &tracked{issuer: issuer, url: url}
		c.tracked[key] = t
	}
	return t
}

// current reports whether a cached CRL needs no refetch at now.
func (c *Checker) current(e *cacheEntry, now time.Time) bool {
	if e.crl.NextUpdate.IsZero() {
		return now.Before(e.meta.FetchedAt.Add(c.refreshBefore()))
	}
	return now.Before(e.crl.NextUpdate)
}

func (c *Checker) refreshBefore() time.Duration {
	if c.opts.RefreshBefore > 0 {
		return c.opts.RefreshBefore
	}
	return DefaultRefreshBefore
}

// lookup finds a cached entry: memory first, then disk (a disk entry that
// fails its checks is deleted and logged).
func (c *Checker) lookup(key string, issuer *cert.Certificate, url string) *cacheEntry {
	e, _ := c.lookupFrom(key, issuer, url)
	return e
}

// lookupFrom is lookup, also saying where the entry was found.
func (c *Checker) lookupFrom(key string, issuer *cert.Certificate, url string) (*cacheEntry, source) {
	if e, ok := c.mem.Get(key); ok {
		return e, fromMemory
	}
	if c.disk == nil {
		return nil, fromNowhere
	}
	crl, meta, _, err := c.disk.Load(KeyID(issuer), url)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case errors.Is(err, errKnownBad):
		case errors.Is(err, errSkipped):
			c.log.Warn("crl cache", "url", url, "outcome", "skipped", "err", err.Error())
		default:
			c.log.Warn("crl cache", "url", url, "outcome", "discarded", "err", err.Error())
		}
		return nil, fromNowhere
	}
	e := &cacheEntry{crl: crl, meta: meta, fromDisk: true}
	c.remember(key, e)
	return e, fromDisk
}

func (c *Checker) remember(key string, e *cacheEntry) {
	cost := int64(e.crl.Index.MemoryBytes()) + int64(len(e.crl.RawIssuer)) + 1024
	c.mem.Set(key, e, cost)
	c.mem.Wait()
}

// refresh fetches url and, if the result is acceptable, caches it.
func (c *Checker) refresh(ctx context.Context, key string, issuer *cert.Certificate, url string, old *cacheEntry) (*cacheEntry, error) {
	var etag, lm string
	if old != nil {
		etag, lm = old.meta.ETag, old.meta.LastModified
	}
	res, err := c.fetch.get(ctx, url, etag, lm)
	if err == nil && res.NotModified && old == nil {
		// The entry was evicted between lookup and answer: ask again
		// without conditions.
		res, err = c.fetch.get(ctx, url, "", "")
	}
	now := c.now()
	if err == nil && res.NotModified && old != nil {
		ne := &cacheEntry{crl: old.crl, meta: old.meta, fromDisk: old.fromDisk}
		ne.meta.FetchedAt, ne.meta.ETag, ne.meta.LastModified = now, res.ETag, res.LastModified
		c.remember(key, ne)
		// "Not modified" is no news: a CRL still past its nextUpdate is
		// the same failure, with the same back-off, as when its body is
		// fetched again.
		if err := expired(ne.crl, url, now); err != nil {
			c.failed(key, now, err)
			return ne, err
		}
		c.succeeded(key)
		return ne, nil
	}
	var crl *CRL
	if err == nil {
		crl, err = Parse(res.Body)
		if err == nil {
			err = c.accept(crl, issuer, url, old, now)
		}
		if err != nil {
			c.log.Warn("crl rejected", "url", url, "kind", KindOf(err).String(), "err", err.Error())
		}
	}
	if err != nil {
		c.failed(key, now, err)
		if KindOf(err) == KindExpired && !crl.IsDelta() && (old == nil || !c.current(old, now)) {
			// An authentic CRL the CA has not replaced in time is no
			// current evidence, but a permanent revocation it lists stands
			// (RFC 5280 §5.3.1; doc.go): keep it in memory, as the cached
			// CRL this error comes with, so that Status sees it. It is
			// fetched again after RetryAfter and never written to disk.
			// Only a base CRL, and only in place of nothing current: an
			// expired delta would join a current base's view and make
			// its good answer stale.
			ne := newEntry(crl, issuer, url, res, now)
			c.remember(key, ne)
			return ne, err
		}
		return nil, err
	}
	return c.store(key, crl, issuer, url, res, now), nil
}

// newEntry is the cache entry of crl, fetched from url with res at now.
func newEntry(crl *CRL, issuer *cert.Certificate, url string, res *fetchResult, now time.Time) *cacheEntry {
	meta := metaFor(crl, KeyID(issuer), url, now)
	meta.ETag, meta.LastModified = res.ETag, res.LastModified
	return &cacheEntry{crl: crl, meta: meta}
}

// store caches an accepted CRL in memory and on disk.
func (c *Checker) store(key string, crl *CRL, issuer *cert.Certificate, url string, res *fetchResult, now time.Time) *cacheEntry {
	ne := newEntry(crl, issuer, url, res, now)
	c.remember(key, ne)
	if c.disk != nil && !c.disk.ReadOnly() {
		if err := c.disk.Store(ne.meta, res.Body); err != nil {
			c.log.Warn("crl cache", "url", url, "outcome", "write failed", "err", err.Error())
		}
	}
	c.succeeded(key)
	return ne
}

// FetchAny fetches url, whose issuer is not known in advance, and caches the
// CRL under the first of issuers that signed it (name, key identifier and
// signature as in CheckSignatureFrom). It is for "gostsig crl fetch URL".
func (c *Checker) FetchAny(ctx context.Context, url string, issuers []*cert.Certificate) (*CRL, DiskMeta, error) {
	if c.opts.Offline {
		return nil, DiskMeta{}, errorf(KindFetch, "crl: offline")
	}
	res, err := c.fetch.get(ctx, url, "", "")
	if err != nil {
		return nil, DiskMeta{}, err
	}
	crl, err := Parse(res.Body)
	if err != nil {
		return nil, DiskMeta{}, err
	}
	var issuer *cert.Certificate
	for _, is := range issuers {
		if crl.CheckSignatureFrom(is) == nil {
			issuer = is
			break
		}
	}
	if issuer == nil {
		return nil, DiskMeta{}, errorf(KindIssuerMismatch, "crl: %s: CRL of \"%s\" (AKI %X) is signed by none of the %d issuer certificates given",
			url, crl.issuerText, crl.AuthorityKeyID, len(issuers))
	}
	crl.URL = url
	key := cacheKey(KeyID(issuer), url)
	c.track(key, issuer, url)
	now := c.now()
	if err := c.accept(crl, issuer, url, c.lookup(key, issuer, url), now); err != nil {
		c.log.Warn("crl rejected", "url", url, "kind", KindOf(err).String(), "err", err.Error())
		return nil, DiskMeta{}, err
	}
	e := c.store(key, crl, issuer, url, res, now)
	return e.crl, e.meta, nil
}

func (c *Checker) failed(key string, now time.Time, err error) {
	retry := c.opts.RetryAfter
	if retry <= 0 {
		retry = DefaultRetryAfter
	}
	c.mu.Lock()
	if t := c.tracked[key]; t != nil {
		t.failedUntil, t.lastErr = now.Add(retry), err
	}
	c.mu.Unlock()
}

func (c *Checker) succeeded(key string) {
	c.mu.Lock()
	if t := c.tracked[key]; t != nil {
		t.failedUntil, t.lastErr = time.Time{}, nil
	}
	c.mu.Unlock()
}

// accept parses and vets a downloaded CRL before anything is cached.
func (c *Checker) accept(crl *CRL, issuer *cert.Certificate, url string, old *cacheEntry, now time.Time) error {
	crl.URL = url
	if err := crl.CheckSignatureFrom(issuer); err != nil {
		return err
	}
	if crl.ThisUpdate.After(now.Add(MaxClockSkew)) {
		return errorf(KindNotYetValid, "crl: %s: thisUpdate %s is in the future", url, crl.ThisUpdate.Format(time.RFC3339))
	}
	if old != nil {
		o := old.crl
		if crl.ThisUpdate.Before(o.ThisUpdate) || (crl.Number != nil && o.Number != nil && crl.Number.Cmp(o.Number) < 0) {
			return errorf(KindRollback, "crl: %s: number %v of %s is older than the cached number %v of %s",
				url, crl.Number, crl.ThisUpdate.Format(time.RFC3339), o.Number, o.ThisUpdate.Format(time.RFC3339))
		}
	}
	// Last, so that KindExpired means "authentic and not a rollback, only
	// past its nextUpdate": refresh keeps such a CRL as evidence.
	return expired(crl, url, now)
}

// expired is the KindExpired error of a CRL past its nextUpdate at now.
func expired(crl *CRL, url string, now time.Time) error {
	if !crl.NextUpdate.IsZero() && !now.Before(crl.NextUpdate) {
		return errorf(KindExpired, "crl: %s: nextUpdate %s has passed", url, crl.NextUpdate.Format(time.RFC3339))
	}
	return nil
}

// RefreshDue refreshes every tracked CRL whose refresh time has come (its
// nextUpdate minus RefreshBefore, at most a quarter of its validity, or
// past) and returns when the next one is due (zero when nothing is
// tracked). Failures are logged and retried after RetryAfter.
func (c *Checker) RefreshDue(ctx context.Context) time.Time {
	if c.opts.Offline {
		return time.Time{}
	}
	now := c.now()
	c.mu.Lock()
	type job struct {
		key string
		t   tracked
	}
	var jobs []job
	for k, t := range c.tracked {
		jobs = append(jobs, job{k, *t})
	}
	c.mu.Unlock()
	var next time.Time
	sooner := func(t time.Time) {
		if next.IsZero() || t.Before(next) {
			next = t
		}
	}
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		if now.Before(j.t.failedUntil) {
			sooner(j.t.failedUntil)
			continue
		}
		e := c.lookup(j.key, j.t.issuer, j.t.url)
		if e != nil {
			if due := c.dueAt(e); now.Before(due) {
				sooner(due)
				continue
			}
		}
		ne, err := c.refresh(ctx, j.key, j.t.issuer, j.t.url, e)
		if err != nil {
			sooner(now.Add(c.retryAfter()))
			continue
		}
		sooner(c.dueAt(ne))
	}
	return next
}

func (c *Checker) retryAfter() time.Duration {
	if c.opts.RetryAfter > 0 {
		return c.opts.RetryAfter
	}
	return DefaultRetryAfter
}

// dueAt is when a cached CRL should be refreshed.
func (c *Checker) dueAt(e *cacheEntry) time.Time {
	if e.crl.NextUpdate.IsZero() {
		return e.meta.FetchedAt.Add(c.refreshBefore())
	}
	margin := min(c.refreshBefore(), e.crl.NextUpdate.Sub(e.crl.ThisUpdate)/4)
	return e.crl.NextUpdate.Add(-margin)
}

// Run refreshes tracked CRLs in the background until ctx is done: it sleeps
// until the next one is due (at most RefreshBefore, so newly tracked CRLs
// are picked up), using Options.After.
func (c *Checker) Run(ctx context.Context) {
	after := c.opts.After
	if after == nil {
		after = time.After
	}
	for {
		next := c.RefreshDue(ctx)
		wait := c.refreshBefore()
		if !next.IsZero() {
			wait = min(wait, max(next.Sub(c.now()), time.Second))
		}
		select {
		case <-ctx.Done():
			return
		case <-after(wait):
		}
	}
}

// OCSP queries the first usable AIA OCSP responder of crt (unless offline)
// with a fresh nonce, and returns the response once it parses, echoes the
// nonce and is signed by an authorised responder (Verify). Answers are kept
// in memory while they are current.
func (c *Checker) OCSP(ctx context.Context, crt, issuer *cert.Certificate) (*OCSPResponse, error) {
	if c.opts.Offline {
		return nil, errorf(KindFetch, "crl: offline: no OCSP query")
	}
	key := "ocsp|" + KeyID(issuer) + "|" + crt.SerialNumber.Text(16)
	now := c.now()
	if e, ok := c.mem.Get(key); ok && e.ocsp != nil {
		if sr, ok := e.ocsp.Find(crt, issuer); ok && !sr.NextUpdate.IsZero() && now.Before(sr.NextUpdate) {
			return e.ocsp, nil
		}
	}
	var lastErr error = errorf(KindFetch, "crl: certificate names no http OCSP responder")
	for _, u := range crt.OCSPServer {
		if !fetchable(u) {
			continue
		}
		r, err := c.queryOCSP(ctx, u, crt, issuer)
		if err != nil {
			lastErr = err
			continue
		}
		c.mem.Set(key, &cacheEntry{ocsp: r}, int64(len(r.Raw))+1024)
		c.mem.Wait()
		return r, nil
	}
	return nil, lastErr
}

func (c *Checker) queryOCSP(ctx context.Context, u string, crt, issuer *cert.Certificate) (*OCSPResponse, error) {
	nonce := make([]byte, 16)
	rnd := c.opts.Rand
	if rnd == nil {
		rnd = rand.Reader
	}
	if _, err := io.ReadFull(rnd, nonce); err != nil {
		return nil, fmt.Errorf("crl: OCSP nonce: %w", err)
	}
	req, err := NewOCSPRequest(crt, issuer, nil, nonce)
	if err != nil {
		return nil, err
	}
	body, err := c.fetch.postOCSP(ctx, u, req)
	if err != nil {
		return nil, err
	}
	r, err := ParseOCSPResponse(body)
	if err == nil {
		r.URL = u
		err = r.VerifyNonce(nonce)
	}
	if err == nil {
		_, err = r.Verify(issuer, c.opts.TrustedResponders)
	}
	if err == nil {
		now := c.now()
		sr, ok := r.Find(crt, issuer)
		switch {
		case !ok:
			err = errorf(KindMalformed, "crl: OCSP response from %s is not about the certificate asked", u)
		case r.ProducedAt.After(now.Add(MaxClockSkew)) || sr.ThisUpdate.After(now.Add(MaxClockSkew)):
			err = errorf(KindNotYetValid, "crl: OCSP response from %s produced %s, in the future", u, r.ProducedAt.Format(time.RFC3339))
		case !sr.NextUpdate.IsZero() && !now.Before(sr.NextUpdate):
			err = errorf(KindExpired, "crl: OCSP response from %s: nextUpdate %s has passed", u, sr.NextUpdate.Format(time.RFC3339))
		}
	}
	if err != nil {
		c.log.Warn("ocsp rejected", "url", u, "kind", KindOf(err).String(), "err", err.Error())
		return nil, err
	}
	return r, nil
}
