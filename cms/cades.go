package cms

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/cert"
	"gostsig.dev/internal/oid"
)

// OtherHash is OtherHash (RFC 5126 §5.8.2): a bare SHA-1 OtherHashValue or
// an OtherHashAlgAndValue.
type OtherHash struct {
	Algorithm asn1.ObjectIdentifier // SHA-1 for the bare form
	Value     []byte
}

func readOtherHash(s *cryptobyte.String) (OtherHash, bool) {
	var h OtherHash
	if s.PeekASN1Tag(cbasn1.OCTET_STRING) {
		var v cryptobyte.String
		if !s.ReadASN1(&v, cbasn1.OCTET_STRING) {
			return h, false
		}
		h.Algorithm, h.Value = oid.SHA1, v
		return h, true
	}
	var seq, v cryptobyte.String
	var a AlgorithmIdentifier
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !readAlgorithmIdentifier(&seq, &a) ||
		!seq.ReadASN1(&v, cbasn1.OCTET_STRING) || !seq.Empty() {
		return h, false
	}
	h.Algorithm, h.Value = a.Algorithm, v
	return h, true
}

// matches reports whether the hash is that of data; ok is false when the
// algorithm is not supported.
func (h OtherHash) matches(data []byte) (match, ok bool) {
	nh, ok := hashByOID(h.Algorithm)
	if !ok {
		return false, false
	}
	d := nh()
	d.Write(data)
	return bytes.Equal(d.Sum(nil), h.Value), true
}

// CertRef is one OtherCertID of complete-certificate-references
// (RFC 5126 §6.2.1).
type CertRef struct {
	Hash         OtherHash
	IssuerSerial *IssuerSerial // nil when absent
	// Cert is the certificate found with this hash, nil when none of the
	// certificates at hand has it.
	Cert *cert.Certificate
}

// CRLRef is one CrlValidatedID (RFC 5126 §6.2.2).
type CRLRef struct {
	Hash OtherHash
	// Issuer (DER Name), IssuedTime and Number are the optional
	// CrlIdentifier; Issuer is nil when it is absent.
	Issuer     []byte
	IssuedTime time.Time
	Number     []byte // INTEGER content octets, nil when absent
	// CRL is the matching revocation-values CRL, nil when not carried.
	CRL []byte
}

// OCSPRef is one OcspResponsesID (RFC 5126 §6.2.2).
type OCSPRef struct {
	// ResponderName is the DER Name (byName) or ResponderKeyHash the
	// SHA-1 key hash (byKey) of the OcspIdentifier.
	ResponderName    []byte
	ResponderKeyHash []byte
	ProducedAt       time.Time
	Hash             *OtherHash // ocspRepHash, nil when absent
	// Response is the matching revocation-values BasicOCSPResponse, nil
	// when not carried (or not identifiable without a hash).
	Response []byte
}

// LongTermEvidence is the CAdES-X Long Type 1 material of one signer
// (RFC 5126 §6.2, §6.3), parsed and handed to chain/crl as evidence; it is
// not judged here beyond the reference hashes and the CAdES-C time-stamp.
type LongTermEvidence struct {
	HasCertRefs, HasRevocationRefs, HasCertValues, HasRevocationValues bool

	CertRefs []CertRef
	CRLRefs  []CRLRef
	OCSPRefs []OCSPRef
	// OtherRevRefs counts otherRev [2] references (not interpreted).
	OtherRevRefs int

	// Certificates are certificate-values that parse; RawCertificates all
	// of them as received.
	Certificates    []*cert.Certificate
	RawCertificates [][]byte
	// CRLs and OCSPResponses are revocation-values: DER CertificateLists
	// and DER BasicOCSPResponses. OtherRevocationValues records an
	// otherRevVals [2] field (not interpreted).
	CRLs                  [][]byte
	OCSPResponses         [][]byte
	OtherRevocationValues bool

	// EscTimeStamps are the CAdES-C time-stamps (escTimeStamp).
	EscTimeStamps []*TimeStamp
}

