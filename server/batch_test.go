package server

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"gostsig.dev/gostsig"
	"gostsig.dev/gostsig/streebog"
)

// Every item's result is the library's verdict on that item, in request
// order, under its id.
func TestBatchResultsInOrder(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{})
	sum := streebog.Sum256(f.content)
	garbage := []byte("not a signature at all")
	items := []struct {
		item map[string]any
		in   gostsig.Input
	}{
		{map[string]any{"id": "attached", "signature": b64(f.attached)}, gostsig.Input{Signature: f.attached}},
		{map[string]any{"id": "detached", "signature": b64(f.detached), "content": b64(f.content)}, gostsig.Input{Signature: f.detached, Content: f.content}},
		{map[string]any{"id": "changed", "signature": b64(f.detached), "content": b64(f.changed)}, gostsig.Input{Signature: f.detached, Content: f.changed}},
		{map[string]any{"id": "hash", "signature": b64(f.detached), "content_hash": map[string]any{"alg": "streebog256", "value": hex.EncodeToString(sum[:])}},
			gostsig.Input{Signature: f.detached, ContentHash: &gostsig.ContentHash{Algorithm: "streebog256", Value: sum[:]}}},
		{map[string]any{"id": "garbage", "signature": b64(garbage)}, gostsig.Input{Signature: garbage}},
		{map[string]any{"id": "unpadded", "signature": strings.TrimRight(b64(f.attached), "=")}, gostsig.Input{Signature: f.attached}},
		{map[string]any{"signature": b64(f.attached)}, gostsig.Input{Signature: f.attached}}, // no id
		{map[string]any{"id": "empty content", "signature": b64(f.detached), "content": ""}, gostsig.Input{Signature: f.detached, Content: []byte{}}},
	}
	var req []map[string]any
	for _, it := range items {
		req = append(req, it.item)
	}
	body := batchBody(t, req...)
	for range 2 {
		r := ts.do(t, "POST", "/v1/verify/batch", body)
		if r.status != 200 {
			t.Fatalf("status %d: %s\n%s", r.status, r.body, ts.logs.String())
		}
		var resp struct{ Results []map[string]any }
		if err := json.Unmarshal(r.body, &resp); err != nil {
			t.Fatal(err)
		}
		if len(resp.Results) != len(items) {
			t.Fatalf("%d results for %d items", len(resp.Results), len(items))
		}
		for i, it := range items {
			got := resp.Results[i]
			id, _ := it.item["id"].(string)
			if got["id"] != id {
				t.Errorf("results[%d].id = %v, want %q", i, got["id"], id)
			}
			delete(got, "id")
			sameJSON(t, "item "+id, got, f.libraryJSON(t, it.in))
		}
	}
}

