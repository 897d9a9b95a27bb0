//go:build !purego

package streebog

import (
	"math/rand/v2"
	"testing"
	"unsafe"
)

// TestLanesAgree drives the batch assembly directly, for 1 to 4 lanes, with
// random states and with N and Σ next to a carry across every word, and
// compares each lane with compressGeneric followed by the Σ and N updates.
func TestLanesAgree(t *testing.T) {
	if !hasAVX512 {
		t.Skip("no AVX-512 + GFNI on this CPU")
	}
	r := rand.New(rand.NewPCG(19, 20))
	ones := [8]uint64{^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0), ^uint64(0)}
	for iter := range 400 {
		lanes := 1 + iter%4
		var h, n, sigma, m, wantH, wantN, wantSigma [4][8]uint64
		var a laneArgs
		for i := range lanes {
			for j := range 8 {
				h[i][j], n[i][j], sigma[i][j], m[i][j] = r.Uint64(), r.Uint64(), r.Uint64(), r.Uint64()
			}
			inc := uint64(8 * BlockSize)
			if r.IntN(3) == 0 {
				inc = uint64(r.IntN(BlockSize)) * 8 // a padded last block
			}
			if r.IntN(2) == 0 {
				n[i], sigma[i] = ones, ones
				n[i][0] = ^uint64(0) - uint64(r.IntN(600))
			}
			update := r.IntN(4) != 0 // otherwise a g_0 step: no Σ/N update
			wantH[i], wantN[i], wantSigma[i] = h[i], n[i], sigma[i]
			compressGeneric(&wantH[i], &wantN[i], &m[i])
			a.hs[i], a.ns[i], a.ms[i], a.incs[i] = &h[i], &n[i], unsafe.Pointer(&m[i]), inc
			if update {
				addBlock512(&wantSigma[i], &m[i])
				add512(&wantN[i], inc)
				a.sigmas[i] = &sigma[i]
			}
		}
		switch lanes {
		case 1:
			lanes1AVX512((*[1]*[8]uint64)(a.hs[:1]), (*[1]*[8]uint64)(a.ns[:1]),
				(*[1]unsafe.Pointer)(a.ms[:1]), (*[1]*[8]uint64)(a.sigmas[:1]), (*[1]uint64)(a.incs[:1]))
		case 2:
			lanes2AVX512((*[2]*[8]uint64)(a.hs[:2]), (*[2]*[8]uint64)(a.ns[:2]),
				(*[2]unsafe.Pointer)(a.ms[:2]), (*[2]*[8]uint64)(a.sigmas[:2]), (*[2]uint64)(a.incs[:2]))
		case 3:
			lanes3AVX512((*[3]*[8]uint64)(a.hs[:3]), (*[3]*[8]uint64)(a.ns[:3]),
				(*[3]unsafe.Pointer)(a.ms[:3]), (*[3]*[8]uint64)(a.sigmas[:3]), (*[3]uint64)(a.incs[:3]))
		case 4:
			lanes4AVX512(&a.hs, &a.ns, &a.ms, &a.sigmas, &a.incs)
		}
		for i := range lanes {
			if h[i] != wantH[i] || n[i] != wantN[i] || sigma[i] != wantSigma[i] {
				t.Fatalf("iteration %d, %d lanes, lane %d: got h=%x N=%x Σ=%x, want h=%x N=%x Σ=%x",
					iter, lanes, i, h[i], n[i], sigma[i], wantH[i], wantN[i], wantSigma[i])
			}
		}
	}
}
