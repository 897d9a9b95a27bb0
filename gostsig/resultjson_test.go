package gostsig

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"gostsig.dev/internal/jsonenc"
	"gostsig.dev/internal/testkit"
)

// checkAppendJSON compares AppendJSON with encoding/json (the contract),
// and its indented form with what json.Encoder.SetIndent writes (the CLI).
func checkAppendJSON(t testing.TB, name string, r *Result) {
	t.Helper()
	want, err := jsonenc.Marshal(r)
	if err != nil {
		t.Fatalf("%s: encoding/json: %v", name, err)
	}
	got, err := r.AppendJSON(nil)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("%s: AppendJSON differs from encoding/json at byte %d\n got: …%.120s\nwant: …%.120s", name, i, got[max(0, i-40):], want[max(0, i-40):])
	}
	var ind, ref bytes.Buffer
	if err := json.Indent(&ind, append(got, '\n'), "", "  "); err != nil {
		t.Fatal(err)
	}
	enc := json.NewEncoder(&ref)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ind.Bytes(), ref.Bytes()) {
		t.Fatalf("%s: indented AppendJSON differs from json.Encoder.SetIndent", name)
	}
	checkSummaryJSON(t, name, r, got)
}

// summaryDropped are the members of a signature AppendSummaryJSON leaves
// out.
var summaryDropped = []string{"algorithm", "timestamp", "chain", "revocation", "checks", "diagnostic"}

// checkSummaryJSON holds AppendSummaryJSON to its contract: the full JSON
// with summaryDropped deleted from every signature, nothing else changed.
func checkSummaryJSON(t testing.TB, name string, r *Result, full []byte) {
	t.Helper()
	sum, err := r.AppendSummaryJSON(nil)
	if err != nil {
		t.Fatalf("%s: AppendSummaryJSON: %v", name, err)
	}
	var got, want map[string]any
	if err := json.Unmarshal(sum, &got); err != nil {
		t.Fatalf("%s: AppendSummaryJSON is not JSON: %v\n%.300s", name, err, sum)
	}
	if err := json.Unmarshal(full, &want); err != nil {
		t.Fatal(err)
	}
	if sigs, ok := want["signatures"].([]any); ok {
		for _, s := range sigs {
			for _, k := range summaryDropped {
				delete(s.(map[string]any), k)
			}
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s: AppendSummaryJSON is not AppendJSON less the evidence\n got: %.400s\nfull: %.400s", name, sum, full)
	}
}

// Every verdict on the decision-table fixtures, the repository's samples
// and the real corpus encodes exactly as encoding/json encodes it, with
// and without the diagnostic layer.
func TestAppendJSONOnVerdicts(t *testing.T) {
	p := stdPKI(t)
	sample := func(name string) []byte {
		b, err := os.ReadFile("../testdata/samples/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	good := attached(t, p, testkit.SignerSpec{})
	stamped := testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{
		SignatureTimeStamp: &testkit.TimeStampSpec{TSA: p.tsa, GenTime: refTime.Add(-30 * time.Minute)}})}, Certificates: [][]byte{p.tsa.DER}})
	inputs := map[string]Input{
		"attached":           {Signature: good},
		"time-stamped":       {Signature: stamped},
		"corrupt signature":  {Signature: attached(t, p, testkit.SignerSpec{CorruptSignature: true})},
		"garbage":            {Signature: []byte("garbage")},
		"empty":              {Signature: nil},
		"untrusted CAdES-T":  {Signature: sample("hello.p7s")},
		"untrusted detached": {Signature: sample("hello.txt.sig"), Content: sample("hello.txt")},
		"changed":            {Signature: sample("hello.txt.sig"), Content: sample("hello-changed.txt")},
		"expired":            {Signature: good, ValidationTime: time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC)},
		"xml":                {Signature: []byte(`<?xml version="1.0"?><a xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Signature/></a>`)},
	}
	for _, diag := range []bool{false, true} {
		cfg := stdCfg(t, p)
		cfg.Diagnostic = diag
		v := newTestVerifier(t, cfg)
		for name, in := range inputs {
			res, err := v.Verify(context.Background(), in)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			checkAppendJSON(t, fmt.Sprintf("%s (diagnostic %v)", name, diag), res)
		}
	}
}

