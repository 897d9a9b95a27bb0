package xmldsig

import (
	"bytes"
	"encoding/base64"
	"os"
	"testing"
)

// TestCertificateTextCache: a certificate met again in the same base64 text
// comes from the cache (the same parsed certificate and DER) and still
// equals what the text decodes to; a corrupted copy of the text misses the
// cache and fails as before.
func TestCertificateTextCache(t *testing.T) {
	first, second := verifyFile(t, twoSigs, nil), verifyFile(t, twoSigs, nil)
	for i, s := range second.Signatures {
		f := first.Signatures[i]
		if !s.Passed() || s.Certificate == nil {
			t.Fatalf("%s: does not pass the second time: %+v", s.Name, s.Checks)
		}
		if s.Certificate != f.Certificate {
			t.Errorf("%s: the recurring certificate was parsed again", s.Name)
		}
		if !bytes.Equal(s.CertificateDER, s.Certificate.Raw) {
			t.Errorf("%s: CertificateDER is not the certificate's encoding", s.Name)
		}
	}
	// Break the base64 of the first certificate in its text: the cache must
	// not answer for it.
	der := first.Signatures[0].CertificateDER
	b64 := []byte(base64.StdEncoding.EncodeToString(der)[:40])
	msg, err := os.ReadFile(twoSigs)
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(msg, b64)
	if i < 0 {
		t.Skip("the certificate's base64 is wrapped in the sample; nothing to corrupt simply")
	}
	msg[i+20] = '*'
	res, err := Verify(msg, nil)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Signatures[0].Check(CheckSignerCertificate)
	if c == nil || c.Status != StatusIndeterminate || res.Signatures[0].Certificate != nil {
		t.Errorf("a corrupted certificate text was accepted: %+v", c)
	}
}

// TestCertificateTextCacheBounded: KeyInfo is not signed, so a sender can
// pad a certificate's text with whitespace (which decoding skips) and send
// the same signed message again and again. Each copy still verifies, but
// must not add a message-sized key to the cache; and the caches never hold
// more than their byte budget.
func TestCertificateTextCacheBounded(t *testing.T) {
	msg, err := os.ReadFile(twoSigs)
	if err != nil {
		t.Fatal(err)
	}
	tag := []byte("X509Certificate>")
	i := bytes.Index(msg, tag)
	if i < 0 {
		t.Fatal("no X509Certificate in the sample")
	}
	i += len(tag)
	for k := range 8 {
		pad := bytes.Repeat([]byte{'\n'}, 64<<10+k)
		padded := append(append(append([]byte{}, msg[:i]...), pad...), msg[i:]...)
		res, err := Verify(padded, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Signatures[0].Passed() {
			t.Fatalf("the padded copy does not verify: %+v", res.Signatures[0].Checks)
		}
		for _, text := range certTextCache.Keys() {
			if len(text) > 16<<10 {
				t.Errorf("a %d-byte certificate text was cached", len(text))
			}
		}
		if _, n := certTextCache.Stats(); n > maxCachedCertificateBytes {
			t.Errorf("text cache holds %d bytes, over %d", n, maxCachedCertificateBytes)
		}
	}
	if _, n := certCache.Stats(); n > maxCachedCertificateBytes {
		t.Errorf("certificate cache holds %d bytes, over %d", n, maxCachedCertificateBytes)
	}
}

// TestCertificateCacheDoesNotPin: a certificate parsed out of a larger
// buffer (a CMS SignaturePKCS7, an XOP part) is cached as its own copy,
// so the cache holds the len(der) it counts and not the whole buffer.
func TestCertificateCacheDoesNotPin(t *testing.T) {
	der := verifyFile(t, twoSigs, nil).Signatures[0].CertificateDER
	big := make([]byte, 1<<20)
	const off = 1000
	copy(big[off:], der)
	big[off+len(der)-1] ^= 1 // the signature's last byte: a DER the cache has not seen
	sub := big[off : off+len(der)]
	c, err := parseCertificate(sub)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(c.Raw, sub) {
		t.Fatal("the parsed certificate is not the DER given")
	}
	if &c.Raw[0] == &sub[0] {
		t.Error("the cached certificate aliases the caller's buffer")
	}
	if again, _ := parseCertificate(sub); again != c {
		t.Error("the certificate was not cached")
	}
}
