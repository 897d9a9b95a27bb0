//go:build !linux

package verify

import "time"

// processCPU is not available here; the CPU metrics then read 0.
func processCPU() time.Duration { return 0 }
