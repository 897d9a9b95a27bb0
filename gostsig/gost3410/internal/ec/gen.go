//go:build ignore

// Run with: go run gen.go gen_asm.go
//
// gen writes zz_<curve>.go for every GOST R 34.10 curve: the point
// arithmetic over that curve's field type, the base-point table, the
// interleaved wNAF double-scalar multiplication and the verification
// routine. The templates below are instantiated by plain token
// replacement, so the generated code is ordinary, monomorphic Go that the
// compiler can inline.
package main

import (
	"fmt"
	"go/format"
	"log"
	"math/big"
	"os"
	"strings"
)

type form int

const (
	weierM3 form = iota // y² = x³ − 3x + b
	weierA              // y² = x³ + ax + b, a generic (the test curves)
	edwards             // e·u² + v² = 1 + d·u²·v², e = 1
)

type curve struct {
	pfx, id, doc string
	fe, sc       string
	limbs        int
	form         form
	wBase, wQ    int
	p, q         string
	a, b         string // Weierstrass
	x, y         string // Weierstrass base point
	d, u, v      string // Edwards
}

var curves = []curve{
	{pfx: "cpa", id: "CryptoProA", doc: "CryptoPro-A (= XchA = tc26-256-B)", fe: "Fe256m617", sc: "ScCPA", limbs: 4, form: weierM3, wBase: 7, wQ: 5,
		p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97", q: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893",
		b: "A6", x: "1", y: "8D91E471E0989CDA27DF505A453F2B7635294F2DDF23E3B122ACC99C9E9F1E14"},
	{pfx: "cpb", id: "CryptoProB", doc: "CryptoPro-B (= tc26-256-C)", fe: "Fe255p3225", sc: "ScCPB", limbs: 4, form: weierM3, wBase: 7, wQ: 5,
		p: "8000000000000000000000000000000000000000000000000000000000000C99", q: "800000000000000000000000000000015F700CFFF1A624E5E497161BCC8A198F",
		b: "3E1AF419A269A5F866A7D3C25C3DF80AE979259373FF2B182F49D4CE7E1BBC8B", x: "1", y: "3FA8124359F96680B83D1C3EB2C070E5C545C9858D03ECFB744BF8D717717EFC"},
	{pfx: "cpc", id: "CryptoProC", doc: "CryptoPro-C (= XchB = tc26-256-D)", fe: "Fe256cpc", sc: "ScCPC", limbs: 4, form: weierM3, wBase: 7, wQ: 5,
		p: "9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D759B", q: "9B9F605F5A858107AB1EC85E6B41C8AA582CA3511EDDFB74F02F3A6598980BB9",
		b: "805A", x: "0", y: "41ECE55743711A8C3CBF3783CD08C0EE4D4DC440D4641A8F366E550DFDB3BB67"},
	{pfx: "t256", id: "Test256", doc: "the GOST R 34.10-2001 test curve", fe: "Fe255p1073", sc: "ScTest256", limbs: 4, form: weierA, wBase: 5, wQ: 5,
		p: "8000000000000000000000000000000000000000000000000000000000000431", q: "8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3",
		a: "7", b: "5FBFF498AA938CE739B8E022FBAFEF40563F6E6A3472FC2A514C0CE9DAE23B7E", x: "2", y: "8E2A8A0E65147D4BD6316030E16D19C85C97F0A9CA267122B96ABBCEA7E8FC8"},
	{pfx: "a256", id: "TC26256A", doc: "tc26-256-A (twisted Edwards, cofactor 4)", fe: "Fe256m617", sc: "Sc256A", limbs: 4, form: edwards, wBase: 7, wQ: 5,
		p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97", q: "400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67",
		a: "C2173F1513981673AF4892C23035A27CE25E2013BF95AA33B22C656F277E7335", b: "295F9BAE7428ED9CCC20E7C359A9D41A22FCCD9108E17BF7BA9337A6F8AE9513",
		d: "605F6B7C183FA81578BC39CFAD518132B9DF62897009AF7E522C32D6DC7BFFB", u: "D", v: "60CA1E32AA475B348488C38FAB07649CE7EF8DBE87F22E81F92B2592DBA300E7"},
	{pfx: "a512", id: "TC26512A", doc: "tc26-512-A", fe: "Fe512m569", sc: "Sc512A", limbs: 8, form: weierM3, wBase: 8, wQ: 6,
		p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7",
		q: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275",
		b: "E8C2505DEDFC86DDC1BD0B2B6667F1DA34B82574761CB0E879BD081CFD0B6265EE3CB090F30D27614CB4574010DA90DD862EF9D4EBEE4761503190785A71C760",
		x: "3", y: "7503CFE87A836AE3A61B8816E25450E6CE5E1C93ACF1ABC1778064FDCBEFA921DF1626BE4FD036E93D75E6A50E3A41E98028FE5FC235F5B889A589CB5215F2A4"},
	{pfx: "b512", id: "TC26512B", doc: "tc26-512-B", fe: "Fe511p111", sc: "Sc512B", limbs: 8, form: weierM3, wBase: 8, wQ: 6,
		p: "8000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006F",
		q: "800000000000000000000000000000000000000000000000000000000000000149A1EC142565A545ACFDB77BD9D40CFA8B996712101BEA0EC6346C54374F25BD",
		b: "687D1B459DC841457E3E06CF6F5E2517B97C7D614AF138BCBF85DC806C4B289F3E965D2DB1416D217F8B276FAD1AB69C50F78BEE1FA3106EFB8CCBC7C5140116",
		x: "2", y: "1A8F7EDA389B094C2C071E3647A8940F3C123B697578C213BE6DD9E6C8EC7335DCB228FD1EDF4A39152CBCAAF8C0398828041055F94CEEEC7E21340780FE41BD"},
	{pfx: "c512", id: "TC26512C", doc: "tc26-512-C (twisted Edwards, cofactor 4)", fe: "Fe512m569", sc: "Sc512C", limbs: 8, form: edwards, wBase: 8, wQ: 6,
		p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7",
		q: "3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC98CDBA46506AB004C33A9FF5147502CC8EDA9E7A769A12694623CEF47F023ED",
		a: "DC9203E514A721875485A529D2C722FB187BC8980EB866644DE41C68E143064546E861C0E2C9EDD92ADE71F46FCF50FF2AD97F951FDA9F2A2EB6546F39689BD3",
		b: "B4C4EE28CEBC6C2C8AC12952CF37F16AC7EFB6A9F69F4B57FFDA2E4F0DE5ADE038CBC2FFF719D2C18DE0284B8BFEF3B52B8CC7A5F5BF0A3C8D2319A5312557E1",
		d: "9E4F5D8C017D8D9F13A5CF3CDF5BFE4DAB402D54198E31EBDE28A0621050439CA6B39E0A515C06B304E2CE43E79E369E91A0CFC2BC2A22B4CA302DBB33EE7550",
		u: "12", v: "469AF79D1FB1F5E16B99592B77A01E2A0FDFB0D01794368D9A56117F7B38669522DD4B650CF789EEBF068C5D139732F0905622C04B2BAAE7600303EE73001A3D"},
	{pfx: "t512", id: "Test512", doc: "the 512-bit test curve", fe: "Fe512test", sc: "ScTest512", limbs: 8, form: weierA, wBase: 5, wQ: 5,
		p: "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DF1D852741AF4704A0458047E80E4546D35B8336FAC224DD81664BBF528BE6373",
		q: "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DA82F2D7ECB1DBAC719905C5EECC423F1D86E25EDBE23C595D644AAF187E6E6DF",
		a: "7", b: "1CFF0806A31116DA29D8CFA54E57EB748BC5F377E49400FDD788B649ECA1AC4361834013B2AD7322480A89CA58E0CF74BC9E540C2ADD6897FAD0A3084F302ADC",
		x: "24D19CC64572EE30F396BF6EBBFD7A6C5213B3B3D7057CC825F91093A68CD762FD60611262CD838DC6B60AA7EEE804E28BC849977FAC33B4B530F1B120248A9A",
		y: "2BB312A43BD2CE6E0D020613C857ACDDCFBF061E91E5F2C3F32447C259F39B2C83AB156D77F1496BF7EB3351E1EE4E43DC1A18B91B24640B6DBB92CB1ADD371E"},
}

