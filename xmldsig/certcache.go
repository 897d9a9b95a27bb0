package xmldsig

import (
	"encoding/base64"
	"sync"
	"unsafe"

	"gostsig.dev/cert"
)

// Bounds of the two certificate caches. SMEV traffic carries the same few
// system and SMEV certificates in message after message; parsing one costs
// about as much as a tenth of a signature check. Each cache holds at most
// maxCachedCertificates entries and maxCachedCertificateBytes of keys and
// DER, and starts over when either is reached: KeyInfo is not signed, so a
// sender can vary the certificate (or its text) at will, and what it sends
// must not grow the process.
const (
	maxCachedCertificates     = 1024
	maxCachedCertificateBytes = 8 << 20
)

// A certificate's text is cached only when it is at most twice the plain
// base64 of its DER plus maxCertificateTextSlack: room for line breaks
// and deep indentation on every line, as real SMEV messages have, but not
// for padding that would make one certificate's key as long as a message.
const maxCertificateTextSlack = 256

// certCache maps a DER to its parsed certificate.
var certCache boundedCache[*cert.Certificate]

// boundedCache is a map from a byte string to a V, shared by the
// verifications running at once and read-only to them. It holds at most
// maxCachedCertificates entries and maxCachedCertificateBytes (each entry
// counted at the size its store names), and starts over when either would
// be passed. A lookup with m[string(b)] does not copy b; store takes a
// key the caller already owns as a string.
type boundedCache[V any] struct {
	sync.Mutex
	m     map[string]V
	bytes int
}

func (c *boundedCache[V]) load(key []byte) (V, bool) {
	c.Lock()
	v, ok := c.m[string(key)]
	c.Unlock()
	return v, ok
}

// store records key → v, size bytes of memory; an entry larger than the
// whole budget is not kept.
func (c *boundedCache[V]) store(key string, v V, size int) {
	c.Lock()
	if c.m == nil || len(c.m) >= maxCachedCertificates || c.bytes+size > maxCachedCertificateBytes {
		c.m = make(map[string]V)
		c.bytes = 0
	}
	if _, ok := c.m[key]; !ok && size <= maxCachedCertificateBytes {
		c.m[key] = v
		c.bytes += size
	}
	c.Unlock()
}

// parseCertificate is cert.Parse with a bounded cache keyed by the DER
// bytes. The returned certificate is shared and must not be modified.
func parseCertificate(der []byte) (*cert.Certificate, error) {
	if c, ok := certCache.load(der); ok {
		return c, nil
	}
	// Parse the cache's own copy, which is also the key: a certificate
	// aliases what it was parsed from, and der may be a slice of a much
	// larger buffer (a CMS SignaturePKCS7 or an XOP part) that the cache
	// must not pin past the len(der) it counts.
	if len(der) > cert.MaxCertificateSize {
		return cert.Parse(der) // refused by size: nothing to copy or cache
	}
	key := string(der)
	c, err := cert.Parse(unsafe.Slice(unsafe.StringData(key), len(key))) // read-only: c is never modified
	if err != nil {
		return nil, err
	}
	certCache.store(key, c, len(key)) // the key; c aliases it
	return c, nil
}

// certTextCache maps the base64 text of the certificates parseCertificate
// parsed to their DER and the parsed certificate, so that a certificate a
// message stream repeats in the same text is neither decoded nor looked up
// by its DER again.
var certTextCache boundedCache[certTextEntry]

type certTextEntry struct {
	der  []byte
	cert *cert.Certificate
}

// cacheCertificateText records that text decodes to der, which parsed as c.
// A text much longer than the base64 of der (whitespace padding, which
// decoding skips) is not cached: it would let one certificate fill the
// cache with keys as long as a message.
func cacheCertificateText(text, der []byte, c *cert.Certificate) {
	if len(text) > 2*base64.StdEncoding.EncodedLen(len(der))+maxCertificateTextSlack {
		return
	}
	certTextCache.store(string(text), certTextEntry{der, c}, len(text)+len(der))
}
