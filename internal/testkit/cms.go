package testkit

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/oid"
)

// SignerSpec describes one SignerInfo (RFC 5652 §5.3). Zero values give a
// CAdES-BES-like signer as КриптоПро CSP writes it: issuerAndSerialNumber,
// the key's hash, the key OID as signatureAlgorithm, signed attributes
// contentType, messageDigest and (when SigningTime is set) signingTime.
type SignerSpec struct {
	Cert *Certificate // signer certificate; Cert.Key signs

	// DigestOID overrides the digest algorithm (default: the key's hash);
	// DigestParams says how its parameters are written.
	DigestOID    asn1.ObjectIdentifier
	DigestParams Params
	// SignatureOID overrides signatureAlgorithm (default: the key OID,
	// 1.2.643.7.1.1.1.1/.2 or 1.2.643.2.2.19); SignatureParams says how
	// its parameters are written.
	SignatureOID    asn1.ObjectIdentifier
	SignatureParams Params

	// UseSKI identifies the signer by subjectKeyIdentifier (version 3).
	UseSKI bool

	// NoSignedAttrs signs the content directly (no signed attributes).
	NoSignedAttrs bool
	// SigningTime, when non-zero, adds signingTime (UTCTime in
	// 1950..2049, as RFC 5652 §11.3 requires).
	SigningTime time.Time
	// SigningCertV2 adds ESS signingCertificateV2 (RFC 5035) with
	// ESSCertIDv2.hashAlgorithm = SigningCertHashOID; nil writes it
	// absent, meaning SHA-256 by default. NoIssuerSerial leaves out the
	// issuerSerial. SigningCertV1 adds ESS signingCertificate (SHA-1).
	SigningCertV2      bool
	SigningCertHashOID asn1.ObjectIdentifier
	SigningCertV1      bool
	NoIssuerSerial     bool
	// SigningCertFor names another certificate in the ESS attributes (to
	// test the "names the signer" check).
	SigningCertFor *Certificate
	// CMSAlgorithmProtection adds RFC 6211 CMSAlgorithmProtection with
	// this SignerInfo's algorithms (or AlgProtectionDigestOID /
	// AlgProtectionSignatureOID when set, for mismatch tests).
	CMSAlgorithmProtection    bool
	AlgProtectionDigestOID    asn1.ObjectIdentifier
	AlgProtectionSignatureOID asn1.ObjectIdentifier

	// ExtraSigned are additional signed attributes.
	ExtraSigned []Attribute
	// Unsorted writes the signed attributes in the order built (content
	// type, signing time, message digest, ESS, algorithm protection,
	// extras) instead of DER SET OF order: CryptoARM does this, and the
	// verifier must hash what it received.
	Unsorted bool

	// Negative-test knobs.
	OmitContentType     bool                  // no contentType attribute
	ContentTypeOverride asn1.ObjectIdentifier // contentType value other than eContentType
	OmitMessageDigest   bool
	MessageDigest       []byte // messageDigest value used instead of the real one
	CorruptSignature    bool   // flip one bit of the signature value after signing
	SignA0Tag           bool   // sign the attributes with the [0] tag, not SET (a known producer bug)

	// Unsigned attributes. They are built after signing, in this order:
	// counter-signatures, the signature time-stamp, the CAdES-X Long
	// Type 1 attributes, then Unsigned.
	CounterSigners     []SignerSpec
	SignatureTimeStamp *TimeStampSpec
	XLong              *XLongSpec
	Unsigned           []Attribute
	// UnsignedFunc, if set, is called with the signature value octets
	// and returns further unsigned attributes.
	UnsignedFunc func(signature []byte) []Attribute
}

