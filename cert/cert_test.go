package cert

import (
	"bytes"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
)

// corpusCert describes one real certificate in testdata (see
// testdata/SOURCES.md). The expected values were read with
// `openssl x509 -text` (OpenSSL 3 + gost-engine), an independent parser.
type corpusCert struct {
	file     string
	cn       string
	issuerCN string
	serial   string
	version  int
	keyAlg   asn1.ObjectIdentifier
	isCA     bool   // basicConstraints cA
	pathLen  int    // -1 absent
	signedBy string // file of the issuer certificate ("" = self-signed)
}

var corpus = []corpusCert{
	{"guc2001_root_34681E40.cer", "Головной удостоверяющий центр", "Головной удостоверяющий центр", "34681E40CB41EF33A9A0B7C876929A29", 3, oid.GostR3410_2001, true, -1, ""},
	{"mincomsvyaz_2012_root_4E6D478B.cer", "Минкомсвязь России", "Минкомсвязь России", "4E6D478B26F27D657F768E025CE3D393", 3, oid.Gost2012Key256, true, -1, ""},
	{"mincifry_2012_root_2026_18C34DF5.cer", "Минцифры России", "Минцифры России", "18C34DF536B9FDE22979E55C48083650", 3, oid.Gost2012Key256, true, -1, ""},
	{"linkservice_ca_by_guc2001.cer", `ООО "Линк-сервис"`, "Головной удостоверяющий центр", "58FBA94D000000000265", 3, oid.GostR3410_2001, true, 0, "guc2001_root_34681E40.cer"},
	{"guc_uc1_is_guc_2001.der", "УЦ 1 ИС ГУЦ", "Головной удостоверяющий центр", "EBC10554000000000059", 3, oid.GostR3410_2001, true, -1, "guc2001_root_34681E40.cer"},
	{"ucTestCryptoPro.der", `Тестовый головной УЦ ООО "КРИПТО-ПРО" ГОСТ 2012 (УЦ 2.0)`, `Тестовый головной УЦ ООО "КРИПТО-ПРО" ГОСТ 2012 (УЦ 2.0)`, "01BAD8001EA8179F4EF889B80ECB8DF4", 3, oid.Gost2012Key256, true, -1, ""},
	{"subUcTestCryptoPro.der", `Тестовый подчиненный УЦ ООО "КРИПТО-ПРО" ГОСТ 2012 (УЦ 2.0)`, `Тестовый головной УЦ ООО "КРИПТО-ПРО" ГОСТ 2012 (УЦ 2.0)`, "13E1EA001EA827A849A8186A2BA8704E", 3, oid.Gost2012Key256, true, 0, "ucTestCryptoPro.der"},
	{"TestForOCSP.cer", "Крипто гост 2012 256", `Тестовый подчиненный УЦ ООО "КРИПТО-ПРО" ГОСТ 2012 (УЦ 2.0)`, "184F0A01CCA865B54776A1E88BB98764", 3, oid.Gost2012Key256, false, -1, "subUcTestCryptoPro.der"},
	{"esia.gost.prod.cer", "МИНИСТЕРСТВО ЦИФРОВОГО РАЗВИТИЯ, СВЯЗИ И МАССОВЫХ КОММУНИКАЦИЙ РОССИЙСКОЙ ФЕДЕРАЦИИ", "Федеральное казначейство", "357FF83A44B1B3572FF9174629FBDC53", 3, oid.Gost2012Key256, false, -1, "-"},
	{"esia.gost.test.cer", "МИНЦИФРЫ РОССИИ", "Тестовый УЦ РТК", "0274A58800C6B2FC9D46E0AF096ED4961A", 3, oid.Gost2012Key256, false, -1, "-"},
	{"fns_leaf_from_gost_test_p7s.pem", `ООО "НАЙС СОФТ"`, "Федеральная налоговая служба", "02F4A7C700BFB1BBB24004196617A31FC1", 3, oid.Gost2012Key256, false, -1, "-"},
	{"libksba_root_gost_tk26.crt", "root_gost_tk26", "root_gost_tk26", "4F698D2FD8A1107F1C2C49331E82281002E51E80", 3, oid.Gost2012Key256, true, -1, ""},
	{"libksba_leaf_gost_tk26.crt", "leaf_gost_tk26", "root_gost_tk26", "2F12CACC3C85D14FE725D07F8D87094F484C6136", 3, oid.Gost2012Key256, false, -1, "libksba_root_gost_tk26.crt"},
	{"libksba_test_gost_eku_ocsp.crt", "test_gost_eku_ocsp", "test_gost_eku_ocsp", "52202CC99CBAF7FF8D729645AF522B1886B8D206", 3, oid.Gost2012Key256, false, -1, ""},
	{"libksba_test_gost_eku_sign.crt", "test_gost_eku_sign", "test_gost_eku_sign", "278FFB6479C90118E23BDF0F4FECC201B350D756", 3, oid.Gost2012Key256, false, -1, ""},
	{"libksba_test_gost_policy.crt", "test_gost_policy", "test_gost_policy", "74F8BC3EF2CF212267338287F701BF5485F7B295", 3, oid.Gost2012Key256, false, -1, ""},
	{"rutoken_ca_2012_256.pem", "CA", "CA", "C1AE14771BA24E2C", 1, oid.Gost2012Key256, false, -1, ""},
	{"rutoken_leaf_from_p7s.pem", "Ivanoff", "CA", "DA43BFEA172B216A0F77FCB3F895D2C80B67132E", 3, oid.Gost2012Key256, false, -1, "rutoken_ca_2012_256.pem"},
	{"tc26_root256_cert.pem", "CA TK26: GOST 34.10-12 256-bit", "CA TK26: GOST 34.10-12 256-bit", "018CBA81", 3, oid.Gost2012Key256, false, -1, ""},
	{"tc26_sender256_cert.pem", "ORIGINATOR: GOST 34.10-12 256-bit", "CA TK26: GOST 34.10-12 256-bit", "018CBA82", 3, oid.Gost2012Key256, false, -1, "tc26_root256_cert.pem"},
	{"tc26_recipient256_cert.pem", "RECIPIENT: GOST 34.10-12 256-bit", "CA TK26: GOST 34.10-12 256-bit", "018CBA83", 3, oid.Gost2012Key256, false, -1, "tc26_root256_cert.pem"},
	{"tc26_sender512_cert.pem", "ORIGINATOR: GOST 34.10-12 512-bit", "CA TK26: GOST 34.10-12 256-bit", "018CBA84", 3, oid.Gost2012Key512, false, -1, "tc26_root256_cert.pem"},
	{"tc26_recipient512_cert.pem", "RECIPIENT: GOST 34.10-12 512-bit", "CA TK26: GOST 34.10-12 256-bit", "018CBA85", 3, oid.Gost2012Key512, false, -1, "tc26_root256_cert.pem"},
}

