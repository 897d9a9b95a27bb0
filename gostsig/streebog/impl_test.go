package streebog

import (
	"math/rand/v2"
	"testing"
)

// forEachImpl runs f once for every compression implementation that this
// machine can execute: the pure-Go one always, the AVX-512 + GFNI assembly
// where the CPU has it (and the build is not purego).
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	saved := useAVX512
	defer func() { useAVX512 = saved }()
	useAVX512 = false
	t.Run("generic", f)
	if !hasAVX512 {
		t.Logf("AVX-512 + GFNI assembly not tested: not available on this CPU or build")
		return
	}
	useAVX512 = true
	t.Run("avx512", f)
}

// TestImplementationsAgree compares the implementations with each other on
// random messages of every length from 0 to 1024 bytes and a few large ones.
func TestImplementationsAgree(t *testing.T) {
	if !hasAVX512 {
		t.Skip("only one implementation on this CPU or build")
	}
	saved := useAVX512
	defer func() { useAVX512 = saved }()
	r := rand.New(rand.NewPCG(9, 10))
	lengths := []int{4096 + 7, 100_000, 1<<20 + 13}
	for n := 0; n <= 1024; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		msg := randBytes(r, n)
		useAVX512 = false
		g256, g512 := Sum256(msg), Sum512(msg)
		useAVX512 = true
		a256, a512 := Sum256(msg), Sum512(msg)
		if g256 != a256 || g512 != a512 {
			t.Fatalf("length %d: generic and AVX-512 digests differ", n)
		}
	}
}

// TestBlocksAgree drives blocks and compress directly with random chaining
// values and with N and Σ next to a carry across every word, so that the
// assembly carry chains are checked as well as the compression.
func TestBlocksAgree(t *testing.T) {
	if !hasAVX512 {
		t.Skip("only one implementation on this CPU or build")
	}
	r := rand.New(rand.NewPCG(11, 12))
	for iter := range 200 {
		var h, n, sigma [8]uint64
		for i := range h {
			h[i] = r.Uint64()
			n[i] = r.Uint64()
			sigma[i] = r.Uint64()
		}
		if iter%2 == 0 {
			// All ones: adding 512 or a block carries through all words.
			n = [8]uint64{^uint64(0) - 511 + uint64(r.IntN(3))*256, ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
			sigma = [8]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
		}
		p := randBytes(r, BlockSize*(iter%5))
		h1, n1, s1 := h, n, sigma
		h2, n2, s2 := h, n, sigma
		blocksGeneric(&h1, &n1, &s1, p)
		blocksAVX512(&h2, &n2, &s2, p)
		if h1 != h2 || n1 != n2 || s1 != s2 {
			t.Fatalf("iteration %d: blocks differ:\ngeneric h=%x N=%x Σ=%x\navx512  h=%x N=%x Σ=%x", iter, h1, n1, s1, h2, n2, s2)
		}
		var m [8]uint64
		for i := range m {
			m[i] = r.Uint64()
		}
		compressGeneric(&h1, &n, &m)
		compressAVX512(&h2, &n, &m)
		if h1 != h2 {
			t.Fatalf("iteration %d: compress differs", iter)
		}
	}
}
