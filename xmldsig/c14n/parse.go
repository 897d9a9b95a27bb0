package c14n

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// Limits of the parser. An input over one of them is refused with a
// *LimitError: the verifier never lets a message decide how much memory or
// time it gets.
const (
	MaxDocumentSize      = 64 << 20 // bytes of input
	MaxNodes             = 4 << 20  // nodes of all kinds
	MaxDepth             = 256      // element nesting
	MaxAttributes        = 256      // attributes per element, namespace declarations included
	MaxNamespacesInScope = 1024     // namespace bindings in scope at any element
	MaxNameLength        = 1024     // bytes of one qualified name
)

// ErrDTD is returned for a document with a document type declaration. DTDs
// are never processed, so there are no entity expansions (XXE, "billion
// laughs") and no default attributes that a signer's parser might have seen
// differently.
var ErrDTD = errors.New("c14n: document type declarations are not allowed")

// SyntaxError reports malformed XML.
type SyntaxError struct {
	Offset int // byte offset in the input
	Msg    string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("c14n: malformed XML at byte %d: %s", e.Offset, e.Msg)
}

// LimitError reports an input over one of the parser's limits.
type LimitError struct {
	Limit string // the name of the constant
	Max   int
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("c14n: input exceeds %s (%d)", e.Limit, e.Max)
}

const (
	nsXMLNS = "http://www.w3.org/2000/xmlns/"
)

// binding is a namespace declaration or binding: prefix 0 is the default
// namespace, uri 0 is "" (xmlns="" undeclares the default namespace).
type binding struct{ prefix, uri int32 }

type rawAttr struct {
	qname  []byte
	prefix []byte
	local  str
	value  str
	off    int
}

type parser struct {
	enc *encoding // what src was transcoded from (src is UTF-8)
	src []byte
	pos int
	d   *Document
	// symID indexes d.syms once there are more than symScan of them;
	// below that intern scans (a message has a dozen prefixes and URIs).
	symID map[string]int32
	// known holds the symbols of the documents this parser parsed before,
	// so that a recurring prefix or namespace URI is not allocated again
	// (strings are immutable: Documents may share them).
	known      map[string]string
	knownBytes int
	open       []Node
	binds      bindStack
	marks      []int // binds.len() at each open element
	attrs      []rawAttr
	// sorted holds the positions of the tag's attributes seen so far in
	// key order, once there are more than sortFrom (seenQName,
	// seenExpanded), so that a tag of MaxAttributes attributes costs
	// A·log A comparisons for its duplicate checks instead of A²/2.
	sorted []int32
	// pending text node
	textStart  int  // offset of the first piece (for errors)
	textRaw    str  // the single raw piece, if textPieces == 1 and not decoded
	textPieces int  // 0: no pending text
	textDec    bool // pending text lives in d.dec starting at textDecOff
	textDecOff int
}

// Parse parses an XML 1.0 document. It reads the encodings Decode reads
// (UTF-8 without a copy), and refuses DTDs, other encodings, undeclared
// namespace prefixes and inputs over the limits above; it expands the
// predefined entities and character references, normalises line ends (XML
// 1.0 §2.11) and attribute values (§3.3.3), merges CDATA sections into the
// surrounding text, and keeps comments and processing instructions. The
// Document aliases input, or its transcoding to UTF-8. Error offsets are in
// input, or, past transcoding, in its UTF-8 form.
func Parse(input []byte) (*Document, error) {
	if len(input) > MaxDocumentSize {
		return nil, &LimitError{"MaxDocumentSize", MaxDocumentSize}
	}
	input, e, err := decode(input)
	if err != nil {
		return nil, err
	}
	return parse(input, e)
}

// ParseDecoded parses UTF-8 input that was transcoded from the named
// encoding (one of SupportedEncodings): Decode's output, or the Input of a
// Document of that Encoding, edited. Its XML declaration may name that
// encoding; a byte order mark is not skipped unless it is "UTF-8".
func ParseDecoded(input []byte, encoding string) (*Document, error) {
	e := lookupEncoding([]byte(encoding))
	if e == nil {
		return nil, unsupportedEncoding(encoding)
	}
	if len(input) > MaxTranscodedSize {
		return nil, &LimitError{"MaxTranscodedSize", MaxTranscodedSize}
	}
	return parse(input, e)
}

