package crl

import (
	"slices"
	"strings"
	"sync/atomic"
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

// CachedCRLs returns the CRLs held in memory (each one the Checker was
// asked about, or fetched, and still cached), sorted by issuer and URL.
// Live OCSP responses are not listed.
func (c *Checker) CachedCRLs() []CachedCRL {
	c.mu.Lock()
	keys := make([]string, 0, len(c.tracked))
	for k := range c.tracked {
		keys = append(keys, k)
	}
	c.mu.Unlock()
	out := make([]CachedCRL, 0, len(keys))
	for _, k := range keys {
		if e, ok := c.mem.Get(k); ok && e.crl != nil {
			out = append(out, CachedCRL{DiskMeta: e.meta, FromDisk: e.fromDisk})
		}
	}
	slices.SortFunc(out, func(a, b CachedCRL) int {
		if d := strings.Compare(a.Issuer, b.Issuer); d != 0 {
			return d
		}
		return strings.Compare(a.URL, b.URL)
	})
	return out
}
