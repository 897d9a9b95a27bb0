package gost3410

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/oid"
)

// spkiSpec describes a SubjectPublicKeyInfo to build.
type spkiSpec struct {
	alg      asn1.ObjectIdentifier
	params   []asn1.ObjectIdentifier // nil: parameters absent
	null     bool                    // NULL parameters
	rawBits  []byte                  // BIT STRING content; nil: OCTET STRING of point
	unused   byte                    // unused bits in rawBits
	point    []byte
	trailing bool
}

func (s spkiSpec) der(t testing.TB) []byte {
	t.Helper()
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(s.alg)
			switch {
			case s.null:
				b.AddASN1NULL()
			case s.params != nil:
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					for _, o := range s.params {
						b.AddASN1ObjectIdentifier(o)
					}
				})
			}
		})
		b.AddASN1(cbasn1.BIT_STRING, func(b *cryptobyte.Builder) {
			if s.rawBits != nil {
				b.AddUint8(s.unused)
				b.AddBytes(s.rawBits)
				return
			}
			b.AddUint8(0)
			b.AddASN1OctetString(s.point)
		})
	})
	der, err := b.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if s.trailing {
		der = append(der, 0)
	}
	return der
}

// rfc7091Key is the RFC 7091 §7.1 public key, LE(x) || LE(y).
func rfc7091Key(t testing.TB) []byte {
	return mustHex(t, `
		0bd86fe5d8db89668f789b4e1dba8585c5508b45ec5b59d8906ddb70e2492b7f
		da77ff871a10fbdf2766d293c5d164afbb3c7b973a41c885d11d70d689b4f126`)
}

func TestParsePublicKey(t *testing.T) {
	key := rfc7091Key(t)
	_, pub512 := testKey(t, newDetRand(1), curveTC26512A)
	key512 := pub512.Bytes()
	_, pubA := testKey(t, newDetRand(2), curveCryptoProA)
	keyA := pubA.Bytes()

	offCurve := append([]byte(nil), keyA...)
	offCurve[40] ^= 1

	tests := []struct {
		name    string
		spec    spkiSpec
		wantErr error
		curve   *Curve
		digest  asn1.ObjectIdentifier
	}{
		{"2012-256 test curve + digest", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProTest, oid.Streebog256}, point: key}, nil, curveTest256, oid.Streebog256},
		{"2012-256 CryptoPro-A", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProA, oid.Streebog256}, point: keyA}, nil, curveCryptoProA, oid.Streebog256},
		{"2012-256 XchA alias", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProXchA}, point: keyA}, nil, curveCryptoProA, nil},
		{"2012-256 tc26-B alias", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.TC26_256B}, point: keyA}, nil, curveCryptoProA, nil},
		{"2001 with 3 params", spkiSpec{alg: oid.GostR3410_2001, params: []asn1.ObjectIdentifier{oid.CryptoProA, oid.GostR3411_94CryptoProParam, {1, 2, 643, 2, 2, 31, 1}}, point: keyA}, nil, curveCryptoProA, oid.GostR3411_94CryptoProParam},
		{"2012-512", spkiSpec{alg: oid.Gost2012Key512, params: []asn1.ObjectIdentifier{oid.TC26_512A}, point: key512}, nil, curveTC26512A, nil},
		{"params absent", spkiSpec{alg: oid.GostR3410_2001, point: keyA}, ErrMissingParameters, nil, nil},
		{"params NULL", spkiSpec{alg: oid.Gost2012Key256, null: true, point: keyA}, ErrMissingParameters, nil, nil},
		{"RSA key", spkiSpec{alg: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}, null: true, point: keyA}, ErrUnsupportedAlgorithm, nil, nil},
		{"GOST 94 key", spkiSpec{alg: oid.GostR3410_94, params: []asn1.ObjectIdentifier{oid.CryptoProA}, point: keyA}, ErrUnsupportedAlgorithm, nil, nil},
		{"unknown curve", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{{1, 2, 643, 2, 2, 35, 9}}, point: keyA}, ErrUnknownCurve, nil, nil},
		{"512 alg on 256 curve", spkiSpec{alg: oid.Gost2012Key512, params: []asn1.ObjectIdentifier{oid.CryptoProA}, point: keyA}, ErrCurveMismatch, nil, nil},
		{"256 alg on 512 curve", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.TC26_512A}, point: key512}, ErrCurveMismatch, nil, nil},
		{"short point", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProA}, point: keyA[:63]}, ErrLength, nil, nil},
		{"long point", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProA}, point: append(append([]byte(nil), keyA...), 0)}, ErrLength, nil, nil},
		{"512 key in 256 alg", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProA}, point: key512}, ErrLength, nil, nil},
		{"raw point, no OCTET STRING", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProA}, rawBits: keyA}, ErrMalformedKey, nil, nil},
		{"trailing data", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProA}, point: keyA, trailing: true}, ErrMalformedKey, nil, nil},
		{"extra param", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProA, oid.Streebog256, oid.Streebog512}, point: keyA}, ErrMalformedKey, nil, nil},
		{"off curve", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProA}, point: offCurve}, ErrPointNotOnCurve, nil, nil},
		{"identity", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProA}, point: make([]byte, 64)}, ErrIdentity, nil, nil},
		{"x = p", spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProA}, point: append(intToLE(curveCryptoProA.p.P, 32), keyA[32:]...)}, ErrPointNotOnCurve, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pub, err := ParsePublicKey(tt.spec.der(t))
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				if pub != nil {
					t.Fatal("non-nil key with error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if pub.Curve() != tt.curve {
				t.Errorf("curve %v, want %v", pub.Curve(), tt.curve)
			}
			if !pub.ParamSet().Equal(tt.spec.params[0]) {
				t.Errorf("ParamSet %v", pub.ParamSet())
			}
			if !pub.DigestParamSet().Equal(tt.digest) {
				t.Errorf("DigestParamSet %v, want %v", pub.DigestParamSet(), tt.digest)
			}
			if !bytes.Equal(pub.Bytes(), tt.spec.point) {
				t.Error("Bytes differ from the encoded point")
			}
			if !pub.Algorithm().OID().Equal(tt.spec.alg) {
				t.Errorf("Algorithm %v", pub.Algorithm())
			}
		})
	}
}

