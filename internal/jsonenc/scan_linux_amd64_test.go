//go:build !purego

package jsonenc

import (
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestGoodPrefixPageEdges runs the AVX2 scan on strings that start at the
// first byte of a page or end at its last, between pages that fault when
// read (PROT_NONE): the scan must never load a byte of another page.
func TestGoodPrefixPageEdges(t *testing.T) {
	if !useAVX2 {
		t.Skip("no AVX2 here")
	}
	ps := syscall.Getpagesize()
	mem, err := syscall.Mmap(-1, 0, 3*ps, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		t.Skipf("mmap: %v", err)
	}
	defer syscall.Munmap(mem)
	if err := syscall.Mprotect(mem[:ps], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mprotect(mem[2*ps:], syscall.PROT_NONE); err != nil {
		t.Fatal(err)
	}
	page := mem[ps : 2*ps]
	fills := []string{strings.Repeat("a", 80), strings.Repeat("Ж", 40), "a" + strings.Repeat("Ж", 40)}
	for _, fill := range fills {
		for n := 0; n <= 70; n++ {
			for _, tail := range []string{"", "\"", "\xd0", "\xff", "\u2028"} {
				v := fill[:n] + tail
				if v == "" {
					continue
				}
				for _, at := range []int{0, len(page) - len(v)} {
					copy(page[at:], v)
					s := unsafe.String(&page[at], len(v))
					for i := 0; i <= len(s); i += 1 + len(s)/8 {
						if got, want := goodPrefix(s, i), goodPrefixRef(s, i); got != want {
							t.Fatalf("goodPrefix(%q, %d) at page offset %d = %d, want %d", s, i, at, got, want)
						}
					}
				}
			}
		}
	}
}