// A request that is not the documented JSON, or over the limits of a
// whole request, is refused as a whole, naming the item where there is one.
func TestBatchMalformed(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{MaxItems: 3, MaxItemBytes: 16 << 10, MaxBodyBytes: 1 << 20})
	sig := b64(f.attached)
	check := func(name, body string, status int, code, msg string) {
		t.Helper()
		for range 2 { // try again: decoder state must not leak between requests
			r := ts.do(t, "POST", "/v1/verify/batch", []byte(body))
			if r.status != status {
				t.Errorf("%s: status %d, want %d: %s", name, r.status, status, r.body)
				return
			}
			if got := r.errorCode(t); got != code {
				t.Errorf("%s: code %q, want %q: %s", name, got, code, r.body)
			}
			if m, _ := r.json(t)["error"].(string); !strings.Contains(m, msg) {
				t.Errorf("%s: error %q does not say %q", name, m, msg)
			}
		}
	}
	// Not the documented JSON.
	check("empty", "", 400, CodeEmptyBody, "empty body")
	check("spaces", "  \n", 400, CodeEmptyBody, "empty body")
	check("not JSON", "items: []", 400, CodeMalformedJSON, "batch body")
	check("array", `[{"signature":"`+sig+`"}]`, 400, CodeMalformedJSON, "want {")
	check("truncated", `{"items":[{"signature":"`+sig+`"}`, 400, CodeMalformedJSON, "end of JSON")
	check("unknown member", `{"items":[],"mode":"fast"}`, 400, CodeMalformedJSON, `unknown member "mode"`)
	check("items twice", `{"items":[{"signature":"`+sig+`"}],"items":[]}`, 400, CodeMalformedJSON, "items given twice")
	check("no items", `{}`, 400, CodeMalformedJSON, "no items member")
	check("items null", `{"items":null}`, 400, CodeMalformedJSON, "want an array")
	check("items object", `{"items":{}}`, 400, CodeMalformedJSON, "want an array")
	check("no item", `{"items":[]}`, 400, CodeEmptyBody, "no items")
	check("trailing data", `{"items":[{"signature":"`+sig+`"}]} {}`, 400, CodeMalformedJSON, "data after")
	check("trailing garbage", `{"items":[{"signature":"`+sig+`"}]}]`, 400, CodeMalformedJSON, "")
	// Items that are not the documented JSON.
	check("item not an object", `{"items":["`+sig+`"]}`, 400, CodeMalformedJSON, "items[0]")
	check("unknown item field", `{"items":[{"signature":"`+sig+`","contnet":"AA=="}]}`, 400, CodeMalformedJSON, "items[0]")
	check("signature a number", `{"items":[{"signature":5}]}`, 400, CodeMalformedJSON, "items[0]")
	check("hash unknown field", `{"items":[{"signature":"`+sig+`","content_hash":{"alg":"streebog256","hex":"00"}}]}`, 400, CodeMalformedJSON, "items[0]")
	check("attachments an object", `{"items":[{"signature":"`+sig+`","attachments":{"a":"AA=="}}]}`, 400, CodeMalformedJSON, "items[0]: attachments: ")
	check("attachment unknown field", `{"items":[{"signature":"`+sig+`","attachments":[{"id":"a","data":"AA=="}]}]}`, 400, CodeMalformedJSON, `items[0]: attachments[0]: unknown field "data"`)
	check("attachment id twice", `{"items":[{"signature":"`+sig+`","attachments":[{"id":"a","id":"b","content":""}]}]}`, 400, CodeMalformedJSON, "attachments[0]: field")
	// Limits of the whole request.
	check("too many items", `{"items":[{"signature":"`+sig+`"},{"signature":"`+sig+`"},{"signature":"`+sig+`"},{"signature":"`+sig+`"}]}`, 413, CodeTooManyItems, "3-item limit")
	// Nothing of a refused request was verified.
	if n := ts.eng.calls.Load(); n != 0 {
		t.Errorf("%d verifications for refused requests", n)
	}
}

