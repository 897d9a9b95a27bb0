package xmldsig

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"

	"gostsig.dev/cert"
	"gostsig.dev/xmldsig/c14n"
)

// Limits of the signature layer (the XML parser has its own, c14n.Max*).
const (
	maxSignatures = 64 // ds:Signature elements verified in one message
	maxReferences = 64 // Reference elements in one SignedInfo
	maxTransforms = 16 // Transform elements in one Reference
	// workFactor bounds the bytes digested over all references of a
	// message to this multiple of its size (at least minWorkBudget), so 64
	// signatures of 64 references each over the whole document cannot make
	// one request cost minutes. Real SMEV messages digest about twice their
	// size (the SMEV signature covers the sender's).
	workFactor    = 16
	minWorkBudget = 64 << 20
)

// ErrWorkLimit: the references of the message would digest more than the
// work budget allows (reported wrapped in a *FormatError).
var ErrWorkLimit = errors.New("xmldsig: references digest too much data for the message size")

// Options supplies what is not in the XML itself.
type Options struct {
	// Attachments holds SMEV attachment contents by their uuid
	// (RefAttachmentHeader) or contentId (AttachmentHeader).
	Attachments map[string][]byte
	// Parts holds MTOM/XOP MIME parts by Content-ID, without the angle
	// brackets (see ReadMultipart). xop:Include elements are replaced by
	// the base64 of their part before digesting (XOP §3.2).
	Parts map[string][]byte
	// VerifyCMS, when set, replaces the cms package for checking a
	// detached CMS signature (SMEV SignaturePKCS7) over an attachment: it
	// returns nil when the signature verifies.
	VerifyCMS func(signature, content []byte) error
	// KeepDigestedData keeps each reference's digested bytes in
	// Reference.Data (for diagnostics; costs memory).
	KeepDigestedData bool
}

// noOptions stands for a nil *Options (Verify only reads it).
var noOptions Options

// Verify finds every ds:Signature in an XML message (SMEV 3, SMEV 2 or
// plain XMLDSig) and verifies each on its own: every Reference digest, the
// SignatureValue over the canonical SignedInfo, and the signer certificate's
// presence. It reports what it found and makes no policy decision: chains,
// validity times and revocation are for the caller.
//
// The error is non-nil only when the message cannot be parsed as XML (a
// *FormatError); problems with one signature are checks of that signature.
func Verify(msg []byte, opt *Options) (*Result, error) {
	if opt == nil {
		opt = &noOptions
	}
	doc, err := c14n.Parse(msg)
	if err != nil {
		return nil, formatErr(err, "cannot parse the message")
	}
	// Nothing of the Result aliases the tree (its strings and byte slices
	// are copies or decoded afresh), so its memory serves the next message.
	defer doc.Release()
	v := &verifier{doc: doc, opt: opt, budget: max(int64(len(msg))*workFactor, minWorkBudget)}
	if doc, err = v.reconstitute(doc); err != nil {
		return nil, err
	}
	if doc != v.doc {
		defer doc.Release()
	}
	v.doc = doc
	res := &Result{Profile: "xmldsig"}
	v.indexIDs()
	var sigs []c14n.Node
	for n := c14n.Node(1); int(n) < doc.Len(); n++ {
		if doc.Is(n, NamespaceDSig, "Signature") {
			sigs = append(sigs, n)
		}
	}
	if len(sigs) > maxSignatures {
		return nil, formatErr(nil, "%d signatures, more than %d", len(sigs), maxSignatures)
	}
	names := map[string]int{}
	res.Signatures = make([]*Signature, 0, len(sigs))
	for i, s := range sigs {
		sig := v.signature(s, i)
		names[sig.Name]++
		if k := names[sig.Name]; k > 1 {
			sig.Name += "#" + strconv.Itoa(k)
		}
		res.Signatures = append(res.Signatures, sig)
		switch sig.Container {
		case "PersonalSignature", "CallerInformationSystemSignature", "SenderInformationSystemSignature", "SMEVSignature":
			res.Profile = "smev3"
		case "Security":
			if res.Profile == "xmldsig" {
				res.Profile = "smev2"
			}
		}
	}
	res.Attachments = v.attachments()
	if len(res.Attachments) > 0 {
		res.Profile = "smev3"
	}
	return res, nil
}

