package gostsig

import (
	"strings"

	"gostsig.dev/cert"
	"gostsig.dev/internal/boundedmap"
)

// certDesc is what a Result says about a certificate: computed once per
// certificate (names rendered, thumbprint hashed) and reused, since the
// same signer and CA certificates recur request after request.
type certDesc struct {
	info  CertInfo
	chain ChainCert
	fp    [20]byte // SHA-1 of the DER
	label string   // cert.Certificate.String: `"CN" (serial …)`
	// The details of the checks a signer certificate passes, which depend
	// on the certificate alone (decision table rows 9 and 14).
	validFrom      string
	keyUsageWithin string
}

func (d *certDesc) fingerprint() [20]byte { return d.fp }

// descCache and nameKeys hold at most maxCacheEntries and maxCacheBytes of
// keys and values each, and start over when full, so hostile input only
// costs recomputation: the keys are DER from the request (a certificate
// may be up to cert.MaxCertificateSize), so a bound in entries alone
// would let 4096 large certificates pin a gigabyte.
const (
	maxCacheEntries = 4096
	maxCacheBytes   = 16 << 20
)

var cacheLimits = boundedmap.Limits{Entries: maxCacheEntries, Bytes: maxCacheBytes}

// descCache memoises certDesc by the certificate's DER. A nil *descCache
// computes every time.
type descCache struct{ c boundedmap.Map[*certDesc] }

func (dc *descCache) get(c *cert.Certificate) *certDesc {
	if dc != nil {
		if d, ok := dc.c.Load(c.Raw); ok {
			return d
		}
	}
	d := &certDesc{info: *certInfo(c), chain: chainCert(c), fp: c.SHA1Fingerprint(), label: certLabel(c),
		validFrom: "сертификат действует с " + fmtTime(c.NotBefore),
		keyUsageWithin: "(" +
			fmtTimeOrDash(c.PrivateKeyUsage.NotBefore) + " — " + fmtTimeOrDash(c.PrivateKeyUsage.NotAfter) + ")"}
	if dc != nil {
		// Counted at four times the DER: the key itself, and the texts,
		// which repeat the subject and issuer names taken from it.
		dc.c.Store(string(c.Raw), d, 4*len(c.Raw), cacheLimits)
	}
	return d
}

// signer returns a fresh copy of the certificate's CertInfo (the Result
// owns it; the cached one is never handed out).
func (dc *descCache) signer(c *cert.Certificate) *CertInfo {
	ci := dc.get(c).info
	return &ci
}

// label is the one-line name of a certificate in check details.
func (dc *descCache) label(c *cert.Certificate) string { return dc.get(c).label }

// nameKeys memoises cert.Name.Key by the DER of the name: the key folds
// case and spaces (RFC 4518), which costs microseconds, and the same CA
// names recur in every request.
type nameKeys struct{ c boundedmap.Map[string] }

func (nk *nameKeys) key(n *cert.Name) string {
	if k, ok := nk.c.Load(n.Raw); ok {
		return k
	}
	k := n.Key()
	nk.c.Store(string(n.Raw), k, len(n.Raw)+len(k), cacheLimits)
	return k
}

// certLabel is the one-line name of a certificate for people: its common
// name (or whole subject) in «» and its serial number, in Russian — not
// cert.Certificate.String, which quotes Go-style for logs (QA2 F5).
func certLabel(c *cert.Certificate) string {
	cn := c.Subject.CommonName()
	if cn == "" {
		cn = HumanName(c.Subject.String())
	}
	return "«" + cn + "» (серийный номер " + c.SerialHex() + ")"
}

// HumanName turns a distinguished name in RFC 4514 form (CertInfo.Subject,
// Revocation.CRLIssuer, …: "CN=ООО \"УЦ\" (тест\, 1),O=…") into text for
// people: escapes removed and RDNs separated by ", " (CN=ООО "УЦ" (тест,
// 1), O=…). The result is for reading only: it cannot be parsed back.
func HumanName(dn string) string {
	if !strings.ContainsAny(dn, "\\,") {
		return dn
	}
	b := make([]byte, 0, len(dn)+8)
	for i := 0; i < len(dn); i++ {
		c := dn[i]
		switch {
		case c == '\\' && i+2 < len(dn) && isHex(dn[i+1]) && isHex(dn[i+2]):
			v := unhex(dn[i+1])<<4 | unhex(dn[i+2])
			if v < 0x20 || v == 0x7f {
				v = ' '
			}
			b = append(b, v)
			i += 2
		case c == '\\' && i+1 < len(dn):
			b = append(b, dn[i+1])
			i++
		case c == ',':
			b = append(b, ", "...)
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