func parse(input []byte, e *encoding) (*Document, error) {
	if off, msg := checkChars(input); msg != "" {
		return nil, &SyntaxError{off, msg}
	}
	p := newParser(input, e)
	defer p.release()
	if e.kind == encUTF8 && bytes.HasPrefix(input, utf8BOM) {
		p.pos = len(utf8BOM)
	}
	d := newDocument()
	d.src, d.enc = input, e
	p.d = d
	d.syms = append(d.syms, "", "xml", XMLNamespace)
	// Elements, comments and PIs each start at a '<' of their own, and so
	// does whatever follows a text node (adjacent text is one node), so
	// there are at most 2·lt+1 nodes. An indented document has about
	// 1.5·lt (white space before each start tag and before the end tags of
	// elements with children), one without white space about lt: room for
	// 1.5·lt sizes the array without a second pass, and keeps most
	// documents from growing it.
	lt := bytes.Count(input, []byte{'<'})
	if n := min(lt+lt/2+8, 2*lt+1, MaxNodes+1); cap(d.nodes) < n {
		d.nodes = make([]node, 0, n)
	}
	if n := lt/4 + 4; cap(d.attrs) < n {
		d.attrs = make([]attr, 0, n)
	}
	d.nodes = append(d.nodes, node{kind: DocumentNode, parent: None})
	p.open = append(p.open, 0)
	p.binds.push(binding{symXML, symXMLNS})
	if err := p.document(); err != nil {
		d.Release()
		return nil, err
	}
	d.nodes[0].end = Node(len(d.nodes))
	return d, nil
}

// documents holds released Documents (Release), whose arrays a later
// parse refills: a verifier that parses message after message then
// allocates almost nothing for the tree.
var documents = sync.Pool{New: func() any { return new(Document) }}

// maxPooledDocument is the size in bytes of a Document's arrays past which
// Release drops it rather than pooling it, so that one large document
// does not pin its memory.
const maxPooledDocument = 256 << 10

func newDocument() *Document {
	d := documents.Get().(*Document)
	d.released = false
	return d
}

// Release hands d's memory to later Parse calls. Neither d nor any byte
// slice obtained from it may be used afterwards (strings may: they are
// never reused); release a Document only once. Releasing is optional: a
// Document not released is collected as usual.
func (d *Document) Release() {
	if d == nil || d.released {
		return
	}
	size := cap(d.nodes)*int(unsafe.Sizeof(node{})) + cap(d.attrs)*int(unsafe.Sizeof(attr{})) +
		cap(d.nsdecls)*int(unsafe.Sizeof(nsDecl{})) + cap(d.syms)*int(unsafe.Sizeof("")) + cap(d.dec)
	if size > maxPooledDocument {
		*d = Document{released: true}
		return
	}
	clear(d.syms) // drop the interned strings
	*d = Document{
		nodes:    d.nodes[:0],
		attrs:    d.attrs[:0],
		nsdecls:  d.nsdecls[:0],
		syms:     d.syms[:0],
		dec:      d.dec[:0],
		released: true,
	}
	documents.Put(d)
}

// parsers holds parsers' scratch space (the open-element, binding and
// attribute stacks) between documents: none of it is part of a Document.
var parsers = sync.Pool{New: func() any { return new(parser) }}

// maxPooledScratch is the scratch length past which a parser is dropped
// rather than pooled, so that one hostile document does not pin its
// stacks' memory.
const maxPooledScratch = 4096

func newParser(input []byte, e *encoding) *parser {
	p := parsers.Get().(*parser)
	p.src, p.enc = input, e
	return p
}

func (p *parser) release() {
	if cap(p.binds.b) > maxPooledScratch || cap(p.binds.top) > maxPooledScratch ||
		cap(p.attrs) > maxPooledScratch || cap(p.open) > maxPooledScratch {
		return
	}
	clear(p.attrs[:cap(p.attrs)]) // they alias the input
	*p = parser{
		known:      p.known,
		knownBytes: p.knownBytes,
		open:       p.open[:0],
		binds:      bindStack{b: p.binds.b[:0], prev: p.binds.prev[:0], top: p.binds.top[:0]},
		marks:      p.marks[:0],
		attrs:      p.attrs[:0],
		sorted:     p.sorted[:0],
	}
	parsers.Put(p)
}

// decReserve gives d.dec, when the first decoded text begins at src[from:],
// room for a quarter of the rest (decoding never lengthens text, and most
// of a message is usually markup and text without references), so that
// it seldom grows.
func (p *parser) decReserve(from int) {
	if n := min(max((len(p.src)-from)/4, 256), maxDecReserve); cap(p.d.dec) < n {
		p.d.dec = make([]byte, 0, n)
	}
}

// maxDecReserve bounds decReserve: past it d.dec grows as it fills.
const maxDecReserve = 16 << 10

func (p *parser) errf(off int, format string, args ...any) error {
	return &SyntaxError{off, fmt.Sprintf(format, args...)}
}

