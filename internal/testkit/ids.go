package testkit

// Check digits of the Russian identifiers a qualified certificate carries
// (Приказ ФСБ № 795: ИНН, ИНН ЮЛ, ОГРН, ОГРНИП, СНИЛС), so that the names
// testkit builds are valid ones and a policy that checks them passes unless
// a test means it to fail. Each helper takes the digits before the control
// number and appends it; it panics on a prefix of the wrong length or with a
// non-digit (test code only).

// INN10 returns the 10-digit ИНН of a legal entity (the INNLE attribute, or
// "00"+INN10 in the INN attribute of old certificates): prefix is 9 digits,
// the control digit is Σ wᵢdᵢ mod 11 mod 10 with w = 2 4 10 3 5 9 4 6 8.
func INN10(prefix string) string {
	digits(prefix, 9)
	return prefix + string('0'+weighted(prefix, inn10Weights))
}

// INN12 returns the 12-digit ИНН of a natural person or ИП: prefix is 10
// digits, followed by two control digits computed like INN10's with the
// weights 7 2 4 10 3 5 9 4 6 8 and then 3 7 2 4 10 3 5 9 4 6 8.
func INN12(prefix string) string {
	digits(prefix, 10)
	s := prefix + string('0'+weighted(prefix, inn12Weights[1:]))
	return s + string('0'+weighted(s, inn12Weights))
}

// OGRN returns the 13-digit ОГРН: prefix is 12 digits, the control digit
// the prefix mod 11, mod 10.
func OGRN(prefix string) string {
	digits(prefix, 12)
	return prefix + string('0'+byte(decimalMod(prefix, 11)%10))
}

// OGRNIP returns the 15-digit ОГРНИП: prefix is 14 digits, the control
// digit the prefix mod 13, mod 10.
func OGRNIP(prefix string) string {
	digits(prefix, 14)
	return prefix + string('0'+byte(decimalMod(prefix, 13)%10))
}

// SNILS returns the 11-digit СНИЛС: prefix is 9 digits, the control number
// Σ (9−i)·dᵢ, written as two digits when below 100, 00 for 100 and 101, and
// otherwise the sum mod 101 (100 again giving 00).
func SNILS(prefix string) string {
	digits(prefix, 9)
	sum := 0
	for i := range 9 {
		sum += (9 - i) * int(prefix[i]-'0')
	}
	if sum > 101 {
		sum %= 101
	}
	if sum >= 100 {
		sum = 0
	}
	return prefix + string([]byte{byte('0' + sum/10), byte('0' + sum%10)})
}

var (
	inn10Weights = []int{2, 4, 10, 3, 5, 9, 4, 6, 8}
	inn12Weights = []int{3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8}
)

func weighted(s string, w []int) byte {
	sum := 0
	for i, x := range w {
		sum += x * int(s[i]-'0')
	}
	return byte(sum % 11 % 10)
}

func decimalMod(s string, m int) int {
	r := 0
	for i := range len(s) {
		r = (r*10 + int(s[i]-'0')) % m
	}
	return r
}

func digits(s string, n int) {
	if len(s) != n {
		panic("testkit: identifier prefix " + s + " is not of the expected length")
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			panic("testkit: identifier prefix " + s + " is not all digits")
		}
	}
}
