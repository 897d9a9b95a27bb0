package xmldsig

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"gostsig.dev/xmldsig/c14n"
)

// serialize writes d back as XML (always start and end tags, the namespace
// declarations and attributes as written), appending "X" to the one node or
// attribute selected by mut. With no mutation the result is canonically
// equivalent to the input, so every signature must still verify.
type mutation struct {
	node c14n.Node
	attr int // -1: the node itself (element name or text); else the attribute index
}

func serialize(d *c14n.Document, mut mutation) []byte {
	var b bytes.Buffer
	esc := func(s []byte, attr bool) {
		for _, c := range s {
			switch {
			case c == '&':
				b.WriteString("&amp;")
			case c == '<':
				b.WriteString("&lt;")
			case c == '>':
				b.WriteString("&gt;")
			case c == '\r':
				b.WriteString("&#13;")
			case attr && c == '"':
				b.WriteString("&quot;")
			case attr && (c == '\t' || c == '\n'):
				fmt.Fprintf(&b, "&#%d;", c)
			default:
				b.WriteByte(c)
			}
		}
	}
	name := func(n c14n.Node) {
		if p := d.Prefix(n); p != "" {
			b.WriteString(p + ":")
		}
		b.Write(d.LocalName(n))
		if mut.node == n && mut.attr < 0 {
			b.WriteByte('X')
		}
	}
	var walk func(n c14n.Node)
	walk = func(n c14n.Node) {
		switch d.Kind(n) {
		case c14n.ElementNode:
			b.WriteByte('<')
			name(n)
			for _, ns := range d.NamespaceDecls(n) {
				if ns.Prefix == "" {
					b.WriteString(` xmlns="`)
				} else {
					b.WriteString(" xmlns:" + ns.Prefix + `="`)
				}
				esc([]byte(ns.URI), true)
				b.WriteByte('"')
			}
			for i := range d.NumAttrs(n) {
				a := d.Attr(n, i)
				b.WriteByte(' ')
				if a.Prefix != "" {
					b.WriteString(a.Prefix + ":")
				}
				b.Write(a.Local)
				b.WriteString(`="`)
				esc(a.Value, true)
				if mut.node == n && mut.attr == i {
					b.WriteByte('X')
				}
				b.WriteByte('"')
			}
			b.WriteByte('>')
			for c := d.FirstChild(n); c != c14n.None; c = d.NextSibling(c) {
				walk(c)
			}
			b.WriteString("</")
			name(n)
			b.WriteByte('>')
		case c14n.TextNode:
			esc(d.Value(n), false)
			if mut.node == n {
				b.WriteByte('X')
			}
		case c14n.CommentNode:
			b.WriteString("<!--")
			b.Write(d.Value(n))
			b.WriteString("-->")
		case c14n.PINode:
			b.WriteString("<?")
			b.Write(d.LocalName(n))
			if v := d.Value(n); len(v) > 0 {
				b.WriteByte(' ')
				b.Write(v)
			}
			b.WriteString("?>")
		}
	}
	for c := d.FirstChild(d.Root()); c != c14n.None; c = d.NextSibling(c) {
		walk(c) // prolog and epilog comments and PIs too
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// covered returns a predicate: is node n inside data some signature
// protects (a reference's node-set, a SignedInfo, a SignatureValue)?
func covered(t *testing.T, d *c14n.Document) func(c14n.Node) bool {
	v := &verifier{doc: d, opt: &Options{}}
	v.indexIDs()
	type rng struct{ from, to, except c14n.Node }
	var rs []rng
	for s := c14n.Node(1); int(s) < d.Len(); s++ {
		if !d.Is(s, NamespaceDSig, "Signature") {
			continue
		}
		si := v.child(s, NamespaceDSig, "SignedInfo")
		sv := v.child(s, NamespaceDSig, "SignatureValue")
		rs = append(rs, rng{si, d.End(si), -1}, rng{sv, d.End(sv), -1})
		for _, r := range v.children(si, NamespaceDSig, "Reference") {
			uri, _ := v.attr(r, "URI")
			target, _, err := v.dereference(uri)
			if err != nil {
				t.Fatal(err)
			}
			except := c14n.Node(-1)
			if v.child(r, NamespaceDSig, "Transforms") != c14n.None {
				for _, tr := range v.children(v.child(r, NamespaceDSig, "Transforms"), NamespaceDSig, "Transform") {
					if a, _ := v.attr(tr, "Algorithm"); a == TransformEnveloped {
						except = s
					}
				}
			}
			rs = append(rs, rng{target, d.End(target), except})
		}
	}
	return func(n c14n.Node) bool {
		for _, r := range rs {
			if n >= r.from && n < r.to && !(r.except >= 0 && n >= r.except && n < d.End(r.except)) {
				return true
			}
		}
		return false
	}
}

// TestTamper changes every element name, attribute value and text node of
// the signed data in turn; each change must make some signature fail.
func TestTamper(t *testing.T) {
	files := []string{
		genDir + "smev3_personal_caller_256.xml",
		genDir + "smev3_response_512.xml",
		genDir + "smev2_wss_prefixlist_256.xml",
		genDir + "xmldsig_enveloped_inclusive_512.xml",
		genDir + "smev3_mtom_attachments_256.xml",
		"testdata/smev/smev3-2001/roland_EBBS_SendRequestRequestPersonalSignature.xml",
		"testdata/smev/smev3-2012/gosha_GetResponseResponse_sender_and_smev.xml",
		"testdata/smev/smev2-wss/ovirug_form_7.xml",
	}
	step := 1
	if testing.Short() {
		step = 5
	}
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			opt := genOptions(t)
			d, err := c14n.Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			allPass := func(b []byte) (bool, error) {
				res, err := Verify(b, opt)
				if err != nil {
					return false, err
				}
				for _, s := range res.Signatures {
					if !s.Passed() {
						return false, nil
					}
				}
				return len(res.Signatures) > 0, nil
			}
			if ok, err := allPass(serialize(d, mutation{node: -1})); !ok {
				t.Fatalf("the untampered re-serialization does not verify: %v", err)
			}
			in := covered(t, d)
			tried := 0
			k := 0
			for n := c14n.Node(1); int(n) < d.Len(); n++ {
				if !in(n) {
					continue
				}
				var muts []mutation
				switch d.Kind(n) {
				case c14n.ElementNode:
					muts = append(muts, mutation{n, -1})
					for i := range d.NumAttrs(n) {
						muts = append(muts, mutation{n, i})
					}
				case c14n.TextNode:
					muts = append(muts, mutation{n, -1})
				}
				for _, m := range muts {
					k++
					if k%step != 0 {
						continue
					}
					tried++
					if ok, _ := allPass(serialize(d, m)); ok {
						what := "name/text"
						if m.attr >= 0 {
							what = "attribute " + string(d.Attr(n, m.attr).Local)
						}
						t.Errorf("undetected change of node %d (%s, %s in %s)", n, what, d.LocalName(n), d.LocalName(d.Parent(n)))
					}
				}
			}
			// At least 10 covered changes exist; -short tries every 5th.
			if k < 10 || tried < k/step {
				t.Errorf("only %d of %d changes tried", tried, k)
			}
			t.Logf("%d changes, all detected", tried)
		})
	}
}
