package gostsig

import (
	"encoding/binary"
	"math/big"
	"testing"

	"gostsig.dev/cert"
)

// TestDescCacheBoundedInBytes: certificates from requests are cache keys,
// so a run of large distinct ones must not pin more than maxCacheBytes of
// them (an entry bound alone would allow 4096 × MaxCertificateSize).
func TestDescCacheBoundedInBytes(t *testing.T) {
	var dc descCache
	for i := range 64 {
		raw := make([]byte, 1<<20)
		binary.BigEndian.PutUint64(raw, uint64(i))
		dc.get(&cert.Certificate{Raw: raw, SerialNumber: big.NewInt(int64(i))})
	}
	held := 0
	for _, k := range dc.c.Keys() {
		held += len(k)
	}
	if held == 0 || held > maxCacheBytes {
		t.Errorf("descCache holds %d bytes of keys, want (0, %d]", held, maxCacheBytes)
	}
}
