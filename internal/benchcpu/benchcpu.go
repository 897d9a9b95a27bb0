// Package benchcpu measures CPU time for the benchmarks that compare two
// operations batch by batch on a shared machine (bench/verify, xmldsig),
// where wall-clock time mostly measures the scheduler.
//
// Thread gives the CPU time of the calling OS thread (the caller locks its
// goroutine to it), which counts the work of the goroutine and the garbage
// collection it assists, but not the work of other goroutines (the
// collector's background workers, a cache's maintenance goroutines), which
// run on other threads whenever they are scheduled, so in either batch.
// Process gives the CPU time of all threads: when one side only computes
// on the benchmark thread (a raw signature check allocates nothing and
// starts nothing), the whole process's time minus that side's thread time
// is the other side's, background work included. GCBackground gives the
// collector's share of it.
package benchcpu

import (
	"runtime/metrics"
	"time"
)

// Thread returns the CPU time of the calling OS thread (Linux; 0
// elsewhere).
func Thread() time.Duration { return threadCPU() }

// Process returns the CPU time of the whole process, every thread (Linux;
// 0 elsewhere). Over a run in which one side does nothing but compute on
// the benchmark thread, Process minus that side's Thread time is what the
// other side cost, its background work (collector, cache maintenance
// goroutines) included.
func Process() time.Duration { return processCPU() }

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
