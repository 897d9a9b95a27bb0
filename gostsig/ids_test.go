package gostsig

import "testing"

// Public identifiers of state bodies (from the certificates in
// ../shared/corpus and the ЕГРЮЛ) and the examples the ФНС and ПФР publish.
func TestCheckDigits(t *testing.T) {
	tests := []struct {
		f    func(string) bool
		in   string
		want bool
	}{
		{ValidINN10, "7710474375", true}, // Минкомсвязь (corpus ГУЦ root)
		{ValidINN10, "7707329152", true}, // ФНС России
		{ValidINN10, "7710474376", false},
		{ValidINN10, "771047437", false},
		{ValidINN10, "77104743a5", false},
		{ValidINN12, "500100732259", true},
		{ValidINN12, "500100732258", false},
		{ValidINN12, "500100732269", false},
		{ValidINN, "007710474375", true}, // the old legal-entity form
		{ValidINN, "007710474376", false},
		{ValidINN, "500100732259", true},
		{ValidOGRN, "1047702026701", true}, // Минкомсвязь
		{ValidOGRN, "1047707030513", true}, // ФНС России
		{ValidOGRN, "1047707030514", false},
		{ValidOGRN, "104770703051", false},
		{ValidOGRNIP, "304500116000157", true},
		{ValidOGRNIP, "304500116000158", false},
		{ValidOGRNIP, "30450011600015", false},
		{ValidSNILS, "11223344595", true},
		{ValidSNILS, "11223344596", false},
		{ValidSNILS, "00100199800", true}, // before the control number existed
		{ValidSNILS, "1122334459", false},
	}
	for _, tt := range tests {
		if got := tt.f(tt.in); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.in, got, tt.want)
		}
	}
	// SNILS sums of 100 and 101 give 00; above 101 the sum mod 101.
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"00132667900", true},  // Σ = 100
		{"00132667901", false}, // Σ = 100 is 00, not 01
		{"00150881600", true},  // Σ = 101
		{"99999999901", true},  // Σ = 405, 405 mod 101 = 1
		{"12345678964", true},  // Σ = 165, 165 mod 101 = 64
	} {
		if got := ValidSNILS(tt.in); got != tt.want {
			t.Errorf("SNILS %s: got %v, want %v", tt.in, got, tt.want)
		}
	}
}
