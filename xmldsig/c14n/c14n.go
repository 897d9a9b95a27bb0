package c14n

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"
	"sync"

	"gostsig.dev/xmldsig/internal/outbuf"
)

// Method is a canonicalization algorithm.
type Method uint8

const (
	Inclusive             Method = iota + 1 // Canonical XML 1.0
	InclusiveWithComments                   // Canonical XML 1.0 with comments
	Exclusive                               // Exclusive XML Canonicalization 1.0
	ExclusiveWithComments                   // Exclusive XML Canonicalization 1.0 with comments
)

// Algorithm URIs (XMLDSig §6.5, Exclusive C14N §3).
const (
	URIInclusive             = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315"
	URIInclusiveWithComments = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"
	URIExclusive             = "http://www.w3.org/2001/10/xml-exc-c14n#"
	URIExclusiveWithComments = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
)

// MethodByURI returns the method named by an algorithm URI.
func MethodByURI(uri string) (Method, bool) {
	switch uri {
	case URIInclusive:
		return Inclusive, true
	case URIInclusiveWithComments:
		return InclusiveWithComments, true
	case URIExclusive:
		return Exclusive, true
	case URIExclusiveWithComments:
		return ExclusiveWithComments, true
	}
	return 0, false
}

// URI returns the algorithm URI of m.
func (m Method) URI() string {
	switch m {
	case Inclusive:
		return URIInclusive
	case InclusiveWithComments:
		return URIInclusiveWithComments
	case Exclusive:
		return URIExclusive
	case ExclusiveWithComments:
		return URIExclusiveWithComments
	}
	return ""
}

// Exclusive reports whether m is one of the exclusive methods.
func (m Method) Exclusive() bool { return m == Exclusive || m == ExclusiveWithComments }

// WithComments reports whether m keeps comments.
func (m Method) WithComments() bool { return m == InclusiveWithComments || m == ExclusiveWithComments }

// WithoutComments returns the variant of m that drops comments (what a
// same-document "#id" reference requires, XMLDSig §4.3.3.3).
func (m Method) WithoutComments() Method {
	switch m {
	case InclusiveWithComments:
		return Inclusive
	case ExclusiveWithComments:
		return Exclusive
	}
	return m
}

// Options selects what is canonicalized and how.
type Options struct {
	Method Method
	// InclusivePrefixes is the InclusiveNamespaces PrefixList of the
	// exclusive methods (Exclusive C14N §3): prefixes treated as in
	// inclusive canonicalization; "#default" names the default namespace.
	InclusivePrefixes []string
	// Exclude lists subtrees left out of the node-set, such as the
	// signature removed by the enveloped-signature transform.
	Exclude []Node
}

// ErrNotElement is returned when asked to canonicalize a node that is neither
// an element nor the document.
var ErrNotElement = errors.New("c14n: can only canonicalize an element or the whole document")

// ErrMethod is returned for an unknown Method.
var ErrMethod = errors.New("c14n: unknown canonicalization method")

// Canonicalize writes the canonical form of the subtree rooted at n (an
// element, or the document node for the whole document) to w. The node-set
// is the subtree minus opt.Exclude; for an element apex the namespace context
// (and, for inclusive canonicalization, the xml:* attributes, Canonical XML
// 1.0 §2.4) inherited from its ancestors is taken into account.
func Canonicalize(w io.Writer, d *Document, n Node, opt Options) error {
	c := getCanon()
	defer putCanon(c)
	c.out = outbuf.Sink{Buf: c.out.Buf[:0], W: w}
	if err := c.run(d, n, &opt); err != nil {
		return err
	}
	return c.out.Flush()
}

// AppendCanonical is Canonicalize into a byte slice.
func AppendCanonical(dst []byte, d *Document, n Node, opt Options) ([]byte, error) {
	c := getCanon()
	defer putCanon(c)
	saved := c.out.Buf
	c.out = outbuf.Sink{Buf: dst}
	err := c.run(d, n, &opt)
	dst = c.out.Buf
	c.out.Buf = saved
	return dst, err
}