type verifier struct {
	doc     *c14n.Document
	opt     *Options
	ids     map[string]idTarget
	xopLeft []c14n.Node
	inlined []span // where XOP parts were inlined in the reconstituted input
	budget  int64  // bytes the references may still digest
	cw      countingWriter
}

// idTarget is what an id names: the first element carrying it and how many
// elements do (more than one is refused: signature wrapping).
type idTarget struct {
	node  c14n.Node
	count int
}

// indexIDs collects the id attributes a Reference may name: unqualified Id,
// ID and id (SMEV 3 uses Id), wsu:Id (SMEV 2) and xml:id.
func (v *verifier) indexIDs() {
	d := v.doc
	v.ids = map[string]idTarget{}
	for n := c14n.Node(1); int(n) < d.Len(); n++ {
		if d.Kind(n) != c14n.ElementNode {
			continue
		}
		var seenBuf [4][]byte
		seen := seenBuf[:0]
		for i := range d.NumAttrs(n) {
			a := d.Attr(n, i)
			if !isIDAttr(a) {
				continue
			}
			dup := false
			for _, s := range seen {
				dup = dup || bytes.Equal(s, a.Value)
			}
			if dup {
				continue
			}
			seen = append(seen, a.Value)
			t := v.ids[string(a.Value)]
			if t.count == 0 {
				t.node = n
			}
			t.count++
			v.ids[string(a.Value)] = t
		}
	}
}

func isIDAttr(a c14n.Attr) bool {
	switch a.Space {
	case "":
		l := string(a.Local)
		return l == "Id" || l == "ID" || l == "id"
	case NamespaceWSU:
		return string(a.Local) == "Id"
	case c14n.XMLNamespace:
		return string(a.Local) == "id"
	}
	return false
}

// child returns the first element child of n named {ns}local, or None.
func (v *verifier) child(n c14n.Node, ns, local string) c14n.Node {
	d := v.doc
	for c := d.FirstChild(n); c != c14n.None; c = d.NextSibling(c) {
		if d.Is(c, ns, local) {
			return c
		}
	}
	return c14n.None
}

func (v *verifier) children(n c14n.Node, ns, local string) []c14n.Node {
	d := v.doc
	var out []c14n.Node
	for c := d.FirstChild(n); c != c14n.None; c = d.NextSibling(c) {
		if d.Is(c, ns, local) {
			out = append(out, c)
		}
	}
	return out
}

func (v *verifier) attr(n c14n.Node, local string) (string, bool) {
	b, ok := v.doc.AttrValue(n, "", local)
	return knownString(b), ok
}

// knownString is string(b), without a copy for the URIs and SMEV
// signature containers every signature has.
func knownString(b []byte) string {
	switch string(b) {
	case SignatureGOST2012_256:
		return SignatureGOST2012_256
	case SignatureGOST2012_512:
		return SignatureGOST2012_512
	case SignatureGOST2001:
		return SignatureGOST2001
	case DigestStreebog256:
		return DigestStreebog256
	case DigestStreebog512:
		return DigestStreebog512
	case DigestGOST94:
		return DigestGOST94
	case TransformEnveloped:
		return TransformEnveloped
	case TransformSMEV:
		return TransformSMEV
	case CanonicalizationExc:
		return CanonicalizationExc
	case CanonicalizationC14N:
		return CanonicalizationC14N
	case "PersonalSignature":
		return "PersonalSignature"
	case "CallerInformationSystemSignature":
		return "CallerInformationSystemSignature"
	case "SenderInformationSystemSignature":
		return "SenderInformationSystemSignature"
	case "SMEVSignature":
		return "SMEVSignature"
	case "Security":
		return "Security"
	}
	return string(b)
}