func TestParsePublicKeyInherit(t *testing.T) {
	_, issuer := testKey(t, newDetRand(3), curveCryptoProB)
	issuerSPKI := spkiSpec{alg: oid.GostR3410_2001, params: []asn1.ObjectIdentifier{oid.TC26_256C, oid.GostR3411_94CryptoProParam}, point: issuer.Bytes()}
	issuer, err := ParsePublicKey(issuerSPKI.der(t))
	if err != nil {
		t.Fatal(err)
	}
	_, leaf := testKey(t, newDetRand(4), curveCryptoProB)
	spki := spkiSpec{alg: oid.GostR3410_2001, point: leaf.Bytes()}.der(t)

	if _, err := ParsePublicKey(spki); !errors.Is(err, ErrMissingParameters) {
		t.Fatalf("ParsePublicKey: %v", err)
	}
	if _, err := ParsePublicKeyInherit(spki, nil); !errors.Is(err, ErrMissingParameters) {
		t.Fatalf("ParsePublicKeyInherit(nil issuer): %v", err)
	}
	got, err := ParsePublicKeyInherit(spki, issuer)
	if err != nil {
		t.Fatal(err)
	}
	if got.Curve() != curveCryptoProB || !got.ParamSet().Equal(oid.TC26_256C) || !got.DigestParamSet().Equal(oid.GostR3411_94CryptoProParam) {
		t.Errorf("inherited %v %v %v", got.Curve(), got.ParamSet(), got.DigestParamSet())
	}
	if got.Equal(leaf) {
		t.Error("a GOST2001 key equals a GOST2012_256 key with the same point")
	}
	if same, _ := NewPublicKey(GOST2001, curveCryptoProB, leaf.Bytes()); !got.Equal(same) {
		t.Error("Equal is false for the same key")
	}
	// Own parameters win over the issuer's.
	own := spkiSpec{alg: oid.Gost2012Key256, params: []asn1.ObjectIdentifier{oid.CryptoProB}, point: leaf.Bytes()}.der(t)
	_, issuerA := testKey(t, newDetRand(5), curveCryptoProA)
	if got, err := ParsePublicKeyInherit(own, issuerA); err != nil || got.Curve() != curveCryptoProB {
		t.Errorf("own parameters: %v %v", got, err)
	}
	// A 512-bit issuer cannot lend its curve to a 2001 key.
	_, issuer512 := testKey(t, newDetRand(6), curveTC26512A)
	if _, err := ParsePublicKeyInherit(spki, issuer512); !errors.Is(err, ErrCurveMismatch) {
		t.Errorf("512-bit issuer: %v", err)
	}
	// A key that is on a different curve than the issuer's fails as off-curve.
	_, other := testKey(t, newDetRand(7), curveCryptoProC)
	if _, err := ParsePublicKeyInherit(spkiSpec{alg: oid.GostR3410_2001, point: other.Bytes()}.der(t), issuer); !errors.Is(err, ErrPointNotOnCurve) {
		t.Errorf("key from another curve: %v", err)
	}
}

