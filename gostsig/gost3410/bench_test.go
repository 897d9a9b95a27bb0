package gost3410

import (
	"encoding/asn1"
	"runtime"
	"testing"
)

// loopCPU runs f in b.Loop and also reports the thread CPU time per
// operation as "cpu-ns/op" (Linux only).
func loopCPU(b *testing.B, f func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	t0 := threadCPU()
	n := 0
	for b.Loop() {
		f()
		n++
	}
	if t1 := threadCPU(); t1 > 0 && n > 0 {
		b.ReportMetric(float64(t1-t0)/float64(n), "cpu-ns/op")
	}
}

// BenchmarkVerify measures one Verify per operation on each curve with a
// pre-hashed digest, as bench/sigverify.sh compares with gost-engine.
// "/precomputed" is the same after PublicKey.Precompute.
func BenchmarkVerify(b *testing.B) {
	for _, c := range allCurves {
		rnd := newDetRand(40)
		d, pub := testKey(b, rnd, c)
		digest, sig := testSignature(b, rnd, c, d)
		Verify(pub, digest, sig) // build the base table outside the timing
		b.Run(c.short, func(b *testing.B) {
			b.ReportAllocs()
			loopCPU(b, func() {
				if !Verify(pub, digest, sig) {
					b.Fatal("rejected")
				}
			})
		})
		pre, _ := NewPublicKey(pub.alg, c, pub.raw)
		pre.Precompute()
		b.Run(c.short+"/precomputed", func(b *testing.B) {
			b.ReportAllocs()
			loopCPU(b, func() {
				if !Verify(pre, digest, sig) {
					b.Fatal("rejected")
				}
			})
		})
	}
}

// BenchmarkParsePublicKey measures NewPublicKey (decoding, on-curve check
// and, on the Edwards curves, the subgroup check), ParsePublicKey of the
// SubjectPublicKeyInfo ("/spki") and Precompute.
func BenchmarkParsePublicKey(b *testing.B) {
	for _, c := range allCurves {
		_, pub := testKey(b, newDetRand(41), c)
		b.Run(c.short, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NewPublicKey(pub.alg, c, pub.raw); err != nil {
					b.Fatal(err)
				}
			}
		})
		spki := spkiSpec{alg: pub.alg.OID(), params: []asn1.ObjectIdentifier{c.oids[0]}, point: pub.raw}.der(b)
		b.Run(c.short+"/spki", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParsePublicKey(spki); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.short+"/Precompute", func(b *testing.B) {
			for b.Loop() {
				k, _ := NewPublicKey(pub.alg, c, pub.raw)
				k.Precompute()
			}
		})
	}
}
