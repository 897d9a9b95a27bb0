package report

import "strconv"

// The conclusion and the notice are first built as a list of blocks, then
// each renderer (PDF, HTML, text) draws the same blocks, so the three
// outputs cannot say different things.

type blockKind uint8

const (
	bTitle      blockKind = iota // centred bold title lines
	bHeading                     // numbered section heading (level 1..3)
	bPara                        // paragraph
	bTable                       // table with a header row (repeated on each page)
	bKV                          // two-column key/value table without header
	bSignatures                  // signature lines of the commission members
	bSpace                       // vertical space
	bRight                       // right-aligned lines (letterhead addressee, date)
	bList                        // bulleted lines
)

type block struct {
	kind  blockKind
	level int      // bHeading
	text  string   // bHeading, bPara
	lines []string // bTitle, bRight, bList
	bold  bool     // bPara
	small bool     // bPara
	tab   *table   // bTable, bKV
	sigs  []sigLine
	seal  bool // bSignatures: print "М.П."
}

// table is a table of text cells. Widths are fractions of the text width.
type table struct {
	cols []column
	rows [][]string
}

type column struct {
	title string
	width float64
	mono  bool // hex values: monospace, broken anywhere
}

type sigLine struct {
	role, position, name string
}

// doc is a rendered document: blocks plus what the page furniture needs.
type doc struct {
	// title is the PDF/HTML document title; footer the text printed
	// before "Страница N из M" on every page.
	title  string
	footer string
	// author, subject: PDF metadata.
	author string
	// copies: 0 renders the blocks once; n ≥ 1 renders them n times,
	// each copy starting on a new page and carrying copyLabel(i).
	copies int
	blocks []block
}

func copyLabel(i int) string { return "Экземпляр № " + strconv.Itoa(i) }

// builder helpers.
type blocks []block

func (b *blocks) heading(level int, text string) {
	*b = append(*b, block{kind: bHeading, level: level, text: text})
}
func (b *blocks) para(text string) { *b = append(*b, block{kind: bPara, text: text}) }
func (b *blocks) boldPara(text string) {
	*b = append(*b, block{kind: bPara, text: text, bold: true})
}
func (b *blocks) smallPara(text string) {
	*b = append(*b, block{kind: bPara, text: text, small: true})
}
func (b *blocks) list(lines ...string) {
	if len(lines) > 0 {
		*b = append(*b, block{kind: bList, lines: lines})
	}
}
func (b *blocks) space() { *b = append(*b, block{kind: bSpace}) }
func (b *blocks) kv(rows ...[2]string) {
	t := &table{cols: []column{{width: 0.32}, {width: 0.68}}}
	for _, r := range rows {
		if r[1] != "" {
			t.rows = append(t.rows, []string{r[0], r[1]})
		}
	}
	if len(t.rows) > 0 {
		*b = append(*b, block{kind: bKV, tab: t})
	}
}
func (b *blocks) table(t *table) { *b = append(*b, block{kind: bTable, tab: t}) }
