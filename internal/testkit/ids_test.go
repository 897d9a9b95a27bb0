package testkit

import (
	"testing"

	"gostsig.dev/cert"

	"gostsig.dev/internal/oid"
)

// TestIdentifierCheckDigits checks the helpers against identifiers whose
// validity is public: state bodies' ИНН/ОГРН (ЕГРЮЛ, and the ГУЦ root in
// ../../shared/corpus), and the examples the ФНС and ПФР publish.
func TestIdentifierCheckDigits(t *testing.T) {
	for _, tc := range []struct {
		f      func(string) string
		prefix string
		want   string
	}{
		{INN10, "771047437", "7710474375"}, // Минкомсвязь
		{INN10, "770732915", "7707329152"}, // ФНС России
		{INN10, "770708389", "7707083893"}, // ПАО Сбербанк
		{INN12, "5001007322", "500100732259"},
		{OGRN, "104770202670", "1047702026701"}, // Минкомсвязь
		{OGRN, "104770703051", "1047707030513"}, // ФНС России
		{OGRNIP, "30450011600015", "304500116000157"},
		{SNILS, "112233445", "11223344595"},
		{SNILS, "001326679", "00132667900"}, // Σ = 100 → 00
		{SNILS, "001508816", "00150881600"}, // Σ = 101 → 00
		{SNILS, "999999999", "99999999901"}, // Σ = 405 → 405 mod 101 = 1
		{SNILS, "123456789", "12345678964"}, // Σ = 165 → 64
	} {
		if got := tc.f(tc.prefix); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.prefix, got, tc.want)
		}
	}
	for _, bad := range []func(){
		func() { INN10("77104743") },
		func() { INN12("500100732a") },
		func() { SNILS("1122334459") },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("bad prefix accepted")
				}
			}()
			bad()
		}()
	}
}

// TestDefaultIdentifiersValid: every identifier in NewPKI's certificates has
// correct check digits (recomputed from its prefix).
func TestDefaultIdentifiersValid(t *testing.T) {
	p := MustPKI("testkit/ids")
	checks := map[string]func(string) string{
		oid.INNLE.String():  func(s string) string { return INN10(s[:9]) },
		oid.OGRN.String():   func(s string) string { return OGRN(s[:12]) },
		oid.OGRNIP.String(): func(s string) string { return OGRNIP(s[:14]) },
		oid.SNILS.String():  func(s string) string { return SNILS(s[:9]) },
		oid.INN.String():    func(s string) string { return INN12(s[:10]) },
	}
	seen := 0
	for _, c := range []*Certificate{p.Root, p.CA, p.Leaf} {
		n, err := cert.ParseName(c.Subject)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range n.Attributes {
			check, ok := checks[a.Type.String()]
			if !ok {
				continue
			}
			seen++
			if got := check(a.Value); got != a.Value {
				t.Errorf("%s %s: check digits give %s", a.Type, a.Value, got)
			}
		}
	}
	if seen != 6 {
		t.Errorf("%d identifiers checked, want 6 (OGRN and INNLE of two CAs, SNILS and INN of the leaf)", seen)
	}
}
