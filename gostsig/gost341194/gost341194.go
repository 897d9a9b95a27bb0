// Package gost341194 implements the GOST R 34.11-94 hash function (RFC 5831
// is its English text) with the GOST 28147-89 S-boxes of
// id-GostR3411-94-CryptoProParamSet (1.2.643.2.2.30.1, RFC 4357) and of the
// test parameter set used by the examples of RFC 5831 §7.3. Section numbers
// in the code are those of GOST R 34.11-94 itself.
//
// GOST R 34.11-94 is obsolete; this project uses it only to verify GOST R
// 34.10-2001 signatures (RFC 4491), which hash with the CryptoPro S-box. New
// and Sum use that S-box; NewWithSBox(SBoxTest) gives the hash of RFC 5831.
//
// # Byte order
//
// Messages are byte strings in memory order and the digest is returned in the
// order the hash state holds it, as OpenSSL's gost engine ("openssl dgst
// -md_gost94") and libgcrypt print it. RFC 5831 prints its examples as
// big-endian numbers, so they appear here byte-reversed. The gostsum tool
// prints the digest reversed again.
//
// # The empty message
//
// Implementations disagree on the hash of the empty message: OpenSSL's gost
// engine gives 3f25bc1f…aabe4c8 (CryptoPro S-box), libgcrypt and GoGOST give
// 981e5f3c…4cd656c0. The standard settles it. Its procedure (GOST R
// 34.11-94 §7; RFC 5831 gives the same text) hashes whole 256-bit blocks
// while |M| > 256. Once that test fails, which for the empty message is at
// once with |M| = 0, it sets L = L + |M|, M' = 0^(256-|M|) || M and
// Σ = Σ + M', and computes H = χ(M', H), H = χ(L, H), H = χ(Σ, H), with no
// exception for |M| = 0. For the empty message that is three compressions:
// of the zero block M', of L = 0 and of Σ = 0. Implementations that skip
// the first one when no byte is buffered compute something else for this
// one input (TestEmptyMessage shows that this step is the whole
// difference). This package follows the standard and so agrees with
// OpenSSL's gost engine; on every non-empty message all of them agree.
//
// # Implementation
//
// Pure Go for every platform. A step of the hash needs four GOST 28147-89
// encryptions that do not depend on each other; they run side by side, one
// round of each at a time, so that the processor overlaps them. The
// permutation P works on 64-bit words, and the mixing ψ^61(H ⊕ ψ(M ⊕
// ψ^12(S))) is ψ^61(H ⊕ ψ(M)) ⊕ ψ^74(S), two generated matrices over 16-bit
// words (ψ is linear), the first computed while the encryptions run. This
// makes it several times faster than OpenSSL's gost engine (see
// bench/README.md). Sum and the Digest methods do not allocate.
package gost341194

import (
	"encoding/binary"
	"hash"
	"math/bits"
)

const (
	// Size is the size in bytes of a GOST R 34.11-94 digest.
	Size = 32
	// BlockSize is the block size of GOST R 34.11-94 in bytes.
	BlockSize = 32
)

// SBox is a GOST 28147-89 substitution table, expanded for fast use. The
// only SBox values are SBoxCryptoPro and SBoxTest.
type SBox struct {
	// lo[x], mid[x] and hi[b] are the substitution of the 12-bit value x
	// at bits 0–11 or 12–23 of the 32-bit word and of the byte b at bits
	// 24–31, shifted into place and rotated left by 11 (GOST 28147-89, the
	// round function f): three lookups per round instead of eight 4-bit
	// ones, in 33 KiB that stay in the level-1 cache.
	lo, mid [4096]uint32
	hi      [256]uint32
	valid   bool
}

// newSBox expands the rows K1..K8 of a GOST 28147-89 S-box; K1 substitutes
// the least significant 4 bits of the 32-bit word (GOST 28147-89).
func newSBox(k *[8][16]uint8) *SBox {
	s := &SBox{valid: true}
	// sub substitutes the n nibbles of x that start at nibble first.
	sub := func(x uint32, first, n int) uint32 {
		var v uint32
		for i := range n {
			v |= uint32(k[first+i][x>>(4*i)&15]) << (4 * (first + i))
		}
		return bits.RotateLeft32(v, 11)
	}
	for x := range uint32(4096) {
		s.lo[x] = sub(x, 0, 3)
		s.mid[x] = sub(x, 3, 3)
	}
	for b := range uint32(256) {
		s.hi[b] = sub(b, 6, 2)
	}
	return s
}

