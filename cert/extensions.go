package cert

import (
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/asn1der"
	"gostsig.dev/internal/dertime"
	"gostsig.dev/internal/oid"
)

// GeneralName tags (RFC 5280 §4.2.1.6), context-specific.
const (
	gnRFC822Name    = 1
	gnDNSName       = 2
	gnDirectoryName = 4
	gnURI           = 6
)

// extKind names the extensions parseExtension interprets.
type extKind int

const (
	extUnhandled extKind = iota
	extSubjectKeyID
	extKeyUsage
	extPrivateKeyUsagePeriod
	extSubjectAltName
	extBasicConstraints
	extCRLDistributionPoints
	extCertificatePolicies
	extAuthorityKeyID
	extAuthorityKeyIDOld
	extExtKeyUsage
	extAuthorityInfoAccess
	extOCSPNoCheck
	extSubjectSignTool
	extIssuerSignTool
	extIdentificationKind
)

// extKindOf returns the kind of the extension whose OID has content
// octets raw (extUnhandled for any other). The cases are the DER content
// octets of internal/oid's identifiers, which TestExtKindOf holds them to;
// a switch on constant strings compiles to a few length and word
// comparisons, where a map lookup hashed every identifier (5% of Parse).
func extKindOf(raw []byte) extKind {
	switch string(raw) {
	case "\x55\x1d\x0e": // 2.5.29.14
		return extSubjectKeyID
	case "\x55\x1d\x0f": // 2.5.29.15
		return extKeyUsage
	case "\x55\x1d\x10": // 2.5.29.16
		return extPrivateKeyUsagePeriod
	case "\x55\x1d\x11": // 2.5.29.17
		return extSubjectAltName
	case "\x55\x1d\x13": // 2.5.29.19
		return extBasicConstraints
	case "\x55\x1d\x1f": // 2.5.29.31
		return extCRLDistributionPoints
	case "\x55\x1d\x20": // 2.5.29.32
		return extCertificatePolicies
	case "\x55\x1d\x23": // 2.5.29.35
		return extAuthorityKeyID
	case "\x55\x1d\x01": // 2.5.29.1
		return extAuthorityKeyIDOld
	case "\x55\x1d\x25": // 2.5.29.37
		return extExtKeyUsage
	case "\x2b\x06\x01\x05\x05\x07\x01\x01": // 1.3.6.1.5.5.7.1.1
		return extAuthorityInfoAccess
	case "\x2b\x06\x01\x05\x05\x07\x30\x01\x05": // 1.3.6.1.5.5.7.48.1.5
		return extOCSPNoCheck
	case "\x2a\x85\x03\x64\x6f": // 1.2.643.100.111
		return extSubjectSignTool
	case "\x2a\x85\x03\x64\x70": // 1.2.643.100.112
		return extIssuerSignTool
	case "\x2a\x85\x03\x64\x72": // 1.2.643.100.114
		return extIdentificationKind
	}
	return extUnhandled
}

// Content octets of the OIDs compared on the parse path.
var (
	rawAccessOCSP      = oid.Content(oid.AccessOCSP)
	rawAccessCAIssuers = oid.Content(oid.AccessCAIssuers)
)

