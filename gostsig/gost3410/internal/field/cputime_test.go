package field

import (
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// threadCPU returns the CPU time of the calling OS thread. Benchmarks on a
// machine shared with others' builds are unreliable in wall time; this is
// a development aid (GOST_CPUBENCH=1), not a test.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTimeID = 3
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}

func cpuNsPerOp(n int, f func()) float64 {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	best := 1e18
	for range 5 {
		t0 := threadCPU()
		for range n {
			f()
		}
		if d := float64(threadCPU()-t0) / float64(n); d < best {
			best = d
		}
	}
	return best
}

func TestCPUBench(t *testing.T) {
	if os.Getenv("GOST_CPUBENCH") == "" {
		t.Skip("set GOST_CPUBENCH=1")
	}
	var a, b Fe256m617
	a[0], b[0], a[3], b[3] = 12345, 67890, 1<<60, 1<<61
	t.Logf("Fe256m617 Mul    %.1f ns", cpuNsPerOp(1e6, func() { a.Mul(&a, &b) }))
	t.Logf("Fe256m617 Square %.1f ns", cpuNsPerOp(1e6, func() { a.Square(&a) }))
	t.Logf("Fe256m617 Add    %.1f ns", cpuNsPerOp(1e6, func() { a.Add(&a, &b) }))
	var c, d Fe255p3225
	c[0], d[0] = 12345, 67890
	t.Logf("Fe255p3225 Mul   %.1f ns", cpuNsPerOp(1e6, func() { c.Mul(&c, &d) }))
	var e, f Fe256cpc
	e[0], f[0] = 12345, 67890
	t.Logf("Fe256cpc Mul     %.1f ns", cpuNsPerOp(1e6, func() { e.Mul(&e, &f) }))
	var g, h Fe512m569
	g[0], h[0], g[7], h[7] = 12345, 67890, 1<<60, 1<<61
	t.Logf("Fe512m569 Mul    %.1f ns", cpuNsPerOp(3e5, func() { g.Mul(&g, &h) }))
	t.Logf("Fe512m569 Square %.1f ns", cpuNsPerOp(3e5, func() { g.Square(&g) }))
	var i, j Fe511p111
	i[0], j[0] = 12345, 67890
	t.Logf("Fe511p111 Mul    %.1f ns", cpuNsPerOp(3e5, func() { i.Mul(&i, &j) }))
	var k, l Sc512A
	k[0], l[0] = 12345, 67890
	t.Logf("Sc512A Mul       %.1f ns", cpuNsPerOp(3e5, func() { k.Mul(&k, &l) }))
}

func TestCPUBenchInvert(t *testing.T) {
	if os.Getenv("GOST_CPUBENCH") == "" {
		t.Skip("set GOST_CPUBENCH=1")
	}
	var a, z ScCPA
	a[0], a[3] = 0x123456789, 0x0fedcba987654321
	t.Logf("ScCPA Invert        %.0f ns", cpuNsPerOp(2e4, func() { z.Invert(&a) }))
	t.Logf("ScCPA InvertFermat  %.0f ns", cpuNsPerOp(2e4, func() { z.InvertFermat(&a) }))
	var b, y Sc512A
	b[0], b[7] = 0x123456789, 0x0fedcba987654321
	t.Logf("Sc512A Invert       %.0f ns", cpuNsPerOp(1e4, func() { y.Invert(&b) }))
	t.Logf("Sc512A InvertFermat %.0f ns", cpuNsPerOp(1e4, func() { y.InvertFermat(&b) }))
}
