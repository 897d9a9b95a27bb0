package c14n

import (
	"errors"
	"strings"
	"testing"
)

// Hand-checked canonical forms of element subsets (the apex is the element
// with Id="x"), each with the rule it exercises.
func TestSubsets(t *testing.T) {
	tests := []struct {
		name string
		in   string
		opt  Options
		want string
	}{
		{"inclusive: apex gets every in-scope namespace", `<a xmlns="urn:d" xmlns:p="urn:p" xmlns:u="urn:u"><b Id="x"/></a>`,
			Options{Method: Inclusive}, `<b xmlns="urn:d" xmlns:p="urn:p" xmlns:u="urn:u" Id="x"></b>`},
		{"inclusive: inherited default namespace not repeated below", `<a xmlns="urn:d"><b Id="x"><c/><d xmlns=""><e/></d><f xmlns="urn:d"/></b></a>`,
			Options{Method: Inclusive}, `<b xmlns="urn:d" Id="x"><c></c><d xmlns=""><e></e></d><f></f></b>`},
		{"inclusive: xmlns=\"\" on apex under a default is dropped", `<a xmlns="urn:d"><b xmlns="" Id="x"><c/></b></a>`,
			Options{Method: Inclusive}, `<b Id="x"><c></c></b>`},
		{"inclusive: redundant redeclaration dropped, changed one kept", `<a xmlns:p="urn:p"><b Id="x"><p:c xmlns:p="urn:p"/><p:d xmlns:p="urn:q"/></b></a>`,
			Options{Method: Inclusive}, `<b xmlns:p="urn:p" Id="x"><p:c></p:c><p:d xmlns:p="urn:q"></p:d></b>`},
		{"inclusive: xml:* attributes inherited by the apex (C14N 1.0 §2.4)", `<a xml:lang="ru"><b xml:space="preserve"><c Id="x" xml:space="default"/></b></a>`,
			Options{Method: Inclusive}, `<c Id="x" xml:lang="ru" xml:space="default"></c>`},
		{"exclusive: only visibly used namespaces", `<a xmlns="urn:d" xmlns:p="urn:p" xmlns:u="urn:u"><b Id="x" p:q="1"/></a>`,
			Options{Method: Exclusive}, `<b xmlns="urn:d" xmlns:p="urn:p" Id="x" p:q="1"></b>`},
		{"exclusive: unprefixed attribute does not use the default namespace", `<p:a xmlns:p="urn:p" xmlns="urn:d"><p:b Id="x" q="1"/></p:a>`,
			Options{Method: Exclusive}, `<p:b xmlns:p="urn:p" Id="x" q="1"></p:b>`},
		{"exclusive: xml:* not inherited", `<a xml:lang="ru"><b Id="x"/></a>`,
			Options{Method: Exclusive}, `<b Id="x"></b>`},
		{"exclusive: namespace rendered again below an element that did not use it", `<a xmlns:p="urn:p"><b Id="x"><c><p:d/></c><p:e><p:f/></p:e></b></a>`,
			Options{Method: Exclusive}, `<b Id="x"><c><p:d xmlns:p="urn:p"></p:d></c><p:e xmlns:p="urn:p"><p:f></p:f></p:e></b>`},
		{"exclusive: xmlns=\"\" only below a rendered default", `<a xmlns="urn:d"><b xmlns="" Id="x"><c xmlns="urn:d"><e xmlns=""/></c></b></a>`,
			Options{Method: Exclusive}, `<b Id="x"><c xmlns="urn:d"><e xmlns=""></e></c></b>`},
		{"exclusive: PrefixList #default and p", `<a xmlns="urn:d" xmlns:p="urn:p" xmlns:u="urn:u"><q:b xmlns:q="urn:q" Id="x"><q:c/></q:b></a>`,
			Options{Method: Exclusive, InclusivePrefixes: []string{"#default", "p", "absent"}}, `<q:b xmlns="urn:d" xmlns:p="urn:p" xmlns:q="urn:q" Id="x"><q:c></q:c></q:b>`},
		{"exclusive: enveloped subtree removed, surrounding text joined", `<a Id="x">one<ds:Signature xmlns:ds="urn:ds"><ds:v/></ds:Signature>two</a>`,
			Options{Method: Exclusive, Exclude: []Node{3}}, `<a Id="x">onetwo</a>`},
		{"comments kept only WithComments", `<a Id="x"><!--c--><?p d?></a>`,
			Options{Method: Exclusive}, `<a Id="x"><?p d?></a>`},
		{"comments kept WithComments", `<a Id="x"><!--c--><?p  d ?></a>`,
			Options{Method: ExclusiveWithComments}, `<a Id="x"><!--c--><?p d ?></a>`},
		{"escaping of text and attributes", "<a Id=\"x\" v=\"&lt;&amp;&gt;&quot;'&#9;&#10;&#13;\">&lt;&amp;&gt;\"'&#13;\t</a>",
			Options{Method: Inclusive}, "<a Id=\"x\" v=\"&lt;&amp;>&quot;'&#x9;&#xA;&#xD;\">&lt;&amp;&gt;\"'&#xD;\t</a>"},
		{"attribute order: no namespace first, then by URI, then local name", `<a xmlns:z="urn:a" xmlns:b="urn:b" Id="x" b:a="1" z:z="2" c="3" z:a="4"/>`,
			Options{Method: Exclusive}, `<a xmlns:b="urn:b" xmlns:z="urn:a" Id="x" c="3" z:a="4" z:z="2" b:a="1"></a>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, []byte(tt.in))
			n := findByID(d, "x")
			if n == None {
				t.Fatal("no Id=x")
			}
			got := canonOf(t, d, n, tt.opt)
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestDocument(t *testing.T) {
	in := "<?xml version=\"1.0\"?>\r\n<!--a-->\n<?p?>\n<r>\r\n<x/></r>\n<!--b--><?q x?>"
	d := mustParse(t, []byte(in))
	if got := string(canonOf(t, d, d.Root(), Options{Method: InclusiveWithComments})); got != "<!--a-->\n<?p?>\n<r>\n<x></x></r>\n<!--b-->\n<?q x?>" {
		t.Errorf("with comments: %q", got)
	}
	if got := string(canonOf(t, d, d.Root(), Options{Method: Exclusive})); got != "<?p?>\n<r>\n<x></x></r>\n<?q x?>" {
		t.Errorf("without comments: %q", got)
	}
	if _, err := AppendCanonical(nil, d, d.FirstChild(0), Options{Method: Exclusive}); !errors.Is(err, ErrNotElement) {
		t.Errorf("canonicalizing a comment: %v", err)
	}
	if _, err := AppendCanonical(nil, d, d.DocumentElement(), Options{}); !errors.Is(err, ErrMethod) {
		t.Errorf("no method: %v", err)
	}
}

// TestHostile: what an attacker or a broken producer can send is refused
// with a clear error, never expanded.
func TestHostile(t *testing.T) {
	billion := `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><lolz>&lol2;</lolz>`
	xxe := `<?xml version="1.0"?><!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><foo>&xxe;</foo>`
	for _, tt := range []struct {
		name, in string
		dtd      bool
	}{
		{"billion laughs", billion, true},
		{"XXE", xxe, true},
		{"DOCTYPE only", `<!DOCTYPE a><a/>`, true},
		{"DOCTYPE inside", `<a><!DOCTYPE a></a>`, true},
		{"undefined entity", `<a>&xxe;</a>`, false},
		{"undefined entity in attribute", `<a b="&xxe;"/>`, false},
		{"char ref to NUL", `<a>&#0;</a>`, false},
		{"char ref to surrogate", `<a>&#xD800;</a>`, false},
		{"huge char ref", `<a>&#x1111111111;</a>`, false},
		{"raw control char", "<a>\x01</a>", false},
		{"invalid UTF-8", "<a>\xff</a>", false},
		{"U+FFFE", "<a>\uFFFE</a>", false},
		{"UTF-16 without BOM or declaration", "<\x00a\x00/\x00>\x00", false},
		{"unsupported encoding", `<?xml version="1.0" encoding="Shift_JIS"?><a/>`, false},
		{"xml 1.1", `<?xml version="1.1"?><a/>`, false},
		{"late XML declaration", ` <?xml version="1.0"?><a/>`, false},
		{"unbound prefix", `<p:a/>`, false},
		{"unbound attribute prefix", `<a p:b="1"/>`, false},
		{"undeclaring a prefix", `<a xmlns:p="urn:p"><b xmlns:p=""/></a>`, false},
		{"rebinding xml", `<a xmlns:xml="urn:x"/>`, false},
		{"binding the xml namespace", `<a xmlns:x="http://www.w3.org/XML/1998/namespace"/>`, false},
		{"declaring xmlns", `<a xmlns:xmlns="urn:x"/>`, false},
		{"duplicate attribute", `<a b="1" b="2"/>`, false},
		{"duplicate expanded attribute", `<a xmlns:p="urn:x" xmlns:q="urn:x" p:b="1" q:b="2"/>`, false},
		{"mismatched end tag", `<a></b>`, false},
		{"unclosed", `<a><b></b>`, false},
		{"two roots", `<a/><b/>`, false},
		{"text after root", `<a/>x`, false},
		{"empty", ``, false},
		{"lt in attribute", `<a b="<"/>`, false},
		{"cdata end in text", `<a>]]></a>`, false},
		{"double hyphen in comment", `<a><!-- a -- b --></a>`, false},
		{"bad qname", `<a:b:c xmlns:a="urn:a"/>`, false},
		{"missing space between attributes", `<a b="1"c="2"/>`, false},
		{"reserved PI target", `<a><?xml version="1.0"?></a>`, false},
		{"unterminated comment", `<a><!-- </a>`, false},
		{"unterminated CDATA", `<a><![CDATA[ </a>`, false},
		{"unterminated reference", `<a>&amp</a>`, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			if err == nil {
				t.Fatal("accepted")
			}
			if tt.dtd != errors.Is(err, ErrDTD) {
				t.Errorf("err = %v, want ErrDTD: %v", err, tt.dtd)
			}
			if !strings.HasPrefix(err.Error(), "c14n: ") {
				t.Errorf("error without package prefix: %v", err)
			}
		})
	}
}

