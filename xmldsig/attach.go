package xmldsig

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"hash"
	"net/url"
	"strings"

	"gostsig.dev/gostsig/gost341194"
	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/xmldsig/c14n"
)

// SMEV 3 basic types namespaces start with this (versions 1.1, 1.2, 1.3).
const smevBasicPrefix = "urn://x-artefacts-smev-gov-ru/services/message-exchange/types/basic/"

type span struct{ start, end int }

// reconstitute replaces every xop:Include whose MIME part was supplied by
// the base64 of that part (XOP §3.2, the canonical lexical form of
// base64Binary) and parses the result. xop:Include elements without a part
// stay; a reference over them reports ErrXOPPartMissing rather than a
// digest mismatch.
func (v *verifier) reconstitute(d *c14n.Document) (*c14n.Document, error) {
	var incs []c14n.Node
	for n := c14n.Node(1); int(n) < d.Len(); n++ {
		if d.Is(n, NamespaceXOP, "Include") {
			incs = append(incs, n)
		}
	}
	if len(incs) == 0 {
		return d, nil
	}
	src := d.Input()
	var out []byte
	var spans []span
	last := 0
	for _, n := range incs {
		part, ok := v.part(d, n)
		if !ok {
			continue
		}
		start, end := d.Span(n)
		if out == nil {
			out = make([]byte, 0, len(src)+base64.StdEncoding.EncodedLen(len(part)))
		}
		out = append(out, src[last:start]...)
		s := len(out)
		out = base64.StdEncoding.AppendEncode(out, part)
		spans = append(spans, span{s, len(out)})
		last = end
	}
	if out == nil {
		v.xopLeft = incs
		return d, nil
	}
	out = append(out, src[last:]...)
	// out is UTF-8 whatever the message was written in, and its XML
	// declaration still names that encoding.
	nd, err := c14n.ParseDecoded(out, d.Encoding())
	if err != nil {
		return nil, formatErr(err, "the message with its XOP parts inlined does not parse")
	}
	v.inlined = spans
	for n := c14n.Node(1); int(n) < nd.Len(); n++ {
		if nd.Is(n, NamespaceXOP, "Include") {
			v.xopLeft = append(v.xopLeft, n)
		}
	}
	return nd, nil
}

// part returns the MIME part an xop:Include names by its href="cid:...".
func (v *verifier) part(d *c14n.Document, inc c14n.Node) ([]byte, bool) {
	href, _ := d.AttrValue(inc, "", "href")
	cid, ok := strings.CutPrefix(string(href), "cid:")
	if !ok || v.opt.Parts == nil {
		return nil, false
	}
	if p, ok := v.opt.Parts[cid]; ok {
		return p, true
	}
	if un, err := url.PathUnescape(cid); err == nil { // RFC 2392: cid URLs are %-encoded
		if p, ok := v.opt.Parts[un]; ok {
			return p, true
		}
	}
	return nil, false
}

func (v *verifier) unresolvedXOP(target c14n.Node) int {
	k := 0
	for _, n := range v.xopLeft {
		if target == v.doc.Root() || within(v.doc, n, target) {
			k++
		}
	}
	return k
}

func (v *verifier) inlinedXOP(target c14n.Node) int {
	start, end := v.doc.Span(target)
	if target == v.doc.Root() {
		start, end = 0, len(v.doc.Input())
	}
	k := 0
	for _, s := range v.inlined {
		if s.start >= start && s.end <= end {
			k++
		}
	}
	return k
}

// attachments reports the SMEV 3 attachment headers: RefAttachmentHeader
// (uuid, Hash, MimeType, SignaturePKCS7) and AttachmentHeader (contentId,
// MimeType, SignaturePKCS7, content in AttachmentContent or a MIME part).
func (v *verifier) attachments() []*Attachment {
	d := v.doc
	var out []*Attachment
	for n := c14n.Node(1); int(n) < d.Len(); n++ {
		if d.Kind(n) != c14n.ElementNode || !strings.HasPrefix(d.Namespace(n), smevBasicPrefix) {
			continue
		}
		switch string(d.LocalName(n)) {
		case "RefAttachmentHeader":
			out = append(out, v.attachment(n, "RefAttachmentHeader", "uuid"))
		case "AttachmentHeader":
			out = append(out, v.attachment(n, "AttachmentHeader", "contentId"))
		}
	}
	return out
}

