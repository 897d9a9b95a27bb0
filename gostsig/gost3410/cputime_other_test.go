//go:build !linux

package gost3410

import "time"

// threadCPU is not available here; benchmarks then report no CPU metric.
func threadCPU() time.Duration { return 0 }
