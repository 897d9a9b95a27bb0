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

// KeyUsage bits (RFC 5280 §4.2.1.3): bit i of the BIT STRING is 1<<i.
const (
	KUDigitalSignature = 1 << iota
	KUNonRepudiation
	KUKeyEncipherment
	KUDataEncipherment
	KUKeyAgreement
	KUKeyCertSign
	KUCRLSign
	KUEncipherOnly
	KUDecipherOnly
)

// Extension is a raw X.509 extension.
type Extension struct {
	ID       asn1.ObjectIdentifier
	Critical bool
	Value    []byte // DER of the extnValue contents
}

// CertTemplate describes a certificate. Zero fields are left out unless
// the doc of the field says otherwise.
type CertTemplate struct {
	// Version is 1 or 3 (0 means 3). A v1 certificate has no extensions.
	Version int
	// Serial is the serial number (may be negative); nil derives a
	// positive 8-byte serial from the subject, key and NotBefore. RawSerial, if set, is
	// written verbatim as the INTEGER content (long, non-minimal, …).
	Serial    *big.Int
	RawSerial []byte

	Subject    Name
	RawSubject []byte // DER Name used instead of Subject when set
	NotBefore  time.Time
	NotAfter   time.Time
	// GeneralizedTimes writes validity as GeneralizedTime even in 1950..2049.
	GeneralizedTimes bool

	// Key is the subject key. RawSPKI, if set, replaces its SPKI.
	Key     *PrivateKey
	RawSPKI []byte

	// SignatureOID overrides the signature algorithm (default: the
	// issuer key's signwithdigest OID); SignatureParams says how its
	// parameters are written.
	SignatureOID    asn1.ObjectIdentifier
	SignatureParams Params

	// BasicConstraints: IsCA writes cA TRUE; MaxPathLen ≥ 0 writes a
	// pathLenConstraint (use -1 or leave HasPathLen false for none).
	BasicConstraints bool
	IsCA             bool
	HasPathLen       bool
	MaxPathLen       int
	// BasicConstraintsNotCritical marks it non-critical (default critical).
	BasicConstraintsNotCritical bool

	KeyUsage    int // KU* bits; 0 = no extension
	ExtKeyUsage []asn1.ObjectIdentifier

	// SubjectKeyID: nil computes the RFC 5280 method (1) key id;
	// NoSubjectKeyID omits the extension.
	SubjectKeyID   []byte
	NoSubjectKeyID bool
	// AuthorityKeyID: by default the issuer's SKI as keyIdentifier.
	// NoAuthorityKeyID omits it; OldAuthorityKeyID writes the X.509 (1993)
	// 2.5.29.1 form instead; AKIIssuerSerial adds authorityCertIssuer and
	// authorityCertSerialNumber.
	NoAuthorityKeyID  bool
	OldAuthorityKeyID bool
	AKIIssuerSerial   bool

	CRLDistributionPoints []string
	OCSPServers           []string
	IssuingCertificateURL []string
	Policies              []asn1.ObjectIdentifier

	// PrivateKeyUsageNotBefore/After write privateKeyUsagePeriod (2.5.29.16)
	// when either is non-zero.
	PrivateKeyUsageNotBefore time.Time
	PrivateKeyUsageNotAfter  time.Time

	SubjectSignTool    string     // 1.2.643.100.111
	IssuerSignTool     *[4]string // 1.2.643.100.112
	IdentificationKind *int       // 1.2.643.100.114
	OCSPNoCheck        bool

	ExtraExtensions []Extension
}

// Certificate is a built certificate with what other builders need.
type Certificate struct {
	DER        []byte
	Key        *PrivateKey // the subject's key (nil when RawSPKI was used)
	Subject    []byte      // DER of the subject Name
	Issuer     []byte      // DER of the issuer Name
	Serial     []byte      // content octets of the serialNumber INTEGER
	SKI        []byte      // subjectKeyIdentifier (nil if none)
	NotBefore  time.Time
	NotAfter   time.Time
	TBS        []byte // the tbsCertificate element
	IssuerCert *Certificate
}

// SerialInt returns the serial number as an integer (two's complement).
func (c *Certificate) SerialInt() *big.Int {
	v := new(big.Int).SetBytes(c.Serial)
	if len(c.Serial) > 0 && c.Serial[0]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(c.Serial))))
	}
	return v
}

// IssuerAndSerial returns the DER of IssuerAndSerialNumber (RFC 5652 §10.2.4).
func (c *Certificate) IssuerAndSerial() []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddBytes(c.Issuer)
			addInteger(b, nil, c.Serial)
		})
	})
}

