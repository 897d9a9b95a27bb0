// Package gosthash maps GOST hash OIDs and GOST R 34.10 key algorithms to
// hash implementations: Streebog-256 and Streebog-512 (GOST R 34.11-2012,
// RFC 6986) and GOST R 34.11-94 with the CryptoPro S-box (RFC 4357 §11.2,
// 1.2.643.2.2.30.1), the only parameter set production signatures use.
//
// It is the one place that decides which hash goes with which key
// (RFC 9215 §2: a GOST R 34.10-2012 signature "MUST always be used with the
// GOST R 34.11-2012 hash" of the key's size; RFC 4491 §2.2.2: a GOST R
// 34.10-2001 signature uses GOST R 34.11-94), so cert, cms, xmldsig and crl
// agree on it.
package gosthash

import (
	"encoding/asn1"
	"hash"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/gostsig/gost341194"
	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/internal/oid"
)

func new94() hash.Hash { return gost341194.New() }

// ByOID returns the hash named by a digest-algorithm OID: id-tc26-gost3411-12-256
// (1.2.643.7.1.1.2.2), id-tc26-gost3411-12-512 (1.2.643.7.1.1.2.3) or
// id-GostR3411-94 (1.2.643.2.2.9, CryptoPro S-box). ok is false for any
// other OID.
func ByOID(id asn1.ObjectIdentifier) (newHash func() hash.Hash, size int, ok bool) {
	switch {
	case id.Equal(oid.Streebog256):
		return streebog.New256, streebog.Size256, true
	case id.Equal(oid.Streebog512):
		return streebog.New512, streebog.Size512, true
	case id.Equal(oid.GostR3411_94):
		return new94, gost341194.Size, true
	}
	return nil, 0, false
}

// ForAlgorithm returns the OID, constructor and size of the hash that keys of
// algorithm a must sign with. ok is false for an unknown algorithm.
func ForAlgorithm(a gost3410.Algorithm) (hashOID asn1.ObjectIdentifier, newHash func() hash.Hash, size int, ok bool) {
	switch a {
	case gost3410.GOST2012_256:
		return oid.Streebog256, streebog.New256, streebog.Size256, true
	case gost3410.GOST2012_512:
		return oid.Streebog512, streebog.New512, streebog.Size512, true
	case gost3410.GOST2001:
		return oid.GostR3411_94, new94, gost341194.Size, true
	}
	return nil, nil, 0, false
}

// KeyAlgorithm is the inverse of ForAlgorithm: the GOST R 34.10 algorithm
// whose keys sign with the hash named by hashOID (see ByOID). ok is false
// for any other OID.
func KeyAlgorithm(hashOID asn1.ObjectIdentifier) (a gost3410.Algorithm, ok bool) {
	for _, a := range [...]gost3410.Algorithm{gost3410.GOST2012_256, gost3410.GOST2012_512, gost3410.GOST2001} {
		if h, _, _, _ := ForAlgorithm(a); h.Equal(hashOID) {
			return a, true
		}
	}
	return 0, false
}

// ForKey returns the hash that pub must sign with (see ForAlgorithm). ok is
// false for a nil key.
func ForKey(pub *gost3410.PublicKey) (hashOID asn1.ObjectIdentifier, newHash func() hash.Hash, size int, ok bool) {
	if pub == nil {
		return nil, nil, 0, false
	}
	return ForAlgorithm(pub.Algorithm())
}

// Sum hashes data with the hash that keys of algorithm a use and appends
// the digest to dst. For Streebog it does not allocate when dst has room.
func Sum(a gost3410.Algorithm, dst, data []byte) ([]byte, bool) {
	switch a {
	case gost3410.GOST2012_256:
		d := streebog.Sum256(data)
		return append(dst, d[:]...), true
	case gost3410.GOST2012_512:
		d := streebog.Sum512(data)
		return append(dst, d[:]...), true
	case gost3410.GOST2001:
		d := gost341194.Sum(data)
		return append(dst, d[:]...), true
	}
	return dst, false
}

// AppendSum appends to dst the hash that keys of algorithm a use, of the
// concatenation of parts, without copying them (the CMS signed attributes
// are hashed as a 0x31 tag and the received bytes after the [0] tag). For
// Streebog it does not allocate when dst has room.
func AppendSum(a gost3410.Algorithm, dst []byte, parts ...[]byte) ([]byte, bool) {
	switch a {
	case gost3410.GOST2012_256:
		h := streebog.New256()
		for _, p := range parts {
			h.Write(p)
		}
		return h.Sum(dst), true
	case gost3410.GOST2012_512:
		h := streebog.New512()
		for _, p := range parts {
			h.Write(p)
		}
		return h.Sum(dst), true
	case gost3410.GOST2001:
		h := gost341194.New()
		for _, p := range parts {
			h.Write(p)
		}
		return h.Sum(dst), true
	}
	return dst, false
}