// An item that is well-formed JSON but cannot be verified (QA2 F9) is
// answered in its place with {"id", "error", "code"}; the other items of
// its batch are verified all the same, as the CLI's batch does with an
// unreadable file.
func TestBatchItemErrors(t *testing.T) {
	f := testFixture(t)
	ts := newTestServer(t, Options{MaxItems: 100, MaxItemBytes: 16 << 10, MaxBodyBytes: 1 << 20})
	sig := b64(f.attached)
	big := b64(make([]byte, 17<<10))
	hash0 := `{"alg":"streebog256","value":"` + strings.Repeat("00", 32) + `"}`
	tooMany := make([]string, maxAttachments+1)
	for i := range tooMany {
		tooMany[i] = fmt.Sprintf(`{"id":"a%d","content":""}`, i)
	}
	tests := []struct {
		name, item string
		id         string // the id echoed
		code, msg  string // "" for a verdict
	}{
		{"good", `{"id":"good","signature":"` + sig + `"}`, "good", "", ""},
		{"no signature", `{"id":"b"}`, "b", CodeMissingSignature, "no signature"},
		{"empty signature", `{"id":"e","signature":""}`, "e", CodeMissingSignature, "no signature"},
		{"bad base64 signature", `{"id":"bad64","signature":"@@@@"}`, "bad64", CodeMalformedBase64, "signature: malformed base64 at byte 0"},
		{"bad base64 content", `{"signature":"` + sig + `","content":"a-b_"}`, "", CodeMalformedBase64, "content: malformed base64"},
		{"bad hash hex", `{"signature":"` + sig + `","content_hash":{"alg":"streebog256","value":"xyz"}}`, "", CodeMalformedHash, "content_hash"},
		{"bad hash alg", `{"signature":"` + sig + `","content_hash":{"alg":"sha256","value":"` + strings.Repeat("00", 32) + `"}}`, "", CodeMalformedHash, "unknown algorithm"},
		{"content and hash", `{"id":"both","signature":"` + sig + `","content":"AA==","content_hash":` + hash0 + `}`, "both", CodeInvalidInput, "not both"},
		{"long id", `{"id":"` + strings.Repeat("i", maxIDBytes+1) + `","signature":"` + sig + `"}`, "", CodeInvalidInput, "id over"},
		{"item too large", `{"id":"big","signature":"` + big + `"}`, "big", CodeItemTooLarge, "16384-byte item limit"},
		{"item too large with content", `{"signature":"` + b64(make([]byte, 9<<10)) + `","content":"` + b64(make([]byte, 9<<10)) + `"}`, "", CodeItemTooLarge, "item limit"},
		{"item too large with attachments", `{"signature":"` + b64(make([]byte, 9<<10)) + `","attachments":[{"id":"x","content":"` + b64(make([]byte, 9<<10)) + `"}]}`, "", CodeItemTooLarge, "item limit"},
		{"attachment bad base64", `{"id":"att","signature":"` + sig + `","attachments":[{"id":"scan.pdf","content":"!"}]}`, "att", CodeMalformedBase64, `attachments[0] (id "scan.pdf"): content`},
		{"attachment without id", `{"signature":"` + sig + `","attachments":[{"content":"AA=="}]}`, "", CodeInvalidInput, "attachments[0]: no id"},
		{"attachment without content", `{"signature":"` + sig + `","attachments":[{"id":"a","content":null}]}`, "", CodeInvalidInput, `attachments[0] (id "a"): no content`},
		{"attachment twice", `{"signature":"` + sig + `","attachments":[{"id":"a","content":""},{"id":"a","content":"AA=="}]}`, "", CodeInvalidInput, "given twice"},
		{"too many attachments", `{"signature":"` + sig + `","attachments":[` + strings.Join(tooMany, ",") + `]}`, "", CodeItemTooLarge, "attachment limit"},
		{"good after the bad", `{"id":"last","signature":"` + sig + `"}`, "last", "", ""},
	}
	var items []string
	for _, tt := range tests {
		items = append(items, tt.item)
	}
	body := []byte(`{"items":[` + strings.Join(items, ",") + `]}`)
	want := f.libraryJSON(t, gostsig.Input{Signature: f.attached})
	for range 2 {
		ts.eng.calls.Store(0)
		res := ts.do(t, "POST", "/v1/verify/batch", body).batch(t).Results
		if len(res) != len(tests) {
			t.Fatalf("%d results for %d items", len(res), len(tests))
		}
		for i, tt := range tests {
			got := res[i]
			if got["id"] != tt.id {
				t.Errorf("%s: id %q, want %q", tt.name, got["id"], tt.id)
			}
			delete(got, "id")
			if tt.code == "" {
				sameJSON(t, tt.name, got, want)
				continue
			}
			msg, _ := got["error"].(string)
			if got["code"] != tt.code || !strings.Contains(msg, tt.msg) || len(got) != 2 {
				t.Errorf("%s: %v, want code %s and an error saying %q", tt.name, got, tt.code, tt.msg)
			}
		}
		if n := ts.eng.calls.Load(); n != 2 {
			t.Errorf("%d verifications, want 2 (the good items only)", n)
		}
	}
	// A batch of bad items only is answered without the verifier.
	ts.eng.calls.Store(0)
	res := ts.do(t, "POST", "/v1/verify/batch", []byte(`{"items":[{"id":"x"},{"id":"y","signature":"@"}]}`)).batch(t).Results
	if len(res) != 2 || itemOutcome(res[0]) != "error:"+CodeMissingSignature || itemOutcome(res[1]) != "error:"+CodeMalformedBase64 {
		t.Errorf("all-bad batch: %v", res)
	}
	if n := ts.eng.calls.Load(); n != 0 {
		t.Errorf("%d verifications for a batch of bad items", n)
	}
}

