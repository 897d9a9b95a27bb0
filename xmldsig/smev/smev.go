package smev

import (
	"io"
	"slices"
	"strconv"
	"sync"
	"unicode/utf8"

	"gostsig.dev/xmldsig/c14n"
	"gostsig.dev/xmldsig/internal/outbuf"
)

// URI is the algorithm URI of the SMEV transform.
const URI = "urn://smev-gov-ru/xmldsig/transform"

// Escaping selects the output escaping of the StAX writer the signer's
// SmevTransformSpi ran on (smev-xmldsig.md §5.3).
type Escaping uint8

const (
	// Woodstox is the escaping of the Woodstox writer, which MR 3.5.0.x
	// codifies as rule 9: '<' '&' CR and U+007F–U+009F escaped in text,
	// '>' only at the start of an event (small texts) or of a segment
	// (texts of 12 UTF-16 units or more, written in 512-unit chunks, a new
	// segment after every escaped character) or after ']'; '&' '<' '"' TAB
	// LF CR escaped in attribute values.
	Woodstox Escaping = iota
	// JDK is the escaping of the JDK's built-in writer (SJSXP): '&' '<' '>'
	// in text, '&' '<' '>' '"' in attribute values, nothing else.
	JDK
)

func (e Escaping) String() string {
	if e == JDK {
		return "jdk"
	}
	return "woodstox"
}

// Info describes what a transform met.
type Info struct {
	// Unqualified: an element in no namespace was written the way the Java
	// reference writes it, <nsN:x xmlns:nsN="">. Ports disagree on such
	// elements (smev-xmldsig.md §5.4), so a signature over them is fragile.
	Unqualified bool
	// EscapingMatters: the output depends on the Escaping, because text
	// holds '>', CR or U+007F–U+009F, or an attribute value holds '>', TAB,
	// LF or CR. When false, Woodstox and JDK give identical bytes.
	EscapingMatters bool
}

// Transform applies the SMEV transform to an octet stream (usually the
// output of exclusive canonicalization) and writes the result to w. The input
// is parsed with c14n.Parse, so it gets the same refusals and limits.
func Transform(w io.Writer, octets []byte, esc Escaping) (Info, error) {
	d, err := c14n.Parse(octets)
	if err != nil {
		return Info{}, err
	}
	defer d.Release()
	return write(w, nil, d, d.DocumentElement(), Options{Escaping: esc, CommentsSplitText: true})
}

// AppendTransform is Transform into a byte slice.
func AppendTransform(dst, octets []byte, esc Escaping) ([]byte, Info, error) {
	d, err := c14n.Parse(octets)
	if err != nil {
		return dst, Info{}, err
	}
	defer d.Release()
	return appendNode(dst, d, d.DocumentElement(), Options{Escaping: esc, CommentsSplitText: true})
}

// Options tune TransformNode, the fused path.
type Options struct {
	Escaping Escaping
	// Exclude lists subtrees left out (enveloped-signature).
	Exclude []c14n.Node
	// CommentsSplitText: comments are in the octets the transform would
	// have parsed (a WithComments canonicalization before it), so they end
	// text events. Without it comments vanish and the text around them is
	// one event, as in canonical XML without comments.
	CommentsSplitText bool
	// InheritXMLAttrs: the octets came from inclusive canonicalization,
	// whose apex carries the xml:* attributes of its ancestors.
	InheritXMLAttrs bool
}

// TransformNode writes the SMEV transform of the subtree at n (an element, or
// the document node) minus opt.Exclude straight from a parsed document: the
// bytes equal Transform applied to the canonical form of that node-set, for
// either canonicalization method, because the transform depends only on
// element and attribute names, namespace URIs, attribute values and the text
// events, never on how canonicalization spelled them.
func TransformNode(w io.Writer, d *c14n.Document, n c14n.Node, opt Options) (Info, error) {
	return write(w, nil, d, n, opt)
}

// AppendTransformNode is TransformNode into a byte slice.
func AppendTransformNode(dst []byte, d *c14n.Document, n c14n.Node, opt Options) ([]byte, Info, error) {
	return appendNode(dst, d, n, opt)
}

func write(w io.Writer, _ []byte, d *c14n.Document, n c14n.Node, opt Options) (Info, error) {
	t := getWalker()
	defer putWalker(t)
	t.out = outbuf.Sink{Buf: t.out.Buf[:0], W: w}
	info := t.run(d, n, &opt)
	return info, t.out.Flush()
}

func appendNode(dst []byte, d *c14n.Document, n c14n.Node, opt Options) ([]byte, Info, error) {
	t := getWalker()
	defer putWalker(t)
	saved := t.out.Buf
	t.out = outbuf.Sink{Buf: dst}
	info := t.run(d, n, &opt)
	dst = t.out.Buf
	t.out.Buf = saved
	return dst, info, nil
}