// checkChars verifies that input is UTF-8 made of XML 1.0 Chars (§2.2):
// valid UTF-8, no C0 controls but TAB, LF and CR, no U+FFFE or U+FFFF
// (surrogates are invalid UTF-8 already).
func checkChars(b []byte) (int, string) {
	if !utf8.Valid(b) {
		for i := 0; i < len(b); {
			r, n := utf8.DecodeRune(b[i:])
			if r == utf8.RuneError && n <= 1 {
				return i, "invalid UTF-8"
			}
			i += n
		}
	}
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	i := 0
	for ; i+8 <= len(b); i += 8 {
		w := binary.LittleEndian.Uint64(b[i:])
		// any byte < 0x20, or any byte == 0xEF (the lead byte of U+FFFE/F)
		x := w ^ (0xEF * lo)
		if (w-0x20*lo)&^w&hi == 0 && (x-lo)&^x&hi == 0 {
			continue
		}
		if off, msg := checkCharsSlow(b, i, i+8); msg != "" {
			return off, msg
		}
	}
	return checkCharsSlow(b, i, len(b))
}

func checkCharsSlow(b []byte, from, to int) (int, string) {
	for i := from; i < to; i++ {
		switch c := b[i]; {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			return i, fmt.Sprintf("control character %#02x", c)
		case c == 0xEF && i+2 < len(b) && b[i+1] == 0xBF && (b[i+2] == 0xBE || b[i+2] == 0xBF):
			return i, fmt.Sprintf("character U+FFF%X is not allowed", b[i+2]&0xF)
		}
	}
	return 0, ""
}

func isXMLChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r < 0x20:
		return false
	case r <= 0xD7FF:
		return true
	case r < 0xE000:
		return false
	case r <= 0xFFFD:
		return true
	}
	return r >= 0x10000 && r <= 0x10FFFF
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (p *parser) skipSpace() bool {
	start := p.pos
	for p.pos < len(p.src) && isSpace(p.src[p.pos]) {
		p.pos++
	}
	return p.pos > start
}

// symScan is the number of symbols intern scans before it indexes them.
const symScan = 32

// Bounds of a parser's known strings (parser.known): a message stream
// repeats the same few prefixes and namespace URIs, and a hostile one
// only makes the set start over.
const (
	maxKnown      = 256
	maxKnownBytes = 16 << 10
)

func (p *parser) intern(b []byte) int32 {
	syms := p.d.syms
	if p.symID == nil {
		for i, s := range syms {
			if s == string(b) {
				return int32(i)
			}
		}
		if len(syms) >= symScan {
			p.symID = make(map[string]int32, 2*len(syms))
			for i, s := range syms {
				p.symID[s] = int32(i)
			}
		}
	} else if id, ok := p.symID[string(b)]; ok {
		return id
	}
	s, ok := p.known[string(b)]
	if !ok {
		s = string(b)
		if p.knownBytes += len(s); p.knownBytes > maxKnownBytes || len(p.known) >= maxKnown {
			clear(p.known)
			p.knownBytes = len(s)
		}
		if p.known == nil {
			p.known = make(map[string]string)
		}
		p.known[s] = s
	}
	id := int32(len(syms))
	p.d.syms = append(syms, s)
	if p.symID != nil {
		p.symID[s] = id
	}
	return id
}

func (p *parser) srcStr(start, end int) str { return str{uint32(start), uint32(end - start)} }

// decStart returns where the next decoded text begins in d.dec; that text
// comes from src[from:].
func (p *parser) decStart(from int) int {
	if len(p.d.dec) == 0 { // the first decoded text (a pooled d.dec has room but may be too small)
		p.decReserve(from)
	}
	return len(p.d.dec)
}

func (p *parser) decStr(start int) str {
	return str{uint32(start) | decodedBit, uint32(len(p.d.dec) - start)}
}

func (p *parser) addNode(n node) (Node, error) {
	if len(p.d.nodes) >= MaxNodes {
		return None, &LimitError{"MaxNodes", MaxNodes}
	}
	p.d.nodes = append(p.d.nodes, n)
	return Node(len(p.d.nodes) - 1), nil
}

func (p *parser) document() error {
	src := p.src
	// XML declaration (§2.8), only at the very start.
	if bytes.HasPrefix(src[p.pos:], []byte("<?xml")) && p.pos+5 < len(src) && isSpace(src[p.pos+5]) {
		if err := p.xmlDecl(); err != nil {
			return err
		}
	}
	seenRoot := false
	for {
		p.skipSpace()
		if p.pos >= len(src) {
			break
		}
		if src[p.pos] != '<' {
			return p.errf(p.pos, "text outside the document element")
		}
		rest := src[p.pos:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			if err := p.comment(); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("<?")):
			if err := p.pi(); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
			return ErrDTD
		case bytes.HasPrefix(rest, []byte("<!")):
			return p.errf(p.pos, "markup declaration outside the document element")
		default:
			if seenRoot {
				return p.errf(p.pos, "more than one document element")
			}
			seenRoot = true
			if err := p.element(); err != nil {
				return err
			}
		}
	}
	if !seenRoot {
		return p.errf(p.pos, "no document element")
	}
	return nil
}