func TestParseBatchItemCountStopsEarly(t *testing.T) {
	// A body of many tiny items is refused at the limit, before the rest
	// is decoded.
	body := `{"items":[` + strings.Repeat(`{"signature":"AA=="},`, 100000) + `{"signature":"AA=="}]}`
	_, err := parseBatch([]byte(body), batchLimits{maxItems: 10, maxItemBytes: 1 << 20})
	if status, code := statusOf(err); status != 413 || code != CodeTooManyItems {
		t.Fatalf("got %d %s (%v)", status, code, err)
	}
}

// checkParseBatch holds parseBatch to the encoding/json parser it
// replaced: what it accepts, the reference accepts with the same items;
// what the reference refuses, it refuses; invalid JSON it always refuses.
// It may refuse more (repeated fields, field names in another case).
func checkParseBatch(t *testing.T, body []byte, lim batchLimits) {
	t.Helper()
	items, err := parseBatch(body, lim)
	ref, refErr := parseBatchReference(body, lim)
	if err != nil {
		if _, ok := err.(*Error); !ok {
			t.Fatalf("error %T is not an *Error: %v", err, err)
		}
		return
	}
	if !json.Valid(body) {
		t.Fatalf("accepted invalid JSON %q", body)
	}
	if refErr != nil {
		t.Fatalf("accepted what encoding/json refuses (%v): %q", refErr, body)
	}
	if len(items) != len(ref) {
		t.Fatalf("%d items, reference %d", len(items), len(ref))
	}
	for i := range items {
		a, b := items[i], ref[i]
		if a.id != b.id || !bytes.Equal(a.in.Signature, b.in.Signature) || !bytes.Equal(a.in.Content, b.in.Content) ||
			(a.in.Content == nil) != (b.in.Content == nil) || !reflect.DeepEqual(a.in.ContentHash, b.in.ContentHash) ||
			!reflect.DeepEqual(a.in.Attachments, b.in.Attachments) || (a.err == nil) != (b.err == nil) ||
			(a.err != nil && a.err.Code != b.err.Code) {
			t.Fatalf("item %d differs from the reference:\n%+v\n%+v", i, a, b)
		}
	}
	if len(items) == 0 || len(items) > lim.maxItems {
		t.Fatalf("%d items accepted", len(items))
	}
	for _, it := range items {
		if it.err != nil {
			if it.in.Signature != nil || it.in.Content != nil || it.in.ContentHash != nil || it.in.Attachments != nil {
				t.Fatalf("item refused (%v) with its input kept", it.err)
			}
			continue
		}
		if len(it.in.Signature) == 0 || inputSize(&it.in) > lim.maxItemBytes {
			t.Fatalf("item of %d bytes accepted", inputSize(&it.in))
		}
		if it.in.Content != nil && it.in.ContentHash != nil {
			t.Fatal("content and content_hash both accepted")
		}
		if len(it.in.Attachments) > maxAttachments {
			t.Fatalf("%d attachments accepted", len(it.in.Attachments))
		}
	}
}