func TestLimits(t *testing.T) {
	deep := strings.Repeat("<a>", MaxDepth+1) + strings.Repeat("</a>", MaxDepth+1)
	var attrs strings.Builder
	attrs.WriteString("<a")
	for i := range MaxAttributes + 1 {
		attrs.WriteString(" a" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `="1"`)
	}
	attrs.WriteString("/>")
	var ns strings.Builder
	for i := range MaxNamespacesInScope/MaxAttributes + 2 {
		ns.WriteString("<a")
		for j := range MaxAttributes - 1 {
			ns.WriteString(" xmlns:p" + string(rune('a'+i)) + strings.Repeat("q", j) + `="urn:x"`)
		}
		ns.WriteString(">")
	}
	for _, tt := range []struct{ name, in, limit string }{
		{"depth", deep, "MaxDepth"},
		{"attributes", attrs.String(), "MaxAttributes"},
		{"namespaces", ns.String(), "MaxNamespacesInScope"},
		{"name", "<" + strings.Repeat("a", MaxNameLength+1) + "/>", "MaxNameLength"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in))
			var le *LimitError
			if !errors.As(err, &le) || le.Limit != tt.limit {
				t.Fatalf("err = %v, want a %s LimitError", err, tt.limit)
			}
		})
	}
	if _, err := Parse([]byte(strings.Repeat("<a>", MaxDepth) + strings.Repeat("</a>", MaxDepth))); err != nil {
		t.Errorf("depth at the limit refused: %v", err)
	}
}