var (
	// SBoxCryptoPro is the S-box of id-GostR3411-94-CryptoProParamSet
	// (1.2.643.2.2.30.1, RFC 4357), used by GOST R 34.10-2001
	// signatures.
	SBoxCryptoPro = newSBox(&[8][16]uint8{
		{0xa, 0x4, 0x5, 0x6, 0x8, 0x1, 0x3, 0x7, 0xd, 0xc, 0xe, 0x0, 0x9, 0x2, 0xb, 0xf},
		{0x5, 0xf, 0x4, 0x0, 0x2, 0xd, 0xb, 0x9, 0x1, 0x7, 0x6, 0x3, 0xc, 0xe, 0xa, 0x8},
		{0x7, 0xf, 0xc, 0xe, 0x9, 0x4, 0x1, 0x0, 0x3, 0xb, 0x5, 0x2, 0x6, 0xa, 0x8, 0xd},
		{0x4, 0xa, 0x7, 0xc, 0x0, 0xf, 0x2, 0x8, 0xe, 0x1, 0x6, 0x5, 0xd, 0xb, 0x9, 0x3},
		{0x7, 0x6, 0x4, 0xb, 0x9, 0xc, 0x2, 0xa, 0x1, 0x8, 0x0, 0xe, 0xf, 0xd, 0x3, 0x5},
		{0x7, 0x6, 0x2, 0x4, 0xd, 0x9, 0xf, 0x0, 0xa, 0x1, 0x5, 0xb, 0x8, 0xe, 0xc, 0x3},
		{0xd, 0xe, 0x4, 0x1, 0x7, 0x0, 0x5, 0xa, 0x3, 0xc, 0x8, 0xf, 0x6, 0x2, 0x9, 0xb},
		{0x1, 0x3, 0xa, 0x9, 0x5, 0xb, 0x4, 0xf, 0x8, 0x6, 0x7, 0xe, 0xd, 0x0, 0x2, 0xc},
	})

	// SBoxTest is the S-box of id-GostR3411-94-TestParamSet
	// (1.2.643.2.2.30.0), used by the examples of RFC 5831 §7.3. It is for
	// tests only.
	SBoxTest = newSBox(&[8][16]uint8{
		{0x4, 0xa, 0x9, 0x2, 0xd, 0x8, 0x0, 0xe, 0x6, 0xb, 0x1, 0xc, 0x7, 0xf, 0x5, 0x3},
		{0xe, 0xb, 0x4, 0xc, 0x6, 0xd, 0xf, 0xa, 0x2, 0x3, 0x8, 0x1, 0x0, 0x7, 0x5, 0x9},
		{0x5, 0x8, 0x1, 0xd, 0xa, 0x3, 0x4, 0x2, 0xe, 0xf, 0xc, 0x7, 0x6, 0x0, 0x9, 0xb},
		{0x7, 0xd, 0xa, 0x1, 0x0, 0x8, 0x9, 0xf, 0xe, 0x4, 0x6, 0xc, 0xb, 0x2, 0x5, 0x3},
		{0x6, 0xc, 0x7, 0x1, 0x5, 0xf, 0xd, 0x8, 0x4, 0xa, 0x9, 0xe, 0x0, 0x3, 0xb, 0x2},
		{0x4, 0xb, 0xa, 0x0, 0x7, 0x2, 0x1, 0xd, 0x3, 0x6, 0x8, 0x5, 0x9, 0xc, 0xf, 0xe},
		{0xd, 0xb, 0x4, 0x1, 0x3, 0xf, 0x5, 0x9, 0x0, 0xa, 0xe, 0x7, 0x6, 0x8, 0x2, 0xc},
		{0x1, 0xf, 0xd, 0x0, 0x5, 0x7, 0xa, 0x4, 0x9, 0x2, 0x3, 0xe, 0x6, 0xb, 0x8, 0xc},
	})
)

