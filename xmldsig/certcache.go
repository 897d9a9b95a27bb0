package xmldsig

import (
	"encoding/base64"
	"unsafe"

	"gostsig.dev/cert"
	"gostsig.dev/internal/boundedmap"
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

// certCacheLimits bound each of the two caches.
var certCacheLimits = boundedmap.Limits{Entries: maxCachedCertificates, Bytes: maxCachedCertificateBytes}

// certCache maps a DER to its parsed certificate, which aliases the key.
var certCache boundedmap.Map[*cert.Certificate]

// parseCertificate is cert.Parse with a bounded cache keyed by the DER
// bytes. The returned certificate is shared and must not be modified.
func parseCertificate(der []byte) (*cert.Certificate, error) {
	if c, ok := certCache.Load(der); ok {
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
	certCache.Store(key, c, len(key), certCacheLimits) // the key; c aliases it
	return c, nil
}

// certTextCache maps the base64 text of the certificates parseCertificate
// parsed to the parsed certificate, so that a certificate a message stream
// repeats in the same text is neither decoded nor looked up by its DER
// again. Its DER is the certificate's Raw (cert.Parse takes no trailing
// bytes), which is certCache's own copy: the entry holds no second one.
var certTextCache boundedmap.Map[*cert.Certificate]

// cacheCertificateText records that text decodes to c.Raw. A text much
// longer than the base64 of the DER (whitespace padding, which decoding
// skips) is not cached: it would let one certificate fill the cache with
// keys as long as a message.
func cacheCertificateText(text []byte, c *cert.Certificate) {
	if len(text) > 2*base64.StdEncoding.EncodedLen(len(c.Raw))+maxCertificateTextSlack {
		return
	}
	// Counted with the DER: c keeps it alive after certCache forgets it.
	certTextCache.Store(string(text), c, len(text)+len(c.Raw), certCacheLimits)
}
