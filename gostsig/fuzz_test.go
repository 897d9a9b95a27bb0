package gostsig

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"gostsig.dev/internal/testkit"
)

// FuzzVerify feeds arbitrary documents through the whole pipeline: it must
// never panic or hang, and every answer must be a complete verdict.
// Seeds: the real corpus samples and generated CMS/XML signatures.
func FuzzVerify(f *testing.F) {
	p := stdPKI(f)
	f.Add(attached(f, p, testkit.SignerSpec{}))
	f.Add(attached(f, p, testkit.SignerSpec{SignatureTimeStamp: &testkit.TimeStampSpec{TSA: p.tsa, GenTime: refTime}}))
	f.Add(signXML(p, "hello", "urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34102012-gostr34112012-256", true))
	filepath.WalkDir(filepath.Join("testdata", "corpus"), func(path string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() && filepath.Ext(path) != ".md" && filepath.Ext(path) != ".jsonl" {
			if b, err := os.ReadFile(path); err == nil {
				f.Add(b)
			}
		}
		return nil
	})
	v := newTestVerifier(f, stdCfg(f, p))
	f.Fuzz(func(t *testing.T, doc []byte) {
		r, err := v.Verify(context.Background(), Input{Signature: doc, ValidationTime: refTime})
		if err != nil {
			if _, ok := err.(*InputError); ok {
				return
			}
			t.Fatalf("error without a verdict: %v", err)
		}
		if r.Indication == 0 || r.MessageRU == "" {
			t.Fatalf("incomplete result %+v", r)
		}
		if r.Indication == TotalPassed && len(r.Signatures) == 0 {
			t.Fatal("passed without a signature")
		}
		for _, s := range r.Signatures {
			if s.Indication == 0 || s.MessageRU == "" || (s.Indication != TotalPassed && s.SubIndication == 0) {
				t.Fatalf("incomplete signature verdict %+v", s)
			}
		}
	})
}