func (v *verifier) attachment(n c14n.Node, kind, idName string) *Attachment {
	d := v.doc
	ns := d.Namespace(n)
	a := &Attachment{Kind: kind}
	text := func(local string) (c14n.Node, string) {
		c := v.child(n, ns, local)
		if c == c14n.None {
			return c, ""
		}
		return c, strings.TrimSpace(string(d.Text(c)))
	}
	_, a.ID = text(idName)
	_, a.MimeType = text("MimeType")
	add := func(c Check) { a.Checks = append(a.Checks, c) }

	// The attachment's bytes: supplied by the caller, or (MTOM) the content
	// of the matching AttachmentContent.
	if c, ok := v.opt.Attachments[a.ID]; ok {
		a.Content = c
	} else if kind == "AttachmentHeader" {
		a.Content = v.attachmentContent(ns, a.ID)
	}

	if kind == "RefAttachmentHeader" {
		_, h := text("Hash")
		hb, err := decodeBase64([]byte(h))
		switch {
		case err != nil || len(hb) == 0:
			err := formatErr(err, "RefAttachmentHeader %q: Hash is not base64", a.ID)
			add(Check{Name: CheckAttachmentHash, Status: StatusFailed, Detail: err.Error(), Err: err})
		case a.Content == nil:
			a.Hash = hb
			err := fmt.Errorf("%w: RefAttachmentHeader %q (%s)", ErrAttachmentNotSupplied, a.ID, a.MimeType)
			add(Check{Name: CheckAttachmentHash, Status: StatusIndeterminate, Detail: err.Error(), Err: err})
		default:
			a.Hash = hb
			add(v.attachmentHash(a))
		}
	}

	sigEl, _ := text("SignaturePKCS7")
	switch {
	case sigEl == c14n.None:
		// A header without a signature: nothing to check.
	default:
		if inc := v.child(sigEl, NamespaceXOP, "Include"); inc != c14n.None {
			p, ok := v.part(d, inc)
			if !ok {
				err := fmt.Errorf("%w: SignaturePKCS7 of %q is an xop:Include whose part was not supplied", ErrXOPPartMissing, a.ID)
				add(Check{Name: CheckAttachmentCMS, Status: StatusIndeterminate, Detail: err.Error(), Err: err})
				return a
			}
			a.SignaturePKCS7 = p
		} else {
			sig, err := decodeBase64(d.Text(sigEl))
			if err != nil || len(sig) == 0 {
				err := formatErr(err, "SignaturePKCS7 of %q is not base64", a.ID)
				add(Check{Name: CheckAttachmentCMS, Status: StatusFailed, Detail: err.Error(), Err: err})
				return a
			}
			a.SignaturePKCS7 = sig
		}
		switch {
		case a.Content == nil:
			err := fmt.Errorf("%w: %s %q, its detached CMS signature cannot be checked", ErrAttachmentNotSupplied, kind, a.ID)
			add(Check{Name: CheckAttachmentCMS, Status: StatusIndeterminate, Detail: err.Error(), Err: err})
		case v.opt.VerifyCMS == nil:
			add(verifyAttachmentCMS(a))
		default:
			if err := v.opt.VerifyCMS(a.SignaturePKCS7, a.Content); err != nil {
				add(Check{Name: CheckAttachmentCMS, Status: StatusFailed, Detail: err.Error(), Err: err})
			} else {
				add(Check{Name: CheckAttachmentCMS, Status: StatusPassed, Detail: "detached CMS signature verifies over the attachment"})
			}
		}
	}
	return a
}

// attachmentContent finds AttachmentContent[Id=id]/Content: base64 text or
// an xop:Include resolved from the supplied parts.
func (v *verifier) attachmentContent(ns, id string) []byte {
	d := v.doc
	for n := c14n.Node(1); int(n) < d.Len(); n++ {
		if !d.Is(n, ns, "AttachmentContent") {
			continue
		}
		idEl := v.child(n, ns, "Id")
		if idEl == c14n.None || strings.TrimSpace(string(d.Text(idEl))) != id {
			continue
		}
		c := v.child(n, ns, "Content")
		if c == c14n.None {
			return nil
		}
		if inc := v.child(c, NamespaceXOP, "Include"); inc != c14n.None {
			p, _ := v.part(d, inc)
			return p
		}
		b, err := decodeBase64(d.Text(c))
		if err != nil {
			return nil
		}
		return b
	}
	return nil
}

// attachmentHash compares RefAttachmentHeader/Hash with the attachment. The
// header does not name its hash: a 64-byte value is Streebog-512; a 32-byte
// one is Streebog-256 (2012 signers) or GOST R 34.11-94 (2001 signers), so
// both are tried and the one that matched is reported.
func (v *verifier) attachmentHash(a *Attachment) Check {
	type cand struct {
		uri string
		h   func() hash.Hash
	}
	var cands []cand
	switch len(a.Hash) {
	case 32:
		cands = []cand{{DigestStreebog256, streebog.New256}, {DigestGOST94, gost341194.New}}
	case 64:
		cands = []cand{{DigestStreebog512, streebog.New512}}
	default:
		err := formatErr(nil, "RefAttachmentHeader %q: %d-byte Hash is no GOST digest", a.ID, len(a.Hash))
		return Check{Name: CheckAttachmentHash, Status: StatusFailed, Detail: err.Error(), Err: err}
	}
	for _, c := range cands {
		h := c.h()
		h.Write(a.Content)
		if bytes.Equal(h.Sum(nil), a.Hash) {
			a.HashAlgorithm = c.uri
			return Check{Name: CheckAttachmentHash, Status: StatusPassed,
				Detail: fmt.Sprintf("attachment %q (%d bytes) matches its Hash (%s)", a.ID, len(a.Content), c.uri)}
		}
	}
	err := fmt.Errorf("%w: attachment %q (%d bytes) does not match its Hash", ErrDigestMismatch, a.ID, len(a.Content))
	return Check{Name: CheckAttachmentHash, Status: StatusFailed, Detail: err.Error(), Err: err}
}