// RFC 4491 §2.3.2: some applications drop trailing zero bits of the
// BIT STRING holding the key. Find keys whose encoding ends in zero bytes
// and check the exact truncation rule.
func TestParsePublicKeyTruncated(t *testing.T) {
	rnd := newDetRand(8)
	var pub *PublicKey
	for i := 0; ; i++ {
		_, pub = testKey(t, rnd, curveCryptoProA)
		if pub.raw[63] == 0 {
			break
		}
		if i > 5000 {
			t.Fatal("no key with a zero top byte of y")
		}
	}
	raw := pub.Bytes()
	end := 63
	for raw[end] == 0 {
		end--
	}
	// Drop the zero bytes and the zero low bits of the last kept byte.
	kept := append([]byte{0x04, 0x40}, raw[:end+1]...)
	var unused byte
	for unused < 7 && kept[len(kept)-1]&(1<<unused) == 0 {
		unused++
	}
	params := []asn1.ObjectIdentifier{oid.CryptoProA, oid.GostR3411_94CryptoProParam}
	spec := spkiSpec{alg: oid.GostR3410_2001, params: params, rawBits: kept, unused: unused}
	got, err := ParsePublicKey(spec.der(t))
	if err != nil {
		t.Fatalf("truncated 2001 key: %v", err)
	}
	if got.Algorithm() != GOST2001 || !bytes.Equal(got.Bytes(), raw) {
		t.Fatal("truncated key decoded to a different point")
	}
	// 2012 keys must be exact.
	spec.alg = oid.Gost2012Key256
	if _, err := ParsePublicKey(spec.der(t)); !errors.Is(err, ErrMalformedKey) {
		t.Fatalf("truncated 2012 key: %v", err)
	}
	// A broken header is never repaired.
	spec.alg = oid.GostR3410_2001
	spec.rawBits = append([]byte{0x04, 0x3f}, raw[:end+1]...)
	spec.unused = 0
	if _, err := ParsePublicKey(spec.der(t)); err == nil {
		t.Fatal("accepted a wrong OCTET STRING header")
	}
	// Non-zero unused bits are not DER.
	spec.rawBits = append([]byte{0x04, 0x40}, raw[:end+1]...)
	spec.rawBits[len(spec.rawBits)-1] |= 1
	spec.unused = 1
	if _, err := ParsePublicKey(spec.der(t)); !errors.Is(err, ErrMalformedKey) {
		t.Fatalf("non-zero unused bits: %v", err)
	}
}

func TestNewPublicKeyErrors(t *testing.T) {
	_, pub := testKey(t, newDetRand(9), curveCryptoProA)
	raw := pub.Bytes()
	if _, err := NewPublicKey(0, curveCryptoProA, raw); !errors.Is(err, ErrUnsupportedAlgorithm) {
		t.Error(err)
	}
	if _, err := NewPublicKey(GOST2012_256, nil, raw); !errors.Is(err, ErrUnknownCurve) {
		t.Error(err)
	}
	if _, err := NewPublicKey(GOST2012_512, curveCryptoProA, raw); !errors.Is(err, ErrCurveMismatch) {
		t.Error(err)
	}
	if _, err := NewPublicKey(GOST2012_256, curveCryptoProA, raw[:10]); !errors.Is(err, ErrLength) {
		t.Error(err)
	}
	// NewPublicKey copies its input.
	k, err := NewPublicKey(GOST2001, curveCryptoProA, raw)
	if err != nil {
		t.Fatal(err)
	}
	raw[0] ^= 1
	if bytes.Equal(k.Bytes(), raw) {
		t.Error("key aliases the caller's slice")
	}
	b := k.Bytes()
	b[0] ^= 1
	if bytes.Equal(k.Bytes(), b) {
		t.Error("Bytes aliases the key")
	}
}