// mapping is a generated prefix "ns<n>" bound to uri.
type mapping struct {
	uri string
	n   int
}

type frame struct {
	end    c14n.Node
	mark   int // len(maps) before this element
	prefix int
	local  []byte
}

type attr struct {
	uri   string
	local []byte
	value []byte
	pfx   int
}

type walker struct {
	out  outbuf.Sink
	d    *c14n.Document
	esc  Escaping
	info Info
	maps []mapping
	// idx indexes maps by URI (to the prefix number) once more than
	// indexFrom bindings are in scope: with a thousand of them a linear
	// scan per element and attribute made a document of a few MB cost
	// minutes. Nil below that.
	idx     map[string]int
	stack   []frame
	attrs   []attr
	counter int
	// pending text event
	text    []byte
	textBuf []byte
	pieces  int
}

var walkerPool = sync.Pool{New: func() any { return new(walker) }}

func getWalker() *walker { return walkerPool.Get().(*walker) }

func putWalker(t *walker) {
	t.d = nil
	t.out.W = nil
	t.text = nil
	if cap(t.out.Buf) > 1<<20 {
		t.out.Buf = nil
	}
	if cap(t.textBuf) > 1<<20 {
		t.textBuf = nil
	}
	walkerPool.Put(t)
}

// run is the reference algorithm of smev-xmldsig.md §5.2 over the events of
// the node-set.
func (t *walker) run(d *c14n.Document, n c14n.Node, opt *Options) Info {
	t.d, t.esc, t.info = d, opt.Escaping, Info{}
	t.maps, t.stack, t.counter, t.idx = t.maps[:0], t.stack[:0], 1, nil
	t.text, t.pieces = nil, 0
	if d.Kind(n) == c14n.DocumentNode {
		n = d.DocumentElement()
	}
	if d.Kind(n) != c14n.ElementNode {
		return t.info
	}
	end := d.End(n)
	for i := n; i < end; {
		for len(t.stack) > 0 && i >= t.stack[len(t.stack)-1].end {
			t.endElement()
		}
		switch d.Kind(i) {
		case c14n.ElementNode:
			if slices.Contains(opt.Exclude, i) {
				i = d.End(i)
				continue
			}
			t.flushText()
			t.startElement(i, i == n && opt.InheritXMLAttrs)
		case c14n.TextNode:
			t.addText(d.Value(i))
		case c14n.CommentNode:
			if opt.CommentsSplitText {
				t.flushText()
			}
		case c14n.PINode:
			t.flushText()
		}
		i++
		t.out.MaybeFlush()
	}
	for len(t.stack) > 0 {
		t.endElement()
	}
	return t.info
}

func (t *walker) addText(b []byte) {
	switch t.pieces {
	case 0:
		t.text = b
	case 1:
		t.textBuf = append(append(t.textBuf[:0], t.text...), b...)
		t.text = t.textBuf
	default:
		t.textBuf = append(t.textBuf, b...)
		t.text = t.textBuf
	}
	t.pieces++
}

// flushText writes the pending Characters event: dropped when String.trim()
// would leave nothing (every char <= U+0020), escaped otherwise.
func (t *walker) flushText() {
	if t.pieces == 0 {
		return
	}
	s := t.text
	t.text, t.pieces = nil, 0
	blank := true
	for _, c := range s {
		if c > 0x20 {
			blank = false
			break
		}
	}
	if blank {
		return
	}
	if t.esc == JDK {
		t.out.Buf = t.jdkText(t.out.Buf, s)
	} else {
		t.out.Buf = t.woodstoxText(t.out.Buf, s)
	}
}

// indexFrom is the number of bindings in scope past which find uses an
// index instead of a scan.
const indexFrom = 32

// find returns the prefix number bound to uri, or 0. A URI is bound at most
// once in scope (bind is called only when find fails), so the first match
// is the only one.
func (t *walker) find(uri string) int {
	if t.idx != nil {
		return t.idx[uri]
	}
	for i := range t.maps {
		if t.maps[i].uri == uri {
			return t.maps[i].n
		}
	}
	return 0
}

func (t *walker) bind(uri string) int {
	n := t.counter
	t.counter++
	t.maps = append(t.maps, mapping{uri, n})
	switch {
	case t.idx != nil:
		t.idx[uri] = n
	case len(t.maps) > indexFrom:
		t.idx = make(map[string]int, 2*len(t.maps))
		for _, m := range t.maps {
			t.idx[m.uri] = m.n
		}
	}
	return n
}

// unbind drops the bindings made since mark (an element ends).
func (t *walker) unbind(mark int) {
	if t.idx != nil {
		for _, m := range t.maps[mark:] {
			delete(t.idx, m.uri)
		}
	}
	t.maps = t.maps[:mark]
}

