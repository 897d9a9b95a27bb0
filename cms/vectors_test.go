package cms

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"gostsig.dev/cert"
	"gostsig.dev/cms/internal/cmstest"
	"gostsig.dev/internal/oid"
)

// expectation of one generated vector: the status (and, when not passed,
// the reason) of the named checks of the first signer, its level, and
// whether it is valid as a whole.
type expectation struct {
	valid   bool
	level   Level
	checks  map[CheckName]Status
	reasons map[CheckName]Reason
	// callerCerts supplies signers.pem to Verify.
	callerCerts bool
	check       func(t *testing.T, r *Result)
}

var allPassed = map[CheckName]Status{
	CheckAlgorithm: Passed, CheckSignerCertificate: Passed, CheckContentType: Passed,
	CheckMessageDigest: Passed, CheckSignatureValue: Passed, CheckSigningCertRef: Passed, CheckSigningTime: Passed,
}

func merge(base map[CheckName]Status, over map[CheckName]Status) map[CheckName]Status {
	m := map[CheckName]Status{}
	for k, v := range base {
		m[k] = v
	}
	for k, v := range over {
		m[k] = v
	}
	return m
}

var vectorExpectations = map[string]expectation{
	"bes-256-xcha":        {valid: true, level: LevelBES, checks: allPassed},
	"bes-512":             {valid: true, level: LevelBES, checks: allPassed},
	"bes-2001":            {valid: true, level: LevelBES, checks: allPassed},
	"detached-256":        {valid: true, level: LevelBES, checks: allPassed},
	"noattrs-256":         {valid: true, level: LevelCMS, checks: map[CheckName]Status{CheckSignatureValue: Passed, CheckMessageDigest: NotApplicable, CheckAlgorithm: Passed}},
	"ber-256":             {valid: true, level: LevelBES, checks: allPassed},
	"unsorted-attrs":      {valid: true, level: LevelBES, checks: merge(allPassed, map[CheckName]Status{CheckAlgorithmProtection: Passed})},
	"ski-signer":          {valid: true, level: LevelBES, checks: allPassed},
	"signwithdigest-null": {valid: true, level: LevelBES, checks: allPassed},
	"key-oid-null":        {valid: true, level: LevelBES, checks: allPassed},
	"ess-default-sha256": {valid: true, level: LevelBES, checks: allPassed, check: func(t *testing.T, r *Result) {
		id := r.Signers[0].SigningCertificate.CertIDs[0]
		if !id.HashDefaulted || !id.HashAlgorithm.Equal(oid.SHA256) {
			t.Errorf("ESSCertIDv2 hash %v defaulted=%v", id.HashAlgorithm, id.HashDefaulted)
		}
	}},
	"ess-v1-and-v2": {valid: true, level: LevelBES, checks: allPassed},
	"two-signers": {valid: true, level: LevelBES, checks: allPassed, check: func(t *testing.T, r *Result) {
		if len(r.Signers) != 2 || !r.Signers[1].Valid() {
			t.Errorf("second signer: %s", describe(r))
		}
	}},
	"counter-signed": {valid: true, level: LevelBES, checks: allPassed, check: func(t *testing.T, r *Result) {
		s := r.Signers[0]
		if len(s.CounterSignatures) != 1 || !s.CounterSignatures[0].Valid() ||
			len(s.CounterSignatures[0].CounterSignatures) != 1 || !s.CounterSignatures[0].CounterSignatures[0].Valid() {
			t.Errorf("counter-signatures: %s", describe(r))
		}
		if id := s.CounterSignatures[0].CounterSignatures[0].ID; id != "signer-1/counter-1/counter-1" {
			t.Errorf("nested id %q", id)
		}
		if c := s.CounterSignatures[0].Check(CheckContentType); c.Status != NotApplicable {
			t.Errorf("counter-signature content-type: %v", c)
		}
	}},
	"no-signer-cert": {valid: false, level: LevelBES,
		checks:  map[CheckName]Status{CheckSignerCertificate: Indeterminate, CheckSignatureValue: Indeterminate, CheckMessageDigest: Passed},
		reasons: map[CheckName]Reason{CheckSignerCertificate: ReasonSignerNotFound}},
	"cades-t": {valid: true, level: LevelT, checks: merge(allPassed, map[CheckName]Status{CheckSignatureTimeStamp: Passed}),
		check: func(t *testing.T, r *Result) {
			s := r.Signers[0]
			ts := s.TimeStamps[0]
			if !ts.GenTime().Equal(cmstest.GenTime) || ts.TSA == nil || ts.ImprintInput != "signature-value" ||
				ts.Info.Nonce.Int64() != 0x5eed {
				t.Errorf("time-stamp: %+v", ts)
			}
			if ts.GenTime().After(s.SigningTime) == true {
				t.Errorf("genTime %v after signingTime %v: the vector is meant to have it 1 s before", ts.GenTime(), s.SigningTime)
			}
			if !hasCert(r.Certificates, ts.TSA) {
				t.Error("TSA certificate missing from Result.Certificates")
			}
		}},
	"cades-xlt1": {valid: true, level: LevelXLongType1,
		checks: merge(allPassed, map[CheckName]Status{CheckSignatureTimeStamp: Passed, CheckCompleteRefs: Passed, CheckCAdESCTimeStamp: Passed}),
		check: func(t *testing.T, r *Result) {
			lt := r.Signers[0].LongTerm
			if len(lt.Certificates) != 2 || len(lt.CRLs) != 1 || len(lt.OCSPResponses) != 1 || len(lt.CertRefs) != 2 ||
				len(lt.CRLRefs) != 1 || len(lt.OCSPRefs) != 1 || lt.CRLRefs[0].Issuer == nil || lt.OCSPRefs[0].ResponderName == nil {
				t.Errorf("long-term evidence: %+v", lt)
			}
			if esc := lt.EscTimeStamps[0]; esc.ImprintInput != "attribute-type-and-values" || !esc.GenTime().Equal(cmstest.EscGenTime) {
				t.Errorf("CAdES-C time-stamp: input %q genTime %v", esc.ImprintInput, esc.GenTime())
			}
			if len(r.CRLs) != 1 || len(r.OCSPResponses) != 1 || len(r.Certificates) < 4 {
				t.Errorf("result evidence: %d CRLs, %d OCSP, %d certs", len(r.CRLs), len(r.OCSPResponses), len(r.Certificates))
			}
		}},

	"bad-message-digest": {level: LevelBES, checks: map[CheckName]Status{CheckMessageDigest: Failed, CheckSignatureValue: Passed},
		reasons: map[CheckName]Reason{CheckMessageDigest: ReasonDigestMismatch}},
	"bad-signature": {level: LevelBES, checks: map[CheckName]Status{CheckMessageDigest: Passed, CheckSignatureValue: Failed},
		reasons: map[CheckName]Reason{CheckSignatureValue: ReasonSignatureInvalid}},
	"bad-noattrs-signature": {level: LevelCMS, checks: map[CheckName]Status{CheckSignatureValue: Failed},
		reasons: map[CheckName]Reason{CheckSignatureValue: ReasonSignatureInvalid}},
	"signed-a0-tag": {level: LevelBES, checks: map[CheckName]Status{CheckSignatureValue: Failed},
		reasons: map[CheckName]Reason{CheckSignatureValue: ReasonSignatureInvalid}},
	"content-type-mismatch": {level: LevelBES, checks: map[CheckName]Status{CheckContentType: Failed, CheckSignatureValue: Passed},
		reasons: map[CheckName]Reason{CheckContentType: ReasonContentTypeMismatch}},
	"content-type-missing": {level: LevelBES, checks: map[CheckName]Status{CheckContentType: Failed, CheckSignatureValue: Passed},
		reasons: map[CheckName]Reason{CheckContentType: ReasonMissingAttribute}},
	"message-digest-missing": {level: LevelBES, checks: map[CheckName]Status{CheckMessageDigest: Failed},
		reasons: map[CheckName]Reason{CheckMessageDigest: ReasonMissingAttribute}},
	"ess-wrong-cert": {level: LevelBES, checks: map[CheckName]Status{CheckSigningCertRef: Failed, CheckSignatureValue: Passed},
		reasons: map[CheckName]Reason{CheckSigningCertRef: ReasonSigningCertMismatch}},
	"algprotection-mismatch": {level: LevelBES, checks: map[CheckName]Status{CheckAlgorithmProtection: Failed, CheckSignatureValue: Passed},
		reasons: map[CheckName]Reason{CheckAlgorithmProtection: ReasonAlgorithmProtectionMismatch}},
	"digest-key-mismatch": {level: LevelBES, checks: map[CheckName]Status{CheckAlgorithm: Failed, CheckSignatureValue: Indeterminate},
		reasons: map[CheckName]Reason{CheckAlgorithm: ReasonAlgorithmMismatch}},
	"sha256-digest": {level: LevelBES, checks: map[CheckName]Status{CheckAlgorithm: Indeterminate, CheckSignatureValue: Indeterminate, CheckMessageDigest: Indeterminate},
		reasons: map[CheckName]Reason{CheckAlgorithm: ReasonUnsupportedAlgorithm},
		check: func(t *testing.T, r *Result) {
			if c := r.Signers[0].Check(CheckAlgorithm); !c.OID.Equal(oid.SHA256) {
				t.Errorf("unsupported OID %v, want SHA-256", c.OID)
			}
		}},
	"ts-bad-imprint": {level: LevelT, checks: merge(allPassed, map[CheckName]Status{CheckSignatureTimeStamp: Failed}),
		reasons: map[CheckName]Reason{CheckSignatureTimeStamp: ReasonImprintMismatch}},
	"ts-bad-signature": {level: LevelT, checks: merge(allPassed, map[CheckName]Status{CheckSignatureTimeStamp: Failed}),
		reasons: map[CheckName]Reason{CheckSignatureTimeStamp: ReasonTimeStampInvalid}},
}