type canon struct {
	out      outbuf.Sink
	d        *Document
	excl     bool
	comments bool
	incl     []int32 // inclusive prefixes (symbols); -1 never matches
	exclude  []Node
	scope    bindStack // in-scope namespaces
	rendered bindStack // namespaces rendered by output ancestors (exclusive)
	stack    []frame
	nsOut    []binding
	attrsOut []attrOut
	// outGen[prefix] == gen when nsOut holds prefix (exclusive): visible
	// then tests membership without a scan. gen counts start tags.
	outGen []uint32
	gen    uint32
}

type frame struct {
	end          Node
	scopeMark    int
	renderedMark int
	prefix       string
	local        []byte
}

type attrOut struct {
	uri    string
	prefix string
	local  []byte
	value  []byte
}

var canonPool = sync.Pool{New: func() any { return new(canon) }}

func getCanon() *canon { return canonPool.Get().(*canon) }

// putCanon returns c to the pool, as parser.release does a parser: the
// frames and attributes that alias the document are cleared, so that a
// pooled canon does not keep the last document alive, and a canon whose
// stacks a hostile document grew past maxPooledScratch is dropped.
func putCanon(c *canon) {
	if cap(c.scope.top) > maxPooledScratch || cap(c.scope.b) > maxPooledScratch ||
		cap(c.rendered.b) > maxPooledScratch || cap(c.outGen) > maxPooledScratch {
		return
	}
	c.d = nil
	c.out.W = nil
	if cap(c.out.Buf) > 1<<20 {
		c.out.Buf = nil
	}
	c.exclude = nil
	clear(c.stack[:cap(c.stack)])
	clear(c.attrsOut[:cap(c.attrsOut)])
	canonPool.Put(c)
}

func (c *canon) run(d *Document, n Node, opt *Options) error {
	if n < 0 || int(n) >= len(d.nodes) {
		return ErrNotElement
	}
	switch opt.Method {
	case Inclusive, InclusiveWithComments, Exclusive, ExclusiveWithComments:
	default:
		return ErrMethod
	}
	c.d = d
	c.excl = opt.Method.Exclusive()
	c.comments = opt.Method.WithComments()
	c.exclude = opt.Exclude
	c.incl = c.incl[:0]
	if c.excl {
		for _, p := range opt.InclusivePrefixes {
			if p == "#default" {
				p = ""
			}
			id := int32(-1)
			if i := slices.Index(d.syms, p); i >= 0 {
				id = int32(i)
			}
			c.incl = append(c.incl, id)
		}
	}
	c.scope.reset(len(d.syms))
	c.rendered.reset(len(d.syms))
	if cap(c.outGen) < len(d.syms) {
		c.outGen = make([]uint32, len(d.syms))
	} else {
		c.outGen = c.outGen[:len(d.syms)]
		clear(c.outGen)
	}
	c.gen = 0
	c.stack = c.stack[:0]
	switch d.nodes[n].kind {
	case DocumentNode:
		root := d.DocumentElement()
		for ch := d.FirstChild(0); ch != None; ch = d.NextSibling(ch) {
			switch d.nodes[ch].kind {
			case ElementNode:
				c.subtree(ch, false)
			case CommentNode:
				if !c.comments {
					continue
				}
				fallthrough
			case PINode:
				if ch > root {
					c.out.Buf = append(c.out.Buf, '\n')
				}
				c.leaf(ch)
				if ch < root {
					c.out.Buf = append(c.out.Buf, '\n')
				}
			}
		}
	case ElementNode:
		// The namespace context of the apex comes from its ancestors.
		var anc []Node
		for a := d.nodes[n].parent; a > 0; a = d.nodes[a].parent {
			anc = append(anc, a)
		}
		for i := len(anc) - 1; i >= 0; i-- {
			c.pushScope(anc[i])
		}
		c.subtree(n, true)
	default:
		return ErrNotElement
	}
	return c.out.Err
}

func (c *canon) pushScope(n Node) {
	nd := &c.d.nodes[n]
	for _, b := range c.d.nsdecls[nd.ns : int(nd.ns)+int(nd.nns)] {
		c.scope.push(b)
	}
}

func (c *canon) excluded(n Node) bool {
	for _, x := range c.exclude {
		if x == n {
			return true
		}
	}
	return false
}

