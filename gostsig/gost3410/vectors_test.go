package gost3410

import (
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// RFC 7091 §7 (GOST R 34.10-2012 Example 1) at the byte level, as given in
// ../../../shared/docs/gost-vectors.md §2.1.
func TestRFC7091Example(t *testing.T) {
	pub, err := NewPublicKey(GOST2012_256, curveTest256, mustHex(t, `
		0bd86fe5d8db89668f789b4e1dba8585c5508b45ec5b59d8906ddb70e2492b7f
		da77ff871a10fbdf2766d293c5d164afbb3c7b973a41c885d11d70d689b4f126`))
	if err != nil {
		t.Fatal(err)
	}
	if x, _ := pub.xy(); x.Cmp(mustInt(t, "7F2B49E270DB6D90D8595BEC458B50C58585BA1D4E9B788F6689DBD8E56FD80B")) != 0 {
		t.Fatal("x_Q decoded wrong")
	}
	digest := mustHex(t, "e53e042b67e6ec678e2e02b12a0352ce1fc6eee0529cc088119ad872b3c1fb2d")
	sig := mustHex(t, `
		01456c64ba4642a1653c235a98a60249bcd6d3f746b631df928014f6c5bf9c40
		41aa28d2f1ab148280cd9ed56feda41974053554a42767b83ad043fd39dc0493`)
	if err := CheckSignature(pub, digest, sig); err != nil {
		t.Fatal(err)
	}
	// The same with e as the standard prints it.
	e := mustInt(t, "2DFBC1B372D89A1188C09C52E0EEC61FCE52032AB1022E8E67ECE6672B043EE5")
	if err := CheckSignatureInt(pub, e, sig); err != nil {
		t.Fatal(err)
	}
	// The private key of §7.1.6 gives this public key and signature.
	d := mustInt(t, "7A929ADE789BB9BE10ED359DD39A72C11B60961F49397EEE1D19CE9891EC3B28")
	k := mustInt(t, "77105C9B20BCD3122823C8CF6FCC7B956DE33814E95B7FE64FED924594DCEAB3")
	if got := testSign(curveTest256, d, e, k); string(got) != string(sig) {
		t.Fatalf("testSign = %x", got)
	}
	// Wrong byte orders must fail: digest big-endian, signature r||s,
	// CryptoAPI full reversal.
	rev := func(b []byte) []byte { c := append([]byte(nil), b...); reverse(c); return c }
	if Verify(pub, rev(digest), sig) {
		t.Error("accepted a big-endian digest")
	}
	if Verify(pub, digest, append(append([]byte(nil), sig[32:]...), sig[:32]...)) {
		t.Error("accepted r||s")
	}
	if Verify(pub, digest, rev(sig)) {
		t.Error("accepted a CryptoAPI-order signature")
	}
}

// GOST R 34.10-2012 Appendix A.2 (Example 2, 512 bits), gost-vectors.md §2.2.
func TestGOST512Example(t *testing.T) {
	pub, err := NewPublicKey(GOST2012_512, curveTest512, mustHex(t, `
		e1ef30d52c6133ddd99d1d5c41455cf7df4d8b4c925bbc69af1433d15658515add2146850c325c5b81c133be655aa8c4d440e7b98a8d59487b0c7696bcc55d11
		ecbe7736a9ec357ff2fd39931f4e114cb8cda359270ac7f0e7ff43d9419419ea61fd2ab77f5d9f63523d3b50a04f63e2a0cf51b7c13adc21560f0bd40cc9c737`))
	if err != nil {
		t.Fatal(err)
	}
	digest := mustHex(t, "8c5b0772297d77c64f0c561ddbde7a405a5d7c646c97394341f4936553ee847191c5b03570141da733c570c1f9b6091b53ab8d4d7c4a4f5c61e0c9accff35437")
	sig := mustHex(t, `
		1081b394696ffe8e6585e7a9362d26b6325f56778aadbc081c0bfbe933d52ff5823ce288e8c4f362526080df7f70ce406a6eeb1f56919cb92a9853bde73e5b4a
		2f86fa60a081091a23dd795e1e3c689ee512a3c82ee0dcc2643c78eea8fcacd35492558486b20f1c9ec197c90699850260c93bcbcd9c5c3317e19344e173ae36`)
	if err := CheckSignature(pub, digest, sig); err != nil {
		t.Fatal(err)
	}
	e := mustInt(t, "3754F3CFACC9E0615C4F4A7C4D8DAB531B09B6F9C170C533A71D147035B0C5917184EE536593F4414339976C647C5D5A407ADEDB1D560C4FC6777D2972075B8C")
	d := mustInt(t, "0BA6048AADAE241BA40936D47756D7C93091A0E8514669700EE7508E508B102072E8123B2200A0563322DAD2827E2714A2636B7BFD18AADFC62967821FA18DD4")
	k := mustInt(t, "0359E7F4B1410FEACC570456C6801496946312120B39D019D455986E364F365886748ED7A44B3E794434006011842286212273A6D14CF70EA3AF71BB1AE679F1")
	if got := testSign(curveTest512, d, e, k); string(got) != string(sig) {
		t.Fatalf("testSign = %x", got)
	}
	sig[10] ^= 1
	if Verify(pub, digest, sig) {
		t.Fatal("accepted a modified signature")
	}
}

// signedObject is the common shape of a certificate, a CSR and a CRL:
// SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING signature }.
type signedObject struct {
	tbs, sig []byte
}

func parseSignedObject(t *testing.T, der []byte) signedObject {
	t.Helper()
	in := cryptobyte.String(der)
	var outer, tbs, algID cryptobyte.String
	var sig []byte
	if !in.ReadASN1(&outer, cbasn1.SEQUENCE) || !in.Empty() ||
		!outer.ReadASN1Element(&tbs, cbasn1.SEQUENCE) ||
		!outer.ReadASN1(&algID, cbasn1.SEQUENCE) ||
		!outer.ReadASN1BitStringAsBytes(&sig) || !outer.Empty() {
		t.Fatal("malformed signed object")
	}
	return signedObject{tbs: tbs, sig: sig}
}

// spkiOf returns the SubjectPublicKeyInfo element of a TBSCertificate or
// a CertificationRequestInfo.
func spkiOf(t *testing.T, tbs []byte, isCSR bool) []byte {
	t.Helper()
	in := cryptobyte.String(tbs)
	var body, spki cryptobyte.String
	if !in.ReadASN1(&body, cbasn1.SEQUENCE) {
		t.Fatal("malformed tbs")
	}
	skip := func(tag cbasn1.Tag) {
		if !body.SkipASN1(tag) {
			t.Fatalf("malformed tbs at %v", tag)
		}
	}
	if isCSR {
		skip(cbasn1.INTEGER)  // version
		skip(cbasn1.SEQUENCE) // subject
	} else {
		skip(cbasn1.Tag(0).Constructed().ContextSpecific()) // version
		skip(cbasn1.INTEGER)                                // serialNumber
		skip(cbasn1.SEQUENCE)                               // signature
		skip(cbasn1.SEQUENCE)                               // issuer
		skip(cbasn1.SEQUENCE)                               // validity
		skip(cbasn1.SEQUENCE)                               // subject
	}
	if !body.ReadASN1Element(&spki, cbasn1.SEQUENCE) {
		t.Fatal("malformed spki")
	}
	return spki
}

func readPEM(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatalf("%s: no PEM", name)
	}
	return blk.Bytes
}

