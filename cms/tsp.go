package cms

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/cert"
	"gostsig.dev/internal/oid"
)

// TSTInfo is the content of an RFC 3161 time-stamp token (§2.4.2).
type TSTInfo struct {
	Raw           []byte
	Version       int
	Policy        asn1.ObjectIdentifier
	HashAlgorithm AlgorithmIdentifier // messageImprint.hashAlgorithm
	HashedMessage []byte              // messageImprint.hashedMessage
	SerialNumber  *big.Int
	GenTime       time.Time
	// Accuracy is the accuracy field as a duration (0 when absent).
	Accuracy time.Duration
	Ordering bool
	Nonce    *big.Int // nil when absent
	// TSAName is the DER of the tsa [0] GeneralName, nil when absent.
	TSAName []byte
}

func parseTSTInfo(der []byte) (*TSTInfo, error) {
	s := cryptobyte.String(der)
	var seq cryptobyte.String
	info := &TSTInfo{Raw: der}
	var version int64
	var mi cryptobyte.String
	if !s.ReadASN1(&seq, cbasn1.SEQUENCE) || !s.Empty() || !seq.ReadASN1Int64WithTag(&version, cbasn1.INTEGER) ||
		!seq.ReadASN1ObjectIdentifier(&info.Policy) || !seq.ReadASN1(&mi, cbasn1.SEQUENCE) ||
		!readAlgorithmIdentifier(&mi, &info.HashAlgorithm) {
		return nil, errors.New("malformed TSTInfo")
	}
	info.Version = int(version)
	if info.Version != 1 {
		return nil, fmt.Errorf("TSTInfo version %d", info.Version)
	}
	var hm cryptobyte.String
	if !mi.ReadASN1(&hm, cbasn1.OCTET_STRING) || !mi.Empty() {
		return nil, errors.New("malformed TSTInfo messageImprint")
	}
	info.HashedMessage = hm
	info.SerialNumber = new(big.Int)
	var gt cryptobyte.String
	if !seq.ReadASN1Integer(info.SerialNumber) || !seq.ReadASN1(&gt, cbasn1.GeneralizedTime) {
		return nil, errors.New("malformed TSTInfo serialNumber or genTime")
	}
	t, err := parseGeneralizedTime(gt)
	if err != nil {
		return nil, errors.New("malformed TSTInfo genTime")
	}
	info.GenTime = t
	if seq.PeekASN1Tag(cbasn1.SEQUENCE) {
		var acc cryptobyte.String
		seq.ReadASN1(&acc, cbasn1.SEQUENCE)
		var secs, ms, us int64
		if acc.PeekASN1Tag(cbasn1.INTEGER) && !acc.ReadASN1Int64WithTag(&secs, cbasn1.INTEGER) {
			return nil, errors.New("malformed TSTInfo accuracy")
		}
		if acc.PeekASN1Tag(tagCtx0) && !acc.ReadASN1Int64WithTag(&ms, tagCtx0) {
			return nil, errors.New("malformed TSTInfo accuracy")
		}
		if acc.PeekASN1Tag(cbasn1.Tag(1).ContextSpecific()) && !acc.ReadASN1Int64WithTag(&us, cbasn1.Tag(1).ContextSpecific()) {
			return nil, errors.New("malformed TSTInfo accuracy")
		}
		if !acc.Empty() || secs < 0 || secs > 1<<31 || ms < 0 || ms > 999 || us < 0 || us > 999 {
			return nil, errors.New("malformed TSTInfo accuracy")
		}
		info.Accuracy = time.Duration(secs)*time.Second + time.Duration(ms)*time.Millisecond + time.Duration(us)*time.Microsecond
	}
	if seq.PeekASN1Tag(cbasn1.BOOLEAN) {
		if !seq.ReadASN1Boolean(&info.Ordering) {
			return nil, errors.New("malformed TSTInfo ordering")
		}
	}
	if seq.PeekASN1Tag(cbasn1.INTEGER) {
		info.Nonce = new(big.Int)
		if !seq.ReadASN1Integer(info.Nonce) {
			return nil, errors.New("malformed TSTInfo nonce")
		}
	}
	if seq.PeekASN1Tag(tagCtx0C) {
		var tsa cryptobyte.String
		seq.ReadASN1Element(&tsa, tagCtx0C)
		info.TSAName = tsa
	}
	if seq.PeekASN1Tag(tagCtx1C) {
		var ext cryptobyte.String
		seq.ReadASN1(&ext, tagCtx1C)
	}
	if !seq.Empty() {
		return nil, errors.New("malformed TSTInfo: trailing data")
	}
	return info, nil
}