// readCert reads a testdata certificate in any of the forms ParseAll takes.
func readCert(t testing.TB, name string) *Certificate {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	certs, err := ParseAll(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if len(certs) != 1 {
		t.Fatalf("%s: %d certificates, want 1", name, len(certs))
	}
	return certs[0]
}

func TestCorpusParse(t *testing.T) {
	for _, tc := range corpus {
		t.Run(tc.file, func(t *testing.T) {
			c := readCert(t, tc.file)
			if got := c.Subject.CommonName(); got != tc.cn {
				t.Errorf("subject CN = %q, want %q", got, tc.cn)
			}
			if got := c.Issuer.CommonName(); got != tc.issuerCN {
				t.Errorf("issuer CN = %q, want %q", got, tc.issuerCN)
			}
			if got := c.SerialHex(); got != tc.serial {
				t.Errorf("serial = %s, want %s", got, tc.serial)
			}
			if c.Version != tc.version {
				t.Errorf("version = %d, want %d", c.Version, tc.version)
			}
			if !c.PublicKeyAlgorithm.Equal(tc.keyAlg) {
				t.Errorf("key algorithm = %s, want %s", c.PublicKeyAlgorithm, tc.keyAlg)
			}
			if c.PublicKey == nil {
				t.Errorf("public key not decoded: %v", c.PublicKeyErr)
			} else if want := gost3410.AlgorithmFromOID(tc.keyAlg); c.PublicKey.Algorithm() != want {
				t.Errorf("key algorithm %v, want %v", c.PublicKey.Algorithm(), want)
			}
			if c.IsCA != tc.isCA {
				t.Errorf("IsCA = %v, want %v", c.IsCA, tc.isCA)
			}
			if c.MaxPathLen != tc.pathLen || c.MaxPathLenZero != (tc.pathLen == 0) {
				t.Errorf("MaxPathLen = %d (zero %v), want %d", c.MaxPathLen, c.MaxPathLenZero, tc.pathLen)
			}
			if (tc.signedBy == "") != c.SelfIssued() {
				t.Errorf("SelfIssued = %v", c.SelfIssued())
			}
			if !bytes.Contains(c.Raw, c.RawTBSCertificate) || !bytes.Contains(c.RawTBSCertificate, c.RawSubjectPublicKeyInfo) ||
				!bytes.Contains(c.RawTBSCertificate, c.RawIssuer) || !bytes.Contains(c.RawTBSCertificate, c.RawSubject) {
				t.Error("Raw* fields are not sub-slices of the certificate")
			}
			if len(c.UnhandledCriticalExtensions) != 0 {
				t.Errorf("unhandled critical extensions %v", c.UnhandledCriticalExtensions)
			}
			if c.NotBefore.IsZero() || !c.NotAfter.After(c.NotBefore) {
				t.Errorf("validity %v..%v", c.NotBefore, c.NotAfter)
			}
		})
	}
}

func TestCorpusSignatures(t *testing.T) {
	for _, tc := range corpus {
		if tc.signedBy == "-" {
			continue // issuer not in the corpus
		}
		t.Run(tc.file, func(t *testing.T) {
			c := readCert(t, tc.file)
			parent := c
			if tc.signedBy != "" {
				parent = readCert(t, tc.signedBy)
			}
			if err := c.CheckSignatureFrom(parent); err != nil {
				t.Fatalf("signature by %s: %v", parent, err)
			}
			// The same certificate with one signature bit flipped fails.
			bad := bytes.Clone(c.Raw)
			bad[len(bad)-5] ^= 0x10
			bc, err := Parse(bad)
			if err != nil {
				t.Fatal(err)
			}
			if err := bc.CheckSignatureFrom(parent); !errors.Is(err, ErrSignature) {
				t.Errorf("flipped signature: err = %v, want ErrSignature", err)
			}
			// And so does a changed TBS (a bit of the subject).
			bad = bytes.Clone(c.Raw)
			off := bytes.Index(bad, c.RawSubject) + len(c.RawSubject) - 1
			bad[off] ^= 0x01
			if bc, err := Parse(bad); err == nil {
				if err := bc.CheckSignatureFrom(parent); !errors.Is(err, ErrSignature) {
					t.Errorf("changed TBS: err = %v, want ErrSignature", err)
				}
			}
		})
	}
}

// TestRFC9215 checks the certificates of RFC 9215 Appendix D (self-signed,
// on the test parameter sets).
func TestRFC9215(t *testing.T) {
	for _, name := range []string{"d1-cert.pem", "d2-cert.pem", "d3-cert.pem"} {
		t.Run(name, func(t *testing.T) {
			c := readCert(t, "rfc9215/"+name)
			if c.Subject.CommonName() != "Example" {
				t.Errorf("CN = %q", c.Subject.CommonName())
			}
			if c.PublicKey == nil {
				t.Fatalf("key: %v", c.PublicKeyErr)
			}
			if err := c.CheckSignatureFrom(c); err != nil {
				t.Errorf("self-signature: %v", err)
			}
		})
	}
}

func TestQualifiedProfileFields(t *testing.T) {
	c := readCert(t, "esia.gost.prod.cer")
	if c.SubjectSignTool == "" || !strings.Contains(c.SubjectSignTool, "КриптоПро CSP") {
		t.Errorf("subjectSignTool = %q", c.SubjectSignTool)
	}
	if len(c.IssuerSignTool) != 4 {
		t.Errorf("issuerSignTool = %q, want 4 entries", c.IssuerSignTool)
	}
	if c.IdentificationKind < 0 {
		t.Errorf("identificationKind absent")
	}
	if c.PrivateKeyUsage.NotBefore.IsZero() || c.PrivateKeyUsage.NotAfter.IsZero() {
		t.Errorf("privateKeyUsagePeriod = %+v", c.PrivateKeyUsage)
	}
	for _, p := range []asn1.ObjectIdentifier{oid.PolicyKC1, oid.PolicyKC2, oid.PolicyKC3} {
		found := false
		for _, q := range c.Policies {
			found = found || q.Equal(p)
		}
		if !found {
			t.Errorf("policy %s missing from %v", p, c.Policies)
		}
	}
	if c.KeyUsage&KeyUsageDigitalSignature == 0 || !c.KeyUsageValid {
		t.Errorf("keyUsage = %b", c.KeyUsage)
	}
	if len(c.CRLDistributionPoints) == 0 || len(c.IssuingCertificateURL) == 0 {
		t.Errorf("CDP %v AIA %v", c.CRLDistributionPoints, c.IssuingCertificateURL)
	}
	if len(c.AuthorityKeyID) == 0 || len(c.SubjectKeyID) == 0 {
		t.Error("key identifiers missing")
	}
	if inn, tag := c.Subject.INNLE(); len(inn) != 10 || tag != asn1.TagNumericString {
		t.Errorf("INNLE = %q tag %d", inn, tag)
	}
	if ogrn, tag := c.Subject.OGRN(); len(ogrn) != 13 || tag != asn1.TagNumericString {
		t.Errorf("OGRN = %q tag %d", ogrn, tag)
	}

	// The ФНС-issued leaf: person and company identifiers together.
	f := readCert(t, "fns_leaf_from_gost_test_p7s.pem")
	checks := []struct {
		name      string
		get       func() (string, int)
		want      string
		wantTag   int
		wantFound bool
	}{
		{"INNLE", f.Subject.INNLE, "5024245440", asn1.TagNumericString, true},
		{"SNILS", f.Subject.SNILS, "14338996498", asn1.TagNumericString, true},
		{"OGRN", f.Subject.OGRN, "1245000085846", asn1.TagNumericString, true},
		{"INN", f.Subject.INN, "615509077872", asn1.TagNumericString, true},
		{"OGRNIP", f.Subject.OGRNIP, "", 0, false},
	}
	for _, ck := range checks {
		v, tag := ck.get()
		if v != ck.want || tag != ck.wantTag {
			t.Errorf("%s = %q (tag %d), want %q (tag %d)", ck.name, v, tag, ck.want, ck.wantTag)
		}
	}
	if f.IdentificationKind != 0 {
		t.Errorf("identificationKind = %d, want 0", f.IdentificationKind)
	}
	if v, _ := f.Issuer.INNLE(); v != "7707329152" {
		t.Errorf("issuer INNLE = %q", v)
	}

	// The ГУЦ 2001 root: INN padded with 00 (old encoding), CA key usage.
	g := readCert(t, "guc2001_root_34681E40.cer")
	if v, tag := g.Subject.INN(); v != "007710474375" || tag != asn1.TagNumericString {
		t.Errorf("ГУЦ INN = %q tag %d", v, tag)
	}
	if g.KeyUsage != KeyUsageCertSign|KeyUsageCRLSign {
		t.Errorf("ГУЦ keyUsage = %b", g.KeyUsage)
	}
	if len(g.IssuerSignTool) != 4 || g.IssuerSignTool[0] != "ПАКМ «КриптоПро HSM»" {
		t.Errorf("issuerSignTool = %q", g.IssuerSignTool)
	}
	if got := g.Subject.String(); !strings.HasPrefix(got, "CN=Головной удостоверяющий центр,INN=007710474375,OGRN=1047702026701,O=Минкомсвязь России,STREET=125375 г. Москва\\, ул. Тверская\\, д. 7,") {
		t.Errorf("String() = %s", got)
	}
}

// TestOldAuthorityKeyID: the TC26 root carries only the X.509 (1993)
// authorityKeyIdentifier 2.5.29.1 with a certIssuer Name and serial.
func TestOldAuthorityKeyID(t *testing.T) {
	c := readCert(t, "tc26_root256_cert.pem")
	if !bytes.Equal(c.AuthorityKeyID, c.SubjectKeyID) || len(c.SubjectKeyID) != 20 {
		t.Errorf("AKI %x SKI %x", c.AuthorityKeyID, c.SubjectKeyID)
	}
	if len(c.AuthorityCertIssuer) != 1 || c.AuthorityCertIssuer[0].CommonName() != "CA TK26: GOST 34.10-12 256-bit" {
		t.Errorf("AuthorityCertIssuer = %v", c.AuthorityCertIssuer)
	}
	if c.AuthorityCertSerial == nil || c.AuthorityCertSerial.Text(16) != "18cba81" {
		t.Errorf("AuthorityCertSerial = %v", c.AuthorityCertSerial)
	}
	if c.BasicConstraintsValid {
		t.Error("TC26 root has no basicConstraints")
	}
}

// TestFingerprints checks the SHA-1 thumbprints SOURCES.md quotes from the
// e-trust.gosuslugi.ru download URLs.
func TestFingerprints(t *testing.T) {
	for file, want := range map[string]string{
		"mincomsvyaz_2012_root_4E6D478B.cer":   "4BC6DC14D97010C41A26E058AD851F81C842415A",
		"mincifry_2012_root_2026_18C34DF5.cer": "2FDEDE3B528B3DD0CBAD26D1628F40A5AB596F2F",
	} {
		c := readCert(t, file)
		fp := c.SHA1Fingerprint()
		if got := strings.ToUpper(bytesHex(fp[:])); got != want {
			t.Errorf("%s: fingerprint %s, want %s", file, got, want)
		}
	}
}

func bytesHex(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

func TestParseAllForms(t *testing.T) {
	der, err := os.ReadFile("testdata/guc2001_root_34681E40.cer")
	if err != nil {
		t.Fatal(err)
	}
	der2, err := os.ReadFile("testdata/mincomsvyaz_2012_root_4E6D478B.cer")
	if err != nil {
		t.Fatal(err)
	}
	pemBoth := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{1}})...)
	pemBoth = append(pemBoth, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der2})...)
	b64 := base64.StdEncoding.EncodeToString(der)
	wrapped := ""
	for i := 0; i < len(b64); i += 64 {
		wrapped += b64[i:min(i+64, len(b64))] + "\r\n"
	}
	tests := []struct {
		name string
		in   []byte
		n    int
		ok   bool
	}{
		{"der", der, 1, true},
		{"der concatenated", append(bytes.Clone(der), der2...), 2, true},
		{"pem bundle with other blocks", pemBoth, 2, true},
		{"base64", []byte(b64), 1, true},
		{"base64 wrapped", []byte(wrapped), 1, true},
		{"empty", nil, 0, false},
		{"spaces", []byte("  \n"), 0, false},
		{"pem without certificates", pem.EncodeToMemory(&pem.Block{Type: "CRL", Bytes: der}), 0, false},
		{"garbage", []byte("not a certificate"), 0, false},
		{"der with trailing garbage", append(bytes.Clone(der), 0x05), 0, false},
		{"truncated der", der[:len(der)-1], 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			certs, err := ParseAll(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("err = %v, want ok=%v", err, tc.ok)
			}
			if len(certs) != tc.n {
				t.Fatalf("%d certificates, want %d", len(certs), tc.n)
			}
		})
	}
}

