package gostsig

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"gostsig.dev/internal/jsonenc"
	"gostsig.dev/internal/testkit"
)

// streamResults are the verdicts of n verifications of one signature by
// one verifier: what the HTTP service encodes, each Result once, with the
// certificate strings the verifier's caches hand to every one of them
// and the details it writes afresh for each.
func streamResults(tb testing.TB, n int) []*Result {
	p := stdPKI(tb)
	v := newTestVerifier(tb, stdCfg(tb, p))
	in := Input{Signature: attached(tb, p, testkit.SignerSpec{})}
	rs := make([]*Result, n)
	for i := range rs {
		r, err := v.Verify(context.Background(), in)
		if err != nil || r.Indication != TotalPassed {
			tb.Fatal(r, err)
		}
		rs[i] = r
	}
	return rs
}

// memoised reports whether the memo holds a fragment for every
// certificate object of r's first signature.
func memoised(r *Result) bool {
	s := &r.Signatures[0]
	if s.Signer != nil {
		h := hashCertInfo(s.Signer)
		if find(certInfoMemo.set(h), h, s.Signer) == nil {
			return false
		}
	}
	for i := range s.Chain {
		h := hashChainCert(&s.Chain[i])
		if find(chainCertMemo.set(h), h, &s.Chain[i]) == nil {
			return false
		}
	}
	for i := range s.Revocation {
		h := hashRevocation(&s.Revocation[i])
		if find(revocationMemo.set(h), h, &s.Revocation[i]) == nil {
			return false
		}
	}
	return true
}

// The verifier's certificate objects are memoised after two results, and
// from then on a result encodes without an allocation and as
// encoding/json does.
func TestMemoVerifierStream(t *testing.T) {
	rs := streamResults(t, 64)
	for _, r := range rs[:2] {
		checkAppendJSON(t, "warm-up", r)
	}
	if !memoised(rs[2]) {
		t.Fatal("the verifier's certificate objects are not memoised after two results")
	}
	for i, r := range rs {
		checkAppendJSON(t, fmt.Sprint("result ", i), r)
	}
	buf := make([]byte, 0, 64<<10)
	i := 0
	if n := testing.AllocsPerRun(200, func() {
		buf, _ = rs[i%len(rs)].AppendJSON(buf[:0])
		i++
	}); n != 0 {
		t.Errorf("%v allocations per result, want 0", n)
	}
}

// memoTargets are the memoised objects of r, by name.
func memoTargets(r *Result) map[string]reflect.Value {
	s := &r.Signatures[0]
	return map[string]reflect.Value{
		"signer":                reflect.ValueOf(s.Signer).Elem(),
		"timestamp.tsa":         reflect.ValueOf(s.Timestamp.TSA).Elem(),
		"chain[0]":              reflect.ValueOf(&s.Chain[0]).Elem(),
		"revocation[0]":         reflect.ValueOf(&s.Revocation[0]).Elem(),
		"timestamp.revocation0": reflect.ValueOf(&s.Timestamp.Revocation[0]).Elem(),
	}
}

// changed returns values other than v that encode differently: for a
// string, other bytes of the same length and v's own prefix (same data
// pointer, one byte shorter); for a time, another instant and the same
// instant in another zone (unless it is the zero time); for a bool and an enum, another value.
func changed(v reflect.Value) []reflect.Value {
	switch x := v.Interface().(type) {
	case string:
		if x == "" {
			return []reflect.Value{reflect.ValueOf("х")}
		}
		other := []byte(x)
		other[0] ^= 1
		return []reflect.Value{reflect.ValueOf(string(other)), reflect.ValueOf(x[:len(x)-1])}
	case time.Time:
		if x.IsZero() { // the zero time in any zone is omitted
			return []reflect.Value{reflect.ValueOf(x.Add(time.Second))}
		}
		return []reflect.Value{reflect.ValueOf(x.Add(time.Second)), reflect.ValueOf(x.In(time.FixedZone("MSK", 3*3600)))}
	case bool:
		return []reflect.Value{reflect.ValueOf(!x)}
	case RevocationStatus:
		return []reflect.Value{reflect.ValueOf(x%3 + 1)}
	}
	panic(fmt.Sprintf("no change for %s", v.Type()))
}