// decodeBase64 decodes base64 text that may contain XML white space
// (gost-pitfalls.md E.22). The base64 package skips CR and LF itself, so
// only text with spaces or tabs (rare) is copied without them first.
func decodeBase64(b []byte) ([]byte, error) {
	if bytes.IndexByte(b, ' ') >= 0 || bytes.IndexByte(b, '\t') >= 0 {
		clean := make([]byte, 0, len(b))
		for _, c := range b {
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
				clean = append(clean, c)
			}
		}
		b = clean
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(b)))
	n, err := base64.StdEncoding.Decode(out, b)
	return out[:n:n], err
}

func (v *verifier) name(s c14n.Node, index int) (name, container string) {
	d := v.doc
	p := d.Parent(s)
	if d.Kind(p) == c14n.ElementNode {
		container = knownString(d.LocalName(p))
	}
	switch {
	case container == "PersonalSignature", container == "CallerInformationSystemSignature",
		container == "SenderInformationSystemSignature", container == "SMEVSignature":
		return container, container
	case d.Kind(p) == c14n.ElementNode && d.Is(p, NamespaceWSSE, "Security"):
		return "wsse:Security", container
	}
	return "Signature[" + strconv.Itoa(index+1) + "]", container
}

// signature verifies one ds:Signature (XMLDSig §3.2, core validation).
func (v *verifier) signature(s c14n.Node, index int) *Signature {
	sig := &Signature{Index: index}
	sig.Name, sig.Container = v.name(s, index)
	fail := func(err error) *Signature {
		st := StatusFailed
		if errors.Is(err, ErrUnsupportedAlgorithm) {
			st = StatusIndeterminate
		}
		sig.Checks = append(sig.Checks, Check{Name: CheckFormat, Status: st, Detail: err.Error(), Err: err})
		return sig
	}
	d := v.doc
	si := d.FirstChild(s)
	for si != c14n.None && d.Kind(si) != c14n.ElementNode {
		si = d.NextSibling(si)
	}
	if si == c14n.None || !d.Is(si, NamespaceDSig, "SignedInfo") {
		return fail(formatErr(nil, "Signature without SignedInfo as its first element"))
	}
	cm := v.child(si, NamespaceDSig, "CanonicalizationMethod")
	sm := v.child(si, NamespaceDSig, "SignatureMethod")
	if cm == c14n.None || sm == c14n.None {
		return fail(formatErr(nil, "SignedInfo without CanonicalizationMethod or SignatureMethod"))
	}
	sig.CanonicalizationMethod, _ = v.attr(cm, "Algorithm")
	sig.SignatureMethod, _ = v.attr(sm, "Algorithm")
	method, ok := c14n.MethodByURI(sig.CanonicalizationMethod)
	if !ok {
		return fail(&UnsupportedAlgorithmError{"canonicalization method", sig.CanonicalizationMethod})
	}
	sigOID, keyAlg, ok := signatureAlgorithm(sig.SignatureMethod)
	if !ok {
		return fail(&UnsupportedAlgorithmError{"signature method", sig.SignatureMethod})
	}
	svEl := v.child(s, NamespaceDSig, "SignatureValue")
	if svEl == c14n.None {
		return fail(formatErr(nil, "Signature without SignatureValue"))
	}
	sv, err := decodeBase64(d.Text(svEl))
	if err != nil {
		return fail(formatErr(err, "SignatureValue is not base64"))
	}
	sig.Value = sv
	refs := v.children(si, NamespaceDSig, "Reference")
	sig.Checks = make([]Check, 0, 3+len(refs))
	sig.References = make([]*Reference, 0, len(refs))
	if len(refs) == 0 {
		return fail(formatErr(nil, "SignedInfo without a Reference"))
	}
	if len(refs) > maxReferences {
		return fail(formatErr(nil, "%d references, more than %d", len(refs), maxReferences))
	}
	// SignedInfo is canonicalized with its declared method only (§2: the
	// SMEV transform is never applied to it). It is a same-document node-set
	// without comments (XMLDSig §4.4.3.1 uses the method as named).
	siOpt := c14n.Options{Method: method, InclusivePrefixes: v.prefixList(cm)}
	// The canonical form is about as long as the source (plus the
	// namespace declarations exclusive c14n renders on it).
	start, end := d.Span(si)
	sig.SignedInfo, err = c14n.AppendCanonical(make([]byte, 0, end-start+256), d, si, siOpt)
	if err != nil {
		return fail(formatErr(err, "cannot canonicalize SignedInfo"))
	}
	sig.Checks = append(sig.Checks, Check{Name: CheckFormat, Status: StatusPassed,
		Detail: "SignedInfo: " + sig.CanonicalizationMethod + ", " + sig.SignatureMethod + ", " + strconv.Itoa(len(refs)) + " reference(s)"})

	for _, r := range refs {
		var ref *Reference
		ref, sig.Checks = v.reference(sig.Checks, s, r)
		sig.References = append(sig.References, ref)
	}

	// The signer certificate.
	sc, err := v.signerCertificate(s)
	switch {
	case err != nil:
		sig.Checks = append(sig.Checks, Check{Name: CheckSignerCertificate, Status: StatusIndeterminate, Detail: err.Error(), Err: err})
	default:
		sig.CertificateDER = sc.der
		c := sc.cert
		if c == nil {
			var perr error
			if c, perr = parseCertificate(sc.der); perr != nil {
				err = fmt.Errorf("%w: the certificate in %s does not parse: %w", ErrNoCertificate, sc.where, perr)
				sig.Checks = append(sig.Checks, Check{Name: CheckSignerCertificate, Status: StatusIndeterminate, Detail: err.Error(), Err: err})
				break
			}
			cacheCertificateText(sc.text, c)
		}
		sig.Certificate = c
		sig.Checks = append(sig.Checks, Check{Name: CheckSignerCertificate, Status: StatusPassed, Detail: sc.from()})
	}

	// SignatureValue over the canonical SignedInfo.
	switch {
	case sig.Certificate == nil:
		sig.Checks = append(sig.Checks, Check{Name: CheckSignatureValue, Status: StatusIndeterminate,
			Detail: "not checked: no signer certificate", Err: ErrNoCertificate})
	case sig.Certificate.PublicKey == nil:
		err := fmt.Errorf("%w: the certificate's public key is unusable: %v", ErrNoCertificate, sig.Certificate.PublicKeyErr)
		sig.Checks = append(sig.Checks, Check{Name: CheckSignatureValue, Status: StatusIndeterminate, Detail: err.Error(), Err: err})
	default:
		pub := sig.Certificate.PublicKey
		if pub.Algorithm() != keyAlg {
			err := fmt.Errorf("%w: %s with a %v key", ErrSignatureInvalid, sig.SignatureMethod, pub.Algorithm())
			sig.Checks = append(sig.Checks, Check{Name: CheckSignatureValue, Status: StatusFailed, Detail: err.Error(), Err: err})
			break
		}
		if err := cert.VerifySignature(sigOID, pub, sig.SignedInfo, sv); err != nil {
			err = fmt.Errorf("%w: %w", ErrSignatureInvalid, err)
			sig.Checks = append(sig.Checks, Check{Name: CheckSignatureValue, Status: StatusFailed, Detail: err.Error(), Err: err})
			break
		}
		var buf [96]byte
		b := strconv.AppendInt(buf[:0], int64(len(sv)), 10)
		b = strconv.AppendInt(append(b, "-byte SignatureValue over "...), int64(len(sig.SignedInfo)), 10)
		sig.Checks = append(sig.Checks, Check{Name: CheckSignatureValue, Status: StatusPassed,
			Detail: string(append(b, " bytes of canonical SignedInfo"...))})
	}
	return sig
}