// Digest is a running GOST R 34.11-94 computation. Its zero value is not
// usable; use New or NewWithSBox.
type Digest struct {
	sbox  *SBox
	h     [4]uint64 // chaining value H, little-endian 64-bit words
	sigma [4]uint64 // Σ, the sum of the blocks mod 2^256
	n     uint64    // number of bytes written (L = 8n mod 2^256)
	buf   [BlockSize]byte
	nbuf  int
}

// New returns a new hash.Hash computing GOST R 34.11-94 with the CryptoPro
// S-box (SBoxCryptoPro), the hash of GOST R 34.10-2001 signatures.
func New() hash.Hash { return NewWithSBox(SBoxCryptoPro) }

// NewWithSBox returns a new hash.Hash computing GOST R 34.11-94 with the
// given S-box. It panics if s is not SBoxCryptoPro or SBoxTest.
func NewWithSBox(s *SBox) hash.Hash {
	if s == nil || !s.valid {
		panic("gost341194: invalid SBox")
	}
	return &Digest{sbox: s}
}

// Sum returns the GOST R 34.11-94 digest of data with the CryptoPro S-box.
func Sum(data []byte) [Size]byte {
	d := Digest{sbox: SBoxCryptoPro}
	d.Write(data)
	var out [Size]byte
	d.checkSum(&out)
	return out
}

// Reset resets the Digest to its initial state. The starting hash value
// H_start is zero, as in RFC 4357 and every implementation.
func (d *Digest) Reset() {
	d.h = [4]uint64{}
	d.sigma = [4]uint64{}
	d.n = 0
	d.nbuf = 0
}

// Size returns Size.
func (d *Digest) Size() int { return Size }

// BlockSize returns BlockSize.
func (d *Digest) BlockSize() int { return BlockSize }

// Write adds p to the running hash. It never returns an error.
func (d *Digest) Write(p []byte) (int, error) {
	n := len(p)
	d.n += uint64(n)
	if d.nbuf > 0 {
		k := copy(d.buf[d.nbuf:], p)
		d.nbuf += k
		p = p[k:]
		if d.nbuf < BlockSize {
			return n, nil
		}
		d.block(d.buf[:])
		d.nbuf = 0
	}
	for len(p) >= BlockSize {
		d.block(p[:BlockSize])
		p = p[BlockSize:]
	}
	d.nbuf = copy(d.buf[:], p)
	return n, nil
}

// block processes one whole block: H = χ(M, H); Σ = Σ + M (GOST R 34.11-94
// §7, stage 3). L is kept as the byte count d.n.
func (d *Digest) block(p []byte) {
	var m [4]uint64
	for i := range m {
		m[i] = binary.LittleEndian.Uint64(p[8*i:])
	}
	compress(d.sbox, &d.h, &m)
	add256(&d.sigma, &m)
}

// Sum appends the current hash to b and returns the resulting slice. It
// does not change the underlying hash state.
func (d *Digest) Sum(b []byte) []byte {
	dd := *d
	var out [Size]byte
	dd.checkSum(&out)
	return append(b, out[:]...)
}

// checkSum is the final part of GOST R 34.11-94 §7, stage 2, for |M| <= 256.
func (d *Digest) checkSum(out *[Size]byte) {
	if d.nbuf > 0 || d.n == 0 {
		// M' = 0^(256-|M|) || M: the remaining bytes, then zeros. The
		// standard compresses M' even when |M| = 0, which only happens
		// for the empty message (see the package documentation).
		var block [BlockSize]byte
		copy(block[:], d.buf[:d.nbuf])
		d.block(block[:])
	}
	// H = χ(L, H); H = χ(Σ, H), with L the message length in bits.
	l := [4]uint64{d.n << 3, d.n >> 61}
	compress(d.sbox, &d.h, &l)
	compress(d.sbox, &d.h, &d.sigma)
	for i, w := range d.h {
		binary.LittleEndian.PutUint64(out[8*i:], w)
	}
}

// add256 computes x = x + m mod 2^256.
func add256(x, m *[4]uint64) {
	var c uint64
	x[0], c = bits.Add64(x[0], m[0], 0)
	x[1], c = bits.Add64(x[1], m[1], c)
	x[2], c = bits.Add64(x[2], m[2], c)
	x[3], _ = bits.Add64(x[3], m[3], c)
}
