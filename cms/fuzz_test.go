package cms

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"gostsig.dev/internal/testkit"
)

// FuzzParse feeds arbitrary bytes to Parse and, when they parse, to
// Verify. Nothing may panic; a parsed SignedData must re-parse from its
// own DER (Raw) to the same structure (the BER→DER step is a fixed point),
// and verification work stays bounded by the limits. Seeds: every
// committed vector and real sample.
func FuzzParse(f *testing.F) {
	for _, dir := range []string{"vectors", "corpus", "openssl"} {
		names, _ := filepath.Glob(filepath.Join("testdata", dir, "*"))
		for _, n := range names {
			if b, err := os.ReadFile(n); err == nil && len(b) <= 1<<16 {
				f.Add(b)
			}
		}
	}
	// An OCSP response in the crls field (RFC 5940), which no committed
	// sample carries.
	p := testkit.MustPKI("cms/fuzz-ocsp-in-crls")
	if basic, err := testkit.NewBasicOCSPResponse(&testkit.OCSPSpec{Responder: p.CA, ProducedAt: testkit.RefTime,
		Responses: []testkit.OCSPSingle{{Cert: p.Leaf, ThisUpdate: testkit.RefTime}}}); err == nil {
		f.Add(testkit.MustSignedData(&testkit.SignedDataSpec{Content: []byte("content"), Detached: true,
			Signers: []testkit.SignerSpec{{Cert: p.Leaf}},
			CRLs:    [][]byte{testkit.OCSPRevocationInfo(testkit.OCSPResponse(basic))}}))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 {
			return
		}
		sd, err := Parse(data)
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error %T is not *ParseError: %v", err, err)
			}
			return
		}
		again, err := Parse(sd.Raw)
		if err != nil {
			t.Fatalf("Raw does not re-parse: %v", err)
		}
		if again.WasBER || len(again.Signers) != len(sd.Signers) || !bytes.Equal(again.Content, sd.Content) {
			t.Fatal("re-parse differs")
		}
		for i := range sd.Signers {
			if !bytes.Equal(again.Signers[i].Raw, sd.Signers[i].Raw) {
				t.Fatalf("signer %d differs after re-parse", i)
			}
		}
		r, err := sd.Verify(&VerifyOptions{Content: []byte("content")})
		if err != nil {
			t.Fatalf("Verify: %v", err)
		}
		if len(r.Signers) != len(sd.Signers) {
			t.Fatal("a signer has no result")
		}
		for _, s := range r.Signers {
			if s.Valid() && s.Signer == nil {
				t.Fatal("valid without a signer certificate")
			}
		}
	})
}
