package chain

import "sync/atomic"

// CacheStats counts the lookups of one of a Builder's caches since New.
type CacheStats struct {
	Hits, Misses uint64
}

// Stats are the counters of a Builder's caches, for monitoring (hit
// ratios). A Builder built with caching disabled (CacheTTL < 0) counts
// nothing.
type Stats struct {
	Certificates CacheStats // ParseCertificate: parsed certificates by DER
	Signatures   CacheStats // certificate signature verdicts
	Paths        CacheStats // Build results
}

// Stats returns the cache counters.
func (b *Builder) Stats() Stats {
	return Stats{
		Certificates: b.ctr[ctrParsed].load(),
		Signatures:   b.ctr[ctrSigs].load(),
		Paths:        b.ctr[ctrChains].load(),
	}
}

const (
	ctrParsed = iota
	ctrSigs
	ctrChains
	numCtrs
)

// cacheCounters are one cache's counters, alone on their cache line so
// that counting costs one uncontended-line atomic add per lookup.
type cacheCounters struct {
	hits, misses atomic.Uint64
	_            [48]byte
}

func (c *cacheCounters) hit(ok bool) {
	if ok {
		c.hits.Add(1)
	} else {
		c.misses.Add(1)
	}
}

func (c *cacheCounters) load() CacheStats {
	return CacheStats{Hits: c.hits.Load(), Misses: c.misses.Load()}
}
