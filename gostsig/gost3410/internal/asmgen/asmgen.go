// Package asmgen emits amd64 assembly (Go syntax) for arithmetic modulo
// the special-form GOST primes, as building blocks for the generators of
// package field (one function per field operation) and package ec (whole
// point operations, so that a doubling or an addition is one call instead
// of twenty). It is used only by `go generate`; nothing imports it at run
// time.
//
// The multiplication is a MULX/ADCX/ADOX schoolbook product (or a squaring
// that computes the off-diagonal products once) into a 2L-limb scratch
// area at 0(SP), followed by folding with 2^(64L) ≡ c (m = 2^(64L) − c) or
// 2^(64L) ≡ −2c (m = 2^(64L−1) + c). Every result is fully reduced.
//
// Register use inside one emitted operation: AX, BX, CX, DX, SI, DI, BP,
// R8–R14 are all clobbered; R15 is never used (so the code assembles with
// -dynlink); BP is used only in functions with a frame (the assembler then
// saves it).
package asmgen

import (
	"bytes"
	"fmt"
	"math/big"
)

// Kind is the shape of a modulus.
type Kind int

const (
	Minus Kind = iota // m = 2^(64L) − c
	Plus              // m = 2^(64L−1) + c
	Mont              // any odd m < 2^(64L): Montgomery form, R = 2^(64L)
)

// Field describes a special-form prime field.
type Field struct {
	L    int      // limbs
	Kind Kind     //
	C    uint64   // Minus: c; Plus: c (not 2c)
	M    *big.Int // the modulus
	// Mont only: the assembly symbol of the modulus limbs (a Go variable
	// such as "·cpcP") and −m⁻¹ mod 2^64.
	ModSym string
	N0     uint64
}

// MontN0 returns −m⁻¹ mod 2^64 for an odd m, the per-round constant of
// Montgomery (CIOS) reduction.
func MontN0(m *big.Int) uint64 {
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	n0 := new(big.Int).ModInverse(new(big.Int).Mod(m, two64), two64)
	return n0.Sub(two64, n0).Uint64()
}

// Limbs returns v as L little-endian limbs.
func (f *Field) Limbs(v *big.Int) []uint64 {
	out := make([]uint64, f.L)
	w := new(big.Int).Set(v)
	mask := new(big.Int).SetUint64(^uint64(0))
	for i := range out {
		out[i] = new(big.Int).And(w, mask).Uint64()
		w.Rsh(w, 64)
	}
	return out
}

// Operand is the address of an L-limb value: limb i is at
// Off+8i(Base) once Load (if any) has been emitted to put a pointer into
// Base. For values in the frame, Base is "SP" and Load is empty.
type Operand struct {
	Load string // e.g. "MOVQ x+8(FP), %s": loads the pointer into the register given
	Base string
	Off  int
}

// Frame returns an operand in the function's own frame.
func Frame(off int) Operand { return Operand{Base: "SP", Off: off} }

// Arg returns an operand at offset off inside the struct an argument
// points to: name+argOff(FP) holds the pointer.
func Arg(name string, argOff, off int) Operand {
	return Operand{Load: fmt.Sprintf("MOVQ %s+%d(FP), %%s", name, argOff), Off: off}
}

// Field returns the operand off bytes further on (a struct field).
func (o Operand) Plus(off int) Operand { o.Off += off; return o }

// Emitter accumulates assembly text.
type Emitter struct {
	bytes.Buffer
	labels int
}

// P emits one instruction line.
func (e *Emitter) P(format string, args ...any) { fmt.Fprintf(e, "\t"+format+"\n", args...) }

// Label emits a label.
func (e *Emitter) Label(l string) { fmt.Fprintf(e, "%s:\n", l) }

// NewLabel returns a fresh label name with the given prefix.
func (e *Emitter) NewLabel(prefix string) string {
	e.labels++
	return fmt.Sprintf("%s_%d", prefix, e.labels)
}

// bind makes operand o addressable through register reg (if it needs a
// pointer) and returns a function giving the address of limb i.
func (e *Emitter) bind(o Operand, reg string) func(i int) string {
	base := o.Base
	if o.Load != "" {
		e.P(o.Load, reg)
		base = reg
	}
	return func(i int) string { return fmt.Sprintf("%d(%s)", o.Off+8*i, base) }
}