// tricky are strings that exercise every branch of the string encoding.
var tricky = []string{
	"", "plain", "Подпись недействительна: «документ» изменён", "quote \" backslash \\ slash /",
	"controls \x00\x01\x1f\b\f\n\r\t\x7f", "html <a href='x'>&amp;</a>", "\u2028\u2029 separators",
	"invalid \xff\xfe utf-8 \xc3", "truncated \xd0", "overlong \xc0\xaf \xe0\x80\xaf", "surrogate \xed\xa0\x80",
	"4-byte 😀 𝄞", "№ 3-byte", "\xc2\xa0 nbsp",
}

// fullResult sets every field of the Result, strings from s.
func fullResult(s []string, at time.Time) *Result {
	str := func(i int) string { return s[i%len(s)] }
	ci := func(k int) *CertInfo {
		return &CertInfo{
			Subject: str(k), CommonName: str(k + 1), Serial: str(k + 2), Issuer: str(k + 3), INN: str(k + 4), INNLE: str(k + 5),
			OGRN: str(k + 6), OGRNIP: str(k + 7), SNILS: str(k + 8), Surname: str(k + 9), GivenName: str(k + 10), Title: str(k + 11),
			Organization: str(k + 12), Email: str(k + 13), NotBefore: at, NotAfter: at.Add(time.Hour),
			PrivateKeyNotBefore: at.Add(time.Nanosecond), PrivateKeyNotAfter: at.Add(-time.Millisecond), SHA1: str(k + 14),
		}
	}
	return &Result{
		Indication: Indeterminate, SubIndication: TryLater, MessageRU: str(0),
		Format: Format(str(1)), Profile: Profile(str(2)), ValidationTime: at.In(time.FixedZone("MSK", 3*3600)),
		Signatures: []Signature{{
			ID: str(3), Indication: TotalFailed, SubIndication: HashFailure, MessageRU: str(4), ReasonRU: str(5),
			Profile: Profile(str(6)), Qualified: true,
			QualifiedReasons: []Reason{{Code: str(7), MessageRU: str(8)}, {}},
			Algorithm:        &Algorithm{Name: str(9), OID: str(10), Digest: &Algorithm{Name: str(11), OID: str(12)}},
			Signer:           ci(13),
			SigningTime:      SigningTime{Best: at, Source: TimeSource(str(14)), Claimed: at.Add(-time.Second)},
			Timestamp: &Timestamp{GenTime: at, Status: StatusIndeterminate, Detail: str(15), Cause: str(38), TSA: ci(16),
				Revocation: []Revocation{{Serial: str(42), Subject: str(43), Status: RevocationUnknown, Source: str(44), CRLIssuer: str(45),
					CRLNumber: str(46), ThisUpdate: at, NextUpdate: at.Add(time.Hour), EvidenceSHA256: str(47), EvidenceStreebog256: str(48),
					Detail: str(49), Cause: str(50)}, {Status: RevocationGood}}},
			Chain: []ChainCert{
				{Subject: str(17), Issuer: str(18), Serial: str(19), NotBefore: at, NotAfter: at, SHA1: str(20), Anchor: true},
				{},
			},
			Revocation: []Revocation{
				{Serial: str(21), Subject: str(22), Status: RevocationRevoked, Source: str(23), RevokedAt: at, Reason: str(24),
					CRLIssuer: str(25), CRLNumber: str(26), ThisUpdate: at, NextUpdate: at, EvidenceSHA256: str(27),
					EvidenceStreebog256: str(28), Detail: str(29), Cause: str(39)},
				{Status: RevocationGood},
			},
			Checks:     []Check{{Name: str(30), Status: StatusSkipped, Detail: str(31), Level: Level(str(32)), Cause: str(40)}, {Status: StatusPassed}},
			Diagnostic: &Diagnostic{DigestAlgorithm: str(33), SignerCertificate: []byte(str(34)), ChainCertificates: [][]byte{[]byte(str(35))}},
		}, {Indication: TotalPassed}},
		Checks: []Check{{Name: str(36), Status: StatusFailed, Cause: str(41)}},
		Policy: str(37),
	}
}

