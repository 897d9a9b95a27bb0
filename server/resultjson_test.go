package server

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gostsig.dev/gostsig"
	"gostsig.dev/internal/jsonenc"
)

// referenceJSON is what encoding/json writes for v (the contract).
func referenceJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := jsonenc.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkAppendResult checks a batch element: {"id":…} followed by the
// members of the result, as encoding/json writes itemResult (the result
// itself is gostsig.Result.AppendJSON, differential-tested there).
func checkAppendResult(t testing.TB, name string, r *gostsig.Result) {
	t.Helper()
	item := appendItem(nil, "id-1", r, nil, false)
	if want := referenceJSON(t, &itemResult{ID: "id-1", Result: r}); !bytes.Equal(item, want) {
		t.Fatalf("%s: appendItem differs from encoding/json\n got: %.200s\nwant: %.200s", name, item, want)
	}
	// detail=summary: {"id":…} and then the members of AppendSummaryJSON.
	sum, err := r.AppendSummaryJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte(`{"id":"id-1",`), sum[1:]...)
	if got := appendItem(nil, "id-1", r, nil, true); !bytes.Equal(got, want) {
		t.Fatalf("%s: summary item\n got: %.200s\nwant: %.200s", name, got, want)
	}
}

// Every verdict the library gives on the fixtures and samples encodes
// exactly as encoding/json encodes it.
func TestEncodeItemOnVerdicts(t *testing.T) {
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
	// Ids that need escaping, and an item that is an error.
	res, err := v.Verify(context.Background(), gostsig.Input{Signature: f.attached})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"", "Ж\"</>\u2028\x01", "\xff"} {
		if got, want := appendItem(nil, id, res, nil, false), referenceJSON(t, &itemResult{ID: id, Result: res}); !bytes.Equal(got, want) {
			t.Errorf("id %q: got %.100s, want %.100s", id, got, want)
		}
	}
	e := errorf(503, CodeTimeout, "not finished")
	if got, want := appendItem(nil, "x", nil, e, false), referenceJSON(t, &itemResult{ID: "x", Error: e.Error(), Code: CodeTimeout}); !bytes.Equal(got, want) {
		t.Errorf("error item: %s, want %s", got, want)
	}
	// A result encoding/json cannot encode (an out-of-range enum) is an
	// internal-error item after what b already holds, not a panic.
	bad := *res
	bad.Indication = 200
	if _, err := json.Marshal(&bad); err == nil {
		t.Fatal("encoding/json encodes an out-of-range indication: pick another field")
	}
	want := referenceJSON(t, &itemResult{ID: "x", Error: "server: internal error", Code: CodeInternal})
	if got := appendItem([]byte(`{"results":[`), "x", &bad, nil, false); !bytes.Equal(got, append([]byte(`{"results":[`), want...)) {
		t.Errorf("unencodable result: %s, want %s", got, want)
	}
}
