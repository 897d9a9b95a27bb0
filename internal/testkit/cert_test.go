package testkit

import (
	"encoding/asn1"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
)

func TestPKIParsesAndVerifies(t *testing.T) {
	p := MustPKI("testkit")
	for _, c := range []struct {
		name        string
		c, issuer   *Certificate
		wantCA      bool
		wantPathLen int
	}{
		{"root", p.Root, p.Root, true, -1},
		{"ca", p.CA, p.Root, true, 0},
		{"leaf", p.Leaf, p.CA, false, -1},
	} {
		t.Run(c.name, func(t *testing.T) {
			pc, err := cert.Parse(c.c.DER)
			if err != nil {
				t.Fatalf("cert.Parse: %v", err)
			}
			ic, err := cert.Parse(c.issuer.DER)
			if err != nil {
				t.Fatal(err)
			}
			if err := cert.VerifySignature(pc.SignatureAlgorithm, ic.PublicKey, pc.RawTBSCertificate, pc.Signature); err != nil {
				t.Fatalf("signature: %v", err)
			}
			if pc.IsCA != c.wantCA || pc.MaxPathLen != c.wantPathLen {
				t.Fatalf("IsCA=%v MaxPathLen=%d, want %v %d", pc.IsCA, pc.MaxPathLen, c.wantCA, c.wantPathLen)
			}
			if string(pc.SubjectKeyID) != string(c.c.SKI) || string(pc.AuthorityKeyID) != string(c.issuer.SKI) {
				t.Fatal("SKI/AKI mismatch")
			}
			if pc.SerialNumber.Cmp(c.c.SerialInt()) != 0 || string(pc.RawIssuer) != string(c.c.Issuer) {
				t.Fatal("serial/issuer mismatch")
			}
		})
	}
	lc, _ := cert.Parse(p.Leaf.DER)
	if lc.IdentificationKind != 0 || lc.SubjectSignTool != TestSubjectSignTool || len(lc.IssuerSignTool) != 4 ||
		len(lc.Policies) != 2 || lc.PrivateKeyUsage.NotAfter.IsZero() || len(lc.OCSPServer) != 1 ||
		len(lc.IssuingCertificateURL) != 1 || len(lc.CRLDistributionPoints) != 1 {
		t.Fatalf("leaf profile not parsed back: %+v", lc)
	}
}

