package xmldsig

import (
	"bytes"
	"fmt"
	"os"
	"testing"
)

// TestVerifyConcurrent: Verify's parsed trees, transform state and
// certificates come from pools and caches shared by goroutines; messages
// verified at the same time must each come out as they do alone, and no
// Result may change once a later Verify reuses the memory of its tree (run
// with -race).
func TestVerifyConcurrent(t *testing.T) {
	type summary struct {
		signedInfo [][]byte
		details    []string
	}
	sum := func(r *Result) summary {
		var s summary
		for _, sig := range r.Signatures {
			// Copies, so that a later change of the Result's bytes shows.
			s.signedInfo = append(s.signedInfo, bytes.Clone(sig.SignedInfo), bytes.Clone(sig.Value), bytes.Clone(sig.CertificateDER))
			for _, c := range sig.Checks {
				s.details = append(s.details, fmt.Sprint(c.Name, c.Status, c.Detail))
			}
			for _, ref := range sig.References {
				s.details = append(s.details, fmt.Sprintf("%s %s %x %x", ref.URI, ref.Covered, ref.Computed, ref.DigestValue))
			}
		}
		return s
	}
	same := func(a, b summary) bool {
		if len(a.signedInfo) != len(b.signedInfo) || len(a.details) != len(b.details) {
			return false
		}
		for i := range a.signedInfo {
			if !bytes.Equal(a.signedInfo[i], b.signedInfo[i]) {
				return false
			}
		}
		for i := range a.details {
			if a.details[i] != b.details[i] {
				return false
			}
		}
		return true
	}
	var msgs [][]byte
	var want []summary
	var kept []*Result
	for _, m := range twoSignatureMessages {
		msg, err := os.ReadFile(m.file)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Verify(msg, nil)
		if err != nil || len(r.Signatures) == 0 {
			t.Fatalf("%s: %v", m.name, err)
		}
		msgs, want, kept = append(msgs, msg), append(want, sum(r)), append(kept, r)
	}
	errs := make(chan error, 4)
	for g := range 4 {
		go func() {
			for i := range 20 {
				k := (g + i) % len(msgs)
				r, err := Verify(msgs[k], nil)
				if err != nil || !same(sum(r), want[k]) {
					errs <- fmt.Errorf("message %d differs from its serial result (%v)", k, err)
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	for k, r := range kept {
		if !same(sum(r), want[k]) {
			t.Errorf("message %d: its first Result changed after later messages reused the memory", k)
		}
	}
}