// parseExtensions parses Extensions (RFC 5280 §4.1.2.9). exts is the
// content of the [3] EXPLICIT wrapper.
func (c *Certificate) parseExtensions(p *parser, exts cryptobyte.String) error {
	var seq cryptobyte.String
	if !asn1der.ReadASN1(&exts, &seq, cbasn1.SEQUENCE) || !exts.Empty() {
		return malformed("extensions")
	}
	switch n := asn1der.CountElements(seq, maxExtensions); {
	case n > len(c.inl.exts):
		c.Extensions = make([]Extension, 0, min(n, maxExtensions))
	case n > 0:
		c.Extensions = c.inl.exts[:0:n]
	}
	// Each extension's kind, for the dispatch, and the duplicate check: a
	// handled kind is one identifier, so a set of kinds finds its
	// duplicates; the others are compared by the content octets of their
	// OIDs (the minimal encoding is unique: equal octets, equal
	// identifiers).
	var kindsBuf [32]extKind
	var othersBuf [8][]byte
	kinds, others := kindsBuf[:0], othersBuf[:0]
	var seen uint32 // 1<<kind for the handled kinds met (TestExtKindOf: kinds < 32)
	for !seq.Empty() {
		if len(c.Extensions) >= maxExtensions {
			return errors.New("cert: too many extensions")
		}
		var ext, rawID cryptobyte.String
		var e Extension
		if !asn1der.ReadASN1(&seq, &ext, cbasn1.SEQUENCE) {
			return malformed("extension")
		}
		var ok bool
		if ext, rawID, e.ID, ok = p.readOID(ext); !ok {
			return malformed("extension")
		}
		if ext.PeekASN1Tag(cbasn1.BOOLEAN) {
			var b cryptobyte.String
			// Lenient BOOLEAN: any non-zero octet is TRUE (BER), and an
			// explicit FALSE (DER forbids encoding the DEFAULT) is accepted.
			if !asn1der.ReadASN1(&ext, &b, cbasn1.BOOLEAN) || len(b) != 1 {
				return malformed("extension criticality")
			}
			e.Critical = b[0] != 0
		}
		var val cryptobyte.String
		if !asn1der.ReadASN1(&ext, &val, cbasn1.OCTET_STRING) || !ext.Empty() {
			return malformed("extension")
		}
		e.Value = val
		kind := extKindOf(rawID)
		var dup bool
		if kind == extUnhandled {
			dup = slices.ContainsFunc(others, func(prev []byte) bool { return string(prev) == string(rawID) })
			others = append(others, rawID)
		} else {
			dup = seen&(1<<kind) != 0
			seen |= 1 << kind
		}
		if dup {
			return fmt.Errorf("cert: duplicate extension %s", e.ID)
		}
		c.Extensions = append(c.Extensions, e)
		kinds = append(kinds, kind)
	}
	// Interpret them only once the whole list is known to be well formed
	// and free of duplicates (RFC 5280 §4.2: "A certificate MUST NOT
	// include more than one instance of a particular extension").
	for i, e := range c.Extensions {
		kind := kinds[i]
		if err := c.parseExtension(p, kind, e); err != nil {
			return err
		}
		if e.Critical && kind == extUnhandled {
			c.UnhandledCriticalExtensions = append(c.UnhandledCriticalExtensions, e.ID)
		}
	}
	return nil
}

