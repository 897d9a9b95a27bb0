package xmldsig

import (
	"encoding/base64"
	"sync"

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

var certCache struct {
	sync.Mutex
	m     map[string]*cert.Certificate
	bytes int
}

// parseCertificate is cert.Parse with a bounded cache keyed by the DER
// bytes. The returned certificate is shared and must not be modified.
func parseCertificate(der []byte) (*cert.Certificate, error) {
	certCache.Lock()
	c, ok := certCache.m[string(der)]
	certCache.Unlock()
	if ok {
		return c, nil
	}
	c, err := cert.Parse(der)
	if err != nil {
		return nil, err
	}
	certCache.Lock()
	if certCache.m == nil || len(certCache.m) >= maxCachedCertificates || certCache.bytes+len(der) > maxCachedCertificateBytes {
		certCache.m = make(map[string]*cert.Certificate)
		certCache.bytes = 0
	}
	if _, ok := certCache.m[string(der)]; !ok && len(der) <= maxCachedCertificateBytes {
		certCache.m[string(der)] = c
		certCache.bytes += len(der) // the key; c aliases it
	}
	certCache.Unlock()
	return c, nil
}

// certTextCache maps the base64 text of the certificates parseCertificate
// parsed to their DER and the parsed certificate, so that a certificate a
// message stream repeats in the same text is neither decoded nor looked up
// by its DER again. Bounded like certCache; both are shared, read-only.
var certTextCache struct {
	sync.Mutex
	m     map[string]certTextEntry
	bytes int
}

type certTextEntry struct {
	der  []byte
	cert *cert.Certificate
}

func cachedCertificateText(text []byte) (certTextEntry, bool) {
	certTextCache.Lock()
	e, ok := certTextCache.m[string(text)]
	certTextCache.Unlock()
	return e, ok
}

// cacheCertificateText records that text decodes to der, which parsed as c.
// A text much longer than the base64 of der (whitespace padding, which
// decoding skips) is not cached: it would let one certificate fill the
// cache with keys as long as a message.
func cacheCertificateText(text, der []byte, c *cert.Certificate) {
	if len(text) > 2*base64.StdEncoding.EncodedLen(len(der))+maxCertificateTextSlack {
		return
	}
	size := len(text) + len(der)
	certTextCache.Lock()
	if certTextCache.m == nil || len(certTextCache.m) >= maxCachedCertificates || certTextCache.bytes+size > maxCachedCertificateBytes {
		certTextCache.m = make(map[string]certTextEntry)
		certTextCache.bytes = 0
	}
	if _, ok := certTextCache.m[string(text)]; !ok && size <= maxCachedCertificateBytes {
		certTextCache.m[string(text)] = certTextEntry{der, c}
		certTextCache.bytes += size
	}
	certTextCache.Unlock()
}