func appendPrefix(b []byte, n int) []byte {
	b = append(b, 'n', 's')
	return strconv.AppendInt(b, int64(n), 10)
}

func (t *walker) startElement(n c14n.Node, inheritXML bool) {
	d := t.d
	mark := len(t.maps)
	uri := d.Namespace(n)
	if uri == "" {
		t.info.Unqualified = true
	}
	p := t.find(uri)
	if p == 0 {
		p = t.bind(uri)
	}
	t.attrs = t.attrs[:0]
	for i := range d.NumAttrs(n) {
		a := d.Attr(n, i)
		t.attrs = append(t.attrs, attr{uri: a.Space, local: a.Local, value: a.Value})
	}
	if inheritXML {
		t.inheritXMLAttrs(n)
	}
	if len(t.attrs) > 1 {
		slices.SortStableFunc(t.attrs, compareAttrs)
	}
	for i := range t.attrs {
		a := &t.attrs[i]
		if a.uri == "" {
			continue
		}
		if a.pfx = t.find(a.uri); a.pfx == 0 {
			a.pfx = t.bind(a.uri)
		}
	}
	local := d.LocalName(n)
	b := append(t.out.Buf, '<')
	b = appendPrefix(b, p)
	b = append(b, ':')
	b = append(b, local...)
	for _, m := range t.maps[mark:] {
		b = append(b, " xmlns:"...)
		b = appendPrefix(b, m.n)
		b = append(b, '=', '"')
		b = appendAttr(b, m.uri, t)
		b = append(b, '"')
	}
	for i := range t.attrs {
		a := &t.attrs[i]
		b = append(b, ' ')
		if a.uri != "" {
			b = appendPrefix(b, a.pfx)
			b = append(b, ':')
		}
		b = append(b, a.local...)
		b = append(b, '=', '"')
		b = appendAttr(b, a.value, t)
		b = append(b, '"')
	}
	t.out.Buf = append(b, '>')
	t.stack = append(t.stack, frame{end: d.End(n), mark: mark, prefix: p, local: local})
}

func (t *walker) inheritXMLAttrs(n c14n.Node) {
	d := t.d
	for a := d.Parent(n); a > 0; a = d.Parent(a) {
		for i := range d.NumAttrs(a) {
			at := d.Attr(a, i)
			if at.Space != c14n.XMLNamespace {
				continue
			}
			if slices.ContainsFunc(t.attrs, func(x attr) bool { return x.uri == c14n.XMLNamespace && string(x.local) == string(at.Local) }) {
				continue
			}
			t.attrs = append(t.attrs, attr{uri: at.Space, local: at.Local, value: at.Value})
		}
	}
}

func (t *walker) endElement() {
	t.flushText()
	f := t.stack[len(t.stack)-1]
	t.stack = t.stack[:len(t.stack)-1]
	b := append(t.out.Buf, '<', '/')
	b = appendPrefix(b, f.prefix)
	b = append(b, ':')
	b = append(b, f.local...)
	t.out.Buf = append(b, '>')
	t.unbind(f.mark)
}

// compareAttrs is the reference comparator (smev-xmldsig.md §5.2):
// qualified attributes first, by namespace URI then local name; unqualified
// ones after, by local name; strings compared as Java does, by UTF-16 code
// units.
func compareAttrs(x, y attr) int {
	switch {
	case x.uri == "" && y.uri == "":
		return compareUTF16(x.local, y.local)
	case x.uri == "":
		return 1
	case y.uri == "":
		return -1
	}
	if r := compareUTF16(x.uri, y.uri); r != 0 {
		return r
	}
	return compareUTF16(x.local, y.local)
}

// compareUTF16 compares UTF-8 strings in the order of their UTF-16 code
// units (java.lang.String.compareTo), which differs from byte order for
// characters above U+FFFF against U+E000–U+FFFF.
func compareUTF16[A, B string | []byte](a A, b B) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		if ca < utf8.RuneSelf && cb < utf8.RuneSelf {
			if ca != cb {
				return int(ca) - int(cb)
			}
			i++
			j++
			continue
		}
		ra, na := utf8.DecodeRuneInString(string(a[i:min(i+4, len(a))]))
		rb, nb := utf8.DecodeRuneInString(string(b[j:min(j+4, len(b))]))
		if ra != rb {
			ua, ub := utf16Key(ra), utf16Key(rb)
			if ua != ub {
				return int(ua) - int(ub)
			}
			return int(ra) - int(rb) // same high surrogate: low surrogates order as code points
		}
		i += na
		j += nb
	}
	return (len(a) - i) - (len(b) - j)
}

// utf16Key is the first UTF-16 code unit of r.
func utf16Key(r rune) rune {
	if r >= 0x10000 {
		return 0xD800 + (r-0x10000)>>10
	}
	return r
}