func (p *parser) xmlDecl() error {
	start := p.pos
	end := bytes.Index(p.src[p.pos:], []byte("?>"))
	if end < 0 {
		return p.errf(start, "unterminated XML declaration")
	}
	decl := p.src[p.pos+5 : p.pos+end]
	p.pos += end + 2
	// pseudo-attributes: version, encoding, standalone
	i := 0
	seen := 0
	for {
		for i < len(decl) && isSpace(decl[i]) {
			i++
		}
		if i == len(decl) {
			break
		}
		j := i
		for j < len(decl) && decl[j] != '=' && !isSpace(decl[j]) {
			j++
		}
		name := string(decl[i:j])
		for j < len(decl) && isSpace(decl[j]) {
			j++
		}
		if j >= len(decl) || decl[j] != '=' {
			return p.errf(start, "malformed XML declaration")
		}
		j++
		for j < len(decl) && isSpace(decl[j]) {
			j++
		}
		if j >= len(decl) || (decl[j] != '"' && decl[j] != '\'') {
			return p.errf(start, "malformed XML declaration")
		}
		q := decl[j]
		k := bytes.IndexByte(decl[j+1:], q)
		if k < 0 {
			return p.errf(start, "malformed XML declaration")
		}
		val := decl[j+1 : j+1+k] // converted to a string only for an error
		i = j + 2 + k
		switch {
		case name == "version" && seen == 0:
			if string(val) != "1.0" {
				return p.errf(start, "XML version %q is not supported", string(val))
			}
			seen = 1
		case name == "encoding" && seen == 1:
			if !p.enc.declares(val) {
				if lookupEncoding(val) == nil {
					return p.errf(start, "encoding %q is not supported (supported: %s)", string(val), strings.Join(SupportedEncodings, ", "))
				}
				return p.errf(start, "the XML declaration says encoding %q, the input was read as %s", string(val), p.enc.name)
			}
			seen = 2
		case name == "standalone" && seen >= 1 && seen < 3:
			if string(val) != "yes" && string(val) != "no" {
				return p.errf(start, "malformed XML declaration")
			}
			seen = 3
		default:
			return p.errf(start, "malformed XML declaration")
		}
		if i < len(decl) && !isSpace(decl[i]) {
			return p.errf(start, "malformed XML declaration")
		}
	}
	if seen == 0 {
		return p.errf(start, "XML declaration without version")
	}
	return nil
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range len(a) {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

func (p *parser) parent() Node { return p.open[len(p.open)-1] }

func (p *parser) comment() error {
	start := p.pos
	body := p.pos + 4
	end := bytes.Index(p.src[body:], []byte("--"))
	if end < 0 {
		return p.errf(start, "unterminated comment")
	}
	if body+end+2 >= len(p.src) || p.src[body+end+2] != '>' {
		return p.errf(body+end, "'--' inside a comment")
	}
	p.pos = body + end + 3
	if err := p.flushText(); err != nil {
		return err
	}
	v, err := p.normalized(body, body+end)
	if err != nil {
		return err
	}
	_, err = p.addNode(node{kind: CommentNode, parent: p.parent(), end: Node(len(p.d.nodes) + 1), local: v})
	return err
}

// normalized returns src[start:end] with line ends normalised (§2.11).
func (p *parser) normalized(start, end int) (str, error) {
	seg := p.src[start:end]
	if bytes.IndexByte(seg, '\r') < 0 {
		return p.srcStr(start, end), nil
	}
	ds := p.decStart(start)
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(seg) && seg[i+1] == '\n' {
				i++
			}
		}
		p.d.dec = append(p.d.dec, c)
	}
	return p.decStr(ds), nil
}

func (p *parser) pi() error {
	start := p.pos
	p.pos += 2
	nameStart := p.pos
	if err := p.name(); err != nil {
		return err
	}
	target := p.src[nameStart:p.pos]
	if bytes.IndexByte(target, ':') >= 0 {
		return p.errf(nameStart, "colon in a processing-instruction target")
	}
	if len(target) == 3 && equalFoldASCII(string(target), "xml") {
		return p.errf(start, "XML declaration not at the start of the document")
	}
	end := bytes.Index(p.src[p.pos:], []byte("?>"))
	if end < 0 {
		return p.errf(start, "unterminated processing instruction")
	}
	dataEnd := p.pos + end
	if end > 0 && !p.skipSpace() {
		return p.errf(p.pos, "malformed processing instruction")
	}
	dataStart := min(p.pos, dataEnd)
	p.pos = dataEnd + 2
	if err := p.flushText(); err != nil {
		return err
	}
	data, err := p.normalized(dataStart, dataEnd)
	if err != nil {
		return err
	}
	_, err = p.addNode(node{kind: PINode, parent: p.parent(), end: Node(len(p.d.nodes) + 1),
		local: p.srcStr(nameStart, nameStart+len(target)), val: data})
	return err
}

