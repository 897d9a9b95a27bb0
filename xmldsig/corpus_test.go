package xmldsig

import (
	"bufio"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The expectations of the corpus come from verify-results.jsonl, the
// independent verifier's verdict on each file (see testdata/smev/SOURCES.md).
type oracleLine struct {
	File       string
	Signatures []struct {
		Parent    string
		Sigmethod string
		Refs      []struct{ Digest string }
		Signature string
	}
}

func loadOracle(t *testing.T) map[string]oracleLine {
	f, err := os.Open("testdata/smev/verify-results.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]oracleLine{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var l oracleLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatal(err)
		}
		out[l.File] = l
	}
	return out
}

func verifyFile(t *testing.T, path string, opt *Options) *Result {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Verify(b, opt)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return res
}

// TestCorpusValid: all 34 valid real signatures in 29 messages verify, each
// named by its container as the oracle names it.
func TestCorpusValid(t *testing.T) {
	oracle := loadOracle(t)
	files, _ := filepath.Glob("testdata/smev/smev*/*.xml")
	if len(files) != 29 {
		t.Fatalf("%d valid samples, want 29", len(files))
	}
	total := 0
	for _, f := range files {
		rel := strings.TrimPrefix(f, "testdata/smev/")
		t.Run(rel, func(t *testing.T) {
			res := verifyFile(t, f, nil)
			want := oracle[rel]
			if len(res.Signatures) != len(want.Signatures) {
				t.Fatalf("%d signatures, oracle has %d", len(res.Signatures), len(want.Signatures))
			}
			for i, s := range res.Signatures {
				total++
				for _, c := range s.Checks {
					if c.Status != StatusPassed {
						t.Errorf("%s: %s %s: %s", s.Name, c.Name, c.Status, c.Detail)
					}
				}
				if !s.Passed() {
					t.Errorf("%s did not pass", s.Name)
				}
				wantName := want.Signatures[i].Parent
				if wantName == "Security" {
					wantName = "wsse:Security"
				}
				if s.Name != wantName || s.SignatureMethod != want.Signatures[i].Sigmethod {
					t.Errorf("signature %d: %s %s, oracle %s %s", i, s.Name, s.SignatureMethod, wantName, want.Signatures[i].Sigmethod)
				}
				if s.Certificate == nil {
					t.Errorf("%s: no certificate", s.Name)
				}
			}
			wantProfile := "smev3"
			if strings.HasPrefix(rel, "smev2") {
				wantProfile = "smev2"
			}
			if res.Profile != wantProfile {
				t.Errorf("profile %s, want %s", res.Profile, wantProfile)
			}
		})
	}
	if total != 34 {
		t.Errorf("%d signatures verified, want 34", total)
	}
}

// TestCorpusNegative: the 5 negative samples fail for the documented reason.
func TestCorpusNegative(t *testing.T) {
	type want struct {
		digest, sig Status
		digestErr   error
		sigErr      error
	}
	pretty := want{StatusPassed, StatusFailed, nil, ErrSignatureInvalid}
	for _, tt := range []struct {
		file string
		n    int
		want want
	}{
		{"roland_EBBS_SendRequestResponseOK_prettyprinted.xml", 1, pretty},
		{"roland_EBBS_GetRequestResponsePersonalSignature_prettyprinted.xml", 3, pretty},
		{"burcev_SendRequestResponce_prettyprinted.xml", 1, pretty},
		{"roland_xml4test_removedMessage_digestmismatch.xml", 1, want{StatusFailed, StatusPassed, ErrDigestMismatch, nil}},
		// MTOM without its parts: not a mismatch but "XOP part missing".
		{"gosha_GetRequestResponse_MTOM_xopInclude.xml", 1, want{StatusIndeterminate, StatusPassed, ErrXOPPartMissing, nil}},
	} {
		t.Run(tt.file, func(t *testing.T) {
			res := verifyFile(t, "testdata/smev/negative/"+tt.file, nil)
			if len(res.Signatures) != tt.n {
				t.Fatalf("%d signatures, want %d", len(res.Signatures), tt.n)
			}
			for _, s := range res.Signatures {
				d, sv := s.Check(CheckReferenceDigest), s.Check(CheckSignatureValue)
				if d.Status != tt.want.digest || sv.Status != tt.want.sig {
					t.Errorf("%s: digest %s (%s), signature %s (%s)", s.Name, d.Status, d.Detail, sv.Status, sv.Detail)
				}
				if tt.want.digestErr != nil && !errors.Is(d.Err, tt.want.digestErr) {
					t.Errorf("%s: digest error %v", s.Name, d.Err)
				}
				if tt.want.sigErr != nil && !errors.Is(sv.Err, tt.want.sigErr) {
					t.Errorf("%s: signature error %v", s.Name, sv.Err)
				}
				if s.Passed() {
					t.Errorf("%s passed", s.Name)
				}
			}
		})
	}
}
