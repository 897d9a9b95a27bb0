package streebog

import (
	"runtime"
	"sync"
)

// parallelMinBytes is the amount of input below which SumBatch256 and
// SumBatch512 stay on the calling goroutine: under it, starting goroutines
// costs more than it saves.
const parallelMinBytes = 256 << 10

// SumBatch256 sets out[i] = Sum256(msgs[i]) for every i. Large batches are
// spread over GOMAXPROCS goroutines. It panics if len(out) < len(msgs).
func SumBatch256(msgs [][]byte, out [][Size256]byte) {
	if len(out) < len(msgs) {
		panic("streebog: SumBatch256 output shorter than input")
	}
	spread(msgs, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = Sum256(msgs[i])
		}
	})
}

// SumBatch512 sets out[i] = Sum512(msgs[i]) for every i. Large batches are
// spread over GOMAXPROCS goroutines. It panics if len(out) < len(msgs).
func SumBatch512(msgs [][]byte, out [][Size512]byte) {
	if len(out) < len(msgs) {
		panic("streebog: SumBatch512 output shorter than input")
	}
	spread(msgs, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = Sum512(msgs[i])
		}
	})
}

// spread calls work on consecutive ranges of msgs that hold about the same
// number of bytes, concurrently when the batch is large enough to pay.
func spread(msgs [][]byte, work func(lo, hi int)) {
	total := 0
	for _, m := range msgs {
		// Every message costs at least three compressions beyond its
		// data blocks, about as much as 3*BlockSize bytes.
		total += len(m) + 3*BlockSize
	}
	workers := min(runtime.GOMAXPROCS(0), len(msgs))
	if workers < 2 || total < parallelMinBytes {
		work(0, len(msgs))
		return
	}
	share := (total + workers - 1) / workers
	var wg sync.WaitGroup
	lo, acc := 0, 0
	for i, m := range msgs {
		acc += len(m) + 3*BlockSize
		if acc >= share || i == len(msgs)-1 {
			start, end := lo, i+1
			wg.Go(func() { work(start, end) })
			lo, acc = i+1, 0
		}
	}
	wg.Wait()
}
