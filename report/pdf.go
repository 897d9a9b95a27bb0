package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// PDF layout, in millimetres on A4 portrait. The margins follow GOST R
// 7.0.97-2016 §5.1 for organisational documents (left ≥ 20, right ≥ 10,
// top and bottom ≥ 20; the footer sits inside the bottom margin).
const (
	pageW, pageH = 210.0, 297.0
	marginL      = 20.0
	marginR      = 15.0
	marginT      = 18.0
	marginB      = 20.0
	footerY      = pageH - 12.0
	textW        = pageW - marginL - marginR
	cellPad      = 1.2
	ptToMM       = 25.4 / 72
)

// Font sizes in points.
const (
	sizeBody  = 10.0
	sizeSmall = 9.0
	sizeTable = 8.5
	sizeMono  = 7.5
	sizeTitle = 12.5
	sizeFoot  = 8.0
)

// The fonts are the Go fonts (golang.org/x/image/font/gofont, BSD-style
// licence): WGL4 coverage, i.e. the full Russian alphabet, «», №, dashes.
// They are compiled into the binary and embedded (subset) in every PDF.
const (
	famSans = "gosans"
	famMono = "gomono"
)

type fontCover struct {
	once  sync.Once
	f     *sfnt.Font
	cache sync.Map // rune → bool
}

var covers = map[string]*fontCover{famSans: {}, famSans + "B": {}, famMono: {}}

var fontBytes = map[string][]byte{famSans: goregular.TTF, famSans + "B": gobold.TTF, famMono: gomono.TTF}

// hasGlyph reports whether the font has a glyph for r.
func hasGlyph(font string, r rune) bool {
	fc := covers[font]
	fc.once.Do(func() {
		f, err := sfnt.Parse(fontBytes[font])
		if err == nil {
			fc.f = f
		}
	})
	if fc.f == nil {
		return false
	}
	if v, ok := fc.cache.Load(r); ok {
		return v.(bool)
	}
	var buf sfnt.Buffer
	i, err := fc.f.GlyphIndex(&buf, r)
	ok := err == nil && i != 0
	fc.cache.Store(r, ok)
	return ok
}

// pdfClean makes s drawable with font: tabs become spaces, other control
// characters are dropped, and a character the font has no glyph for is
// written as <U+XXXX>, so that nothing is silently shown as a box or '?'.
func pdfClean(font, s string) string {
	ok := true
	for _, r := range s {
		if r == '\n' || (r >= ' ' && r < 0x7f) {
			continue
		}
		ok = false
		break
	}
	if ok {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\t':
			b.WriteByte(' ')
		case unicode.IsControl(r) || r == utf8.RuneError:
			// dropped
		case r == '\u00a0':
			b.WriteByte(' ')
		case hasGlyph(font, r):
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "<U+%04X>", r)
		}
	}
	return b.String()
}

type pdfWriter struct {
	f *fpdf.Fpdf
	d *doc
	// font is the current family+style key for hasGlyph; size in points.
	font string
	size float64
	// copy is the copy being drawn (0 when the doc has no copies); first
	// the page it started on; pages the number of pages of one copy
	// (known in the second pass, 0 in the first).
	copy, first, pages int
	// layouts caches the line breaking of each table.
	layouts map[*table]*tableLayout
}

