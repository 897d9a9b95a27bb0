package gostsig

import (
	"slices"
	"strings"
	"time"

	"gostsig.dev/crl"
)

// Stats is a snapshot of a Verifier's caches, for monitoring: hit and miss
// counters since New (hit ratios are hits / (hits + misses) over an
// interval) and the CRLs the Verifier holds, with their validity, for
// freshness alerts. Taking it costs a few atomic loads and a walk over the
// CRLs held; the counting itself is one atomic add per cache lookup.
type Stats struct {
	// Certificates counts parsed certificates found by their DER
	// (a recurring signer's certificate is not parsed again).
	Certificates CacheStats
	// Signatures counts certificate signature verdicts (issuer over
	// subject) found without verifying again.
	Signatures CacheStats
	// Paths counts certification paths found without building again.
	Paths CacheStats
	// CRLCache counts the CRLs asked of the CRL cache by distribution
	// point (configured CRLs are not lookups: they are at hand).
	CRLCache CRLCacheStats
	// CRLs are the CRLs the Verifier holds: configured (Config.CRLs),
	// read from the CRL cache directory, or fetched; sorted by issuer,
	// source and URL.
	CRLs []CRLInfo
}

// CacheStats counts the lookups of one cache.
type CacheStats struct {
	Hits, Misses uint64
}

// CRLCacheStats counts the lookups of the CRL cache.
type CRLCacheStats struct {
	// Hits were answered from memory or by loading the cache directory
	// (DiskHits of them).
	Hits, DiskHits uint64
	// Misses found no CRL cached for the distribution point.
	Misses uint64
	// Entries is the number of CRLs the cache holds now (in memory, or in
	// a read-only cache directory's index).
	Entries int
	// Bad is the number of files of a read-only cache directory skipped
	// because they failed their checks (header at the last scan, or
	// content when loaded).
	Bad int
}

// Sources of a CRL (CRLInfo.Source).
const (
	CRLSourceConfig  = "config"  // Config.CRLs (CLI --crl)
	CRLSourceCache   = "cache"   // the CRL cache directory (Config.CRLCacheDir)
	CRLSourceFetched = "fetched" // fetched from a distribution point by this Verifier
)

// CRLInfo describes a CRL the Verifier holds.
type CRLInfo struct {
	Issuer     string // RFC 4514
	Number     string // cRLNumber in decimal; "" when absent
	URL        string // distribution point; "" for a configured CRL
	ThisUpdate time.Time
	NextUpdate time.Time // zero when the CRL has none
	Source     string    // CRLSourceConfig, CRLSourceCache or CRLSourceFetched
}

// Stats returns the counters of the Verifier's caches and the CRLs it
// holds. It is safe to call concurrently with Verify.
func (v *Verifier) Stats() Stats {
	bs := v.builder.Stats()
	st := Stats{
		Certificates: CacheStats(bs.Certificates),
		Signatures:   CacheStats(bs.Signatures),
		Paths:        CacheStats(bs.Paths),
	}
	for _, list := range v.crlStatic.byIssuer {
		for _, c := range list {
			info := CRLInfo{Issuer: c.Issuer.String(), ThisUpdate: c.ThisUpdate, NextUpdate: c.NextUpdate, Source: CRLSourceConfig}
			if c.Number != nil {
				info.Number = c.Number.String()
			}
			st.CRLs = append(st.CRLs, info)
		}
	}

	seen := map[string]bool{}
	for _, ch := range []*crl.Checker{v.crlOnline, v.crlOffline} {
		if ch == nil {
			continue
		}
		cs := ch.Stats()
		st.CRLCache.Hits += cs.MemoryHits + cs.DiskHits
		st.CRLCache.DiskHits += cs.DiskHits
		st.CRLCache.Misses += cs.Misses
		for _, c := range ch.CachedCRLs() {
			k := c.IssuerKey + "|" + c.URL + "|" + c.Digest
			if seen[k] {
				continue // both checkers hold it
			}
			seen[k] = true
			st.CRLCache.Entries++
			info := CRLInfo{Issuer: c.Issuer, Number: c.Number, URL: c.URL, ThisUpdate: c.ThisUpdate, NextUpdate: c.NextUpdate, Source: CRLSourceFetched}
			if c.FromDisk {
				info.Source = CRLSourceCache
			}
			st.CRLs = append(st.CRLs, info)
		}
	}
	if v.crlDisk != nil {
		v.statsMu.Lock()
		st.CRLCache.Bad = v.crlDiskBadHeaders
		v.statsMu.Unlock()
		st.CRLCache.Bad += v.crlDisk.Bad()
	}
	slices.SortFunc(st.CRLs, func(a, b CRLInfo) int {
		if d := strings.Compare(a.Issuer, b.Issuer); d != 0 {
			return d
		}
		if d := strings.Compare(a.Source, b.Source); d != 0 {
			return d
		}
		if d := strings.Compare(a.URL, b.URL); d != 0 {
			return d
		}
		return a.ThisUpdate.Compare(b.ThisUpdate)
	})
	return st
}
