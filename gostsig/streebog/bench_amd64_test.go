//go:build !purego

package streebog

import (
	"testing"
	"unsafe"
)

// BenchmarkCompress measures one compression of each implementation, and
// the AVX-512 compression with 2, 3 and 4 interleaved lanes, reported per
// compression ("ns/compress"). It is the evidence for the lane count of
// SumBatch256 and for the choice between the implementations.
func BenchmarkCompress(b *testing.B) {
	var h, n, m [4][8]uint64
	for i := range m {
		m[i][0] = uint64(i + 1)
	}
	hs := [4]*[8]uint64{&h[0], &h[1], &h[2], &h[3]}
	ns := [4]*[8]uint64{&n[0], &n[1], &n[2], &n[3]}
	ms := [4]*[8]uint64{&m[0], &m[1], &m[2], &m[3]}
	run := func(name string, lanes int, f func()) {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(lanes * BlockSize))
			for b.Loop() {
				f()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*lanes), "ns/compress")
		})
	}
	run("generic", 1, func() { compressGeneric(hs[0], ns[0], ms[0]) })
	run("amd64", 1, func() { compressAMD64(hs[0], ns[0], ms[0]) })
	if !hasAVX512 {
		return
	}
	run("avx512", 1, func() { compressAVX512(hs[0], ns[0], ms[0]) })
	var a laneArgs
	for i := range 4 {
		a.hs[i], a.ns[i], a.ms[i] = hs[i], ns[i], unsafe.Pointer(ms[i])
	}
	run("avx512x2", 2, func() {
		lanes2AVX512((*[2]*[8]uint64)(a.hs[:2]), (*[2]*[8]uint64)(a.ns[:2]),
			(*[2]unsafe.Pointer)(a.ms[:2]), (*[2]*[8]uint64)(a.sigmas[:2]), (*[2]uint64)(a.incs[:2]))
	})
	run("avx512x3", 3, func() {
		lanes3AVX512((*[3]*[8]uint64)(a.hs[:3]), (*[3]*[8]uint64)(a.ns[:3]),
			(*[3]unsafe.Pointer)(a.ms[:3]), (*[3]*[8]uint64)(a.sigmas[:3]), (*[3]uint64)(a.incs[:3]))
	})
	run("avx512x4", 4, func() { lanes4AVX512(&a.hs, &a.ns, &a.ms, &a.sigmas, &a.incs) })
}