// parseExtension interprets one extension of a kind this package
// understands; a malformed known extension is an error.
func (c *Certificate) parseExtension(p *parser, kind extKind, e Extension) error {
	v := cryptobyte.String(e.Value)
	switch kind {
	case extSubjectKeyID:
		// RFC 5280 §4.2.1.2: SubjectKeyIdentifier ::= OCTET STRING
		var ski cryptobyte.String
		if !asn1der.ReadASN1(&v, &ski, cbasn1.OCTET_STRING) || !v.Empty() {
			return malformed("subjectKeyIdentifier")
		}
		c.SubjectKeyID = ski

	case extKeyUsage:
		// RFC 5280 §4.2.1.3: KeyUsage ::= BIT STRING
		bits, err := readBits(&v)
		if err != nil || !v.Empty() {
			return malformed("keyUsage")
		}
		var ku KeyUsage
		for i := 0; i < 9 && i < len(bits)*8; i++ {
			if bits[i/8]&(0x80>>(i%8)) != 0 {
				ku |= 1 << i
			}
		}
		c.KeyUsage, c.KeyUsageValid = ku, true

	case extPrivateKeyUsagePeriod:
		// RFC 3280 §4.2.1.4 (dropped in RFC 5280, still in Приказ 795):
		// PrivateKeyUsagePeriod ::= SEQUENCE {
		//   notBefore [0] IMPLICIT GeneralizedTime OPTIONAL,
		//   notAfter  [1] IMPLICIT GeneralizedTime OPTIONAL }
		var seq cryptobyte.String
		if !asn1der.ReadASN1(&v, &seq, cbasn1.SEQUENCE) || !v.Empty() {
			return malformed("privateKeyUsagePeriod")
		}
		for i := range 2 {
			tag := cbasn1.Tag(i).ContextSpecific()
			var b cryptobyte.String
			var present bool
			if !asn1der.ReadOptionalASN1(&seq, &b, &present, tag) {
				return malformed("privateKeyUsagePeriod")
			}
			if !present {
				continue
			}
			t, err := parseGeneralizedTimeContent(b)
			if err != nil {
				return malformed("privateKeyUsagePeriod")
			}
			if i == 0 {
				c.PrivateKeyUsage.NotBefore = t
			} else {
				c.PrivateKeyUsage.NotAfter = t
			}
		}
		if !seq.Empty() {
			return malformed("privateKeyUsagePeriod")
		}

	case extSubjectAltName:
		var names cryptobyte.String
		if !asn1der.ReadASN1(&v, &names, cbasn1.SEQUENCE) || !v.Empty() {
			return malformed("subjectAltName")
		}
		var eb, db, ub [8]string
		emails, dns, uris := eb[:0], db[:0], ub[:0]
		err := forEachGeneralName(names, func(tag int, content []byte) error {
			switch tag {
			case gnRFC822Name:
				emails = append(emails, p.str(content))
			case gnDNSName:
				dns = append(dns, p.str(content))
			case gnURI:
				uris = append(uris, p.str(content))
			}
			return nil
		})
		if err != nil {
			return malformed("subjectAltName")
		}
		c.EmailAddresses, c.DNSNames, c.URIs = p.strings(emails), p.strings(dns), p.strings(uris)

	case extBasicConstraints:
		// RFC 5280 §4.2.1.9: BasicConstraints ::= SEQUENCE {
		//   cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
		var seq cryptobyte.String
		if !asn1der.ReadASN1(&v, &seq, cbasn1.SEQUENCE) || !v.Empty() {
			return malformed("basicConstraints")
		}
		if seq.PeekASN1Tag(cbasn1.BOOLEAN) {
			var b cryptobyte.String
			if !asn1der.ReadASN1(&seq, &b, cbasn1.BOOLEAN) || len(b) != 1 {
				return malformed("basicConstraints")
			}
			c.IsCA = b[0] != 0
		}
		if seq.PeekASN1Tag(cbasn1.INTEGER) {
			var n int64
			if !seq.ReadASN1Integer(&n) || n < 0 || n > 1<<20 {
				return malformed("basicConstraints pathLenConstraint")
			}
			c.MaxPathLen = int(n)
			c.MaxPathLenZero = n == 0
		}
		if !seq.Empty() {
			return malformed("basicConstraints")
		}
		c.BasicConstraintsValid = true

	case extCRLDistributionPoints:
		// RFC 5280 §4.2.1.13
		var seq cryptobyte.String
		if !asn1der.ReadASN1(&v, &seq, cbasn1.SEQUENCE) || !v.Empty() {
			return malformed("cRLDistributionPoints")
		}
		var buf [8]string
		urls := buf[:0]
		for !seq.Empty() {
			var dp, dpName cryptobyte.String
			var present bool
			if !asn1der.ReadASN1(&seq, &dp, cbasn1.SEQUENCE) ||
				!asn1der.ReadOptionalASN1(&dp, &dpName, &present, cbasn1.Tag(0).Constructed().ContextSpecific()) {
				return malformed("cRLDistributionPoints")
			}
			if !present {
				continue
			}
			// DistributionPointName ::= CHOICE { fullName [0] GeneralNames, … }
			var full cryptobyte.String
			if !asn1der.ReadOptionalASN1(&dpName, &full, &present, cbasn1.Tag(0).Constructed().ContextSpecific()) {
				return malformed("cRLDistributionPoints")
			}
			if !present {
				continue
			}
			err := forEachGeneralName(full, func(tag int, content []byte) error {
				if tag == gnURI {
					if len(urls) >= maxListEntries {
						return errors.New("too many")
					}
					urls = append(urls, p.str(content))
				}
				return nil
			})
			if err != nil {
				return malformed("cRLDistributionPoints")
			}
		}
		c.CRLDistributionPoints = p.strings(urls)

	case extCertificatePolicies:
		// RFC 5280 §4.2.1.4
		var seq cryptobyte.String
		if !asn1der.ReadASN1(&v, &seq, cbasn1.SEQUENCE) || !v.Empty() {
			return malformed("certificatePolicies")
		}
		c.Policies = p.oidList(asn1der.CountElements(seq, maxListEntries))
		for !seq.Empty() {
			var pi cryptobyte.String
			if !asn1der.ReadASN1(&seq, &pi, cbasn1.SEQUENCE) {
				return malformed("certificatePolicies")
			}
			_, _, id, ok := p.readOID(pi)
			if !ok || len(c.Policies) >= maxListEntries {
				return malformed("certificatePolicies")
			}
			c.Policies = append(c.Policies, id)
		}

	case extAuthorityKeyID:
		// RFC 5280 §4.2.1.1: AuthorityKeyIdentifier ::= SEQUENCE {
		//   keyIdentifier [0] KeyIdentifier OPTIONAL,
		//   authorityCertIssuer [1] GeneralNames OPTIONAL,
		//   authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL }
		if err := c.parseAKI(p, v, false); err != nil {
			return err
		}

	case extAuthorityKeyIDOld:
		// X.509 (1993) authorityKeyIdentifier, 2.5.29.1, as the TC26
		// vectors carry it: the same shape, but certIssuer [1] holds a
		// Name. The RFC 5280 extension wins when both are present.
		if c.hasExtension(oid.ExtAuthorityKeyID, 1) {
			return nil
		}
		if err := c.parseAKI(p, v, true); err != nil {
			return err
		}

	case extExtKeyUsage:
		var seq cryptobyte.String
		if !asn1der.ReadASN1(&v, &seq, cbasn1.SEQUENCE) || !v.Empty() {
			return malformed("extKeyUsage")
		}
		c.ExtKeyUsage = p.oidList(asn1der.CountElements(seq, maxListEntries))
		for !seq.Empty() {
			var id asn1.ObjectIdentifier
			var ok bool
			if seq, _, id, ok = p.readOID(seq); !ok || len(c.ExtKeyUsage) >= maxListEntries {
				return malformed("extKeyUsage")
			}
			c.ExtKeyUsage = append(c.ExtKeyUsage, id)
		}

	case extAuthorityInfoAccess:
		// RFC 5280 §4.2.2.1
		var seq cryptobyte.String
		if !asn1der.ReadASN1(&v, &seq, cbasn1.SEQUENCE) || !v.Empty() {
			return malformed("authorityInfoAccess")
		}
		var ob, ib [8]string
		ocsp, issuers := ob[:0], ib[:0]
		for !seq.Empty() {
			var ad, gn, method cryptobyte.String
			var tag cbasn1.Tag
			// The accessMethod is compared as content octets; it must
			// still be a well-formed OID.
			if !asn1der.ReadASN1(&seq, &ad, cbasn1.SEQUENCE) || !asn1der.ReadASN1(&ad, &method, cbasn1.OBJECT_IDENTIFIER) ||
				!oid.Valid(method) || !asn1der.ReadAnyASN1(&ad, &gn, &tag) || !ad.Empty() {
				return malformed("authorityInfoAccess")
			}
			if tag != cbasn1.Tag(gnURI).ContextSpecific() {
				continue
			}
			if len(ocsp)+len(issuers) >= maxListEntries {
				return malformed("authorityInfoAccess")
			}
			switch string(method) {
			case rawAccessOCSP:
				ocsp = append(ocsp, p.str(gn))
			case rawAccessCAIssuers:
				issuers = append(issuers, p.str(gn))
			}
		}
		c.OCSPServer, c.IssuingCertificateURL = p.strings(ocsp), p.strings(issuers)

	case extOCSPNoCheck:
		// RFC 6960 §4.2.2.2.1: the value is NULL (some CAs leave it empty).
		if !v.Empty() && (!v.SkipASN1(cbasn1.NULL) || !v.Empty()) {
			return malformed("ocspNoCheck")
		}
		c.OCSPNoCheck = true

	case extSubjectSignTool:
		// Приказ ФСБ № 795: SubjectSignTool ::= UTF8String (SIZE (1..200))
		s, err := p.readAnyString(&v)
		if err != nil || !v.Empty() {
			return malformed("subjectSignTool")
		}
		c.SubjectSignTool = s

	case extIssuerSignTool:
		// IssuerSignTool ::= SEQUENCE { signTool, cATool, signToolCert,
		//   cAToolCert UTF8String (SIZE (1..100)) }
		var seq cryptobyte.String
		if !asn1der.ReadASN1(&v, &seq, cbasn1.SEQUENCE) || !v.Empty() {
			return malformed("issuerSignTool")
		}
		var buf [8]string
		tools := buf[:0]
		for !seq.Empty() {
			s, err := p.readAnyString(&seq)
			if err != nil || len(tools) >= 8 {
				return malformed("issuerSignTool")
			}
			tools = append(tools, s)
		}
		// Present, even empty: not nil.
		if c.IssuerSignTool = p.strings(tools); c.IssuerSignTool == nil {
			c.IssuerSignTool = []string{}
		}

	case extIdentificationKind:
		// IdentificationKind ::= INTEGER
		var n int64
		if !v.ReadASN1Integer(&n) || !v.Empty() || n < 0 || n > 1<<16 {
			return malformed("identificationKind")
		}
		c.IdentificationKind = int(n)
	}
	return nil
}

