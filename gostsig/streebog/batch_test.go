package streebog

import (
	"math/rand/v2"
	"testing"
)

func TestSumBatch(t *testing.T) {
	forEachImpl(t, testSumBatch)
}

func testSumBatch(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, c := range []struct{ count, maxLen int }{
		{0, 0}, {1, 10}, {2, 64}, {3, 130}, {4, 0}, {5, 200}, {7, 1000},
		{100, 130}, {600, 2000}, {3, 300000},
	} {
		msgs := make([][]byte, c.count)
		for i := range msgs {
			msgs[i] = randBytes(r, r.IntN(c.maxLen+1))
		}
		out256 := make([][Size256]byte, c.count)
		out512 := make([][Size512]byte, c.count)
		SumBatch256(msgs, out256)
		SumBatch512(msgs, out512)
		for i, m := range msgs {
			if out256[i] != Sum256(m) {
				t.Fatalf("batch of %d: message %d (len %d): SumBatch256 differs from Sum256", c.count, i, len(m))
			}
			if out512[i] != Sum512(m) {
				t.Fatalf("batch of %d: message %d (len %d): SumBatch512 differs from Sum512", c.count, i, len(m))
			}
		}
	}
}

func TestSumBatchShortOutput(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("SumBatch256 with a short output did not panic")
		}
	}()
	SumBatch256(make([][]byte, 2), make([][Size256]byte, 1))
}

func TestSumBatchAllocs(t *testing.T) {
	msgs := make([][]byte, 50)
	for i := range msgs {
		msgs[i] = make([]byte, i*17)
	}
	out256 := make([][Size256]byte, len(msgs))
	out512 := make([][Size512]byte, len(msgs))
	forEachImpl(t, func(t *testing.T) {
		if n := testing.AllocsPerRun(10, func() { SumBatch256(msgs, out256) }); n != 0 {
			t.Errorf("SumBatch256: %v allocations, want 0", n)
		}
		if n := testing.AllocsPerRun(10, func() { SumBatch512(msgs, out512) }); n != 0 {
			t.Errorf("SumBatch512: %v allocations, want 0", n)
		}
	})
}
