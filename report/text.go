package report

import (
	"bufio"
	"io"
	"strings"
)

// writeText renders d as plain UTF-8 text: one paragraph a line, table
// rows as cells joined by " | " (line breaks inside a cell become "; ").
func writeText(w io.Writer, d *doc) error {
	bw := bufio.NewWriter(w)
	copies := max(d.copies, 1)
	for c := 1; c <= copies; c++ {
		if d.copies > 0 {
			if c > 1 {
				bw.WriteString("\f\n")
			}
			bw.WriteString("[" + copyLabel(c) + "]\n\n")
		}
		for _, b := range d.blocks {
			switch b.kind {
			case bTitle, bRight:
				for _, l := range b.lines {
					bw.WriteString(l + "\n")
				}
			case bHeading:
				bw.WriteString("\n" + b.text + "\n")
			case bPara:
				bw.WriteString(b.text + "\n")
			case bList:
				for _, l := range b.lines {
					bw.WriteString("  – " + l + "\n")
				}
			case bSpace:
				bw.WriteString("\n")
			case bKV:
				for _, row := range b.tab.rows {
					bw.WriteString("  " + row[0] + ": " + oneLine(row[1]) + "\n")
				}
			case bTable:
				var hs []string
				for _, c := range b.tab.cols {
					hs = append(hs, c.title)
				}
				bw.WriteString("  " + strings.Join(hs, " | ") + "\n")
				for _, row := range b.tab.rows {
					cells := make([]string, len(row))
					for i, c := range row {
						cells[i] = oneLine(c)
					}
					bw.WriteString("  " + strings.Join(cells, " | ") + "\n")
				}
			case bSignatures:
				for _, s := range b.sigs {
					lead := strings.TrimSpace(s.role + " " + s.position)
					bw.WriteString(lead + "  ______________ / " + s.name + " /\n")
				}
				if b.seal {
					bw.WriteString("М.П.\n")
				}
			}
		}
	}
	return bw.Flush()
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", "; ") }
