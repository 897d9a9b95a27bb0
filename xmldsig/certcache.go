package xmldsig

import (
	"sync"

	"gostsig.dev/cert"
)

// maxCachedCertificates bounds the parsed-certificate cache. SMEV traffic
// carries the same few system and SMEV certificates in message after
// message; parsing one costs about as much as a tenth of a signature check.
const maxCachedCertificates = 1024

var certCache struct {
	sync.Mutex
	m map[string]*cert.Certificate
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
	if certCache.m == nil || len(certCache.m) >= maxCachedCertificates {
		certCache.m = make(map[string]*cert.Certificate)
	}
	certCache.m[string(der)] = c
	certCache.Unlock()
	return c, nil
}

// certTextCache maps the base64 text of the certificates parseCertificate
// parsed to their DER and the parsed certificate, so that a certificate a
// message stream repeats in the same text is neither decoded nor looked up
// by its DER again. Bounded like certCache; both are shared, read-only.
var certTextCache struct {
	sync.Mutex
	m map[string]certTextEntry
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
func cacheCertificateText(text, der []byte, c *cert.Certificate) {
	certTextCache.Lock()
	if certTextCache.m == nil || len(certTextCache.m) >= maxCachedCertificates {
		certTextCache.m = make(map[string]certTextEntry)
	}
	certTextCache.m[string(text)] = certTextEntry{der, c}
	certTextCache.Unlock()
}