// name scans an XML Name (§2.3) at p.pos.
func (p *parser) name() error {
	start := p.pos
	src := p.src
	first := true
	for p.pos < len(src) {
		c := src[p.pos]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == ':' ||
				!first && ('0' <= c && c <= '9' || c == '-' || c == '.') {
				p.pos++
				first = false
				continue
			}
			break
		}
		r, n := utf8.DecodeRune(src[p.pos:])
		if !isNameRune(r, first) {
			break
		}
		p.pos += n
		first = false
	}
	if p.pos == start {
		return p.errf(start, "expected a name")
	}
	if p.pos-start > MaxNameLength {
		return &LimitError{"MaxNameLength", MaxNameLength}
	}
	return nil
}

// isNameRune reports whether a non-ASCII rune is a NameStartChar (first) or
// NameChar (§2.3, fifth edition).
func isNameRune(r rune, first bool) bool {
	switch {
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return !first && (r == 0xB7 || r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040)
}

// splitQName splits a QName (Namespaces in XML §4).
func splitQName(q []byte) (prefix, local []byte, ok bool) {
	i := bytes.IndexByte(q, ':')
	if i < 0 {
		return nil, q, true
	}
	prefix, local = q[:i], q[i+1:]
	if len(prefix) == 0 || len(local) == 0 || bytes.IndexByte(local, ':') >= 0 {
		return nil, nil, false
	}
	// The local part must start with a NameStartChar.
	if c := local[0]; c == '-' || c == '.' || '0' <= c && c <= '9' {
		return nil, nil, false
	}
	if local[0] >= utf8.RuneSelf {
		r, _ := utf8.DecodeRune(local)
		if !isNameRune(r, true) {
			return nil, nil, false
		}
	}
	return prefix, local, true
}

// element parses the document element and everything inside it, iteratively.
func (p *parser) element() error {
	src := p.src
	if err := p.startTag(); err != nil {
		return err
	}
	for len(p.open) > 1 {
		// character data up to the next '<'
		i := bytes.IndexByte(src[p.pos:], '<')
		if i < 0 {
			return p.errf(len(src), "unexpected end of input inside element")
		}
		if i > 0 {
			if err := p.charData(p.pos, p.pos+i); err != nil {
				return err
			}
			p.pos += i
		}
		rest := src[p.pos:]
		switch {
		case len(rest) > 1 && rest[1] == '/':
			if err := p.endTag(); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("<!--")):
			if err := p.comment(); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			if err := p.cdata(); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("<?")):
			if err := p.pi(); err != nil {
				return err
			}
		case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
			return ErrDTD
		case bytes.HasPrefix(rest, []byte("<!")):
			return p.errf(p.pos, "markup declaration inside an element")
		default:
			if err := p.startTag(); err != nil {
				return err
			}
		}
	}
	return nil
}

// Pending text: consecutive character data and CDATA sections form one text
// node (the XPath data model has no adjacent text nodes).
func (p *parser) addTextRaw(start, end int) {
	switch p.textPieces {
	case 0:
		p.textStart = start
		p.textRaw = p.srcStr(start, end)
	case 1:
		if !p.textDec {
			p.textDecOff = p.decStart(p.textStart)
			p.d.dec = append(p.d.dec, p.d.bytes(p.textRaw)...)
			p.textDec = true
		}
		fallthrough
	default:
		p.d.dec = append(p.d.dec, p.src[start:end]...)
	}
	p.textPieces++
}

// beginDecoded makes the pending text live in d.dec, ready for appends.
func (p *parser) beginDecoded(start int) {
	switch {
	case p.textPieces == 0:
		p.textStart = start
		p.textDecOff = p.decStart(start)
	case !p.textDec:
		p.textDecOff = p.decStart(p.textStart)
		p.d.dec = append(p.d.dec, p.d.bytes(p.textRaw)...)
	}
	p.textDec = true
	p.textPieces++
}

func (p *parser) flushText() error {
	if p.textPieces == 0 {
		return nil
	}
	v := p.textRaw
	if p.textDec {
		v = p.decStr(p.textDecOff)
	}
	p.textPieces, p.textDec = 0, false
	if v.n == 0 {
		return nil
	}
	_, err := p.addNode(node{kind: TextNode, parent: p.parent(), end: Node(len(p.d.nodes) + 1), local: v})
	return err
}

