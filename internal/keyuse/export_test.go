package keyuse

import (
	"sync/atomic"
	"weak"

	"gostsig.dev/gostsig/gost3410"
)

// Count is, for the tests, the signatures k has been noted for (Done once
// precomputed); 0 when it has no entry.
func Count(k *gost3410.PublicKey) int32 {
	v, ok := counts.Load(weak.Make(k))
	if !ok {
		return 0
	}
	return v.(*atomic.Int32).Load()
}

// Tracked reports whether a key with this weak pointer still has an entry.
func Tracked(w weak.Pointer[gost3410.PublicKey]) bool {
	_, ok := counts.Load(w)
	return ok
}

const Done = done