// Mul emits dst = x·y mod m (for Mont: x·y·R⁻¹). Scratch: 0(SP) … 8L(SP).
func (e *Emitter) Mul(f *Field, dst, x, y Operand) {
	if f.Kind == Mont {
		e.montMul(f, dst, x, y)
		return
	}
	L := f.L
	xa := e.bind(x, "SI")
	ya := e.bind(y, "DI")
	pool := []string{"R8", "R9", "R10", "R11", "R12", "R13", "R14", "CX", "BP"}
	win := append([]string(nil), pool[:L+1]...)
	e.P("MOVQ %s, DX", xa(0))
	e.P("MULXQ %s, %s, %s", ya(0), win[0], win[1])
	for j := 1; j < L; j++ {
		e.P("MULXQ %s, AX, %s", ya(j), win[j+1])
		if j == 1 {
			e.P("ADDQ AX, %s", win[j])
		} else {
			e.P("ADCQ AX, %s", win[j])
		}
	}
	e.P("ADCQ $0, %s", win[L])
	e.P("MOVQ %s, 0(SP)", win[0])
	for i := 1; i < L; i++ {
		win = append(win[1:], win[0])
		top := win[L]
		e.P("MOVQ %s, DX", xa(i))
		e.P("XORQ %s, %s", top, top)
		for j := 0; j < L; j++ {
			e.P("MULXQ %s, AX, BX", ya(j))
			e.P("ADOXQ AX, %s", win[j])
			e.P("ADCXQ BX, %s", win[j+1])
		}
		e.P("MOVQ $0, AX")
		e.P("ADOXQ AX, %s", top)
		e.P("MOVQ %s, %d(SP)", win[0], 8*i)
	}
	e.reduce(f, dst, win[1:L+1])
}

// Square emits dst = x² mod m. Scratch: 0(SP) … 16L(SP).
func (e *Emitter) Square(f *Field, dst, x Operand) {
	if f.Kind == Mont {
		e.montMul(f, dst, x, x)
		return
	}
	L := f.L
	xa := e.bind(x, "SI")
	free := []string{"R8", "R9", "R10", "R11", "R12", "R13", "R14", "CX", "BP", "DI"}
	reg := map[int]string{}
	alloc := func(p int) string {
		r := free[0]
		free = free[1:]
		reg[p] = r
		return r
	}
	release := func(p int) {
		e.P("MOVQ %s, %d(SP)", reg[p], 8*p)
		free = append(free, reg[p])
		delete(reg, p)
	}
	// Off-diagonal products x_i·x_j (i < j), position i+j.
	e.P("MOVQ %s, DX", xa(0))
	e.P("MULXQ %s, %s, %s", xa(1), alloc(1), alloc(2))
	for j := 2; j < L; j++ {
		e.P("MULXQ %s, AX, %s", xa(j), alloc(j+1))
		if j == 2 {
			e.P("ADDQ AX, %s", reg[j])
		} else {
			e.P("ADCQ AX, %s", reg[j])
		}
	}
	e.P("ADCQ $0, %s", reg[L])
	release(1)
	release(2)
	for i := 1; i <= L-2; i++ {
		top := alloc(i + L)
		e.P("MOVQ %s, DX", xa(i))
		e.P("XORQ %s, %s", top, top)
		for j := i + 1; j < L; j++ {
			e.P("MULXQ %s, AX, BX", xa(j))
			e.P("ADOXQ AX, %s", reg[i+j])
			e.P("ADCXQ BX, %s", reg[i+j+1])
		}
		e.P("MOVQ $0, AX")
		e.P("ADOXQ AX, %s", top)
		release(2*i + 1)
		release(2*i + 2)
	}
	if len(reg) != 0 {
		panic("asmgen: square left positions in registers")
	}
	// r = 2·t + Σ x_i²·2^(128i); CF chain doubles, OF chain adds squares.
	H := []string{"R8", "R9", "R10", "R11", "R12", "R13", "R14", "CX", "BP"}[:L]
	tmp := "DI"
	e.P("XORQ AX, AX")
	for i := 0; i < L; i++ {
		e.P("MOVQ %s, DX", xa(i))
		e.P("MULXQ DX, AX, BX")
		for h, v := range []string{"AX", "BX"} {
			p := 2*i + h
			r := tmp
			if p >= L {
				r = H[p-L]
			}
			if p == 0 || p == 2*L-1 {
				e.P("MOVQ $0, %s", r)
			} else {
				e.P("MOVQ %d(SP), %s", 8*p, r)
			}
			e.P("ADCXQ %s, %s", r, r)
			e.P("ADOXQ %s, %s", v, r)
			if p < L {
				e.P("MOVQ %s, %d(SP)", r, 8*p)
			}
		}
	}
	e.reduce(f, dst, H)
}

