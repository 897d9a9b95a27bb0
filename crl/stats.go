package crl

import (
	"errors"
	"io/fs"
	"slices"
	"sync/atomic"

	"gostsig.dev/cert"
)

// CacheStats are a Checker's CRL cache counters since NewChecker, for
// monitoring (hit ratios). A lookup is one CRL asked of the cache by
// Checker.CRL (a status query asks once per distribution point); the
// background refresh and explicit fetches are not counted.
type CacheStats struct {
	MemoryHits uint64 // answered from memory
	DiskHits   uint64 // answered by loading the disk cache
	Misses     uint64 // nothing cached
}

// Stats returns the cache counters.
func (c *Checker) Stats() CacheStats {
	return CacheStats{
		MemoryHits: c.ctr.mem.Load(),
		DiskHits:   c.ctr.disk.Load(),
		Misses:     c.ctr.miss.Load(),
	}
}

// source is where lookupFrom found an entry.
type source uint8

const (
	fromNowhere source = iota
	fromMemory
	fromDisk
)

// counters sit on their own cache line: queries from every core add to
// them, and they must not share one with the Checker's read-mostly fields.
type counters struct {
	_               [64]byte
	mem, disk, miss atomic.Uint64
	_               [40]byte
}

func (ct *counters) count(s source) {
	switch s {
	case fromMemory:
		ct.mem.Add(1)
	case fromDisk:
		ct.disk.Add(1)
	default:
		ct.miss.Add(1)
	}
}

// CachedCRL describes a CRL the Checker holds, for monitoring (freshness)
// and listings.
type CachedCRL struct {
	DiskMeta
	// FromDisk: the CRL was read from the disk cache; otherwise this
	// Checker fetched it.
	FromDisk bool
}

// CachedCRLs returns the CRLs the Checker holds, sorted by issuer and URL:
// those in memory (each one it was asked about, or fetched, and still
// cached) and, with a read-only disk cache, every entry indexed there not
// found bad. Live OCSP responses are not listed.
func (c *Checker) CachedCRLs() []CachedCRL {
	c.mu.Lock()
	keys := make([]string, 0, len(c.tracked))
	for k := range c.tracked {
		keys = append(keys, k)
	}
	c.mu.Unlock()
	out := make([]CachedCRL, 0, len(keys))
	held := make(map[string]bool, len(keys))
	for _, k := range keys {
		if e, ok := c.mem.Get(k); ok && e.crl != nil {
			out = append(out, CachedCRL{DiskMeta: e.meta, FromDisk: e.fromDisk})
			held[k] = true
		}
	}
	if c.disk != nil && c.disk.ReadOnly() {
		for _, m := range c.disk.Entries() {
			if !held[cacheKey(m.IssuerKey, m.URL)] {
				out = append(out, CachedCRL{DiskMeta: m, FromDisk: true})
			}
		}
	}
	slices.SortFunc(out, func(a, b CachedCRL) int { return compareIssuerURL(a.DiskMeta, b.DiskMeta) })
	return out
}

// SyncDisk brings the CRLs this Checker holds in line with a read-only
// disk cache after DiskCache.Rescan found it changed: a held CRL whose
// distribution point now has another entry on disk is replaced by it,
// unless that one is older (thisUpdate, cRLNumber); a held CRL whose entry
// disappeared stays (it is checked against its issuer at every use, like
// any cached CRL). It returns the number of CRLs replaced. Entries not held
// yet need nothing: they are loaded when first asked for.
func (c *Checker) SyncDisk() int {
	if c.disk == nil || !c.disk.ReadOnly() {
		return 0
	}
	type job struct {
		key, url string
		issuer   *cert.Certificate
	}
	c.mu.Lock()
	jobs := make([]job, 0, len(c.tracked))
	for k, t := range c.tracked {
		jobs = append(jobs, job{k, t.url, t.issuer})
	}
	c.mu.Unlock()
	n := 0
	for _, j := range jobs {
		e, ok := c.mem.Get(j.key)
		if !ok || e.crl == nil {
			continue
		}
		ie := c.disk.indexed(j.key)
		if ie == nil || ie.meta.Digest == e.meta.Digest {
			continue
		}
		crl, meta, _, err := c.disk.Load(KeyID(j.issuer), j.url)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, errKnownBad) {
				c.log.Warn("crl cache", "url", j.url, "outcome", "skipped", "err", err.Error())
			}
			continue
		}
		if old := e.crl; crl.ThisUpdate.Before(old.ThisUpdate) || (crl.Number != nil && old.Number != nil && crl.Number.Cmp(old.Number) < 0) {
			c.log.Warn("crl cache", "url", j.url, "outcome", "older than the CRL held, kept the held one",
				"number", meta.Number, "this_update", meta.ThisUpdate)
			continue
		}
		c.remember(j.key, &cacheEntry{crl: crl, meta: meta, fromDisk: true})
		c.log.Info("crl cache", "url", j.url, "outcome", "reloaded", "number", meta.Number, "this_update", meta.ThisUpdate)
		n++
	}
	return n
}
