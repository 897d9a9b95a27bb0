package gostsig

import (
	"encoding/asn1"
	"slices"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/internal/oid"
)

func attr(t asn1.ObjectIdentifier, tag int, v string) cert.Attribute {
	return cert.Attribute{Type: t, Tag: tag, Value: v}
}

func qualifiedFacts() *sigFacts {
	f := goodFacts()
	s := f.signer
	s.SubjectSignTool = `СКЗИ "КриптоПро CSP" (версия 5.0)`
	s.IssuerSignTool = []string{"a", "b", "c", "d"}
	s.Policies = []asn1.ObjectIdentifier{oid.PolicyKC1, oid.PolicyKC2}
	s.IdentificationKind = 0
	s.KeyUsageValid, s.KeyUsage = true, cert.KeyUsageDigitalSignature|cert.KeyUsageContentCommitment
	s.Subject.Attributes = append(s.Subject.Attributes,
		attr(oid.SNILS, 18, "11223344595"), attr(oid.INN, 18, "500100732259"))
	f.anchorIsGUC = true
	return f
}

func reasonCodes(s Signature) []string {
	var out []string
	for _, r := range s.QualifiedReasons {
		out = append(out, r.Code)
	}
	return out
}

func TestQualified(t *testing.T) {
	tests := []struct {
		name string
		mod  func(f *sigFacts)
		want []string // reason codes; nil = qualified
	}{
		{"natural person", func(f *sigFacts) {}, nil},
		{"legal entity", func(f *sigFacts) {
			f.signer.Subject.Attributes = append(f.signer.Subject.Attributes,
				attr(oid.OGRN, 18, "1047707030513"), attr(oid.INNLE, 18, "7707329152"))
		}, nil},
		{"legal entity, old 00+INN", func(f *sigFacts) {
			f.signer.Subject.Attributes = []cert.Attribute{attr(oid.OGRN, 18, "1047702026701"), attr(oid.INN, 18, "007710474375")}
		}, nil},
		{"legal entity without INNLE", func(f *sigFacts) {
			f.signer.Subject.Attributes = []cert.Attribute{attr(oid.OGRN, 18, "1047702026701")}
		}, []string{"owner-id-missing"}},
		{"INNLE as UTF8String (OpenSSL 3.0)", func(f *sigFacts) {
			f.signer.Subject.Attributes = append(f.signer.Subject.Attributes,
				attr(oid.OGRN, 18, "1047707030513"), attr(oid.INNLE, 12, "7707329152"))
		}, []string{"owner-id-type"}},
		{"bad SNILS check digits", func(f *sigFacts) {
			f.signer.Subject.Attributes[1].Value = "11223344596"
		}, []string{"owner-id-checksum"}},
		{"entrepreneur", func(f *sigFacts) {
			f.signer.Subject.Attributes = append(f.signer.Subject.Attributes, attr(oid.OGRNIP, 18, "304500116000157"))
		}, nil},
		{"person without SNILS", func(f *sigFacts) {
			f.signer.Subject.Attributes = slices.Delete(f.signer.Subject.Attributes, 1, 2)
		}, []string{"owner-id-missing"}},
		{"no sign tools", func(f *sigFacts) { f.signer.SubjectSignTool = ""; f.signer.IssuerSignTool = nil },
			[]string{"no-subject-sign-tool", "no-issuer-sign-tool"}},
		{"KB policy only", func(f *sigFacts) { f.signer.Policies = []asn1.ObjectIdentifier{oid.PolicyKB1} }, []string{"no-kc-policy"}},
		{"identificationKind missing, issued 2025", func(f *sigFacts) { f.signer.IdentificationKind = -1 }, []string{"no-identification-kind"}},
		{"identificationKind missing, issued 2020", func(f *sigFacts) {
			f.signer.IdentificationKind = -1
			f.signer.NotBefore = time.Date(2020, 5, 1, 0, 0, 0, 0, time.UTC)
		}, nil},
		{"not a ГУЦ root", func(f *sigFacts) { f.anchorIsGUC = false }, []string{"not-guc-root"}},
		{"not accredited", func(f *sigFacts) { f.accreditationChecked, f.accredited = true, false }, []string{"not-accredited"}},
		{"invalid signature", func(f *sigFacts) { f.sigValueOK = false }, []string{"not-valid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := qualifiedFacts()
			tt.mod(f)
			s := DefaultPolicy().evaluate(f, tVal, nil)
			got := reasonCodes(s)
			if tt.want == nil {
				if !s.Qualified {
					t.Errorf("not qualified: %v", s.QualifiedReasons)
				}
				return
			}
			if s.Qualified || !slices.Equal(got, tt.want) {
				t.Errorf("qualified=%v reasons %v, want %v", s.Qualified, got, tt.want)
			}
		})
	}
}