// subtree writes element n and its descendants; apex marks the top of an
// element node-set (its namespace context comes from c.scope).
func (c *canon) subtree(n Node, apex bool) {
	d := c.d
	end := d.nodes[n].end
	for i := n; i < end; {
		for len(c.stack) > 0 && i >= c.stack[len(c.stack)-1].end {
			c.endTag()
		}
		nd := &d.nodes[i]
		switch nd.kind {
		case ElementNode:
			if c.excluded(i) {
				i = nd.end
				continue
			}
			c.startTag(i, apex && i == n)
		case TextNode:
			c.out.Buf = appendEscapedText(c.out.Buf, d.bytes(nd.local))
		case CommentNode:
			if c.comments {
				c.leaf(i)
			}
		case PINode:
			c.leaf(i)
		}
		i++
		c.out.MaybeFlush()
	}
	for len(c.stack) > 0 {
		c.endTag()
	}
}

func (c *canon) leaf(n Node) {
	nd := &c.d.nodes[n]
	b := c.out.Buf
	if nd.kind == CommentNode {
		b = append(b, "<!--"...)
		b = append(b, c.d.bytes(nd.local)...)
		b = append(b, "-->"...)
	} else {
		b = append(b, "<?"...)
		b = append(b, c.d.bytes(nd.local)...)
		if v := c.d.bytes(nd.val); len(v) > 0 {
			b = append(b, ' ')
			b = append(b, v...)
		}
		b = append(b, "?>"...)
	}
	c.out.Buf = b
}

func (c *canon) endTag() {
	f := c.stack[len(c.stack)-1]
	c.stack = c.stack[:len(c.stack)-1]
	b := append(c.out.Buf, "</"...)
	if len(f.prefix) > 0 {
		b = append(b, f.prefix...)
		b = append(b, ':')
	}
	b = append(b, f.local...)
	c.out.Buf = append(b, '>')
	c.scope.pop(f.scopeMark)
	c.rendered.pop(f.renderedMark)
}

func (c *canon) startTag(n Node, apex bool) {
	d := c.d
	nd := &d.nodes[n]
	scopeMark, renderedMark := c.scope.len(), c.rendered.len()
	c.nsOut = c.nsOut[:0]
	c.gen++
	if c.excl {
		c.pushScope(n)
		c.visible(nd.prefix)
		for i := range int(nd.nattr) {
			if p := d.attrs[int(nd.attr)+i].prefix; p != symEmpty {
				c.visible(p)
			}
		}
		for _, p := range c.incl {
			if p >= 0 {
				c.visible(p)
			}
		}
	} else if apex {
		c.pushScope(n)
		// All namespaces in scope, nearest declaration first.
		for i := c.scope.len() - 1; i >= 0; i-- {
			b := c.scope.at(i)
			if b.prefix == symXML || slices.ContainsFunc(c.nsOut, func(x binding) bool { return x.prefix == b.prefix }) {
				continue
			}
			c.nsOut = append(c.nsOut, b)
		}
		c.nsOut = slices.DeleteFunc(c.nsOut, func(x binding) bool { return x.prefix == symEmpty && x.uri == symEmpty })
	} else {
		for i := range int(nd.nns) {
			x := d.nsdecls[int(nd.ns)+i]
			if x.prefix == symXML {
				continue
			}
			if old, _ := c.scope.lookup(x.prefix); old != x.uri {
				c.nsOut = append(c.nsOut, x)
			}
		}
		c.pushScope(n)
	}
	slices.SortFunc(c.nsOut, func(a, b binding) int { return strings.Compare(d.syms[a.prefix], d.syms[b.prefix]) })

	c.attrsOut = c.attrsOut[:0]
	for i := range int(nd.nattr) {
		a := &d.attrs[int(nd.attr)+i]
		c.attrsOut = append(c.attrsOut, attrOut{d.syms[a.uri], d.syms[a.prefix], d.bytes(a.local), d.bytes(a.value)})
	}
	if apex && !c.excl {
		c.inheritXMLAttrs(n)
	}
	if len(c.attrsOut) > 1 {
		slices.SortFunc(c.attrsOut, func(a, b attrOut) int {
			if r := strings.Compare(a.uri, b.uri); r != 0 {
				return r
			}
			return bytes.Compare(a.local, b.local)
		})
	}

	prefix := d.syms[nd.prefix]
	local := d.bytes(nd.local)
	b := append(c.out.Buf, '<')
	if len(prefix) > 0 {
		b = append(b, prefix...)
		b = append(b, ':')
	}
	b = append(b, local...)
	for _, x := range c.nsOut {
		if x.prefix == symEmpty {
			b = append(b, " xmlns=\""...)
		} else {
			b = append(b, " xmlns:"...)
			b = append(b, d.syms[x.prefix]...)
			b = append(b, '=', '"')
		}
		b = appendEscapedAttr(b, d.syms[x.uri])
		b = append(b, '"')
	}
	for _, a := range c.attrsOut {
		b = append(b, ' ')
		if a.prefix != "" {
			b = append(b, a.prefix...)
			b = append(b, ':')
		}
		b = append(b, a.local...)
		b = append(b, '=', '"')
		b = appendEscapedAttr(b, a.value)
		b = append(b, '"')
	}
	c.out.Buf = append(b, '>')
	c.stack = append(c.stack, frame{end: nd.end, scopeMark: scopeMark, renderedMark: renderedMark, prefix: prefix, local: local})
}

