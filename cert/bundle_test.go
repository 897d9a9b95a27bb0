package cert

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// indefinite re-encodes the constructed elements of der down to depth
// levels with BER indefinite lengths (X.690 §8.1.3.6), as streaming
// encoders write them; deeper elements are copied as they are.
func indefinite(t testing.TB, der []byte, depth int) []byte {
	t.Helper()
	s := cryptobyte.String(der)
	var elem, content cryptobyte.String
	var tag cbasn1.Tag
	if !s.ReadAnyASN1Element(&elem, &tag) || !s.Empty() {
		t.Fatal("indefinite: not one DER element")
	}
	if depth == 0 || tag&0x20 == 0 {
		return der
	}
	elem.ReadAnyASN1(&content, &tag)
	out := []byte{byte(tag), 0x80}
	for !content.Empty() {
		var child cryptobyte.String
		var ct cbasn1.Tag
		if !content.ReadAnyASN1Element(&child, &ct) {
			t.Fatal("indefinite: malformed child")
		}
		out = append(out, indefinite(t, child, depth-1)...)
	}
	return append(out, 0, 0)
}

// signedData builds a ContentInfo with a SignedData holding certs as its
// CertificateSet (nil: no certificates field), an eContent when content is
// set and one dummy SignerInfo when signer is set.
func signedData(version int64, certs [][]byte, content, signer bool) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid.SignedData)
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(version)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {})
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(oid.Data)
					if content {
						b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
							b.AddASN1OctetString([]byte("content"))
						})
					}
				})
				if certs != nil {
					b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
						for _, c := range certs {
							b.AddBytes(c)
						}
					})
				}
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					if signer {
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1Int64(1) })
					}
				})
			})
		})
	})
	return b.BytesOrPanic()
}

// TestParseAllPKCS7 reads certificates-only SignedData (.p7b/.p7c) as
// OpenSSL writes it (testdata/guc2001_chain.p7b and .p7c: `openssl
// crl2pkcs7 -nocrl` of the Линк-сервис CA and the ГУЦ 2001 root), in DER,
// PEM, base64 and BER, and refuses what is not one.
func TestParseAllPKCS7(t *testing.T) {
	p7b, err := os.ReadFile("testdata/guc2001_chain.p7b")
	if err != nil {
		t.Fatal(err)
	}
	p7c, err := os.ReadFile("testdata/guc2001_chain.p7c")
	if err != nil {
		t.Fatal(err)
	}
	var want [][]byte
	for _, name := range []string{"linkservice_ca_by_guc2001.cer", "guc2001_root_34681E40.cer"} {
		want = append(want, readCert(t, name).Raw)
	}
	blk, _ := pem.Decode(p7c)
	if blk == nil || blk.Type != "PKCS7" || !bytes.Equal(blk.Bytes, p7b) {
		t.Fatal("the .p7c is not the PEM of the .p7b")
	}
	b64 := base64.StdEncoding.EncodeToString(p7b)
	ber := indefinite(t, p7b, 4)
	if bytes.Equal(ber, p7b) || !isPKCS7(ber) {
		t.Fatal("BER form not built")
	}
	cmsPEM := pem.EncodeToMemory(&pem.Block{Type: "CMS", Bytes: ber})
	mixed := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: want[0]}), p7c...)

	for _, tc := range []struct {
		name string
		in   []byte
		want [][]byte
	}{
		{"DER .p7b", p7b, want},
		{"PEM PKCS7 .p7c", p7c, want},
		{"base64", []byte(b64), want},
		{"BER indefinite lengths", ber, want},
		{"PEM CMS holding BER", cmsPEM, want},
		{"PEM certificate then PKCS7", mixed, append([][]byte{want[0]}, want...)},
		{"attribute certificate skipped", signedData(4, [][]byte{{0xa2, 0x00}, want[1]}, false, false), want[1:]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			certs, err := ParseAll(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(certs) != len(tc.want) {
				t.Fatalf("%d certificates, want %d", len(certs), len(tc.want))
			}
			for i, c := range certs {
				if !bytes.Equal(c.Raw, tc.want[i]) {
					t.Errorf("certificate %d is not the bytes received", i)
				}
			}
			if len(certs) >= 2 {
				if err := certs[len(certs)-2].CheckSignatureFrom(certs[len(certs)-1]); err != nil {
					t.Errorf("CA not signed by the root: %v", err)
				}
			}
		})
	}
	// DER input is not copied.
	if certs, _ := ParseAll(p7b); len(certs) != 2 || &certs[0].Raw[0] != &p7b[bytes.Index(p7b, want[0])] {
		t.Error("certificates from a DER .p7b do not alias the input")
	}

	version2 := bytes.Clone(p7b)
	if !bytes.Equal(version2[23:26], []byte{2, 1, 1}) {
		t.Fatalf("version not at the expected offset: % x", version2[20:28])
	}
	version2[25] = 2
	tk := testkit.MustPKI("cert/p7b")
	signature := testkit.MustSignedData(&testkit.SignedDataSpec{
		Content: []byte("document"), Signers: []testkit.SignerSpec{{Cert: tk.Leaf}},
	})
	// The root's signatureValue BIT STRING (03 41 00 ‖ 64 octets) with 1
	// unused bit.
	damaged := bytes.Clone(p7b)
	if at := bytes.Index(p7b, want[1]) + len(want[1]) - 65; damaged[at-2] != 0x03 || damaged[at] != 0 {
		t.Fatal("signatureValue not where expected")
	} else {
		damaged[at] = 1
	}
	tooMany := make([][]byte, MaxBundleCertificates+1)
	for i := range tooMany {
		tooMany[i] = []byte{0xa2, 0x00}
	}
	for _, tc := range []struct {
		name, in, err string
	}{
		{"truncated", string(p7b[:len(p7b)-1]), "malformed PKCS#7"},
		{"trailing data", string(append(bytes.Clone(p7b), 0)), "malformed PKCS#7"},
		{"version 2", string(version2), "version 2"},
		{"signed message", string(signature), "signers"},
		{"with content", string(signedData(1, [][]byte{want[0]}, true, false)), "content"},
		{"with a signer", string(signedData(1, [][]byte{want[0]}, false, true)), "signers"},
		{"no certificates field", string(signedData(1, nil, false, false)), "no certificate"},
		{"empty certificate set", string(signedData(1, [][]byte{}, false, false)), "no certificate"},
		{"only attribute certificates", string(signedData(4, [][]byte{{0xa2, 0x00}}, false, false)), "no certificate"},
		{"too many", string(signedData(4, tooMany, false, false)), "more than"},
		{"certificate not DER inside BER", string(indefinite(t, p7b, 6)), "not DER"},
		{"damaged certificate", string(damaged), "certificate 2: cert: signatureValue"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			certs, err := ParseAll([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("ParseAll = %d certificates, %v; want an error with %q", len(certs), err, tc.err)
			}
		})
	}
}

