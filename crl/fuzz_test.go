package crl

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"gostsig.dev/gostsig/streebog"
)

// maxFuzzInput keeps each fuzz execution short.
const maxFuzzInput = 1 << 20

func FuzzParseCRL(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/pki/*.crl*")
	seeds = append(seeds, filepath.Join(corpus, "root_gost_tk26.crl"))
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	small, _ := bigCRL(40, 3)
	f.Add(small)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		c, err := Parse(data)
		if err != nil {
			if c != nil {
				t.Fatal("CRL returned with an error")
			}
			if KindOf(err) == 0 {
				t.Fatalf("error without a Kind: %v", err)
			}
			return
		}
		// Every listed serial is found; the lookups agree with All.
		n := 0
		c.Index.All(func(serial []byte, e Entry) bool {
			n++
			if _, ok := c.Index.LookupBytes(serial); !ok {
				t.Fatalf("serial %x listed but not found", serial)
			}
			return true
		})
		if n != c.Index.Len() {
			t.Fatalf("All yielded %d of %d entries", n, c.Index.Len())
		}
		if c.Version == 1 && (c.Number != nil || c.IssuingDistributionPoint != nil) {
			t.Fatal("v1 CRL with extensions")
		}
		if c.removeFromCRLInComplete() {
			t.Fatal("removeFromCRL accepted in a complete CRL")
		}
		if !bytes.HasPrefix(bytes.TrimSpace(data), []byte("-----BEGIN")) {
			if c.Digest != streebog.Sum256(data) || c.SHA256 != sha256.Sum256(data) || c.Size != len(data) {
				t.Fatal("evidence digest is not over the input")
			}
		}
	})
}

// removeFromCRLInComplete reports whether a complete CRL lists a
// removeFromCRL entry (Parse must refuse that); for the fuzz target.
func (c *CRL) removeFromCRLInComplete() bool {
	if c.IsDelta() {
		return false
	}
	found := false
	c.Index.All(func(_ []byte, e Entry) bool {
		found = e.Reason == ReasonRemoveFromCRL
		return !found
	})
	return found
}

func FuzzParseOCSP(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/pki/ocsp-*.der")
	seeds = append(seeds, filepath.Join(corpus, "ocsp_resp.pem"))
	for _, p := range seeds {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		r, err := ParseOCSPResponse(data)
		if err != nil {
			if KindOf(err) == 0 {
				t.Fatalf("error without a Kind: %v", err)
			}
			// The same bytes as a bare BasicOCSPResponse must not panic either.
			ParseBasicOCSPResponse(data)
			return
		}
		r2, err := ParseBasicOCSPResponse(r.Raw)
		if err != nil || r2.Digest != r.Digest || len(r2.Responses) != len(r.Responses) {
			t.Fatalf("re-parse of Raw differs: %v", err)
		}
		for _, c := range r.Certificates {
			r.IsResponder(c)
			r.CheckSignatureFrom(c)
		}
	})
}