// SignedDataSpec describes a ContentInfo holding SignedData (RFC 5652 §5).
type SignedDataSpec struct {
	// Content is the signed content; ContentType its type (default
	// id-data). Detached leaves eContent out.
	Content     []byte
	ContentType asn1.ObjectIdentifier
	Detached    bool
	// ContentDigest, when Content is nil, is the digest to sign (hash-only
	// signing of a detached document). All signers must then use the
	// digest algorithm it was made with.
	ContentDigest []byte

	Signers []SignerSpec

	// Certificates are added to the certificates field after the signer
	// certificates (which NoSignerCerts leaves out).
	Certificates  [][]byte
	NoSignerCerts bool
	CRLs          [][]byte

	// DigestAlgorithms overrides the digestAlgorithms SET (DER of each
	// AlgorithmIdentifier); nil collects the signers' ones.
	DigestAlgorithms [][]byte

	// BER writes ContentInfo, SignedData, EncapsulatedContentInfo and
	// eContent with indefinite lengths, eContent as a constructed OCTET
	// STRING of BERChunk-byte segments (default 1000), as КриптоПро CSP
	// streams it.
	BER      bool
	BERChunk int
}

// NewSignedData builds the ContentInfo.
func NewSignedData(spec *SignedDataSpec) ([]byte, error) {
	ctype := spec.ContentType
	if ctype == nil {
		ctype = oid.Data
	}
	if len(spec.Signers) == 0 {
		return nil, errors.New("testkit: SignedData without signers")
	}
	var signerInfos [][]byte
	var digestAlgs [][]byte
	var certs [][]byte
	version := int64(1)
	if !ctype.Equal(oid.Data) {
		version = 3
	}
	for i := range spec.Signers {
		s := &spec.Signers[i]
		if s.Cert == nil || s.Cert.Key == nil {
			return nil, fmt.Errorf("testkit: signer %d has no certificate or key", i)
		}
		digestOID := s.digestOID()
		var digest []byte
		if spec.Content != nil || spec.ContentDigest == nil {
			digest = Digest(digestOID, spec.Content)
		} else {
			digest = spec.ContentDigest
		}
		si, err := buildSignerInfo(s, ctype, digest, spec.Content, false)
		if err != nil {
			return nil, fmt.Errorf("testkit: signer %d: %w", i, err)
		}
		signerInfos = append(signerInfos, si)
		digestAlgs = appendUnique(digestAlgs, AlgorithmIdentifier(digestOID, s.DigestParams))
		if s.UseSKI {
			version = 3
		}
		if !spec.NoSignerCerts {
			certs = appendSignerCerts(certs, s)
		}
	}
	for _, c := range spec.Certificates {
		certs = appendUnique(certs, c)
	}
	if spec.DigestAlgorithms != nil {
		digestAlgs = spec.DigestAlgorithms
	}
	// RFC 5652 §5.1: other certificate and revocation formats raise the
	// version.
	for _, c := range certs {
		switch c[0] {
		case 0xa3: // other
			version = max(version, 5)
		case 0xa2: // v2AttrCert
			version = max(version, 4)
		case 0xa1: // v1AttrCert
			version = max(version, 3)
		}
	}
	for _, c := range spec.CRLs {
		if c[0] == 0xa1 { // other [1] OtherRevocationInfoFormat
			version = 5
		}
	}

	if spec.BER {
		return berSignedData(spec, ctype, version, digestAlgs, certs, signerInfos), nil
	}
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oid.SignedData)
			b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1Int64(version)
					addSetOf(b, digestAlgs, true)
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
						b.AddASN1ObjectIdentifier(ctype)
						if !spec.Detached && spec.Content != nil {
							b.AddASN1(ctxCons(0), func(b *cryptobyte.Builder) { b.AddASN1OctetString(spec.Content) })
						}
					})
					if len(certs) > 0 {
						addTaggedSetOf(b, ctxCons(0), certs, false)
					}
					if len(spec.CRLs) > 0 {
						addTaggedSetOf(b, ctxCons(1), spec.CRLs, false)
					}
					addSetOf(b, signerInfos, false)
				})
			})
		})
	}), nil
}

// OtherRevocationInfo returns a RevocationInfoChoice other [1] IMPLICIT
// OtherRevocationInfoFormat (RFC 5652 §10.2.1) for SignedDataSpec.CRLs.
func OtherRevocationInfo(format asn1.ObjectIdentifier, info []byte) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(ctxCons(1), func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(format)
			b.AddBytes(info)
		})
	})
}

