package keyuse_test

import (
	"runtime"
	"sync"
	"testing"
	"weak"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/keyuse"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

var count = keyuse.Count

const done = keyuse.Done

// TestNote: a key is precomputed at its keyuse.Threshold-th signature, once, and
// verifies the same before and after; test-curve keys never are.
func TestNote(t *testing.T) {
	key := testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProA, "keyuse/cpa")
	pub := key.Public()
	digest := []byte("a fixed 32-byte digest for tests")
	sig := key.SignDigest(digest)
	for i := 1; i <= keyuse.Threshold+3; i++ {
		keyuse.Note(pub)
		switch {
		case i < keyuse.Threshold && count(pub) != int32(i):
			t.Fatalf("after %d notes the count is %d", i, count(pub))
		case i >= keyuse.Threshold && count(pub) != done:
			t.Fatalf("after %d notes the key is not marked precomputed", i)
		}
		if !gost3410.Verify(pub, digest, sig) {
			t.Fatalf("verify fails after %d notes", i)
		}
		digest[0] ^= 1
		if gost3410.Verify(pub, digest, sig) {
			t.Fatalf("a changed digest verifies after %d notes", i)
		}
		digest[0] ^= 1
	}

	test := testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProTest, "keyuse/test").Public()
	keyuse.Note(test)
	if count(test) != done {
		t.Error("a test-curve key is counted")
	}
	keyuse.Note(nil) // no panic
}

// TestNoteConcurrent: many goroutines noting one key precompute it once
// and race with verifications (run with -race).
func TestNoteConcurrent(t *testing.T) {
	key := testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProB, "keyuse/conc")
	pub := key.Public()
	digest := make([]byte, 32)
	sig := key.SignDigest(digest)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 3 {
				keyuse.Note(pub)
				if !gost3410.Verify(pub, digest, sig) {
					t.Error("verify fails")
				}
			}
		})
	}
	wg.Wait()
	if count(pub) != done {
		t.Errorf("count %d after 24 notes", count(pub))
	}
}

// TestNoteForgets: the entry of a collected key goes.
func TestNoteForgets(t *testing.T) {
	k := testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProA, "keyuse/gone").Public()
	w := weak.Make(k)
	keyuse.Note(k)
	k = nil
	for range 20 {
		runtime.GC()
		if !keyuse.Tracked(w) {
			return
		}
	}
	t.Error("the count of a collected key is still kept")
}