// reduce reduces the 2L-limb value whose low half is at 0(SP) and whose
// high half is in H, and stores it to dst.
func (e *Emitter) reduce(f *Field, dst Operand, H []string) {
	L := f.L
	hiRegs := [2]string{"SI", "DI"}
	store := func() {
		da := e.bind(dst, "AX")
		for j := 0; j < L; j++ {
			e.P("MOVQ %s, %s", H[j], da(j))
		}
	}
	switch f.Kind {
	case Minus:
		c := f.C
		done, rare := e.NewLabel("red_done"), e.NewLabel("red_rare")
		e.P("MOVQ $%d, DX", c)
		e.P("XORQ AX, AX")
		for j := 0; j < L; j++ {
			hi := hiRegs[j%2]
			e.P("MULXQ %s, AX, %s", H[j], hi)
			e.P("MOVQ %d(SP), %s", 8*j, H[j])
			e.P("ADOXQ AX, %s", H[j])
			if j > 0 {
				e.P("ADCXQ %s, %s", hiRegs[(j-1)%2], H[j])
			}
		}
		last := hiRegs[(L-1)%2]
		e.P("MOVQ $0, AX")
		e.P("ADCXQ AX, %s", last)
		e.P("ADOXQ AX, %s", last)
		e.P("IMUL3Q $%d, %s, %s", c, last, last)
		e.P("ADDQ %s, %s", last, H[0])
		for j := 1; j < L; j++ {
			e.P("ADCQ $0, %s", H[j])
		}
		e.P("SBBQ AX, AX")
		e.P("ANDQ $%d, AX", c)
		e.P("ADDQ AX, %s", H[0])
		// w ≥ m only if the upper limbs are all ones (rare).
		e.P("MOVQ %s, AX", H[1])
		for j := 2; j < L; j++ {
			e.P("ANDQ %s, AX", H[j])
		}
		e.P("CMPQ AX, $-1")
		e.P("JEQ %s", rare)
		e.Label(done)
		store()
		e.deferRare(rare, func() {
			e.P("MOVQ %s, AX", H[0])
			e.P("ADDQ $%d, AX", c)
			e.P("JCC %s", done)
			e.P("MOVQ AX, %s", H[0])
			for j := 1; j < L; j++ {
				e.P("MOVQ $0, %s", H[j])
			}
			e.P("JMP %s", done)
		})
	case Plus:
		c := f.C
		c2 := 2 * c
		final, done := e.NewLabel("red_final"), e.NewLabel("red_done")
		restore, wrap := e.NewLabel("red_restore"), e.NewLabel("red_wrap")
		e.P("MOVQ $%d, DX", c2)
		e.P("XORQ AX, AX")
		e.P("STC")
		for j := 0; j < L; j++ {
			hi := hiRegs[j%2]
			e.P("MULXQ %s, AX, %s", H[j], hi)
			if j > 0 {
				e.P("ADOXQ %s, AX", hiRegs[(j-1)%2])
			}
			e.P("NOTQ AX")
			e.P("MOVQ %d(SP), %s", 8*j, H[j])
			e.P("ADCXQ AX, %s", H[j])
		}
		last := hiRegs[(L-1)%2]
		e.P("MOVQ $0, AX")
		e.P("ADOXQ AX, %s", last)
		e.P("SBBQ AX, AX")
		e.P("LEAQ 1(%s)(AX*1), %s", last, last)
		e.P("IMUL3Q $%d, %s, %s", c2, last, last)
		e.P("ADDQ %s, %s", last, H[0])
		for j := 1; j < L; j++ {
			e.P("ADCQ $0, %s", H[j])
		}
		e.P("JCS %s", wrap)
		e.Label(final)
		e.P("MOVQ %s, AX", H[L-1])
		e.P("SHRQ $63, AX")
		e.P("MOVQ AX, BX")
		e.P("SHLQ $63, BX")
		e.P("XORQ BX, %s", H[L-1])
		e.P("NEGQ AX")
		e.P("ANDQ $%d, AX", c)
		e.P("SUBQ AX, %s", H[0])
		for j := 1; j < L; j++ {
			e.P("SBBQ $0, %s", H[j])
		}
		e.P("JCS %s", restore)
		e.Label(done)
		store()
		e.deferRare(restore, func() {
			e.P("ADDQ AX, %s", H[0])
			for j := 1; j < L; j++ {
				e.P("ADCQ $0, %s", H[j])
			}
			e.P("ORQ BX, %s", H[L-1])
			e.P("JMP %s", done)
		})
		mc := f.Limbs(new(big.Int).Sub(f.M, new(big.Int).SetUint64(c2)))
		e.deferRare(wrap, func() {
			for j := 0; j < L; j++ {
				e.P("MOVQ $%#x, AX", mc[j])
				if j == 0 {
					e.P("ADDQ AX, %s", H[j])
				} else {
					e.P("ADCQ AX, %s", H[j])
				}
			}
			e.P("JMP %s", final)
		})
	}
}

