package testkit

import (
	"bytes"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
)

// TestOpenSSLVerifiesSignedData checks that openssl cms -verify (gost
// engine) accepts the SignedData variants testkit makes, and rejects the
// corrupted ones.
func TestOpenSSLVerifiesSignedData(t *testing.T) {
	o := NeedOpenSSL(t)
	p := MustPKI("cms-interop")
	leaf512, err := p.NewLeaf("cms-interop/512", gost3410.GOST2012_512, oid.TC26_512B, nil)
	if err != nil {
		t.Fatal(err)
	}
	leafB, err := p.NewLeaf("cms-interop/B", gost3410.GOST2012_256, oid.TC26_256B, nil)
	if err != nil {
		t.Fatal(err)
	}
	content := []byte("Тестовый документ для подписи.\n")
	root := o.WriteFile(t, "root.pem", PEM("CERTIFICATE", p.Root.DER))
	data := o.WriteFile(t, "data.txt", content)
	at := fmt.Sprint(RefTime.Unix())
	st := RefTime.Add(-time.Hour)
	base := SignerSpec{Cert: p.Leaf, SigningTime: st, SigningCertV2: true, SigningCertHashOID: oid.Streebog256}
	with := func(f func(*SignerSpec)) SignerSpec { s := base; f(&s); return s }
	cases := []struct {
		name     string
		spec     SignedDataSpec
		detached bool
		wantOK   bool
	}{
		{"attached", SignedDataSpec{Content: content, Signers: []SignerSpec{base}}, false, true},
		{"detached", SignedDataSpec{Content: content, Detached: true, Signers: []SignerSpec{base}}, true, true},
		{"no signed attrs", SignedDataSpec{Content: content, Signers: []SignerSpec{with(func(s *SignerSpec) { s.NoSignedAttrs = true })}}, false, true},
		{"BER", SignedDataSpec{Content: bytes.Repeat(content, 100), BER: true, BERChunk: 512, Signers: []SignerSpec{base}}, false, true},
		{"unsorted attrs", SignedDataSpec{Content: content, Signers: []SignerSpec{with(func(s *SignerSpec) { s.Unsorted = true; s.CMSAlgorithmProtection = true })}}, false, true},
		{"SKI signer", SignedDataSpec{Content: content, Signers: []SignerSpec{with(func(s *SignerSpec) { s.UseSKI = true })}}, false, true},
		{"NULL params, signwithdigest", SignedDataSpec{Content: content, Signers: []SignerSpec{with(func(s *SignerSpec) {
			s.DigestParams, s.SignatureParams, s.SignatureOID = ParamsNULL, ParamsAbsent, oid.Gost2012SignWith256
		})}}, false, true},
		{"512", SignedDataSpec{Content: content, Signers: []SignerSpec{{Cert: leaf512, SigningTime: st}}}, false, true},
		{"two signers", SignedDataSpec{Content: content, Signers: []SignerSpec{base, {Cert: leafB, SigningTime: st}}}, false, true},
		{"counter-signed", SignedDataSpec{Content: content, Signers: []SignerSpec{with(func(s *SignerSpec) {
			s.CounterSigners = []SignerSpec{{Cert: leafB, SigningTime: st}}
		})}}, false, true},
		{"wrong messageDigest", SignedDataSpec{Content: content, Signers: []SignerSpec{with(func(s *SignerSpec) { s.MessageDigest = make([]byte, 32) })}}, false, false},
		{"corrupt signature", SignedDataSpec{Content: content, Signers: []SignerSpec{with(func(s *SignerSpec) { s.CorruptSignature = true })}}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// openssl 3.0 cms -verify ignores -certfile for path
			// building: embed the intermediate, as producers do.
			tc.spec.Certificates = append(tc.spec.Certificates, p.CA.DER)
			der, err := NewSignedData(&tc.spec)
			if err != nil {
				t.Fatal(err)
			}
			f := o.WriteFile(t, strings.ReplaceAll(tc.name, " ", "_")+".p7s", der)
			args := []string{"cms", "-verify", "-binary", "-inform", "DER", "-in", f, "-CAfile", root,
				"-purpose", "any", "-attime", at, "-out", "/dev/null"}
			if tc.detached {
				args = append(args, "-content", data)
			}
			out, err := o.Run(args...)
			if ok := err == nil; ok != tc.wantOK {
				t.Fatalf("openssl cms -verify ok=%v, want %v:\n%s", ok, tc.wantOK, out)
			}
		})
	}
}