// NewCertificate builds and signs a certificate. issuer nil makes it
// self-signed with t.Key; otherwise issuer.Key signs it.
func NewCertificate(t *CertTemplate, issuer *Certificate) (*Certificate, error) {
	if t.Key == nil && t.RawSPKI == nil {
		return nil, errors.New("testkit: certificate without a key")
	}
	signer := t.Key
	if issuer != nil {
		signer = issuer.Key
	}
	if signer == nil {
		return nil, errors.New("testkit: no signing key")
	}
	subject := t.RawSubject
	if subject == nil {
		subject = t.Subject.DER()
	}
	issuerName := subject
	if issuer != nil {
		issuerName = issuer.Subject
	}
	spki := t.RawSPKI
	var ski []byte
	if spki == nil {
		spki = t.Key.SPKI()
		if !t.NoSubjectKeyID {
			ski = t.SubjectKeyID
			if ski == nil {
				ski = t.Key.SubjectKeyID()
			}
		}
	} else if !t.NoSubjectKeyID {
		ski = t.SubjectKeyID
	}
	serial := t.RawSerial
	if serial == nil {
		s := t.Serial
		if s == nil {
			// Derived from subject, key and validity, so two
			// certificates of one subject differ.
			h := sha1Sum(append(append(append([]byte(nil), subject...), spki...), t.NotBefore.UTC().Format(time.RFC3339)...))
			s = new(big.Int).SetBytes(h[:8])
			s.SetBit(s, 62, 1)
		}
		serial = IntegerContent(s)
	}
	sigOID := t.SignatureOID
	if sigOID == nil {
		sigOID = signer.SignatureOID()
	}
	sigAlg := AlgorithmIdentifier(sigOID, t.SignatureParams)
	version := t.Version
	if version == 0 {
		version = 3
	}

	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		if version != 1 {
			b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) { b.AddASN1Int64(int64(version - 1)) })
		}
		addInteger(b, nil, serial)
		b.AddBytes(sigAlg)
		b.AddBytes(issuerName)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			addTime(b, t.NotBefore, t.GeneralizedTimes)
			addTime(b, t.NotAfter, t.GeneralizedTimes)
		})
		b.AddBytes(subject)
		b.AddBytes(spki)
		if version == 3 {
			exts := certExtensions(t, issuer, ski, serial)
			if len(exts) > 0 {
				b.AddASN1(ctxCons(3), func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						for _, e := range exts {
							addExtension(b, e)
						}
					})
				})
			}
		}
	})
	tbs, err := b.Bytes()
	if err != nil {
		return nil, err
	}
	sig := signer.Sign(tbs)
	der := build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddBytes(tbs)
			b.AddBytes(sigAlg)
			b.AddASN1BitString(sig)
		})
	})
	return &Certificate{DER: der, Key: t.Key, Subject: subject, Issuer: issuerName, Serial: serial,
		SKI: ski, NotBefore: t.NotBefore, NotAfter: t.NotAfter, TBS: tbs, IssuerCert: issuer}, nil
}

// MustCertificate is NewCertificate panicking on error (tests only).
func MustCertificate(t *CertTemplate, issuer *Certificate) *Certificate {
	c, err := NewCertificate(t, issuer)
	if err != nil {
		panic(err)
	}
	return c
}

func addExtension(b *cryptobyte.Builder, e Extension) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(e.ID)
		if e.Critical {
			b.AddASN1Boolean(true)
		}
		b.AddASN1OctetString(e.Value)
	})
}