func TestAppendJSONEveryField(t *testing.T) {
	at := time.Date(2025, 6, 1, 12, 0, 0, 123456789, time.UTC)
	for i := range tricky {
		checkAppendJSON(t, fmt.Sprintf("rotation %d", i), fullResult(append(tricky[i:], tricky[:i]...), at))
	}
	checkAppendJSON(t, "zero result", &Result{Indication: TotalPassed})
	for _, at := range []time.Time{
		time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2025, 6, 1, 12, 0, 0, 0, time.FixedZone("MSK", 3*3600)), time.Date(2025, 6, 1, 12, 0, 0, 0, time.Local),
		time.Date(2025, 6, 1, 12, 0, 0, 0, time.FixedZone("UTC", 0)), time.Date(1999, 9, 9, 9, 9, 9, 1, time.UTC),
	} {
		checkAppendJSON(t, at.String(), &Result{Indication: TotalPassed, ValidationTime: at})
	}
	checkAppendJSON(t, "empty signatures", &Result{Indication: TotalPassed, Signatures: []Signature{{Indication: TotalPassed, Chain: []ChainCert{}, Revocation: []Revocation{}, Checks: []Check{},
		Timestamp: &Timestamp{Status: StatusPassed, Revocation: []Revocation{}}}}})
	// Errors where encoding/json fails: invalid enums, years past 9999.
	for name, r := range map[string]*Result{
		"zero indication": {},
		"bad status":      {Indication: TotalPassed, Checks: []Check{{Status: 99}}},
		"year 10000":      {Indication: TotalPassed, ValidationTime: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if _, err := json.Marshal(r); err == nil {
			t.Fatalf("%s: encoding/json accepts it; the case tests nothing", name)
		}
		if _, err := r.AppendJSON(nil); err == nil {
			t.Errorf("%s: AppendJSON accepted what encoding/json refuses", name)
		}
	}
}

func FuzzAppendJSON(f *testing.F) {
	f.Add("a", "Подпись", "\x00", int64(0))
	f.Add("\u2028", "\xff", "<&>", int64(-1e18))
	f.Fuzz(func(t *testing.T, a, b, c string, ns int64) {
		at := time.Unix(0, ns).UTC()
		checkAppendJSON(t, "fuzz", fullResult([]string{a, b, c}, at))
	})
}

