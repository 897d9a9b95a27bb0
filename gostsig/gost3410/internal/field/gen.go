//go:build ignore

// Run with: go run gen.go gen_asm.go
//
// gen writes the fixed-limb arithmetic of every prime field the GOST R 34.10
// curves need (zz_fe_*.go) and of every scalar field mod q (zz_sc_*.go).
// The code is straight-line (fully unrolled) Go over 64-bit limbs with
// math/bits; each field is specialised to its prime:
//
//   - p = 2^(64L) − c (2^256 − 617, 2^512 − 569): pseudo-Mersenne folding,
//     2^(64L) ≡ c;
//   - p = 2^(64L−1) + c (2^255 + 3225, 2^255 + 1073, 2^511 + 111): folding
//     with 2^(64L) ≡ −2c;
//   - any other odd modulus (the CryptoPro-C prime, the 512-bit test prime,
//     every group order q): Montgomery multiplication (CIOS), R = 2^(64L).
//
// Elements are always fully reduced (in [0, m)), so equality is limb
// equality. Nothing here is constant-time: GOST verification handles only
// public data.
package main

import (
	"bytes"
	"fmt"
	"go/format"
	"log"
	"math/big"
	"os"
	"strings"

	"gostsig.dev/gostsig/gost3410/internal/asmgen"
)

type kind int

const (
	kindMinus kind = iota // m = 2^(64L) − c
	kindPlus              // m = 2^(64L−1) + c
	kindMont              // Montgomery
)

type spec struct {
	typ   string // exported type name
	file  string
	doc   string
	m     string // modulus, hex
	limbs int
	kind  kind
	// mul/sqr implemented in assembly on amd64 (see gen_asm.go)
}