// OCSPRevocationInfo carries an OCSPResponse (see OCSPResponse) in the
// SignedData crls field as RFC 5940 §3 defines: OtherRevocationInfoFormat
// with id-ri-ocsp-response.
func OCSPRevocationInfo(ocspResponse []byte) []byte {
	return OtherRevocationInfo(oid.RIOCSPResponse, ocspResponse)
}

// MustSignedData is NewSignedData panicking on error (tests only).
func MustSignedData(spec *SignedDataSpec) []byte {
	b, err := NewSignedData(spec)
	if err != nil {
		panic(err)
	}
	return b
}

// appendSignerCerts adds the certificates of a signer and of its
// counter-signers, as producers put them in the certificates field.
func appendSignerCerts(certs [][]byte, s *SignerSpec) [][]byte {
	certs = appendUnique(certs, s.Cert.DER)
	for i := range s.CounterSigners {
		certs = appendSignerCerts(certs, &s.CounterSigners[i])
	}
	return certs
}

func appendUnique(list [][]byte, e []byte) [][]byte {
	for _, x := range list {
		if bytes.Equal(x, e) {
			return list
		}
	}
	return append(list, e)
}

func (s *SignerSpec) digestOID() asn1.ObjectIdentifier {
	if s.DigestOID != nil {
		return s.DigestOID
	}
	return s.Cert.Key.HashOID()
}

func (s *SignerSpec) signatureOID() asn1.ObjectIdentifier {
	if s.SignatureOID != nil {
		return s.SignatureOID
	}
	return s.Cert.Key.Alg.OID()
}

// buildSignerInfo makes one SignerInfo. For a counter-signature (counter
// set) content is the parent's signature value and no contentType is
// written (RFC 5652 §11.4).
func buildSignerInfo(s *SignerSpec, ctype asn1.ObjectIdentifier, digest, content []byte, counter bool) ([]byte, error) {
	key := s.Cert.Key
	digestOID := s.digestOID()
	digestAlg := AlgorithmIdentifier(digestOID, s.DigestParams)
	sigAlg := AlgorithmIdentifier(s.signatureOID(), s.SignatureParams)

	var signedAttrs []byte // the [0] IMPLICIT element, or nil
	var toSign []byte
	if !s.NoSignedAttrs {
		attrs := signedAttributes(s, ctype, digest, digestAlg, sigAlg, counter)
		var elems [][]byte
		for _, a := range attrs {
			elems = append(elems, a.DER())
		}
		set := build(func(b *cryptobyte.Builder) { addSetOf(b, elems, !s.Unsorted) })
		signedAttrs = append([]byte{0xa0}, set[1:]...)
		// RFC 5652 §5.4: the signature covers the DER of SignedAttributes
		// with the SET OF tag, not the [0] IMPLICIT tag.
		toSign = set
		if s.SignA0Tag {
			toSign = signedAttrs
		}
	} else {
		if content == nil {
			return nil, errors.New("no signed attributes needs the content itself")
		}
		toSign = content
	}
	var sig []byte
	if s.NoSignedAttrs && !hashMatchesKey(digestOID, key) {
		return nil, errors.New("without signed attributes the digest must be the key's hash")
	}
	h := HashByOID(key.HashOID())
	h.Write(toSign)
	sig = key.SignDigest(h.Sum(nil))
	if s.CorruptSignature {
		sig[len(sig)/2] ^= 0x01
	}

	var unsigned [][]byte
	for i := range s.CounterSigners {
		cs := &s.CounterSigners[i]
		csi, err := buildSignerInfo(cs, nil, Digest(cs.digestOID(), sig), sig, true)
		if err != nil {
			return nil, fmt.Errorf("counter-signer %d: %w", i, err)
		}
		unsigned = append(unsigned, Attribute{Type: oid.AttrCounterSignature, Values: [][]byte{csi}}.DER())
	}
	var tsAttr []byte
	if s.SignatureTimeStamp != nil {
		tok, err := NewTimeStampToken(s.SignatureTimeStamp, sig)
		if err != nil {
			return nil, fmt.Errorf("signature time-stamp: %w", err)
		}
		tsAttr = Attribute{Type: oid.AttrSignatureTimeStamp, Values: [][]byte{tok}}.DER()
		unsigned = append(unsigned, tsAttr)
	}
	if s.XLong != nil {
		attrs, err := s.XLong.attributes(sig, tsAttr)
		if err != nil {
			return nil, err
		}
		unsigned = append(unsigned, attrs...)
	}
	for _, a := range s.Unsigned {
		unsigned = append(unsigned, a.DER())
	}
	if s.UnsignedFunc != nil {
		for _, a := range s.UnsignedFunc(sig) {
			unsigned = append(unsigned, a.DER())
		}
	}

	version := int64(1)
	if s.UseSKI {
		version = 3
	}
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1Int64(version)
			if s.UseSKI {
				b.AddASN1(ctx(0), func(b *cryptobyte.Builder) { b.AddBytes(s.Cert.SKI) })
			} else {
				b.AddBytes(s.Cert.IssuerAndSerial())
			}
			b.AddBytes(digestAlg)
			if signedAttrs != nil {
				b.AddBytes(signedAttrs)
			}
			b.AddBytes(sigAlg)
			b.AddASN1OctetString(sig)
			if len(unsigned) > 0 {
				// Unsigned attributes are not hashed; keep build order.
				addTaggedSetOf(b, ctxCons(1), unsigned, false)
			}
		})
	}), nil
}

