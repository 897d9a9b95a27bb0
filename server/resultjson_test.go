package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"gostsig.dev/gostsig"
)

// referenceJSON is what encoding/json writes for v (the contract).
func referenceJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := marshalJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func checkAppendResult(t testing.TB, name string, r *gostsig.Result) {
	t.Helper()
	want := referenceJSON(t, r)
	got, err := appendResult(nil, r)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("%s: appendResult differs from encoding/json at byte %d\n got: …%.120s\nwant: …%.120s", name, i, got[max(0, i-40):], want[max(0, i-40):])
	}
	// And the batch element is {"id":…} followed by the same members.
	item := encodeItem("id-1", r, nil)
	if want := referenceJSON(t, &itemResult{ID: "id-1", Result: r}); !bytes.Equal(item, want) {
		t.Fatalf("%s: encodeItem differs from encoding/json\n got: %.200s\nwant: %.200s", name, item, want)
	}
}

// Every verdict the library gives on the fixtures and samples encodes
// exactly as encoding/json encodes it.
func TestAppendResultOnVerdicts(t *testing.T) {
	f := testFixture(t)
	v := f.verifier(t)
	defer v.Close()
	sample := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "samples", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	inputs := map[string]gostsig.Input{
		"attached":           {Signature: f.attached},
		"detached":           {Signature: f.detached, Content: f.content},
		"changed":            {Signature: f.detached, Content: f.changed},
		"no content":         {Signature: f.detached},
		"garbage":            {Signature: []byte("garbage")},
		"empty":              {Signature: nil},
		"untrusted CAdES-T":  {Signature: sample("hello.p7s")},
		"untrusted detached": {Signature: sample("hello.txt.sig"), Content: sample("hello.txt")},
		"expired":            {Signature: f.attached, ValidationTime: time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC)},
		"xml":                {Signature: []byte(`<?xml version="1.0"?><a xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Signature/></a>`)},
	}
	for name, in := range inputs {
		res, err := v.Verify(context.Background(), in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		checkAppendResult(t, name, res)
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
func fullResult(s []string, at time.Time) *gostsig.Result {
	str := func(i int) string { return s[i%len(s)] }
	ci := func(k int) *gostsig.CertInfo {
		return &gostsig.CertInfo{
			Subject: str(k), CommonName: str(k + 1), Serial: str(k + 2), Issuer: str(k + 3), INN: str(k + 4), INNLE: str(k + 5),
			OGRN: str(k + 6), OGRNIP: str(k + 7), SNILS: str(k + 8), Surname: str(k + 9), GivenName: str(k + 10), Title: str(k + 11),
			Organization: str(k + 12), Email: str(k + 13), NotBefore: at, NotAfter: at.Add(time.Hour),
			PrivateKeyNotBefore: at.Add(time.Nanosecond), PrivateKeyNotAfter: at.Add(-time.Millisecond), SHA1: str(k + 14),
		}
	}
	return &gostsig.Result{
		Indication: gostsig.Indeterminate, SubIndication: gostsig.TryLater, MessageRU: str(0),
		Format: gostsig.Format(str(1)), Profile: gostsig.Profile(str(2)), ValidationTime: at.In(time.FixedZone("MSK", 3*3600)),
		Signatures: []gostsig.Signature{{
			ID: str(3), Indication: gostsig.TotalFailed, SubIndication: gostsig.HashFailure, MessageRU: str(4), ReasonRU: str(5),
			Profile: gostsig.Profile(str(6)), Qualified: true,
			QualifiedReasons: []gostsig.Reason{{Code: str(7), MessageRU: str(8)}, {}},
			Algorithm:        &gostsig.Algorithm{Name: str(9), OID: str(10), Digest: &gostsig.Algorithm{Name: str(11), OID: str(12)}},
			Signer:           ci(13),
			SigningTime:      gostsig.SigningTime{Best: at, Source: gostsig.TimeSource(str(14)), Claimed: at.Add(-time.Second)},
			Timestamp:        &gostsig.Timestamp{GenTime: at, Status: gostsig.StatusIndeterminate, Detail: str(15), TSA: ci(16)},
			Chain: []gostsig.ChainCert{
				{Subject: str(17), Issuer: str(18), Serial: str(19), NotBefore: at, NotAfter: at, SHA1: str(20), Anchor: true},
				{},
			},
			Revocation: []gostsig.Revocation{
				{Serial: str(21), Subject: str(22), Status: gostsig.RevocationRevoked, Source: str(23), RevokedAt: at, Reason: str(24),
					CRLIssuer: str(25), CRLNumber: str(26), ThisUpdate: at, NextUpdate: at, EvidenceSHA256: str(27),
					EvidenceStreebog256: str(28), Detail: str(29)},
				{Status: gostsig.RevocationGood},
			},
			Checks:     []gostsig.Check{{Name: str(30), Status: gostsig.StatusSkipped, Detail: str(31), Level: gostsig.Level(str(32))}, {Status: gostsig.StatusPassed}},
			Diagnostic: &gostsig.Diagnostic{DigestAlgorithm: str(33), SignerCertificate: []byte(str(34)), ChainCertificates: [][]byte{[]byte(str(35))}},
		}, {Indication: gostsig.TotalPassed}},
		Checks: []gostsig.Check{{Name: str(36), Status: gostsig.StatusFailed}},
		Policy: str(37),
	}
}

func TestAppendResultEveryField(t *testing.T) {
	at := time.Date(2025, 6, 1, 12, 0, 0, 123456789, time.UTC)
	for i := range tricky {
		checkAppendResult(t, fmt.Sprintf("rotation %d", i), fullResult(append(tricky[i:], tricky[:i]...), at))
	}
	checkAppendResult(t, "zero result", &gostsig.Result{Indication: gostsig.TotalPassed})
	for _, at := range []time.Time{
		time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC), time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(2025, 6, 1, 12, 0, 0, 0, time.FixedZone("MSK", 3*3600)), time.Date(2025, 6, 1, 12, 0, 0, 0, time.Local),
		time.Date(2025, 6, 1, 12, 0, 0, 0, time.FixedZone("UTC", 0)), time.Date(1999, 9, 9, 9, 9, 9, 1, time.UTC),
	} {
		checkAppendResult(t, at.String(), &gostsig.Result{Indication: gostsig.TotalPassed, ValidationTime: at})
	}
	checkAppendResult(t, "empty signatures", &gostsig.Result{Indication: gostsig.TotalPassed, Signatures: []gostsig.Signature{{Indication: gostsig.TotalPassed, Chain: []gostsig.ChainCert{}, Revocation: []gostsig.Revocation{}, Checks: []gostsig.Check{}}}})
	// Errors where encoding/json fails: invalid enums, years past 9999.
	for name, r := range map[string]*gostsig.Result{
		"zero indication": {},
		"bad status":      {Indication: gostsig.TotalPassed, Checks: []gostsig.Check{{Status: 99}}},
		"year 10000":      {Indication: gostsig.TotalPassed, ValidationTime: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if _, err := json.Marshal(r); err == nil {
			t.Fatalf("%s: encoding/json accepts it; the case tests nothing", name)
		}
		if _, err := appendResult(nil, r); err == nil {
			t.Errorf("%s: appendResult accepted what encoding/json refuses", name)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range tricky {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := referenceJSON(t, s)
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

func FuzzAppendResult(f *testing.F) {
	f.Add("a", "Подпись", "\x00", int64(0))
	f.Add("\u2028", "\xff", "<&>", int64(-1e18))
	f.Fuzz(func(t *testing.T, a, b, c string, ns int64) {
		at := time.Unix(0, ns).UTC()
		checkAppendResult(t, "fuzz", fullResult([]string{a, b, c}, at))
	})
}

// TestResultSchemaLock fails when gostsig changes the Result's fields:
// appendResult writes them by hand, so it must change with them. Update
// resultjson.go, check TestAppendResultEveryField sets the new field, then
// update this list.
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
Timestamp.TSA *gostsig.CertInfo json:"tsa,omitempty"
ChainCert.Subject string json:"subject"
ChainCert.Issuer string json:"issuer,omitempty"
ChainCert.Serial string json:"serial"
ChainCert.NotBefore time.Time json:"not_before"
ChainCert.NotAfter time.Time json:"not_after"
ChainCert.SHA1 string json:"sha1"
ChainCert.Anchor bool json:"anchor,omitempty"
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
Check.Name string json:"name"
Check.Status gostsig.Status json:"status"
Check.Detail string json:"detail,omitempty"
Check.Level gostsig.Level json:"level,omitempty"
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
	walk(reflect.TypeFor[gostsig.Result]())
	if strings.TrimSpace(got.String()) != strings.TrimSpace(want) {
		t.Errorf("gostsig.Result changed; update server/resultjson.go, then this list. Now:\n%s", got.String())
	}
}
