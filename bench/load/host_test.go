//go:build linux

package load

import (
	"runtime"
	"syscall"
	"testing"

	"gostsig.dev/internal/benchcpu"
)

// What this machine charges for entering its kernel. A server spends
// these per request where the library spends none: the request's reads
// and the poller's waits, the response's writev, the futex wake-ups that
// hand a batch to the workers and back, and the page faults of memory
// the runtime's scavenger returned and the heap touches again. Read the
// HTTP ratios of bench/README.md next to these: the same server on a
// host where they cost less keeps more of the library's speed.
//
//	go test ./bench/load -run '^$' -bench Host

// BenchmarkHostSyscall is the cheapest system call there is (getppid),
// entry and return.
func BenchmarkHostSyscall(b *testing.B) {
	for b.Loop() {
		syscall.RawSyscall(syscall.SYS_GETPPID, 0, 0, 0)
	}
}

// BenchmarkHostPageFault is one minor page fault of anonymous memory
// given back with MADV_DONTNEED, as the Go runtime's scavenger gives it
// back: the touch that maps a zeroed page again. The madvise call is
// included, shared by the region's pages.
func BenchmarkHostPageFault(b *testing.B) {
	const pages = 256
	page := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, pages*page, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		b.Fatal(err)
	}
	defer syscall.Munmap(mem)
	faults := 0
	for b.Loop() {
		if err := syscall.Madvise(mem, syscall.MADV_DONTNEED); err != nil {
			b.Fatal(err)
		}
		for off := 0; off < len(mem); off += page {
			mem[off] = 1
		}
		faults += pages
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(faults), "ns/fault")
	b.ReportMetric(0, "ns/op") // suppressed: an op is a whole region's faults
}

// BenchmarkHostWakeup is one hand-off between two OS threads: a goroutine
// locked to its thread sends a token to another locked goroutine and
// waits for it to come back, so that every hand-off puts one thread to
// sleep in the kernel (futex wait) and wakes the other (futex wake). This
// is what a server pays when a request finds its workers' threads asleep
// and when the last item wakes the handler; two goroutines passing a token
// without locked threads, on one of the runtime's processors, pay no
// kernel entry at all. ns/handoff is wall-clock time, the wait for the
// woken thread included; cpu-ns/handoff is the CPU time both threads
// spent, what a loaded server pays.
func BenchmarkHostWakeup(b *testing.B) {
	ping, pong := make(chan struct{}), make(chan struct{})
	go func() {
		runtime.LockOSThread()
		for range ping {
			pong <- struct{}{}
		}
	}()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	cpu0 := benchcpu.Process()
	for b.Loop() {
		ping <- struct{}{}
		<-pong
	}
	cpu := benchcpu.Process() - cpu0
	close(ping)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(2*b.N), "ns/handoff")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(2*b.N), "cpu-ns/handoff")
	b.ReportMetric(0, "ns/op") // suppressed: an op is two hand-offs
}