func (p *parser) charData(start, end int) error {
	seg := p.src[start:end]
	amp := bytes.IndexByte(seg, '&')
	cr := bytes.IndexByte(seg, '\r')
	if k := bytes.Index(seg, []byte("]]>")); k >= 0 {
		return p.errf(start+k, "']]>' in character data")
	}
	if amp < 0 && cr < 0 {
		p.addTextRaw(start, end)
		return nil
	}
	p.beginDecoded(start)
	return p.decode(start, end, false)
}

func (p *parser) cdata() error {
	body := p.pos + 9
	end := bytes.Index(p.src[body:], []byte("]]>"))
	if end < 0 {
		return p.errf(p.pos, "unterminated CDATA section")
	}
	p.pos = body + end + 3
	if end == 0 {
		return nil
	}
	seg := p.src[body : body+end]
	if bytes.IndexByte(seg, '\r') < 0 {
		p.addTextRaw(body, body+end)
		return nil
	}
	p.beginDecoded(body)
	for i := 0; i < len(seg); i++ {
		c := seg[i]
		if c == '\r' {
			c = '\n'
			if i+1 < len(seg) && seg[i+1] == '\n' {
				i++
			}
		}
		p.d.dec = append(p.d.dec, c)
	}
	return nil
}

// decode appends src[start:end] to d.dec, expanding references and
// normalising line ends; in attribute values it also maps literal white space
// to spaces (§3.3.3).
func (p *parser) decode(start, end int, attr bool) error {
	src := p.src
	dec := p.d.dec
	for i := start; i < end; {
		c := src[i]
		switch c {
		case '\r':
			i++
			if i < end && src[i] == '\n' {
				i++
			}
			if attr {
				dec = append(dec, ' ')
			} else {
				dec = append(dec, '\n')
			}
			continue
		case '\t', '\n':
			if attr {
				c = ' '
			}
		case '<':
			if attr {
				p.d.dec = dec
				return p.errf(i, "'<' in an attribute value")
			}
		case '&':
			semi := bytes.IndexByte(src[i:end], ';')
			if semi < 0 {
				p.d.dec = dec
				return p.errf(i, "unterminated reference")
			}
			ref := src[i+1 : i+semi]
			var err error
			dec, err = p.reference(dec, ref, i)
			if err != nil {
				p.d.dec = dec
				return err
			}
			i += semi + 1
			continue
		}
		dec = append(dec, c)
		i++
	}
	p.d.dec = dec
	return nil
}

func (p *parser) reference(dec, ref []byte, off int) ([]byte, error) {
	switch string(ref) {
	case "lt":
		return append(dec, '<'), nil
	case "gt":
		return append(dec, '>'), nil
	case "amp":
		return append(dec, '&'), nil
	case "apos":
		return append(dec, '\''), nil
	case "quot":
		return append(dec, '"'), nil
	}
	if len(ref) < 2 || ref[0] != '#' {
		return dec, p.errf(off, "undefined entity %q (no DTD is processed)", ref)
	}
	digits := ref[1:]
	base := rune(10)
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	if len(digits) == 0 || len(digits) > 8 {
		return dec, p.errf(off, "malformed character reference")
	}
	var r rune
	for _, c := range digits {
		var v rune
		switch {
		case '0' <= c && c <= '9':
			v = rune(c - '0')
		case base == 16 && 'a' <= c && c <= 'f':
			v = rune(c-'a') + 10
		case base == 16 && 'A' <= c && c <= 'F':
			v = rune(c-'A') + 10
		default:
			return dec, p.errf(off, "malformed character reference")
		}
		r = r*base + v
	}
	if !isXMLChar(r) {
		return dec, p.errf(off, "character reference to a non-XML character %U", r)
	}
	return utf8.AppendRune(dec, r), nil
}

