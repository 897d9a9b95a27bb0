package gosthash

import (
	"bytes"
	"encoding/asn1"
	"encoding/hex"
	"testing"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
)

func TestByOID(t *testing.T) {
	// RFC 6986 §10.1 example 1 (M1), digests in wire order (the RFC prints
	// them reversed, gost-vectors.md). GOST R 34.11-94 is only checked for
	// length here; its vectors live in gostsig/gost341194.
	msg := []byte("012345678901234567890123456789012345678901234567890123456789012")
	tests := []struct {
		id   asn1.ObjectIdentifier
		size int
		want string
	}{
		{oid.Streebog256, 32, "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500"},
		{oid.Streebog512, 64, "1b54d01a4af5b9d5cc3d86d68d285462b19abc2475222f35c085122be4ba1ffa00ad30f8767b3a82384c6574f024c311e2a481332b08ef7f41797891c1646f48"},
		{oid.GostR3411_94, 32, ""},
	}
	for _, tc := range tests {
		newHash, size, ok := ByOID(tc.id)
		if !ok || size != tc.size {
			t.Fatalf("%s: ok=%v size=%d", tc.id, ok, size)
		}
		h := newHash()
		h.Write(msg)
		got := h.Sum(nil)
		if len(got) != size {
			t.Fatalf("%s: %d-byte digest", tc.id, len(got))
		}
		if tc.want != "" && hex.EncodeToString(got) != tc.want {
			t.Errorf("%s: %x", tc.id, got)
		}
	}
	for _, bad := range []asn1.ObjectIdentifier{oid.SHA256, oid.SHA1, oid.Gost2012Key256, nil} {
		if _, _, ok := ByOID(bad); ok {
			t.Errorf("%s accepted", bad)
		}
	}
}

func TestForAlgorithmAndSum(t *testing.T) {
	data := bytes.Repeat([]byte("gost"), 100)
	for _, tc := range []struct {
		alg  gost3410.Algorithm
		hash asn1.ObjectIdentifier
	}{
		{gost3410.GOST2012_256, oid.Streebog256},
		{gost3410.GOST2012_512, oid.Streebog512},
		{gost3410.GOST2001, oid.GostR3411_94},
	} {
		id, newHash, size, ok := ForAlgorithm(tc.alg)
		if !ok || !id.Equal(tc.hash) {
			t.Fatalf("%v: %s %v", tc.alg, id, ok)
		}
		h := newHash()
		h.Write(data)
		want := h.Sum(nil)
		got, ok := Sum(tc.alg, []byte{0xAA}, data)
		if !ok || got[0] != 0xAA || !bytes.Equal(got[1:], want) || len(want) != size {
			t.Errorf("%v: Sum = %x, want AA%x", tc.alg, got, want)
		}
	}
	if _, _, _, ok := ForAlgorithm(0); ok {
		t.Error("algorithm 0 accepted")
	}
	if _, ok := Sum(0, nil, data); ok {
		t.Error("Sum with algorithm 0")
	}
	if _, _, _, ok := ForKey(nil); ok {
		t.Error("nil key accepted")
	}
}

func TestSumAllocs(t *testing.T) {
	data := make([]byte, 1000)
	buf := make([]byte, 0, 64)
	for _, alg := range []gost3410.Algorithm{gost3410.GOST2012_256, gost3410.GOST2012_512} {
		if n := testing.AllocsPerRun(10, func() { Sum(alg, buf, data) }); n != 0 {
			t.Errorf("%v: %v allocs", alg, n)
		}
	}
}

// TestAppendSum: AppendSum of parts is Sum of their concatenation, for
// every algorithm and every split, and allocates nothing for Streebog.
func TestAppendSum(t *testing.T) {
	data := make([]byte, 300)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for _, alg := range []gost3410.Algorithm{gost3410.GOST2012_256, gost3410.GOST2012_512, gost3410.GOST2001} {
		want, _ := Sum(alg, []byte{0xee}, data)
		for _, cut := range []int{0, 1, 63, 64, 65, 200, 300} {
			got, ok := AppendSum(alg, []byte{0xee}, data[:cut], nil, data[cut:])
			if !ok || !bytes.Equal(got, want) {
				t.Fatalf("%v cut %d: %x, want %x", alg, cut, got, want)
			}
		}
	}
	if _, ok := AppendSum(0, nil, data); ok {
		t.Error("AppendSum with algorithm 0")
	}
	buf := make([]byte, 0, 64)
	tag := []byte{0x31}
	for _, alg := range []gost3410.Algorithm{gost3410.GOST2012_256, gost3410.GOST2012_512} {
		if n := testing.AllocsPerRun(10, func() { AppendSum(alg, buf, tag, data) }); n != 0 {
			t.Errorf("%v: %v allocs", alg, n)
		}
	}
}

func TestKeyAlgorithm(t *testing.T) {
	for _, a := range []gost3410.Algorithm{gost3410.GOST2012_256, gost3410.GOST2012_512, gost3410.GOST2001} {
		h, _, _, _ := ForAlgorithm(a)
		if got, ok := KeyAlgorithm(h); !ok || got != a {
			t.Errorf("KeyAlgorithm(%v) = %v, %v; want %v", h, got, ok, a)
		}
	}
	for _, h := range []asn1.ObjectIdentifier{oid.SHA256, oid.Gost2012Key256, nil} {
		if _, ok := KeyAlgorithm(h); ok {
			t.Errorf("KeyAlgorithm(%v) accepted", h)
		}
	}
}
