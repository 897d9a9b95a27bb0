package cms

import (
	"testing"
	"unicode/utf16"

	"gostsig.dev/cert"
	"gostsig.dev/internal/testkit"
)

// reencodeName returns der with every string attribute rewritten as a
// BMPString in upper case: the same distinguished name by RFC 5280 §7.1,
// other bytes.
func reencodeName(t *testing.T, der []byte) []byte {
	t.Helper()
	n, err := cert.ParseName(der)
	if err != nil {
		t.Fatal(err)
	}
	var out testkit.Name
	for _, a := range n.Attributes {
		if a.RDN != len(out) {
			t.Fatal("multi-valued RDN in the test name")
		}
		var b []byte
		for _, r := range utf16.Encode([]rune(upper(a.Value))) {
			b = append(b, byte(r>>8), byte(r))
		}
		out = out.WithTag(a.Type, string(b), 30) // BMPString
	}
	return out.DER()
}

func upper(s string) string {
	r := []rune(s)
	for i, c := range r {
		switch {
		case c >= 'a' && c <= 'z':
			r[i] = c - 'a' + 'A'
		case c >= 'а' && c <= 'я':
			r[i] = c - 'а' + 'А'
		}
	}
	return string(r)
}

// TestReencodedIssuerName: a signer identifier and an ESS IssuerSerial whose
// issuer Name is the certificate's issuer in another encoding (BMPString,
// other case) still name the certificate (RFC 5280 §7.1 name matching);
// another issuer with the same serial does not.
func TestReencodedIssuerName(t *testing.T) {
	p := testkit.MustPKI("cms/reencoded-issuer")
	reenc := reencodeName(t, p.Leaf.Issuer)
	if string(reenc) == string(p.Leaf.Issuer) {
		t.Fatal("re-encoding left the name unchanged")
	}
	other := testkit.CommonName("Другой УЦ").DER()

	for _, tc := range []struct {
		name   string
		issuer []byte
		found  bool
	}{
		{"as encoded", p.Leaf.Issuer, true},
		{"BMPString upper case", reenc, true},
		{"another issuer", other, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The signer certificate is carried as issued; only the
			// identifiers naming it (sid and ESS issuerSerial) use tc.issuer.
			named := *p.Leaf
			named.Issuer = tc.issuer
			sig := testkit.MustSignedData(&testkit.SignedDataSpec{
				Content: []byte("document"),
				Signers: []testkit.SignerSpec{{Cert: &named, SigningCertV2: true}},
			})
			r, err := Verify(sig, nil)
			if err != nil {
				t.Fatal(err)
			}
			s := r.Signers[0]
			if got := s.Check(CheckSignerCertificate).Status == Passed; got != tc.found {
				t.Fatalf("signer certificate found = %v, want %v\n%s", got, tc.found, describe(r))
			}
			if tc.found {
				wantChecks(t, s, map[CheckName]Status{CheckSigningCertRef: Passed, CheckSignatureValue: Passed})
				if !s.Valid() {
					t.Error(describe(r))
				}
			}
		})
	}
}

// TestESSIssuerSerialName: the ESS check compares the IssuerSerial name by
// RFC 5280 §7.1 while the sid is written as encoded.
func TestESSIssuerSerialName(t *testing.T) {
	p := testkit.MustPKI("cms/reencoded-issuer")
	c, err := cert.Parse(p.Leaf.DER)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		issuer []byte
		want   bool
	}{
		{"as encoded", p.Leaf.Issuer, true},
		{"BMPString upper case", reencodeName(t, p.Leaf.Issuer), true},
		{"another issuer", testkit.CommonName("Другой УЦ").DER(), false},
		{"malformed", []byte{0x30, 0x03, 0x31, 0x01, 0x00}, false},
	} {
		is := &IssuerSerial{Issuers: [][]byte{tc.issuer}, Serial: p.Leaf.Serial}
		if got := is.matches(c); got != tc.want {
			t.Errorf("%s: matches = %v, want %v", tc.name, got, tc.want)
		}
		wrongSerial := &IssuerSerial{Issuers: [][]byte{tc.issuer}, Serial: []byte{0x01}}
		if wrongSerial.matches(c) {
			t.Errorf("%s: matches with another serial", tc.name)
		}
	}
}