// visible handles a visibly utilized (or inclusive-listed) prefix in
// exclusive canonicalization (Exclusive C14N §3): its namespace node is
// rendered unless an output ancestor already rendered the same binding.
func (c *canon) visible(prefix int32) {
	if c.outGen[prefix] == c.gen {
		return // already in nsOut for this element
	}
	if prefix == symXML {
		return
	}
	uri, inScope := c.scope.lookup(prefix)
	if !inScope && prefix != symEmpty {
		return // an inclusive prefix not in scope here
	}
	r, rendered := c.rendered.lookup(prefix)
	if rendered && r == uri || !rendered && prefix == symEmpty && uri == symEmpty {
		return
	}
	b := binding{prefix, uri}
	c.nsOut = append(c.nsOut, b)
	c.outGen[prefix] = c.gen
	c.rendered.push(b)
}

// inheritXMLAttrs adds the xml:* attributes of the apex's ancestors that the
// apex does not override (Canonical XML 1.0 §2.4: they are in the node-set's
// namespace axis... as attributes of the apex).
func (c *canon) inheritXMLAttrs(n Node) {
	d := c.d
	for a := d.nodes[n].parent; a > 0; a = d.nodes[a].parent {
		nd := &d.nodes[a]
		for i := range int(nd.nattr) {
			at := &d.attrs[int(nd.attr)+i]
			if at.uri != symXMLNS {
				continue
			}
			local := d.bytes(at.local)
			if slices.ContainsFunc(c.attrsOut, func(x attrOut) bool { return x.uri == XMLNamespace && bytes.Equal(x.local, local) }) {
				continue
			}
			c.attrsOut = append(c.attrsOut, attrOut{XMLNamespace, "xml", local, d.bytes(at.value)})
		}
	}
}

var textEsc, attrEsc [256]bool

func init() {
	for _, ch := range "&<>\r" {
		textEsc[ch] = true
	}
	for _, ch := range "&<\"\t\n\r" {
		attrEsc[ch] = true
	}
}

// appendEscapedText escapes character data (Canonical XML 1.0 §2.3).
func appendEscapedText[T string | []byte](b []byte, s T) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !textEsc[ch] {
			continue
		}
		b = append(b, s[last:i]...)
		switch ch {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		case '\r':
			b = append(b, "&#xD;"...)
		}
		last = i + 1
	}
	return append(b, s[last:]...)
}

// appendEscapedAttr escapes an attribute value (Canonical XML 1.0 §2.3).
func appendEscapedAttr[T string | []byte](b []byte, s T) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !attrEsc[ch] {
			continue
		}
		b = append(b, s[last:i]...)
		switch ch {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '"':
			b = append(b, "&quot;"...)
		case '\t':
			b = append(b, "&#x9;"...)
		case '\n':
			b = append(b, "&#xA;"...)
		case '\r':
			b = append(b, "&#xD;"...)
		}
		last = i + 1
	}
	return append(b, s[last:]...)
}
