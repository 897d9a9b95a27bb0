package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"gostsig.dev/gostsig"
)

// The text form of "gostsig verify" for people: one block per signature,
// the verdict and reason in Russian, the signer, the signing time and its
// source, the chain, the revocation evidence and every check.

var statusMarks = map[gostsig.Status]string{
	gostsig.StatusPassed:        "[ок]  ",
	gostsig.StatusFailed:        "[ОШИБ]",
	gostsig.StatusIndeterminate: "[?]   ",
	gostsig.StatusSkipped:       "[—]   ",
}

// levelWords are the policy levels of a check (interfaces.md names) as
// the text output says them.
var levelWords = map[gostsig.Level]string{
	gostsig.LevelFail:   "обязательная",
	gostsig.LevelWarn:   "предупреждение",
	gostsig.LevelInform: "для сведения",
	gostsig.LevelIgnore: "не учитывается",
}

// revocationWords are the revocation statuses as the text output says them.
var revocationWords = map[gostsig.RevocationStatus]string{
	gostsig.RevocationGood:    "не отозван",
	gostsig.RevocationRevoked: "отозван",
	gostsig.RevocationUnknown: "статус неизвестен",
}

var timeSources = map[gostsig.TimeSource]string{
	gostsig.TimeSourceTimestamp:      "штамп времени (доказано)",
	gostsig.TimeSourceValidationTime: "время проверки",
	gostsig.TimeSourceClaimed:        "заявленное время подписания (доверено политикой)",
}

func textTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

func verdictLine(ind gostsig.Indication, sub gostsig.SubIndication) string {
	if sub == gostsig.NoSubIndication {
		return ind.String()
	}
	return ind.String() + " / " + sub.String()
}

// writeText writes r for people, in Russian. With causes, each check and
// revocation line is followed by its technical cause (English, from the
// layer that found it), for the administrator reading --diagnostic output.
func writeText(w io.Writer, name string, r *gostsig.Result, causes bool) {
	var b strings.Builder
	fmt.Fprintf(&b, "Файл:           %s\n", name)
	fmt.Fprintf(&b, "Формат:         %s (%s)\n", r.Format, r.Profile)
	fmt.Fprintf(&b, "Время проверки: %s\n", textTime(r.ValidationTime))
	fmt.Fprintf(&b, "Итог:           %s — %s\n", verdictLine(r.Indication, r.SubIndication), r.MessageRU)
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "  %s %s: %s\n", statusMarks[c.Status], c.Name, c.Detail)
		writeCause(&b, "      ", c.Cause, causes)
	}
	for i := range r.Signatures {
		writeSignature(&b, i+1, &r.Signatures[i], causes)
	}
	io.WriteString(w, b.String())
}

// writeCause writes the technical cause under a line, when asked for.
func writeCause(b *strings.Builder, indent, cause string, causes bool) {
	if causes && cause != "" {
		fmt.Fprintf(b, "%sпричина (техн.): %s\n", indent, cause)
	}
}

func writeSignature(b *strings.Builder, n int, s *gostsig.Signature, causes bool) {
	fmt.Fprintf(b, "\nПодпись %d (%s): %s\n", n, s.ID, verdictLine(s.Indication, s.SubIndication))
	fmt.Fprintf(b, "  %s\n", s.MessageRU)
	if s.Signer != nil {
		si := s.Signer
		who := si.CommonName
		if si.Surname != "" {
			who = strings.TrimSpace(si.Surname + " " + si.GivenName)
		}
		fmt.Fprintf(b, "  Владелец:       %s\n", who)
		if si.Organization != "" && si.Organization != who {
			fmt.Fprintf(b, "  Организация:    %s\n", si.Organization)
		}
		var ids []string
		for _, kv := range [][2]string{{"ИНН", si.INN}, {"ИНН ЮЛ", si.INNLE}, {"ОГРН", si.OGRN}, {"ОГРНИП", si.OGRNIP}, {"СНИЛС", si.SNILS}} {
			if kv[1] != "" {
				ids = append(ids, kv[0]+" "+kv[1])
			}
		}
		if len(ids) > 0 {
			fmt.Fprintf(b, "  Реквизиты:      %s\n", strings.Join(ids, ", "))
		}
		fmt.Fprintf(b, "  Сертификат:     № %s, действует %s — %s\n", si.Serial, textTime(si.NotBefore), textTime(si.NotAfter))
		fmt.Fprintf(b, "  Издатель:       %s\n", gostsig.HumanName(si.Issuer))
		fmt.Fprintf(b, "  Отпечаток SHA-1: %s\n", si.SHA1)
	}
	st := s.SigningTime
	fmt.Fprintf(b, "  Время подписи:  %s (%s)\n", textTime(st.Best), timeSources[st.Source])
	if !st.Claimed.IsZero() {
		fmt.Fprintf(b, "  Заявлено:       %s (атрибут signingTime, не доказывает время)\n", textTime(st.Claimed))
	}
	q := "нет"
	if s.Qualified {
		q = "да"
	}
	fmt.Fprintf(b, "  Квалифицированная: %s\n", q)
	for _, r := range s.QualifiedReasons {
		fmt.Fprintf(b, "    - %s\n", r.MessageRU)
	}
	if len(s.Chain) > 0 {
		fmt.Fprintf(b, "  Цепочка сертификатов:\n")
		for i, c := range s.Chain {
			mark := ""
			if c.Anchor {
				mark = "  [доверенный корень]"
			}
			fmt.Fprintf(b, "    %d. %s\n       № %s, %s — %s, SHA-1 %s%s\n", i+1, gostsig.HumanName(c.Subject), c.Serial, textTime(c.NotBefore), textTime(c.NotAfter), c.SHA1, mark)
		}
	}
	if len(s.Revocation) > 0 {
		fmt.Fprintf(b, "  Статус отзыва:\n")
		for _, r := range s.Revocation {
			word := revocationWords[r.Status]
			if word == "" {
				word = r.Status.String()
			}
			fmt.Fprintf(b, "    № %s: %s", r.Serial, word)
			if !r.RevokedAt.IsZero() {
				fmt.Fprintf(b, " с %s", textTime(r.RevokedAt))
			}
			if r.Source != "" {
				fmt.Fprintf(b, " (%s", strings.ToUpper(r.Source))
				if r.CRLNumber != "" {
					fmt.Fprintf(b, " № %s", r.CRLNumber)
				}
				if !r.ThisUpdate.IsZero() {
					fmt.Fprintf(b, " от %s, до %s", textTime(r.ThisUpdate), textTime(r.NextUpdate))
				}
				b.WriteString(")")
			}
			if r.Detail != "" {
				fmt.Fprintf(b, " — %s", r.Detail)
			}
			b.WriteString("\n")
			writeCause(b, "      ", r.Cause, causes)
		}
	}
	fmt.Fprintf(b, "  Проверки:\n")
	for _, c := range s.Checks {
		lvl := ""
		if c.Level != "" {
			w := levelWords[c.Level]
			if w == "" {
				w = string(c.Level)
			}
			lvl = " (" + w + ")"
		}
		fmt.Fprintf(b, "    %s %s%s: %s\n", statusMarks[c.Status], c.Name, lvl, c.Detail)
		writeCause(b, "        ", c.Cause, causes)
	}
}