func TestOpenSSLVerifiesCRLTimeStampOCSP(t *testing.T) {
	o := NeedOpenSSL(t)
	p := MustPKI("crl-interop")
	ca := o.WriteFile(t, "ca.pem", PEM("CERTIFICATE", p.CA.DER))
	chain := o.WriteFile(t, "chain.pem", PEM("CERTIFICATE", p.CA.DER, p.Root.DER))

	t.Run("CRL", func(t *testing.T) {
		crl, err := NewCRL(&CRLTemplate{ThisUpdate: RefTime, NextUpdate: RefTime.Add(7 * 24 * time.Hour),
			Number: big.NewInt(4096), IDP: &IssuingDistributionPoint{FullName: []string{"http://ca.test/ca.crl"}, OnlyUserCerts: true},
			FreshestCRL: []string{"http://ca.test/delta.crl"},
			Entries: []CRLEntry{
				{Serial: p.Leaf.SerialInt(), RevokedAt: RefTime.Add(-time.Hour), Reason: ReasonKeyCompromise, HasReason: true, InvalidityDate: RefTime.Add(-2 * time.Hour)},
				{Serial: big.NewInt(-5), RevokedAt: RefTime.Add(-time.Hour), Reason: ReasonCertificateHold, HasReason: true, HoldInstruction: []int{1, 2, 840, 10040, 2, 2}},
				{Serial: big.NewInt(7), RevokedAt: RefTime},
			}}, p.CA)
		if err != nil {
			t.Fatal(err)
		}
		f := o.WriteFile(t, "ca.crl", crl)
		out, err := o.Run("crl", "-inform", "DER", "-in", f, "-CAfile", ca, "-noout", "-text")
		if err != nil || !strings.Contains(string(out), "verify OK") || !strings.Contains(string(out), "Key Compromise") {
			t.Fatalf("openssl crl: %v\n%s", err, out)
		}
		bad, _ := NewCRL(&CRLTemplate{ThisUpdate: RefTime, CorruptSignature: true}, p.CA)
		f = o.WriteFile(t, "bad.crl", bad)
		if out, err := o.Run("crl", "-inform", "DER", "-in", f, "-CAfile", ca, "-noout"); err == nil && strings.Contains(string(out), "verify OK") {
			t.Fatalf("openssl accepted a corrupted CRL:\n%s", out)
		}
	})

	t.Run("time-stamp token", func(t *testing.T) {
		tsa, err := p.NewTSA("crl-interop/tsa")
		if err != nil {
			t.Fatal(err)
		}
		data := []byte("signature value octets")
		tok, err := NewTimeStampToken(&TimeStampSpec{TSA: tsa, GenTime: RefTime, ESSv1: true, Nonce: big.NewInt(42),
			AccuracySeconds: 1, Certificates: [][]byte{p.CA.DER}}, data)
		if err != nil {
			t.Fatal(err)
		}
		tokF := o.WriteFile(t, "tok.der", tok)
		dataF := o.WriteFile(t, "data.bin", data)
		root := o.WriteFile(t, "root.pem", PEM("CERTIFICATE", p.Root.DER))
		out, err := o.Run("ts", "-verify", "-token_in", "-in", tokF, "-data", dataF, "-CAfile", root, "-untrusted", chain,
			"-attime", fmt.Sprint(RefTime.Unix()))
		if err != nil || !strings.Contains(string(out), "Verification: OK") {
			t.Fatalf("openssl ts -verify: %v\n%s", err, out)
		}
		other := o.WriteFile(t, "other.bin", []byte("other"))
		if out, err := o.Run("ts", "-verify", "-token_in", "-in", tokF, "-data", other, "-CAfile", root, "-untrusted", chain,
			"-attime", fmt.Sprint(RefTime.Unix())); err == nil {
			t.Fatalf("openssl ts accepted a token over other data:\n%s", out)
		}
	})

	t.Run("OCSP", func(t *testing.T) {
		k := MustKey(gost3410.GOST2012_256, oid.CryptoProA, "crl-interop/ocsp")
		resp, err := NewCertificate(OCSPResponderTemplate(k, CommonName("Тестовый OCSP"), LeafNotBefore, LeafNotAfter), p.CA)
		if err != nil {
			t.Fatal(err)
		}
		for _, byKey := range []bool{false, true} {
			basic, err := NewBasicOCSPResponse(&OCSPSpec{Responder: resp, ByKey: byKey, ProducedAt: RefTime, Nonce: []byte{1, 2, 3},
				Responses: []OCSPSingle{
					{Cert: p.Leaf, Status: OCSPRevoked, RevokedAt: RefTime.Add(-time.Hour), Reason: ReasonKeyCompromise, ThisUpdate: RefTime, NextUpdate: RefTime.Add(time.Hour)},
					{Cert: resp, Status: OCSPGood, ThisUpdate: RefTime, Reason: -1},
				}})
			if err != nil {
				t.Fatal(err)
			}
			f := o.WriteFile(t, "resp.der", OCSPResponse(basic))
			root := o.WriteFile(t, "root.pem", PEM("CERTIFICATE", p.Root.DER))
			out, err := o.Run("ocsp", "-respin", f, "-CAfile", root, "-verify_other", chain, "-attime", fmt.Sprint(RefTime.Unix()), "-resp_text")
			if err != nil || !strings.Contains(string(out), "Response verify OK") || !strings.Contains(strings.ToLower(string(out)), "cert status: revoked") {
				t.Fatalf("openssl ocsp (byKey=%v): %v\n%s", byKey, err, out)
			}
		}
	})
}
