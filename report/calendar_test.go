package report

import (
	"testing"
)

func TestDueDate(t *testing.T) {
	d := func(s string) Date {
		v, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name     string
		cal      *Calendar
		received string
		due      string
		unsure   bool
	}{
		// 12 June (Thu) is a holiday and 13 June moved from 8 March (decree № 1335).
		{"June 2025", nil, "2025-06-02", "2025-06-18", false},
		// Saturday 1 November 2025 is a working day, 3 and 4 November are off.
		{"November 2025", nil, "2025-10-28", "2025-11-12", false},
		// 23 February 2025 (Sunday) moved to 8 May, not to 24 February.
		{"February 2025", nil, "2025-02-20", "2025-03-06", false},
		// 31 December 2025, 1–8 January, 9 January 2026 (decree) are off.
		{"New Year 2026", nil, "2025-12-25", "2026-01-20", false},
		// 2026: 9 March and 11 May are off.
		{"May 2026", nil, "2026-05-06", "2026-05-21", false},
		// 2027 has no decree here: 9 May (Sunday) moves to Monday 10 May
		// by art. 112 part 2, and the conclusion is flagged.
		{"May 2027", nil, "2027-05-06", "2027-05-21", true},
		{"case holidays", &Calendar{Holidays: []Date{{2027, 5, 11}}}, "2027-05-06", "2027-05-24", true},
		{"case workday", &Calendar{Workdays: []Date{{2027, 5, 8}}}, "2027-05-06", "2027-05-20", true},
		{"no default", &Calendar{NoDefault: true}, "2025-06-02", "2025-06-16", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cal := newCalendar(tt.cal)
			got := cal.addWorkingDays(d(tt.received), dueWorkingDays)
			if got != d(tt.due) {
				t.Errorf("due %s, want %s", got, tt.due)
			}
			if _, unsure := cal.source(d(tt.received), got); unsure != tt.unsure {
				t.Errorf("unsure = %v, want %v", unsure, tt.unsure)
			}
		})
	}
}

func TestWorkingDays2025(t *testing.T) {
	// The 2025 production calendar has 247 working days
	// (decree № 1335 of 04.10.2024).
	cal := newCalendar(nil)
	n := 0
	for day := (Date{2025, 1, 1}); day.Year == 2025; day = day.AddDays(1) {
		if cal.working(day) {
			n++
		}
	}
	if n != 247 {
		t.Errorf("2025 has %d working days, want 247", n)
	}
}