// Rare paths are emitted after the function's RET (see Flush), so that the
// common path falls through.
type rarePath struct {
	label string
	body  func()
}

var pending []rarePath

func (e *Emitter) deferRare(label string, body func()) {
	pending = append(pending, rarePath{label, body})
}

// Flush emits the deferred rare paths; call it after the function's RET.
func (e *Emitter) Flush() {
	ps := pending
	pending = nil
	for _, p := range ps {
		e.Label(p.label)
		p.body()
	}
}

// montMul emits CIOS Montgomery multiplication dst = x·y·R⁻¹ mod m with
// a window of L+2 registers renamed every round (the shift is free).
// Scratch: 0(SP) … 8L(SP).
func (e *Emitter) montMul(f *Field, dst, x, y Operand) {
	L := f.L
	if L+2 > len(windowRegs) {
		panic("asmgen: montMul window too large")
	}
	ya := e.bind(y, "DI")
	win := append([]string(nil), windowRegs[:L+2]...)
	mod := func(j int) string { return fmt.Sprintf("%s+%d(SB)", f.ModSym, 8*j) }
	loadX := func(i int) {
		if x.Load != "" {
			xa := e.bind(x, "AX")
			e.P("MOVQ %s, DX", xa(i))
		} else {
			e.P("MOVQ %d(%s), DX", x.Off+8*i, x.Base)
		}
	}
	for i := 0; i < L; i++ {
		loadX(i)
		if i == 0 {
			e.P("MULXQ %s, %s, %s", ya(0), win[0], win[1])
			for j := 1; j < L; j++ {
				e.P("MULXQ %s, AX, %s", ya(j), win[j+1])
				if j == 1 {
					e.P("ADDQ AX, %s", win[j])
				} else {
					e.P("ADCQ AX, %s", win[j])
				}
			}
			e.P("ADCQ $0, %s", win[L])
			e.P("XORQ %s, %s", win[L+1], win[L+1])
		} else {
			e.P("XORQ %s, %s", win[L+1], win[L+1])
			for j := 0; j < L; j++ {
				e.P("MULXQ %s, AX, BX", ya(j))
				e.P("ADOXQ AX, %s", win[j])
				e.P("ADCXQ BX, %s", win[j+1])
			}
			e.P("MOVQ $0, AX")
			e.P("ADOXQ AX, %s", win[L])
			e.P("ADCXQ AX, %s", win[L+1])
			e.P("ADOXQ AX, %s", win[L+1])
		}
		e.P("MOVQ $%#x, DX", f.N0)
		e.P("IMULQ %s, DX", win[0])
		e.P("XORQ AX, AX")
		for j := 0; j < L; j++ {
			e.P("MULXQ %s, AX, BX", mod(j))
			e.P("ADOXQ AX, %s", win[j])
			e.P("ADCXQ BX, %s", win[j+1])
		}
		e.P("MOVQ $0, AX")
		e.P("ADOXQ AX, %s", win[L])
		e.P("ADCXQ AX, %s", win[L+1])
		e.P("ADOXQ AX, %s", win[L+1])
		win = append(win[1:], win[0])
	}
	// t = win[0..L] < 2m; subtract m if t ≥ m.
	for j := 0; j < L; j++ {
		e.P("MOVQ %s, AX", win[j])
		if j == 0 {
			e.P("SUBQ %s, AX", mod(j))
		} else {
			e.P("SBBQ %s, AX", mod(j))
		}
		e.P("MOVQ AX, %d(SP)", 8*j)
	}
	e.P("MOVQ %s, AX", win[L])
	e.P("SBBQ $0, AX")
	for j := 0; j < L; j++ {
		e.P("MOVQ %d(SP), AX", 8*j)
		e.P("CMOVQCC AX, %s", win[j])
	}
	da := e.bind(dst, "BX")
	for j := 0; j < L; j++ {
		e.P("MOVQ %s, %s", win[j], da(j))
	}
}