func hasCert(list []*cert.Certificate, c *cert.Certificate) bool {
	for _, x := range list {
		if bytes.Equal(x.Raw, c.Raw) {
			return true
		}
	}
	return false
}

var (
	vectorsOnce sync.Once
	vectorsGen  []cmstest.Vector
	vectorsErr  error
)

func generated(t testing.TB) []cmstest.Vector {
	t.Helper()
	vectorsOnce.Do(func() { vectorsGen, _, vectorsErr = cmstest.Vectors() })
	if vectorsErr != nil {
		t.Fatal(vectorsErr)
	}
	return vectorsGen
}

// TestVectorsReproducible: the committed vectors are the generator's
// output (regenerate with go run ./testdata/generate.go).
func TestVectorsReproducible(t *testing.T) {
	for _, v := range generated(t) {
		got, err := os.ReadFile(filepath.Join("testdata", "vectors", v.Name+".p7s"))
		if err != nil {
			t.Fatalf("%s: %v (run go run ./testdata/generate.go)", v.Name, err)
		}
		if !bytes.Equal(got, v.Sig) {
			t.Errorf("%s: committed file differs from the generator output (run go run ./testdata/generate.go)", v.Name)
		}
	}
}

func TestVectors(t *testing.T) {
	signers, err := cert.ParseAll(readFile(t, "vectors/signers.pem"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, v := range generated(t) {
		seen[v.Name] = true
		exp, ok := vectorExpectations[v.Name]
		if !ok {
			t.Errorf("vector %s has no expectation", v.Name)
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			data := readFile(t, filepath.Join("vectors", v.Name+".p7s"))
			opts := &VerifyOptions{}
			if v.Content != nil {
				opts.Content = readFile(t, filepath.Join("vectors", v.Name+".content"))
			}
			if exp.callerCerts {
				opts.Certificates = signers
			}
			r, err := Verify(data, opts)
			if err != nil {
				t.Fatal(err)
			}
			s := r.Signers[0]
			if s.Valid() != exp.valid {
				t.Errorf("Valid() = %v, want %v", s.Valid(), exp.valid)
			}
			if s.Level != exp.level {
				t.Errorf("level %v, want %v", s.Level, exp.level)
			}
			wantChecks(t, s, exp.checks)
			for n, reason := range exp.reasons {
				if got := s.Check(n).Reason; got != reason {
					t.Errorf("%s reason %v, want %v", n, got, reason)
				}
			}
			if !exp.valid && s.FirstProblem() == nil {
				t.Error("invalid vector without a failed or indeterminate check")
			}
			if exp.check != nil {
				exp.check(t, r)
			}
			if t.Failed() {
				t.Log(describe(r))
			}
		})
	}
	for name := range vectorExpectations {
		if !seen[name] {
			t.Errorf("expectation for unknown vector %s", name)
		}
	}
}

// TestNoSignerCertSuppliedByCaller: the caller's certificates complete a
// signature that does not carry its signer.
func TestNoSignerCertSuppliedByCaller(t *testing.T) {
	signers, err := cert.ParseAll(readFile(t, "vectors/signers.pem"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Verify(readFile(t, "vectors/no-signer-cert.p7s"), &VerifyOptions{Certificates: signers})
	if err != nil {
		t.Fatal(err)
	}
	s := r.Signers[0]
	if !s.Valid() || s.SignerFromMessage {
		t.Fatalf("valid=%v fromMessage=%v\n%s", s.Valid(), s.SignerFromMessage, describe(r))
	}
}