func (c *Certificate) hasExtension(id asn1.ObjectIdentifier, min int) bool {
	n := 0
	for _, e := range c.Extensions {
		if e.ID.Equal(id) {
			n++
		}
	}
	return n >= min
}

func (c *Certificate) parseAKI(p *parser, v cryptobyte.String, old bool) error {
	what := "authorityKeyIdentifier"
	var seq cryptobyte.String
	if !asn1der.ReadASN1(&v, &seq, cbasn1.SEQUENCE) || !v.Empty() {
		return malformed(what)
	}
	c.AuthorityKeyID, c.AuthorityCertIssuer, c.AuthorityCertSerial = nil, nil, nil
	var kid cryptobyte.String
	var present bool
	if !asn1der.ReadOptionalASN1(&seq, &kid, &present, cbasn1.Tag(0).ContextSpecific()) {
		return malformed(what)
	}
	if present {
		c.AuthorityKeyID = kid
	}
	var issuer cryptobyte.String
	if !asn1der.ReadOptionalASN1(&seq, &issuer, &present, cbasn1.Tag(1).Constructed().ContextSpecific()) {
		return malformed(what)
	}
	if present {
		if old && issuer.PeekASN1Tag(cbasn1.SEQUENCE) {
			// certIssuer [1] Name
			var nameElem cryptobyte.String
			if !asn1der.ReadASN1Element(&issuer, &nameElem, cbasn1.SEQUENCE) || !issuer.Empty() {
				return malformed(what)
			}
			n, err := p.name(nameElem, -1)
			if err != nil {
				return malformed(what)
			}
			c.AuthorityCertIssuer = []Name{n}
		} else {
			err := forEachGeneralNameElem(issuer, func(tag int, content, elem []byte) error {
				if tag != gnDirectoryName {
					return nil
				}
				// directoryName [4] EXPLICIT Name
				s := cryptobyte.String(content)
				var nameElem cryptobyte.String
				if !asn1der.ReadASN1Element(&s, &nameElem, cbasn1.SEQUENCE) || !s.Empty() {
					return errMalformedName
				}
				n, err := p.name(nameElem, -1)
				if err != nil {
					return err
				}
				c.AuthorityCertIssuer = append(c.AuthorityCertIssuer, n)
				return nil
			})
			if err != nil {
				return malformed(what)
			}
		}
	}
	if seq.PeekASN1Tag(cbasn1.Tag(2).ContextSpecific()) {
		s := seq
		var content cryptobyte.String
		if !asn1der.ReadASN1(&s, &content, cbasn1.Tag(2).ContextSpecific()) || len(content) == 0 {
			return malformed(what)
		}
		n := asn1der.Int(content) // [2] IMPLICIT CertificateSerialNumber
		c.AuthorityCertSerial = n
		seq = s
	}
	if !seq.Empty() {
		return malformed(what)
	}
	return nil
}

