package gost3410

import (
	"encoding/asn1"
	"math/big"
	"strings"

	"gostsig.dev/internal/oid"
)

// A Curve is one GOST R 34.10 elliptic curve. There is exactly one *Curve
// per distinct curve: parameter sets that the RFCs define as aliases of each
// other (CryptoPro-A = XchA = tc26-256-B; CryptoPro-B = tc26-256-C;
// CryptoPro-C = XchB = tc26-256-D) resolve to the same object, so curves can
// be compared with ==.
//
// Curves are obtained with [CurveByOID] or [CurveByName] (or from a parsed
// [PublicKey]); the zero value is not usable.
type Curve struct {
	// Name is the canonical ASN.1 name of the curve's first parameter-set
	// OID, such as "id-GostR3410-2001-CryptoPro-A-ParamSet".
	Name string

	short string // short name used in tables and benchmarks: "CryptoPro-A"
	oids  []asn1.ObjectIdentifier
	names []string // every accepted name, canonical first
	test  bool
	size  int // bytes per coordinate and per scalar: 32 or 64
	hex   *hexParams
	p     CurveParams // parsed from hex, never modified after init
	impl  fastVerifier
}

// CurveParams are the domain parameters of a [Curve] as big integers.
//
// The Weierstrass form y² = x³ + a·x + b (mod p) is given for every curve;
// signatures, public keys and r = x mod q are always defined in it. For the
// two twisted Edwards sets (tc26-256-A, tc26-512-C; RFC 7836 §5.2) E, D, U,
// V, S and T are also set: e·u² + v² = 1 + d·u²·v², base point (U, V), and
// x = s·(1+v)/(1−v) + t, y = s·(1+v)/((1−v)·u) with s = (e−d)/4,
// t = (e+d)/6 mod p. They are nil for the other curves.
type CurveParams struct {
	P, A, B  *big.Int // field prime and Weierstrass coefficients
	Q        *big.Int // prime order of the base point subgroup
	X, Y     *big.Int // base point, Weierstrass affine coordinates
	Cofactor *big.Int // group order m = Cofactor·Q (1 or 4)

	E, D, U, V, S, T *big.Int // twisted Edwards form; nil if not given
}

// Name returns c.Name; it makes *Curve a fmt.Stringer.
func (c *Curve) String() string { return c.Name }

// ShortName returns a short name for tables and logs, such as
// "CryptoPro-A", "tc26-256-A" or "tc26-512-C".
func (c *Curve) ShortName() string { return c.short }

// OID returns the curve's primary parameter-set OID (the first of OIDs).
func (c *Curve) OID() asn1.ObjectIdentifier { return append(asn1.ObjectIdentifier(nil), c.oids[0]...) }

// OIDs returns every parameter-set OID that denotes this curve, the primary
// one first. The caller may modify the returned slice.
func (c *Curve) OIDs() []asn1.ObjectIdentifier {
	out := make([]asn1.ObjectIdentifier, len(c.oids))
	for i, o := range c.oids {
		out[i] = append(asn1.ObjectIdentifier(nil), o...)
	}
	return out
}

// IsTest reports whether c is one of the two test parameter sets
// (id-GostR3410-2001-TestParamSet, id-tc26-gost-3410-2012-512-paramSetTest).
// They work like any other curve here, but RFC 9215 §4.2 says they "MUST NOT
// be used outside of testing": callers reject them in production.
func (c *Curve) IsTest() bool { return c.test }

// PointSize returns the size in bytes of one coordinate, of a scalar and of
// a digest for this curve: 32 for the 256-bit curves, 64 for the 512-bit
// ones. Public keys are 2·PointSize bytes, signatures 2·PointSize bytes.
func (c *Curve) PointSize() int { return c.size }

// IsEdwards reports whether the curve also has a twisted Edwards form
// (tc26-256-A and tc26-512-C), and thus cofactor 4.
func (c *Curve) IsEdwards() bool { return c.p.D != nil }

// Params returns a fresh copy of the curve's domain parameters; the caller
// may modify it.
func (c *Curve) Params() *CurveParams {
	cp := func(x *big.Int) *big.Int {
		if x == nil {
			return nil
		}
		return new(big.Int).Set(x)
	}
	p := &c.p
	return &CurveParams{
		P: cp(p.P), A: cp(p.A), B: cp(p.B), Q: cp(p.Q), X: cp(p.X), Y: cp(p.Y),
		Cofactor: cp(p.Cofactor),
		E:        cp(p.E), D: cp(p.D), U: cp(p.U), V: cp(p.V), S: cp(p.S), T: cp(p.T),
	}
}

