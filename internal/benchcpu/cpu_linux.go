package benchcpu

import (
	"syscall"
	"time"
	"unsafe"
)

func threadCPU() time.Duration { return clock(3) } // CLOCK_THREAD_CPUTIME_ID

func processCPU() time.Duration { return clock(2) } // CLOCK_PROCESS_CPUTIME_ID

func clock(id uintptr) time.Duration {
	var ts syscall.Timespec
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, id, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}
