package c14n

// Kind is the kind of a node in a parsed Document.
type Kind uint8

const (
	DocumentNode Kind = iota // the root of the tree (node 0); its children are the prolog, the document element and the epilog
	ElementNode
	TextNode    // character data, CDATA sections merged in; entity and character references already expanded
	CommentNode // <!-- value -->
	PINode      // <?target data?>
)

// Node identifies a node of a Document. Nodes are numbered in document order,
// so an element's subtree is the contiguous range [n, d.End(n)).
type Node int32

// None is returned where there is no such node.
const None Node = -1

// str locates a byte string either in the input (high bit clear) or in the
// document's decoded-text buffer (high bit set).
type str struct{ off, n uint32 }

const decodedBit = 1 << 31

type node struct {
	kind   Kind
	nattr  uint16
	nns    uint16
	parent Node
	end    Node  // one past the last node of the subtree
	prefix int32 // element: prefix symbol; PI: unused
	uri    int32 // element: namespace URI symbol (0 = no namespace)
	local  str   // element local name; text/comment value; PI target
	val    str   // PI data
	attr   int32 // index of the first attribute in Document.attrs
	ns     int32 // index of the first namespace declaration in Document.nsdecls
	// element: byte offsets of the start tag's '<' and one past the end
	// tag's '>' in the input
	start, stop uint32
}

type attr struct {
	prefix int32
	uri    int32
	local  str
	value  str
}

type nsDecl = binding

// Document is a parsed XML document: a compact, read-only arena of nodes in
// document order. Byte slices returned by its methods alias the parser's input
// or an internal buffer and must not be modified. A Document is safe for
// concurrent reads.
type Document struct {
	src     []byte
	dec     []byte
	nodes   []node
	attrs   []attr
	nsdecls []nsDecl
	syms    []string // interned prefixes and namespace URIs; syms[0] == ""
	enc     *encoding
	// released is set by Release (the Document is in, or was dropped
	// from, the pool) and cleared when a parse takes it.
	released bool
}

// Symbols with fixed numbers.
const (
	symEmpty = 0
	symXML   = 1 // the "xml" prefix
	symXMLNS = 2 // the XML namespace URI
)

// XMLNamespace is the namespace bound to the "xml" prefix.
const XMLNamespace = "http://www.w3.org/XML/1998/namespace"

func (d *Document) bytes(s str) []byte {
	if s.off&decodedBit != 0 {
		o := s.off &^ decodedBit
		return d.dec[o : o+s.n : o+s.n]
	}
	return d.src[s.off : s.off+s.n : s.off+s.n]
}

// Root returns the document node.
func (d *Document) Root() Node { return 0 }

// Len returns the number of nodes, the document node included.
func (d *Document) Len() int { return len(d.nodes) }

// Kind returns the kind of n.
func (d *Document) Kind(n Node) Kind { return d.nodes[n].kind }

// Parent returns the parent of n, or None for the document node.
func (d *Document) Parent(n Node) Node { return d.nodes[n].parent }

// End returns one past the last node of n's subtree.
func (d *Document) End(n Node) Node { return d.nodes[n].end }

// FirstChild returns the first child of n, or None.
func (d *Document) FirstChild(n Node) Node {
	if n+1 < d.nodes[n].end {
		return n + 1
	}
	return None
}

// NextSibling returns the next sibling of n, or None.
func (d *Document) NextSibling(n Node) Node {
	p := d.nodes[n].parent
	if p == None {
		return None
	}
	if e := d.nodes[n].end; e < d.nodes[p].end {
		return e
	}
	return None
}

// DocumentElement returns the root element.
func (d *Document) DocumentElement() Node {
	for c := d.FirstChild(0); c != None; c = d.NextSibling(c) {
		if d.nodes[c].kind == ElementNode {
			return c
		}
	}
	return None // unreachable for a parsed document
}

// LocalName returns the local name of an element (or the target of a PI).
func (d *Document) LocalName(n Node) []byte {
	switch d.nodes[n].kind {
	case ElementNode, PINode:
		return d.bytes(d.nodes[n].local)
	}
	return nil
}

// Namespace returns the namespace URI of an element ("" for none).
func (d *Document) Namespace(n Node) string {
	if d.nodes[n].kind != ElementNode {
		return ""
	}
	return d.syms[d.nodes[n].uri]
}

// Prefix returns the prefix an element was written with ("" for none).
func (d *Document) Prefix(n Node) string {
	if d.nodes[n].kind != ElementNode {
		return ""
	}
	return d.syms[d.nodes[n].prefix]
}