func (p *parser) startTag() error {
	src := p.src
	tagStart := p.pos
	p.pos++
	qstart := p.pos
	if err := p.name(); err != nil {
		return err
	}
	qname := src[qstart:p.pos]
	if err := p.flushText(); err != nil {
		return err
	}
	if len(p.open) > MaxDepth {
		return &LimitError{"MaxDepth", MaxDepth}
	}
	p.attrs = p.attrs[:0]
	p.sorted = p.sorted[:0]
	selfClose := false
	for {
		sp := p.skipSpace()
		if p.pos >= len(src) {
			return p.errf(tagStart, "unterminated start tag")
		}
		c := src[p.pos]
		if c == '>' {
			p.pos++
			break
		}
		if c == '/' {
			if p.pos+1 >= len(src) || src[p.pos+1] != '>' {
				return p.errf(p.pos, "malformed start tag")
			}
			p.pos += 2
			selfClose = true
			break
		}
		if !sp {
			return p.errf(p.pos, "missing white space between attributes")
		}
		if len(p.attrs) >= MaxAttributes {
			return &LimitError{"MaxAttributes", MaxAttributes}
		}
		astart := p.pos
		if err := p.name(); err != nil {
			return err
		}
		aq := src[astart:p.pos]
		p.skipSpace()
		if p.pos >= len(src) || src[p.pos] != '=' {
			return p.errf(p.pos, "expected '=' after attribute name")
		}
		p.pos++
		p.skipSpace()
		if p.pos >= len(src) || (src[p.pos] != '"' && src[p.pos] != '\'') {
			return p.errf(p.pos, "expected a quoted attribute value")
		}
		q := src[p.pos]
		vstart := p.pos + 1
		k := bytes.IndexByte(src[vstart:], q)
		if k < 0 {
			return p.errf(p.pos, "unterminated attribute value")
		}
		vend := vstart + k
		p.pos = vend + 1
		v, err := p.attrValue(vstart, vend)
		if err != nil {
			return err
		}
		ra := rawAttr{qname: aq, value: v, off: astart}
		pfx, local, ok := splitQName(aq)
		if !ok {
			return p.errf(astart, "malformed qualified name %q", aq)
		}
		ra.prefix = pfx
		ra.local = p.srcStr(astart+len(aq)-len(local), astart+len(aq))
		if p.seenQName(aq) {
			return p.errf(astart, "duplicate attribute %q", aq)
		}
		p.attrs = append(p.attrs, ra)
	}

	// Namespace declarations first (Namespaces in XML §3, §5).
	parent := p.parent()
	p.marks = append(p.marks, p.binds.len())
	el := node{kind: ElementNode, parent: parent, start: uint32(tagStart),
		attr: int32(len(p.d.attrs)), ns: int32(len(p.d.nsdecls))}
	for i := range p.attrs {
		a := &p.attrs[i]
		var pfx int32
		switch {
		case a.prefix == nil && string(a.qname) == "xmlns":
			pfx = symEmpty
		case string(a.prefix) == "xmlns":
			pfx = p.intern(p.d.bytes(a.local))
		default:
			continue
		}
		val := p.d.bytes(a.value)
		u := p.intern(val)
		switch {
		case pfx == symXML && u != symXMLNS, pfx != symXML && u == symXMLNS:
			return p.errf(a.off, "the xml prefix and the XML namespace may only be bound to each other")
		case p.d.syms[pfx] == "xmlns" || string(val) == nsXMLNS:
			return p.errf(a.off, "the xmlns prefix and namespace may not be declared")
		case pfx != symEmpty && u == symEmpty:
			return p.errf(a.off, "empty namespace name for prefix %q", p.d.syms[pfx])
		}
		for j := int(el.ns); j < len(p.d.nsdecls); j++ {
			if p.d.nsdecls[j].prefix == pfx {
				return p.errf(a.off, "duplicate namespace declaration")
			}
		}
		p.d.nsdecls = append(p.d.nsdecls, nsDecl{pfx, u})
		p.binds.push(binding{pfx, u})
		el.nns++
	}
	if p.binds.len() > MaxNamespacesInScope {
		return &LimitError{"MaxNamespacesInScope", MaxNamespacesInScope}
	}
	epfx, elocal, ok := splitQName(qname)
	if !ok {
		return p.errf(qstart, "malformed qualified name %q", qname)
	}
	el.local = p.srcStr(qstart+len(qname)-len(elocal), qstart+len(qname))
	if epfx == nil {
		el.prefix = symEmpty
		el.uri = p.lookup(symEmpty)
	} else {
		if string(epfx) == "xmlns" {
			return p.errf(qstart, "element with the xmlns prefix")
		}
		el.prefix = p.intern(epfx)
		el.uri = p.lookup(el.prefix)
		if el.uri < 0 {
			return p.errf(qstart, "undeclared namespace prefix %q", epfx)
		}
	}
	for i := range p.attrs {
		a := &p.attrs[i]
		if a.prefix == nil && string(a.qname) == "xmlns" || string(a.prefix) == "xmlns" {
			continue
		}
		na := attr{local: a.local, value: a.value}
		if a.prefix != nil {
			na.prefix = p.intern(a.prefix)
			na.uri = p.lookup(na.prefix)
			if na.uri < 0 {
				return p.errf(a.off, "undeclared namespace prefix %q", a.prefix)
			}
		}
		// Expanded names must be unique too (Namespaces in XML §6.3).
		if p.seenExpanded(int(el.attr), na) {
			return p.errf(a.off, "duplicate attribute {%s}%s", p.d.syms[na.uri], p.d.bytes(na.local))
		}
		p.d.attrs = append(p.d.attrs, na)
		el.nattr++
	}
	id, err := p.addNode(el)
	if err != nil {
		return err
	}
	if selfClose {
		p.d.nodes[id].end = id + 1
		p.d.nodes[id].stop = uint32(p.pos)
		p.binds.pop(p.marks[len(p.marks)-1])
		p.marks = p.marks[:len(p.marks)-1]
		return nil
	}
	p.open = append(p.open, id)
	return nil
}

