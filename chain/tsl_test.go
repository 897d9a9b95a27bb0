package chain

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"gostsig.dev/cert"
)

func loadTestTSL(t testing.TB) *TSL {
	t.Helper()
	f, err := os.Open("testdata/tsl.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tsl, err := LoadTSL(f)
	if err != nil {
		t.Fatal(err)
	}
	return tsl
}

func readTestCert(t testing.TB, name string) *cert.Certificate {
	t.Helper()
	data, err := os.ReadFile("../cert/testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := cert.ParseAll(data)
	if err != nil {
		t.Fatal(err)
	}
	return cs[0]
}

func msk(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, moscow) }

func TestLoadTSL(t *testing.T) {
	tsl := loadTestTSL(t)
	if tsl.Version != 1017 || !tsl.Date.Equal(time.Date(2024, 5, 20, 6, 0, 0, 0, time.UTC)) {
		t.Errorf("version %d date %v", tsl.Version, tsl.Date)
	}
	if len(tsl.CAs) != 2 {
		t.Fatalf("%d CAs", len(tsl.CAs))
	}
	link := tsl.CAs[0]
	if link.ShortName != `ООО "Линк-сервис"` || link.OGRN != "1027401869990" || link.INN != "7438014673" || link.RegistryNumber != "9001" {
		t.Errorf("CA fields %+v", link)
	}
	if len(link.History) != 4 || link.Status.Status != "Прекращена" {
		t.Errorf("status %v history %v", link.Status, link.History)
	}
	if len(link.Complexes) != 1 || len(link.Complexes[0].Keys) != 1 || link.Complexes[0].Alias != "УЦ Линк-сервис (ГОСТ 2001)" {
		t.Fatalf("complexes %+v", link.Complexes)
	}
	if got := len(tsl.Certificates()); got != 2 {
		t.Errorf("%d certificates, want 2", got)
	}
	if len(tsl.Skipped) != 1 || !strings.Contains(tsl.Skipped[0].Error(), "информационной системы головного") {
		t.Errorf("skipped = %v", tsl.Skipped)
	}
}

func TestAccreditedAt(t *testing.T) {
	tsl := loadTestTSL(t)
	linkCert := readTestCert(t, "linkservice_ca_by_guc2001.cer")
	uc1 := readTestCert(t, "guc_uc1_is_guc_2001.der")
	root := readTestCert(t, "guc2001_root_34681E40.cer")
	tests := []struct {
		name string
		ca   *cert.Certificate
		at   time.Time
		want bool
	}{
		{"before the first status", linkCert, msk(2018, 2, 28), false},
		{"accredited", linkCert, msk(2018, 3, 1), true},
		{"accredited, a year later", linkCert, msk(2019, 3, 1), true},
		{"suspended", linkCert, msk(2019, 7, 1), false},
		{"suspended, last second", linkCert, msk(2019, 9, 1).Add(-time.Second), false},
		{"accredited again", linkCert, msk(2019, 9, 1), true},
		{"terminated", linkCert, msk(2022, 1, 1), false},
		{"terminated, later", linkCert, msk(2024, 1, 1), false},
		{"zone-less time read as Moscow", uc1, time.Date(2016, 3, 15, 21, 0, 0, 0, time.UTC), true},
		{"zone-less time read as Moscow, before", uc1, time.Date(2016, 3, 15, 20, 59, 59, 0, time.UTC), false},
		{"not in the list", root, msk(2020, 1, 1), false},
	}
	for _, tc := range tests {
		if got := tsl.AccreditedAt(tc.ca, tc.at); got != tc.want {
			t.Errorf("%s: AccreditedAt(%s, %v) = %v, want %v", tc.name, tc.ca.Subject.CommonName(), tc.at, got, tc.want)
		}
	}
	if got := tsl.CRLAddresses(linkCert); !slices.Equal(got, []string{
		"http://crl.link-service.test/cdp/56ef6662.crl", "http://crl2.link-service.test/cdp/56ef6662.crl"}) {
		t.Errorf("CRL addresses %q", got)
	}
	if tsl.CRLAddresses(root) != nil {
		t.Error("CRL addresses for a certificate not in the list")
	}
	var nilTSL *TSL
	if nilTSL.FindCA(linkCert) != nil {
		t.Error("nil TSL found a CA")
	}
}

// TestFindCAByKey: a re-issued certificate of a listed key (same subject and
// key, different DER) is found through ИдентификаторКлюча.
func TestFindCAByKey(t *testing.T) {
	p := getPKI(t)
	// p.ca and p.caRenew share subject and key; list only p.ca.
	xml := strings.Replace(minimalTSL, "@DATA@", b64(p.ca.Raw), 1)
	xml = strings.Replace(xml, "@KID@", hexUpper(p.ca.SubjectKeyID), 1)
	tsl, err := LoadTSL(strings.NewReader(xml))
	if err != nil {
		t.Fatal(err)
	}
	if tsl.FindCA(p.caRenew) == nil {
		t.Error("renewed certificate of a listed key not found")
	}
	if tsl.FindCA(p.caNew) != nil {
		t.Error("a different key of the same CA name found")
	}
	if !tsl.AccreditedAt(p.caRenew, d(2025)) {
		t.Error("not accredited")
	}
}

// TestBuilderUsesTSL: the list's certificates complete paths.
func TestBuilderUsesTSL(t *testing.T) {
	p := getPKI(t)
	xml := strings.Replace(minimalTSL, "@DATA@", b64(p.ca.Raw), 1)
	xml = strings.Replace(xml, "@KID@", hexUpper(p.ca.SubjectKeyID), 1)
	tsl, err := LoadTSL(strings.NewReader(xml))
	if err != nil {
		t.Fatal(err)
	}
	b := newBuilder(t, Config{Roots: []*cert.Certificate{p.rootA}, TSL: tsl})
	chains, err := b.Build(context.Background(), p.leaf1, BuildOptions{At: d(2025)})
	if err != nil {
		t.Fatal(err)
	}
	if got := chains[0].CommonNames(); !slices.Equal(got, []string{"Leaf 1", "Test CA", "Root A"}) {
		t.Fatalf("chain %q", got)
	}
	if !b.TSL().AccreditedAt(chains[0][1], chains[0][0].NotBefore) {
		t.Error("issuing CA not accredited on the day of issue")
	}
}

const minimalTSL = `<?xml version="1.0" encoding="UTF-8"?>
<АккредитованныеУдостоверяющиеЦентры><Версия>1</Версия><Дата>2025-01-01T00:00:00Z</Дата>
<УдостоверяющийЦентр><Название>Test CA</Название><Неизвестный><Вложенный>x</Вложенный></Неизвестный>
<ПрограммноАппаратныеКомплексы><ПрограммноАппаратныйКомплекс><Псевдоним>t</Псевдоним>
<КлючиУполномоченныхЛиц><Ключ><ИдентификаторКлюча>@KID@</ИдентификаторКлюча>
<АдресаСписковОтзыва><Адрес>http://ca.test/ca.crl</Адрес></АдресаСписковОтзыва>
<Сертификаты><ДанныеСертификата><Данные>@DATA@</Данные></ДанныеСертификата></Сертификаты>
</Ключ></КлючиУполномоченныхЛиц></ПрограммноАппаратныйКомплекс></ПрограммноАппаратныеКомплексы>
<СтатусАккредитации><Статус>Действует</Статус><ДействуетС>2021-01-01T00:00:00+03:00</ДействуетС></СтатусАккредитации>
</УдостоверяющийЦентр></АккредитованныеУдостоверяющиеЦентры>`

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

func hexUpper(b []byte) string {
	const digits = "0123456789ABCDEF"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// TestHostileTSL: the reader refuses DTDs and entity tricks, and enforces
// its limits.
func TestHostileTSL(t *testing.T) {
	deep := "<АккредитованныеУдостоверяющиеЦентры>" + strings.Repeat("<a>", 100) + strings.Repeat("</a>", 100) + "</АккредитованныеУдостоверяющиеЦентры>"
	tests := []struct {
		name, xml, want string
	}{
		{"billion laughs", `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><АккредитованныеУдостоверяющиеЦентры>&lol2;</АккредитованныеУдостоверяющиеЦентры>`, "DOCTYPE"},
		{"external entity", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><АккредитованныеУдостоверяющиеЦентры>&xxe;</АккредитованныеУдостоверяющиеЦентры>`, "DOCTYPE"},
		{"undeclared entity", `<АккредитованныеУдостоверяющиеЦентры>&xxe;</АккредитованныеУдостоверяющиеЦентры>`, "entity"},
		{"deep nesting", deep, "deeper"},
		{"wrong root", `<TrustServiceStatusList/>`, "root element"},
		{"empty", ``, "no АккредитованныеУдостоверяющиеЦентры"},
		{"unbalanced", `<АккредитованныеУдостоверяющиеЦентры><a></b></АккредитованныеУдостоверяющиеЦентры>`, "trusted list"},
		{"cp1251", `<?xml version="1.0" encoding="windows-1251"?><АккредитованныеУдостоверяющиеЦентры/>`, "encoding"},
		{"bad date", `<АккредитованныеУдостоверяющиеЦентры><Дата>yesterday</Дата></АккредитованныеУдостоверяющиеЦентры>`, "Дата"},
		{"huge text", `<АккредитованныеУдостоверяющиеЦентры><x>` + strings.Repeat("A", maxTSLText+1) + `</x></АккредитованныеУдостоверяющиеЦентры>`, "too long"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadTSL(strings.NewReader(tc.xml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	// The size limit, on a small budget.
	data, err := os.ReadFile("testdata/tsl.xml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadTSL(bytes.NewReader(data), int64(len(data))); err != nil {
		t.Errorf("at the limit: %v", err)
	}
	if _, err := loadTSL(bytes.NewReader(data), int64(len(data)-1)); err == nil || !strings.Contains(err.Error(), "over") {
		t.Errorf("over the limit: %v", err)
	}
	// A thumbprint that contradicts the certificate skips it.
	p := getPKI(t)
	xml := strings.Replace(minimalTSL, "<Данные>@DATA@", "<Отпечаток>00</Отпечаток><Данные>"+b64(p.ca.Raw), 1)
	xml = strings.Replace(xml, "@KID@", "00", 1)
	tsl, err := LoadTSL(strings.NewReader(xml))
	if err != nil || len(tsl.Skipped) != 1 || len(tsl.Certificates()) != 0 {
		t.Errorf("thumbprint mismatch: err %v, skipped %v", err, tsl.Skipped)
	}
}

func FuzzLoadTSL(f *testing.F) {
	data, err := os.ReadFile("testdata/tsl.xml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(minimalTSL))
	f.Fuzz(func(t *testing.T, data []byte) {
		tsl, err := loadTSL(bytes.NewReader(data), 1<<20)
		if err != nil {
			return
		}
		for _, c := range tsl.Certificates() {
			tsl.AccreditedAt(c, time.Unix(0, 0))
			tsl.CRLAddresses(c)
		}
	})
}