// checkUnsigned handles the unsigned attributes: signature time-stamps
// (CAdES-T) and CAdES-X Long Type 1. Counter-signatures are handled by the
// caller.
func (v *verifier) checkUnsigned(si *SignerInfo, r *SignerResult) {
	if len(si.UnsignedAttrs) == 0 {
		return
	}
	follow := v.tokenDepth < maxTokenDepth
	var tsAttrs, certRefAttrs, revRefAttrs []*Attribute
	budget := MaxTimeStamps
	for i := range si.UnsignedAttrs {
		a := &si.UnsignedAttrs[i]
		switch {
		case a.Type.Equal(oid.AttrSignatureTimeStamp):
			tsAttrs = append(tsAttrs, a)
			if !follow {
				continue
			}
			for _, val := range a.Values {
				if budget == 0 {
					r.add(Check{Name: CheckSignatureTimeStamp, Status: Indeterminate, Reason: ReasonMalformed,
						Detail: fmt.Sprintf("more than %d time-stamp tokens", MaxTimeStamps)})
					return
				}
				budget--
				// RFC 5126 §6.1.1: the imprint is over the value octets of
				// SignerInfo.signature.
				ts := v.verifyTimeStamp(val, []imprintInput{{"signature-value", si.Signature}},
					fmt.Sprintf("%s/timestamp-%d", r.ID, len(r.TimeStamps)+1))
				r.TimeStamps = append(r.TimeStamps, ts)
			}
		case a.Type.Equal(oid.AttrCompleteCertRefs):
			certRefAttrs = append(certRefAttrs, a)
		case a.Type.Equal(oid.AttrCompleteRevocRefs):
			revRefAttrs = append(revRefAttrs, a)
		}
	}
	if len(r.TimeStamps) > 0 {
		r.add(summarize(CheckSignatureTimeStamp, r.TimeStamps))
	}
	lt, err := v.parseLongTerm(si)
	if lt == nil && err == nil {
		return
	}
	r.LongTerm = lt
	if err != nil {
		r.add(Check{Name: CheckCompleteRefs, Status: Failed, Reason: ReasonMalformed, Detail: err.Error()})
		return
	}
	r.add(v.matchRefs(lt))
	v.extraCerts = append(v.extraCerts, lt.Certificates...)
	v.crls = append(v.crls, lt.CRLs...)
	v.ocsps = append(v.ocsps, lt.OCSPResponses...)

	if !follow {
		return
	}
	inputs := escImprintInputs(si.Signature, tsAttrs, certRefAttrs, revRefAttrs)
	for i := range si.UnsignedAttrs {
		a := &si.UnsignedAttrs[i]
		if !a.Type.Equal(oid.AttrEscTimeStamp) {
			continue
		}
		for _, val := range a.Values {
			if budget == 0 {
				r.add(Check{Name: CheckCAdESCTimeStamp, Status: Indeterminate, Reason: ReasonMalformed,
					Detail: fmt.Sprintf("more than %d time-stamp tokens", MaxTimeStamps)})
				return
			}
			budget--
			lt.EscTimeStamps = append(lt.EscTimeStamps, v.verifyTimeStamp(val, inputs,
				fmt.Sprintf("%s/cades-c-timestamp-%d", r.ID, len(lt.EscTimeStamps)+1)))
		}
	}
	if len(lt.EscTimeStamps) > 0 {
		r.add(summarize(CheckCAdESCTimeStamp, lt.EscTimeStamps))
	}
}

// escImprintInputs builds the candidate inputs of the CAdES-C time-stamp
// imprint (RFC 5126 §6.3.5, ETSI TS 101 733 §6.3.5): the signature value
// octets followed by the signature-time-stamp, complete-certificate-
// references and complete-revocation-references attributes, in that order.
//
// The primary reading, "attribute-type-and-values", takes each attribute's
// attrType and attrValues encodings without the enclosing Attribute
// SEQUENCE header: TS 101 733 §6.3.5 NOTE 2 says so and EU DSS computes
// it. Since no CryptoPro XLT1 sample was available to pin the Russian
// practice (cms-cades-profile.md §4), two other readings seen in the
// field are also accepted and reported through TimeStamp.ImprintInput:
// "attribute-der" (whole Attribute encodings) and "attribute-values" (only
// the AttributeValue encodings).
func escImprintInputs(sig []byte, groups ...[]*Attribute) []imprintInput {
	var typeAndValues, whole, values []byte
	typeAndValues = append(typeAndValues, sig...)
	whole = append(whole, sig...)
	values = append(values, sig...)
	for _, g := range groups {
		for _, a := range g {
			s := cryptobyte.String(a.Raw)
			var body cryptobyte.String
			s.ReadASN1(&body, cbasn1.SEQUENCE)
			typeAndValues = append(typeAndValues, body...)
			whole = append(whole, a.Raw...)
			for _, v := range a.Values {
				values = append(values, v...)
			}
		}
	}
	return []imprintInput{
		{"attribute-type-and-values", typeAndValues},
		{"attribute-der", whole},
		{"attribute-values", values},
	}
}