// The add/sub family below handles m = 2^(64L) − c, and any modulus
// (Mont) for L = 4.

func (f *Field) needMinus() {
	if f.Kind == Plus || (f.Kind == Mont && f.L != 4) {
		panic("asmgen: add/sub emitters need m = 2^(64L) − c, or L = 4")
	}
}

// montFix finishes a Mont-field addition whose L-limb result is in A with
// the carry in CF: subtract m if (carry:A) ≥ m.
func (e *Emitter) montFix(f *Field, dst Operand, A []string) {
	L := f.L
	B := []string{"R12", "R13", "R14", "CX"}[:L]
	e.P("MOVQ $0, AX")
	e.P("ADCQ $0, AX")
	for i := 0; i < L; i++ {
		e.P("MOVQ %s, %s", A[i], B[i])
	}
	for i := 0; i < L; i++ {
		if i == 0 {
			e.P("SUBQ %s+%d(SB), %s", f.ModSym, 8*i, B[i])
		} else {
			e.P("SBBQ %s+%d(SB), %s", f.ModSym, 8*i, B[i])
		}
	}
	e.P("SBBQ $0, AX")
	for i := 0; i < L; i++ {
		e.P("CMOVQCC %s, %s", B[i], A[i])
	}
	da := e.bind(dst, "AX")
	for i := 0; i < L; i++ {
		e.P("MOVQ %s, %s", A[i], da(i))
	}
}

// valueRegs are the registers that hold an L-limb value in Add/Sub.
var valueRegs = []string{"R8", "R9", "R10", "R11", "R12", "R13", "R14", "CX"}

// Add emits dst = x + y mod m (m = 2^(64L) − c).
func (e *Emitter) Add(f *Field, dst, x, y Operand) {
	f.needMinus()
	L := f.L
	A := valueRegs[:L]
	xa := e.bind(x, "SI")
	ya := e.bind(y, "DI")
	for i := 0; i < L; i++ {
		e.P("MOVQ %s, %s", xa(i), A[i])
	}
	for i := 0; i < L; i++ {
		if i == 0 {
			e.P("ADDQ %s, %s", ya(i), A[i])
		} else {
			e.P("ADCQ %s, %s", ya(i), A[i])
		}
	}
	if f.Kind == Mont {
		e.montFix(f, dst, A)
		return
	}
	e.fixUp(f, dst, A)
}

// Double emits dst = 2·x mod m.
func (e *Emitter) Double(f *Field, dst, x Operand) {
	f.needMinus()
	L := f.L
	A := valueRegs[:L]
	xa := e.bind(x, "SI")
	for i := 0; i < L; i++ {
		e.P("MOVQ %s, %s", xa(i), A[i])
	}
	for i := 0; i < L; i++ {
		if i == 0 {
			e.P("ADDQ %s, %s", A[i], A[i])
		} else {
			e.P("ADCQ %s, %s", A[i], A[i])
		}
	}
	if f.Kind == Mont {
		e.montFix(f, dst, A)
		return
	}
	e.fixUp(f, dst, A)
}

