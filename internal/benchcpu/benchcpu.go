// Package benchcpu measures CPU time for the benchmarks that compare two
// operations batch by batch on a shared machine (bench/verify, xmldsig),
// where wall-clock time mostly measures the scheduler.
//
// Thread gives the CPU time of the calling OS thread (the caller locks its
// goroutine to it), which counts the work of the goroutine and the garbage
// collection it assists, but not the collector's background workers, which
// run on other threads and whenever they are scheduled, so in either
// batch. GCBackground gives the collector's background CPU time since the
// start of the process; a benchmark adds its growth over the run to the
// side that allocates (the other allocating nothing), which is where it
// arises.
package benchcpu

import (
	"runtime/metrics"
	"time"
)

// Thread returns the CPU time of the calling OS thread (Linux; 0
// elsewhere).
func Thread() time.Duration { return threadCPU() }

var gcNames = []string{
	"/cpu/classes/gc/mark/dedicated:cpu-seconds",
	"/cpu/classes/gc/mark/idle:cpu-seconds",
	"/cpu/classes/gc/pause:cpu-seconds",
}

// GCBackground returns the CPU time the garbage collector spent outside the
// goroutines it assisted: dedicated and idle mark workers and pauses (the
// runtime's estimate, updated at each collection).
func GCBackground() time.Duration {
	s := make([]metrics.Sample, len(gcNames))
	for i, n := range gcNames {
		s[i].Name = n
	}
	metrics.Read(s)
	var sec float64
	for _, x := range s {
		if x.Value.Kind() == metrics.KindFloat64 {
			sec += x.Value.Float64()
		}
	}
	return time.Duration(sec * float64(time.Second))
}
