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