// Is reports whether n is an element with the given namespace and local name.
func (d *Document) Is(n Node, space, local string) bool {
	nd := &d.nodes[n]
	return nd.kind == ElementNode && d.syms[nd.uri] == space && string(d.bytes(nd.local)) == local
}

// Value returns the character data of a text or comment node, or the data
// of a processing instruction.
func (d *Document) Value(n Node) []byte {
	switch d.nodes[n].kind {
	case TextNode, CommentNode:
		return d.bytes(d.nodes[n].local)
	case PINode:
		return d.bytes(d.nodes[n].val)
	}
	return nil
}

// Attr is an attribute of an element. Namespace declarations are not
// attributes (see NamespaceDecls).
type Attr struct {
	Prefix string // as written; "" for an unprefixed attribute
	Space  string // namespace URI; "" for an unprefixed attribute
	Local  []byte
	Value  []byte // normalised value (XML 1.0 §3.3.3, all attributes CDATA)
}

// NumAttrs returns the number of attributes of n.
func (d *Document) NumAttrs(n Node) int { return int(d.nodes[n].nattr) }

// Attr returns the i-th attribute of n in document order.
func (d *Document) Attr(n Node, i int) Attr {
	a := &d.attrs[int(d.nodes[n].attr)+i]
	return Attr{Prefix: d.syms[a.prefix], Space: d.syms[a.uri], Local: d.bytes(a.local), Value: d.bytes(a.value)}
}

// AttrValue returns the value of the attribute {space}local of n.
func (d *Document) AttrValue(n Node, space, local string) ([]byte, bool) {
	nd := &d.nodes[n]
	if nd.kind != ElementNode {
		return nil, false
	}
	for i := range int(nd.nattr) {
		a := &d.attrs[int(nd.attr)+i]
		if d.syms[a.uri] == space && string(d.bytes(a.local)) == local {
			return d.bytes(a.value), true
		}
	}
	return nil, false
}

// NamespaceDecl is a namespace declaration written on an element.
type NamespaceDecl struct {
	Prefix string // "" for the default namespace
	URI    string // "" for xmlns=""
}

// NamespaceDecls returns the namespace declarations written on n.
func (d *Document) NamespaceDecls(n Node) []NamespaceDecl {
	nd := &d.nodes[n]
	if nd.kind != ElementNode || nd.nns == 0 {
		return nil
	}
	out := make([]NamespaceDecl, nd.nns)
	for i := range out {
		x := d.nsdecls[int(nd.ns)+i]
		out[i] = NamespaceDecl{d.syms[x.prefix], d.syms[x.uri]}
	}
	return out
}

// LookupPrefix returns the namespace URI bound to prefix in the scope of
// element n ("" for the default namespace prefix).
func (d *Document) LookupPrefix(n Node, prefix string) (string, bool) {
	if prefix == "xml" {
		return XMLNamespace, true
	}
	for ; n > 0; n = d.nodes[n].parent {
		nd := &d.nodes[n]
		for i := range int(nd.nns) {
			x := d.nsdecls[int(nd.ns)+i]
			if d.syms[x.prefix] == prefix {
				return d.syms[x.uri], prefix == "" || x.uri != symEmpty
			}
		}
	}
	return "", prefix == ""
}

// Span returns the byte range of element n in the input, from the '<' of its
// start tag to one past the '>' of its end tag (or of its empty-element tag).
func (d *Document) Span(n Node) (start, end int) {
	nd := &d.nodes[n]
	if nd.kind != ElementNode {
		return 0, 0
	}
	return int(nd.start), int(nd.stop)
}

// Input returns the UTF-8 bytes the document was parsed from: the input to
// Parse, or its transcoding to UTF-8 when it was in another encoding.
func (d *Document) Input() []byte { return d.src }

// Encoding returns the name of the encoding the document was read in (one
// of SupportedEncodings): reparsing a modified Input needs it, since the
// XML declaration still names it (see ParseDecoded).
func (d *Document) Encoding() string { return d.enc.name }

// Text returns the concatenated character data of n's subtree (the XPath
// string-value of an element).
func (d *Document) Text(n Node) []byte {
	nd := &d.nodes[n]
	switch nd.kind {
	case TextNode:
		return d.bytes(nd.local)
	case ElementNode, DocumentNode:
	default:
		return nil
	}
	var first, out []byte
	cnt := 0
	for c := n + 1; c < nd.end; c++ {
		if d.nodes[c].kind != TextNode {
			continue
		}
		b := d.bytes(d.nodes[c].local)
		switch cnt {
		case 0:
			first = b
		case 1:
			out = append(append([]byte(nil), first...), b...)
		default:
			out = append(out, b...)
		}
		cnt++
	}
	if cnt == 1 {
		return first
	}
	return out
}