// nSplit is the number of rows of a precomputed key's table (PFXPre) and
// of the base point's split table: a verification with a precomputed key
// takes NBITS/nSplit doublings instead of NBITS. Eight rows cut the
// doublings of a 256-bit verify from 256 to 32 for a table of 8·2^(wPre−2)
// points.
const nSplit = 8

// wPre is the wNAF width of a precomputed key's rows: one less than the
// per-call width wQ + 2 used before the split, which keeps the eight rows
// at twice the memory of the old single row (4 KiB for a 256-bit key,
// 16 KiB for a 512-bit one; Edwards points carry d·u·v, 1.5x that).
func (c curve) wPre() int { return c.wQ }

func main() {
	for _, c := range curves {
		var src string
		switch c.form {
		case weierM3, weierA:
			src = weierstrassTemplate
		case edwards:
			src = edwardsTemplate
		}
		src = instantiate(c, header+src+splitTablesTemplate+verifyTemplate)
		out, err := format.Source([]byte(src))
		if err != nil {
			os.WriteFile("zz_"+c.pfx+".go.broken", []byte(src), 0o644)
			log.Fatalf("%s: %v", c.pfx, err)
		}
		if err := os.WriteFile("zz_"+c.pfx+".go", out, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	asm, decl, stubs := genPointAsm(curves)
	if err := os.WriteFile("zz_points_amd64.s", []byte(asm), 0o644); err != nil {
		log.Fatal(err)
	}
	for name, src := range map[string]string{"zz_points_amd64.go": decl, "zz_points_other.go": stubs} {
		out, err := format.Source([]byte(src))
		if err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(name, out, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	var d strings.Builder
	d.WriteString("// Code generated by gen.go. DO NOT EDIT.\n\npackage ec\n\n")
	d.WriteString(dispatchTemplate(curves))
	out, err := format.Source([]byte(d.String()))
	if err != nil {
		os.WriteFile("zz_dispatch.go.broken", []byte(d.String()), 0o644)
		log.Fatal(err)
	}
	if err := os.WriteFile("zz_dispatch.go", out, 0o644); err != nil {
		log.Fatal(err)
	}
}

func limbLit(hex string, n int) string {
	v, ok := new(big.Int).SetString(hex, 16)
	if !ok {
		log.Fatalf("bad hex %q", hex)
	}
	mask := new(big.Int).SetUint64(^uint64(0))
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("%#016x", new(big.Int).And(v, mask).Uint64())
		v.Rsh(v, 64)
	}
	if v.Sign() != 0 {
		log.Fatalf("%s does not fit", hex)
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func instantiate(c curve, src string) string {
	// Conditional blocks, nestable: //IF:cond ... //END
	lines := strings.Split(src, "\n")
	var out []string
	var stack []bool
	keep := true
	for _, l := range lines {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "//IF:"):
			want := strings.TrimPrefix(t, "//IF:")
			var cond bool
			switch want {
			case "M3":
				cond = c.form == weierM3
			case "A":
				cond = c.form == weierA
			case "ASM":
				cond = asmCurve(c)
			default:
				log.Fatalf("bad IF %q", want)
			}
			stack = append(stack, keep)
			keep = keep && cond
			continue
		case t == "//END":
			keep = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			continue
		}
		if keep {
			out = append(out, l)
		}
	}
	if len(stack) != 0 {
		log.Fatal("unbalanced //IF")
	}
	src = strings.Join(out, "\n")
	pBig, _ := new(big.Int).SetString(c.p, 16)
	qBig, _ := new(big.Int).SetString(c.q, 16)
	// Number of candidates r + k·q < p.
	maxK := 0
	if qBig.Cmp(pBig) < 0 {
		maxK = int(new(big.Int).Div(pBig, qBig).Int64())
	}
	point, aff := "PFXJac", "PFXAff"
	if c.form == edwards {
		point, aff = "PFXExt", "PFXAffD"
	}
	src = strings.NewReplacer("PFXPoint", point, "PFXAffT", aff).Replace(src)
	r := strings.NewReplacer(
		"PFX", c.pfx, "CURVEID", c.id, "CURVEDOC", c.doc,
		"FE", "field."+c.fe, "SC", "field."+c.sc,
		"LIMBS", fmt.Sprint(c.limbs), "NBYTES", fmt.Sprint(8*c.limbs), "NBITS1", fmt.Sprint(64*c.limbs+1),
		"WBASE", fmt.Sprint(c.wBase), "NBASE", fmt.Sprint(1<<(c.wBase-2)),
		"WQ", fmt.Sprint(c.wQ), "NQ", fmt.Sprint(1<<(c.wQ-2)),
		"WPRE", fmt.Sprint(c.wPre()), "NPRE", fmt.Sprint(1<<(c.wPre()-2)),
		"NSPLIT", fmt.Sprint(nSplit), "SPLITBITS", fmt.Sprint(64*c.limbs/nSplit),
		"QLIMBS", limbLit(c.q, c.limbs), "PLIMBS", limbLit(c.p, c.limbs), "MAXK", fmt.Sprint(maxK),
		"HEXA", c.a, "HEXB", c.b, "HEXX", c.x, "HEXY", c.y, "HEXD", c.d, "HEXU", c.u, "HEXV", c.v,
	)
	return r.Replace(src)
}

const header = `// Code generated by gen.go. DO NOT EDIT.

package ec

import (
	"math/big"
	"sync"

	"gostsig.dev/gostsig/gost3410/internal/field"
)

// CURVEDOC.

var (
	PFXQ = [LIMBS]uint64QLIMBS // group order q
	PFXP = [LIMBS]uint64PLIMBS // field prime p
)

func PFXfe(hex string) (z FE) {
	v, ok := new(big.Int).SetString(hex, 16)
	if !ok {
		panic("ec: bad constant")
	}
	z.SetBig(v)
	return z
}
`

const weierstrassTemplate = `
// PFXJac is a point in Jacobian coordinates: x = X/Z², y = Y/Z³; Z = 0 is
// the point at infinity.
type PFXJac struct{ x, y, z FE }

// PFXAff is an affine point (never the point at infinity).
type PFXAff struct{ x, y FE }

var (
	PFXb = PFXfe("HEXB")
//IF:A
	PFXa = PFXfe("HEXA")
//END
	PFXbase = PFXAff{PFXfe("HEXX"), PFXfe("HEXY")}
)

func (p *PFXJac) setAff(a *PFXAff) {
	p.x, p.y = a.x, a.y
	p.z.SetOne()
}

// double sets p = 2·q.
//IF:M3
// dbl-2001-b (a = −3): 3M + 5S.
func (p *PFXJac) double(q *PFXJac) {
//IF:ASM
	if field.UsingAssembly() {
		PFXDoubleAsm(p, q)
		return
	}
//END
	var delta, gamma, beta, alpha, t0, t1 FE
	delta.Square(&q.z)
	gamma.Square(&q.y)
	beta.Mul(&q.x, &gamma)
	t0.Sub(&q.x, &delta)
	t1.Add(&q.x, &delta)
	alpha.Mul(&t0, &t1)
	t0.Double(&alpha)
	alpha.Add(&alpha, &t0) // alpha = 3(X − δ)(X + δ)
	// Z3 = (Y + Z)² − γ − δ
	t0.Add(&q.y, &q.z)
	p.z.Square(&t0)
	p.z.Sub(&p.z, &gamma)
	p.z.Sub(&p.z, &delta)
	// X3 = α² − 8β
	beta.Double(&beta)
	beta.Double(&beta) // 4β
	t0.Double(&beta)   // 8β
	p.x.Square(&alpha)
	p.x.Sub(&p.x, &t0)
	// Y3 = α(4β − X3) − 8γ²
	t0.Sub(&beta, &p.x)
	t0.Mul(&t0, &alpha)
	gamma.Square(&gamma)
	gamma.Double(&gamma)
	gamma.Double(&gamma)
	gamma.Double(&gamma)
	p.y.Sub(&t0, &gamma)
}
//END
//IF:A
// dbl-2007-bl (generic a): 1M + 8S + 1·a.
func (p *PFXJac) double(q *PFXJac) {
	var xx, yy, yyyy, zz, s, m, t0 FE
	xx.Square(&q.x)
	yy.Square(&q.y)
	yyyy.Square(&yy)
	zz.Square(&q.z)
	// S = 2((X + YY)² − XX − YYYY)
	s.Add(&q.x, &yy)
	s.Square(&s)
	s.Sub(&s, &xx)
	s.Sub(&s, &yyyy)
	s.Double(&s)
	// M = 3XX + a·ZZ²
	m.Square(&zz)
	m.Mul(&m, &PFXa)
	t0.Double(&xx)
	t0.Add(&t0, &xx)
	m.Add(&m, &t0)
	// Z3 = (Y + Z)² − YY − ZZ (before X, Y are overwritten)
	t0.Add(&q.y, &q.z)
	p.z.Square(&t0)
	p.z.Sub(&p.z, &yy)
	p.z.Sub(&p.z, &zz)
	// X3 = M² − 2S
	t0.Double(&s)
	p.x.Square(&m)
	p.x.Sub(&p.x, &t0)
	// Y3 = M(S − X3) − 8YYYY
	t0.Sub(&s, &p.x)
	t0.Mul(&t0, &m)
	yyyy.Double(&yyyy)
	yyyy.Double(&yyyy)
	yyyy.Double(&yyyy)
	p.y.Sub(&t0, &yyyy)
}
//END

// addMixed sets p = q + a (madd-2007-bl, 7M + 4S), handling q = O,
// q = a and q = −a.
func (p *PFXJac) addMixed(q *PFXJac, a *PFXAff) {
	if q.z.IsZero() {
		p.setAff(a)
		return
	}
//IF:ASM
	if field.UsingAssembly() && !PFXAddMixedAsm(p, q, a) {
		return // otherwise q = ±a: the Go code below handles it
	}
//END
	var z1z1, u2, s2, h, hh, i, j, r, v, t0 FE
	z1z1.Square(&q.z)
	u2.Mul(&a.x, &z1z1)
	s2.Mul(&a.y, &q.z)
	s2.Mul(&s2, &z1z1)
	h.Sub(&u2, &q.x)
	r.Sub(&s2, &q.y)
	if h.IsZero() {
		if r.IsZero() {
			p.double(q)
			return
		}
		*p = PFXJac{}
		return
	}
	r.Double(&r)
	hh.Square(&h)
	i.Double(&hh)
	i.Double(&i)
	j.Mul(&h, &i)
	v.Mul(&q.x, &i)
	// Z3 = (Z1 + H)² − Z1Z1 − HH
	t0.Add(&q.z, &h)
	t0.Square(&t0)
	t0.Sub(&t0, &z1z1)
	p.z.Sub(&t0, &hh)
	// Y1·J before Y is overwritten.
	var y1j FE
	y1j.Mul(&q.y, &j)
	// X3 = r² − J − 2V
	t0.Double(&v)
	p.x.Square(&r)
	p.x.Sub(&p.x, &j)
	p.x.Sub(&p.x, &t0)
	// Y3 = r(V − X3) − 2·Y1·J
	t0.Sub(&v, &p.x)
	t0.Mul(&t0, &r)
	y1j.Double(&y1j)
	p.y.Sub(&t0, &y1j)
}

// add sets p = q + s (add-2007-bl, 11M + 5S), handling every special case.
func (p *PFXJac) add(q, s *PFXJac) {
	if q.z.IsZero() {
		*p = *s
		return
	}
	if s.z.IsZero() {
		*p = *q
		return
	}
//IF:ASM
	if field.UsingAssembly() && !PFXAddAsm(p, q, s) {
		return // otherwise q = ±s: the Go code below handles it
	}
//END
	var z1z1, z2z2, u1, u2, s1, s2, h, i, j, r, v, t0 FE
	z1z1.Square(&q.z)
	z2z2.Square(&s.z)
	u1.Mul(&q.x, &z2z2)
	u2.Mul(&s.x, &z1z1)
	s1.Mul(&q.y, &s.z)
	s1.Mul(&s1, &z2z2)
	s2.Mul(&s.y, &q.z)
	s2.Mul(&s2, &z1z1)
	h.Sub(&u2, &u1)
	r.Sub(&s2, &s1)
	if h.IsZero() {
		if r.IsZero() {
			p.double(q)
			return
		}
		*p = PFXJac{}
		return
	}
	r.Double(&r)
	i.Double(&h)
	i.Square(&i)
	j.Mul(&h, &i)
	v.Mul(&u1, &i)
	// Z3 = ((Z1 + Z2)² − Z1Z1 − Z2Z2)·H
	t0.Add(&q.z, &s.z)
	t0.Square(&t0)
	t0.Sub(&t0, &z1z1)
	t0.Sub(&t0, &z2z2)
	p.z.Mul(&t0, &h)
	// X3 = r² − J − 2V
	t0.Double(&v)
	p.x.Square(&r)
	p.x.Sub(&p.x, &j)
	p.x.Sub(&p.x, &t0)
	// Y3 = r(V − X3) − 2·S1·J
	t0.Sub(&v, &p.x)
	t0.Mul(&t0, &r)
	s1.Mul(&s1, &j)
	s1.Double(&s1)
	p.y.Sub(&t0, &s1)
}

// toAffine returns p in affine coordinates; p must not be O.
func (p *PFXJac) toAffine() PFXAff {
	var zi, zi2 FE
	zi.Invert(&p.z)
	zi2.Square(&zi)
	var a PFXAff
	a.x.Mul(&p.x, &zi2)
	zi2.Mul(&zi2, &zi)
	a.y.Mul(&p.y, &zi2)
	return a
}

// onCurve reports whether y² = x³ + a·x + b.
func (a *PFXAff) onCurve() bool {
	var lhs, rhs, t FE
	lhs.Square(&a.y)
	rhs.Square(&a.x)
//IF:M3
	rhs.Mul(&rhs, &a.x)
	t.Double(&a.x)
	t.Add(&t, &a.x) // 3x
	rhs.Sub(&rhs, &t)
//END
//IF:A
	rhs.Add(&rhs, &PFXa)
	rhs.Mul(&rhs, &a.x)
	_ = t
//END
	rhs.Add(&rhs, &PFXb)
	return lhs.Equal(&rhs)
}

// PFXKey is a validated public key.
type PFXKey struct {
	q PFXAff
}

// PFXNewKey checks x, y (little-endian, NBYTES bytes each): reduced, on the
// curve. The curve has cofactor 1, so that makes Q a point of order q.
func PFXNewKey(x, y []byte) (*PFXKey, Result) {
	var k PFXKey
	if !k.q.x.SetBytesLE(x) || !k.q.y.SetBytesLE(y) {
		return nil, ErrCoordinate
	}
	if !k.q.onCurve() {
		return nil, ErrNotOnCurve
	}
	return &k, OK
}

// PFXoddMultiplesJac sets jac[i] = (2i+1)·jac[0].
func PFXoddMultiplesJac(jac []PFXJac) {
	var two PFXJac
	two.double(&jac[0])
	for i := 1; i < len(jac); i++ {
		jac[i].add(&jac[i-1], &two)
	}
}

// PFXbatchToAffine converts jac (no point O) to affine with one inversion
// (Montgomery's trick).
func PFXbatchToAffine(out []PFXAff, jac []PFXJac) {
	n := len(jac)
	prod := make([]FE, n)
	prod[0] = jac[0].z
	for i := 1; i < n; i++ {
		prod[i].Mul(&prod[i-1], &jac[i].z)
	}
	var inv FE
	inv.Invert(&prod[n-1])
	for i := n - 1; i >= 0; i-- {
		var zi FE
		if i > 0 {
			zi.Mul(&inv, &prod[i-1])
			inv.Mul(&inv, &jac[i].z)
		} else {
			zi = inv
		}
		var zi2 FE
		zi2.Square(&zi)
		out[i].x.Mul(&jac[i].x, &zi2)
		zi2.Mul(&zi2, &zi)
		out[i].y.Mul(&jac[i].y, &zi2)
	}
}

// PFXsplitMultiples returns, row after row, the odd multiples 1·aj, 3·aj,
// …, (2n−1)·aj of aj = 2^(j·SPLITBITS)·a for j < NSPLIT, affine, with one
// inversion for them all. None is O: a has prime order q, and every
// multiple is below 2^((NSPLIT−1)·SPLITBITS)·2n < q.
func PFXsplitMultiples(a *PFXAff, n int) []PFXAff {
	jac := make([]PFXJac, NSPLIT*n)
	var p PFXJac
	p.setAff(a)
	for j := 0; j < NSPLIT; j++ {
		for i := 0; j > 0 && i < SPLITBITS; i++ {
			p.double(&p)
		}
		row := jac[j*n : (j+1)*n]
		row[0] = p
		PFXoddMultiplesJac(row)
	}
	out := make([]PFXAff, len(jac))
	PFXbatchToAffine(out, jac)
	return out
}

// PFXdoubleScalarMult sets out = z1·P + z2·Q (z1, z2 < q, canonical limbs);
// pre, if not nil, is k's split table.
func PFXdoubleScalarMult(out *PFXJac, z1, z2 *[LIMBS]uint64, k *PFXKey, pre *PFXPre) {
	if pre != nil {
		PFXdoubleScalarMultPre(out, z1, z2, pre)
		return
	}
	base := PFXbaseTab()
	var n1, n2 [NBITS1]int8
	top1 := wnaf(n1[:], z1[:], WBASE)
	top2 := wnaf(n2[:], z2[:], WQ)
	// Odd multiples Q, 3Q, …, (2^(WQ−1)−1)·Q in Jacobian coordinates.
	var qTab [NQ]PFXJac
	qTab[0].setAff(&k.q)
	var two PFXJac
	two.double(&qTab[0])
	for i := 1; i < len(qTab); i++ {
		qTab[i].add(&qTab[i-1], &two)
	}
	*out = PFXJac{}
	top := max(top1, top2)
	for i := top; i >= 0; i-- {
		if i != top {
			out.double(out)
		}
		if d := n1[i]; d > 0 {
			out.addMixed(out, &base[d>>1])
		} else if d < 0 {
			neg := base[(-d)>>1]
			neg.y.Neg(&neg.y)
			out.addMixed(out, &neg)
		}
		if d := n2[i]; d != 0 {
			s := qTab[abs8(d)>>1]
			if d < 0 {
				s.y.Neg(&s.y)
			}
			out.add(out, &s)
		}
	}
}

// PFXdoubleScalarMultPre sets out = z1·P + z2·Q with Q's split table: with
// S = SPLITBITS, z = Σ_i d_i·2^i = Σ_t 2^t·Σ_j d_(j·S+t)·2^(j·S), so digit
// d_(j·S+t) adds row j's multiple at step t of one S-step doubling chain.
// The wNAF's extra top digit (position NBITS1−1) is row NSPLIT−1, step S.
func PFXdoubleScalarMultPre(out *PFXJac, z1, z2 *[LIMBS]uint64, pre *PFXPre) {
	base := PFXbaseSplitTab()
	var n1, n2 [NBITS1]int8
	wnaf(n1[:], z1[:], WBASE)
	wnaf(n2[:], z2[:], WPRE)
	*out = PFXJac{}
	started := false // out ≠ O is not known before the first addition
	for t := SPLITBITS; t >= 0; t-- {
		if started {
			out.double(out)
		}
		j0 := 0
		if t == SPLITBITS {
			j0 = NSPLIT - 1
		}
		for j := j0; j < NSPLIT; j++ {
			i := j*SPLITBITS + t
			if d := n1[i]; d != 0 {
				a := base[j][abs8(d)>>1]
				if d < 0 {
					a.y.Neg(&a.y)
				}
				out.addMixed(out, &a)
				started = true
			}
			if d := n2[i]; d != 0 {
				a := pre[j][abs8(d)>>1]
				if d < 0 {
					a.y.Neg(&a.y)
				}
				out.addMixed(out, &a)
				started = true
			}
		}
	}
}

// PFXcheckX reports whether x(c) ≡ r + k·q (mod p) for some k with
// r + k·q < p, without inverting Z: r'·Z² = X.
func PFXcheckX(c *PFXJac, r *[LIMBS]uint64) Result {
	if c.z.IsZero() {
		return ErrInfinity
	}
	var z2, t FE
	z2.Square(&c.z)
	cand := *r
	for k := 0; k <= MAXK; k++ {
		if k > 0 {
			if addLimbs(cand[:], PFXQ[:]) != 0 {
				break
			}
		}
		if !lessLimbs(cand[:], PFXP[:]) {
			break
		}
		var rf FE
		rf.SetCanonical(&cand)
		t.Mul(&rf, &z2)
		if t.Equal(&c.x) {
			return OK
		}
	}
	return ErrMismatch
}

// PFXScalarMultBase, PFXDoubleScalarMultAffine are for tests: they return
// the affine result (ok = false for O).
func PFXDoubleScalarMultAffine(z1, z2 *[LIMBS]uint64, k *PFXKey, pre bool) (x, y FE, ok bool) {
	var out PFXJac
	var tab *PFXPre
	if pre {
		tab = k.Precompute()
	}
	PFXdoubleScalarMult(&out, z1, z2, k, tab)
	if out.z.IsZero() {
		return x, y, false
	}
	a := out.toAffine()
	return a.x, a.y, true
}

func (k *PFXKey) coords() (x, y FE) { return k.q.x, k.q.y }
`

const edwardsTemplate = `
// Extended twisted Edwards coordinates for e·u² + v² = 1 + d·u²·v² with
// e = 1 (RFC 7836 §5.2): u = X/Z, v = Y/Z, T = X·Y/Z (Hisil–Wong–Carter–
// Dawson 2008). d is a non-square mod p, so the addition law is complete.
type PFXExt struct{ x, y, z, t FE }

// PFXAffD is an affine point with d·u·v precomputed.
type PFXAffD struct{ u, v, duv FE }

// PFXExtD is an extended point with d·T precomputed.
type PFXExtD struct{ x, y, z, dt FE }

var (
	PFXd = PFXfe("HEXD")
	// s = (e − d)/4, t = (e + d)/6 (RFC 7836 §5.2), for the map to the
	// Weierstrass x = s·(1 + v)/(1 − v) + t.
	PFXs, PFXt = PFXst()
	PFXbase    = PFXAffD{u: PFXfe("HEXU"), v: PFXfe("HEXV")}
)

func init() { PFXbase.duv.Mul(&PFXbase.u, &PFXbase.v); PFXbase.duv.Mul(&PFXbase.duv, &PFXd) }

func PFXst() (s, t FE) {
	var one, four, six, inv FE
	one.SetOne()
	four.Double(&one)
	four.Double(&four)
	six.Double(&one)
	six.Add(&six, &four)
	s.Sub(&one, &PFXd)
	inv.Invert(&four)
	s.Mul(&s, &inv)
	t.Add(&one, &PFXd)
	inv.Invert(&six)
	t.Mul(&t, &inv)
	return s, t
}

func (p *PFXExt) setIdentity() {
	*p = PFXExt{}
	p.y.SetOne()
	p.z.SetOne()
}

// double sets p = 2·q (dbl-2008-hwcd with a = 1: 4M + 4S, or 3M + 4S
// without T when the next operation is another doubling).
func (p *PFXExt) double(q *PFXExt, needT bool) {
//IF:ASM
	if field.UsingAssembly() {
		if needT {
			PFXDoubleAsmT(p, q)
		} else {
			PFXDoubleAsmNoT(p, q)
		}
		return
	}
//END
	var a, b, c, e, f, g, h FE
	a.Square(&q.x)
	b.Square(&q.y)
	c.Square(&q.z)
	c.Double(&c)
	e.Add(&q.x, &q.y)
	e.Square(&e)
	e.Sub(&e, &a)
	e.Sub(&e, &b) // E = 2XY
	g.Add(&a, &b) // G = D + B with D = a·A = A
	f.Sub(&g, &c) // F = G − C
	h.Sub(&a, &b) // H = D − B
	p.x.Mul(&e, &f)
	p.y.Mul(&g, &h)
	if needT {
		p.t.Mul(&e, &h)
	}
	p.z.Mul(&f, &g)
}

// addAff sets p = q + a for an affine a with d·u·v (8M).
func (p *PFXExt) addAff(q *PFXExt, a *PFXAffD, needT bool) {
//IF:ASM
	if field.UsingAssembly() {
		if needT {
			PFXAddAffAsmT(p, q, a)
		} else {
			PFXAddAffAsmNoT(p, q, a)
		}
		return
	}
//END
	var A, B, C, E, F, G, H, t0 FE
	A.Mul(&q.x, &a.u)
	B.Mul(&q.y, &a.v)
	C.Mul(&q.t, &a.duv)
	E.Add(&q.x, &q.y)
	t0.Add(&a.u, &a.v)
	E.Mul(&E, &t0)
	E.Sub(&E, &A)
	E.Sub(&E, &B)
	F.Sub(&q.z, &C) // F = D − C, D = Z1
	G.Add(&q.z, &C)
	H.Sub(&B, &A) // H = B − a·A, a = 1
	p.x.Mul(&E, &F)
	p.y.Mul(&G, &H)
	if needT {
		p.t.Mul(&E, &H)
	}
	p.z.Mul(&F, &G)
}

// addExt sets p = q + s for s with d·T precomputed (9M).
func (p *PFXExt) addExt(q *PFXExt, s *PFXExtD, needT bool) {
//IF:ASM
	if field.UsingAssembly() {
		if needT {
			PFXAddExtAsmT(p, q, s)
		} else {
			PFXAddExtAsmNoT(p, q, s)
		}
		return
	}
//END
	var A, B, C, D, E, F, G, H, t0 FE
	A.Mul(&q.x, &s.x)
	B.Mul(&q.y, &s.y)
	C.Mul(&q.t, &s.dt)
	D.Mul(&q.z, &s.z)
	E.Add(&q.x, &q.y)
	t0.Add(&s.x, &s.y)
	E.Mul(&E, &t0)
	E.Sub(&E, &A)
	E.Sub(&E, &B)
	F.Sub(&D, &C)
	G.Add(&D, &C)
	H.Sub(&B, &A)
	p.x.Mul(&E, &F)
	p.y.Mul(&G, &H)
	if needT {
		p.t.Mul(&E, &H)
	}
	p.z.Mul(&F, &G)
}

func (p *PFXExt) toExtD() PFXExtD {
	var s PFXExtD
	s.x, s.y, s.z = p.x, p.y, p.z
	s.dt.Mul(&p.t, &PFXd)
	return s
}

// isIdentity reports whether p = (0 : Z : Z).
func (p *PFXExt) isIdentity() bool { return p.x.IsZero() && p.y.Equal(&p.z) }

// PFXKey is a validated public key, kept in Edwards form.
type PFXKey struct {
	q    PFXAffD
	x, y FE // the Weierstrass coordinates as received
}

// PFXNewKey checks x, y (little-endian Weierstrass coordinates, NBYTES bytes
// each): reduced, on the Weierstrass curve, mappable to the Edwards form
// (RFC 7836 §5.2: u = (x − t)/y, v = (x − t − s)/(x − t + s)), and in the
// subgroup of order q (q·Q = O): the cofactor is 4.
func PFXNewKey(x, y []byte) (*PFXKey, Result) {
	var k PFXKey
	if !k.x.SetBytesLE(x) || !k.y.SetBytesLE(y) {
		return nil, ErrCoordinate
	}
	// y² = x³ + a·x + b in the Weierstrass form.
	var lhs, rhs FE
	lhs.Square(&k.y)
	rhs.Square(&k.x)
	rhs.Add(&rhs, &PFXwa)
	rhs.Mul(&rhs, &k.x)
	rhs.Add(&rhs, &PFXwb)
	if !lhs.Equal(&rhs) {
		return nil, ErrNotOnCurve
	}
	// y = 0 is a point of order 2; x − t + s = 0 has no affine Edwards
	// image (it cannot occur on the curve: TestEdwardsExceptional). Neither
	// is in the subgroup of odd order q.
	var xt, den FE
	xt.Sub(&k.x, &PFXt)
	den.Add(&xt, &PFXs)
	if k.y.IsZero() || den.IsZero() {
		return nil, ErrNotInSubgroup
	}
	var inv, prod FE
	prod.Mul(&k.y, &den)
	inv.Invert(&prod)
	k.q.u.Mul(&xt, &den)
	k.q.u.Mul(&k.q.u, &inv) // (x − t)/y
	k.q.v.Sub(&xt, &PFXs)
	k.q.v.Mul(&k.q.v, &k.y)
	k.q.v.Mul(&k.q.v, &inv) // (x − t − s)/(x − t + s)
	k.q.duv.Mul(&k.q.u, &k.q.v)
	k.q.duv.Mul(&k.q.duv, &PFXd)
	// q·Q = O.
	var out PFXExt
	PFXscalarMult(&out, &PFXQ, &k.q)
	if !out.isIdentity() {
		return nil, ErrNotInSubgroup
	}
	return &k, OK
}

var (
	PFXwa = PFXfe("HEXA")
	PFXwb = PFXfe("HEXB")
)

// PFXoddMultiplesExt returns Q, 3Q, 5Q, … as extended points with d·T.
func PFXoddMultiplesExt(out []PFXExtD, a *PFXAffD) {
	var p PFXExt
	p.x, p.y = a.u, a.v
	p.z.SetOne()
	p.t.Mul(&a.u, &a.v)
	PFXoddMultiplesFrom(out, p)
}

// PFXoddMultiplesFrom sets out[i] = (2i+1)·p; p carries T.
func PFXoddMultiplesFrom(out []PFXExtD, p PFXExt) {
	var two PFXExt
	two.double(&p, true)
	twoD := two.toExtD()
	out[0] = p.toExtD()
	for i := 1; i < len(out); i++ {
		p.addExt(&p, &twoD, true)
		out[i] = p.toExtD()
	}
}

// PFXbatchToAffine converts ext to affine points with d·u·v, with one
// inversion (Montgomery's trick); Z ≠ 0 on these complete coordinates.
func PFXbatchToAffine(out []PFXAffD, ext []PFXExtD) {
	n := len(ext)
	prod := make([]FE, n)
	prod[0] = ext[0].z
	for i := 1; i < n; i++ {
		prod[i].Mul(&prod[i-1], &ext[i].z)
	}
	var inv FE
	inv.Invert(&prod[n-1])
	for i := n - 1; i >= 0; i-- {
		var zi FE
		if i > 0 {
			zi.Mul(&inv, &prod[i-1])
			inv.Mul(&inv, &ext[i].z)
		} else {
			zi = inv
		}
		out[i].u.Mul(&ext[i].x, &zi)
		out[i].v.Mul(&ext[i].y, &zi)
		out[i].duv.Mul(&out[i].u, &out[i].v)
		out[i].duv.Mul(&out[i].duv, &PFXd)
	}
}

// PFXsplitMultiples returns, row after row, the odd multiples 1·aj, 3·aj,
// …, (2n−1)·aj of aj = 2^(j·SPLITBITS)·a for j < NSPLIT, affine, with one
// inversion for them all.
func PFXsplitMultiples(a *PFXAffD, n int) []PFXAffD {
	ext := make([]PFXExtD, NSPLIT*n)
	var p PFXExt
	p.x, p.y = a.u, a.v
	p.z.SetOne()
	p.t.Mul(&a.u, &a.v)
	for j := 0; j < NSPLIT; j++ {
		for i := 0; j > 0 && i < SPLITBITS; i++ {
			p.double(&p, i == SPLITBITS-1) // T only for the row's additions
		}
		PFXoddMultiplesFrom(ext[j*n:(j+1)*n], p)
	}
	out := make([]PFXAffD, len(ext))
	PFXbatchToAffine(out, ext)
	return out
}

func PFXnegAffD(a *PFXAffD) PFXAffD {
	n := *a
	n.u.Neg(&n.u)
	n.duv.Neg(&n.duv)
	return n
}

// PFXscalarMult sets out = k·a (wNAF, for the subgroup check).
func PFXscalarMult(out *PFXExt, k *[LIMBS]uint64, a *PFXAffD) {
	var n [NBITS1]int8
	top := wnaf(n[:], k[:], WQ)
	var tab [NQ]PFXExtD
	PFXoddMultiplesExt(tab[:], a)
	out.setIdentity()
	for i := top; i >= 0; i-- {
		d := n[i]
		out.double(out, d != 0)
		if d != 0 {
			s := tab[abs8(d)>>1]
			if d < 0 {
				s.x.Neg(&s.x)
				s.dt.Neg(&s.dt)
			}
			out.addExt(out, &s, true)
		}
	}
}

// PFXdoubleScalarMult sets out = z1·P + z2·Q; pre, if not nil, is k's
// split table.
func PFXdoubleScalarMult(out *PFXExt, z1, z2 *[LIMBS]uint64, k *PFXKey, pre *PFXPre) {
	if pre != nil {
		PFXdoubleScalarMultPre(out, z1, z2, pre)
		return
	}
	base := PFXbaseTab()
	var n1, n2 [NBITS1]int8
	top1 := wnaf(n1[:], z1[:], WBASE)
	top2 := wnaf(n2[:], z2[:], WQ)
	var qTab [NQ]PFXExtD
	PFXoddMultiplesExt(qTab[:], &k.q)
	out.setIdentity()
	top := max(top1, top2)
	for i := top; i >= 0; i-- {
		d1, d2 := n1[i], n2[i]
		if i != top {
			out.double(out, d1 != 0 || d2 != 0)
		}
		if d1 != 0 {
			a := &base[abs8(d1)>>1]
			if d1 < 0 {
				neg := PFXnegAffD(a)
				a = &neg
			}
			out.addAff(out, a, d2 != 0)
		}
		if d2 != 0 {
			s := qTab[abs8(d2)>>1]
			if d2 < 0 {
				s.x.Neg(&s.x)
				s.dt.Neg(&s.dt)
			}
			out.addExt(out, &s, false)
		}
	}
}

// PFXdoubleScalarMultPre sets out = z1·P + z2·Q with Q's split table: with
// S = SPLITBITS, z = Σ_i d_i·2^i = Σ_t 2^t·Σ_j d_(j·S+t)·2^(j·S), so digit
// d_(j·S+t) adds row j's multiple at step t of one S-step doubling chain.
// The wNAF's extra top digit (position NBITS1−1) is row NSPLIT−1, step S.
func PFXdoubleScalarMultPre(out *PFXExt, z1, z2 *[LIMBS]uint64, pre *PFXPre) {
	base := PFXbaseSplitTab()
	var n1, n2 [NBITS1]int8
	wnaf(n1[:], z1[:], WBASE)
	wnaf(n2[:], z2[:], WPRE)
	out.setIdentity()
	started := false // doubling the identity is skipped
	for t := SPLITBITS; t >= 0; t-- {
		j0 := 0
		if t == SPLITBITS {
			j0 = NSPLIT - 1
		}
		// The additions of this step; an addition computes T only when
		// another one follows it before the next doubling.
		adds := 0
		for j := j0; j < NSPLIT; j++ {
			i := j*SPLITBITS + t
			if n1[i] != 0 {
				adds++
			}
			if n2[i] != 0 {
				adds++
			}
		}
		if started {
			out.double(out, adds != 0)
		}
		for j := j0; j < NSPLIT && adds > 0; j++ {
			i := j*SPLITBITS + t
			if d := n1[i]; d != 0 {
				a := &base[j][abs8(d)>>1]
				if d < 0 {
					neg := PFXnegAffD(a)
					a = &neg
				}
				adds--
				out.addAff(out, a, adds != 0)
				started = true
			}
			if d := n2[i]; d != 0 {
				a := &pre[j][abs8(d)>>1]
				if d < 0 {
					neg := PFXnegAffD(a)
					a = &neg
				}
				adds--
				out.addAff(out, a, adds != 0)
				started = true
			}
		}
	}
}

// PFXcheckX reports whether the Weierstrass x of c is ≡ r + k·q (mod p)
// for some k with r + k·q < p: x = s·(Z + Y)/(Z − Y) + t, so check
// (r' − t)·(Z − Y) = s·(Z + Y). Z − Y = 0 only for the identity.
func PFXcheckX(c *PFXExt, r *[LIMBS]uint64) Result {
	var zmy, rhs, t FE
	zmy.Sub(&c.z, &c.y)
	if zmy.IsZero() {
		return ErrInfinity
	}
	rhs.Add(&c.z, &c.y)
	rhs.Mul(&rhs, &PFXs)
	cand := *r
	for k := 0; k <= MAXK; k++ {
		if k > 0 {
			if addLimbs(cand[:], PFXQ[:]) != 0 {
				break
			}
		}
		if !lessLimbs(cand[:], PFXP[:]) {
			break
		}
		var rf FE
		rf.SetCanonical(&cand)
		t.Sub(&rf, &PFXt)
		t.Mul(&t, &zmy)
		if t.Equal(&rhs) {
			return OK
		}
	}
	return ErrMismatch
}

// PFXDoubleScalarMultAffine is for tests: the Weierstrass affine result.
func PFXDoubleScalarMultAffine(z1, z2 *[LIMBS]uint64, k *PFXKey, pre bool) (x, y FE, ok bool) {
	var out PFXExt
	var tab *PFXPre
	if pre {
		tab = k.Precompute()
	}
	PFXdoubleScalarMult(&out, z1, z2, k, tab)
	return PFXtoWeierstrass(&out)
}

// PFXtoWeierstrass maps an Edwards point to Weierstrass affine (x, y):
// x = s(1+v)/(1−v) + t, y = s(1+v)/((1−v)u); ok = false for the identity.
func PFXtoWeierstrass(p *PFXExt) (x, y FE, ok bool) {
	var zmy, zpy, inv, t0 FE
	zmy.Sub(&p.z, &p.y)
	if zmy.IsZero() {
		return x, y, false
	}
	zpy.Add(&p.z, &p.y)
	// x = s·(Z+Y)/(Z−Y) + t; y = s·(Z+Y)·Z/((Z−Y)·X)
	t0.Mul(&zmy, &p.x)
	inv.Invert(&t0) // 1/((Z−Y)·X); X = 0 only for (0, −1), not in the subgroup
	x.Mul(&zpy, &p.x)
	x.Mul(&x, &inv)
	x.Mul(&x, &PFXs)
	x.Add(&x, &PFXt)
	y.Mul(&zpy, &p.z)
	y.Mul(&y, &inv)
	y.Mul(&y, &PFXs)
	return x, y, true
}

func (k *PFXKey) coords() (x, y FE) { return k.x, k.y }
`

const splitTablesTemplate = `
// PFXPre is a key's precomputed table. Row j holds the odd multiples
// 1·Qj, 3·Qj, …, (2^(WPRE−1)−1)·Qj of Qj = 2^(j·SPLITBITS)·Q, affine: a
// verification regroups the wNAF digits of z2 (and of z1, with the base
// point's rows of PFXbaseSplitTab) into NSPLIT rows that share one chain of
// SPLITBITS doublings instead of NBITS1−1, the dominant cost of a verify.
type PFXPre [NSPLIT][NPRE]PFXAffT

// Precompute builds the key's split table (PFXPre).
func (k *PFXKey) Precompute() *PFXPre {
	t := new(PFXPre)
	flat := PFXsplitMultiples(&k.q, NPRE)
	for j := range t {
		copy(t[j][:], flat[j*NPRE:])
	}
	return t
}

var (
	PFXbaseSplitOnce  sync.Once
	PFXbaseSplitTable *[NSPLIT][NBASE]PFXAffT
)

// PFXbaseSplitTab returns the base point's rows for PFXdoubleScalarMultPre:
// row j holds the odd multiples of 2^(j·SPLITBITS)·P, computed on first use.
func PFXbaseSplitTab() *[NSPLIT][NBASE]PFXAffT {
	PFXbaseSplitOnce.Do(func() {
		t := new([NSPLIT][NBASE]PFXAffT)
		flat := PFXsplitMultiples(&PFXbase, NBASE)
		for j := range t {
			copy(t[j][:], flat[j*NBASE:])
		}
		PFXbaseSplitTable = t
	})
	return PFXbaseSplitTable
}

// PFXbaseTab returns the odd multiples 1·P, 3·P, …, (2^(WBASE−1)−1)·P of the
// base point for the per-call path: row 0 of PFXbaseSplitTab.
func PFXbaseTab() *[NBASE]PFXAffT { return &PFXbaseSplitTab()[0] }
`

const verifyTemplate = `
// PFXVerify checks sig = BE(s) || BE(r) over digest (little-endian α)
// under k (GOST R 34.10-2012 §6.2). pre is the key's precomputed table or
// nil.
func PFXVerify(k *PFXKey, pre *PFXPre, digest, sig []byte) Result {
	if len(digest) != NBYTES || len(sig) != 2*NBYTES {
		return ErrBadLength
	}
	var s, r, e [LIMBS]uint64
	beLimbs(s[:], sig[:NBYTES])
	beLimbs(r[:], sig[NBYTES:])
	// Step 1: 0 < r < q, 0 < s < q.
	if isZeroLimbs(r[:]) || !lessLimbs(r[:], PFXQ[:]) {
		return ErrRRange
	}
	if isZeroLimbs(s[:]) || !lessLimbs(s[:], PFXQ[:]) {
		return ErrSRange
	}
	// Step 2: e = α mod q (α < 2^(8·NBYTES) < 4q), e = 1 if 0.
	leLimbs(e[:], digest)
	for !lessLimbs(e[:], PFXQ[:]) {
		subLimbs(e[:], PFXQ[:])
	}
	if isZeroLimbs(e[:]) {
		e[0] = 1
	}
	// Steps 3–4: v = e⁻¹, z1 = s·v, z2 = −r·v (mod q).
	var ev, sv, rv, v SC
	ev.SetCanonical(&e)
	sv.SetCanonical(&s)
	rv.SetCanonical(&r)
	v.Invert(&ev)
	sv.Mul(&sv, &v)
	rv.Mul(&rv, &v)
	rv.Neg(&rv)
	z1, z2 := sv.Canonical(), rv.Canonical()
	// Steps 5–6: C = z1·P + z2·Q; x_C mod q = r.
	var c PFXPoint
	PFXdoubleScalarMult(&c, &z1, &z2, k, pre)
	return PFXcheckX(&c, &r)
}
`

func dispatchTemplate(cs []curve) string {
	var b strings.Builder
	b.WriteString(`// NewKey validates the Weierstrass point (x, y), each coordinate
// little-endian, and returns the curve's key object.
func NewKey(id ID, x, y []byte) (any, Result) {
	switch id {
`)
	for _, c := range cs {
		fmt.Fprintf(&b, "case %s:\nk, r := %sNewKey(x, y)\nif r != OK {\nreturn nil, r\n}\nreturn k, OK\n", c.id, c.pfx)
	}
	b.WriteString("}\npanic(\"ec: unknown curve\")\n}\n\n")

	b.WriteString(`// Precompute returns a per-key table for Verify (opaque).
func Precompute(id ID, key any) any {
	switch id {
`)
	for _, c := range cs {
		fmt.Fprintf(&b, "case %s:\nreturn key.(*%sKey).Precompute()\n", c.id, c.pfx)
	}
	b.WriteString("}\npanic(\"ec: unknown curve\")\n}\n\n")

	b.WriteString(`// Verify checks a signature; pre is nil or the result of Precompute.
func Verify(id ID, key, pre any, digest, sig []byte) Result {
	switch id {
`)
	for _, c := range cs {
		fmt.Fprintf(&b, "case %s:\nvar p *%sPre\nif pre != nil {\np = pre.(*%sPre)\n}\nreturn %sVerify(key.(*%sKey), p, digest, sig)\n", c.id, c.pfx, c.pfx, c.pfx, c.pfx)
	}
	b.WriteString("}\npanic(\"ec: unknown curve\")\n}\n\n")

	b.WriteString(`// DoubleScalarMult returns z1·P + z2·Q in Weierstrass affine coordinates
// as little-endian bytes (ok = false for O), for tests. z1, z2 are
// little-endian limbs (< q); pre selects the precomputed-table path.
func DoubleScalarMult(id ID, key any, z1, z2 []uint64, pre bool) (x, y []byte, ok bool) {
	switch id {
`)
	for _, c := range cs {
		fmt.Fprintf(&b, `case %s:
	var a, b [%d]uint64
	copy(a[:], z1)
	copy(b[:], z2)
	fx, fy, ok := %sDoubleScalarMultAffine(&a, &b, key.(*%sKey), pre)
	var bx, by [%d]byte
	fx.BytesLE(&bx)
	fy.BytesLE(&by)
	return bx[:], by[:], ok
`, c.id, c.limbs, c.pfx, c.pfx, 8*c.limbs)
	}
	b.WriteString("}\npanic(\"ec: unknown curve\")\n}\n\n")

	b.WriteString(`// KeyCoords returns the key's Weierstrass coordinates, little-endian, for tests.
func KeyCoords(id ID, key any) (x, y []byte) {
	switch id {
`)
	for _, c := range cs {
		fmt.Fprintf(&b, "case %s:\nfx, fy := key.(*%sKey).coords()\nvar bx, by [%d]byte\nfx.BytesLE(&bx)\nfy.BytesLE(&by)\nreturn bx[:], by[:]\n", c.id, c.pfx, 8*c.limbs)
	}
	b.WriteString("}\npanic(\"ec: unknown curve\")\n}\n")
	return b.String()
}