// writePDF renders d on A4. A document with copies is drawn twice: once
// to learn how many pages one copy takes ("Страница N из M" counts within
// a copy), then for real. created is the document date written into the
// PDF's metadata: never the clock.
func writePDF(w io.Writer, d *doc, created time.Time) error {
	pages := 0
	if d.copies > 0 {
		probe := *d
		probe.copies = 1
		f, err := drawPDF(&probe, created, 0)
		if err != nil {
			return err
		}
		pages = f.PageCount()
	}
	f, err := drawPDF(d, created, pages)
	if err != nil {
		return err
	}
	if d.copies == 0 {
		// No copies: number pages of the whole document; draw again with
		// the count known.
		if f, err = drawPDF(d, created, f.PageCount()); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return fmt.Errorf("report: writing PDF: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func drawPDF(d *doc, created time.Time, pages int) (*fpdf.Fpdf, error) {
	f := fpdf.New("P", "mm", "A4", "")
	// Reproducible output: fixed metadata, no clock, sorted catalogs.
	f.SetCatalogSort(true)
	f.SetCreationDate(created.UTC())
	f.SetModificationDate(created.UTC())
	f.SetProducer("gostsig report", true)
	f.SetCreator("gostsig report", true)
	f.SetTitle(d.title, true)
	f.SetAuthor(d.author, true)
	f.SetLang("ru-RU")
	f.SetCompression(true)
	// Each document gets its own copy of the font files: fpdf's subsetter
	// writes into the buffer it was given (getMetrics appends to a slice
	// of it when a font has fewer horizontal metrics than glyphs, as Go
	// Mono does), which would otherwise change the shared gofont bytes
	// and make the next PDF differ.
	f.AddUTF8FontFromBytes(famSans, "", bytes.Clone(goregular.TTF))
	f.AddUTF8FontFromBytes(famSans, "B", bytes.Clone(gobold.TTF))
	f.AddUTF8FontFromBytes(famMono, "", bytes.Clone(gomono.TTF))
	f.SetMargins(marginL, marginT, marginR)
	f.SetAutoPageBreak(false, marginB)
	f.SetCellMargin(0)
	p := &pdfWriter{f: f, d: d, pages: pages}
	f.SetFooterFunc(p.footer)
	copies := max(d.copies, 1)
	for c := 1; c <= copies; c++ {
		// AddPage runs the footer of the previous page first: switch to the
		// new copy only after it.
		p.newPage()
		if d.copies > 0 {
			p.copy = c
		}
		p.first = f.PageNo()
		if p.copy > 0 {
			p.setFont(famSans, "B", sizeBody)
			p.text(marginL, f.GetY(), textW, copyLabel(p.copy), "R")
			f.SetY(f.GetY() + p.lineH() + 2)
		}
		for i := range d.blocks {
			var next *block
			if i+1 < len(d.blocks) {
				next = &d.blocks[i+1]
			}
			p.block(&d.blocks[i], next)
		}
	}
	if err := f.Error(); err != nil {
		return nil, fmt.Errorf("report: drawing PDF: %w", err)
	}
	return f, nil
}

func (p *pdfWriter) newPage() {
	p.f.AddPage()
	p.f.SetXY(marginL, marginT)
}

func (p *pdfWriter) footer() {
	f := p.f
	p.setFont(famSans, "", sizeFoot)
	n := f.PageNo() - p.first + 1
	var parts []string
	if p.d.footer != "" {
		parts = append(parts, p.d.footer)
	}
	if p.copy > 0 {
		parts = append(parts, copyLabel(p.copy))
	}
	page := fmt.Sprintf("Страница %d", n)
	if p.pages > 0 {
		page += fmt.Sprintf(" из %d", p.pages)
	}
	parts = append(parts, page)
	f.SetDrawColor(150, 150, 150)
	f.Line(marginL, footerY-2, pageW-marginR, footerY-2)
	f.SetDrawColor(0, 0, 0)
	p.text(marginL, footerY, textW, strings.Join(parts, " · "), "C")
}

func (p *pdfWriter) setFont(family, style string, size float64) {
	p.f.SetFont(family, style, size)
	p.font, p.size = family+style, size
}

// lineH is the line height of the current font.
func (p *pdfWriter) lineH() float64 { return p.size * ptToMM * 1.28 }

func (p *pdfWriter) width(s string) float64 { return p.f.GetStringWidth(s) }

// text draws one line (already clean and short enough) at x, y.
func (p *pdfWriter) text(x, y, w float64, s, align string) {
	p.f.SetXY(x, y)
	p.f.CellFormat(w, p.lineH(), pdfClean(p.font, s), "", 0, align, false, 0, "")
}

// wrap breaks s into lines no wider than w in the current font: at
// spaces and after commas (distinguished names have no spaces), or, for a
// word longer than a line (hex, mono columns), anywhere inside it.
func (p *pdfWriter) wrap(s string, w float64, mono bool) []string {
	s = pdfClean(p.font, s)
	var out []string
	for _, para := range strings.Split(s, "\n") {
		toks := tokens(para, mono)
		if len(toks) == 0 {
			out = append(out, "")
			continue
		}
		line := ""
		for _, tk := range toks {
			cand := line + tk.sep + tk.text
			if line == "" {
				cand = tk.text
			}
			if p.width(cand) <= w {
				line = cand
				continue
			}
			if line != "" {
				out = append(out, line)
				line = ""
			}
			word := tk.text
			for p.width(word) > w {
				// Break the word at the last rune that fits.
				cut, acc := 0, ""
				for i, r := range word {
					next := acc + string(r)
					if p.width(next) > w && i > 0 {
						break
					}
					acc, cut = next, i+utf8.RuneLen(r)
				}
				out = append(out, word[:cut])
				word = word[cut:]
			}
			line = word
		}
		out = append(out, line)
	}
	return out
}

type token struct{ sep, text string }

// tokens splits a line at spaces (sep " ") and after commas (sep "").
// Mono text (hex) is split only at spaces.
func tokens(s string, mono bool) []token {
	var out []token
	sep := ""
	start := -1
	for i, r := range s {
		switch {
		case r == ' ':
			if start >= 0 {
				out = append(out, token{sep, s[start:i]})
				start = -1
			}
			sep = " "
		case r == ',' && !mono:
			if start < 0 {
				start = i
			}
			out = append(out, token{sep, s[start : i+1]})
			start, sep = -1, ""
		default:
			if start < 0 {
				start = i
			}
		}
	}
	if start >= 0 {
		out = append(out, token{sep, s[start:]})
	}
	// "№" stays with its number.
	for i := 0; i+1 < len(out); i++ {
		if out[i].text == "№" && out[i+1].sep == " " {
			out[i].text += " " + out[i+1].text
			out = append(out[:i+1], out[i+2:]...)
		}
	}
	if len(out) > 0 {
		out[0].sep = ""
	}
	return out
}

func (p *pdfWriter) bottom() float64 { return pageH - marginB }

// room makes sure h millimetres fit below the current position, starting
// a new page when not.
func (p *pdfWriter) room(h float64) {
	if p.f.GetY()+h > p.bottom() {
		p.newPage()
	}
}

// lines draws wrapped lines with an indent, breaking pages between lines.
func (p *pdfWriter) lines(ls []string, x, w float64, align string) {
	for _, l := range ls {
		p.room(p.lineH())
		p.text(x, p.f.GetY(), w, l, align)
		p.f.SetY(p.f.GetY() + p.lineH())
	}
}

func (p *pdfWriter) block(b *block, next *block) {
	f := p.f
	switch b.kind {
	case bTitle:
		if b.small {
			p.setFont(famSans, "", sizeBody)
		} else {
			p.setFont(famSans, "B", sizeTitle)
		}
		for _, l := range b.lines {
			p.lines(p.wrap(l, textW, false), marginL, textW, "C")
		}
	case bRight:
		p.setFont(famSans, "", sizeBody)
		for _, l := range b.lines {
			ls := p.wrap(l, textW*0.5, false)
			p.lines(ls, marginL, textW, "R")
		}
	case bSpace:
		f.SetY(f.GetY() + 3)
	case bHeading:
		size := map[int]float64{1: 11.5, 2: 10.5, 3: 10}[b.level]
		p.setFont(famSans, "B", size)
		ls := p.wrap(b.text, textW, false)
		// Keep a heading with the start of what follows.
		f.SetY(f.GetY() + map[int]float64{1: 4, 2: 3, 3: 2.5}[b.level])
		h := float64(len(ls))*p.lineH() + 1
		p.room(h + p.leadHeight(next))
		p.setFont(famSans, "B", size)
		p.lines(ls, marginL, textW, "L")
		f.SetY(f.GetY() + 1)
	case bPara:
		switch {
		case b.bold:
			p.setFont(famSans, "B", sizeBody)
			f.SetY(f.GetY() + 1.5)
			// A bold lead-in stays with the start of what follows.
			n := len(p.wrap(b.text, textW, false))
			p.room(float64(n)*p.lineH() + 1 + p.leadHeight(next))
			p.setFont(famSans, "B", sizeBody)
		case b.small:
			p.setFont(famSans, "", sizeSmall)
		default:
			p.setFont(famSans, "", sizeBody)
		}
		p.lines(p.wrap(b.text, textW, false), marginL, textW, "L")
		f.SetY(f.GetY() + 1)
	case bList:
		p.setFont(famSans, "", sizeBody)
		for _, l := range b.lines {
			ls := p.wrap(l, textW-6, false)
			p.room(p.lineH())
			p.text(marginL+1.5, f.GetY(), 4, "–", "L")
			p.lines(ls, marginL+6, textW-6, "L")
		}
		f.SetY(f.GetY() + 1)
	case bKV:
		p.table(b.tab, false)
	case bTable:
		p.table(b.tab, true)
	case bSignatures:
		p.signatures(b)
	}
}

// cellFont picks the font of a column.
func (p *pdfWriter) cellFont(c column, header bool) {
	switch {
	case header:
		p.setFont(famSans, "B", sizeTable)
	case c.mono:
		p.setFont(famMono, "", sizeMono)
	default:
		p.setFont(famSans, "", sizeTable)
	}
}

type cell struct {
	lines []string
	lh    float64
}

// tableLayout is a table's cells broken into lines.
type tableLayout struct {
	widths []float64
	head   []cell // nil without a header row
	headH  float64
	rows   [][]cell
}

func rowHeight(cells []cell, from []int) float64 {
	h := 0.0
	for i, c := range cells {
		n := len(c.lines)
		if from != nil {
			n -= from[i]
		}
		h = max(h, float64(n)*c.lh)
	}
	return h + 2*cellPad
}

func (p *pdfWriter) layoutTable(t *table, header bool) *tableLayout {
	if l, ok := p.layouts[t]; ok {
		return l
	}
	l := &tableLayout{widths: make([]float64, len(t.cols))}
	for i, c := range t.cols {
		l.widths[i] = c.width * textW
	}
	layout := func(texts []string, hdr bool) []cell {
		cells := make([]cell, len(texts))
		for i, s := range texts {
			p.cellFont(t.cols[i], hdr)
			cells[i] = cell{p.wrap(s, l.widths[i]-2*cellPad, t.cols[i].mono), p.lineH()}
		}
		return cells
	}
	if header {
		titles := make([]string, len(t.cols))
		for i, c := range t.cols {
			titles[i] = c.title
		}
		l.head = layout(titles, true)
		l.headH = rowHeight(l.head, nil)
	}
	for _, row := range t.rows {
		l.rows = append(l.rows, layout(row, false))
	}
	if p.layouts == nil {
		p.layouts = map[*table]*tableLayout{}
	}
	p.layouts[t] = l
	return l
}

// leadHeight is how much of block b must fit on a page together with
// the heading or lead-in above it: a table's header and first row, or
// three lines of text.
func (p *pdfWriter) leadHeight(b *block) float64 {
	body := sizeBody * ptToMM * 1.28
	if b == nil {
		return body
	}
	switch b.kind {
	case bTable, bKV:
		l := p.layoutTable(b.tab, b.kind == bTable)
		h := l.headH + 0.5
		if len(l.rows) > 0 {
			h += rowHeight(l.rows[0], nil)
		}
		return min(h, p.bottom()-marginT-1)
	case bList, bPara:
		return 3 * body
	case bSignatures:
		return 4*body + 12
	}
	return body
}

// table draws t with borders. A row that does not fit on the page moves
// to the next one; a row taller than a whole page is split between lines.
// The header row is repeated at the top of every page the table spans.
func (p *pdfWriter) table(t *table, header bool) {
	f := p.f
	l := p.layoutTable(t, header)
	drawRow := func(cells []cell, from []int, avail float64, hdr bool) []int {
		// Draw the lines of each cell that fit in avail; return the next
		// line index per cell (all done when every index is past the end).
		y0 := f.GetY()
		next := make([]int, len(cells))
		rowH := 0.0
		x := marginL
		for i, c := range cells {
			start := 0
			if from != nil {
				start = from[i]
			}
			p.cellFont(t.cols[i], hdr)
			n := len(c.lines) - start
			fit := int((avail - 2*cellPad + 0.01) / c.lh)
			if n > fit {
				n = fit
			}
			for k := range n {
				p.text(x+cellPad, y0+cellPad+float64(k)*c.lh, l.widths[i]-2*cellPad, c.lines[start+k], "L")
			}
			next[i] = start + n
			rowH = max(rowH, float64(n)*c.lh+2*cellPad)
			x += l.widths[i]
		}
		// Borders over the row's full height.
		x = marginL
		f.SetDrawColor(90, 90, 90)
		for i := range cells {
			f.Rect(x, y0, l.widths[i], rowH, "D")
			x += l.widths[i]
		}
		f.SetDrawColor(0, 0, 0)
		f.SetY(y0 + rowH)
		return next
	}
	drawHeader := func() {
		if l.head != nil {
			f.SetFillColor(232, 232, 232)
			f.Rect(marginL, f.GetY(), textW, l.headH, "F")
			drawRow(l.head, nil, l.headH, true)
		}
	}
	f.SetY(f.GetY() + 0.5)
	// The header and the first row (or as much of it as a page holds)
	// start on the same page.
	if len(l.rows) > 0 {
		p.room(min(l.headH+rowHeight(l.rows[0], nil), p.bottom()-marginT-1))
	}
	drawHeader()
	full := p.bottom() - marginT - l.headH
	for _, cells := range l.rows {
		h := rowHeight(cells, nil)
		if f.GetY()+h > p.bottom() && h <= full {
			p.newPage()
			drawHeader()
		}
		var from []int
		for {
			from = drawRow(cells, from, p.bottom()-f.GetY(), false)
			done := true
			for i, c := range cells {
				if from[i] < len(c.lines) {
					done = false
				}
			}
			if done {
				break
			}
			p.newPage()
			drawHeader()
		}
	}
	f.SetY(f.GetY() + 2)
}

// signatures draws a signature line for every member: role and position
// on the left, a line to sign on and the name on the right.
func (p *pdfWriter) signatures(b *block) {
	f := p.f
	leftW, lineW := textW*0.48, textW*0.24
	nameX := marginL + leftW + lineW + 3
	nameW := textW - leftW - lineW - 3
	f.SetY(f.GetY() + 2)
	for _, s := range b.sigs {
		p.setFont(famSans, "", sizeBody)
		left := p.wrap(s.position, leftW, false)
		if s.role != "" {
			left = append([]string{s.role}, left...)
		}
		names := p.wrap(s.name, nameW, false)
		h := float64(max(len(left), len(names)))*p.lineH() + 9
		p.room(h)
		y0 := f.GetY() + 5
		for i, l := range left {
			if i == 0 && s.role != "" {
				p.setFont(famSans, "B", sizeBody)
			} else {
				p.setFont(famSans, "", sizeBody)
			}
			p.text(marginL, y0+float64(i)*p.lineH(), leftW, l, "L")
		}
		// The signing line sits on the baseline of the last left line.
		baseY := y0 + float64(len(left))*p.lineH()
		f.SetDrawColor(0, 0, 0)
		f.Line(marginL+leftW+1, baseY-1, marginL+leftW+lineW-1, baseY-1)
		p.setFont(famSans, "", 6.5)
		p.text(marginL+leftW, baseY-0.5, lineW, "(подпись)", "C")
		p.setFont(famSans, "", sizeBody)
		for i, l := range names {
			p.text(nameX, baseY-float64(len(names)-i)*p.lineH(), nameW, l, "L")
		}
		f.SetY(baseY + 3)
	}
	if b.seal {
		p.setFont(famSans, "B", sizeBody)
		p.room(p.lineH() + 6)
		f.SetY(f.GetY() + 4)
		p.text(marginL, f.GetY(), textW, "М.П.", "L")
		f.SetY(f.GetY() + p.lineH())
	}
}
