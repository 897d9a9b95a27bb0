package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/xml"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
)

// needPoppler skips when the poppler tools (Debian poppler-utils) are
// missing; CI installs them.
func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdftoppm", "pdffonts"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: install poppler-utils to check the PDF as a reader sees it", tool)
		}
	}
}

func poppler(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func writeTemp(t *testing.T, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

var spaces = regexp.MustCompile(`\s+`)

func norm(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// TestPDFAsReaderSeesIt renders the example conclusion and checks it with
// poppler, the way a person would look at it: the fonts are embedded, the
// text reads back exactly (every heading, every paragraph, every signer's
// data, in both copies), every page is numbered within its copy, and no
// word is outside the page margins.
func TestPDFAsReaderSeesIt(t *testing.T) {
	needPoppler(t)
	r := buildExample(t, "case.yaml")
	pdf := writeTemp(t, "conclusion.pdf", render(t, r, ModeConclusion, PDF))

	// Fonts: all embedded, with a Unicode map (so text copies out right).
	fonts := poppler(t, "pdffonts", pdf)
	lines := strings.Split(strings.TrimSpace(fonts), "\n")
	if len(lines) < 3 {
		t.Fatalf("pdffonts:\n%s", fonts)
	}
	for _, l := range lines[2:] {
		f := strings.Fields(l)
		// name type... encoding emb sub uni object ID
		if len(f) < 6 || f[len(f)-5] != "yes" || f[len(f)-3] != "yes" {
			t.Errorf("font not embedded or without ToUnicode: %s", l)
		}
	}

	text := poppler(t, "pdftotext", "-enc", "UTF-8", pdf, "-")
	pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
	if len(pages)%2 != 0 {
		t.Fatalf("%d pages: two copies must have the same number of pages", len(pages))
	}
	per := len(pages) / 2
	for i, p := range pages {
		copyN, n := i/per+1, i%per+1
		foot := "Заключение № 17-ЭП/2025 · " + copyLabel(copyN) + " · Страница " + strconv.Itoa(n) + " из " + strconv.Itoa(per)
		if !strings.Contains(norm(p), foot) {
			t.Errorf("page %d: footer %q missing", i+1, foot)
		}
		// Drop the footer so that text continued on the next page reads
		// on without it.
		pages[i] = strings.Replace(norm(p), foot, "", 1)
	}
	if strings.ContainsRune(text, '\uFFFD') || strings.Contains(text, "<U+") || strings.Contains(text, "?") {
		t.Error("the text holds a replacement character, <U+…> or '?': a glyph is missing")
	}

	for c := 0; c < 2; c++ {
		copyText := norm(strings.Join(pages[c*per:(c+1)*per], "\n"))
		if !strings.Contains(copyText, copyLabel(c+1)) {
			t.Errorf("copy %d: %q missing", c+1, copyLabel(c+1))
		}
		// Headings in the order of the seed.
		last := -1
		for _, h := range Headings {
			i := strings.Index(copyText, h)
			if i < 0 {
				t.Errorf("copy %d: heading %q missing", c+1, h)
				continue
			}
			if i < last {
				t.Errorf("copy %d: heading %q out of order", c+1, h)
			}
			last = i
		}
		// Every paragraph, title and list line reads back exactly.
		for _, b := range r.conclusion().blocks {
			var want []string
			switch b.kind {
			case bPara, bHeading:
				want = []string{b.text}
			case bTitle, bRight, bList:
				want = b.lines
			}
			for _, w := range want {
				if !strings.Contains(copyText, norm(w)) {
					t.Errorf("copy %d: text %q not found in the PDF", c+1, w)
				}
			}
		}
		// Every signer's data.
		for _, s := range r.Signatures {
			for _, sig := range s.Result.Signatures {
				ci := sig.Signer
				for _, v := range []string{ci.Surname + " " + ci.GivenName, ci.Title, ci.INN, ci.INNLE, ci.OGRN, ci.SNILS, ci.Serial, ci.SHA1, sig.MessageRU} {
					if v != "" && !strings.Contains(copyText, v) {
						t.Errorf("copy %d: signer data %q missing", c+1, v)
					}
				}
			}
		}
		for _, m := range r.Case.Commission {
			if strings.Count(copyText, m.Name) < 2 {
				t.Errorf("copy %d: member %q should appear in the composition and on a signature line", c+1, m.Name)
			}
		}
		if !strings.Contains(copyText, "М.П.") {
			t.Errorf("copy %d: no place for the seal", c+1)
		}
	}
	checkMargins(t, pdf)

	// Page 1 as an image: a real A4 page with ink on it. With -update it
	// becomes the picture in docs/.
	dir := t.TempDir()
	poppler(t, "pdftoppm", "-r", "100", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", pdf, filepath.Join(dir, "page1"))
	img, err := os.ReadFile(filepath.Join(dir, "page1.png"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatal(err)
	}
	w, h := m.Bounds().Dx(), m.Bounds().Dy()
	if w < 800 || w > 850 || h < 1150 || h > 1180 {
		t.Errorf("page 1 is %d×%d px at 100 dpi, want A4 (827×1169)", w, h)
	}
	dark := 0
	for y := 0; y < h; y += 2 {
		for x := 0; x < w; x += 2 {
			if r, _, _, _ := m.At(x, y).RGBA(); r < 0x8000 {
				dark++
			}
		}
	}
	if dark < 1000 {
		t.Errorf("page 1 looks blank (%d dark pixels)", dark)
	}
	if *update {
		if err := os.WriteFile("../docs/report-conclusion-page1.png", img, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// checkMargins reads the position of every word (pdftotext -bbox) and
// fails for any word outside the text area: left and right margins, top
// margin, and the bottom margin for all but the footer line.
func checkMargins(t *testing.T, pdf string) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bbox.html")
	poppler(t, "pdftotext", "-bbox", "-enc", "UTF-8", pdf, out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Pages []struct {
			W     float64 `xml:"width,attr"`
			H     float64 `xml:"height,attr"`
			Words []struct {
				XMin float64 `xml:"xMin,attr"`
				YMin float64 `xml:"yMin,attr"`
				XMax float64 `xml:"xMax,attr"`
				YMax float64 `xml:"yMax,attr"`
				Text string  `xml:",chardata"`
			} `xml:"word"`
		} `xml:"body>doc>page"`
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.AutoClose = xml.HTMLAutoClose
	dec.Entity = xml.HTMLEntity
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("bbox output: %v", err)
	}
	if len(doc.Pages) == 0 {
		t.Fatal("no pages in the bbox output")
	}
	mm := 72 / 25.4
	const slack = 0.6 // points: glyph side bearings
	words := 0
	for i, p := range doc.Pages {
		if p.W < 594 || p.W > 596 || p.H < 841 || p.H > 843 {
			t.Errorf("page %d is %.1f×%.1f pt, not A4", i+1, p.W, p.H)
		}
		for _, w := range p.Words {
			words++
			bad := w.XMin < marginL*mm-slack || w.XMax > (pageW-marginR)*mm+slack || w.YMin < marginT*mm-slack-2
			inFooter := w.YMin > (footerY-3)*mm
			if !inFooter && w.YMax > (pageH-marginB)*mm+slack {
				bad = true
			}
			if inFooter && w.YMax > (pageH-5)*mm {
				bad = true
			}
			if bad {
				t.Errorf("page %d: %q at x %.1f–%.1f, y %.1f–%.1f pt is outside the text area", i+1, w.Text, w.XMin, w.XMax, w.YMin, w.YMax)
			}
		}
	}
	if words < 500 {
		t.Errorf("only %d words found", words)
	}
}

// TestPDFLongTable: a table longer than a page repeats its header on
// every page, a row taller than a page is split, a word longer than a
// cell is broken, and nothing runs off the page.
func TestPDFLongTable(t *testing.T) {
	needPoppler(t)
	tab := &table{cols: []column{{"Номер", 0.1, false}, {"Описание", 0.6, false}, {"Хеш", 0.3, true}}}
	for i := range 60 {
		tab.rows = append(tab.rows, []string{strconv.Itoa(i + 1), strings.Repeat("Съешь же ещё этих мягких французских булок, да выпей чаю. ", 1+i%4),
			strings.Repeat("0123456789abcdef", 4)})
	}
	// One row far taller than a page, and one unbreakable word.
	tab.rows = append(tab.rows, []string{"61", strings.Repeat("строка\n", 150), "x"})
	tab.rows = append(tab.rows, []string{"62", strings.Repeat("Оченьдлинноесловобезпробелов", 12), ""})
	d := &doc{title: "t", footer: "Проверка", blocks: []block{{kind: bHeading, level: 1, text: "Длинная таблица"}, {kind: bTable, tab: tab}}}
	var buf bytes.Buffer
	if err := writePDF(&buf, d, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	pdf := writeTemp(t, "long.pdf", buf.Bytes())
	text := poppler(t, "pdftotext", "-enc", "UTF-8", pdf, "-")
	pages := strings.Split(strings.TrimSuffix(text, "\f"), "\f")
	if len(pages) < 4 {
		t.Fatalf("%d pages, want the table to span at least 4", len(pages))
	}
	for i, p := range pages {
		if !strings.Contains(p, "Описание") || !strings.Contains(p, "Хеш") {
			t.Errorf("page %d: header row not repeated", i+1)
		}
		if !strings.Contains(norm(p), "Страница "+strconv.Itoa(i+1)+" из "+strconv.Itoa(len(pages))) {
			t.Errorf("page %d: no page number", i+1)
		}
	}
	if got := strings.Count(text, "строка"); got != 150 {
		t.Errorf("split row: %d of 150 lines found", got)
	}
	if got := strings.Count(strings.ReplaceAll(norm(text), " ", ""), "Оченьдлинноесловобезпробелов"); got != 12 {
		t.Errorf("long word: %d of 12 repetitions found", got)
	}
	checkMargins(t, pdf)
}

func TestPDFClean(t *testing.T) {
	for in, want := range map[string]string{
		"Подпись № 1 «ГОСТ» — ok": "Подпись № 1 «ГОСТ» — ok",
		"日本\tx\x00y": "<U+65E5><U+672C> xy",
		"a\u00a0b\n": "a b\n",
		"😀":          "<U+1F600>",
	} {
		if got := pdfClean(famSans, in); got != want {
			t.Errorf("pdfClean(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFontsUnchanged guards against the PDF writer changing the shared
// gofont bytes (fpdf's subsetter writes into the buffer it is given).
func TestFontsUnchanged(t *testing.T) {
	before := [2][32]byte{sha256.Sum256(goregular.TTF), sha256.Sum256(gomono.TTF)}
	r := buildExample(t, "case.yaml")
	render(t, r, ModeConclusion, PDF)
	render(t, r, ModeConclusion, PDF)
	after := [2][32]byte{sha256.Sum256(goregular.TTF), sha256.Sum256(gomono.TTF)}
	if before != after {
		t.Error("rendering a PDF changed the gofont font bytes")
	}
}
