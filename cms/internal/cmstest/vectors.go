// Package cmstest builds the cms package's own test vectors with
// internal/testkit. The committed files under cms/testdata/vectors are
// its output (go run ./testdata/generate.go from cms/); the cms tests check
// that they are reproduced byte for byte and verify as expected.
//
// Test-only code: nothing outside tests and the generator imports it.
package cmstest

import (
	"bytes"
	"fmt"
	"math/big"
	"time"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// Vector is one generated signature.
type Vector struct {
	Name string
	Doc  string
	Sig  []byte
	// Content is the detached content (nil for attached signatures).
	Content []byte
}

// Seed makes every vector reproducible.
const Seed = "gostsig/cms vectors v1"

// Content is the document every vector signs.
var Content = []byte("Акт приёма-передачи № 17 от 01.06.2025.\nПодписано усиленной квалифицированной электронной подписью.\n")

// Fixture is the PKI the vectors use.
type Fixture struct {
	PKI     *testkit.PKI
	Leaf512 *testkit.Certificate
	Leaf01  *testkit.Certificate // GOST R 34.10-2001 on CryptoPro-A
	LeafB   *testkit.Certificate // TC26-256-B, second signer
	TSA     *testkit.Certificate
	OCSP    *testkit.Certificate
	CRL     []byte
	OCSPRsp []byte // BasicOCSPResponse for the leaf
}

// NewFixture builds the PKI deterministically.
func NewFixture() (*Fixture, error) {
	p, err := testkit.NewPKI(Seed)
	if err != nil {
		return nil, err
	}
	f := &Fixture{PKI: p}
	if f.Leaf512, err = p.NewLeaf(Seed+"/512", gost3410.GOST2012_512, oid.TC26_512B, nil); err != nil {
		return nil, err
	}
	if f.Leaf01, err = p.NewLeaf(Seed+"/2001", gost3410.GOST2001, oid.CryptoProA, nil); err != nil {
		return nil, err
	}
	if f.LeafB, err = p.NewLeaf(Seed+"/B", gost3410.GOST2012_256, oid.TC26_256B, func(t *testkit.CertTemplate) {
		t.Subject = testkit.PersonName("Петрова", "Мария Сергеевна", "11223344696", "500100732259")
	}); err != nil {
		return nil, err
	}
	if f.TSA, err = p.NewTSA(Seed + "/tsa"); err != nil {
		return nil, err
	}
	ok := testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProA, Seed+"/ocsp")
	if f.OCSP, err = testkit.NewCertificate(testkit.OCSPResponderTemplate(ok, testkit.CommonName("Тестовый OCSP-ответчик"),
		testkit.LeafNotBefore, testkit.LeafNotAfter), p.CA); err != nil {
		return nil, err
	}
	if f.CRL, err = testkit.NewCRL(&testkit.CRLTemplate{ThisUpdate: SigningTime.Add(-24 * time.Hour),
		NextUpdate: SigningTime.Add(6 * 24 * time.Hour), Number: big.NewInt(4096),
		Entries: []testkit.CRLEntry{{Serial: big.NewInt(0x1234), RevokedAt: SigningTime.Add(-48 * time.Hour),
			Reason: testkit.ReasonKeyCompromise, HasReason: true}}}, p.CA); err != nil {
		return nil, err
	}
	if f.OCSPRsp, err = testkit.NewBasicOCSPResponse(&testkit.OCSPSpec{Responder: f.OCSP, ProducedAt: SigningTime.Add(time.Minute),
		Responses: []testkit.OCSPSingle{{Cert: p.Leaf, Status: testkit.OCSPGood, ThisUpdate: SigningTime.Add(time.Minute), Reason: -1}}}); err != nil {
		return nil, err
	}
	return f, nil
}

// Times of the vectors.
var (
	SigningTime = time.Date(2025, 6, 1, 9, 30, 0, 0, time.UTC)
	// GenTime is one second before SigningTime, as in the real SBIS
	// sample (cms-cades-profile.md §3).
	GenTime    = SigningTime.Add(-time.Second)
	EscGenTime = SigningTime.Add(10 * time.Minute)
)

