package report

import (
	"fmt"
	"time"
)

// The check is made "within 10 (ten) working days from the date the CA
// received the application" (001_*.txt §4.3.2). A period fixed from a
// date starts on the next day (Civil Code art. 191), so the due date is
// the 10th working day after the day of receipt.
const dueWorkingDays = 10

// Working-day calendar.
//
// The built-in calendar is the Russian federal one:
//
//   - Saturdays and Sundays are days off;
//   - the non-working public holidays of the Labour Code art. 112 part 1:
//     1–6 and 8 January (New Year holidays), 7 January, 23 February,
//     8 March, 1 May, 9 May, 12 June, 4 November;
//   - the yearly Government decree on the transfer of days off, for the
//     years listed in decrees below;
//   - for any other year, the rule of art. 112 part 2: a weekend that
//     coincides with a holiday other than 1–8 January moves to the next
//     working day. (The decree usually does exactly this, but may move a
//     day elsewhere; such a year is flagged in the conclusion so that the
//     commission adds the decree's days through the case's calendar.)
//
// The case file's calendar section adds days off (holidays), working
// weekend days (workdays), or drops the built-in calendar (no_default).
var federalHolidays = [...]struct {
	month time.Month
	day   int
}{
	{time.January, 1}, {time.January, 2}, {time.January, 3}, {time.January, 4},
	{time.January, 5}, {time.January, 6}, {time.January, 7}, {time.January, 8},
	{time.February, 23}, {time.March, 8}, {time.May, 1}, {time.May, 9},
	{time.June, 12}, {time.November, 4},
}

// decree is one year's Government decree on the transfer of days off:
// the extra days off and the working weekend days it sets. With a decree
// the automatic art. 112 part 2 transfer is not applied: the decree says
// where every coinciding weekend goes.
type decree struct {
	source string
	off    []Date
	work   []Date
}

var decrees = map[int]decree{
	// 4 and 5 January → 2 May and 31 December; 23 February (Sunday) → 8 May;
	// 8 March (Saturday) → 13 June; Saturday 1 November is worked, Monday
	// 3 November is off.
	2025: {
		source: "постановление Правительства РФ от 04.10.2024 № 1335 «О переносе выходных дней в 2025 году»",
		off:    []Date{{2025, 5, 2}, {2025, 5, 8}, {2025, 6, 13}, {2025, 11, 3}, {2025, 12, 31}},
		work:   []Date{{2025, 11, 1}},
	},
	// 3 and 4 January → 9 January and 31 December; 8 March (Sunday) → 9 March;
	// 9 May (Saturday) → 11 May.
	2026: {
		source: "постановление Правительства РФ о переносе выходных дней в 2026 году (сентябрь 2025 г.)",
		off:    []Date{{2026, 1, 9}, {2026, 3, 9}, {2026, 5, 11}, {2026, 12, 31}},
	},
}

// workCalendar answers "is this a working day".
type workCalendar struct {
	noDefault bool
	extraOff  map[Date]bool
	extraWork map[Date]bool
	// years caches the built-in days off of a year.
	years map[int]map[Date]bool
}

func newCalendar(c *Calendar) *workCalendar {
	w := &workCalendar{extraOff: map[Date]bool{}, extraWork: map[Date]bool{}, years: map[int]map[Date]bool{}}
	if c != nil {
		w.noDefault = c.NoDefault
		for _, d := range c.Holidays {
			w.extraOff[d] = true
		}
		for _, d := range c.Workdays {
			w.extraWork[d] = true
		}
	}
	return w
}

func isWeekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

func isFederalHoliday(d Date) bool {
	for _, h := range federalHolidays {
		if d.Month == h.month && d.Day == h.day {
			return true
		}
	}
	return false
}

// yearOff returns the built-in non-working weekdays and the working
// weekend days of a year (weekends themselves are not listed).
func (w *workCalendar) yearOff(y int) map[Date]bool {
	if m, ok := w.years[y]; ok {
		return m
	}
	m := map[Date]bool{}
	for _, h := range federalHolidays {
		m[Date{y, h.month, h.day}] = true
	}
	if dc, ok := decrees[y]; ok {
		for _, d := range dc.off {
			m[d] = true
		}
		for _, d := range dc.work {
			m[d] = false // explicitly a working day
		}
	} else {
		// Labour Code art. 112 part 2, applied in calendar order so that
		// two transfers do not land on the same day.
		for _, h := range federalHolidays {
			if h.month == time.January && h.day <= 8 {
				continue
			}
			d := Date{y, h.month, h.day}
			if !isWeekend(d) {
				continue
			}
			n := d.AddDays(1)
			for isWeekend(n) || m[n] {
				n = n.AddDays(1)
			}
			m[n] = true
		}
	}
	w.years[y] = m
	return m
}

// working reports whether d is a working day.
func (w *workCalendar) working(d Date) bool {
	if w.extraWork[d] {
		return true
	}
	if w.extraOff[d] {
		return false
	}
	if w.noDefault {
		return !isWeekend(d)
	}
	off, listed := w.yearOff(d.Year)[d]
	if listed {
		return !off
	}
	return !isWeekend(d)
}

// addWorkingDays returns the n-th working day after d.
func (w *workCalendar) addWorkingDays(d Date, n int) Date {
	for n > 0 {
		d = d.AddDays(1)
		if w.working(d) {
			n--
		}
	}
	return d
}

// source describes the calendar used between from and to, in Russian, and
// reports whether a year without a known decree was involved.
func (w *workCalendar) source(from, to Date) (string, bool) {
	if w.noDefault {
		return "выходные дни (суббота, воскресенье) и дни, указанные в деле", false
	}
	s := "ст. 112 Трудового кодекса РФ"
	unknown := false
	for y := from.Year; y <= to.Year; y++ {
		if dc, ok := decrees[y]; ok {
			s += "; " + dc.source
		} else {
			unknown = true
			s += fmt.Sprintf("; за %d г. постановление о переносе выходных дней не учтено — перенос по ч. 2 ст. 112 ТК РФ", y)
		}
	}
	if len(w.extraOff) > 0 || len(w.extraWork) > 0 {
		s += "; дни, указанные в деле"
	}
	return s, unknown
}
