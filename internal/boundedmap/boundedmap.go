// Package boundedmap is the map behind the caches that untrusted input
// feeds: keyed by byte strings (a DER, a certificate's text, a name), shared
// by concurrent verifications, and bounded in entries and bytes so that a
// sender who varies what it sends only costs recomputation, never memory.
//
// A Map starts over (forgets everything) when a Store would pass its
// Limits. Its zero value is an empty map ready to use; the limits are the
// caller's, given to each Store, so that a Map can be a zero-value field.
package boundedmap

import "sync"

// Limits bound a Map: at most Entries entries and, when Bytes is not zero,
// at most Bytes bytes, each entry counted at the size its Store names.
type Limits struct {
	Entries int
	Bytes   int
}

// Map maps byte strings to values. It is safe for concurrent use.
type Map[V any] struct {
	mu    sync.RWMutex
	m     map[string]V
	bytes int
}

// Load returns the value stored under key. The lookup does not copy key.
func (c *Map[V]) Load(key []byte) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[string(key)]
	c.mu.RUnlock()
	return v, ok
}

// Store records key → v, which holds size bytes of memory, under lim: the
// map starts over when one more entry or size more bytes would pass lim,
// and an entry larger than lim.Bytes is not kept. A key already present
// keeps its value. key is kept as given: the caller owns it as a string.
func (c *Map[V]) Store(key string, v V, size int, lim Limits) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if lim.Bytes > 0 && size > lim.Bytes {
		return
	}
	if _, ok := c.m[key]; ok {
		return
	}
	if c.m == nil || len(c.m) >= lim.Entries || (lim.Bytes > 0 && c.bytes+size > lim.Bytes) {
		c.m = make(map[string]V)
		c.bytes = 0
	}
	c.m[key] = v
	c.bytes += size
}

// Stats returns the number of entries and the bytes they count.
func (c *Map[V]) Stats() (entries, bytes int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m), c.bytes
}

// Keys returns the keys, for tests of what a cache kept.
func (c *Map[V]) Keys() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	keys := make([]string, 0, len(c.m))
	for k := range c.m {
		keys = append(keys, k)
	}
	return keys
}