func certExtensions(t *CertTemplate, issuer *Certificate, ski, serial []byte) []Extension {
	var exts []Extension
	if t.BasicConstraints || t.IsCA || t.HasPathLen {
		exts = append(exts, Extension{ID: oid.ExtBasicConstraints, Critical: !t.BasicConstraintsNotCritical,
			Value: build(func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					if t.IsCA {
						b.AddASN1Boolean(true)
					}
					if t.HasPathLen && t.MaxPathLen >= 0 {
						b.AddASN1Int64(int64(t.MaxPathLen))
					}
				})
			})})
	}
	if t.KeyUsage != 0 {
		exts = append(exts, Extension{ID: oid.ExtKeyUsage, Critical: true, Value: keyUsageDER(t.KeyUsage)})
	}
	if len(t.ExtKeyUsage) > 0 {
		exts = append(exts, Extension{ID: oid.ExtExtKeyUsage, Value: build(func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, id := range t.ExtKeyUsage {
					b.AddASN1ObjectIdentifier(id)
				}
			})
		})})
	}
	if ski != nil {
		exts = append(exts, Extension{ID: oid.ExtSubjectKeyID, Value: derOctets(ski)})
	}
	if !t.NoAuthorityKeyID {
		var akiKey, akiIssuer, akiSerial []byte
		if issuer != nil {
			akiKey = issuer.SKI
			akiIssuer, akiSerial = issuer.Issuer, issuer.Serial
		} else {
			akiKey = ski
			akiIssuer, akiSerial = nil, serial
		}
		if akiKey != nil || t.AKIIssuerSerial {
			id := oid.ExtAuthorityKeyID
			if t.OldAuthorityKeyID {
				id = oid.ExtAuthorityKeyIDOld
			}
			if akiIssuer == nil {
				akiIssuer = t.Subject.DER()
				if t.RawSubject != nil {
					akiIssuer = t.RawSubject
				}
			}
			exts = append(exts, Extension{ID: id, Value: build(func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					if akiKey != nil {
						b.AddASN1(ctx(0), func(b *cryptobyte.Builder) { b.AddBytes(akiKey) })
					}
					if t.AKIIssuerSerial {
						b.AddASN1(ctxCons(1), func(b *cryptobyte.Builder) {
							if t.OldAuthorityKeyID {
								// X.509 (1993): certIssuer [1] Name.
								b.AddBytes(akiIssuer)
								return
							}
							b.AddASN1(ctxCons(4), func(b *cryptobyte.Builder) { b.AddBytes(akiIssuer) })
						})
						b.AddASN1(ctx(2), func(b *cryptobyte.Builder) { b.AddBytes(akiSerial) })
					}
				})
			})})
		}
	}
	if len(t.CRLDistributionPoints) > 0 {
		exts = append(exts, Extension{ID: oid.ExtCRLDistributionPoints, Value: cdpDER(t.CRLDistributionPoints)})
	}
	if len(t.OCSPServers)+len(t.IssuingCertificateURL) > 0 {
		exts = append(exts, Extension{ID: oid.ExtAuthorityInfoAccess, Value: build(func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, u := range t.OCSPServers {
					addAccessDescription(b, oid.AccessOCSP, u)
				}
				for _, u := range t.IssuingCertificateURL {
					addAccessDescription(b, oid.AccessCAIssuers, u)
				}
			})
		})})
	}
	if len(t.Policies) > 0 {
		exts = append(exts, Extension{ID: oid.ExtCertificatePolicies, Value: build(func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, p := range t.Policies {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(p) })
				}
			})
		})})
	}
	if !t.PrivateKeyUsageNotBefore.IsZero() || !t.PrivateKeyUsageNotAfter.IsZero() {
		exts = append(exts, Extension{ID: oid.ExtPrivateKeyUsagePeriod, Value: build(func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				if !t.PrivateKeyUsageNotBefore.IsZero() {
					b.AddASN1(ctx(0), func(b *cryptobyte.Builder) {
						b.AddBytes([]byte(t.PrivateKeyUsageNotBefore.UTC().Format("20060102150405Z")))
					})
				}
				if !t.PrivateKeyUsageNotAfter.IsZero() {
					b.AddASN1(ctx(1), func(b *cryptobyte.Builder) {
						b.AddBytes([]byte(t.PrivateKeyUsageNotAfter.UTC().Format("20060102150405Z")))
					})
				}
			})
		})})
	}
	if t.SubjectSignTool != "" {
		exts = append(exts, Extension{ID: oid.SubjectSignTool, Value: build(func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.UTF8String, func(b *cryptobyte.Builder) { b.AddBytes([]byte(t.SubjectSignTool)) })
		})})
	}
	if t.IssuerSignTool != nil {
		exts = append(exts, Extension{ID: oid.IssuerSignTool, Value: build(func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, s := range t.IssuerSignTool {
					b.AddASN1(cbasn1.UTF8String, func(b *cryptobyte.Builder) { b.AddBytes([]byte(s)) })
				}
			})
		})})
	}
	if t.IdentificationKind != nil {
		exts = append(exts, Extension{ID: oid.IdentificationKind, Value: build(func(b *cryptobyte.Builder) {
			b.AddASN1Int64(int64(*t.IdentificationKind))
		})})
	}
	if t.OCSPNoCheck {
		exts = append(exts, Extension{ID: oid.ExtOCSPNoCheck, Value: []byte{0x05, 0x00}})
	}
	return append(exts, t.ExtraExtensions...)
}

func keyUsageDER(ku int) []byte {
	// BIT STRING with trailing zero bits removed (X.690 §11.2.2).
	n := 0
	for i := 0; i < 9; i++ {
		if ku&(1<<i) != 0 {
			n = i + 1
		}
	}
	nbytes := (n + 7) / 8
	bits := make([]byte, nbytes)
	for i := 0; i < n; i++ {
		if ku&(1<<i) != 0 {
			bits[i/8] |= 0x80 >> (i % 8)
		}
	}
	unused := byte(nbytes*8 - n)
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.BIT_STRING, func(b *cryptobyte.Builder) {
			b.AddUint8(unused)
			b.AddBytes(bits)
		})
	})
}

func addAccessDescription(b *cryptobyte.Builder, method asn1.ObjectIdentifier, uri string) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(method)
		b.AddASN1(ctx(6), func(b *cryptobyte.Builder) { b.AddBytes([]byte(uri)) })
	})
}

// cdpDER encodes CRLDistributionPoints with one DistributionPoint per URI:
// SEQUENCE { [0] { [0] fullName { [6] uri } } }.
func cdpDER(uris []string) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			for _, u := range uris {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) {
						b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) {
							b.AddASN1(ctx(6), func(b *cryptobyte.Builder) { b.AddBytes([]byte(u)) })
						})
					})
				})
			}
		})
	})
}
