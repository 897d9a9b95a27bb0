package cms

import (
	"bytes"
	"fmt"
	"os"
	"testing"

	"gostsig.dev/cert"
)

// TestMutations flips every byte of whole signature files (XOR 0xFF, and
// XOR 0x01 unless -short) and requires each mutant to be rejected: a parse
// error, or a check that is not passed, somewhere in the result (signers,
// counter-signatures, time-stamps, CAdES references). Nothing may panic.
//
// Two kinds of bytes are not covered by any signature in CMS, and the test
// names them instead of pretending otherwise:
//   - certificates (and CRLs) carried for chain building: a change there is
//     caught by their own issuer's signature, which the chain layer checks;
//     the test emulates that check (chainRejects) with the test trust
//     anchors;
//   - the attrType OID of an unsigned attribute: a flip there turns a
//     time-stamp or counter-signature into an unknown attribute. What
//     remains is still a valid signature of a lower CAdES level; the test
//     requires that the result shows the loss (fewer time-stamps, counter-
//     signatures or references, a lower Level).
func TestMutations(t *testing.T) {
	// The chain layer's material: the test root and intermediate.
	anchors, err := cert.ParseAll(append(readFile(t, "vectors/root.pem"), readFile(t, "vectors/ca.pem")...))
	if err != nil {
		t.Fatal(err)
	}
	rutokenCA, err := cert.ParseAll(readFile(t, "corpus/rutoken_ca_2012_256.pem"))
	if err != nil {
		t.Fatal(err)
	}
	files := []struct {
		name    string
		content string
	}{
		{"vectors/bes-256-xcha.p7s", ""},
		{"vectors/noattrs-256.p7s", ""},
		{"corpus/fns_cades_bes.p7s", ""},
		{"vectors/detached-256.p7s", "vectors/detached-256.content"},
		{"vectors/ber-256.p7s", ""},
		{"vectors/cades-t.p7s", ""},
		{"vectors/counter-signed.p7s", ""},
		{"vectors/cades-xlt1.p7s", ""},
		{"vectors/bes-2001.p7s", ""},
		{"corpus/rutoken_detached_2012_256_paramsetB.p7s.pem", "corpus/rutoken_detached.content.bin"},
		{"openssl/cades-t.p7s", ""},
	}
	// Every byte of every file XOR 0xFF by default; GOSTSIG_MUTATION_FULL=1
	// adds XOR 0x01 (a single bit). -short and -race keep the first three
	// files.
	masks := []byte{0xff}
	if os.Getenv("GOSTSIG_MUTATION_FULL") != "" {
		masks = append(masks, 0x01)
	}
	if testing.Short() || raceEnabled {
		files = files[:3]
	}
	anchors = append(anchors, rutokenCA...)
	for _, f := range files {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			orig := readFile(t, f.name)
			opts := &VerifyOptions{}
			if f.content != "" {
				opts.Content = readFile(t, f.content)
			}
			r0, err := Verify(orig, opts)
			if err != nil || !allValid(r0) {
				t.Fatalf("original does not verify: %v", err)
			}
			want := shape(r0)
			var parseErr, failed, chain, dropped int
			for i := range orig {
				for _, m := range masks {
					mut := bytes.Clone(orig)
					mut[i] ^= m
					r, err := verifyNoPanic(t, mut, opts, i)
					switch {
					case err != nil:
						parseErr++
					case !allValid(r):
						failed++
					case chainRejects(r, anchors):
						chain++
					case shape(r) != want && lostEvidence(shape(r), want):
						dropped++
					default:
						t.Errorf("byte %d ^ %#x: mutant accepted (shape %v, original %v)", i, m, shape(r), want)
					}
				}
			}
			t.Logf("%d bytes × %d masks: %d parse errors, %d failed checks, %d caught by the emulated chain check, %d unsigned attributes lost",
				len(orig), len(masks), parseErr, failed, chain, dropped)
		})
	}
}

func verifyNoPanic(t *testing.T, data []byte, opts *VerifyOptions, i int) (r *Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("panic on mutation at byte %d: %v", i, p)
		}
	}()
	return Verify(data, opts)
}

// allValid: every signer and counter-signature valid, every time-stamp
// and reference check passed.
func allValid(r *Result) bool {
	if len(r.Signers) == 0 {
		return false
	}
	var ok func(s *SignerResult) bool
	ok = func(s *SignerResult) bool {
		if !s.Valid() {
			return false
		}
		for _, c := range s.CounterSignatures {
			if !ok(c) {
				return false
			}
		}
		return true
	}
	for _, s := range r.Signers {
		if !ok(s) {
			return false
		}
	}
	return true
}

// resultShape is what a mutation of unsigned bytes could change.
type resultShape struct {
	signers, counters, timestamps, escTimestamps, refs int
	level                                              Level
}

func shape(r *Result) resultShape {
	var s resultShape
	s.signers = len(r.Signers)
	var walk func(x *SignerResult)
	walk = func(x *SignerResult) {
		s.counters += len(x.CounterSignatures)
		s.timestamps += len(x.TimeStamps)
		if lt := x.LongTerm; lt != nil {
			s.escTimestamps += len(lt.EscTimeStamps)
			s.refs += len(lt.CertRefs) + len(lt.CRLRefs) + len(lt.OCSPRefs)
		}
		for _, c := range x.CounterSignatures {
			walk(c)
		}
	}
	for _, x := range r.Signers {
		walk(x)
		if s.level == 0 || x.Level < s.level {
			s.level = x.Level
		}
	}
	return s
}

func (s resultShape) String() string {
	return fmt.Sprintf("{signers %d counters %d ts %d esc %d refs %d %v}", s.signers, s.counters, s.timestamps, s.escTimestamps, s.refs, s.level)
}

// lostEvidence: got has strictly less than want and nothing more.
func lostEvidence(got, want resultShape) bool {
	return got.signers == want.signers && got.counters <= want.counters && got.timestamps <= want.timestamps &&
		got.escTimestamps <= want.escTimestamps && got.refs <= want.refs && got.level <= want.level
}

// chainRejects emulates the chain layer on the certificates this layer
// hands up: a certificate that does not parse, or whose issuer is at hand
// and does not verify its signature, would fail path validation.
func chainRejects(r *Result, anchors []*cert.Certificate) bool {
	if len(r.SignedData.CertificateErrors) > 0 {
		return true
	}
	for _, s := range r.Signers {
		if lt := s.LongTerm; lt != nil && len(lt.Certificates) != len(lt.RawCertificates) {
			return true
		}
	}
	pool := append(append([]*cert.Certificate(nil), r.Certificates...), anchors...)
	for _, c := range r.Certificates {
		for _, is := range pool {
			if bytes.Equal(is.RawSubject, c.RawIssuer) && is.PublicKey != nil {
				if c.CheckSignatureFrom(is) != nil {
					return true
				}
				break
			}
		}
	}
	return false
}
