// Package streebog implements the GOST R 34.11-2012 hash function
// ("Streebog") with 256- and 512-bit output, as specified in RFC 6986.
//
// # Byte order
//
// Messages are byte strings in memory order and digests are returned in the
// order the hash state holds them, as OpenSSL's gost engine ("openssl dgst
// -md_gost12_256"), gost12sum, libgcrypt and every CMS/XMLDSig producer do.
// RFC 6986 prints its examples as big-endian numbers, so its message and
// digest strings appear here byte-reversed (see the package tests). The
// 256-bit hash is not a truncated 512-bit one: it starts from a different IV
// and is the upper half (bytes 32..63) of the final state (RFC 6986 §8).
//
// # Contract
//
// New256 and New512 return a hash.Hash whose concrete type *Digest also
// implements encoding.BinaryMarshaler, encoding.BinaryAppender and
// encoding.BinaryUnmarshaler, so that a hash can be suspended and resumed.
// Sum256, Sum512 and the Digest methods do not allocate. Streebog has no
// secret input in this project's use (it hashes public signed data); the code
// nevertheless uses only table lookups indexed by data, like every fast
// software Streebog.
//
//go:generate go run gen_tables.go gen_asm.go
package streebog

import (
	"encoding/binary"
	"errors"
	"hash"
	"math/bits"
)

const (
	// Size256 is the size in bytes of a Streebog-256 digest.
	Size256 = 32
	// Size512 is the size in bytes of a Streebog-512 digest.
	Size512 = 64
	// BlockSize is the block size of Streebog in bytes.
	BlockSize = 64
)

// Digest is a running Streebog-256 or Streebog-512 computation. Its zero
// value is not usable; use New256 or New512.
type Digest struct {
	h     [8]uint64 // chaining value, little-endian words
	n     [8]uint64 // N: number of message bits processed, mod 2^512
	sigma [8]uint64 // Σ: sum of the message blocks, mod 2^512
	buf   [BlockSize]byte
	nbuf  int
	size  int // Size256 or Size512
}

// New256 returns a new hash.Hash computing Streebog-256.
func New256() hash.Hash {
	d := &Digest{size: Size256}
	d.Reset()
	return d
}

// New512 returns a new hash.Hash computing Streebog-512.
func New512() hash.Hash {
	d := &Digest{size: Size512}
	d.Reset()
	return d
}

// iv256 is the initialisation vector of the 256-bit hash (RFC 6986 §5.1):
// every byte 0x01. The 512-bit hash starts from zero.
const iv256 = 0x0101010101010101

// Reset resets the Digest to its initial state.
func (d *Digest) Reset() {
	var iv uint64
	if d.size == Size256 {
		iv = iv256
	}
	for i := range d.h {
		d.h[i] = iv
	}
	d.n = [8]uint64{}
	d.sigma = [8]uint64{}
	d.nbuf = 0
}

// Size returns the digest size in bytes: Size256 or Size512.
func (d *Digest) Size() int { return d.size }

// BlockSize returns BlockSize.
func (d *Digest) BlockSize() int { return BlockSize }

// Write adds p to the running hash. It never returns an error.
func (d *Digest) Write(p []byte) (int, error) {
	n := len(p)
	if d.nbuf > 0 {
		k := copy(d.buf[d.nbuf:], p)
		d.nbuf += k
		p = p[k:]
		if d.nbuf < BlockSize {
			return n, nil
		}
		blocks(&d.h, &d.n, &d.sigma, d.buf[:])
		d.nbuf = 0
	}
	if len(p) >= BlockSize {
		full := len(p) &^ (BlockSize - 1)
		blocks(&d.h, &d.n, &d.sigma, p[:full])
		p = p[full:]
	}
	d.nbuf = copy(d.buf[:], p)
	return n, nil
}

// Sum appends the current hash to b and returns the resulting slice. It
// does not change the underlying hash state.
func (d *Digest) Sum(b []byte) []byte {
	dd := *d
	var out [Size512]byte
	dd.checkSum(&out)
	if d.size == Size256 {
		return append(b, out[Size512-Size256:]...)
	}
	return append(b, out[:]...)
}