var parseBatchSeeds = []string{
	`{"items":[{"id":"a","signature":"AAEC"}]}`,
	`{"items":[{"signature":"AAEC","content":"BAUG"},{"id":"x","signature":"AAEC","content":""}]}`,
	`{"items":[{"signature":"AAEC","content_hash":{"alg":"streebog256","value":"` + strings.Repeat("00", 32) + `"}}]}`,
	` { "items" : [ { "id" : "Иванов \u0418\ud83d\ude00 \ud800" , "signature" : "AA\/B" } ] } `,
	`{"items":[{"id":null,"signature":"AAEC","content":null,"content_hash":null}]}`,
	`{"items":[{"Signature":"AAEC"}]}`, `{"items":[{"signature":"AAEC","signature":"AAEC"}]}`,
	`{"items":[{"signature":"AAEC","content_hash":{"alg":"streebog256","alg":"x","value":""}}]}`,
	`{"items":[]}`, `{}`, `[]`, `{"items":[{"signature":"@@"}]}`, `{"items":[{}]}`, `{"items":[{"signature":"AA=="}],}`,
	`{"items":[{"signature":"AA=="},]}`, "{\"items\":[{\"signature\":\"AA\x01==\"}]}", "{\"items\":[{\"id\":\"\xff\",\"signature\":\"AAEC\"}]}",
	`{"items":[{"signature":"AAEC"}]}x`, `{"items":[{"signature":"AAEC"}]`, `{"items":[{"signature":1}]}`, `{"items":[{"id":"a\x"}]}`,
	"{\"items\":[{\"signature\":\"AAEC\"}]}\n\t ", `{"items" [ ]}`, `{"items":[{"content_hash":{"alg":1}}]}`,
	`{"items":[{"signature":"AAEC","attachments":[{"id":"a","content":"AAEC"},{"id":"b\u0041","content":"AA\/B"}]}]}`,
	`{"items":[{"signature":"AAEC","attachments":null},{"signature":"AAEC","attachments":[]}]}`,
	`{"items":[{"signature":"AAEC","attachments":[{"id":"a"},{"content":"AA=="},{"id":"a","content":"@"}]}]}`,
	`{"items":[{"signature":"AAEC","attachments":[{"id":"a","content":""},{"id":"a","content":""}]}]}`,
	`{"items":[{"signature":"AAEC","attachments":[{"id":"a","content":"AA","content":"AA"}]}]}`,
}

func TestParseBatchDifferential(t *testing.T) {
	f := testFixture(t)
	lim := batchLimits{maxItems: 8, maxItemBytes: 64 << 10}
	for _, s := range append(parseBatchSeeds,
		`{"items":[{"id":"a","signature":"`+b64(f.attached)+`"},{"signature":"`+b64(f.detached)+`","content":"`+b64(f.content)+`"}]}`) {
		checkParseBatch(t, []byte(s), lim)
	}
	// The seeds do reach both outcomes.
	if _, err := parseBatch([]byte(parseBatchSeeds[3]), lim); err != nil {
		t.Errorf("escaped strings refused: %v", err)
	}
	if _, err := parseBatch([]byte(parseBatchSeeds[5]), lim); err == nil {
		t.Error("a field name in another case accepted")
	}
}

// FuzzParseBatch: no panic, refusals are *Error, and acceptance agrees with
// encoding/json (checkParseBatch).
func FuzzParseBatch(f *testing.F) {
	fx := testFixture(f)
	for _, s := range append(parseBatchSeeds, `{"items":[{"id":"a","signature":"`+b64(fx.attached)+`"}]}`) {
		f.Add([]byte(s))
	}
	lim := batchLimits{maxItems: 8, maxItemBytes: 4 << 10}
	f.Fuzz(func(t *testing.T, body []byte) {
		if len(body) > 64<<10 {
			return // bounded like the server's body limit
		}
		checkParseBatch(t, body, lim)
	})
}

