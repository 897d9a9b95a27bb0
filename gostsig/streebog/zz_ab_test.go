package streebog

import (
	"testing"
	"time"
)

func TestAB(t *testing.T) {
	var h, n, m [8]uint64
	m[0] = 1
	impls := map[string]func(h, n, m *[8]uint64){"v1": compressV1, "cur": compressGeneric}
	best := map[string]time.Duration{}
	for round := 0; round < 30; round++ {
		for name, f := range impls {
			start := time.Now()
			for i := 0; i < 2000; i++ {
				f(&h, &n, &m)
			}
			d := time.Since(start) / 2000
			if b, ok := best[name]; !ok || d < b {
				best[name] = d
			}
		}
	}
	t.Logf("min ns/compress: %v", best)
}