// TestRFC9215 verifies the nine objects of RFC 9215 Appendix D (a CSR, a
// self-signed certificate and a CRL for each of D.1 2001 test curve,
// D.2 tc26-256-A, D.3 512-bit test curve): Streebog of the DER TBS, then
// Verify with the signature BIT STRING content and the key from the
// certificate.
func TestRFC9215(t *testing.T) {
	for _, tc := range []struct {
		name  string
		curve *Curve
		alg   Algorithm
	}{
		{"d1", curveTest256, GOST2012_256},
		{"d2", curveTC26256A, GOST2012_256},
		{"d3", curveTest512, GOST2012_512},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cert := parseSignedObject(t, readPEM(t, "rfc9215/"+tc.name+"-cert.pem"))
			pub, err := ParsePublicKey(spkiOf(t, cert.tbs, false))
			if err != nil {
				t.Fatal(err)
			}
			if pub.Curve() != tc.curve || pub.Algorithm() != tc.alg {
				t.Fatalf("key on %v/%v", pub.Curve(), pub.Algorithm())
			}
			csr := parseSignedObject(t, readPEM(t, "rfc9215/"+tc.name+"-csr.pem"))
			csrPub, err := ParsePublicKey(spkiOf(t, csr.tbs, true))
			if err != nil {
				t.Fatal(err)
			}
			if !csrPub.Equal(pub) {
				t.Fatal("CSR and certificate keys differ")
			}
			crl := parseSignedObject(t, readPEM(t, "rfc9215/"+tc.name+"-crl.pem"))
			for what, obj := range map[string]signedObject{"cert": cert, "csr": csr, "crl": crl} {
				digest := streebogSum(t, pub.Curve().PointSize(), obj.tbs)
				if err := CheckSignature(pub, digest, obj.sig); err != nil {
					t.Errorf("%s: %v", what, err)
				}
				bad := append([]byte(nil), obj.tbs...)
				bad[len(bad)-1] ^= 0x01
				if Verify(pub, streebogSum(t, pub.Curve().PointSize(), bad), obj.sig) {
					t.Errorf("%s: verified with a modified TBS", what)
				}
			}
		})
	}
}