// parseLongTerm parses the CAdES-C and -X Long attributes; it returns nil,
// nil when none is present.
func (v *verifier) parseLongTerm(si *SignerInfo) (*LongTermEvidence, error) {
	lt := &LongTermEvidence{}
	found := false
	for _, a := range si.UnsignedAttrs {
		switch {
		case a.Type.Equal(oid.AttrCompleteCertRefs):
			found, lt.HasCertRefs = true, true
			for _, val := range a.Values {
				if err := lt.parseCertRefs(val); err != nil {
					return lt, err
				}
			}
		case a.Type.Equal(oid.AttrCompleteRevocRefs):
			found, lt.HasRevocationRefs = true, true
			for _, val := range a.Values {
				if err := lt.parseRevocationRefs(val); err != nil {
					return lt, err
				}
			}
		case a.Type.Equal(oid.AttrCertValues):
			found, lt.HasCertValues = true, true
			for _, val := range a.Values {
				if err := lt.parseCertValues(val, v.sd.parseCert); err != nil {
					return lt, err
				}
			}
		case a.Type.Equal(oid.AttrRevocationValues):
			found, lt.HasRevocationValues = true, true
			for _, val := range a.Values {
				if err := lt.parseRevocationValues(val); err != nil {
					return lt, err
				}
			}
		case a.Type.Equal(oid.AttrEscTimeStamp):
			found = true
		}
	}
	if !found {
		return nil, nil
	}
	return lt, nil
}

// parseCertRefs: CompleteCertificateRefs ::= SEQUENCE OF OtherCertID;
// OtherCertID ::= SEQUENCE { otherCertHash OtherHash, issuerSerial
// IssuerSerial OPTIONAL }.
func (lt *LongTermEvidence) parseCertRefs(val []byte) error {
	s := cryptobyte.String(val)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() {
		return errors.New("malformed complete-certificate-references")
	}
	for !seq.Empty() {
		if len(lt.CertRefs) >= maxRefs {
			return errors.New("too many certificate references")
		}
		var id cryptobyte.String
		if !seq.ReadASN1(&id, cbasn1.SEQUENCE) {
			return errors.New("malformed OtherCertID")
		}
		h, ok := readOtherHash(&id)
		if !ok {
			return errors.New("malformed OtherCertID hash")
		}
		ref := CertRef{Hash: h}
		if !id.Empty() {
			is := new(IssuerSerial)
			if !readIssuerSerial(&id, is, new([1][]byte)) || !id.Empty() {
				return errors.New("malformed OtherCertID issuerSerial")
			}
			ref.IssuerSerial = is
		}
		lt.CertRefs = append(lt.CertRefs, ref)
	}
	return nil
}

