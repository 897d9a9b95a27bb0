package streebog

import (
	"testing"
	"time"
)

func TestAB(t *testing.T) {
	var h, n, m [4][8]uint64
	m[0][0] = 1
	hs := [4]*[8]uint64{&h[0], &h[1], &h[2], &h[3]}
	ns := [4]*[8]uint64{&n[0], &n[1], &n[2], &n[3]}
	ms := [4]*[8]uint64{&m[0], &m[1], &m[2], &m[3]}
	impls := map[string]func(){
		"generic": func() { compressGeneric(&h[0], &n[0], &m[0]) },
		"avx1":    func() { compressAVX512(&h[0], &n[0], &m[0]) },
		"avx2":    func() { compress2AVX512((*[2]*[8]uint64)(hs[:2]), (*[2]*[8]uint64)(ns[:2]), (*[2]*[8]uint64)(ms[:2])) },
		"avx3":    func() { compress3AVX512((*[3]*[8]uint64)(hs[:3]), (*[3]*[8]uint64)(ns[:3]), (*[3]*[8]uint64)(ms[:3])) },
		"avx4":    func() { compress4AVX512(&hs, &ns, &ms) },
	}
	lanes := map[string]int{"generic": 1, "avx1": 1, "avx2": 2, "avx3": 3, "avx4": 4}
	best := map[string]time.Duration{}
	for round := 0; round < 30; round++ {
		for name, f := range impls {
			start := time.Now()
			for i := 0; i < 2000; i++ {
				f()
			}
			d := time.Since(start) / 2000 / time.Duration(lanes[name])
			if b, ok := best[name]; !ok || d < b {
				best[name] = d
			}
		}
	}
	t.Logf("min ns per compression: %v", best)
}
