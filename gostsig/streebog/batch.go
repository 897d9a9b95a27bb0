package streebog

import (
	"runtime"
	"sync"
)

// parallelMinBytes is the amount of input below which SumBatch256 and
// SumBatch512 stay on the calling goroutine: under it, starting goroutines
// costs more than it saves.
const parallelMinBytes = 256 << 10

// SumBatch256 sets out[i] = Sum256(msgs[i]) for every i. Where the AVX-512
// compression is in use it interleaves up to four messages at a time (see
// the package documentation); batches of 256 KiB or more are also spread
// over GOMAXPROCS goroutines. It panics if len(out) < len(msgs).
func SumBatch256(msgs [][]byte, out [][Size256]byte) {
	if len(out) < len(msgs) {
		panic("streebog: SumBatch256 output shorter than input")
	}
	if w := batchWorkers(msgs); w > 1 {
		spread(msgs, w, func(lo, hi int) { sumRange256(msgs, out, lo, hi) })
		return
	}
	sumRange256(msgs, out, 0, len(msgs))
}

// SumBatch512 sets out[i] = Sum512(msgs[i]) for every i, like SumBatch256.
// It panics if len(out) < len(msgs).
func SumBatch512(msgs [][]byte, out [][Size512]byte) {
	if len(out) < len(msgs) {
		panic("streebog: SumBatch512 output shorter than input")
	}
	if w := batchWorkers(msgs); w > 1 {
		spread(msgs, w, func(lo, hi int) { sumRange512(msgs, out, lo, hi) })
		return
	}
	sumRange512(msgs, out, 0, len(msgs))
}

func sumRange256(msgs [][]byte, out [][Size256]byte, lo, hi int) {
	if sumLanes(msgs, lo, hi, out, nil) {
		return
	}
	for i := lo; i < hi; i++ {
		out[i] = Sum256(msgs[i])
	}
}

func sumRange512(msgs [][]byte, out [][Size512]byte, lo, hi int) {
	if sumLanes(msgs, lo, hi, nil, out) {
		return
	}
	for i := lo; i < hi; i++ {
		out[i] = Sum512(msgs[i])
	}
}

// batchCost estimates the work for one message in bytes: its data plus
// the padded block and the N and Σ compressions.
func batchCost(m []byte) int { return len(m) + 3*BlockSize }

// batchWorkers returns how many goroutines a batch is worth.
func batchWorkers(msgs [][]byte) int {
	workers := min(runtime.GOMAXPROCS(0), len(msgs))
	if workers < 2 {
		return 1
	}
	total := 0
	for _, m := range msgs {
		total += batchCost(m)
		if total >= parallelMinBytes {
			return workers
		}
	}
	return 1
}

// spread calls work concurrently on consecutive ranges of msgs that cost
// about the same.
func spread(msgs [][]byte, workers int, work func(lo, hi int)) {
	total := 0
	for _, m := range msgs {
		total += batchCost(m)
	}
	share := (total + workers - 1) / workers
	var wg sync.WaitGroup
	lo, acc := 0, 0
	for i, m := range msgs {
		acc += batchCost(m)
		if acc >= share || i == len(msgs)-1 {
			start, end := lo, i+1
			wg.Go(func() { work(start, end) })
			lo, acc = i+1, 0
		}
	}
	wg.Wait()
}