// TimeStamp is one RFC 3161 time-stamp token found in a signer's unsigned
// attributes (signature-time-stamp or CAdES-C time-stamp), verified as far
// as this layer can: its own CMS signature with the TSA certificate it
// carries (or that the caller supplied), and its messageImprint against
// the data it must cover. The TSA certificate chain is for the layer above.
type TimeStamp struct {
	Raw   []byte      // the token (ContentInfo) as received
	Token *SignedData // the token's SignedData (nil if it does not parse)
	Info  *TSTInfo    // nil if the token does not parse

	// Signer is the verification of the token's SignerInfo over the
	// TSTInfo (message digest, signature, ESS naming the TSA); TSA is its
	// signer certificate (nil when not found).
	Signer *SignerResult
	TSA    *cert.Certificate

	// Status is Passed when the token signature verifies and the imprint
	// matches; Reason and Detail explain anything else.
	Status Status
	Reason Reason
	Detail string
	// ImprintInput names the data the imprint matched (see the package
	// documentation: "signature-value" for CAdES-T; for the CAdES-C
	// time-stamp the interpretation that matched).
	ImprintInput string
}

// GenTime is the token's time (zero when it does not parse).
func (t *TimeStamp) GenTime() time.Time {
	if t.Info == nil {
		return time.Time{}
	}
	return t.Info.GenTime
}

// imprintInput is one candidate for the data a token's imprint covers.
type imprintInput struct {
	name string
	data []byte
}

// verifyTimeStamp verifies one token value.
func (v *verifier) verifyTimeStamp(raw []byte, inputs []imprintInput, id string) *TimeStamp {
	ts := &TimeStamp{Raw: raw}
	fail := func(st Status, r Reason, d string) *TimeStamp {
		ts.Status, ts.Reason, ts.Detail = st, r, d
		return ts
	}
	sd, _, err := parseBinary(raw, v.tokenDepth+1, v.sd.parseCert, nil)
	if err != nil {
		return fail(Failed, ReasonTimeStampInvalid, "token: "+err.Error())
	}
	ts.Token = sd
	sd.certsCached = v.sd.certsCached
	if !sd.ContentType.Equal(oid.TSTInfo) || sd.Detached {
		return fail(Failed, ReasonTimeStampInvalid, "token does not encapsulate a TSTInfo")
	}
	if len(sd.Signers) != 1 {
		// RFC 3161 §2.4.2: no signature other than the TSA's.
		return fail(Failed, ReasonTimeStampInvalid, fmt.Sprintf("token has %d signers, want 1", len(sd.Signers)))
	}
	info, err := parseTSTInfo(sd.Content)
	if err != nil {
		return fail(Failed, ReasonTimeStampInvalid, err.Error())
	}
	ts.Info = info

	// The token's own signature: a SignedData over the TSTInfo, with the
	// token's certificates first, then everything the document offers.
	child := &verifier{sd: sd, pool: newPool(sd.Certificates, v.pool.certs),
		tokenDepth: v.tokenDepth + 1, budget: v.budget, scratch: v.scratch}
	child.res = &Result{SignedData: sd}
	child.content = sd.Content
	ts.Signer = child.verifySigner(sd.Signers[0], id, nil, 0, nil)
	ts.TSA = ts.Signer.Signer
	v.extraCerts = append(v.extraCerts, sd.Certificates...)
	v.extraCerts = append(v.extraCerts, child.extraCerts...)

	// messageImprint.
	nh, ok := hashByOID(info.HashAlgorithm.Algorithm)
	var imprintOK bool
	if ok {
		for _, in := range inputs {
			h := nh()
			h.Write(in.data)
			if bytes.Equal(h.Sum(nil), info.HashedMessage) {
				imprintOK, ts.ImprintInput = true, in.name
				break
			}
		}
	}
	switch {
	case !ok:
		return fail(Indeterminate, ReasonUnsupportedAlgorithm, "messageImprint algorithm "+info.HashAlgorithm.Algorithm.String()+" not supported")
	case !imprintOK:
		return fail(Failed, ReasonImprintMismatch, "messageImprint does not match")
	}
	if p := ts.Signer.FirstProblem(); p != nil || ts.Signer.Signer == nil {
		st := Failed
		reason := ReasonTimeStampInvalid
		d := "token signer has no certificate"
		if p != nil {
			d = "token " + p.String()
			if p.Status == Indeterminate {
				st = Indeterminate
				reason = p.Reason
			}
		}
		return fail(st, reason, d)
	}
	ts.Status = Passed
	return ts
}

// summarize turns token outcomes into one check: NotApplicable without
// tokens, else the worst token status.
func summarize(name CheckName, tss []*TimeStamp) Check {
	c := Check{Name: name}
	for i, ts := range tss {
		if i == 0 || rank(ts.Status) > rank(c.Status) {
			c.Status, c.Reason = ts.Status, ts.Reason
			c.Detail = ts.Detail
			if len(tss) > 1 && ts.Detail != "" {
				c.Detail = fmt.Sprintf("token %d: %s", i+1, ts.Detail)
			}
		}
	}
	return c
}
