package streebog

import (
	"fmt"
	"testing"
)

var benchSizes = []int{64, 1 << 10, 8 << 10, 16 << 10, 1 << 20}

func sizeName(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%dMiB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%dKiB", n>>10)
	}
	return fmt.Sprintf("%dB", n)
}

func BenchmarkSum256(b *testing.B) {
	for _, n := range benchSizes {
		msg := make([]byte, n)
		b.Run(sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				Sum256(msg)
			}
		})
	}
}

func BenchmarkSum512(b *testing.B) {
	for _, n := range benchSizes {
		msg := make([]byte, n)
		b.Run(sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				Sum512(msg)
			}
		})
	}
}

// BenchmarkDigest256 measures the hash.Hash path with a reused Digest, as
// a streaming caller uses it.
func BenchmarkDigest256(b *testing.B) {
	for _, n := range benchSizes {
		msg := make([]byte, n)
		h := New256()
		out := make([]byte, 0, Size256)
		b.Run(sizeName(n), func(b *testing.B) {
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				h.Reset()
				h.Write(msg)
				h.Sum(out[:0])
			}
		})
	}
}

// BenchmarkBatch compares SumBatch256 with calling Sum256 in a loop on the
// same messages. The batches stay under parallelMinBytes, so the difference
// is the multi-lane interleaving alone, on one core.
func BenchmarkBatch(b *testing.B) {
	for _, c := range []struct{ count, size int }{{256, 64}, {64, 1 << 10}, {8, 16 << 10}} {
		msgs := make([][]byte, c.count)
		for i := range msgs {
			msgs[i] = make([]byte, c.size)
			msgs[i][0] = byte(i)
		}
		out := make([][Size256]byte, c.count)
		name := fmt.Sprintf("%dx%s", c.count, sizeName(c.size))
		b.Run(name+"/sequential", func(b *testing.B) {
			b.SetBytes(int64(c.count * c.size))
			b.ReportAllocs()
			for b.Loop() {
				for i, m := range msgs {
					out[i] = Sum256(m)
				}
			}
		})
		b.Run(name+"/SumBatch256", func(b *testing.B) {
			b.SetBytes(int64(c.count * c.size))
			b.ReportAllocs()
			for b.Loop() {
				SumBatch256(msgs, out)
			}
		})
	}
}