func TestAccessors(t *testing.T) {
	d := mustParse(t, []byte(`<p:a xmlns:p="urn:p" xmlns="urn:d" p:x="1" y="2">t1<b/>t<![CDATA[2]]><!--c--><?pi data?></p:a>`))
	a := d.DocumentElement()
	if d.Prefix(a) != "p" || d.Namespace(a) != "urn:p" || string(d.LocalName(a)) != "a" || !d.Is(a, "urn:p", "a") {
		t.Errorf("element name accessors wrong")
	}
	if v, ok := d.AttrValue(a, "urn:p", "x"); !ok || string(v) != "1" {
		t.Errorf("AttrValue p:x = %q %v", v, ok)
	}
	if d.NumAttrs(a) != 2 || d.Attr(a, 1).Space != "" || string(d.Attr(a, 1).Local) != "y" {
		t.Errorf("attributes wrong")
	}
	if decls := d.NamespaceDecls(a); len(decls) != 2 || decls[1] != (NamespaceDecl{"", "urn:d"}) {
		t.Errorf("NamespaceDecls = %v", decls)
	}
	if u, ok := d.LookupPrefix(a+1, ""); !ok || u != "urn:d" {
		t.Errorf("LookupPrefix default = %q", u)
	}
	if string(d.Text(a)) != "t1t2" {
		t.Errorf("Text = %q", d.Text(a))
	}
	if s, e := d.Span(a + 2); string(d.Input()[s:e]) != "<b/>" {
		t.Errorf("Span(b) = %d, %d", s, e)
	}
	if s, e := d.Span(a); s != 0 || e != len(d.Input()) {
		t.Errorf("Span(a) = %d, %d", s, e)
	}
	b := d.FirstChild(a) // text "t1"
	if d.Kind(b) != TextNode || d.Kind(d.NextSibling(b)) != ElementNode {
		t.Errorf("navigation wrong")
	}
	var kinds []Kind
	for c := d.FirstChild(a); c != None; c = d.NextSibling(c) {
		kinds = append(kinds, d.Kind(c))
	}
	if len(kinds) != 5 || kinds[2] != TextNode || kinds[3] != CommentNode || kinds[4] != PINode {
		t.Errorf("children kinds = %v (CDATA must merge into the text)", kinds)
	}
	if string(d.Value(d.End(a)-1)) != "data" || string(d.LocalName(d.End(a)-1)) != "pi" {
		t.Errorf("PI accessors wrong")
	}
}

func TestCheckChars(t *testing.T) {
	for _, tt := range []struct {
		in  string
		off int
		bad bool
	}{
		{"plain ascii text, long enough to use words", 0, false},
		{"кириллица и \t\r\n пробелы \uFEFF ok \uFFFD", 0, false},
		{"0123456789\x01", 10, true},
		{"01234567\x1f", 8, true},
		{"0123456\uFFFE", 7, true},
		{"012345\uFFFF", 6, true},
		{"01234567890\xef\xbf", 11, true}, // truncated UTF-8
		{"\x80", 0, true},
		{"\x00", 0, true},
		{"abc\xed\xa0\x80", 3, true}, // a surrogate
	} {
		off, msg := checkChars([]byte(tt.in))
		if (msg != "") != tt.bad || tt.bad && off != tt.off {
			t.Errorf("checkChars(%q) = %d %q", tt.in, off, msg)
		}
	}
}