// TestResultSchemaLock fails when the Result's fields change: AppendJSON
// writes them by hand, so it must change with them. Update resultjson.go,
// check TestAppendJSONEveryField sets the new field, then update this
// list.
func TestResultSchemaLock(t *testing.T) {
	want := `
Result.Indication gostsig.Indication json:"indication"
Result.SubIndication gostsig.SubIndication json:"subindication,omitzero"
Result.MessageRU string json:"message_ru"
Result.Format gostsig.Format json:"format"
Result.Profile gostsig.Profile json:"profile"
Result.ValidationTime time.Time json:"validation_time"
Result.Signatures []gostsig.Signature json:"signatures"
Result.Checks []gostsig.Check json:"checks,omitempty"
Result.Policy string json:"policy,omitempty"
Signature.ID string json:"id"
Signature.Indication gostsig.Indication json:"indication"
Signature.SubIndication gostsig.SubIndication json:"subindication,omitzero"
Signature.MessageRU string json:"message_ru"
Signature.ReasonRU string json:"reason_ru,omitempty"
Signature.Profile gostsig.Profile json:"profile,omitempty"
Signature.Qualified bool json:"qualified"
Signature.QualifiedReasons []gostsig.Reason json:"qualified_reasons,omitempty"
Signature.Algorithm *gostsig.Algorithm json:"algorithm,omitempty"
Signature.Signer *gostsig.CertInfo json:"signer,omitempty"
Signature.SigningTime gostsig.SigningTime json:"signing_time"
Signature.Timestamp *gostsig.Timestamp json:"timestamp,omitempty"
Signature.Chain []gostsig.ChainCert json:"chain"
Signature.Revocation []gostsig.Revocation json:"revocation"
Signature.Checks []gostsig.Check json:"checks"
Signature.Diagnostic *gostsig.Diagnostic json:"diagnostic,omitempty"
Reason.Code string json:"code"
Reason.MessageRU string json:"message_ru"
Algorithm.Name string json:"name"
Algorithm.OID string json:"oid"
Algorithm.Digest *gostsig.Algorithm json:"digest,omitempty"
CertInfo.Subject string json:"subject"
CertInfo.CommonName string json:"common_name"
CertInfo.Serial string json:"serial"
CertInfo.Issuer string json:"issuer"
CertInfo.INN string json:"inn,omitempty"
CertInfo.INNLE string json:"innle,omitempty"
CertInfo.OGRN string json:"ogrn,omitempty"
CertInfo.OGRNIP string json:"ogrnip,omitempty"
CertInfo.SNILS string json:"snils,omitempty"
CertInfo.Surname string json:"surname,omitempty"
CertInfo.GivenName string json:"given_name,omitempty"
CertInfo.Title string json:"title,omitempty"
CertInfo.Organization string json:"organization,omitempty"
CertInfo.Email string json:"email,omitempty"
CertInfo.NotBefore time.Time json:"not_before"
CertInfo.NotAfter time.Time json:"not_after"
CertInfo.PrivateKeyNotBefore time.Time json:"private_key_not_before,omitzero"
CertInfo.PrivateKeyNotAfter time.Time json:"private_key_not_after,omitzero"
CertInfo.SHA1 string json:"sha1"
SigningTime.Best time.Time json:"best"
SigningTime.Source gostsig.TimeSource json:"source"
SigningTime.Claimed time.Time json:"claimed,omitzero"
Timestamp.GenTime time.Time json:"gen_time"
Timestamp.Status gostsig.Status json:"status"
Timestamp.Detail string json:"detail,omitempty"
Timestamp.Cause string json:"cause,omitempty"
Timestamp.TSA *gostsig.CertInfo json:"tsa,omitempty"
Timestamp.Revocation []gostsig.Revocation json:"revocation,omitempty"
Revocation.Serial string json:"serial"
Revocation.Subject string json:"subject,omitempty"
Revocation.Status gostsig.RevocationStatus json:"status"
Revocation.Source string json:"source,omitempty"
Revocation.RevokedAt time.Time json:"revoked_at,omitzero"
Revocation.Reason string json:"reason,omitempty"
Revocation.CRLIssuer string json:"crl_issuer,omitempty"
Revocation.CRLNumber string json:"crl_number,omitempty"
Revocation.ThisUpdate time.Time json:"this_update,omitzero"
Revocation.NextUpdate time.Time json:"next_update,omitzero"
Revocation.EvidenceSHA256 string json:"evidence_sha256,omitempty"
Revocation.EvidenceStreebog256 string json:"evidence_streebog256,omitempty"
Revocation.Detail string json:"detail,omitempty"
Revocation.Cause string json:"cause,omitempty"
ChainCert.Subject string json:"subject"
ChainCert.Issuer string json:"issuer,omitempty"
ChainCert.Serial string json:"serial"
ChainCert.NotBefore time.Time json:"not_before"
ChainCert.NotAfter time.Time json:"not_after"
ChainCert.SHA1 string json:"sha1"
ChainCert.Anchor bool json:"anchor,omitempty"
Check.Name string json:"name"
Check.Status gostsig.Status json:"status"
Check.Detail string json:"detail,omitempty"
Check.Level gostsig.Level json:"level,omitempty"
Check.Cause string json:"cause,omitempty"
`
	var got strings.Builder
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		for typ.Kind() == reflect.Pointer || typ.Kind() == reflect.Slice {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || typ.PkgPath() != "gostsig.dev/gostsig" || seen[typ] || typ.Name() == "Diagnostic" {
			return // the diagnostic layer is encoded by encoding/json
		}
		seen[typ] = true
		var nested []reflect.Type
		for i := range typ.NumField() {
			fl := typ.Field(i)
			if !fl.IsExported() && !fl.Anonymous {
				continue
			}
			fmt.Fprintf(&got, "%s.%s %s json:%q\n", typ.Name(), fl.Name, fl.Type, fl.Tag.Get("json"))
			nested = append(nested, fl.Type)
		}
		for _, n := range nested {
			walk(n)
		}
	}
	walk(reflect.TypeFor[Result]())
	if strings.TrimSpace(got.String()) != strings.TrimSpace(want) {
		t.Errorf("Result changed; update resultjson.go, then this list. Now:\n%s", got.String())
	}
}

// BenchmarkAppendJSON encodes the verdict on a small CAdES-BES (the HTTP
// service's per-item cost), next to encoding/json.
func BenchmarkAppendJSON(b *testing.B) {
	p := stdPKI(b)
	v := newTestVerifier(b, stdCfg(b, p))
	res, err := v.Verify(context.Background(), Input{Signature: attached(b, p, testkit.SignerSpec{})})
	if err != nil || res.Indication != TotalPassed {
		b.Fatal(res, err)
	}
	buf, _ := res.AppendJSON(nil)
	b.Run("AppendJSON", func(b *testing.B) {
		b.SetBytes(int64(len(buf)))
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = res.AppendJSON(buf[:0])
		}
	})
	b.Run("AppendSummaryJSON", func(b *testing.B) {
		sum, _ := res.AppendSummaryJSON(nil)
		b.SetBytes(int64(len(sum)))
		b.ReportAllocs()
		for b.Loop() {
			sum, _ = res.AppendSummaryJSON(sum[:0])
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		b.SetBytes(int64(len(buf)))
		b.ReportAllocs()
		for b.Loop() {
			jsonenc.Marshal(res)
		}
	})
}