// A memoised object whose field is changed in place — every field of
// every memoised type, in turn — encodes with the change, and with the
// old value again encodes as before. A memo keyed on less than every
// field (the thumbprint, the subject) fails here.
func TestMemoNoticesEveryField(t *testing.T) {
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	strs := make([]string, 51)
	for i := range strs {
		strs[i] = fmt.Sprintf("поле %d: ООО «Тестовый УЦ»", i)
	}
	r := fullResult(strs, at)
	r.Signatures[0].Diagnostic = nil
	for range 3 {
		checkAppendJSON(t, "warm-up", r)
	}
	if !memoised(r) {
		t.Fatal("the result's objects are not memoised after three encodings")
	}
	orig, err := r.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	// find compares whole objects with ==, Go's own comparison: what can
	// go wrong is the memo answering for a changed object, which the
	// output checks below catch, field by field.
	fields := 0
	for name, obj := range memoTargets(r) {
		for i := range obj.NumField() {
			f := obj.Field(i)
			old := reflect.ValueOf(f.Interface())
			for _, v := range changed(old) {
				f.Set(v)
				// Encode twice: the second would find what the first admitted.
				for range 2 {
					got, err := r.AppendJSON(nil)
					if err != nil {
						t.Fatal(err)
					}
					if bytes.Equal(got, orig) {
						t.Fatalf("%s.%s = %#v: the output did not change", name, obj.Type().Field(i).Name, v)
					}
					checkAppendJSON(t, name+"."+obj.Type().Field(i).Name, r)
				}
				f.Set(old)
				if got, _ := r.AppendJSON(nil); !bytes.Equal(got, orig) {
					t.Fatalf("%s.%s restored: the output differs from the first", name, obj.Type().Field(i).Name)
				}
			}
			fields++
		}
	}
	if want := 2*reflect.TypeFor[CertInfo]().NumField() + 2*reflect.TypeFor[Revocation]().NumField() + reflect.TypeFor[ChainCert]().NumField(); fields != want {
		t.Errorf("changed %d fields, want %d", fields, want)
	}
}

// distinctResult is a result about certificate i: strings of its own,
// and the CA certificate ca that every such result shares.
func distinctResult(i int, ca ChainCert, subjectLen int) *Result {
	subject := fmt.Sprintf("CN=Подписант %d,O=ООО «Ромашка»,C=RU", i)
	subject += strings.Repeat("Ж", max(0, subjectLen-len(subject))/2)
	serial := fmt.Sprintf("%016X", i)
	sha1 := fmt.Sprintf("%040X", i)
	nb := time.Date(2024, 1, 1, 0, 0, i%60, 0, time.UTC)
	return &Result{Indication: TotalPassed, Signatures: []Signature{{
		Indication: TotalPassed,
		Signer:     &CertInfo{Subject: subject, CommonName: subject[3:20], Serial: serial, Issuer: ca.Subject, NotBefore: nb, NotAfter: nb.AddDate(1, 0, 0), SHA1: sha1},
		Chain:      []ChainCert{{Subject: subject, Issuer: ca.Subject, Serial: serial, NotBefore: nb, NotAfter: nb.AddDate(1, 0, 0), SHA1: sha1}, ca},
		Revocation: []Revocation{{Serial: serial, Subject: subject, Status: RevocationGood, Source: "crl", CRLIssuer: ca.Subject, CRLNumber: fmt.Sprint(i)}},
	}}}
}

// Thousands of distinct certificates, seen once each, then again in
// runs that admit them and evict one another: every output is
// encoding/json's, a one-off costs no allocation and does not evict the
// CA certificate they share, and no fragment exceeds maxFragment (a
// larger object is encoded every time).
func TestMemoManyCertificates(t *testing.T) {
	ca := ChainCert{Subject: "CN=Тестовый УЦ,O=ООО «Тестовый УЦ»,C=RU", Serial: "0A", SHA1: strings.Repeat("AB", 20),
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC), Anchor: true}
	const n = 3000
	rs := make([]*Result, n)
	for i := range rs {
		rs[i] = distinctResult(i, ca, 0)
	}
	for _, r := range rs[:2] {
		checkAppendJSON(t, "warm-up", r)
	}
	buf := make([]byte, 0, 64<<10)
	i := 2
	if a := testing.AllocsPerRun(500, func() {
		buf, _ = rs[i].AppendJSON(buf[:0])
		i++
	}); a != 0 {
		t.Errorf("one-off certificates: %v allocations per result, want 0", a)
	}
	caHash := hashChainCert(&ca)
	if find(chainCertMemo.set(caHash), caHash, &ca) == nil {
		t.Error("one-off certificates evicted the CA certificate they share")
	}
	for i, r := range rs {
		for range 3 { // admitted on the second, found on the third
			checkAppendJSON(t, fmt.Sprint("certificate ", i), r)
		}
	}
	if !memoised(rs[n-1]) {
		t.Error("the last certificate is not memoised")
	}
	if memoised(rs[0]) {
		t.Error("the first of thousands of certificates is still memoised: nothing was evicted")
	}
	entries := 0
	for _, m := range []*memo[CertInfo]{&certInfoMemo} {
		for s := range m.sets {
			for w := range m.sets[s].way {
				if e := m.sets[s].way[w].Load(); e != nil {
					entries++
					if len(e.json) > maxFragment {
						t.Fatalf("a fragment of %d bytes", len(e.json))
					}
				}
			}
		}
	}
	if entries > memoSets*memoWays || entries < memoSets {
		t.Errorf("%d CertInfo entries after %d certificates; the table has %d", entries, n, memoSets*memoWays)
	}
	big := distinctResult(n, ca, maxFragment)
	for range 3 {
		checkAppendJSON(t, "big", big)
	}
	h := hashCertInfo(big.Signatures[0].Signer)
	if find(certInfoMemo.set(h), h, big.Signatures[0].Signer) != nil {
		t.Error("a CertInfo of more than maxFragment bytes was memoised")
	}
}

