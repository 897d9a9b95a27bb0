// Package dertime decodes the content octets of an ASN.1 UTCTime or
// GeneralizedTime in the one form DER and RFC 5280 §4.1.2.5.1–2 (also
// §5.1.2.4, RFC 6960 §4.2.1) allow: YYMMDDHHMMSSZ and YYYYMMDDHHMMSSZ, UTC,
// seconds present, no fractional seconds. It does so without time.Parse,
// which cryptobyte and encoding/asn1 call and follow with a Format to
// compare, and which dominated certificate and CRL parsing.
//
// # Contract
//
// [Unix] and [Time] accept exactly those two forms with a valid calendar
// date (proleptic Gregorian, leap years) and time (hours 00–23, minutes and
// seconds 00–59; no leap second), and report false for anything else. A
// caller that is strict (crl) treats false as malformed; a lenient caller
// (cert, cms) treats it as "not the fast form" and decides with its own
// slower parser, which must accept every input Unix accepts with the same
// instant (each caller's tests hold it to that).
//
// UTCTime years 50–99 are 19YY and 00–49 are 20YY (RFC 5280 §4.1.2.5.1).
package dertime

import (
	"time"

	"golang.org/x/crypto/cryptobyte/asn1"
)

// Unix decodes the content b of a UTCTime (tag asn1.UTCTime) or
// GeneralizedTime (asn1.GeneralizedTime) and returns its instant as Unix
// seconds.
func Unix(tag asn1.Tag, b []byte) (int64, bool) {
	var year int
	switch {
	case tag == asn1.UTCTime && len(b) == 13:
		yy, ok := digits2(b)
		if !ok {
			return 0, false
		}
		year = 2000 + yy
		if yy >= 50 {
			year = 1900 + yy
		}
		b = b[2:]
	case tag == asn1.GeneralizedTime && len(b) == 15:
		cc, ok1 := digits2(b)
		yy, ok2 := digits2(b[2:])
		if !ok1 || !ok2 {
			return 0, false
		}
		year = cc*100 + yy
		b = b[4:]
	default:
		return 0, false
	}
	// b = MMDDHHMMSSZ
	month, ok1 := digits2(b)
	day, ok2 := digits2(b[2:])
	hour, ok3 := digits2(b[4:])
	minute, ok4 := digits2(b[6:])
	sec, ok5 := digits2(b[8:])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || b[10] != 'Z' ||
		month < 1 || month > 12 || day < 1 || day > daysIn(month, year) ||
		hour > 23 || minute > 59 || sec > 59 {
		return 0, false
	}
	return unixFromCivil(year, month, day, hour, minute, sec), true
}

// Time is Unix as a time.Time in UTC (the same value time.Date(…, time.UTC)
// gives).
func Time(tag asn1.Tag, b []byte) (time.Time, bool) {
	s, ok := Unix(tag, b)
	if !ok {
		return time.Time{}, false
	}
	return time.Unix(s, 0).UTC(), true
}

// digits2 decodes two ASCII decimal digits.
func digits2(b []byte) (int, bool) {
	c0, c1 := b[0]-'0', b[1]-'0'
	if c0 > 9 || c1 > 9 {
		return 0, false
	}
	return int(c0)*10 + int(c1), true
}

// daysIn is the number of days of month (1–12) in the proleptic Gregorian
// year.
func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// unixFromCivil returns the seconds since 1970-01-01T00:00:00Z of a
// proleptic Gregorian date and time (days_from_civil, H. Hinnant). The
// caller has range-checked the fields.
func unixFromCivil(y, m, d, hh, mm, ss int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	days := int64(era)*146097 + int64(doe) - 719468
	return days*86400 + int64(hh)*3600 + int64(mm)*60 + int64(ss)
}