// checkSum runs stage 3 of RFC 6986 §8 and writes the 512-bit final state to
// out; the 256-bit hash is its upper half, out[32:].
func (d *Digest) checkSum(out *[Size512]byte) {
	// §8.3, step 1: m = 0^(511-|M|) || 1 || M, i.e. in memory order the
	// remaining bytes, then 0x01, then zeros.
	var block [BlockSize]byte
	copy(block[:], d.buf[:d.nbuf])
	block[d.nbuf] = 0x01
	var m [8]uint64
	for i := range m {
		m[i] = binary.LittleEndian.Uint64(block[8*i:])
	}
	// Step 2: h = g_N(h, m).
	compress(&d.h, &d.n, &m)
	// Step 3: N = N + |M| (in bits).
	add512(&d.n, uint64(d.nbuf)*8)
	// Step 4: Σ = Σ + m.
	addBlock512(&d.sigma, &m)
	// Steps 5 and 6: h = g_0(h, N); h = g_0(h, Σ).
	var zero [8]uint64
	compress(&d.h, &zero, &d.n)
	compress(&d.h, &zero, &d.sigma)
	for i, w := range d.h {
		binary.LittleEndian.PutUint64(out[8*i:], w)
	}
}

// Sum256 returns the Streebog-256 digest of data.
func Sum256(data []byte) [Size256]byte {
	d := Digest{size: Size256}
	d.Reset()
	d.Write(data)
	var out [Size512]byte
	d.checkSum(&out)
	return [Size256]byte(out[Size512-Size256:])
}

// Sum512 returns the Streebog-512 digest of data.
func Sum512(data []byte) [Size512]byte {
	d := Digest{size: Size512}
	d.Write(data)
	var out [Size512]byte
	d.checkSum(&out)
	return out
}

// add512 adds v to the 512-bit little-endian number x with a full carry
// chain (RFC 6986 §8.2, step 3: N = N [+]_512 512).
func add512(x *[8]uint64, v uint64) {
	var c uint64
	x[0], c = bits.Add64(x[0], v, 0)
	for i := 1; i < 8 && c != 0; i++ {
		x[i], c = bits.Add64(x[i], 0, c)
	}
}

// addBlock512 computes x = x + m mod 2^512 (RFC 6986 §8.2, step 4).
func addBlock512(x, m *[8]uint64) {
	var c uint64
	x[0], c = bits.Add64(x[0], m[0], 0)
	x[1], c = bits.Add64(x[1], m[1], c)
	x[2], c = bits.Add64(x[2], m[2], c)
	x[3], c = bits.Add64(x[3], m[3], c)
	x[4], c = bits.Add64(x[4], m[4], c)
	x[5], c = bits.Add64(x[5], m[5], c)
	x[6], c = bits.Add64(x[6], m[6], c)
	x[7], _ = bits.Add64(x[7], m[7], c)
}

// blocksGeneric runs stage 2 of RFC 6986 §8 over the whole 64-byte blocks
// of p: h = g_N(h, m); N = N + 512; Σ = Σ + m.
func blocksGeneric(h, n, sigma *[8]uint64, p []byte) {
	var m [8]uint64
	for len(p) >= BlockSize {
		for i := range m {
			m[i] = binary.LittleEndian.Uint64(p[8*i:])
		}
		compressGeneric(h, n, &m)
		add512(n, 512)
		addBlock512(sigma, &m)
		p = p[BlockSize:]
	}
}

const (
	magic256 = "streebog256\x01"
	magic512 = "streebog512\x01"
	// marshaledSize is magic, h, N, Σ, the buffered block and its length.
	marshaledSize = len(magic256) + 3*64 + BlockSize + 1
)

var errBadState = errors.New("streebog: invalid hash state")

// MarshalBinary returns the state of the hash, to be restored with
// UnmarshalBinary by a Digest of the same size.
func (d *Digest) MarshalBinary() ([]byte, error) {
	return d.AppendBinary(make([]byte, 0, marshaledSize))
}

// AppendBinary appends the state of the hash to b.
func (d *Digest) AppendBinary(b []byte) ([]byte, error) {
	if d.size == Size256 {
		b = append(b, magic256...)
	} else {
		b = append(b, magic512...)
	}
	for _, x := range [...]*[8]uint64{&d.h, &d.n, &d.sigma} {
		for _, w := range x {
			b = binary.LittleEndian.AppendUint64(b, w)
		}
	}
	b = append(b, d.buf[:]...)
	return append(b, byte(d.nbuf)), nil
}

// UnmarshalBinary restores a state written by MarshalBinary or
// AppendBinary. The state must come from a Digest of the same size.
func (d *Digest) UnmarshalBinary(b []byte) error {
	magic := magic512
	if d.size == Size256 {
		magic = magic256
	}
	if len(b) != marshaledSize || string(b[:len(magic)]) != magic {
		return errBadState
	}
	b = b[len(magic):]
	for _, x := range [...]*[8]uint64{&d.h, &d.n, &d.sigma} {
		for i := range x {
			x[i] = binary.LittleEndian.Uint64(b)
			b = b[8:]
		}
	}
	copy(d.buf[:], b)
	nbuf := int(b[BlockSize])
	if nbuf >= BlockSize {
		return errBadState
	}
	d.nbuf = nbuf
	return nil
}
