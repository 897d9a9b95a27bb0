package smev

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"gostsig.dev/xmldsig/c14n"
	"gostsig.dev/xmldsig/internal/outbuf"
)

// manyNamespaces builds the document that made the transform's prefix
// lookup quadratic: levels nested elements, each declaring perLevel
// namespaces and using them in attributes (so the transform binds
// levels·perLevel prefixes that stay in scope), then children elements
// below them with attrs attributes each, in namespaces of the ancestors
// (every one a lookup among all the bindings in scope).
func manyNamespaces(levels, perLevel, children, attrs int) []byte {
	var b bytes.Buffer
	ns := 0
	for l := range levels {
		fmt.Fprintf(&b, "<e%d xmlns=\"urn:d\"", l)
		for range perLevel {
			fmt.Fprintf(&b, " xmlns:p%d=\"urn:ns:%d\" p%d:a=\"%d\"", ns, ns, ns, ns)
			ns++
		}
		b.WriteString(">")
	}
	for c := range children {
		b.WriteString("<c")
		for a := range attrs {
			p := (c*attrs + a*7919) % ns
			fmt.Fprintf(&b, " p%d:a%d=\"v\"", p, a)
		}
		b.WriteString("/>")
	}
	for l := levels - 1; l >= 0; l-- {
		fmt.Fprintf(&b, "</e%d>", l)
	}
	return b.Bytes()
}

// TestManyNamespaces: with about a thousand generated prefixes in scope the
// transform looks them up through its index (the linear scan made this
// document cost minutes at full size), and the output is what the linear
// scan gives, checked against the two-step path and by its shape.
func TestManyNamespaces(t *testing.T) {
	doc := manyNamespaces(8, 120, 50, 200)
	d, err := c14n.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	w := getWalker()
	defer putWalker(w)
	var fused bytes.Buffer
	w.out = outbuf.Sink{W: &fused}
	w.run(d, d.DocumentElement(), &Options{})
	if err := w.out.Flush(); err != nil {
		t.Fatal(err)
	}
	if w.idx == nil {
		t.Error("no prefix index built with 960 bindings in scope")
	}
	// The same through exclusive c14n octets and a fresh parse.
	canon, err := c14n.AppendCanonical(nil, d, d.DocumentElement(), c14n.Options{Method: c14n.Exclusive})
	if err != nil {
		t.Fatal(err)
	}
	twoStep, _, err := AppendTransform(nil, canon, Woodstox)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fused.Bytes(), twoStep) {
		t.Fatal("fused and two-step transforms differ")
	}
	// Every URI got one prefix: the element's first, then its attributes'
	// in the order the transform sorts them (by URI).
	if !bytes.HasPrefix(twoStep, []byte(`<ns1:e0 xmlns:ns1="urn:d" xmlns:ns2="urn:ns:0" xmlns:ns3="urn:ns:1" xmlns:ns4="urn:ns:10" `)) ||
		bytes.Count(twoStep, []byte(`xmlns:ns`)) != 8*120+1 {
		t.Fatalf("unexpected prefixes: %.200s…", twoStep)
	}
	// An ordinary document after it runs without the index.
	small, err := c14n.Parse([]byte(`<a xmlns="urn:x" xmlns:b="urn:b" b:c="1"><b:d/></a>`))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	w.out = outbuf.Sink{W: &out}
	w.run(small, small.DocumentElement(), &Options{})
	w.out.Flush()
	if w.idx != nil || out.String() != `<ns1:a xmlns:ns1="urn:x" xmlns:ns2="urn:b" ns2:c="1"><ns2:d></ns2:d></ns1:a>` {
		t.Errorf("small document after the big one: index %v, output %s", w.idx != nil, out.String())
	}
}

// BenchmarkManyNamespaces: the same shape at a size where a linear prefix
// lookup is quadratic: 1,000 bindings in scope, 100,000 attributes looked
// up among them. MB/s counts the input.
func BenchmarkManyNamespaces(b *testing.B) {
	doc := manyNamespaces(8, 125, 500, 200)
	d, err := c14n.Parse(doc)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("smev", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			TransformNode(io.Discard, d, d.DocumentElement(), Options{})
		}
	})
	b.Run("exc-c14n", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			c14n.Canonicalize(io.Discard, d, d.DocumentElement(), c14n.Options{Method: c14n.Exclusive})
		}
	})
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		for b.Loop() {
			c14n.Parse(doc)
		}
	})
}
