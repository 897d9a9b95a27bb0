package cert

import (
	"bytes"
	"encoding/asn1"
	"math/big"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// TestLenient builds certificates with the sloppy encodings real CAs and
// tools produce (internal/testkit) and checks they parse and verify.
func TestLenient(t *testing.T) {
	caKey := testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProA, "cert/lenient-ca")
	ca := testkit.MustCertificate(testkit.CATemplate(caKey, testkit.CommonName("Lenient CA"),
		time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC), -1), nil)
	caCert, err := Parse(ca.DER)
	if err != nil {
		t.Fatal(err)
	}
	leafKey := testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProXchA, "cert/lenient-leaf")
	base := func() *testkit.CertTemplate {
		return testkit.LeafTemplate(leafKey, testkit.CommonName("Leaf"),
			time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	}
	tests := []struct {
		name  string
		edit  func(*testkit.CertTemplate)
		check func(t *testing.T, c *Certificate)
	}{
		{"negative serial", func(c *testkit.CertTemplate) { c.Serial = big.NewInt(-12345) }, func(t *testing.T, c *Certificate) {
			if c.SerialNumber.Int64() != -12345 || c.SerialHex() != "CFC7" {
				t.Errorf("serial %v hex %s", c.SerialNumber, c.SerialHex())
			}
		}},
		{"long serial", func(c *testkit.CertTemplate) { c.RawSerial = []byte(strings.Repeat("\x11", 40)) }, func(t *testing.T, c *Certificate) {
			if len(c.RawSerial) != 40 || c.SerialHex() != strings.Repeat("11", 40) {
				t.Errorf("serial %s", c.SerialHex())
			}
		}},
		{"non-minimal serial", func(c *testkit.CertTemplate) { c.RawSerial = []byte{0, 0, 5} }, func(t *testing.T, c *Certificate) {
			if c.SerialNumber.Int64() != 5 || c.SerialHex() != "05" {
				t.Errorf("serial %s", c.SerialHex())
			}
		}},
		{"NULL signature parameters", func(c *testkit.CertTemplate) { c.SignatureParams = testkit.ParamsNULL }, func(t *testing.T, c *Certificate) {
			if len(c.SignatureAlgorithmParams) != 2 || c.SignatureAlgorithmParams[0] != 5 {
				t.Errorf("params % x", c.SignatureAlgorithmParams)
			}
		}},
		{"key OID as signature algorithm", func(c *testkit.CertTemplate) { c.SignatureOID = oid.Gost2012Key256 }, nil},
		{"v1", func(c *testkit.CertTemplate) { c.Version = 1 }, func(t *testing.T, c *Certificate) {
			if c.Version != 1 || len(c.Extensions) != 0 || c.IdentificationKind != -1 || c.MaxPathLen != -1 {
				t.Errorf("v%d, %d extensions", c.Version, len(c.Extensions))
			}
		}},
		{"INN as UTF8String", func(c *testkit.CertTemplate) {
			c.Subject = testkit.CommonName("Leaf").WithTag(oid.INN, "500100732259", cbasn1.UTF8String)
		}, func(t *testing.T, c *Certificate) {
			if v, tag := c.Subject.INN(); v != "500100732259" || tag != asn1.TagUTF8String {
				t.Errorf("INN %q tag %d", v, tag)
			}
		}},
		{"PrintableString with forbidden characters", func(c *testkit.CertTemplate) {
			c.Subject = testkit.CommonName("Leaf").WithTag(oid.OrganizationalUnit, "Отдел_№1@", cbasn1.PrintableString)
		}, func(t *testing.T, c *Certificate) {
			a, ok := c.Subject.Lookup(oid.OrganizationalUnit)
			if !ok || a.Value != "Отдел_№1@" || a.Tag != asn1.TagPrintableString {
				t.Errorf("OU %+v", a)
			}
		}},
		{"old authorityKeyIdentifier with issuer and serial", func(c *testkit.CertTemplate) {
			c.OldAuthorityKeyID, c.AKIIssuerSerial = true, true
		}, func(t *testing.T, c *Certificate) {
			if len(c.AuthorityKeyID) == 0 || len(c.AuthorityCertIssuer) != 1 || c.AuthorityCertSerial == nil ||
				c.AuthorityCertIssuer[0].CommonName() != "Lenient CA" {
				t.Errorf("AKI %x issuer %v serial %v", c.AuthorityKeyID, c.AuthorityCertIssuer, c.AuthorityCertSerial)
			}
		}},
		{"authorityKeyIdentifier with issuer and serial", func(c *testkit.CertTemplate) { c.AKIIssuerSerial = true }, func(t *testing.T, c *Certificate) {
			if len(c.AuthorityCertIssuer) != 1 || c.AuthorityCertSerial.Cmp(caCert.SerialNumber) != 0 {
				t.Errorf("issuer %v serial %v", c.AuthorityCertIssuer, c.AuthorityCertSerial)
			}
		}},
		{"GeneralizedTime validity", func(c *testkit.CertTemplate) { c.GeneralizedTimes = true }, func(t *testing.T, c *Certificate) {
			if c.NotBefore.Year() != 2024 {
				t.Errorf("NotBefore %v", c.NotBefore)
			}
		}},
		{"unknown critical extension", func(c *testkit.CertTemplate) {
			c.ExtraExtensions = []testkit.Extension{{ID: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{5, 0}}}
		}, func(t *testing.T, c *Certificate) {
			if len(c.UnhandledCriticalExtensions) != 1 || c.UnhandledCriticalExtensions[0].String() != "1.2.3.4" {
				t.Errorf("unhandled %v", c.UnhandledCriticalExtensions)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tmpl := base()
			tc.edit(tmpl)
			tk, err := testkit.NewCertificate(tmpl, ca)
			if err != nil {
				t.Fatal(err)
			}
			c, err := Parse(tk.DER)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if err := c.CheckSignatureFrom(caCert); err != nil {
				t.Errorf("signature: %v", err)
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

func TestNameEqual(t *testing.T) {
	mk := func(n testkit.Name) Name {
		nm, err := ParseName(n.DER())
		if err != nil {
			t.Fatal(err)
		}
		return nm
	}
	a := mk(testkit.Name{}.With(oid.Country, "RU").With(oid.CommonName, "ООО  Ромашка "))
	b := mk(testkit.Name{}.With(oid.Country, "RU").WithTag(oid.CommonName, bmp("ооо ромашка"), cbasn1.Tag(asn1.TagBMPString)))
	c := mk(testkit.Name{}.With(oid.Country, "RU").With(oid.CommonName, "ООО Лютик"))
	d := mk(testkit.Name{}.With(oid.CommonName, "ООО Ромашка").With(oid.Country, "RU"))
	if !a.Equal(&b) {
		t.Errorf("%s != %s", a.String(), b.String())
	}
	if a.Equal(&c) || a.Equal(&d) {
		t.Error("different names equal")
	}
	if got := b.String(); got != "CN=ооо ромашка,C=RU" {
		t.Errorf("BMPString name = %q", got)
	}
	// EqualDER: the same rules against an encoding.
	if !a.EqualDER(b.Raw) || !b.EqualDER(a.Raw) || !a.EqualDER(a.Raw) {
		t.Error("EqualDER differs from Equal on equal names")
	}
	if a.EqualDER(c.Raw) || a.EqualDER(d.Raw) {
		t.Error("EqualDER: different names equal")
	}
	for _, bad := range [][]byte{nil, {0x30, 0x03, 0x31, 0x01, 0x00}, append(bytes.Clone(a.Raw), 0)} {
		if a.EqualDER(bad) {
			t.Errorf("EqualDER(%x) = true", bad)
		}
		if _, err := ParseName(bad); err == nil {
			t.Errorf("ParseName(%x) succeeded", bad)
		}
	}
}

// bmp encodes s as BMPString content (UTF-16 big-endian).
func bmp(s string) string {
	var b []byte
	for _, r := range utf16.Encode([]rune(s)) {
		b = append(b, byte(r>>8), byte(r))
	}
	return string(b)
}