// prefixList returns the InclusiveNamespaces PrefixList under a
// CanonicalizationMethod or Transform element (Exclusive C14N §3).
func (v *verifier) prefixList(n c14n.Node) []string {
	in := v.child(n, namespaceExc, "InclusiveNamespaces")
	if in == c14n.None {
		return nil
	}
	pl, _ := v.attr(in, "PrefixList")
	return strings.Fields(pl)
}

// signerCert is the signer's certificate as a message carries it.
type signerCert struct {
	text  []byte            // its base64, as carried
	der   []byte            // decoded
	cert  *cert.Certificate // parsed, when text was met before (certificate cache)
	where string
}

// whereX509 is where SMEV 3 and plain XMLDSig carry the certificate.
const whereX509 = "KeyInfo/X509Data/X509Certificate"

// from is the signer-certificate check's detail. For the usual place the
// concatenation is a constant, so the check costs no allocation
// (TestVerifyAllocs holds it).
func (sc *signerCert) from() string {
	if sc.where == whereX509 {
		return "from " + whereX509
	}
	return "from " + sc.where
}

// certificateText decodes the base64 text of a certificate, unless the
// cache knows the text (a recurring certificate is carried in the same
// text message after message) and so its DER and parsed certificate.
func certificateText(text []byte, where string) (signerCert, bool) {
	if c, ok := certTextCache.Load(text); ok {
		return signerCert{text: text, der: c.Raw, cert: c, where: where}, true
	}
	der, err := decodeBase64(text)
	return signerCert{text: text, der: der, where: where}, err == nil && len(der) > 0
}