// Vectors builds every vector.
func Vectors() ([]Vector, *Fixture, error) {
	f, err := NewFixture()
	if err != nil {
		return nil, nil, err
	}
	p := f.PKI
	bes := func(c *testkit.Certificate) testkit.SignerSpec {
		return testkit.SignerSpec{Cert: c, SigningTime: SigningTime, SigningCertV2: true, SigningCertHashOID: c.Key.HashOID()}
	}
	with := func(s testkit.SignerSpec, edit func(*testkit.SignerSpec)) testkit.SignerSpec { edit(&s); return s }
	tsSpec := func() *testkit.TimeStampSpec {
		return &testkit.TimeStampSpec{TSA: f.TSA, GenTime: GenTime, ESSv1: true, Nonce: big.NewInt(0x5eed)}
	}
	attached := func(signers ...testkit.SignerSpec) *testkit.SignedDataSpec {
		return &testkit.SignedDataSpec{Content: Content, Signers: signers}
	}
	type def struct {
		name, doc string
		spec      *testkit.SignedDataSpec
	}
	defs := []def{
		{"bes-256-xcha", "CAdES-BES, 2012-256 key on CryptoPro-XchA, attached, signingCertificateV2 (Streebog-256)",
			attached(bes(p.Leaf))},
		{"bes-512", "CAdES-BES, 2012-512 key on TC26-512-B, Streebog-512",
			attached(bes(f.Leaf512))},
		{"bes-2001", "CAdES-BES, GOST R 34.10-2001 key, GOST R 34.11-94 (CryptoPro S-box)",
			attached(bes(f.Leaf01))},
		{"detached-256", "detached CAdES-BES; content in detached-256.content",
			&testkit.SignedDataSpec{Content: Content, Detached: true, Signers: []testkit.SignerSpec{bes(p.Leaf)}}},
		{"noattrs-256", "no signed attributes: the signature covers the content",
			attached(testkit.SignerSpec{Cert: p.Leaf, NoSignedAttrs: true})},
		{"ber-256", "BER: indefinite lengths, eContent as a chunked constructed OCTET STRING (КриптоПро CSP streaming)",
			&testkit.SignedDataSpec{Content: bytes.Repeat(Content, 40), BER: true, BERChunk: 1000, Signers: []testkit.SignerSpec{bes(p.Leaf)}}},
		{"unsorted-attrs", "signed attributes not in DER SET OF order, with CMSAlgorithmProtection (CryptoARM style)",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.Unsorted, s.CMSAlgorithmProtection = true, true }))},
		{"ski-signer", "signer identified by subjectKeyIdentifier (SignerInfo v3, SignedData v3)",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.UseSKI = true }))},
		{"signwithdigest-null", "signatureAlgorithm 1.2.643.7.1.1.3.2 (SBIS style), digestAlgorithm with NULL parameters",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) {
				s.SignatureOID, s.DigestParams = oid.Gost2012SignWith256, testkit.ParamsNULL
			}))},
		{"key-oid-null", "signatureAlgorithm = key OID with NULL parameters (gost-engine style)",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) {
				s.SignatureParams, s.DigestParams = testkit.ParamsNULL, testkit.ParamsNULL
			}))},
		{"ess-default-sha256", "signingCertificateV2 without hashAlgorithm: SHA-256 by default (RFC 5035)",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.SigningCertHashOID = nil }))},
		{"ess-v1-and-v2", "both ESS signingCertificate (SHA-1) and signingCertificateV2",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.SigningCertV1 = true }))},
		{"two-signers", "two parallel signers (2012-256 and 2012-512)",
			attached(bes(p.Leaf), bes(f.Leaf512))},
		{"counter-signed", "a counter-signature (заверяющая подпись) with its own counter-signature",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) {
				s.CounterSigners = []testkit.SignerSpec{{Cert: f.LeafB, SigningTime: SigningTime.Add(time.Hour),
					CounterSigners: []testkit.SignerSpec{{Cert: f.Leaf512, SigningTime: SigningTime.Add(2 * time.Hour)}}}}
			}))},
		{"no-signer-cert", "the signer certificate is not in the message (supplied by the caller in tests)",
			&testkit.SignedDataSpec{Content: Content, NoSignerCerts: true, Signers: []testkit.SignerSpec{bes(p.Leaf)}}},
		{"cades-t", "CAdES-T: signature time-stamp token (TSA 2012-256, ESS v1+v2), genTime 1 s before signingTime",
			&testkit.SignedDataSpec{Content: Content, Signers: []testkit.SignerSpec{with(bes(p.Leaf), func(s *testkit.SignerSpec) {
				s.SignatureTimeStamp = tsSpec()
			})}}},
		{"cades-xlt1", "CAdES-X Long Type 1: time-stamp, complete references, certificate and revocation values, CAdES-C time-stamp",
			&testkit.SignedDataSpec{Content: Content, Signers: []testkit.SignerSpec{with(bes(p.Leaf), func(s *testkit.SignerSpec) {
				s.SignatureTimeStamp = tsSpec()
				s.XLong = &testkit.XLongSpec{
					Certificates: []*testkit.Certificate{p.CA, p.Root}, CRLs: [][]byte{f.CRL}, OCSPs: [][]byte{f.OCSPRsp},
					OCSPResponders: []*testkit.Certificate{f.OCSP}, OCSPProducedAt: []time.Time{SigningTime.Add(time.Minute)},
					CRLIssuers: []*testkit.Certificate{p.CA}, CRLIssuedAt: []time.Time{SigningTime.Add(-24 * time.Hour)},
					EscTimeStamp: &testkit.TimeStampSpec{TSA: f.TSA, GenTime: EscGenTime},
				}
			})}}},

		// Negative vectors.
		{"bad-message-digest", "messageDigest is not the content hash (HASH_FAILURE)",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.MessageDigest = make([]byte, 32) }))},
		{"bad-signature", "one bit of the signature value flipped (SIG_CRYPTO_FAILURE)",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.CorruptSignature = true }))},
		{"bad-noattrs-signature", "no signed attributes and a corrupted signature",
			attached(testkit.SignerSpec{Cert: p.Leaf, NoSignedAttrs: true, CorruptSignature: true})},
		{"signed-a0-tag", "signature computed over the [0] tag instead of SET OF (a known producer bug): must fail",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.SignA0Tag = true }))},
		{"content-type-mismatch", "contentType attribute differs from eContentType",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.ContentTypeOverride = oid.SignedData }))},
		{"content-type-missing", "no contentType attribute",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.OmitContentType = true }))},
		{"message-digest-missing", "no messageDigest attribute",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.OmitMessageDigest = true }))},
		{"ess-wrong-cert", "signingCertificateV2 names another certificate",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.SigningCertFor = f.LeafB }))},
		{"algprotection-mismatch", "CMSAlgorithmProtection names Streebog-512 while the SignerInfo uses Streebog-256",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) {
				s.CMSAlgorithmProtection, s.AlgProtectionDigestOID = true, oid.Streebog512
			}))},
		{"digest-key-mismatch", "Streebog-512 digestAlgorithm with a 256-bit key",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.DigestOID = oid.Streebog512 }))},
		{"sha256-digest", "SHA-256 digestAlgorithm: not GOST (CRYPTO_CONSTRAINTS_FAILURE, OID named)",
			attached(with(bes(p.Leaf), func(s *testkit.SignerSpec) { s.DigestOID = oid.SHA256 }))},
		{"ts-bad-imprint", "CAdES-T whose messageImprint is not the hash of the signature value",
			&testkit.SignedDataSpec{Content: Content, Signers: []testkit.SignerSpec{with(bes(p.Leaf), func(s *testkit.SignerSpec) {
				s.SignatureTimeStamp = tsSpec()
				s.SignatureTimeStamp.Imprint = make([]byte, 32)
			})}}},
		{"ts-bad-signature", "CAdES-T whose token signature is corrupted",
			&testkit.SignedDataSpec{Content: Content, Signers: []testkit.SignerSpec{with(bes(p.Leaf), func(s *testkit.SignerSpec) {
				s.SignatureTimeStamp = tsSpec()
				s.SignatureTimeStamp.Signer = &testkit.SignerSpec{Cert: f.TSA, SigningCertV2: true,
					SigningCertHashOID: oid.Streebog256, CorruptSignature: true}
			})}}},
	}
	var out []Vector
	for _, d := range defs {
		sig, err := testkit.NewSignedData(d.spec)
		if err != nil {
			return nil, nil, fmt.Errorf("vector %s: %w", d.name, err)
		}
		v := Vector{Name: d.name, Doc: d.doc, Sig: sig}
		if d.spec.Detached {
			v.Content = d.spec.Content
		}
		out = append(out, v)
	}
	return out, f, nil
}
