package testkit

import (
	"bytes"
	"encoding/asn1"
	"encoding/pem"
	"testing"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
)

var allCurves = []struct {
	name string
	alg  gost3410.Algorithm
	set  asn1.ObjectIdentifier
}{
	{"256-XchA", gost3410.GOST2012_256, oid.CryptoProXchA},
	{"256-A", gost3410.GOST2012_256, oid.CryptoProA},
	{"256-B", gost3410.GOST2012_256, oid.CryptoProB},
	{"256-C", gost3410.GOST2012_256, oid.CryptoProC},
	{"256-XchB", gost3410.GOST2012_256, oid.CryptoProXchB},
	{"tc26-256-A", gost3410.GOST2012_256, oid.TC26_256A},
	{"tc26-256-B", gost3410.GOST2012_256, oid.TC26_256B},
	{"tc26-256-C", gost3410.GOST2012_256, oid.TC26_256C},
	{"tc26-256-D", gost3410.GOST2012_256, oid.TC26_256D},
	{"tc26-512-A", gost3410.GOST2012_512, oid.TC26_512A},
	{"tc26-512-B", gost3410.GOST2012_512, oid.TC26_512B},
	{"tc26-512-C", gost3410.GOST2012_512, oid.TC26_512C},
	{"2001-A", gost3410.GOST2001, oid.CryptoProA},
	{"2001-XchA", gost3410.GOST2001, oid.CryptoProXchA},
}

func TestSignVerifiesOnEveryCurve(t *testing.T) {
	for i, c := range allCurves {
		if testing.Short() && i > 0 {
			break
		}
		t.Run(c.name, func(t *testing.T) {
			k, err := GenerateKey(c.alg, c.set, NewRand(c.name))
			if err != nil {
				t.Fatal(err)
			}
			pub, err := gost3410.ParsePublicKey(k.SPKI())
			if err != nil {
				t.Fatalf("ParsePublicKey(SPKI): %v", err)
			}
			if !pub.Equal(k.Public()) {
				t.Fatal("SPKI key differs from Public()")
			}
			msg := []byte("Контрольный пример")
			h := k.NewHash()
			h.Write(msg)
			digest := h.Sum(nil)
			sig := k.Sign(msg)
			if err := gost3410.CheckSignature(pub, digest, sig); err != nil {
				t.Fatalf("own signature rejected: %v", err)
			}
			if !bytes.Equal(sig, k.Sign(msg)) {
				t.Fatal("signing is not deterministic")
			}
			sig[len(sig)-1] ^= 1
			if gost3410.Verify(pub, digest, sig) {
				t.Fatal("flipped signature accepted")
			}
			k2, _ := GenerateKey(c.alg, c.set, NewRand(c.name))
			if k2.D.Cmp(k.D) != 0 {
				t.Fatal("key generation is not deterministic")
			}
		})
	}
}

func TestZeroDigestSignsWithEOne(t *testing.T) {
	// GOST R 34.10-2012 §6.1 step 2: e = 0 → e = 1. A digest equal to q
	// (little-endian) gives e = 0; the signature must verify as e = 1.
	k := MustKey(gost3410.GOST2012_256, oid.TC26_256B, "zero")
	q := k.Curve.Params().Q
	d := make([]byte, 32)
	putLE(d, q)
	sig := k.SignDigest(d)
	if !gost3410.Verify(k.Public(), d, sig) {
		t.Fatal("signature over e ≡ 0 rejected")
	}
}

func pemBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatal("no PEM block")
	}
	return blk.Bytes
}