// TestParseAllPKCS7Testkit: a bundle of a testkit PKI, as a chain builder
// fetching an AIA caIssuers URL would get it.
func TestParseAllPKCS7Testkit(t *testing.T) {
	p := testkit.MustPKI("cert/p7b")
	certs, err := ParseAll(signedData(1, [][]byte{p.CA.DER, p.Root.DER}, false, false))
	if err != nil {
		t.Fatal(err)
	}
	if len(certs) != 2 || !bytes.Equal(certs[0].Raw, p.CA.DER) || !bytes.Equal(certs[1].Raw, p.Root.DER) {
		t.Fatal("wrong certificates")
	}
	leaf, err := Parse(p.Leaf.DER)
	if err != nil {
		t.Fatal(err)
	}
	if err := leaf.CheckSignatureFrom(certs[0]); err != nil {
		t.Error(err)
	}
	if !leaf.Issuer.Equal(&certs[0].Subject) || certs[0].PublicKey == nil || certs[0].PublicKey.Algorithm() != gost3410.GOST2012_256 {
		t.Error("CA from the bundle does not match the leaf's issuer")
	}
	if !certs[1].NotAfter.Equal(time.Date(2045, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("root NotAfter %v", certs[1].NotAfter)
	}
}

// TestParseAllPEMBundle: OpenSSL-style bundles mix certificates with CRLs
// and keys; ParseAll takes the certificates, and its errors name the PEM
// block, counting every block of the input.
func TestParseAllPEMBundle(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile("testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	root, sender := read("tc26_root256_cert.pem"), read("tc26_sender256_cert.pem")
	block := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	crl := block("X509 CRL", []byte{0x30, 0x03, 0x02, 0x01, 0x01})
	key := block("PRIVATE KEY", []byte{0x30, 0x03, 0x02, 0x01, 0x00})
	bad := block("CERTIFICATE", []byte{0x30, 0x00})
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	want := func(pemCert []byte) []byte {
		b, _ := pem.Decode(pemCert)
		return b.Bytes
	}

	certs, err := ParseAll(cat([]byte("subject=CN = x\n"), root, crl, key, []byte("# text\n"), sender, crl))
	if err != nil {
		t.Fatalf("mixed bundle: %v", err)
	}
	if len(certs) != 2 || !bytes.Equal(certs[0].Raw, want(root)) || !bytes.Equal(certs[1].Raw, want(sender)) {
		t.Fatalf("mixed bundle: got %d certificates, want root then sender", len(certs))
	}

	for _, tc := range []struct {
		name, in, err string
	}{
		{"CRLs only", string(cat(crl, crl)), "cert: no CERTIFICATE or PKCS7 block in PEM input"},
		{"keys only", string(key), "cert: no CERTIFICATE or PKCS7 block in PEM input"},
		{"bad certificate after a CRL", string(cat(root, crl, bad)), "block 3: cert: malformed"},
		{"bad PKCS7 block", string(cat(crl, block("PKCS7", []byte{0x30, 0x00}))), "block 2: cert: malformed PKCS#7"},
		{"broken block before a good one", string(cat([]byte("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"), root)),
			"block 1: cert: malformed PEM block"},
		{"truncated last block", string(cat(root, []byte("-----BEGIN CERTIFICATE-----\nMIIB\n"))), "cert: malformed PEM block"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			certs, err := ParseAll([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("ParseAll = %d certificates, %v; want an error with %q", len(certs), err, tc.err)
			}
		})
	}
}
