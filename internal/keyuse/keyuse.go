// Package keyuse precomputes the verification tables of the public keys
// that recur.
//
// [gost3410.PublicKey.Precompute] builds a per-key table that makes every
// later verification with the key faster, at the cost of a fraction of one
// verification and a few KiB. It pays off for a key that checks many
// signatures: a CA key checking the certificates of many signers (chain)
// and its CRLs (crl), an OCSP responder or TSA key signing a response or
// token per document, a signer whose documents arrive in bulk. Every
// package that checks a GOST signature calls [Note] with the key; after
// [Threshold] signatures the key is precomputed, once.
//
// Measured per curve (gost3410 BenchmarkVerify and BenchmarkParsePublicKey,
// one core; bench/README.md): the table makes a verification 2.3–3x
// faster (CryptoPro-A 42 → 16 µs, tc26-512-A 228 → 74 µs) and costs about
// one verification to build (42 and 199 µs), so it is repaid by the second
// verification after it is built; Threshold = 4 keeps keys that check a
// signature or two (most leaf keys) from paying for one. The test curves,
// which sign only test PKIs, are never precomputed.
//
// The count is kept per key object, weakly: an entry goes when its key is
// collected. Keys that recur are those a cache keeps (the chain builder's
// parsed certificates, the verifier's certificate caches), whose memory
// the table then adds to: 4–6 KiB for a 256-bit key, 16–24 KiB for a
// 512-bit one.
package keyuse

import (
	"runtime"
	"sync"
	"sync/atomic"
	"weak"

	"gostsig.dev/gostsig/gost3410"
)

// Threshold is the number of signatures a key checks before Note
// precomputes it.
const Threshold = 4

// counts maps a key (weakly) to the signatures it has checked.
var counts sync.Map // weak.Pointer[gost3410.PublicKey] → *atomic.Int32

// done marks a key already precomputed (or never to be): its counter is
// set far past Threshold.
const done = 1 << 30

// Note records that k is about to check a signature, and precomputes k when
// this makes Threshold. It is safe for concurrent use; a nil key is
// ignored.
func Note(k *gost3410.PublicKey) {
	if k == nil {
		return
	}
	w := weak.Make(k)
	v, ok := counts.Load(w)
	if !ok {
		c := new(atomic.Int32)
		if k.Curve().IsTest() {
			c.Store(done)
		}
		var loaded bool
		if v, loaded = counts.LoadOrStore(w, c); !loaded {
			runtime.AddCleanup(k, func(w weak.Pointer[gost3410.PublicKey]) { counts.Delete(w) }, w)
		}
	}
	c := v.(*atomic.Int32)
	if c.Load() >= done {
		return
	}
	if c.Add(1) == Threshold {
		k.Precompute()
		c.Store(done)
	}
}