// parseRevocationRefs: CompleteRevocationRefs ::= SEQUENCE OF CrlOcspRef;
// CrlOcspRef ::= SEQUENCE { crlids [0] CRLListID OPTIONAL, ocspids [1]
// OcspListID OPTIONAL, otherRev [2] OtherRevRefs OPTIONAL } with explicit
// tags (the CAdES ASN.1 modules are EXPLICIT).
func (lt *LongTermEvidence) parseRevocationRefs(val []byte) error {
	s := cryptobyte.String(val)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() {
		return errors.New("malformed complete-revocation-references")
	}
	for !seq.Empty() {
		var ref cryptobyte.String
		if !seq.ReadASN1(&ref, cbasn1.SEQUENCE) {
			return errors.New("malformed CrlOcspRef")
		}
		if ref.PeekASN1Tag(tagCtx0C) {
			// CRLListID ::= SEQUENCE { crls SEQUENCE OF CrlValidatedID }
			var w, list, crls cryptobyte.String
			if !ref.ReadASN1(&w, tagCtx0C) || !w.ReadASN1(&list, cbasn1.SEQUENCE) || !w.Empty() ||
				!list.ReadASN1(&crls, cbasn1.SEQUENCE) || !list.Empty() {
				return errors.New("malformed CRLListID")
			}
			for !crls.Empty() {
				if len(lt.CRLRefs)+len(lt.OCSPRefs) >= maxRefs {
					return errors.New("too many revocation references")
				}
				var id cryptobyte.String
				if !crls.ReadASN1(&id, cbasn1.SEQUENCE) {
					return errors.New("malformed CrlValidatedID")
				}
				h, ok := readOtherHash(&id)
				if !ok {
					return errors.New("malformed CrlValidatedID hash")
				}
				cr := CRLRef{Hash: h}
				if !id.Empty() {
					// CrlIdentifier ::= SEQUENCE { crlissuer Name,
					//   crlIssuedTime UTCTime, crlNumber INTEGER OPTIONAL }
					var ci, name cryptobyte.String
					if !id.ReadASN1(&ci, cbasn1.SEQUENCE) || !id.Empty() || !ci.ReadASN1Element(&name, cbasn1.SEQUENCE) ||
						!ci.ReadASN1UTCTime(&cr.IssuedTime) {
						return errors.New("malformed CrlIdentifier")
					}
					cr.Issuer = name
					if !ci.Empty() {
						var num cryptobyte.String
						if !ci.ReadASN1(&num, cbasn1.INTEGER) || !ci.Empty() {
							return errors.New("malformed CrlIdentifier number")
						}
						cr.Number = num
					}
				}
				lt.CRLRefs = append(lt.CRLRefs, cr)
			}
		}
		if ref.PeekASN1Tag(tagCtx1C) {
			// OcspListID ::= SEQUENCE { ocspResponses SEQUENCE OF OcspResponsesID }
			var w, list, resps cryptobyte.String
			if !ref.ReadASN1(&w, tagCtx1C) || !w.ReadASN1(&list, cbasn1.SEQUENCE) || !w.Empty() ||
				!list.ReadASN1(&resps, cbasn1.SEQUENCE) || !list.Empty() {
				return errors.New("malformed OcspListID")
			}
			for !resps.Empty() {
				if len(lt.CRLRefs)+len(lt.OCSPRefs) >= maxRefs {
					return errors.New("too many revocation references")
				}
				var id, ident, rid cryptobyte.String
				var tag cbasn1.Tag
				// OcspResponsesID ::= SEQUENCE { ocspIdentifier
				//   OcspIdentifier, ocspRepHash OtherHash OPTIONAL }
				// OcspIdentifier ::= SEQUENCE { ocspResponderID
				//   ResponderID, producedAt GeneralizedTime }
				if !resps.ReadASN1(&id, cbasn1.SEQUENCE) || !id.ReadASN1(&ident, cbasn1.SEQUENCE) ||
					!ident.ReadAnyASN1(&rid, &tag) {
					return errors.New("malformed OcspResponsesID")
				}
				var or OCSPRef
				switch tag {
				case tagCtx1C: // byName [1] Name
					var name cryptobyte.String
					if !rid.ReadASN1Element(&name, cbasn1.SEQUENCE) || !rid.Empty() {
						return errors.New("malformed ResponderID")
					}
					or.ResponderName = name
				case cbasn1.Tag(2).Constructed().ContextSpecific(): // byKey [2] KeyHash
					var kh cryptobyte.String
					if !rid.ReadASN1(&kh, cbasn1.OCTET_STRING) || !rid.Empty() {
						return errors.New("malformed ResponderID")
					}
					or.ResponderKeyHash = kh
				default:
					return errors.New("malformed ResponderID")
				}
				var pt cryptobyte.String
				if !ident.ReadASN1(&pt, cbasn1.GeneralizedTime) || !ident.Empty() {
					return errors.New("malformed OcspIdentifier producedAt")
				}
				t, err := parseGeneralizedTime(pt)
				if err != nil {
					return errors.New("malformed OcspIdentifier producedAt")
				}
				or.ProducedAt = t
				if !id.Empty() {
					h, ok := readOtherHash(&id)
					if !ok || !id.Empty() {
						return errors.New("malformed ocspRepHash")
					}
					or.Hash = &h
				}
				lt.OCSPRefs = append(lt.OCSPRefs, or)
			}
		}
		if ref.PeekASN1Tag(cbasn1.Tag(2).Constructed().ContextSpecific()) {
			var o cryptobyte.String
			ref.ReadASN1(&o, cbasn1.Tag(2).Constructed().ContextSpecific())
			lt.OtherRevRefs++
		}
		if !ref.Empty() {
			return errors.New("malformed CrlOcspRef")
		}
	}
	return nil
}

// parseCertValues: CertificateValues ::= SEQUENCE OF Certificate.
func (lt *LongTermEvidence) parseCertValues(val []byte, pc certParser) error {
	s := cryptobyte.String(val)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() {
		return errors.New("malformed certificate-values")
	}
	for !seq.Empty() {
		if len(lt.RawCertificates) >= MaxCertificates {
			return fmt.Errorf("more than %d certificate-values", MaxCertificates)
		}
		var c cryptobyte.String
		if !seq.ReadASN1Element(&c, cbasn1.SEQUENCE) {
			return errors.New("malformed certificate-values")
		}
		lt.RawCertificates = append(lt.RawCertificates, c)
		if c, err := pc(c); err == nil {
			lt.Certificates = append(lt.Certificates, c)
		}
	}
	return nil
}

