package testkit

import (
	"encoding/asn1"
	"errors"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/oid"
)

// XLongSpec describes the CAdES-X Long Type 1 unsigned attributes
// (RFC 5126 §6.2.1, §6.2.2, §6.3.3, §6.3.4, §6.3.5) added after the
// signature time-stamp.
type XLongSpec struct {
	// Certificates of the path (without the signer), referenced in
	// complete-certificate-references and carried in certificate-values.
	Certificates []*Certificate
	// CRLs and OCSP (BasicOCSPResponse DER) of the path, referenced in
	// complete-revocation-references and carried in revocation-values.
	CRLs  [][]byte
	OCSPs [][]byte
	// RefHashOID hashes the references (default Streebog-256);
	// SHA1Refs writes bare SHA-1 OtherHashValue instead, as some
	// CryptoPro versions do.
	RefHashOID asn1.ObjectIdentifier
	SHA1Refs   bool
	// OCSPProducedAt / OCSPResponders feed the OcspIdentifier of each
	// OCSP reference (ResponderID byName of the responder certificate).
	OCSPResponders []*Certificate
	OCSPProducedAt []time.Time
	// CRLIssuers / CRLIssuedAt feed the optional CrlIdentifier of each CRL
	// reference; nil leaves it out.
	CRLIssuers  []*Certificate
	CRLIssuedAt []time.Time

	// EscTimeStamp, when set, adds the CAdES-C time-stamp (escTimeStamp)
	// over EscImprintInput (see EscTimeStampInput).
	EscTimeStamp *TimeStampSpec
	// NoValues leaves out certificate-values and revocation-values
	// (CAdES-X Type 1 without the Long part).
	NoValues bool
}

// EscTimeStampInput is the data whose hash is the messageImprint of the
// CAdES-C time-stamp: the signature value octets, then for each of the
// signature-time-stamp, complete-certificate-references and
// complete-revocation-references attributes its attrType and attrValues
// DER encodings without the enclosing Attribute SEQUENCE header (ETSI TS
// 101 733 §6.3.5 and its NOTE 2; what EU DSS computes). attrs are the
// Attribute DERs in that order.
func EscTimeStampInput(signature []byte, attrs ...[]byte) []byte {
	out := append([]byte(nil), signature...)
	for _, a := range attrs {
		if a == nil {
			continue
		}
		out = append(out, contentOf(a)...)
	}
	return out
}

func (x *XLongSpec) refHash() asn1.ObjectIdentifier {
	if x.RefHashOID != nil {
		return x.RefHashOID
	}
	return oid.Streebog256
}

// addOtherHash writes OtherHash ::= CHOICE { sha1Hash OtherHashValue,
// otherHash OtherHashAlgAndValue }.
func (x *XLongSpec) addOtherHash(b *cryptobyte.Builder, data []byte) {
	if x.SHA1Refs {
		b.AddASN1OctetString(sha1Sum(data))
		return
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		addAlgID(b, x.refHash(), ParamsAbsent)
		b.AddASN1OctetString(Digest(x.refHash(), data))
	})
}

// attributes returns the attribute DERs in order: completeCertificateRefs,
// completeRevocationRefs, certValues, revocationValues, escTimeStamp.
func (x *XLongSpec) attributes(sig, tsAttr []byte) ([][]byte, error) {
	// CompleteCertificateRefs ::= SEQUENCE OF OtherCertID
	certRefs := Attribute{Type: oid.AttrCompleteCertRefs, Values: [][]byte{build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			for _, c := range x.Certificates {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					x.addOtherHash(b, c.DER)
					b.AddBytes(issuerSerialDER(c))
				})
			}
		})
	})}}.DER()
	// CompleteRevocationRefs ::= SEQUENCE OF CrlOcspRef; CrlOcspRef ::=
	// SEQUENCE { crlids [0] CRLListID OPTIONAL, ocspids [1] OcspListID
	// OPTIONAL } (explicit tags: the CAdES modules are EXPLICIT).
	revRefs := Attribute{Type: oid.AttrCompleteRevocRefs, Values: [][]byte{build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				if len(x.CRLs) > 0 {
					b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
								for i, crl := range x.CRLs {
									b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
										x.addOtherHash(b, crl)
										if i < len(x.CRLIssuers) && i < len(x.CRLIssuedAt) {
											b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
												b.AddBytes(x.CRLIssuers[i].Subject)
												b.AddASN1(cbasn1.UTCTime, func(b *cryptobyte.Builder) {
													b.AddBytes([]byte(x.CRLIssuedAt[i].UTC().Format("060102150405Z")))
												})
											})
										}
									})
								}
							})
						})
					})
				}
				if len(x.OCSPs) > 0 {
					if len(x.OCSPResponders) != len(x.OCSPs) || len(x.OCSPProducedAt) != len(x.OCSPs) {
						b.SetError(errors.New("testkit: each OCSP reference needs its responder and producedAt"))
						return
					}
					b.AddASN1(ctxCons(1), func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
								for i, o := range x.OCSPs {
									b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
										b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
											b.AddASN1(ctxCons(1), func(b *cryptobyte.Builder) {
												b.AddBytes(x.OCSPResponders[i].Subject)
											})
											addGeneralizedTime(b, x.OCSPProducedAt[i])
										})
										x.addOtherHash(b, o)
									})
								}
							})
						})
					})
				}
			})
		})
	})}}.DER()
	out := [][]byte{certRefs, revRefs}
	if !x.NoValues {
		out = append(out, Attribute{Type: oid.AttrCertValues, Values: [][]byte{build(func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, c := range x.Certificates {
					b.AddBytes(c.DER)
				}
			})
		})}}.DER())
		// RevocationValues ::= SEQUENCE { crlVals [0] SEQUENCE OF
		// CertificateList OPTIONAL, ocspVals [1] SEQUENCE OF
		// BasicOCSPResponse OPTIONAL }.
		out = append(out, Attribute{Type: oid.AttrRevocationValues, Values: [][]byte{build(func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				if len(x.CRLs) > 0 {
					b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							for _, c := range x.CRLs {
								b.AddBytes(c)
							}
						})
					})
				}
				if len(x.OCSPs) > 0 {
					b.AddASN1(ctxCons(1), func(b *cryptobyte.Builder) {
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							for _, o := range x.OCSPs {
								b.AddBytes(o)
							}
						})
					})
				}
			})
		})}}.DER())
	}
	if x.EscTimeStamp != nil {
		tok, err := NewTimeStampToken(x.EscTimeStamp, EscTimeStampInput(sig, tsAttr, certRefs, revRefs))
		if err != nil {
			return nil, err
		}
		out = append(out, Attribute{Type: oid.AttrEscTimeStamp, Values: [][]byte{tok}}.DER())
	}
	return out, nil
}
