package verify

import (
	"syscall"
	"time"
	"unsafe"
)

// processCPU returns the CPU time of the whole process (every thread: the
// benchmark's and the garbage collector's). On a machine shared with other
// builds, wall-clock time mostly measures the scheduler.
func processCPU() time.Duration {
	var ts syscall.Timespec
	const clockProcessCPUTimeID = 2
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockProcessCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}
