//go:build !purego

package streebog

import (
	"encoding/binary"
	"unsafe"
)

// maxLanes is how many messages the batch path interleaves. On the Zen 5
// development machine one AVX-512 compression takes ~130 ns on its own and
// ~78, ~68 and ~67 ns each when two, three or four run interleaved: the
// single compression is bound by the latency of the round-key chain, the
// interleaved ones by the GF2P8MULB throughput.
const maxLanes = 4

// Stages of one message in a lane (RFC 6986 §9).
const (
	stageData  = iota // whole blocks, then the padded last block
	stageN            // h = g_0(h, N)
	stageSigma        // h = g_0(h, Σ)
	stageDone
)

type batchLane struct {
	h, n, sigma, m [8]uint64
	msg            []byte
	idx            int
	stage          int
}

var zero512 [8]uint64

// laneArgs are the arguments of the lanesNAVX512 functions.
type laneArgs struct {
	hs, ns, sigmas [maxLanes]*[8]uint64
	ms             [maxLanes]unsafe.Pointer
	incs           [maxLanes]uint64
}

// setup prepares the lane's next compression and returns its N, message
// block, Σ to add the block to (nil for none) and N increment. Whole
// message blocks are read in place; the assembly adds them to Σ and 512 to
// N after the compression.
func (l *batchLane) setup() (n *[8]uint64, m unsafe.Pointer, sigma *[8]uint64, inc uint64) {
	switch l.stage {
	case stageData:
		if len(l.msg) >= BlockSize {
			return &l.n, unsafe.Pointer(unsafe.SliceData(l.msg)), &l.sigma, 8 * BlockSize
		}
		// §9.3: m = 0^(511-|M|) || 1 || M.
		var block [BlockSize]byte
		copy(block[:], l.msg)
		block[len(l.msg)] = 0x01
		for j := range l.m {
			l.m[j] = binary.LittleEndian.Uint64(block[8*j:])
		}
		return &l.n, unsafe.Pointer(&l.m), &l.sigma, uint64(len(l.msg)) * 8
	case stageN:
		return &zero512, unsafe.Pointer(&l.n), nil, 0
	default:
		return &zero512, unsafe.Pointer(&l.sigma), nil, 0
	}
}

// advance moves the lane past the compression that setup prepared.
func (l *batchLane) advance() {
	if l.stage == stageData && len(l.msg) >= BlockSize {
		l.msg = l.msg[BlockSize:]
		return
	}
	l.msg = nil
	l.stage++
}

// sumLanes hashes msgs[lo:hi] interleaving up to maxLanes messages in the
// AVX-512 compression, into out256 (Streebog-256) if it is not nil and
// into out512 otherwise. It reports false, doing nothing, when the assembly
// is not in use.
func sumLanes(msgs [][]byte, lo, hi int, out256 [][Size256]byte, out512 [][Size512]byte) bool {
	if impl != implAVX512 {
		return false
	}
	var iv uint64
	if out256 != nil {
		iv = iv256
	}
	var (
		lanes [maxLanes]batchLane
		args  laneArgs
	)
	active := 0
	for {
		for active < maxLanes && lo < hi {
			l := &lanes[active]
			*l = batchLane{msg: msgs[lo], idx: lo}
			for i := range l.h {
				l.h[i] = iv
			}
			lo++
			active++
		}
		if active == 0 {
			return true
		}
		for i := range active {
			args.hs[i] = &lanes[i].h
			args.ns[i], args.ms[i], args.sigmas[i], args.incs[i] = lanes[i].setup()
		}
		switch active {
		case 4:
			lanes4AVX512(&args.hs, &args.ns, &args.ms, &args.sigmas, &args.incs)
		case 3:
			lanes3AVX512((*[3]*[8]uint64)(args.hs[:3]), (*[3]*[8]uint64)(args.ns[:3]),
				(*[3]unsafe.Pointer)(args.ms[:3]), (*[3]*[8]uint64)(args.sigmas[:3]), (*[3]uint64)(args.incs[:3]))
		case 2:
			lanes2AVX512((*[2]*[8]uint64)(args.hs[:2]), (*[2]*[8]uint64)(args.ns[:2]),
				(*[2]unsafe.Pointer)(args.ms[:2]), (*[2]*[8]uint64)(args.sigmas[:2]), (*[2]uint64)(args.incs[:2]))
		default:
			lanes1AVX512((*[1]*[8]uint64)(args.hs[:1]), (*[1]*[8]uint64)(args.ns[:1]),
				(*[1]unsafe.Pointer)(args.ms[:1]), (*[1]*[8]uint64)(args.sigmas[:1]), (*[1]uint64)(args.incs[:1]))
		}
		for i := 0; i < active; {
			l := &lanes[i]
			l.advance()
			if l.stage != stageDone {
				i++
				continue
			}
			if out256 != nil {
				for j, w := range l.h[4:] {
					binary.LittleEndian.PutUint64(out256[l.idx][8*j:], w)
				}
			} else {
				for j, w := range l.h {
					binary.LittleEndian.PutUint64(out512[l.idx][8*j:], w)
				}
			}
			active--
			lanes[i] = lanes[active]
		}
	}
}