// signerCertificate finds the signer's certificate: KeyInfo/X509Data/
// X509Certificate (SMEV 3, XMLDSig §4.5.4), or a WS-Security
// SecurityTokenReference to a BinarySecurityToken (SMEV 2).
func (v *verifier) signerCertificate(s c14n.Node) (signerCert, error) {
	d := v.doc
	ki := v.child(s, NamespaceDSig, "KeyInfo")
	if ki == c14n.None {
		return signerCert{}, fmt.Errorf("%w: no KeyInfo", ErrNoCertificate)
	}
	for xd := d.FirstChild(ki); xd != c14n.None; xd = d.NextSibling(xd) {
		if !d.Is(xd, NamespaceDSig, "X509Data") {
			continue
		}
		if xc := v.child(xd, NamespaceDSig, "X509Certificate"); xc != c14n.None {
			sc, ok := certificateText(d.Text(xc), whereX509)
			if !ok {
				return signerCert{}, fmt.Errorf("%w: X509Certificate is not base64", ErrNoCertificate)
			}
			return sc, nil
		}
	}
	if str := v.child(ki, NamespaceWSSE, "SecurityTokenReference"); str != c14n.None {
		ref := v.child(str, NamespaceWSSE, "Reference")
		if ref == c14n.None {
			return signerCert{}, fmt.Errorf("%w: SecurityTokenReference without a Reference", ErrNoCertificate)
		}
		uri, _ := v.attr(ref, "URI")
		id, ok := strings.CutPrefix(uri, "#")
		if !ok {
			return signerCert{}, fmt.Errorf("%w: SecurityTokenReference URI %q is not a same-document reference", ErrNoCertificate, uri)
		}
		targets := v.ids[id]
		switch {
		case targets.count == 0:
			return signerCert{}, fmt.Errorf("%w: security token %q not found", ErrNoCertificate, uri)
		case targets.count > 1:
			return signerCert{}, formatErr(ErrDuplicateID, "security token id %q is carried by %d elements", id, targets.count)
		}
		t := targets.node
		if !d.Is(t, NamespaceWSSE, "BinarySecurityToken") {
			return signerCert{}, fmt.Errorf("%w: %q is not a BinarySecurityToken", ErrNoCertificate, uri)
		}
		sc, ok := certificateText(d.Text(t), "wsse:BinarySecurityToken "+uri)
		if !ok {
			return signerCert{}, fmt.Errorf("%w: BinarySecurityToken is not base64", ErrNoCertificate)
		}
		return sc, nil
	}
	return signerCert{}, fmt.Errorf("%w: KeyInfo has no X509Certificate or SecurityTokenReference", ErrNoCertificate)
}

// countingWriter counts and hashes, optionally keeping a copy, within the
// verifier's work budget.
type countingWriter struct {
	h      hash.Hash
	n      int64
	keep   *bytes.Buffer
	budget *int64
}

func (w *countingWriter) Write(p []byte) (int, error) {
	if *w.budget -= int64(len(p)); *w.budget < 0 {
		return 0, ErrWorkLimit
	}
	w.n += int64(len(p))
	if w.keep != nil {
		w.keep.Write(p)
	}
	return w.h.Write(p)
}

var _ io.Writer = (*countingWriter)(nil)
