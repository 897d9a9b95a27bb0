package gostsig

// Check digits of the Russian identifiers a qualified certificate carries
// (Приказ ФСБ № 795; cms-cades-profile.md §5.1). Each function takes the
// attribute's text and reports whether it has the right number of decimal
// digits and a correct control number.

func allDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// innWeighted is Σ wᵢ·dᵢ mod 11 mod 10, the ИНН control number (Приказ
// ФНС России от 29.06.2012 № ММВ-7-6/435@).
func innWeighted(s string, w []int) byte {
	sum := 0
	for i, wi := range w {
		sum += wi * int(s[i]-'0')
	}
	return byte(sum % 11 % 10)
}

var (
	innW10 = []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	innW11 = []int{7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
	innW12 = []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

// ValidINN10 reports whether s is a 10-digit ИНН of a legal entity with a
// correct control digit.
func ValidINN10(s string) bool {
	return allDigits(s, 10) && innWeighted(s, innW10) == s[9]-'0'
}

// ValidINN12 reports whether s is a 12-digit ИНН of a natural person (or
// ИП) with both control digits correct.
func ValidINN12(s string) bool {
	return allDigits(s, 12) && innWeighted(s, innW11) == s[10]-'0' && innWeighted(s, innW12) == s[11]-'0'
}

// ValidINN reports whether the INN attribute (1.2.643.3.131.1.1) is valid:
// a 12-digit personal ИНН, or — in older certificates of legal entities —
// "00" followed by a valid 10-digit ИНН.
func ValidINN(s string) bool {
	if len(s) == 12 && s[0] == '0' && s[1] == '0' && ValidINN10(s[2:]) {
		return true
	}
	return ValidINN12(s)
}

// mod returns the remainder of the decimal number s divided by m.
func mod(s string, m int) int {
	r := 0
	for i := 0; i < len(s); i++ {
		r = (r*10 + int(s[i]-'0')) % m
	}
	return r
}

// ValidOGRN reports whether s is a 13-digit ОГРН whose last digit is the
// first 12 digits mod 11, mod 10.
func ValidOGRN(s string) bool {
	return allDigits(s, 13) && byte(mod(s[:12], 11)%10) == s[12]-'0'
}

// ValidOGRNIP reports whether s is a 15-digit ОГРНИП whose last digit is
// the first 14 digits mod 13, mod 10.
func ValidOGRNIP(s string) bool {
	return allDigits(s, 15) && byte(mod(s[:14], 13)%10) == s[14]-'0'
}

// ValidSNILS reports whether s is an 11-digit СНИЛС with a correct control
// number: Σ (9−i)·dᵢ over the first nine digits; below 100 it is the control
// number, 100 and 101 give 00, above 101 the sum mod 101 (with 100 → 00).
// Numbers up to 001-001-998 predate the control number and are accepted
// with any.
func ValidSNILS(s string) bool {
	if !allDigits(s, 11) {
		return false
	}
	if s[:9] <= "001001998" {
		return true
	}
	sum := 0
	for i := 0; i < 9; i++ {
		sum += (9 - i) * int(s[i]-'0')
	}
	var c int
	switch {
	case sum < 100:
		c = sum
	case sum <= 101:
		c = 0
	default:
		c = sum % 101
		if c == 100 {
			c = 0
		}
	}
	return c == int(s[9]-'0')*10+int(s[10]-'0')
}
