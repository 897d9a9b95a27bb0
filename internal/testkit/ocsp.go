package testkit

import (
	"encoding/asn1"
	"errors"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/oid"
)

// OCSP certificate statuses (RFC 6960 §4.2.1).
const (
	OCSPGood = iota
	OCSPRevoked
	OCSPUnknown
)

// OCSPSingle is one SingleResponse.
type OCSPSingle struct {
	Cert       *Certificate // the certificate asked about (its IssuerCert must be set)
	Status     int          // OCSPGood, OCSPRevoked, OCSPUnknown
	RevokedAt  time.Time
	Reason     int // CRL reason code; < 0 leaves it out
	ThisUpdate time.Time
	NextUpdate time.Time // zero leaves it out
	// CertIDHash is the CertID hash algorithm (default SHA-1, as most
	// responders use; GOST producers may use Streebog).
	CertIDHash asn1.ObjectIdentifier
}

// OCSPSpec describes a BasicOCSPResponse (RFC 6960 §4.2.1).
type OCSPSpec struct {
	Responder        *Certificate // signs the response
	ByKey            bool         // responderID byKey (SHA-1 of the key) instead of byName
	ProducedAt       time.Time
	Responses        []OCSPSingle
	Nonce            []byte // id-pkix-ocsp-nonce extension value (OCTET STRING content)
	NoCerts          bool   // leave the responder certificate out of certs
	Certificates     [][]byte
	SignatureOID     asn1.ObjectIdentifier
	CorruptSignature bool
}

// CertID returns the DER of CertID for c (its IssuerCert must be set).
func CertID(c *Certificate, hashOID asn1.ObjectIdentifier) []byte {
	if hashOID == nil {
		hashOID = oid.SHA1
	}
	issuer := c.IssuerCert
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			addAlgID(b, hashOID, ParamsNULL)
			b.AddASN1OctetString(Digest(hashOID, c.Issuer))
			b.AddASN1OctetString(Digest(hashOID, issuer.Key.publicKeyOctetString()))
			addInteger(b, nil, c.Serial)
		})
	})
}

// NewBasicOCSPResponse builds and signs a BasicOCSPResponse.
func NewBasicOCSPResponse(s *OCSPSpec) ([]byte, error) {
	if s.Responder == nil || s.Responder.Key == nil {
		return nil, errors.New("testkit: OCSP response without a responder key")
	}
	for _, r := range s.Responses {
		if r.Cert == nil || r.Cert.IssuerCert == nil || r.Cert.IssuerCert.Key == nil {
			return nil, errors.New("testkit: OCSP single response needs a certificate with its issuer")
		}
	}
	key := s.Responder.Key
	tbs := build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			if s.ByKey {
				b.AddASN1(ctxCons(2), func(b *cryptobyte.Builder) {
					b.AddASN1OctetString(sha1Sum(key.publicKeyOctetString()))
				})
			} else {
				b.AddASN1(ctxCons(1), func(b *cryptobyte.Builder) { b.AddBytes(s.Responder.Subject) })
			}
			addGeneralizedTime(b, s.ProducedAt)
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, r := range s.Responses {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddBytes(CertID(r.Cert, r.CertIDHash))
						switch r.Status {
						case OCSPGood:
							b.AddASN1(ctx(0), func(b *cryptobyte.Builder) {})
						case OCSPRevoked:
							b.AddASN1(ctxCons(1), func(b *cryptobyte.Builder) {
								addGeneralizedTime(b, r.RevokedAt)
								if r.Reason >= 0 {
									b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) {
										b.AddASN1(cbasn1.ENUM, func(b *cryptobyte.Builder) { b.AddUint8(uint8(r.Reason)) })
									})
								}
							})
						default:
							b.AddASN1(ctx(2), func(b *cryptobyte.Builder) {})
						}
						addGeneralizedTime(b, r.ThisUpdate)
						if !r.NextUpdate.IsZero() {
							b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) { addGeneralizedTime(b, r.NextUpdate) })
						}
					})
				}
			})
			if s.Nonce != nil {
				b.AddASN1(ctxCons(1), func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						addExtension(b, Extension{ID: oid.OCSPNonce, Value: derOctets(s.Nonce)})
					})
				})
			}
		})
	})
	sigOID := s.SignatureOID
	if sigOID == nil {
		sigOID = key.SignatureOID()
	}
	sig := key.Sign(tbs)
	if s.CorruptSignature {
		sig[0] ^= 0x80
	}
	certs := s.Certificates
	if !s.NoCerts {
		certs = append([][]byte{s.Responder.DER}, certs...)
	}
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddBytes(tbs)
			addAlgID(b, sigOID, ParamsAbsent)
			b.AddASN1BitString(sig)
			if len(certs) > 0 {
				b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						for _, c := range certs {
							b.AddBytes(c)
						}
					})
				})
			}
		})
	}), nil
}

// OCSPResponse wraps a BasicOCSPResponse in OCSPResponse (successful).
func OCSPResponse(basic []byte) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.ENUM, func(b *cryptobyte.Builder) { b.AddUint8(0) })
			b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(oid.OCSPBasic)
					b.AddASN1OctetString(basic)
				})
			})
		})
	})
}

// OCSPResponderTemplate is a delegated responder certificate template
// (id-kp-OCSPSigning, id-pkix-ocsp-nocheck).
func OCSPResponderTemplate(key *PrivateKey, subject Name, notBefore, notAfter time.Time) *CertTemplate {
	t := LeafTemplate(key, subject, notBefore, notAfter)
	t.ExtKeyUsage = []asn1.ObjectIdentifier{oid.KPOCSPSigning}
	t.OCSPNoCheck = true
	t.OCSPServers = nil
	return t
}
