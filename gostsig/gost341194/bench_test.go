package gost341194

import (
	"fmt"
	"testing"
)

func BenchmarkSum(b *testing.B) {
	for _, n := range []int{64, 1 << 10, 8 << 10, 16 << 10, 1 << 20} {
		msg := make([]byte, n)
		name := fmt.Sprintf("%dB", n)
		switch {
		case n >= 1<<20:
			name = fmt.Sprintf("%dMiB", n>>20)
		case n >= 1<<10:
			name = fmt.Sprintf("%dKiB", n>>10)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				Sum(msg)
			}
		})
	}
}