// TestBase64OnePass: the scanner's one-pass decoder of clean base64 gives
// exactly what decodeBase64 (encoding/base64) gives, and everything it
// does not take (bad characters, padding in the wrong place, a lone
// trailing character) goes on to decodeBase64 and its error.
func TestBase64OnePass(t *testing.T) {
	lim := batchLimits{maxItems: 1, maxItemBytes: 1 << 10}
	var texts []string
	for n := range 40 {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(i*97 + n*31)
		}
		std, raw := base64.StdEncoding.EncodeToString(b), base64.RawStdEncoding.EncodeToString(b)
		texts = append(texts, std, raw, std+"=", raw+"A", "="+std, std+"AA==", std[:len(std)/2]+"=="+std[len(std)/2:])
		for _, bad := range []string{"-", "_", "=", "*", `\/`, `\u0041`} {
			for _, at := range []int{0, len(raw) / 2, len(raw)} {
				texts = append(texts, raw[:at]+bad+raw[at:])
			}
		}
	}
	texts = append(texts, "AB==", "AB=", "ABC=", "AB=C", "A===", "====", "==", "A", "_w==", "//+/", "A/==")
	for _, text := range texts {
		if text == "" {
			continue // "no signature"
		}
		body := []byte(`{"items":[{"signature":"` + text + `","content":"` + text + `"}]}`)
		want, wantErr := decodeBase64([]byte(text))
		if strings.Contains(text, `\`) { // an escape: encoding/json's meaning
			var s string
			json.Unmarshal([]byte(`"`+text+`"`), &s)
			want, wantErr = decodeBase64([]byte(s))
		}
		s := scanner{b: []byte(`"` + text + `"`), lim: lim}
		_, onePass, ok := s.base64()
		items, err := parseBatch(body, lim)
		if err == nil && items[0].err != nil {
			err = items[0].err
		}
		switch {
		case wantErr != nil && err == nil:
			t.Errorf("%q: accepted (%x), encoding/base64 says %v", text, items[0].in.Signature, wantErr)
		case wantErr == nil && err != nil:
			t.Errorf("%q: %v, encoding/base64 decodes it", text, err)
		case err != nil:
			if code := err.(*Error).Code; code != CodeMalformedBase64 {
				t.Errorf("%q: code %s, want %s", text, code, CodeMalformedBase64)
			}
		case !bytes.Equal(items[0].in.Signature, want) || !bytes.Equal(items[0].in.Content, want):
			t.Errorf("%q: %x, encoding/base64 %x", text, items[0].in.Signature, want)
		}
		if ok && (wantErr != nil || !bytes.Equal(onePass, want)) {
			t.Errorf("%q: one pass gave %x, encoding/base64 %x %v", text, onePass, want, wantErr)
		}
	}
	// A line break (which encoding/base64 would skip, and JSON forbids
	// unescaped) anywhere, before, in or after the vector blocks, is left
	// to the general path and its error.
	clean := strings.Repeat("QUJD", 24)
	for at := range len(clean) + 1 {
		for _, lb := range []string{"\n", "\r"} {
			text := clean[:at] + lb + clean[at:]
			s := scanner{b: []byte(`"` + text + `"`), lim: lim}
			if _, _, ok := s.base64(); ok {
				t.Errorf("%q: line break taken by the one pass", text)
			}
			if _, err := parseBatch([]byte(`{"items":[{"signature":"`+text+`"}]}`), lim); err == nil {
				t.Errorf("%q: a raw line break in a JSON string accepted", text)
			}
		}
	}
	// The one pass does take the clean forms.
	for _, text := range []string{"AAEC", "AAE=", "AA==", "AAE", "AA", ""} {
		s := scanner{b: []byte(`"` + text + `"`), lim: lim}
		if _, _, ok := s.base64(); !ok {
			t.Errorf("%q: not taken by the one pass", text)
		}
	}
}