func TestCertificateKnobs(t *testing.T) {
	p := MustPKI("knobs")
	kind := 2
	for _, tc := range []struct {
		name  string
		edit  func(*CertTemplate)
		check func(*cert.Certificate) error
	}{
		{"negative serial", func(c *CertTemplate) { c.Serial = big.NewInt(-12345) }, func(c *cert.Certificate) error {
			if c.SerialNumber.Int64() != -12345 {
				return fmt.Errorf("serial %v", c.SerialNumber)
			}
			return nil
		}},
		{"long serial", func(c *CertTemplate) { c.RawSerial = []byte(strings.Repeat("\x4e", 40)) }, func(c *cert.Certificate) error {
			if len(c.RawSerial) != 40 {
				return fmt.Errorf("raw serial %x", c.RawSerial)
			}
			return nil
		}},
		{"INNLE UTF8String", func(c *CertTemplate) {
			c.Subject = c.Subject.WithTag(oid.INNLE, "7700000016", UTF8String)
		}, func(c *cert.Certificate) error { return nil }},
		{"old AKI with issuer+serial", func(c *CertTemplate) { c.OldAuthorityKeyID = true; c.AKIIssuerSerial = true },
			func(c *cert.Certificate) error {
				if c.AuthorityCertSerial == nil || len(c.AuthorityKeyID) == 0 {
					return fmt.Errorf("old AKI not parsed")
				}
				return nil
			}},
		{"v1", func(c *CertTemplate) { c.Version = 1 }, func(c *cert.Certificate) error {
			if c.Version != 1 || len(c.Extensions) != 0 {
				return fmt.Errorf("version %d, %d extensions", c.Version, len(c.Extensions))
			}
			return nil
		}},
		{"identificationKind 2, NULL sig params, key OID as sig", func(c *CertTemplate) {
			c.IdentificationKind = &kind
			c.SignatureParams = ParamsNULL
		}, func(c *cert.Certificate) error {
			if c.IdentificationKind != 2 || c.SignatureAlgorithmParams == nil {
				return fmt.Errorf("kind %d params %x", c.IdentificationKind, c.SignatureAlgorithmParams)
			}
			return nil
		}},
		{"extra extension", func(c *CertTemplate) {
			c.ExtraExtensions = []Extension{{ID: asn1.ObjectIdentifier{1, 2, 3, 4}, Critical: true, Value: []byte{5, 0}}}
		}, func(c *cert.Certificate) error {
			if len(c.UnhandledCriticalExtensions) != 1 {
				return fmt.Errorf("unhandled %v", c.UnhandledCriticalExtensions)
			}
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			leaf, err := p.NewLeaf("knob/"+tc.name, gost3410.GOST2012_256, oid.TC26_256B, tc.edit)
			if err != nil {
				t.Fatal(err)
			}
			pc, err := cert.Parse(leaf.DER)
			if err != nil {
				t.Fatalf("cert.Parse: %v", err)
			}
			ca, _ := cert.Parse(p.CA.DER)
			if err := pc.CheckSignatureFrom(ca); err != nil {
				t.Fatalf("signature: %v", err)
			}
			if err := tc.check(pc); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestPKCS8RoundTripTC26Key(t *testing.T) {
	// The published TC26 sender256 key must give the public key of
	// sender256_cert.pem (testdata/tc26, see its SOURCES.md).
	keyPEM, err1 := os.ReadFile(filepath.Join("testdata", "tc26", "sender256_key.pem"))
	certPEM, err2 := os.ReadFile(filepath.Join("testdata", "tc26", "sender256_cert.pem"))
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	k, err := ParsePKCS8(pemBytes(t, keyPEM))
	if err != nil {
		t.Fatal(err)
	}
	c, err := cert.ParseAll(certPEM)
	if err != nil {
		t.Fatal(err)
	}
	if !c[0].PublicKey.Equal(k.Public()) {
		t.Fatal("TC26 key does not match its certificate")
	}
	k2, err := ParsePKCS8(k.PKCS8())
	if err != nil || k2.D.Cmp(k.D) != 0 {
		t.Fatalf("PKCS8 round trip: %v", err)
	}
}

func TestOpenSSLVerifiesCertificates(t *testing.T) {
	o := NeedOpenSSL(t)
	p := MustPKI("openssl")
	leaves := []*Certificate{p.Leaf}
	for i, c := range allCurves {
		if testing.Short() && i > 1 {
			break
		}
		if c.alg == gost3410.GOST2001 {
			continue // gost-engine verifies 2001 too, but one 2001 leaf is enough below
		}
		l, err := p.NewLeaf("ossl/"+c.name, c.alg, c.set, nil)
		if err != nil {
			t.Fatal(err)
		}
		leaves = append(leaves, l)
	}
	root := o.WriteFile(t, "root.pem", PEM("CERTIFICATE", p.Root.DER))
	ca := o.WriteFile(t, "ca.pem", PEM("CERTIFICATE", p.CA.DER))
	at := fmt.Sprint(RefTime.Unix())
	for i, l := range leaves {
		f := o.WriteFile(t, fmt.Sprintf("leaf%d.pem", i), PEM("CERTIFICATE", l.DER))
		out, err := o.Run("verify", "-attime", at, "-CAfile", root, "-untrusted", ca, f)
		if err != nil {
			t.Errorf("openssl verify leaf %d: %v\n%s", i, err, out)
		}
	}
	// And a broken one must fail: flip a byte of the signature.
	bad := append([]byte(nil), p.Leaf.DER...)
	bad[len(bad)-3] ^= 0x40
	f := o.WriteFile(t, "bad.pem", PEM("CERTIFICATE", bad))
	if out, err := o.Run("verify", "-attime", at, "-CAfile", root, "-untrusted", ca, f); err == nil {
		t.Errorf("openssl accepted a corrupted certificate:\n%s", out)
	}
}