func hashMatchesKey(digestOID asn1.ObjectIdentifier, k *PrivateKey) bool {
	return digestOID.Equal(k.HashOID())
}

func signedAttributes(s *SignerSpec, ctype asn1.ObjectIdentifier, digest, digestAlg, sigAlg []byte, counter bool) []Attribute {
	var attrs []Attribute
	if !counter && !s.OmitContentType {
		ct := ctype
		if s.ContentTypeOverride != nil {
			ct = s.ContentTypeOverride
		}
		attrs = append(attrs, Attribute{Type: oid.AttrContentType, Values: [][]byte{derOID(ct)}})
	}
	if !s.SigningTime.IsZero() {
		attrs = append(attrs, Attribute{Type: oid.AttrSigningTime, Values: [][]byte{derTime(s.SigningTime, false)}})
	}
	if !s.OmitMessageDigest {
		md := digest
		if s.MessageDigest != nil {
			md = s.MessageDigest
		}
		attrs = append(attrs, Attribute{Type: oid.AttrMessageDigest, Values: [][]byte{derOctets(md)}})
	}
	named := s.Cert
	if s.SigningCertFor != nil {
		named = s.SigningCertFor
	}
	if s.SigningCertV2 {
		attrs = append(attrs, Attribute{Type: oid.AttrSigningCertV2, Values: [][]byte{
			SigningCertificateV2(named, s.SigningCertHashOID, !s.NoIssuerSerial)}})
	}
	if s.SigningCertV1 {
		attrs = append(attrs, Attribute{Type: oid.AttrSigningCertificate, Values: [][]byte{
			SigningCertificateV1(named, !s.NoIssuerSerial)}})
	}
	if s.CMSAlgorithmProtection {
		da, sa := digestAlg, sigAlg
		if s.AlgProtectionDigestOID != nil {
			da = AlgorithmIdentifier(s.AlgProtectionDigestOID, s.DigestParams)
		}
		if s.AlgProtectionSignatureOID != nil {
			sa = AlgorithmIdentifier(s.AlgProtectionSignatureOID, s.SignatureParams)
		}
		attrs = append(attrs, Attribute{Type: oid.AttrCMSAlgProtection, Values: [][]byte{
			build(func(b *cryptobyte.Builder) {
				// RFC 6211 §2: SEQUENCE { digestAlgorithm,
				// signatureAlgorithm [1] IMPLICIT AlgorithmIdentifier }.
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddBytes(da)
					b.AddASN1(ctxCons(1), func(b *cryptobyte.Builder) { b.AddBytes(contentOf(sa)) })
				})
			})}})
	}
	return append(attrs, s.ExtraSigned...)
}