// TestKeyValidationAllCurves checks, on every curve, the rejection of
// off-curve points, unreduced coordinates, the identity and (cofactor 4)
// points outside the order-q subgroup.
func TestKeyValidationAllCurves(t *testing.T) {
	testAllCurves(t, func(t *testing.T, c *Curve) {
		n := c.size
		alg := GOST2012_256
		if n == 64 {
			alg = GOST2012_512
		}
		_, pub := testKey(t, newDetRand(10), c)
		raw := pub.Bytes()
		p := &c.p

		check := func(name string, raw []byte, want error) {
			t.Helper()
			if _, err := NewPublicKey(alg, c, raw); !errors.Is(err, want) {
				t.Errorf("%s: err = %v, want %v", name, err, want)
			}
		}
		check("identity", make([]byte, 2*n), ErrIdentity)
		for _, bit := range []int{0, 7, 8*n - 1, 8 * n, 16*n - 9} {
			bad := append([]byte(nil), raw...)
			bad[bit/8] ^= 1 << (bit % 8)
			want := ErrPointNotOnCurve
			check("flipped bit", bad, want)
		}
		// Unreduced coordinates: x + p and y + p when they fit, else p itself.
		px, py := pub.xy()
		for i := 0; i < 2; i++ {
			bad := append([]byte(nil), raw...)
			v := px
			if i == 1 {
				v = py
			}
			w := new(big.Int).Add(v, p.P)
			if w.BitLen() > 8*n {
				w.Set(p.P)
			}
			copy(bad[i*n:], intToLE(w, n))
			check("unreduced", bad, ErrPointNotOnCurve)
		}
		// (x, −y) is a valid key too.
		neg := append([]byte(nil), raw...)
		copy(neg[n:], intToLE(new(big.Int).Sub(p.P, py), n))
		if _, err := NewPublicKey(alg, c, neg); err != nil {
			t.Errorf("−Q rejected: %v", err)
		}
		if !c.IsEdwards() {
			return
		}
		// A random point on the curve is outside the subgroup with
		// probability 3/4.
		rnd := newDetRand(11)
		found := 0
		for found < 4 {
			x := new(big.Int)
			buf := make([]byte, n)
			rnd.Read(buf)
			x.SetBytes(buf).Mod(x, p.P)
			rhs := new(big.Int).Mul(x, x)
			rhs.Add(rhs, p.A).Mul(rhs, x).Add(rhs, p.B).Mod(rhs, p.P)
			y := new(big.Int).ModSqrt(rhs, p.P)
			if y == nil || y.Sign() == 0 {
				continue
			}
			inSub := refScalarMult(p, refPoint{x: x, y: y}, p.Q).inf
			_, err := NewPublicKey(alg, c, append(intToLE(x, n), intToLE(y, n)...))
			if inSub && err != nil {
				t.Fatalf("subgroup point rejected: %v", err)
			}
			if !inSub {
				if !errors.Is(err, ErrNotInSubgroup) {
					t.Fatalf("point outside the subgroup: err = %v", err)
				}
				found++
			}
		}
	})
}

// TestParsePublicKeyAllocs: a key parse is two allocations (the key and
// its curve implementation's form); before OIDs were matched as octets and
// the coordinates compared as bytes it was ten. The shared table OIDs it
// keeps do not leak: the accessors return copies.
func TestParsePublicKeyAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts are checked in the full run")
	}
	for _, c := range allCurves {
		_, pub := testKey(t, newDetRand(43), c)
		spki := spkiSpec{alg: pub.alg.OID(), params: []asn1.ObjectIdentifier{c.oids[0], oid.Streebog256}, point: pub.raw}.der(t)
		if pub.alg == GOST2012_512 {
			spki = spkiSpec{alg: pub.alg.OID(), params: []asn1.ObjectIdentifier{c.oids[0]}, point: pub.raw}.der(t)
		}
		k, err := ParsePublicKey(spki)
		if err != nil {
			t.Fatalf("%v: %v", c, err)
		}
		max := 2.0
		if c.IsEdwards() {
			max = 3 // the subgroup check's scratch
		}
		if n := testing.AllocsPerRun(20, func() { ParsePublicKey(spki) }); n > max {
			t.Errorf("%v: %v allocations per ParsePublicKey, want ≤ %v", c, n, max)
		}
		ps := k.ParamSet()
		ps[len(ps)-1] = 999
		if !k.ParamSet().Equal(c.oids[0]) || c.oids[0][len(c.oids[0])-1] == 999 {
			t.Fatalf("%v: ParamSet shares its storage", c)
		}
		if ds := k.DigestParamSet(); ds != nil {
			ds[0] = 7
			if !k.DigestParamSet().Equal(oid.Streebog256) || oid.Streebog256[0] != 1 {
				t.Fatalf("%v: DigestParamSet shares its storage", c)
			}
		}
	}
}
