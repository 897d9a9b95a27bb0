package cert

import (
	"bytes"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds Parse and ParseAll mutated real certificates and
// certificate bundles (PEM, .p7b in DER and BER). Whatever
// parses must satisfy the aliasing contract, and CheckSignatureFrom on it
// must return (with a verdict) rather than panic.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	more, _ := filepath.Glob("testdata/rfc9215/*.pem")
	for _, name := range append(files, more...) {
		data, err := os.ReadFile(name)
		if err != nil || filepath.Ext(name) == ".md" {
			continue
		}
		f.Add(data)
		if cs, err := ParseAll(data); err == nil {
			f.Add(cs[0].Raw)
		}
		if filepath.Ext(name) == ".p7b" {
			// The certificates-only SignedData with BER indefinite
			// lengths, for ParseAll's BER path.
			f.Add(indefinite(f, data, 4))
		}
	}
	// An OpenSSL-style mixed bundle: a CRL and a key around a certificate.
	if root, err := os.ReadFile("testdata/tc26_root256_cert.pem"); err == nil {
		f.Add(bytes.Join([][]byte{
			pem.EncodeToMemory(&pem.Block{Type: "X509 CRL", Bytes: []byte{0x30, 0x00}}), root,
			pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte{0x30, 0x00}}),
		}, nil))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		c, err := Parse(data)
		if err == nil {
			if !bytes.Equal(c.Raw, data) {
				t.Fatal("Raw differs from the input")
			}
			if !bytes.Contains(c.Raw, c.RawTBSCertificate) || !bytes.Contains(c.RawTBSCertificate, c.RawSubjectPublicKeyInfo) {
				t.Fatal("Raw* fields are not sub-slices")
			}
			_ = c.CheckSignatureFrom(c)
			_ = c.Subject.String()
			_ = c.Issuer.Key()
			_ = c.SerialHex()
			if d := c.Clone(); d == nil || !d.Equal(c) {
				t.Fatal("Clone differs")
			}
		}
		certs, err := ParseAll(data)
		if err == nil && data[0] == 0x30 {
			// Binary input (DER, or a BER .p7b): every certificate is
			// bytes received, never a re-encoding.
			for _, c := range certs {
				if !bytes.Contains(data, c.Raw) {
					t.Fatal("certificate not in the input as received")
				}
			}
		}
	})
}

// FuzzParseName feeds ParseName the subject and issuer names of the real
// certificates, mutated. A name it accepts must alias the input, be equal to
// itself by both Equal and EqualDER, and print without panicking.
func FuzzParseName(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		if cs, err := ParseAll(data); err == nil {
			f.Add(cs[0].RawSubject)
			f.Add(cs[0].RawIssuer)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseName(data)
		if err != nil {
			return
		}
		if !bytes.Equal(n.Raw, data) || len(n.Attributes) > maxNameAttributes {
			t.Fatal("Raw differs from the input or too many attributes")
		}
		if !n.Equal(&n) || !n.EqualDER(data) || n.Key() != n.Key() {
			t.Fatal("name differs from itself")
		}
		_ = n.String()
	})
}