// fixUp finishes an addition whose result is in A with the carry in CF:
// with a carry, A + c (the value wrapped past 2^(64L) ≡ c; no new carry is
// possible since A < m then); otherwise subtract m in the rare case A ≥ m.
func (e *Emitter) fixUp(f *Field, dst Operand, A []string) {
	L := f.L
	c := f.C
	done, rare := e.NewLabel("add_done"), e.NewLabel("add_rare")
	e.P("SBBQ AX, AX")
	e.P("ANDQ $%d, AX", c)
	e.P("ADDQ AX, %s", A[0])
	for i := 1; i < L; i++ {
		e.P("ADCQ $0, %s", A[i])
	}
	e.P("MOVQ %s, AX", A[1])
	for j := 2; j < L; j++ {
		e.P("ANDQ %s, AX", A[j])
	}
	e.P("CMPQ AX, $-1")
	e.P("JEQ %s", rare)
	e.Label(done)
	da := e.bind(dst, "AX")
	for i := 0; i < L; i++ {
		e.P("MOVQ %s, %s", A[i], da(i))
	}
	e.deferRare(rare, func() {
		e.P("MOVQ %s, AX", A[0])
		e.P("ADDQ $%d, AX", c)
		e.P("JCC %s", done)
		e.P("MOVQ AX, %s", A[0])
		for j := 1; j < L; j++ {
			e.P("MOVQ $0, %s", A[j])
		}
		e.P("JMP %s", done)
	})
}

// Sub emits dst = x − y mod m: on a borrow the wrapped value is
// x − y + 2^(64L) ≡ x − y + c, so subtract c (no second borrow: the wrapped
// value is then ≥ 2^(64L) − m + 1 > c).
func (e *Emitter) Sub(f *Field, dst, x, y Operand) {
	f.needMinus()
	L := f.L
	A := valueRegs[:L]
	xa := e.bind(x, "SI")
	ya := e.bind(y, "DI")
	for i := 0; i < L; i++ {
		e.P("MOVQ %s, %s", xa(i), A[i])
	}
	for i := 0; i < L; i++ {
		if i == 0 {
			e.P("SUBQ %s, %s", ya(i), A[i])
		} else {
			e.P("SBBQ %s, %s", ya(i), A[i])
		}
	}
	e.P("SBBQ AX, AX")
	if f.Kind == Mont {
		// On a borrow add m: masked modulus limbs, then one carry chain.
		B := []string{"R12", "R13", "R14", "CX"}[:L]
		for i := 0; i < L; i++ {
			e.P("MOVQ %s+%d(SB), %s", f.ModSym, 8*i, B[i])
			e.P("ANDQ AX, %s", B[i])
		}
		for i := 0; i < L; i++ {
			if i == 0 {
				e.P("ADDQ %s, %s", B[i], A[i])
			} else {
				e.P("ADCQ %s, %s", B[i], A[i])
			}
		}
	} else {
		e.P("ANDQ $%d, AX", f.C)
		e.P("SUBQ AX, %s", A[0])
		for i := 1; i < L; i++ {
			e.P("SBBQ $0, %s", A[i])
		}
	}
	da := e.bind(dst, "AX")
	for i := 0; i < L; i++ {
		e.P("MOVQ %s, %s", A[i], da(i))
	}
}

// Copy emits dst = x.
func (e *Emitter) Copy(f *Field, dst, x Operand) {
	L := f.L
	xa := e.bind(x, "SI")
	da := e.bind(dst, "DI")
	for i := 0; i < L; i++ {
		e.P("MOVQ %s, AX", xa(i))
		e.P("MOVQ AX, %s", da(i))
	}
}

// IsZero emits a test of x and jumps to label if x = 0 (x fully reduced).
func (e *Emitter) JumpIfZero(f *Field, x Operand, label string) {
	xa := e.bind(x, "SI")
	e.P("MOVQ %s, AX", xa(0))
	for i := 1; i < f.L; i++ {
		e.P("ORQ %s, AX", xa(i))
	}
	e.P("JZ %s", label)
}

// windowRegs are the registers for the CIOS accumulator window (never AX,
// BX, DX or DI).
var windowRegs = []string{"R8", "R9", "R10", "R11", "R12", "R13", "R14", "CX", "SI", "BP"}