// parseRevocationValues: RevocationValues ::= SEQUENCE { crlVals [0]
// SEQUENCE OF CertificateList OPTIONAL, ocspVals [1] SEQUENCE OF
// BasicOCSPResponse OPTIONAL, otherRevVals [2] OtherRevVals OPTIONAL }.
func (lt *LongTermEvidence) parseRevocationValues(val []byte) error {
	s := cryptobyte.String(val)
	var seq cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() {
		return errors.New("malformed revocation-values")
	}
	readList := func(tag cbasn1.Tag, out *[][]byte) error {
		if !seq.PeekASN1Tag(tag) {
			return nil
		}
		var w, list cryptobyte.String
		if !seq.ReadASN1(&w, tag) || !w.ReadASN1(&list, cbasn1.SEQUENCE) || !w.Empty() {
			return errors.New("malformed revocation-values")
		}
		for !list.Empty() {
			if len(lt.CRLs)+len(lt.OCSPResponses) >= MaxCRLs {
				return fmt.Errorf("more than %d revocation-values", MaxCRLs)
			}
			var e cryptobyte.String
			if !list.ReadASN1Element(&e, cbasn1.SEQUENCE) {
				return errors.New("malformed revocation-values")
			}
			*out = append(*out, e)
		}
		return nil
	}
	if err := readList(tagCtx0C, &lt.CRLs); err != nil {
		return err
	}
	if err := readList(tagCtx1C, &lt.OCSPResponses); err != nil {
		return err
	}
	if seq.PeekASN1Tag(cbasn1.Tag(2).Constructed().ContextSpecific()) {
		var o cryptobyte.String
		seq.ReadASN1(&o, cbasn1.Tag(2).Constructed().ContextSpecific())
		lt.OtherRevocationValues = true
	}
	if !seq.Empty() {
		return errors.New("malformed revocation-values")
	}
	return nil
}

// matchRefs ties the references to the values at hand and reports
// CheckCompleteRefs: Failed when a reference names evidence that is
// present under its identity but with another hash; Indeterminate when
// some referenced evidence is not carried; Passed when every reference
// matches.
func (v *verifier) matchRefs(lt *LongTermEvidence) Check {
	c := Check{Name: CheckCompleteRefs}
	if !lt.HasCertRefs && !lt.HasRevocationRefs {
		c.Status = NotApplicable
		return c
	}
	var candidates []*cert.Certificate
	candidates = append(candidates, lt.Certificates...)
	candidates = append(candidates, v.pool.certs...)
	unmatched, unsupported := 0, 0
	for i := range lt.CertRefs {
		ref := &lt.CertRefs[i]
		for _, cand := range candidates {
			m, ok := ref.Hash.matches(cand.Raw)
			if !ok {
				unsupported++
				break
			}
			if m {
				ref.Cert = cand
				break
			}
			if ref.IssuerSerial != nil && ref.IssuerSerial.matches(cand) {
				c.Status, c.Reason = Failed, ReasonReferenceMismatch
				c.Detail = fmt.Sprintf("certificate reference %d: the certificate it names has another hash", i+1)
				return c
			}
		}
		if ref.Cert == nil {
			unmatched++
		}
	}
	for i := range lt.CRLRefs {
		ref := &lt.CRLRefs[i]
		for _, crl := range lt.CRLs {
			if m, _ := ref.Hash.matches(crl); m {
				ref.CRL = crl
				break
			}
		}
		if ref.CRL == nil {
			unmatched++
		}
	}
	for i := range lt.OCSPRefs {
		ref := &lt.OCSPRefs[i]
		if ref.Hash != nil {
			for _, o := range lt.OCSPResponses {
				if m, _ := ref.Hash.matches(o); m {
					ref.Response = o
					break
				}
			}
		}
		if ref.Response == nil {
			unmatched++
		}
	}
	switch {
	case unsupported > 0:
		c.Status, c.Reason, c.Detail = Indeterminate, ReasonUnsupportedAlgorithm, "a reference uses an unsupported hash"
	case unmatched > 0:
		c.Status, c.Reason = Indeterminate, ReasonReferenceMismatch
		c.Detail = fmt.Sprintf("%d referenced item(s) not carried in the signature", unmatched)
	default:
		c.Status = Passed
	}
	return c
}
