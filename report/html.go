package report

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"strings"
)

// htmlStyle is the whole style sheet: the HTML file names no external
// resource (no font, image, script or style sheet), so it opens the same
// anywhere and prints on A4.
const htmlStyle = `
@page { size: A4; margin: 15mm 15mm 18mm 20mm;
  @bottom-center { content: "Страница " counter(page) " из " counter(pages); font-size: 8pt; } }
body { font-family: "Times New Roman", "PT Serif", "DejaVu Serif", serif; font-size: 11pt; line-height: 1.35; color: #000; max-width: 180mm; margin: 0 auto; padding: 8mm 0; }
.copy { break-after: page; page-break-after: always; }
.copy:last-child { break-after: auto; page-break-after: auto; }
.copy-label { text-align: right; font-weight: bold; }
.title { text-align: center; font-weight: bold; font-size: 13pt; margin: 0; }
.title.small { font-weight: normal; font-size: 10.5pt; }
.right { text-align: right; margin: 0; }
h2 { font-size: 12pt; margin: 14pt 0 5pt; break-after: avoid; }
h3 { font-size: 11pt; margin: 10pt 0 4pt; break-after: avoid; }
h4 { font-size: 10.5pt; margin: 9pt 0 4pt; break-after: avoid; }
p { margin: 4pt 0; text-align: justify; }
p.bold { font-weight: bold; }
p.small { font-size: 9.5pt; }
ul { margin: 2pt 0 4pt; padding-left: 18pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 6pt; font-size: 9pt; }
thead { display: table-header-group; }
th, td { border: 0.5pt solid #555; padding: 2pt 4pt; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
th { background: #e8e8e8; }
tr { break-inside: avoid; }
table.kv td:first-child { color: #333; width: 32%; }
td.mono { font-family: "DejaVu Sans Mono", "Consolas", monospace; font-size: 8pt; word-break: break-all; }
table.sig { border: none; margin-top: 10pt; font-size: 10.5pt; }
table.sig td { border: none; padding: 10pt 4pt 2pt; vertical-align: bottom; }
.seal { font-weight: bold; margin-top: 12pt; }
`

// writeHTML renders d as one self-contained HTML file.
func writeHTML(w io.Writer, d *doc) error {
	bw := bufio.NewWriter(w)
	e := html.EscapeString
	br := func(s string) string { return strings.ReplaceAll(e(s), "\n", "<br>") }
	bw.WriteString("<!DOCTYPE html>\n<html lang=\"ru\">\n<head>\n<meta charset=\"utf-8\">\n")
	bw.WriteString("<title>" + e(d.title) + "</title>\n<style>" + htmlStyle + "</style>\n</head>\n<body>\n")
	copies := max(d.copies, 1)
	for c := 1; c <= copies; c++ {
		bw.WriteString("<section class=\"copy\">\n")
		if d.copies > 0 {
			bw.WriteString("<p class=\"copy-label\">" + e(copyLabel(c)) + "</p>\n")
		}
		for _, b := range d.blocks {
			switch b.kind {
			case bTitle:
				cls := "title"
				if b.small {
					cls += " small"
				}
				for _, l := range b.lines {
					fmt.Fprintf(bw, "<p class=\"%s\">%s</p>\n", cls, e(l))
				}
			case bRight:
				for _, l := range b.lines {
					bw.WriteString("<p class=\"right\">" + e(l) + "</p>\n")
				}
			case bHeading:
				fmt.Fprintf(bw, "<h%d>%s</h%d>\n", b.level+1, e(b.text), b.level+1)
			case bPara:
				cls := ""
				switch {
				case b.bold:
					cls = " class=\"bold\""
				case b.small:
					cls = " class=\"small\""
				}
				bw.WriteString("<p" + cls + ">" + br(b.text) + "</p>\n")
			case bList:
				bw.WriteString("<ul>\n")
				for _, l := range b.lines {
					bw.WriteString("<li>" + br(l) + "</li>\n")
				}
				bw.WriteString("</ul>\n")
			case bSpace:
				bw.WriteString("<p>&nbsp;</p>\n")
			case bKV, bTable:
				cls := ""
				if b.kind == bKV {
					cls = " class=\"kv\""
				}
				bw.WriteString("<table" + cls + ">\n<colgroup>")
				for _, c := range b.tab.cols {
					fmt.Fprintf(bw, "<col style=\"width:%.0f%%\">", c.width*100)
				}
				bw.WriteString("</colgroup>\n")
				if b.kind == bTable {
					bw.WriteString("<thead><tr>")
					for _, c := range b.tab.cols {
						bw.WriteString("<th>" + e(c.title) + "</th>")
					}
					bw.WriteString("</tr></thead>\n")
				}
				bw.WriteString("<tbody>\n")
				for _, row := range b.tab.rows {
					bw.WriteString("<tr>")
					for i, cell := range row {
						if b.tab.cols[i].mono {
							bw.WriteString("<td class=\"mono\">" + br(cell) + "</td>")
						} else {
							bw.WriteString("<td>" + br(cell) + "</td>")
						}
					}
					bw.WriteString("</tr>\n")
				}
				bw.WriteString("</tbody>\n</table>\n")
			case bSignatures:
				bw.WriteString("<table class=\"sig\">\n")
				for _, s := range b.sigs {
					lead := e(s.position)
					if s.role != "" {
						lead = "<b>" + e(s.role) + "</b><br>" + lead
					}
					bw.WriteString("<tr><td style=\"width:50%\">" + lead + "</td><td style=\"width:22%\">____________________<br><small>(подпись)</small></td><td>" + e(s.name) + "</td></tr>\n")
				}
				bw.WriteString("</table>\n")
				if b.seal {
					bw.WriteString("<p class=\"seal\">М.П.</p>\n")
				}
			}
		}
		bw.WriteString("</section>\n")
	}
	bw.WriteString("</body>\n</html>\n")
	return bw.Flush()
}
