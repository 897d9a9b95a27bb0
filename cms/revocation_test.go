package cms

import (
	"bytes"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/crl"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// ocspResponse builds an OCSPResponse with the given status and, when
// rtype is set, responseBytes of that type holding body.
func ocspResponse(status uint8, rtype []int, body []byte) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.ENUM, func(b *cryptobyte.Builder) { b.AddUint8(status) })
		if rtype != nil {
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(rtype)
					b.AddASN1OctetString(body)
				})
			})
		}
	})
	return b.BytesOrPanic()
}

// TestOCSPInCRLsField: a SignedData carrying OCSP responses in its crls
// field as RFC 5940 §3 OtherRevocationInfoFormat (id-ri-ocsp-response)
// lists their BasicOCSPResponses in Result.OCSPResponses, once each; other
// formats, unsuccessful and non-basic responses are not evidence.
func TestOCSPInCRLsField(t *testing.T) {
	p := testkit.MustPKI("cms/ocsp-in-crls")
	basic, err := testkit.NewBasicOCSPResponse(&testkit.OCSPSpec{
		Responder: p.CA, ProducedAt: testkit.RefTime,
		Responses: []testkit.OCSPSingle{{Cert: p.Leaf, Status: testkit.OCSPGood, ThisUpdate: testkit.RefTime}},
	})
	if err != nil {
		t.Fatal(err)
	}
	crlDER, err := testkit.NewCRL(&testkit.CRLTemplate{ThisUpdate: testkit.RefTime}, p.CA)
	if err != nil {
		t.Fatal(err)
	}
	ocspInfo := testkit.OCSPRevocationInfo(testkit.OCSPResponse(basic))
	for _, tc := range []struct {
		name string
		crls [][]byte
		ocsp [][]byte
		nCRL int
	}{
		{"one OCSP response", [][]byte{ocspInfo}, [][]byte{basic}, 0},
		{"with an X.509 CRL", [][]byte{crlDER, ocspInfo}, [][]byte{basic}, 1},
		{"twice", [][]byte{ocspInfo, ocspInfo}, [][]byte{basic}, 0},
		{"unsuccessful (tryLater)", [][]byte{testkit.OCSPRevocationInfo(ocspResponse(3, nil, nil))}, nil, 0},
		{"not id-pkix-ocsp-basic", [][]byte{testkit.OCSPRevocationInfo(ocspResponse(0, []int{1, 2, 3}, basic))}, nil, 0},
		{"SCVP format (id-ri-scvp)", [][]byte{testkit.OtherRevocationInfo([]int{1, 3, 6, 1, 5, 5, 7, 16, 4}, testkit.OCSPResponse(basic))}, nil, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sig := testkit.MustSignedData(&testkit.SignedDataSpec{
				Content: []byte("document"),
				Signers: []testkit.SignerSpec{{Cert: p.Leaf, SigningCertV2: true}},
				CRLs:    tc.crls,
			})
			r, err := Verify(sig, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Signers[0].Valid() {
				t.Fatal(describe(r))
			}
			if len(r.SignedData.CRLs) != len(tc.crls) {
				t.Errorf("%d RevocationInfoChoices kept, want %d", len(r.SignedData.CRLs), len(tc.crls))
			}
			if len(r.CRLs) != tc.nCRL {
				t.Errorf("%d CRLs, want %d", len(r.CRLs), tc.nCRL)
			}
			if len(r.OCSPResponses) != len(tc.ocsp) {
				t.Fatalf("%d OCSP responses, want %d", len(r.OCSPResponses), len(tc.ocsp))
			}
			for i, o := range r.OCSPResponses {
				if !bytes.Equal(o, tc.ocsp[i]) {
					t.Errorf("OCSP response %d is not the BasicOCSPResponse carried", i)
				}
				// crl reads what cms hands over, and it answers for the leaf.
				resp, err := crl.ParseBasicOCSPResponse(o)
				if err != nil {
					t.Fatal(err)
				}
				if len(resp.Responses) != 1 {
					t.Errorf("%d SingleResponses", len(resp.Responses))
				}
			}
		})
	}
}

// TestBasicOCSPFromRevocationInfo: only the exact RFC 5940 shape with a
// successful basic response yields one, a sub-slice of the input.
func TestBasicOCSPFromRevocationInfo(t *testing.T) {
	basic := []byte{0x30, 0x03, 0x02, 0x01, 0x05} // any SEQUENCE: not verified here
	good := testkit.OCSPRevocationInfo(ocspResponse(0, oid.OCSPBasic, basic))
	got, ok := basicOCSPFromRevocationInfo(good)
	if !ok || !bytes.Equal(got, basic) || &got[0] != &good[len(good)-len(basic)] {
		t.Fatalf("basicOCSPFromRevocationInfo(good) = %x, %v", got, ok)
	}
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"X.509 CRL choice", []byte{0x30, 0x00}},
		{"trailing data", append(bytes.Clone(good), 0)},
		{"other format", testkit.OtherRevocationInfo([]int{1, 3, 6, 1, 5, 5, 7, 16, 4}, ocspResponse(0, oid.OCSPBasic, basic))},
		{"status 1", testkit.OCSPRevocationInfo(ocspResponse(1, oid.OCSPBasic, basic))},
		{"no responseBytes", testkit.OCSPRevocationInfo(ocspResponse(0, nil, nil))},
		{"two-octet status", testkit.OCSPRevocationInfo(bytes.Replace(ocspResponse(0, oid.OCSPBasic, basic), []byte{0x0a, 0x01, 0x00}, []byte{0x0a, 0x02, 0x00, 0x00}, 1))},
		{"body not one SEQUENCE", testkit.OCSPRevocationInfo(ocspResponse(0, oid.OCSPBasic, append(bytes.Clone(basic), 0x05, 0x00)))},
		{"body empty", testkit.OCSPRevocationInfo(ocspResponse(0, oid.OCSPBasic, nil))},
		{"data after the OCSPResponse", testkit.OtherRevocationInfo(oid.RIOCSPResponse, append(ocspResponse(0, oid.OCSPBasic, basic), 0x05, 0x00))},
	} {
		if got, ok := basicOCSPFromRevocationInfo(tc.in); ok {
			t.Errorf("%s: got %x", tc.name, got)
		}
	}
}
