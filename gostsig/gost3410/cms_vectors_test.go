package gost3410

import (
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// cmsSigner is what a verifier needs from a one-signer SignedData: the
// bytes that were hashed (the DER SET OF signed attributes, or the content
// when there are none), the signature, and the embedded certificate.
type cmsSigner struct {
	signed    []byte
	signature []byte
	cert      []byte
}

// parseCMSSigner extracts the first SignerInfo of a DER SignedData the way
// RFC 5652 §5.4 prescribes, without checking anything a real CMS parser
// checks (the cms package does that); the tests here only need the bytes.
func parseCMSSigner(t *testing.T, der []byte) cmsSigner {
	t.Helper()
	var ci, sd, digestAlgs, encap, certs, signerInfos, si cryptobyte.String
	in := cryptobyte.String(der)
	explicit0 := cbasn1.Tag(0).Constructed().ContextSpecific()
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) ||
		!ci.SkipASN1(cbasn1.OBJECT_IDENTIFIER) ||
		!ci.ReadASN1(&sd, explicit0) || !sd.ReadASN1(&sd, cbasn1.SEQUENCE) ||
		!sd.SkipASN1(cbasn1.INTEGER) ||
		!sd.ReadASN1(&digestAlgs, cbasn1.SET) ||
		!sd.ReadASN1(&encap, cbasn1.SEQUENCE) ||
		!sd.ReadASN1(&certs, explicit0) ||
		!sd.ReadASN1(&signerInfos, cbasn1.SET) || !sd.Empty() ||
		!signerInfos.ReadASN1(&si, cbasn1.SEQUENCE) {
		t.Fatal("malformed SignedData")
	}
	var content, eContent cryptobyte.String
	if !encap.SkipASN1(cbasn1.OBJECT_IDENTIFIER) || !encap.ReadASN1(&eContent, explicit0) ||
		!eContent.ReadASN1(&content, cbasn1.OCTET_STRING) {
		t.Fatal("malformed encapContentInfo")
	}
	var cert cryptobyte.String
	if !certs.ReadASN1Element(&cert, cbasn1.SEQUENCE) {
		t.Fatal("no certificate")
	}
	var signedAttrs cryptobyte.String
	var hasAttrs bool
	var sig cryptobyte.String
	if !si.SkipASN1(cbasn1.INTEGER) || !si.SkipASN1(cbasn1.SEQUENCE) || // version, sid
		!si.SkipASN1(cbasn1.SEQUENCE) || // digestAlgorithm
		!si.ReadOptionalASN1(&signedAttrs, &hasAttrs, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!si.SkipASN1(cbasn1.SEQUENCE) || // signatureAlgorithm
		!si.ReadASN1(&sig, cbasn1.OCTET_STRING) {
		t.Fatal("malformed SignerInfo")
	}
	out := cmsSigner{signature: sig, cert: cert, signed: content}
	if hasAttrs {
		// RFC 5652 §5.4: the DER of the SET OF, with the EXPLICIT SET tag
		// in place of the [0] IMPLICIT tag.
		var b cryptobyte.Builder
		b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(signedAttrs) })
		out.signed = b.BytesOrPanic()
	}
	return out
}

// TestTC26CMS verifies the gost-engine TC26 CMS test vectors (see
// testdata/tc26cms/SOURCES.md): the SignerInfo signatures of signed_a111
// (512-bit key, signed attributes, Streebog-512) and signed_a121 (256-bit
// key, no signed attributes), and the certificate signatures of the TC26
// test root over itself and its four end-entity certificates.
func TestTC26CMS(t *testing.T) {
	t.Run("signerInfos", func(t *testing.T) {
		for _, tc := range []struct {
			file  string
			curve *Curve
			attrs bool
		}{
			{"tc26cms/signed_a111.pem", curveTC26512A, true},
			{"tc26cms/signed_a121.pem", curveTC26256A, false},
		} {
			s := parseCMSSigner(t, readPEM(t, tc.file))
			cert := parseSignedObject(t, s.cert)
			pub, err := ParsePublicKey(spkiOf(t, cert.tbs, false))
			if err != nil {
				t.Fatalf("%s: %v", tc.file, err)
			}
			if pub.Curve() != tc.curve {
				t.Errorf("%s: signer on %v, want %v", tc.file, pub.Curve(), tc.curve)
			}
			digest := streebogSum(t, pub.Curve().PointSize(), s.signed)
			if err := CheckSignature(pub, digest, s.signature); err != nil {
				t.Errorf("%s: %v", tc.file, err)
			}
			digest[0] ^= 1
			if Verify(pub, digest, s.signature) {
				t.Errorf("%s: verified with a modified digest", tc.file)
			}
		}
	})
	t.Run("certificates", func(t *testing.T) {
		root := parseSignedObject(t, readPEM(t, "tc26cms/root256_cert.pem"))
		rootPub, err := ParsePublicKey(spkiOf(t, root.tbs, false))
		if err != nil {
			t.Fatal(err)
		}
		if rootPub.Curve() != curveTC26256A {
			t.Errorf("root on %v", rootPub.Curve())
		}
		for _, name := range []string{"root256", "sender256", "sender512", "recipient256", "recipient512"} {
			c := parseSignedObject(t, readPEM(t, "tc26cms/"+name+"_cert.pem"))
			// Every certificate here is signed by the 256-bit root with
			// id-tc26-signwithdigest-gost3410-12-256.
			if err := CheckSignature(rootPub, streebogSum(t, 32, c.tbs), c.sig); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			if _, err := ParsePublicKey(spkiOf(t, c.tbs, false)); err != nil {
				t.Errorf("%s key: %v", name, err)
			}
		}
	})
}