// Goroutines encoding shared verdicts, their own certificates and edited
// copies at once each get encoding/json's bytes (run with -race: the
// entries are published by atomic pointers and never written after).
func TestMemoConcurrent(t *testing.T) {
	shared := streamResults(t, 8)
	ca := shared[0].Signatures[0].Chain[len(shared[0].Signatures[0].Chain)-1]
	const workers, rounds = 4, 200
	type job struct {
		r    *Result
		want []byte
	}
	jobs := make([][]job, workers)
	for w := range jobs {
		for i := range 24 {
			var r *Result
			switch i % 3 {
			case 0:
				r = shared[i%len(shared)]
			case 1:
				r = distinctResult(w*1000+i%5, ca, 0) // recurring within a worker
			default:
				c := *shared[i%len(shared)]
				c.Signatures = append([]Signature(nil), c.Signatures...)
				c.Signatures[0].Chain = append([]ChainCert(nil), c.Signatures[0].Chain...)
				c.Signatures[0].Chain[1].Serial = fmt.Sprintf("%X", w*100+i) // an edited copy
				r = &c
			}
			want, err := jsonenc.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			jobs[w] = append(jobs[w], job{r, want})
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	for w := range workers {
		wg.Go(func() {
			var buf []byte
			for k := range rounds {
				j := jobs[w][k%len(jobs[w])]
				var err error
				if buf, err = j.r.AppendJSON(buf[:0]); err != nil || !bytes.Equal(buf, j.want) {
					errs <- fmt.Errorf("worker %d round %d: output differs from encoding/json (%v)", w, k, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// BenchmarkAppendJSONStream encodes a stream of verdicts of one verifier,
// each Result once per 1024 (BenchmarkAppendJSON re-encodes one Result,
// whose every string recurs).
func BenchmarkAppendJSONStream(b *testing.B) {
	rs := streamResults(b, 1024)
	buf, _ := rs[0].AppendJSON(nil)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		buf, _ = rs[i%len(rs)].AppendJSON(buf[:0])
		i++
	}
}

// BenchmarkAppendJSONOneOff encodes results about distinct signers
// (signer, chain[0] and revocation entry seen once per 4096), under one
// CA ("shared-ca") or each under a CA of its own ("nothing-recurs": the
// memo's cost when it never hits).
func BenchmarkAppendJSONOneOff(b *testing.B) {
	ca := ChainCert{Subject: "CN=Тестовый УЦ,O=ООО «Тестовый УЦ»,C=RU", Serial: "0A", SHA1: strings.Repeat("AB", 20),
		NotBefore: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC), Anchor: true}
	for _, sharedCA := range []bool{true, false} {
		name := "shared-ca"
		if !sharedCA {
			name = "nothing-recurs"
		}
		b.Run(name, func(b *testing.B) {
			rs := make([]*Result, 4096)
			for i := range rs {
				rs[i] = distinctResult(i, ca, 0)
				if !sharedCA {
					rs[i].Signatures[0].Chain[1].SHA1 = fmt.Sprintf("%040X", i)
				}
			}
			buf, _ := rs[0].AppendJSON(nil)
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				buf, _ = rs[i%len(rs)].AppendJSON(buf[:0])
				i++
			}
		})
	}
}