var specs = []spec{
	// Base fields.
	{"Fe256m617", "zz_fe_256m617.go", "GF(2^256 − 617): CryptoPro-A (= XchA = tc26-256-B) and tc26-256-A", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFD97", 4, kindMinus},
	{"Fe255p3225", "zz_fe_255p3225.go", "GF(2^255 + 3225): CryptoPro-B (= tc26-256-C)", "8000000000000000000000000000000000000000000000000000000000000C99", 4, kindPlus},
	{"Fe256cpc", "zz_fe_256cpc.go", "GF(p) with the CryptoPro-C (= XchB = tc26-256-D) prime, no special form", "9B9F605F5A858107AB1EC85E6B41C8AACF846E86789051D37998F7B9022D759B", 4, kindMont},
	{"Fe255p1073", "zz_fe_255p1073.go", "GF(2^255 + 1073): the GOST R 34.10-2001 test curve", "8000000000000000000000000000000000000000000000000000000000000431", 4, kindPlus},
	{"Fe512m569", "zz_fe_512m569.go", "GF(2^512 − 569): tc26-512-A and tc26-512-C", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFDC7", 8, kindMinus},
	{"Fe511p111", "zz_fe_511p111.go", "GF(2^511 + 111): tc26-512-B", "8000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000006F", 8, kindPlus},
	{"Fe512test", "zz_fe_512test.go", "GF(p) with the 512-bit test prime (tc26-512-paramSetTest), no special form", "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DF1D852741AF4704A0458047E80E4546D35B8336FAC224DD81664BBF528BE6373", 8, kindMont},

	// Scalar fields: the prime group orders q, all in Montgomery form.
	{"ScCPA", "zz_sc_cpa.go", "integers mod q of CryptoPro-A", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF6C611070995AD10045841B09B761B893", 4, kindMont},
	{"ScCPB", "zz_sc_cpb.go", "integers mod q of CryptoPro-B", "800000000000000000000000000000015F700CFFF1A624E5E497161BCC8A198F", 4, kindMont},
	{"ScCPC", "zz_sc_cpc.go", "integers mod q of CryptoPro-C", "9B9F605F5A858107AB1EC85E6B41C8AA582CA3511EDDFB74F02F3A6598980BB9", 4, kindMont},
	{"ScTest256", "zz_sc_test256.go", "integers mod q of the GOST R 34.10-2001 test curve", "8000000000000000000000000000000150FE8A1892976154C59CFC193ACCF5B3", 4, kindMont},
	{"Sc256A", "zz_sc_256a.go", "integers mod q of tc26-256-A", "400000000000000000000000000000000FD8CDDFC87B6635C115AF556C360C67", 4, kindMont},
	{"Sc512A", "zz_sc_512a.go", "integers mod q of tc26-512-A", "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF27E69532F48D89116FF22B8D4E0560609B4B38ABFAD2B85DCACDB1411F10B275", 8, kindMont},
	{"Sc512B", "zz_sc_512b.go", "integers mod q of tc26-512-B", "800000000000000000000000000000000000000000000000000000000000000149A1EC142565A545ACFDB77BD9D40CFA8B996712101BEA0EC6346C54374F25BD", 8, kindMont},
	{"Sc512C", "zz_sc_512c.go", "integers mod q of tc26-512-C", "3FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC98CDBA46506AB004C33A9FF5147502CC8EDA9E7A769A12694623CEF47F023ED", 8, kindMont},
	{"ScTest512", "zz_sc_test512.go", "integers mod q of the 512-bit test curve", "4531ACD1FE0023C7550D267B6B2FEE80922B14B2FFB90F04D4EB7C09B5D2D15DA82F2D7ECB1DBAC719905C5EECC423F1D86E25EDBE23C595D644AAF187E6E6DF", 8, kindMont},
}

func main() {
	writeFormatted("zz_dispatch_amd64.go", dispatch(true))
	writeFormatted("zz_dispatch_other.go", dispatch(false))
	if err := os.WriteFile("zz_field_amd64.s", genAsmFile(), 0o644); err != nil {
		log.Fatal(err)
	}
	for _, s := range specs {
		src := generate(s)
		out, err := format.Source(src)
		if err != nil {
			os.WriteFile(s.file+".broken", src, 0o644)
			log.Fatalf("%s: %v", s.file, err)
		}
		if err := os.WriteFile(s.file, out, 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

func writeFormatted(name string, src []byte) {
	out, err := format.Source(src)
	if err != nil {
		os.WriteFile(name+".broken", src, 0o644)
		log.Fatalf("%s: %v", name, err)
	}
	if err := os.WriteFile(name, out, 0o644); err != nil {
		log.Fatal(err)
	}
}

// dispatch writes the functions that pick the assembly or the pure-Go
// multiplication and squaring.
func dispatch(asm bool) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by gen.go. DO NOT EDIT.\n\n")
	if asm {
		fmt.Fprintf(&b, "//go:build amd64 && !purego\n\n")
	} else {
		fmt.Fprintf(&b, "//go:build !amd64 || purego\n\n")
	}
	fmt.Fprintf(&b, "package field\n\n")
	for _, s := range specs {
		lc := strings.ToLower(s.typ[:1]) + s.typ[1:]
		if asm {
			fmt.Fprintf(&b, "//go:noescape\nfunc %sMulADX(z, x, y *%s)\n\n", lc, s.typ)
			fmt.Fprintf(&b, "func %sMul(z, x, y *%s) {\nif useADX {\n%sMulADX(z, x, y)\nreturn\n}\n%sMulGeneric(z, x, y)\n}\n\n", lc, s.typ, lc, lc)
			if s.kind == kindMont {
				fmt.Fprintf(&b, "func %sSquare(z, x *%s) {\nif useADX {\n%sMulADX(z, x, x)\nreturn\n}\n%sSquareGeneric(z, x)\n}\n\n", lc, s.typ, lc, lc)
			} else {
				fmt.Fprintf(&b, "//go:noescape\nfunc %sSquareADX(z, x *%s)\n\n", lc, s.typ)
				fmt.Fprintf(&b, "func %sSquare(z, x *%s) {\nif useADX {\n%sSquareADX(z, x)\nreturn\n}\n%sSquareGeneric(z, x)\n}\n\n", lc, s.typ, lc, lc)
			}
		} else {
			fmt.Fprintf(&b, "func %sMul(z, x, y *%s) { %sMulGeneric(z, x, y) }\n\n", lc, s.typ, lc)
			fmt.Fprintf(&b, "func %sSquare(z, x *%s) { %sSquareGeneric(z, x) }\n\n", lc, s.typ, lc)
		}
	}
	return b.Bytes()
}

type gen struct {
	bytes.Buffer
	s     spec
	L     int
	m     *big.Int
	c     uint64 // kindMinus: c; kindPlus: 2c
	limbs []uint64
	lc    string // lower-case type name, prefix of internal functions
}

func (g *gen) p(format string, args ...any) { fmt.Fprintf(g, format+"\n", args...) }

func limbsOf(v *big.Int, n int) []uint64 {
	out := make([]uint64, n)
	w := new(big.Int).Set(v)
	mask := new(big.Int).SetUint64(^uint64(0))
	for i := range out {
		out[i] = new(big.Int).And(w, mask).Uint64()
		w.Rsh(w, 64)
	}
	if w.Sign() != 0 {
		panic("does not fit")
	}
	return out
}

func (g *gen) lit(v []uint64) string {
	parts := make([]string, len(v))
	for i, x := range v {
		parts[i] = fmt.Sprintf("%#016x", x)
	}
	return strings.Join(parts, ", ")
}

func generate(s spec) []byte {
	m, ok := new(big.Int).SetString(s.m, 16)
	if !ok || !m.ProbablyPrime(32) {
		log.Fatalf("%s: bad modulus", s.typ)
	}
	g := &gen{s: s, L: s.limbs, m: m, limbs: limbsOf(m, s.limbs), lc: strings.ToLower(s.typ[:1]) + s.typ[1:]}
	L := g.L
	two := big.NewInt(2)
	switch s.kind {
	case kindMinus:
		c := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(64*L)), m)
		if c.BitLen() > 32 {
			log.Fatalf("%s: not 2^N − small", s.typ)
		}
		g.c = c.Uint64()
	case kindPlus:
		c := new(big.Int).Sub(m, new(big.Int).Lsh(big.NewInt(1), uint(64*L-1)))
		if c.Sign() <= 0 || c.BitLen() > 31 {
			log.Fatalf("%s: not 2^(N−1) + small", s.typ)
		}
		g.c = new(big.Int).Mul(c, two).Uint64()
	}

	g.p("// Code generated by gen.go. DO NOT EDIT.")
	g.p("")
	g.p("package field")
	g.p("")
	g.p(`import (
		"math/big"
		"math/bits"
	)`)
	g.p("")
	g.p("// %s is an element of %s, as %d little-endian 64-bit limbs, always", s.typ, s.doc, L)
	switch s.kind {
	case kindMont:
		g.p("// fully reduced, in Montgomery form (a·2^%d mod m). The zero value is 0.", 64*L)
	default:
		g.p("// fully reduced. The zero value is 0.")
	}
	g.p("//")
	g.p("// All methods allow aliasing of their arguments and receiver, and are")
	g.p("// variable-time: use them on public data only.")
	g.p("type %s [%d]uint64", s.typ, L)
	g.p("")
	g.p("// %sModulus is the modulus m, little-endian limbs.", g.lc)
	g.p("var %sModulus = %s{%s}", g.lc, s.typ, g.lit(g.limbs))
	g.p("")

	R := new(big.Int).Lsh(big.NewInt(1), uint(64*L))
	if s.kind == kindMont {
		g.p("// %sN0 is −m⁻¹ mod 2^64.", g.lc)
		g.p("const %sN0 = %#016x", g.lc, asmgen.MontN0(m))
		g.p("")
		rr := new(big.Int).Mod(new(big.Int).Mul(R, R), m)
		g.p("// %sRR is R² mod m, R = 2^%d, for conversion into Montgomery form.", g.lc, 64*L)
		g.p("var %sRR = %s{%s}", g.lc, s.typ, g.lit(limbsOf(rr, L)))
		g.p("")
		g.p("// %sOne is 1 in Montgomery form (R mod m).", g.lc)
		g.p("var %sOne = %s{%s}", g.lc, s.typ, g.lit(limbsOf(new(big.Int).Mod(R, m), L)))
	} else {
		one := make([]uint64, L)
		one[0] = 1
		g.p("var %sOne = %s{%s}", g.lc, s.typ, g.lit(one))
	}
	g.p("")

	g.genBasics()
	g.genAddSub()
	g.genMul()
	g.genSquare()
	g.genReduce()
	g.genInvert()
	g.genBytes()
	return g.Bytes()
}

func (g *gen) genBasics() {
	T, L := g.s.typ, g.L
	g.p("// Set sets z = x and returns z.")
	g.p("func (z *%s) Set(x *%s) *%s { *z = *x; return z }", T, T, T)
	g.p("")
	g.p("// SetZero sets z = 0 and returns z.")
	g.p("func (z *%s) SetZero() *%s { *z = %s{}; return z }", T, T, T)
	g.p("")
	g.p("// SetOne sets z = 1 and returns z.")
	g.p("func (z *%s) SetOne() *%s { *z = %sOne; return z }", T, T, g.lc)
	g.p("")
	g.p("// IsZero reports whether z = 0.")
	g.p("func (z *%s) IsZero() bool { return %s == 0 }", T, g.orAll("z"))
	g.p("")
	g.p("// Equal reports whether z = x.")
	g.p("func (z *%s) Equal(x *%s) bool { return *z == *x }", T, T)
	g.p("")
	g.p("// IsOne reports whether z = 1.")
	g.p("func (z *%s) IsOne() bool { return *z == %sOne }", T, g.lc)
	g.p("")
	_ = L
}

func (g *gen) orAll(v string) string {
	parts := make([]string, g.L)
	for i := range parts {
		parts[i] = fmt.Sprintf("%s[%d]", v, i)
	}
	return strings.Join(parts, "|")
}

func (g *gen) genAddSub() {
	T, L := g.s.typ, g.L
	// Add: s = x + y; d = s − m; take d if the add carried or d did not borrow.
	g.p("// Add sets z = x + y mod m and returns z.")
	g.p("func (z *%s) Add(x, y *%s) *%s {", T, T, T)
	g.p("var c, b uint64")
	for i := 0; i < L; i++ {
		g.p("s%d, c := bits.Add64(x[%d], y[%d], c)", i, i, i)
		if i == 0 {
			// redeclare-safe: first uses :=
		}
	}
	for i := 0; i < L; i++ {
		g.p("d%d, b := bits.Sub64(s%d, %#x, b)", i, i, g.limbs[i])
	}
	g.p("// Take d = s − m if s ≥ m or the sum overflowed.")
	g.p("mask := -(c | (1 ^ b))")
	for i := 0; i < L; i++ {
		g.p("z[%d] = s%d ^ ((s%d ^ d%d) & mask)", i, i, i, i)
	}
	g.p("return z")
	g.p("}")
	g.p("")

	g.p("// Sub sets z = x − y mod m and returns z.")
	g.p("func (z *%s) Sub(x, y *%s) *%s {", T, T, T)
	g.p("var b, c uint64")
	for i := 0; i < L; i++ {
		g.p("d%d, b := bits.Sub64(x[%d], y[%d], b)", i, i, i)
	}
	g.p("mask := -b")
	for i := 0; i < L; i++ {
		g.p("z[%d], c = bits.Add64(d%d, %#x&mask, c)", i, i, g.limbs[i])
	}
	g.p("return z")
	g.p("}")
	g.p("")

	g.p("// Neg sets z = −x mod m and returns z.")
	g.p("func (z *%s) Neg(x *%s) *%s {", T, T, T)
	g.p("var zero %s", T)
	g.p("return z.Sub(&zero, x)")
	g.p("}")
	g.p("")
	g.p("// Double sets z = 2·x mod m and returns z.")
	g.p("func (z *%s) Double(x *%s) *%s { return z.Add(x, x) }", T, T, T)
	g.p("")
}

// The := in loops above redeclare c/b as new variables in the same scope,
// which Go rejects; fix that by post-processing: we emit with "c :=" only
// on fresh names. Simpler: emit distinct names. (Handled by fixDecl.)

func (g *gen) genMul() {
	T := g.s.typ
	g.p("// Mul sets z = x·y mod m and returns z.")
	g.p("func (z *%s) Mul(x, y *%s) *%s { %sMul(z, x, y); return z }", T, T, T, g.lc)
	g.p("")
	g.p("// %sMulGeneric is the pure-Go multiplication.", g.lc)
	g.p("func %sMulGeneric(z, x, y *%s) {", g.lc, T)
	if g.s.kind == kindMont {
		g.genMontBody("x", "y")
	} else {
		g.genProduct("x", "y")
		g.genReduceBody()
	}
	g.p("}")
	g.p("")
}

// declT declares the double-width accumulator t0..t(2L−1) and scratch.
func (g *gen) declT() {
	L := g.L
	names := make([]string, 2*L)
	for i := range names {
		names[i] = fmt.Sprintf("t%d", i)
	}
	g.p("var %s uint64", strings.Join(names, ", "))
	g.p("var c uint64")
	g.p("_ = c")
}

// row emits the products a·b[j] as one L+1-limb row r0..rL: two carry
// chains fused (lo_j + hi_{j−1}).
func (g *gen) row(a string, b func(j int) string, jFrom int) {
	L := g.L
	g.p("var c uint64")
	for j := jFrom; j < L; j++ {
		g.p("h%d, l%d := bits.Mul64(%s, %s)", j, j, a, b(j))
	}
	g.p("r%d := l%d", jFrom, jFrom)
	for j := jFrom + 1; j < L; j++ {
		cin := "c"
		if j == jFrom+1 {
			cin = "0"
		}
		g.p("r%d, c := bits.Add64(l%d, h%d, %s)", j, j, j-1, cin)
	}
	if jFrom+1 < L {
		g.p("r%d := h%d + c", L, L-1)
	} else {
		g.p("r%d := h%d", L, L-1)
	}
}

// genProduct emits t0..t(2L−1) = x·y (schoolbook, row by row).
func (g *gen) genProduct(x, y string) {
	L := g.L
	g.declT()
	for i := 0; i < L; i++ {
		g.p("{")
		g.row(fmt.Sprintf("%s[%d]", x, i), func(j int) string { return fmt.Sprintf("%s[%d]", y, j) }, 0)
		if i == 0 {
			for j := 0; j <= L; j++ {
				g.p("t%d = r%d", j, j)
			}
		} else {
			// t[i..i+L] += r0..rL (t[i+L] is still 0).
			g.p("t%d, c = bits.Add64(t%d, r0, 0)", i, i)
			for j := 1; j < L; j++ {
				g.p("t%d, c = bits.Add64(t%d, r%d, c)", i+j, i+j, j)
			}
			g.p("t%d = r%d + c", i+L, L)
		}
		g.p("}")
	}
}

func (g *gen) genSquare() {
	T, L := g.s.typ, g.L
	g.p("// Square sets z = x² mod m and returns z.")
	g.p("func (z *%s) Square(x *%s) *%s { %sSquare(z, x); return z }", T, T, T, g.lc)
	g.p("")
	g.p("// %sSquareGeneric is the pure-Go squaring.", g.lc)
	g.p("func %sSquareGeneric(z, x *%s) {", g.lc, T)
	if g.s.kind == kindMont {
		g.genMontBody("x", "x")
		g.p("}")
		g.p("")
		return
	}
	g.declT()
	// Off-diagonal products x_i·x_j, i < j.
	for i := 0; i < L-1; i++ {
		g.p("{")
		g.row(fmt.Sprintf("x[%d]", i), func(j int) string { return fmt.Sprintf("x[%d]", j) }, i+1)
		// row r_{i+1}..r_L goes to t[2i+1 .. i+L].
		if i == 0 {
			for j := 1; j <= L; j++ {
				g.p("t%d = r%d", j, j)
			}
		} else {
			g.p("t%d, c = bits.Add64(t%d, r%d, 0)", 2*i+1, 2*i+1, i+1)
			for j := i + 2; j < L; j++ {
				g.p("t%d, c = bits.Add64(t%d, r%d, c)", i+j, i+j, j)
			}
			g.p("t%d = r%d + c", i+L, L)
		}
		g.p("}")
	}
	// Double t1..t(2L−2) into t1..t(2L−1).
	g.p("t%d = t%d >> 63", 2*L-1, 2*L-2)
	for k := 2*L - 2; k >= 2; k-- {
		g.p("t%d = t%d<<1 | t%d>>63", k, k, k-1)
	}
	g.p("t1 <<= 1")
	// Add the squares x_i² at t[2i], t[2i+1].
	for i := 0; i < L; i++ {
		g.p("h%d, l%d := bits.Mul64(x[%d], x[%d])", i, i, i, i)
	}
	for i := 0; i < L; i++ {
		cin := "c"
		if i == 0 {
			cin = "0"
		}
		g.p("t%d, c = bits.Add64(t%d, l%d, %s)", 2*i, 2*i, i, cin)
		g.p("t%d, c = bits.Add64(t%d, h%d, c)", 2*i+1, 2*i+1, i)
	}
	g.genReduceBody()
	g.p("}")
	g.p("")
}

// genReduce emits a stand-alone reduction of a 2L-limb array, for tests.
func (g *gen) genReduce() {
	T, L := g.s.typ, g.L
	if g.s.kind == kindMont {
		g.genMontConv()
		return
	}
	g.p("// %sReduce sets z = t mod m for any 2·%d-limb t.", g.lc, L)
	g.p("func %sReduce(z *%s, t *[%d]uint64) {", g.lc, T, 2*L)
	g.declT()
	for i := 0; i < 2*L; i++ {
		g.p("t%d = t[%d]", i, i)
	}
	g.genReduceBody()
	g.p("}")
	g.p("")
}

// genReduceBody emits z = (t0..t(2L−1)) mod m for the special forms.
func (g *gen) genReduceBody() {
	L := g.L
	switch g.s.kind {
	case kindMinus:
		g.p("// Reduce with 2^%d ≡ %d (mod m): fold the high half times c,", 64*L, g.c)
		g.p("// then the few bits left above 2^%d, then subtract m once.", 64*L)
		g.p("const k = %d", g.c)
		for i := 0; i < L; i++ {
			g.p("u%d, v%d := bits.Mul64(t%d, k)", i, i, L+i)
		}
		// w = lo + (v0, v1+u0, ..., v(L−1)+u(L−2), u(L−1))
		g.p("w0, c := bits.Add64(t0, v0, 0)")
		for i := 1; i < L; i++ {
			g.p("w%d, c := bits.Add64(t%d, v%d, c)", i, i, i)
		}
		g.p("top := u%d + c", L-1)
		g.p("w1, c = bits.Add64(w1, u0, 0)")
		for i := 2; i < L; i++ {
			g.p("w%d, c = bits.Add64(w%d, u%d, c)", i, i, i-1)
		}
		g.p("top += c")
		g.p("w0, c = bits.Add64(w0, top*k, 0)")
		for i := 1; i < L; i++ {
			g.p("w%d, c = bits.Add64(w%d, 0, c)", i, i)
		}
		g.p("// On overflow w wrapped to something tiny; add 2^%d mod m = k.", 64*L)
		g.p("w0 += k & -c")
		g.p("// w ≥ m iff w + k overflows.")
		g.p("s0, c := bits.Add64(w0, k, 0)")
		for i := 1; i < L; i++ {
			g.p("s%d, c := bits.Add64(w%d, 0, c)", i, i)
		}
		g.p("mask := -c")
		for i := 0; i < L; i++ {
			g.p("z[%d] = w%d ^ ((w%d ^ s%d) & mask)", i, i, i, i)
		}
	case kindPlus:
		g.p("// Reduce with 2^%d ≡ −%d (mod m): w = lo − hi·c2 ≡ w + c2·k,", 64*L, g.c)
		g.p("// fold k, then subtract m once.")
		g.p("const c2 = %d", g.c)
		for i := 0; i < L; i++ {
			g.p("u%d, v%d := bits.Mul64(t%d, c2)", i, i, L+i)
		}
		// U = (v0, v1+u0, ..., u(L−1)) ; first form U' low L limbs and top.
		g.p("v1, c = bits.Add64(v1, u0, 0)")
		for i := 2; i < L; i++ {
			g.p("v%d, c = bits.Add64(v%d, u%d, c)", i, i, i-1)
		}
		g.p("top := u%d + c", L-1)
		g.p("w0, b := bits.Sub64(t0, v0, 0)")
		for i := 1; i < L; i++ {
			g.p("w%d, b := bits.Sub64(t%d, v%d, b)", i, i, i)
		}
		g.p("w0, c = bits.Add64(w0, c2*(top+b), 0)")
		for i := 1; i < L; i++ {
			g.p("w%d, c = bits.Add64(w%d, 0, c)", i, i)
		}
		g.p("// On overflow w is tiny; add 2^%d mod m = m − c2.", 64*L)
		g.p("mask := -c")
		mc := limbsOf(new(big.Int).Sub(g.m, new(big.Int).SetUint64(g.c)), L)
		g.p("w0, c = bits.Add64(w0, %#x&mask, 0)", mc[0])
		for i := 1; i < L; i++ {
			g.p("w%d, c = bits.Add64(w%d, %#x&mask, c)", i, i, mc[i])
		}
		g.p("// w < 2^%d < 2m: subtract m once if w ≥ m.", 64*L)
		g.p("d0, b := bits.Sub64(w0, %#x, 0)", g.limbs[0])
		for i := 1; i < L; i++ {
			g.p("d%d, b := bits.Sub64(w%d, %#x, b)", i, i, g.limbs[i])
		}
		g.p("mask = b - 1")
		for i := 0; i < L; i++ {
			g.p("z[%d] = w%d ^ ((w%d ^ d%d) & mask)", i, i, i, i)
		}
	}
}

// genMontBody emits CIOS Montgomery multiplication z = x·y·R⁻¹ mod m.
func (g *gen) genMontBody(x, y string) {
	L := g.L
	names := make([]string, L+2)
	for i := range names {
		names[i] = fmt.Sprintf("t%d", i)
	}
	g.p("var %s uint64", strings.Join(names, ", "))
	g.p("var m uint64")
	for i := 0; i < L; i++ {
		g.p("// Round %d: t += x[%d]·y; t += m·p with m = t0·n0; t >>= 64.", i, i)
		g.p("{")
		g.row(fmt.Sprintf("%s[%d]", x, i), func(j int) string { return fmt.Sprintf("%s[%d]", y, j) }, 0)
		g.p("t0, c = bits.Add64(t0, r0, 0)")
		for j := 1; j < L; j++ {
			g.p("t%d, c = bits.Add64(t%d, r%d, c)", j, j, j)
		}
		g.p("t%d, c = bits.Add64(t%d, r%d, c)", L, L, L)
		g.p("t%d = c", L+1)
		g.p("}")
		g.p("m = t0 * %sN0", g.lc)
		g.p("{")
		g.row("m", func(j int) string { return fmt.Sprintf("%#x", g.limbs[j]) }, 0)
		// t + m·p; the low limb becomes 0 and is dropped.
		g.p("_, c = bits.Add64(t0, r0, 0)")
		for j := 1; j < L; j++ {
			g.p("t%d, c = bits.Add64(t%d, r%d, c)", j-1, j, j)
		}
		g.p("t%d, c = bits.Add64(t%d, r%d, c)", L-1, L, L)
		g.p("t%d = t%d + c", L, L+1)
		g.p("}")
	}
	g.p("// t < 2m: subtract m once if t ≥ m.")
	g.p("d0, b := bits.Sub64(t0, %#x, 0)", g.limbs[0])
	for i := 1; i < L; i++ {
		g.p("d%d, b := bits.Sub64(t%d, %#x, b)", i, i, g.limbs[i])
	}
	g.p("_, b = bits.Sub64(t%d, 0, b)", L)
	g.p("mask := b - 1")
	for i := 0; i < L; i++ {
		g.p("z[%d] = t%d ^ ((t%d ^ d%d) & mask)", i, i, i, i)
	}
}

func (g *gen) genMontConv() {
	T := g.s.typ
	g.p("// fromMont sets z = x·R⁻¹ mod m (leaves Montgomery form).")
	g.p("func (z *%s) fromMont(x *%s) *%s {", T, T, T)
	g.p("one := %s{1}", T)
	g.p("%sMulGeneric(z, x, &one)", g.lc)
	g.p("return z")
	g.p("}")
	g.p("")
	g.p("// toMont sets z = x·R mod m (enters Montgomery form); x < m.")
	g.p("func (z *%s) toMont(x *%s) *%s {", T, T, T)
	g.p("%sMulGeneric(z, x, &%sRR)", g.lc, g.lc)
	g.p("return z")
	g.p("}")
	g.p("")
}

func (g *gen) genInvert() {
	T := g.s.typ
	e := new(big.Int).Sub(g.m, big.NewInt(2))
	minv := new(big.Int).ModInverse(g.m, new(big.Int).Lsh(big.NewInt(1), 62))
	g.p("// Invert sets z = x⁻¹ mod m and returns z; z = 0 if x = 0. It uses the")
	g.p("// variable-time divsteps inversion and checks the result with one")
	g.p("// multiplication, falling back to InvertFermat if that fails.")
	g.p("func (z *%s) Invert(x *%s) *%s {", T, T, T)
	g.p("if x.IsZero() {")
	g.p("return z.SetZero()")
	g.p("}")
	g.p("inv, ok := invertVarTime(x[:], %sModulus[:], %#x)", g.lc, minv.Uint64())
	g.p("if ok {")
	g.p("var r %s", T)
	g.p("copy(r[:], inv[:%d])", g.L)
	if g.s.kind == kindMont {
		R := new(big.Int).Lsh(big.NewInt(1), uint(64*g.L))
		rrr := new(big.Int).Exp(R, big.NewInt(3), g.m)
		g.p("// x holds a·R; inv = (a·R)⁻¹, and a⁻¹·R = inv·R³·R⁻¹.")
		g.p("r.Mul(&r, &%s{%s})", T, g.lit(limbsOf(rrr, g.L)))
	}
	g.p("var check %s", T)
	g.p("if check.Mul(&r, x).IsOne() {")
	g.p("*z = r")
	g.p("return z")
	g.p("}")
	g.p("}")
	g.p("return z.InvertFermat(x)")
	g.p("}")
	g.p("")
	g.p("// InvertFermat sets z = x⁻¹ mod m as x^(m−2) and returns z; z = 0")
	g.p("// if x = 0.")
	g.p("func (z *%s) InvertFermat(x *%s) *%s {", T, T, T)
	g.p("// Window of 4 bits over the exponent m − 2.")
	g.p("var table [16]%s", T)
	g.p("table[0].SetOne()")
	g.p("table[1].Set(x)")
	g.p("for i := 2; i < 16; i++ {")
	g.p("table[i].Mul(&table[i-1], x)")
	g.p("}")
	g.p("exp := [%d]uint64{%s}", g.L, g.lit(limbsOf(e, g.L)))
	g.p("var r %s", T)
	g.p("r.SetOne()")
	g.p("for i := %d; i >= 0; i-- {", g.L-1)
	g.p("for j := 60; j >= 0; j -= 4 {")
	g.p("r.Square(&r).Square(&r).Square(&r).Square(&r)")
	g.p("if w := (exp[i] >> uint(j)) & 15; w != 0 {")
	g.p("r.Mul(&r, &table[w])")
	g.p("}")
	g.p("}")
	g.p("}")
	g.p("*z = r")
	g.p("return z")
	g.p("}")
	g.p("")
}

func (g *gen) genBytes() {
	T, L := g.s.typ, g.L
	n := 8 * L
	mont := g.s.kind == kindMont
	g.p("// SetCanonical sets z to the integer with little-endian limbs v and")
	g.p("// reports whether v < m; if not, z is unchanged.")
	g.p("func (z *%s) SetCanonical(v *[%d]uint64) bool {", T, L)
	g.p("var b uint64")
	for i := 0; i < L; i++ {
		g.p("_, b = bits.Sub64(v[%d], %#x, b)", i, g.limbs[i])
	}
	g.p("if b == 0 { return false }")
	if mont {
		g.p("z.toMont((*%s)(v))", T)
	} else {
		g.p("*z = %s(*v)", T)
	}
	g.p("return true")
	g.p("}")
	g.p("")
	g.p("// Canonical returns the integer value of z as little-endian limbs.")
	g.p("func (z *%s) Canonical() [%d]uint64 {", T, L)
	if mont {
		g.p("var r %s", T)
		g.p("r.fromMont(z)")
		g.p("return r")
	} else {
		g.p("return *z")
	}
	g.p("}")
	g.p("")
	g.p("// SetBytesLE sets z to the %d-byte little-endian integer b and reports", n)
	g.p("// whether b has that length and encodes a value < m.")
	g.p("func (z *%s) SetBytesLE(b []byte) bool {", T)
	g.p("if len(b) != %d { return false }", n)
	g.p("var v [%d]uint64", L)
	g.p("for i := range v {")
	g.p("v[i] = uint64(b[8*i]) | uint64(b[8*i+1])<<8 | uint64(b[8*i+2])<<16 | uint64(b[8*i+3])<<24 | uint64(b[8*i+4])<<32 | uint64(b[8*i+5])<<40 | uint64(b[8*i+6])<<48 | uint64(b[8*i+7])<<56")
	g.p("}")
	g.p("return z.SetCanonical(&v)")
	g.p("}")
	g.p("")
	g.p("// SetBytesBE is SetBytesLE for a big-endian b.")
	g.p("func (z *%s) SetBytesBE(b []byte) bool {", T)
	g.p("if len(b) != %d { return false }", n)
	g.p("var v [%d]uint64", L)
	g.p("for i := range v {")
	g.p("o := %d - 8*i", n-8)
	g.p("v[i] = uint64(b[o+7]) | uint64(b[o+6])<<8 | uint64(b[o+5])<<16 | uint64(b[o+4])<<24 | uint64(b[o+3])<<32 | uint64(b[o+2])<<40 | uint64(b[o+1])<<48 | uint64(b[o])<<56")
	g.p("}")
	g.p("return z.SetCanonical(&v)")
	g.p("}")
	g.p("")
	g.p("// BytesLE writes z as %d little-endian bytes to out.", n)
	g.p("func (z *%s) BytesLE(out *[%d]byte) {", T, n)
	g.p("v := z.Canonical()")
	g.p("for i, w := range v {")
	g.p("for j := 0; j < 8; j++ { out[8*i+j] = byte(w >> (8 * j)) }")
	g.p("}")
	g.p("}")
	g.p("")
	g.p("// SetBig sets z = v mod m and returns z. It allocates; for set-up and tests.")
	g.p("func (z *%s) SetBig(v *big.Int) *%s {", T, T)
	g.p("w := new(big.Int).Mod(v, new(big.Int).SetBytes(%sModulusBE[:]))", g.lc)
	g.p("var b [%d]byte", n)
	g.p("w.FillBytes(b[:])")
	g.p("if !z.SetBytesBE(b[:]) { panic(\"field: unreduced\") }")
	g.p("return z")
	g.p("}")
	g.p("")
	g.p("// Big returns z as a big.Int. It allocates; for tests.")
	g.p("func (z *%s) Big() *big.Int {", T)
	g.p("var b [%d]byte", n)
	g.p("z.BytesLE(&b)")
	g.p("for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 { b[i], b[j] = b[j], b[i] }")
	g.p("return new(big.Int).SetBytes(b[:])")
	g.p("}")
	g.p("")
	be := g.m.FillBytes(make([]byte, n))
	parts := make([]string, n)
	for i, v := range be {
		parts[i] = fmt.Sprintf("%#02x", v)
	}
	g.p("var %sModulusBE = [%d]byte{%s}", g.lc, n, strings.Join(parts, ", "))
	g.p("")
	g.p("// ModulusBE returns the modulus m as %d big-endian bytes.", n)
	g.p("func (%s) ModulusBE() [%d]byte { return %sModulusBE }", T, n, g.lc)
	g.p("")
}