// forEachGeneralName calls f with the tag number and content of each
// GeneralName in a GeneralNames sequence content.
func forEachGeneralName(names cryptobyte.String, f func(tag int, content []byte) error) error {
	return forEachGeneralNameElem(names, func(tag int, content, _ []byte) error { return f(tag, content) })
}

func forEachGeneralNameElem(names cryptobyte.String, f func(tag int, content, elem []byte) error) error {
	for n := 0; !names.Empty(); n++ {
		if n >= maxListEntries {
			return errors.New("cert: too many general names")
		}
		var elem cryptobyte.String
		var tag cbasn1.Tag
		if !asn1der.ReadAnyASN1Element(&names, &elem, &tag) {
			return errors.New("cert: malformed general name")
		}
		if tag&0xc0 != 0x80 { // must be context-specific
			return errors.New("cert: malformed general name")
		}
		e := elem
		var content cryptobyte.String
		asn1der.ReadAnyASN1(&e, &content, &tag)
		if err := f(int(tag&0x1f), content, elem); err != nil {
			return err
		}
	}
	return nil
}

// readBits reads a BIT STRING leniently (non-zero padding bits, which some
// CAs leave in keyUsage, are ignored) and returns its octets.
func readBits(s *cryptobyte.String) ([]byte, error) {
	var b cryptobyte.String
	if !asn1der.ReadASN1(s, &b, cbasn1.BIT_STRING) || len(b) == 0 || b[0] > 7 || (len(b) == 1 && b[0] != 0) {
		return nil, malformed("bit string")
	}
	return b[1:], nil
}

// readAnyString reads one ASN.1 string of any character-string type and
// returns it as UTF-8.
func (p *parser) readAnyString(s *cryptobyte.String) (string, error) {
	var content cryptobyte.String
	var tag cbasn1.Tag
	if !asn1der.ReadAnyASN1(s, &content, &tag) || tag&0xe0 != 0 || !isStringTag(int(tag)) {
		return "", malformed("string")
	}
	// decodeString's strings are UTF-8: validated, or converted.
	v, ok := p.decodeString(int(tag), content)
	if !ok {
		return "", malformed("string")
	}
	return v, nil
}

// parseGeneralizedTimeContent parses the content octets of a GeneralizedTime
// (RFC 5280 §4.1.2.5.2), leniently like readTime.
func parseGeneralizedTimeContent(b []byte) (time.Time, error) {
	if t, ok := dertime.Time(cbasn1.GeneralizedTime, b); ok {
		return t, nil
	}
	elem := append([]byte{byte(cbasn1.GeneralizedTime), byte(len(b))}, b...)
	if len(b) > 127 {
		return time.Time{}, malformed("time")
	}
	s := cryptobyte.String(elem)
	return readTime(&s)
}
