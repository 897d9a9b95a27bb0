package gostsig

import (
	"strconv"

	"gostsig.dev/cert"
	"gostsig.dev/cms"
	"gostsig.dev/xmldsig"
)

// Finding the signer outside the signature: a CMS SignedData may carry no
// certificates (`openssl cms -sign -nocerts`, КриптоПро's "без
// сертификата"); its signer is then looked for in the certificates the
// request supplies and in the Verifier's known stores (Config.Intermediates
// and the anchors), as validation-policy.md row 5 says: NO_SIGNING_
// CERTIFICATE_FOUND only when it is "not in the signature nor in the
// supplied/known stores".

// signerIndex finds configured certificates by the issuerAndSerialNumber of
// a SignerIdentifier (RFC 5652 §5.3). Keys are the serial's content octets
// in minimal two's complement (serialKey), so that a serial written with a
// superfluous leading zero octet still matches; the issuer is compared by
// cert.Name.EqualDER.
type signerIndex map[string][]*cert.Certificate

func newSignerIndex(certs ...[]*cert.Certificate) signerIndex {
	idx := signerIndex{}
	for _, cs := range certs {
		for _, c := range cs {
			k := string(serialKey(c.RawSerial))
			idx[k] = append(idx[k], c)
		}
	}
	return idx
}

// serialKey is the INTEGER content octets raw with redundant leading
// octets removed (X.690 §8.3.2: a 0x00 before a clear high bit, 0xFF before
// a set one), so two encodings of one value give one key; empty content is
// 0. It slices raw: a lookup m[string(serialKey(b))] does not allocate.
func serialKey(raw []byte) []byte {
	if len(raw) == 0 {
		return zeroSerial
	}
	for len(raw) > 1 && (raw[0] == 0x00 && raw[1]&0x80 == 0 || raw[0] == 0xFF && raw[1]&0x80 != 0) {
		raw = raw[1:]
	}
	return raw
}

var zeroSerial = []byte{0}

// knownSignerCerts returns the configured certificates that match the
// SignerIdentifier of a SignerInfo of sd or of one of its
// counter-signatures. The cms layer searches them after the certificates
// the SignedData carries and the request's, so a certificate in the
// message always wins.
func (v *Verifier) knownSignerCerts(sd *cms.SignedData) []*cert.Certificate {
	var out []*cert.Certificate
	var walk func(si *cms.SignerInfo, depth int)
	walk = func(si *cms.SignerInfo, depth int) {
		if si == nil || depth > cms.MaxCounterSignatureDepth {
			return
		}
		sid := &si.SID
		switch {
		case sid.SubjectKeyID != nil:
			out = append(out, v.builder.FindBySubjectKeyID(sid.SubjectKeyID)...)
		case sid.RawSerial != nil:
			for _, c := range v.signers[string(serialKey(sid.RawSerial))] {
				if c.Issuer.EqualDER(sid.Issuer) {
					out = append(out, c)
				}
			}
		}
		for _, cs := range si.CounterSignatures {
			walk(cs, depth+1)
		}
	}
	for _, si := range sd.Signers {
		walk(si, 0)
	}
	return out
}

// maxXMLSignerTrials bounds the certificates tried for one XML signature
// that names no key, maxXMLSignerTrialsPerDocument those tried for all the
// signatures of one document: each trial is one signature verification,
// and a document may carry up to xmldsig's 64 signatures (64 × 32 = 2048
// verifications for one request without the second bound; REVIEW.md m4).
const (
	maxXMLSignerTrials            = 32
	maxXMLSignerTrialsPerDocument = 128
)

// xmlSignerTrialsExhausted completes the signer-missing detail when a
// bound stopped xmlSignerByKey before every candidate was tried.
var xmlSignerTrialsExhausted = "; подбор сертификата подписанта по ключу остановлен: достигнут предел попыток (" +
	strconv.Itoa(maxXMLSignerTrials) + " на подпись, " + strconv.Itoa(maxXMLSignerTrialsPerDocument) + " на документ)"

// xmlSignerByKey finds the signer of an XML signature that carries no
// certificate (no KeyInfo, or one without X509Data): XMLDSig has no
// identifier to look a certificate up by, so the supplied end-entity
// certificates (the request's first, then the configured ones) are tried
// in turn, and the first whose key verifies the SignatureValue over the
// canonical SignedInfo is the signer. At most maxXMLSignerTrials keys are
// tried, and no more than *budget, the document's remaining trials, which
// it decrements. It returns nil when none verifies; stopped reports that
// a bound ended the search with candidates left untried.
func (v *Verifier) xmlSignerByKey(s *xmldsig.Signature, supplied []*cert.Certificate, budget *int) (signer *cert.Certificate, stopped bool) {
	m, ok := xmlSignatureMethods[s.SignatureMethod]
	if !ok || len(s.SignedInfo) == 0 || len(s.Value) == 0 {
		return nil, false
	}
	n := 0
	try := func(cs []*cert.Certificate) (*cert.Certificate, bool) {
		for _, c := range cs {
			if c.IsCA || c.PublicKey == nil || familyOf(c.PublicKey.Algorithm()) != m.fam {
				continue
			}
			if n >= maxXMLSignerTrials || *budget <= 0 {
				return nil, true
			}
			n++
			*budget--
			if cert.VerifySignature(m.oid, c.PublicKey, s.SignedInfo, s.Value) == nil {
				return c, false
			}
		}
		return nil, false
	}
	if c, stop := try(supplied); c != nil || stop {
		return c, stop
	}
	return try(v.builder.Intermediates())
}
