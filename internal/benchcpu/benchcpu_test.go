package benchcpu

import (
	"runtime"
	"testing"
)

var sink []byte

// TestClocks: the thread clock advances with work on the thread, and the
// collector's background time does not go backwards across collections.
func TestClocks(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	g0, t0 := GCBackground(), Thread()
	x := 0
	for i := range 20_000_000 {
		x += i * i
	}
	for range 200 {
		sink = make([]byte, 64<<10)
	}
	runtime.GC()
	g1, t1 := GCBackground(), Thread()
	if runtime.GOOS == "linux" && t1 <= t0 {
		t.Errorf("thread CPU did not advance: %v -> %v (%d)", t0, t1, x)
	}
	if g1 < g0 {
		t.Errorf("GC background CPU went back: %v -> %v", g0, g1)
	}
}