// lookup returns the URI bound to a prefix, symEmpty for an unbound default
// namespace, or -1 for an unbound prefix.
func (p *parser) lookup(prefix int32) int32 {
	if uri, ok := p.binds.lookup(prefix); ok {
		if prefix != symEmpty && uri == symEmpty {
			return -1
		}
		return uri
	}
	if prefix == symEmpty {
		return symEmpty
	}
	return -1
}

func (p *parser) attrValue(start, end int) (str, error) {
	seg := p.src[start:end]
	fast := true
	for _, c := range seg {
		if c == '&' || c == '<' || c == '\t' || c == '\n' || c == '\r' {
			fast = false
			break
		}
	}
	if fast {
		return p.srcStr(start, end), nil
	}
	ds := p.decStart(start)
	if err := p.decode(start, end, true); err != nil {
		return str{}, err
	}
	return p.decStr(ds), nil
}

func (p *parser) endTag() error {
	start := p.pos
	p.pos += 2
	qstart := p.pos
	if err := p.name(); err != nil {
		return err
	}
	qname := p.src[qstart:p.pos]
	p.skipSpace()
	if p.pos >= len(p.src) || p.src[p.pos] != '>' {
		return p.errf(p.pos, "malformed end tag")
	}
	p.pos++
	cur := p.parent()
	// The start tag's qualified name: from its '<' to the end of its
	// local name (element names are never decoded).
	st := &p.d.nodes[cur]
	if oq := p.src[st.start+1 : st.local.off+st.local.n]; !bytes.Equal(oq, qname) {
		return p.errf(start, "end tag </%s> does not match <%s>", qname, oq)
	}
	if err := p.flushText(); err != nil {
		return err
	}
	p.d.nodes[cur].end = Node(len(p.d.nodes))
	p.d.nodes[cur].stop = uint32(p.pos)
	p.open = p.open[:len(p.open)-1]
	p.binds.pop(p.marks[len(p.marks)-1])
	p.marks = p.marks[:len(p.marks)-1]
	return nil
}

// sortFrom is the number of attributes past which the duplicate checks
// search a sorted index instead of scanning.
const sortFrom = 16

// seenQName reports whether the tag already has an attribute written aq
// (XML 1.0 §3.1, well-formedness: unique attribute specification). It
// must be called for p.attrs in order, before aq is appended.
func (p *parser) seenQName(aq []byte) bool {
	n := len(p.attrs)
	if n < sortFrom {
		for i := range p.attrs {
			if bytes.Equal(p.attrs[i].qname, aq) {
				return true
			}
		}
		return false
	}
	if len(p.sorted) < n { // switch over: index the first sortFrom
		p.sorted = p.sorted[:0]
		for i := range n {
			p.sorted = append(p.sorted, int32(i))
		}
		slices.SortFunc(p.sorted, func(a, b int32) int { return bytes.Compare(p.attrs[a].qname, p.attrs[b].qname) })
	}
	at, found := slices.BinarySearchFunc(p.sorted, aq, func(i int32, k []byte) int { return bytes.Compare(p.attrs[i].qname, k) })
	if found {
		return true
	}
	p.sorted = slices.Insert(p.sorted, at, int32(n))
	return false
}

// seenExpanded reports whether the element's attributes p.d.attrs[first:]
// already hold na's expanded name (Namespaces in XML §6.3). It must be
// called for them in order, before na is appended; it shares p.sorted with
// seenQName, whose work is done by then.
func (p *parser) seenExpanded(first int, na attr) bool {
	n := len(p.d.attrs) - first
	cmp := func(a *attr, uri int32, local []byte) int {
		if a.uri != uri {
			return int(a.uri - uri)
		}
		return bytes.Compare(p.d.bytes(a.local), local)
	}
	local := p.d.bytes(na.local)
	if n < sortFrom {
		for j := first; j < len(p.d.attrs); j++ {
			if cmp(&p.d.attrs[j], na.uri, local) == 0 {
				return true
			}
		}
		return false
	}
	if n == sortFrom { // switch over: index the first sortFrom
		p.sorted = p.sorted[:0]
		for i := range n {
			p.sorted = append(p.sorted, int32(first+i))
		}
		slices.SortFunc(p.sorted, func(a, b int32) int {
			y := &p.d.attrs[b]
			return cmp(&p.d.attrs[a], y.uri, p.d.bytes(y.local))
		})
	}
	at, found := slices.BinarySearchFunc(p.sorted, na, func(i int32, k attr) int { return cmp(&p.d.attrs[i], k.uri, local) })
	if found {
		return true
	}
	p.sorted = slices.Insert(p.sorted, at, int32(first+n))
	return false
}