// issuerSerialDER is IssuerSerial ::= SEQUENCE { issuer GeneralNames,
// serialNumber } (RFC 5035 §4) naming c.
func issuerSerialDER(c *Certificate) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(ctxCons(4), func(b *cryptobyte.Builder) { b.AddBytes(c.Issuer) })
			})
			addInteger(b, nil, c.Serial)
		})
	})
}

// SigningCertificateV2 returns the DER of SigningCertificateV2 (RFC 5035
// §3) naming c. hashOID nil leaves hashAlgorithm out (the SHA-256 default).
func SigningCertificateV2(c *Certificate, hashOID asn1.ObjectIdentifier, withIssuerSerial bool) []byte {
	h := hashOID
	if h == nil {
		h = oid.SHA256
	}
	certHash := Digest(h, c.DER)
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					if hashOID != nil {
						addAlgID(b, hashOID, ParamsAbsent)
					}
					b.AddASN1OctetString(certHash)
					if withIssuerSerial {
						b.AddBytes(issuerSerialDER(c))
					}
				})
			})
		})
	})
}

// SigningCertificateV1 returns the DER of ESS SigningCertificate (RFC 2634
// §5.4) naming c by its SHA-1 hash.
func SigningCertificateV1(c *Certificate, withIssuerSerial bool) []byte {
	return build(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1OctetString(sha1Sum(c.DER))
					if withIssuerSerial {
						b.AddBytes(issuerSerialDER(c))
					}
				})
			})
		})
	})
}

// berSignedData writes the ContentInfo with indefinite lengths on the
// envelope and a chunked constructed eContent (X.690 §8.1.3.6, §8.7.3).
func berSignedData(spec *SignedDataSpec, ctype asn1.ObjectIdentifier, version int64, digestAlgs, certs, signerInfos [][]byte) []byte {
	chunk := spec.BERChunk
	if chunk <= 0 {
		chunk = 1000
	}
	var out []byte
	eoc := []byte{0, 0}
	out = append(out, 0x30, 0x80)
	out = append(out, derOID(oid.SignedData)...)
	out = append(out, 0xa0, 0x80, 0x30, 0x80)
	out = append(out, build(func(b *cryptobyte.Builder) { b.AddASN1Int64(version) })...)
	out = append(out, build(func(b *cryptobyte.Builder) { addSetOf(b, digestAlgs, true) })...)
	out = append(out, 0x30, 0x80)
	out = append(out, derOID(ctype)...)
	if !spec.Detached && spec.Content != nil {
		out = append(out, 0xa0, 0x80, 0x24, 0x80)
		c := spec.Content
		for len(c) > 0 {
			n := min(chunk, len(c))
			out = append(out, derOctets(c[:n])...)
			c = c[n:]
		}
		out = append(out, eoc...) // constructed OCTET STRING
		out = append(out, eoc...) // [0]
	}
	out = append(out, eoc...) // EncapsulatedContentInfo
	if len(certs) > 0 {
		out = append(out, 0xa0, 0x80)
		for _, c := range certs {
			out = append(out, c...)
		}
		out = append(out, eoc...)
	}
	if len(spec.CRLs) > 0 {
		out = append(out, 0xa1, 0x80)
		for _, c := range spec.CRLs {
			out = append(out, c...)
		}
		out = append(out, eoc...)
	}
	out = append(out, 0x31, 0x80)
	for _, si := range signerInfos {
		out = append(out, si...)
	}
	out = append(out, eoc...) // signerInfos
	out = append(out, eoc...) // SignedData
	out = append(out, eoc...) // [0]
	out = append(out, eoc...) // ContentInfo
	return out
}

// contentOf returns the contents octets of a DER element.
func contentOf(der []byte) []byte {
	s := cryptobyte.String(der)
	var c cryptobyte.String
	var tag cbasn1.Tag
	if !s.ReadAnyASN1(&c, &tag) {
		panic("testkit: bad DER")
	}
	return c
}
