package streebog

import (
	"math/rand/v2"
	"testing"
)

// forEachImpl runs f once for every compression implementation that this
// machine can execute: the pure-Go one always; on amd64 (without -tags
// purego) the scalar assembly, and the AVX-512 + GFNI assembly where the
// CPU has it.
func forEachImpl(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	saved := impl
	defer func() { impl = saved }()
	for _, name := range impls {
		impl = name
		t.Run(name, f)
	}
}

// TestImplementationsAgree compares the implementations with each other on
// random messages of every length from 0 to 1024 bytes and a few large ones.
func TestImplementationsAgree(t *testing.T) {
	if len(impls) < 2 {
		t.Skip("only the pure-Go implementation in this build")
	}
	saved := impl
	defer func() { impl = saved }()
	r := rand.New(rand.NewPCG(9, 10))
	lengths := []int{4096 + 7, 100_000, 1<<20 + 13}
	for n := 0; n <= 1024; n++ {
		lengths = append(lengths, n)
	}
	for _, n := range lengths {
		msg := randBytes(r, n)
		impl = implGeneric
		want256, want512 := Sum256(msg), Sum512(msg)
		for _, name := range impls {
			impl = name
			if Sum256(msg) != want256 || Sum512(msg) != want512 {
				t.Fatalf("length %d: %s and generic digests differ", n, name)
			}
		}
	}
}

// TestBlocksAgree drives blocks and compress directly with random chaining
// values and with N and Σ next to a carry across every word, so that the
// assembly carry chains are checked as well as the compression.
func TestBlocksAgree(t *testing.T) {
	if len(impls) < 2 {
		t.Skip("only the pure-Go implementation in this build")
	}
	saved := impl
	defer func() { impl = saved }()
	r := rand.New(rand.NewPCG(11, 12))
	for iter := range 200 {
		var h, n, sigma, m [8]uint64
		for i := range h {
			h[i], n[i], sigma[i], m[i] = r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()
		}
		if iter%2 == 0 {
			// All ones: adding 512 or a block carries through all words.
			n = [8]uint64{^uint64(0) - 511 + uint64(r.IntN(3))*256, ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
			sigma = [8]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
		}
		p := randBytes(r, BlockSize*(iter%5))
		h1, n1, s1 := h, n, sigma
		blocksGeneric(&h1, &n1, &s1, p)
		c1 := h
		compressGeneric(&c1, &n, &m)
		for _, name := range impls {
			impl = name
			h2, n2, s2 := h, n, sigma
			blocks(&h2, &n2, &s2, p)
			if h1 != h2 || n1 != n2 || s1 != s2 {
				t.Fatalf("iteration %d: %s blocks differ:\ngeneric h=%x N=%x Σ=%x\n%s h=%x N=%x Σ=%x", iter, name, h1, n1, s1, name, h2, n2, s2)
			}
			c2 := h
			compress(&c2, &n, &m)
			if c1 != c2 {
				t.Fatalf("iteration %d: %s compress differs", iter, name)
			}
		}
	}
}
