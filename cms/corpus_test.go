package cms

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gostsig.dev/cert"
	"gostsig.dev/internal/oid"
)

func readFile(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// describe lists the checks of a result compactly for failure messages.
func describe(r *Result) string {
	var sb strings.Builder
	var walk func(s *SignerResult, indent string)
	walk = func(s *SignerResult, indent string) {
		sb.WriteString(indent + s.ID + ":\n")
		for _, c := range s.Checks {
			sb.WriteString(indent + "  " + c.String() + "\n")
		}
		for _, ts := range s.TimeStamps {
			sb.WriteString(indent + "  timestamp: " + ts.Status.String() + " " + ts.Detail + "\n")
		}
		for _, cs := range s.CounterSignatures {
			walk(cs, indent+"  ")
		}
	}
	for _, s := range r.Signers {
		walk(s, "")
	}
	return sb.String()
}

// wantChecks asserts the status of named checks.
func wantChecks(t *testing.T, r *SignerResult, want map[CheckName]Status) {
	t.Helper()
	for n, st := range want {
		if got := r.Check(n); got.Status != st {
			t.Errorf("%s: %s = %v (%v %s), want %v", r.ID, n, got.Status, got.Reason, got.Detail, st)
		}
	}
}

func TestCorpus(t *testing.T) {
	tests := []struct {
		name    string
		file    string
		content string // detached content file
		certs   []string
		enc     Encoding
		level   Level
		want    map[CheckName]Status
		check   func(t *testing.T, r *Result)
	}{
		{
			name: "ФНС CAdES-BES (BER)", file: "corpus/fns_cades_bes.p7s", enc: EncodingBER, level: LevelBES,
			want: map[CheckName]Status{CheckAlgorithm: Passed, CheckSignerCertificate: Passed, CheckContentType: Passed,
				CheckMessageDigest: Passed, CheckSignatureValue: Passed, CheckSigningCertRef: Passed, CheckSigningTime: Passed},
			check: func(t *testing.T, r *Result) {
				s := r.Signers[0]
				if got := s.SigningTime.UTC().Format("2006-01-02"); got != "2025-06-23" {
					t.Errorf("signingTime %v", s.SigningTime)
				}
				if !s.SignerFromMessage || s.Style != StyleKeyOID || !s.SigningCertificate.V2 ||
					!s.SigningCertificate.CertIDs[0].HashAlgorithm.Equal(oid.Streebog256) {
					t.Errorf("signer details: %+v %+v", s, s.SigningCertificate)
				}
				if string(r.SignedData.Content) != string(readFile(t, "corpus/fns_cades_bes.txt")) {
					t.Errorf("content %q", r.SignedData.Content)
				}
			},
		},
		{
			name: "TC26 a111 (512, signed attrs)", file: "corpus/signed_a111.pem", enc: EncodingPEM, level: LevelCMS,
			want: map[CheckName]Status{CheckAlgorithm: Passed, CheckSignerCertificate: Passed, CheckContentType: Passed,
				CheckMessageDigest: Passed, CheckSignatureValue: Passed, CheckSigningCertRef: NotApplicable},
		},
		{
			name: "TC26 a121 (256, no signed attrs)", file: "corpus/signed_a121.pem", enc: EncodingPEM, level: LevelCMS,
			want: map[CheckName]Status{CheckAlgorithm: Passed, CheckSignerCertificate: Passed,
				CheckMessageDigest: NotApplicable, CheckSignatureValue: Passed},
		},
		{
			name: "Rutoken detached with content", file: "corpus/rutoken_detached_2012_256_paramsetB.p7s.pem",
			content: "corpus/rutoken_detached.content.bin", enc: EncodingPEM, level: LevelCMS,
			want: map[CheckName]Status{CheckAlgorithm: Passed, CheckSignerCertificate: Passed, CheckContentType: Passed,
				CheckMessageDigest: Passed, CheckSignatureValue: Passed, CheckAlgorithmProtection: Passed},
		},
		{
			name: "OpenSSL CAdES-T (openssl ts GOST TSA)", file: "openssl/cades-t.p7s", enc: EncodingDER, level: LevelT,
			want: map[CheckName]Status{CheckAlgorithm: Passed, CheckSignerCertificate: Passed, CheckContentType: Passed,
				CheckMessageDigest: Passed, CheckSignatureValue: Passed, CheckSigningCertRef: Passed, CheckSignatureTimeStamp: Passed},
			check: func(t *testing.T, r *Result) {
				ts := r.Signers[0].TimeStamps[0]
				if ts.TSA == nil || ts.TSA.Subject.CommonName() != "Тестовая служба штампов времени" || ts.Info.GenTime.IsZero() {
					t.Errorf("token: %+v", ts)
				}
			},
		},
		{
			name: "Rutoken detached without content", file: "corpus/rutoken_detached_2012_256_paramsetB.p7s.pem",
			enc: EncodingPEM, level: LevelCMS,
			want: map[CheckName]Status{CheckMessageDigest: Indeterminate, CheckSignatureValue: Passed},
			check: func(t *testing.T, r *Result) {
				if c := r.Signers[0].Check(CheckMessageDigest); c.Reason != ReasonContentMissing {
					t.Errorf("reason %v", c.Reason)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sd, err := Parse(readFile(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if sd.Encoding != tt.enc {
				t.Errorf("encoding %v, want %v", sd.Encoding, tt.enc)
			}
			opts := &VerifyOptions{}
			if tt.content != "" {
				opts.Content = readFile(t, tt.content)
			}
			for _, c := range tt.certs {
				cs, err := cert.ParseAll(readFile(t, c))
				if err != nil {
					t.Fatal(err)
				}
				opts.Certificates = append(opts.Certificates, cs...)
			}
			r, err := sd.Verify(opts)
			if err != nil {
				t.Fatal(err)
			}
			if len(r.Signers) != 1 {
				t.Fatalf("%d signers", len(r.Signers))
			}
			s := r.Signers[0]
			wantChecks(t, s, tt.want)
			if s.Level != tt.level {
				t.Errorf("level %v, want %v", s.Level, tt.level)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
			if t.Failed() {
				t.Log(describe(r))
			}
		})
	}
}