var (
	curveTest256 = &Curve{
		short: "test-256", test: true, size: 32, hex: &hexTest256,
		oids:  []asn1.ObjectIdentifier{oid.CryptoProTest},
		names: []string{"id-GostR3410-2001-TestParamSet", "test-256"},
	}
	curveCryptoProA = &Curve{
		short: "CryptoPro-A", size: 32, hex: &hexCryptoProA,
		oids: []asn1.ObjectIdentifier{oid.CryptoProA, oid.CryptoProXchA, oid.TC26_256B},
		names: []string{
			"id-GostR3410-2001-CryptoPro-A-ParamSet", "CryptoPro-A",
			"id-GostR3410-2001-CryptoPro-XchA-ParamSet", "CryptoPro-XchA", "XchA",
			"id-tc26-gost-3410-2012-256-paramSetB", "id-tc26-gost-3410-12-256-paramSetB", "tc26-256-B",
		},
	}
	curveCryptoProB = &Curve{
		short: "CryptoPro-B", size: 32, hex: &hexCryptoProB,
		oids: []asn1.ObjectIdentifier{oid.CryptoProB, oid.TC26_256C},
		names: []string{
			"id-GostR3410-2001-CryptoPro-B-ParamSet", "CryptoPro-B",
			"id-tc26-gost-3410-2012-256-paramSetC", "id-tc26-gost-3410-12-256-paramSetC", "tc26-256-C",
		},
	}
	curveCryptoProC = &Curve{
		short: "CryptoPro-C", size: 32, hex: &hexCryptoProC,
		oids: []asn1.ObjectIdentifier{oid.CryptoProC, oid.CryptoProXchB, oid.TC26_256D},
		names: []string{
			"id-GostR3410-2001-CryptoPro-C-ParamSet", "CryptoPro-C",
			"id-GostR3410-2001-CryptoPro-XchB-ParamSet", "CryptoPro-XchB", "XchB",
			"id-tc26-gost-3410-2012-256-paramSetD", "id-tc26-gost-3410-12-256-paramSetD", "tc26-256-D",
		},
	}
	curveTC26256A = &Curve{
		short: "tc26-256-A", size: 32, hex: &hexTC26256A,
		oids: []asn1.ObjectIdentifier{oid.TC26_256A},
		names: []string{
			"id-tc26-gost-3410-2012-256-paramSetA", "id-tc26-gost-3410-12-256-paramSetA", "tc26-256-A",
		},
	}
	curveTest512 = &Curve{
		short: "test-512", test: true, size: 64, hex: &hexTest512,
		oids: []asn1.ObjectIdentifier{oid.TC26_512Test},
		names: []string{
			"id-tc26-gost-3410-2012-512-paramSetTest", "id-tc26-gost-3410-12-512-paramSetTest",
			"tc26-512-Test", "test-512",
		},
	}
	curveTC26512A = &Curve{
		short: "tc26-512-A", size: 64, hex: &hexTC26512A,
		oids: []asn1.ObjectIdentifier{oid.TC26_512A},
		names: []string{
			"id-tc26-gost-3410-12-512-paramSetA", "id-tc26-gost-3410-2012-512-paramSetA", "tc26-512-A",
		},
	}
	curveTC26512B = &Curve{
		short: "tc26-512-B", size: 64, hex: &hexTC26512B,
		oids: []asn1.ObjectIdentifier{oid.TC26_512B},
		names: []string{
			"id-tc26-gost-3410-12-512-paramSetB", "id-tc26-gost-3410-2012-512-paramSetB", "tc26-512-B",
		},
	}
	curveTC26512C = &Curve{
		short: "tc26-512-C", size: 64, hex: &hexTC26512C,
		oids: []asn1.ObjectIdentifier{oid.TC26_512C},
		names: []string{
			"id-tc26-gost-3410-2012-512-paramSetC", "id-tc26-gost-3410-12-512-paramSetC", "tc26-512-C",
		},
	}

	// allCurves lists every distinct curve, production curves first.
	allCurves = []*Curve{
		curveCryptoProA, curveCryptoProB, curveCryptoProC, curveTC26256A,
		curveTC26512A, curveTC26512B, curveTC26512C,
		curveTest256, curveTest512,
	}
)

func init() {
	for _, c := range allCurves {
		c.Name = c.names[0]
		c.p = parseHexParams(c.hex)
		c.impl = newVerifier(c)
	}
}

// Curves returns every supported curve, one entry per distinct curve:
// the seven production curves first, then the two test curves.
func Curves() []*Curve { return append([]*Curve(nil), allCurves...) }

// CurveByOID returns the curve for a publicKeyParamSet OID, or nil if the
// OID names no GOST R 34.10 curve.
func CurveByOID(id asn1.ObjectIdentifier) *Curve {
	for _, c := range allCurves {
		for _, o := range c.oids {
			if o.Equal(id) {
				return c
			}
		}
	}
	return nil
}

// CurveByName returns the curve with the given name, or nil. Both the ASN.1
// names ("id-tc26-gost-3410-12-512-paramSetA", with "-12-" or "-2012-") and
// the short names ("tc26-512-A", "CryptoPro-A", "XchB", "test-256") are
// accepted, ignoring case.
func CurveByName(name string) *Curve {
	for _, c := range allCurves {
		for _, n := range c.names {
			if strings.EqualFold(n, name) {
				return c
			}
		}
	}
	return nil
}

func parseHexParams(h *hexParams) CurveParams {
	n := func(s string) *big.Int {
		if s == "" {
			return nil
		}
		v, ok := new(big.Int).SetString(s, 16)
		if !ok {
			panic("gost3410: bad curve constant " + s)
		}
		return v
	}
	p := CurveParams{
		P: n(h.p), A: n(h.a), B: n(h.b), Q: n(h.q), X: n(h.x), Y: n(h.y),
		Cofactor: big.NewInt(h.cofactor),
		E:        n(h.e), D: n(h.d), U: n(h.u), V: n(h.v),
	}
	if p.D != nil {
		// RFC 7836 §5.2: s = (e − d)/4, t = (e + d)/6 (mod p).
		mod := p.P
		p.S = new(big.Int).Sub(p.E, p.D)
		p.S.Mul(p.S, new(big.Int).ModInverse(big.NewInt(4), mod)).Mod(p.S, mod)
		p.T = new(big.Int).Add(p.E, p.D)
		p.T.Mul(p.T, new(big.Int).ModInverse(big.NewInt(6), mod)).Mod(p.T, mod)
	}
	return p
}