// writeBatchLine prints one file's outcome on one line.
func writeBatchLine(w io.Writer, l *batchLine) {
	if l.Error != "" {
		msg := l.errRU
		if msg == "" {
			msg = l.Error
		}
		fmt.Fprintf(w, "%-40s  ОШИБКА  %s\n", l.File, msg)
		return
	}
	fmt.Fprintf(w, "%-40s  %-40s  %s\n", l.File, verdictLine(l.Indication, l.SubIndication), l.MessageRU)
}

// writeSummary prints the batch summary table.
func writeSummary(w io.Writer, s *batchSummary) {
	fmt.Fprintf(w, "\nИтого файлов: %d\n", s.Files)
	fmt.Fprintf(w, "  %-16s %6d\n", "TOTAL_PASSED", s.Passed)
	fmt.Fprintf(w, "  %-16s %6d\n", "TOTAL_FAILED", s.Failed)
	fmt.Fprintf(w, "  %-16s %6d\n", "INDETERMINATE", s.Indeterminate)
	fmt.Fprintf(w, "  %-16s %6d\n", "не прочитаны", s.Errors)
	if s.Skipped > 0 {
		fmt.Fprintf(w, "  %-16s %6d\n", "пропущены", s.Skipped)
	}
	if len(s.SubIndications) > 0 {
		keys := make([]string, 0, len(s.SubIndications))
		for k := range s.SubIndications {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(w, "  по причинам:\n")
		for _, k := range keys {
			fmt.Fprintf(w, "    %-34s %6d\n", k, s.SubIndications[k])
		}
	}
}

// progressBar draws "[=====>    ] 12/40  3.1 файл/с" on a terminal's
// stderr, redrawing at most every progressEvery. A nil *progressBar is a
// no-op, so callers need no checks.
type progressBar struct {
	w      io.Writer
	total  int
	done   int
	start  time.Time
	last   time.Time
	shown  bool
	now    func() time.Time
	width  int
	prefix string
}

const progressEvery = 100 * time.Millisecond

func newProgressBar(w io.Writer, total int) *progressBar {
	p := &progressBar{w: w, total: total, now: time.Now, width: 30}
	p.start = p.now()
	p.draw()
	return p
}

func (p *progressBar) step() {
	if p == nil {
		return
	}
	p.done++
	if t := p.now(); t.Sub(p.last) >= progressEvery || p.done == p.total {
		p.draw()
	}
}

func (p *progressBar) draw() {
	p.last = p.now()
	fill := p.width * p.done / max(p.total, 1)
	bar := strings.Repeat("=", fill)
	if fill < p.width {
		bar += ">" + strings.Repeat(" ", p.width-fill-1)
	}
	rate := ""
	if el := p.last.Sub(p.start).Seconds(); el > 0 && p.done > 0 {
		rate = fmt.Sprintf("  %.1f файл/с", float64(p.done)/el)
	}
	fmt.Fprintf(p.w, "\r[%s] %d/%d%s\033[K", bar, p.done, p.total, rate)
	p.shown = true
}

// clear removes the bar so a result line can be printed; the next step
// redraws it.
func (p *progressBar) clear() {
	if p == nil || !p.shown {
		return
	}
	io.WriteString(p.w, "\r\033[K")
	p.shown = false
	p.last = time.Time{}
}

func (p *progressBar) finish() {
	if p == nil {
		return
	}
	p.clear()
}
