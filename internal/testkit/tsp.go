package testkit

import (
	"encoding/asn1"
	"errors"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/oid"
)

// TestTSAPolicy is the TSA policy OID testkit writes by default (the one
// the Тензор TSA uses, cms-cades-profile.md §1).
var TestTSAPolicy = asn1.ObjectIdentifier{1, 2, 643, 3, 58, 3, 1}

// TimeStampSpec describes an RFC 3161 time-stamp token.
type TimeStampSpec struct {
	TSA     *Certificate // signs the token; should carry EKU timeStamping
	GenTime time.Time
	// GenTimeFraction writes genTime with these fractional seconds digits
	// (e.g. "123" for .123), as some TSAs do.
	GenTimeFraction string
	Policy          asn1.ObjectIdentifier // default TestTSAPolicy
	Serial          *big.Int              // default derived from GenTime
	// HashOID is the messageImprint hash (default: the TSA key's hash).
	HashOID    asn1.ObjectIdentifier
	HashParams Params
	Nonce      *big.Int
	// AccuracySeconds > 0 writes accuracy { seconds }.
	AccuracySeconds int
	// Imprint, if set, replaces the computed hashedMessage (negative tests).
	Imprint []byte

	// The token's SignerInfo: ESS signingCertificateV2 with
	// SigningCertHashOID (default: the TSA key's hash) is always written,
	// ESS v1 (SHA-1) too when ESSv1 is set (the Тензор TSA writes both).
	SigningCertHashOID asn1.ObjectIdentifier
	ESSv1              bool
	SigningTime        time.Time
	// Certificates are added to the token after the TSA certificate
	// (NoTSACert leaves that out).
	Certificates [][]byte
	NoTSACert    bool
	// Signer, when set, replaces the default token SignerInfo (its Cert
	// must still be the TSA).
	Signer *SignerSpec
}

// TSTInfo returns the DER TSTInfo (RFC 3161 §2.4.2) over imprinted data.
func (t *TimeStampSpec) TSTInfo(data []byte) []byte {
	h := t.HashOID
	if h == nil {
		h = t.TSA.Key.HashOID()
	}
	imprint := t.Imprint
	if imprint == nil {
		imprint = Digest(h, data)
	}
	policy := t.Policy
	if policy == nil {
		policy = TestTSAPolicy
	}
	serial := t.Serial
	if serial == nil {
		serial = big.NewInt(t.GenTime.Unix())
	}
	gt := t.GenTime.UTC().Format("20060102150405")
	if t.GenTimeFraction != "" {
		gt += "." + t.GenTimeFraction
	}
	gt += "Z"
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1Int64(1)
			b.AddASN1ObjectIdentifier(policy)
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				addAlgID(b, h, t.HashParams)
				b.AddASN1OctetString(imprint)
			})
			b.AddASN1BigInt(serial)
			b.AddASN1(cbasn1.GeneralizedTime, func(b *cryptobyte.Builder) { b.AddBytes([]byte(gt)) })
			if t.AccuracySeconds > 0 {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1Int64(int64(t.AccuracySeconds)) })
			}
			if t.Nonce != nil {
				b.AddASN1BigInt(t.Nonce)
			}
		})
	})
}

// NewTimeStampToken returns a TimeStampToken (a ContentInfo with SignedData
// over a TSTInfo, RFC 3161 §2.4.2) whose messageImprint is the hash of data.
// For a CAdES-T signature time-stamp, data is the SignerInfo signature
// value octets (RFC 5126 §6.1.1).
func NewTimeStampToken(t *TimeStampSpec, data []byte) ([]byte, error) {
	if t.TSA == nil || t.TSA.Key == nil {
		return nil, errors.New("testkit: time-stamp without a TSA key")
	}
	signer := SignerSpec{Cert: t.TSA, SigningCertV2: true, SigningCertV1: t.ESSv1, SigningTime: t.SigningTime,
		SigningCertHashOID: t.SigningCertHashOID}
	if signer.SigningCertHashOID == nil {
		signer.SigningCertHashOID = t.TSA.Key.HashOID()
	}
	if t.Signer != nil {
		signer = *t.Signer
	}
	return NewSignedData(&SignedDataSpec{
		Content: t.TSTInfo(data), ContentType: oid.TSTInfo,
		Signers: []SignerSpec{signer}, Certificates: t.Certificates, NoSignerCerts: t.NoTSACert,
	})
}

// TimeStampResponse wraps a token in TimeStampResp with status granted
// (RFC 3161 §2.4.2), as a TSA answers over HTTP.
func TimeStampResponse(token []byte) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1Int64(0) })
			b.AddBytes(token)
		})
	})
}

// TSATemplate is a TSA certificate template: digitalSignature|
// nonRepudiation and the critical extKeyUsage id-kp-timeStamping that
// RFC 3161 §2.3 requires.
func TSATemplate(key *PrivateKey, subject Name, notBefore, notAfter time.Time) *CertTemplate {
	t := LeafTemplate(key, subject, notBefore, notAfter)
	t.ExtKeyUsage = nil
	t.ExtraExtensions = append(t.ExtraExtensions, Extension{ID: oid.ExtExtKeyUsage, Critical: true,
		Value: build(func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oid.KPTimeStamping) })
		})})
	return t
}

// NewTSA issues a TSA certificate under p.CA (2012-256 on CryptoPro-A).
func (p *PKI) NewTSA(seed string) (*Certificate, error) {
	k, err := GenerateKey(p.CA.Key.Alg, oid.CryptoProA, NewRand(seed))
	if err != nil {
		return nil, err
	}
	return NewCertificate(TSATemplate(k, CommonName("Тестовая служба штампов времени"), LeafNotBefore, LeafNotAfter), p.CA)
}
