package cms

import (
	"errors"
	"strings"
	"testing"

	"gostsig.dev/cms/internal/cmstest"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

func TestLimits(t *testing.T) {
	f, err := cmstest.NewFixture()
	if err != nil {
		t.Fatal(err)
	}
	leaf := f.PKI.Leaf
	content := []byte("limits")
	build := func(spec *testkit.SignedDataSpec) []byte {
		t.Helper()
		b, err := testkit.NewSignedData(spec)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	signer := testkit.SignerSpec{Cert: leaf}

	t.Run("signers", func(t *testing.T) {
		signers := make([]testkit.SignerSpec, MaxSignerInfos+1)
		for i := range signers {
			signers[i] = signer
		}
		_, err := Parse(build(&testkit.SignedDataSpec{Content: content, Signers: signers}))
		if !errors.Is(err, ErrLimit) {
			t.Fatalf("%d signers: %v", len(signers), err)
		}
		r, err := Verify(build(&testkit.SignedDataSpec{Content: content, Signers: signers[:4]}), nil)
		if err != nil || len(r.Signers) != 4 {
			t.Fatalf("4 signers: %v", err)
		}
	})

	t.Run("counter-signature depth", func(t *testing.T) {
		nest := func(depth int) testkit.SignerSpec {
			s := signer
			for i := 0; i < depth; i++ {
				s = testkit.SignerSpec{Cert: leaf, CounterSigners: []testkit.SignerSpec{s}}
			}
			return s
		}
		if _, err := Parse(build(&testkit.SignedDataSpec{Content: content, Signers: []testkit.SignerSpec{nest(MaxCounterSignatureDepth)}})); err != nil {
			t.Fatalf("depth %d: %v", MaxCounterSignatureDepth, err)
		}
		_, err := Parse(build(&testkit.SignedDataSpec{Content: content, Signers: []testkit.SignerSpec{nest(MaxCounterSignatureDepth + 1)}}))
		if !errors.Is(err, ErrLimit) {
			t.Fatalf("depth %d: %v", MaxCounterSignatureDepth+1, err)
		}
	})

	t.Run("attributes", func(t *testing.T) {
		s := signer
		for i := 0; i < MaxAttributes; i++ {
			s.ExtraSigned = append(s.ExtraSigned, testkit.Attribute{Type: []int{1, 2, 3, 4, i}, Values: [][]byte{{0x05, 0x00}}})
		}
		_, err := Parse(build(&testkit.SignedDataSpec{Content: content, Signers: []testkit.SignerSpec{s}}))
		if !errors.Is(err, ErrLimit) {
			t.Fatalf("%d signed attributes: %v", len(s.ExtraSigned)+2, err)
		}
		vals := make([][]byte, MaxAttributeValues+1)
		for i := range vals {
			vals[i] = []byte{0x02, 0x01, byte(i)}
		}
		s = signer
		s.Unsigned = []testkit.Attribute{{Type: []int{1, 2, 3}, Values: vals}}
		_, err = Parse(build(&testkit.SignedDataSpec{Content: content, Signers: []testkit.SignerSpec{s}}))
		if !errors.Is(err, ErrLimit) {
			t.Fatalf("%d attribute values: %v", len(vals), err)
		}
	})

	t.Run("certificates", func(t *testing.T) {
		var certs [][]byte
		for i := 0; i < MaxCertificates+1; i++ {
			certs = append(certs, []byte{0x30, 0x03, 0x02, 0x01, byte(i)})
		}
		_, err := Parse(build(&testkit.SignedDataSpec{Content: content, Signers: []testkit.SignerSpec{signer}, Certificates: certs}))
		if !errors.Is(err, ErrLimit) {
			t.Fatalf("%d certificates: %v", len(certs)+1, err)
		}
		// Under the limit, unparseable certificate choices are kept raw
		// with their errors, not fatal.
		sd, err := Parse(build(&testkit.SignedDataSpec{Content: content, Signers: []testkit.SignerSpec{signer}, Certificates: certs[:3]}))
		if err != nil || len(sd.CertificateErrors) != 3 || len(sd.Certificates) != 1 {
			t.Fatalf("garbage certificates: %v %v", err, sd.CertificateErrors)
		}
	})

	t.Run("time-stamps", func(t *testing.T) {
		tok, err := testkit.NewTimeStampToken(&testkit.TimeStampSpec{TSA: f.TSA, GenTime: cmstest.GenTime}, []byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		vals := make([][]byte, MaxTimeStamps+1)
		for i := range vals {
			vals[i] = tok
		}
		s := signer
		s.Unsigned = []testkit.Attribute{{Type: oid.AttrSignatureTimeStamp, Values: vals, Unsorted: true}}
		r, err := Verify(build(&testkit.SignedDataSpec{Content: content, Signers: []testkit.SignerSpec{s}}), nil)
		if err != nil {
			t.Fatal(err)
		}
		c := r.Signers[0].Check(CheckSignatureTimeStamp)
		if c.Status != Indeterminate || len(r.Signers[0].TimeStamps) != MaxTimeStamps {
			t.Fatalf("%d tokens: %v, %d verified", len(vals), c, len(r.Signers[0].TimeStamps))
		}
	})

	t.Run("signature checks", func(t *testing.T) {
		tok, err := testkit.NewTimeStampToken(&testkit.TimeStampSpec{TSA: f.TSA, GenTime: cmstest.GenTime}, []byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		s := signer
		s.Unsigned = []testkit.Attribute{{Type: oid.AttrSignatureTimeStamp, Values: [][]byte{tok, tok, tok, tok, tok, tok, tok}, Unsorted: true}}
		signers := make([]testkit.SignerSpec, 40) // 40 + 40×7 = 320 verifications wanted
		for i := range signers {
			signers[i] = s
		}
		r, err := Verify(build(&testkit.SignedDataSpec{Content: content, Signers: signers}), nil)
		if err != nil {
			t.Fatal(err)
		}
		done, limited := 0, 0
		count := func(c Check) {
			switch {
			case c.Reason == ReasonLimitExceeded:
				limited++
			case c.Status == Passed || c.Status == Failed:
				done++
			}
		}
		for _, sr := range r.Signers {
			count(sr.Check(CheckSignatureValue))
			for _, ts := range sr.TimeStamps {
				count(ts.Signer.Check(CheckSignatureValue))
			}
		}
		if done != MaxSignatureChecks || limited != 320-MaxSignatureChecks {
			t.Fatalf("%d verified, %d over the limit", done, limited)
		}
	})

	t.Run("input size", func(t *testing.T) {
		if testing.Short() {
			t.Skip("allocates MaxInputSize")
		}
		big := make([]byte, MaxInputSize+1)
		big[0] = 0x30
		if _, err := Parse(big); !errors.Is(err, ErrLimit) {
			t.Fatalf("%d bytes: %v", len(big), err)
		}
	})
}

func TestParseErrors(t *testing.T) {
	der := readFile(t, "vectors/bes-256-xcha.p7s")
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"truncated", der[:len(der)-1], "malformed"},
		{"trailing data", append(append([]byte(nil), der...), 0), "malformed"},
		{"enveloped data", []byte{0x30, 0x0f, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x03, 0xa0, 0x02, 0x30, 0x00}, "not a SignedData"},
		{"not ASN.1", []byte{0x30, 0xff}, "malformed ASN.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.in)
			var pe *ParseError
			if !errors.As(err, &pe) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a *ParseError containing %q", err, tt.want)
			}
		})
	}
	// Version rules (RFC 5652 §5.1, §5.3) are enforced: they are covered
	// by no signature.
	sd, _ := Parse(der)
	if sd.Version != 1 || sd.Signers[0].Version != 1 {
		t.Fatalf("versions %d/%d", sd.Version, sd.Signers[0].Version)
	}
	ski := readFile(t, "vectors/ski-signer.p7s")
	sd, err := Parse(ski)
	if err != nil || sd.Version != 3 || sd.Signers[0].Version != 3 {
		t.Fatalf("SKI signer: %v", err)
	}
}