// TestMalformed checks that damaged certificates are errors, never panics.
func TestMalformed(t *testing.T) {
	der := readCert(t, "esia.gost.prod.cer").Raw
	// Every truncation.
	for n := 0; n < len(der); n++ {
		if _, err := Parse(der[:n]); err == nil {
			t.Fatalf("truncation to %d bytes parsed", n)
		}
	}
	// Every single-byte change parses or fails without panicking; when it
	// still parses and the change is inside the TBS, the signature must
	// not verify. (Checked for a sample of positions to keep it quick.)
	if _, err := Parse(append(bytes.Clone(der), 0)); err == nil {
		t.Error("trailing zero accepted")
	}
	for i := 0; i < len(der); i++ {
		for _, x := range []byte{0x01, 0x80, 0xff} {
			b := bytes.Clone(der)
			b[i] ^= x
			_, _ = Parse(b)
		}
	}
}

// TestStrictness covers the checks the parser must not relax.
func TestStrictness(t *testing.T) {
	c := readCert(t, "mincomsvyaz_2012_root_4E6D478B.cer")
	raw := c.Raw

	t.Run("outer and inner algorithms differ", func(t *testing.T) {
		// The outer AlgorithmIdentifier follows RawTBSCertificate: change
		// its last OID arc (…3.2 → …3.3).
		b := bytes.Clone(raw)
		off := bytes.Index(b, c.RawTBSCertificate) + len(c.RawTBSCertificate)
		// 30 0a 06 08 2a 85 03 07 01 01 03 02
		if b[off] != 0x30 || b[off+11] != 0x02 {
			t.Fatalf("unexpected layout % x", b[off:off+12])
		}
		b[off+11] = 0x03
		if _, err := Parse(b); err == nil || !strings.Contains(err.Error(), "differ") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("duplicate extension", func(t *testing.T) {
		// Rename the keyUsage OID (2.5.29.15) to basicConstraints (2.5.29.19).
		b := bytes.Clone(raw)
		i := bytes.Index(b, []byte{0x06, 0x03, 0x55, 0x1d, 0x0f})
		if i < 0 {
			t.Fatal("keyUsage not found")
		}
		b[i+4] = 0x13
		if _, err := Parse(b); err == nil || !strings.Contains(err.Error(), "duplicate extension") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("duplicate unhandled extension", func(t *testing.T) {
		// Rename keyUsage (2.5.29.15) and basicConstraints (2.5.29.19)
		// to one identifier no kind handles (2.5.29.99), then to two.
		for _, tc := range []struct {
			second byte
			dup    bool
		}{{99, true}, {98, false}} {
			b := bytes.Clone(raw)
			i := bytes.Index(b, []byte{0x06, 0x03, 0x55, 0x1d, 0x0f})
			j := bytes.Index(b, []byte{0x06, 0x03, 0x55, 0x1d, 0x13})
			if i < 0 || j < 0 {
				t.Fatal("keyUsage or basicConstraints not found")
			}
			b[i+4], b[j+4] = 99, tc.second
			_, err := Parse(b)
			if got := err != nil && strings.Contains(err.Error(), "duplicate extension"); got != tc.dup {
				t.Errorf("2.5.29.99 and 2.5.29.%d: err = %v", tc.second, err)
			}
		}
	})
	t.Run("unknown critical extension is recorded", func(t *testing.T) {
		// Rename keyUsage (critical) to an unknown 2.5.29.99.
		b := bytes.Clone(raw)
		i := bytes.Index(b, []byte{0x06, 0x03, 0x55, 0x1d, 0x0f})
		b[i+4] = 99
		d, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.UnhandledCriticalExtensions) != 1 || d.UnhandledCriticalExtensions[0].String() != "2.5.29.99" {
			t.Errorf("unhandled = %v", d.UnhandledCriticalExtensions)
		}
		if d.KeyUsageValid {
			t.Error("keyUsage still read")
		}
	})
	t.Run("oversized", func(t *testing.T) {
		if _, err := Parse(make([]byte, MaxCertificateSize+1)); err == nil {
			t.Error("accepted")
		}
	})
}

func TestValidityTimes(t *testing.T) {
	c := readCert(t, "guc2001_root_34681E40.cer")
	if want := time.Date(2012, 7, 20, 12, 31, 14, 0, time.UTC); !c.NotBefore.Equal(want) {
		t.Errorf("NotBefore = %v", c.NotBefore)
	}
	if want := time.Date(2027, 7, 17, 12, 31, 14, 0, time.UTC); !c.NotAfter.Equal(want) {
		t.Errorf("NotAfter = %v", c.NotAfter)
	}
	m := readCert(t, "mincifry_2012_root_2026_18C34DF5.cer")
	if m.PrivateKeyUsage.NotBefore.Year() != 2026 || m.PrivateKeyUsage.NotAfter.Year() != 2034 {
		t.Errorf("privateKeyUsagePeriod %v", m.PrivateKeyUsage)
	}
}

func TestVerifySignatureErrors(t *testing.T) {
	c := readCert(t, "mincomsvyaz_2012_root_4E6D478B.cer")
	key := c.PublicKey
	rsa := asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	err := VerifySignature(rsa, key, c.RawTBSCertificate, c.Signature)
	var ue *UnsupportedAlgorithmError
	if !errors.Is(err, ErrUnsupportedAlgorithm) || !errors.As(err, &ue) || !ue.OID.Equal(rsa) ||
		!strings.Contains(err.Error(), "1.2.840.113549.1.1.11") {
		t.Errorf("RSA: %v", err)
	}
	// The 512-bit signature OID with a 256-bit key.
	if err := VerifySignature(oid.Gost2012SignWith512, key, c.RawTBSCertificate, c.Signature); !errors.Is(err, ErrKeyMismatch) {
		t.Errorf("512 OID with 256 key: %v", err)
	}
	// 2001 OID with a 2012 key.
	if err := VerifySignature(oid.GostR3411_94WithR3410, key, c.RawTBSCertificate, c.Signature); !errors.Is(err, ErrKeyMismatch) {
		t.Errorf("2001 OID with 2012 key: %v", err)
	}
	// The key OID instead of the signwithdigest OID is accepted.
	if err := VerifySignature(oid.Gost2012Key256, key, c.RawTBSCertificate, c.Signature); err != nil {
		t.Errorf("key OID: %v", err)
	}
	if err := VerifySignature(oid.Gost2012SignWith256, nil, c.RawTBSCertificate, c.Signature); !errors.Is(err, ErrNoPublicKey) {
		t.Errorf("nil key: %v", err)
	}
	for _, sig := range [][]byte{nil, c.Signature[:63], append(bytes.Clone(c.Signature), 0)} {
		if err := VerifySignature(oid.Gost2012SignWith256, key, c.RawTBSCertificate, sig); !errors.Is(err, ErrSignature) {
			t.Errorf("signature of %d bytes: %v", len(sig), err)
		}
	}
	// Verifying a 2012 certificate with an unrelated key fails.
	other := readCert(t, "mincifry_2012_root_2026_18C34DF5.cer")
	if err := c.CheckSignatureFrom(other); !errors.Is(err, ErrSignature) {
		t.Errorf("wrong issuer: %v", err)
	}
}

func TestCloneDoesNotAlias(t *testing.T) {
	data, err := os.ReadFile("testdata/guc2001_root_34681E40.cer")
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	d := c.Clone()
	for i := range data {
		data[i] = 0
	}
	if d.Subject.CommonName() != "Головной удостоверяющий центр" || !bytes.Equal(d.Raw[:2], []byte{0x30, 0x82}) {
		t.Error("clone aliases the input")
	}
}
