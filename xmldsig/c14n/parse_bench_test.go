package c14n

import (
	"bytes"
	"fmt"
	"os"
	"testing"
)

// parseBenchInputs are the messages of xmldsig's two-signature ratio
// benchmark: what a whole-message verify parses.
var parseBenchInputs = []struct{ name, file string }{
	{"generated-5KB", "../testdata/generated/smev3_personal_caller_256.xml"},
	{"real-14KB", "../testdata/smev/smev3-2012/gosha_GetResponseResponse_sender_and_smev.xml"},
}

// BenchmarkParse: Parse alone. Bytes/op is the input size.
func BenchmarkParse(b *testing.B) {
	for _, in := range parseBenchInputs {
		msg, err := os.ReadFile(in.file)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(msg)))
			for b.Loop() {
				if _, err := Parse(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestParseConcurrent: parsers come from a pool; documents parsed at the
// same time in several goroutines must each come out as they do alone
// (run with -race).
func TestParseConcurrent(t *testing.T) {
	var inputs, want [][]byte
	for _, in := range parseBenchInputs {
		msg, err := os.ReadFile(in.file)
		if err != nil {
			t.Fatal(err)
		}
		d, err := Parse(msg)
		if err != nil {
			t.Fatal(err)
		}
		out, err := AppendCanonical(nil, d, d.Root(), Options{Method: Inclusive})
		if err != nil {
			t.Fatal(err)
		}
		inputs, want = append(inputs, msg), append(want, out)
	}
	inputs, want = append(inputs, []byte("<a><b")), append(want, nil) // an error returns its parser too
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			for i := range 50 {
				k := (g + i) % len(inputs)
				d, err := Parse(inputs[k])
				if want[k] == nil {
					if err == nil {
						errs <- fmt.Errorf("input %d parsed", k)
						return
					}
					continue
				}
				if err != nil {
					errs <- err
					return
				}
				out, err := AppendCanonical(nil, d, d.Root(), Options{Method: Inclusive})
				if err != nil || !bytes.Equal(out, want[k]) {
					errs <- fmt.Errorf("input %d: canonical form differs from the serial one (%v)", k, err)
					return
				}
				if i%2 == 0 {
					d.Release() // and the next parse in some goroutine refills it
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}

// TestPutCanonDropsDocument: a canon returned to the pool keeps nothing
// that aliases the document it last wrote (its input and symbols).
func TestPutCanonDropsDocument(t *testing.T) {
	d, err := Parse([]byte(`<a xmlns:p="urn:p" p:x="1" y="2"><p:b z="3"/></a>`))
	if err != nil {
		t.Fatal(err)
	}
	c := new(canon)
	if err := c.run(d, d.Root(), &Options{Method: Exclusive}); err != nil {
		t.Fatal(err)
	}
	if cap(c.stack) == 0 || cap(c.attrsOut) == 0 {
		t.Fatal("the run used no frames or attributes: the test checks nothing")
	}
	putCanon(c)
	for _, f := range c.stack[:cap(c.stack)] {
		if f.local != nil || f.prefix != "" {
			t.Fatalf("pooled frame still holds %q:%q", f.prefix, f.local)
		}
	}
	for _, a := range c.attrsOut[:cap(c.attrsOut)] {
		if a.local != nil || a.value != nil || a.uri != "" {
			t.Fatalf("pooled attribute still holds {%s}%s=%q", a.uri, a.local, a.value)
		}
	}
}

// TestRelease: a released Document's arrays serve the next parse, which
// comes out as a fresh one does; strings taken from the released one stay
// valid; a second Release is a no-op (the arrays are not handed out twice).
func TestRelease(t *testing.T) {
	a := []byte(`<p:a xmlns:p="urn:first" x="1&amp;2"><p:b>t&lt;u</p:b><!--c--></p:a>`)
	b := []byte(`<q:r xmlns:q="urn:second" xmlns:z="urn:z"><z:s y="&#x41;">v&gt;w</z:s><q:t/></q:r>`)
	canonical := func(in []byte) []byte {
		t.Helper()
		d, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		out, err := AppendCanonical(nil, d, d.Root(), Options{Method: InclusiveWithComments})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	wantB := canonical(b)
	da, err := Parse(a)
	if err != nil {
		t.Fatal(err)
	}
	ns := da.Namespace(da.DocumentElement())
	da.Release()
	da.Release()
	if da.src != nil || da.Len() != 0 {
		t.Fatal("a released Document still holds its input or nodes")
	}
	for range 3 {
		d1, err1 := Parse(b)
		d2, err2 := Parse(a)
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if d1 == d2 {
			t.Fatal("two live Documents share one pooled Document")
		}
		out, err := AppendCanonical(nil, d1, d1.Root(), Options{Method: InclusiveWithComments})
		if err != nil || !bytes.Equal(out, wantB) {
			t.Fatalf("after reuse: %q (%v), want %q", out, err, wantB)
		}
		d1.Release()
		d2.Release()
	}
	if ns != "urn:first" {
		t.Errorf("a string from the released Document changed to %q", ns)
	}
}

// TestParseAllocs: parsing message after message, releasing each,
// allocates only what the tree cannot share between documents.
func TestParseAllocs(t *testing.T) {
	if testing.CoverMode() != "" {
		t.Skip("coverage counters allocate")
	}
	if raceEnabled {
		t.Skip("sync.Pool drops items at random under the race detector")
	}
	for _, in := range parseBenchInputs {
		msg, err := os.ReadFile(in.file)
		if err != nil {
			t.Fatal(err)
		}
		parse := func() {
			d, err := Parse(msg)
			if err != nil {
				t.Fatal(err)
			}
			d.Release()
		}
		parse() // warm the pools
		if n := testing.AllocsPerRun(20, parse); n > 0 {
			t.Errorf("%s: %.1f allocations per parse", in.name, n)
		}
	}
}
