package streebog

import "testing"

// forEachImpl runs f once for every compression implementation that this
// machine can execute.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	f(t)
}
