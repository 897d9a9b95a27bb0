package gostsig

import (
	"errors"
	"time"

	"gostsig.dev/internal/jsonenc"
)

// AppendJSON appends the JSON of r to b exactly as encoding/json encodes
// it with HTML escaping off (json.Encoder.SetEscapeHTML(false)), without a
// trailing newline, and returns the extended buffer. It fails where
// encoding/json fails: an invalid enum value, a time outside years
// 0–9999. (json.Marshal escapes <, > and & besides; json.Indent of the
// output gives json.Encoder's indented form.)
//
// It exists for speed: encoding/json spends most of its time on reflection
// and on decoding Cyrillic text rune by rune, about a third of the cost of
// a cached verification. The output is byte-for-byte encoding/json's: the
// tests compare the two on every result they see, on synthetic results
// with every field set and on fuzzed strings, and TestResultSchemaLock
// fails when a field of the Result is added, renamed or retyped (update
// this file, then the lock). The diagnostic layer (Signature.Diagnostic,
// off by default and still growing) is left to encoding/json.
//
// The certificate objects (signer, TSA, chain, revocation entries), which
// recur result after result with the very same strings, are copied from a
// bounded memo of their JSON once seen twice (resultjson_memo.go): a
// result edited or built from other strings is encoded afresh. It is safe
// for concurrent use, like the rest of AppendJSON.
func (r *Result) AppendJSON(b []byte) ([]byte, error) { return r.appendJSON(b, false) }

// AppendSummaryJSON appends the verdict of r without its evidence: the JSON
// of AppendJSON with, in every signature, the members "algorithm",
// "timestamp", "chain", "revocation", "checks" and "diagnostic" left out.
// What stays is what a receiving system acts on: each signature's id,
// indication, subindication, message_ru and reason_ru, profile, qualified
// and qualified_reasons, the signer and the signing time, and the
// document-level members. It is the service's detail=summary answer, for
// callers that check signatures in bulk and keep the full result only of
// those they refuse: for a small CAdES-BES, 1.5 KB instead of 6.6 and a
// quarter of the encoding time (BenchmarkAppendJSON). It fails where
// AppendJSON fails, but only on the members it writes: an invalid value
// in a left-out member (a check's status, say) does not reach it.
func (r *Result) AppendSummaryJSON(b []byte) ([]byte, error) { return r.appendJSON(b, true) }

func (r *Result) appendJSON(b []byte, summary bool) ([]byte, error) {
	var err error
	b = append(b, `{"indication":`...)
	if b, err = appendText(b, r.Indication); err != nil {
		return nil, err
	}
	if r.SubIndication != 0 {
		b = append(b, `,"subindication":`...)
		if b, err = appendText(b, r.SubIndication); err != nil {
			return nil, err
		}
	}
	b = append(b, `,"message_ru":`...)
	b = jsonenc.AppendString(b, r.MessageRU)
	b = append(b, `,"format":`...)
	b = jsonenc.AppendString(b, string(r.Format))
	b = append(b, `,"profile":`...)
	b = jsonenc.AppendString(b, string(r.Profile))
	b = append(b, `,"validation_time":`...)
	if b, err = appendTime(b, r.ValidationTime); err != nil {
		return nil, err
	}
	b = append(b, `,"signatures":`...)
	sig := appendSignature
	if summary {
		sig = appendSignatureSummary
	}
	if b, err = appendArray(b, r.Signatures, sig); err != nil {
		return nil, err
	}
	if len(r.Checks) > 0 {
		b = append(b, `,"checks":`...)
		if b, err = appendArray(b, r.Checks, appendCheck); err != nil {
			return nil, err
		}
	}
	if r.Policy != "" {
		b = append(b, `,"policy":`...)
		b = jsonenc.AppendString(b, r.Policy)
	}
	return append(b, '}'), nil
}

func appendSignature(b []byte, s *Signature) ([]byte, error) { return appendSig(b, s, false) }

func appendSignatureSummary(b []byte, s *Signature) ([]byte, error) { return appendSig(b, s, true) }

func appendSig(b []byte, s *Signature, summary bool) ([]byte, error) {
	var err error
	b = append(b, `{"id":`...)
	b = jsonenc.AppendString(b, s.ID)
	b = append(b, `,"indication":`...)
	if b, err = appendText(b, s.Indication); err != nil {
		return nil, err
	}
	if s.SubIndication != 0 {
		b = append(b, `,"subindication":`...)
		if b, err = appendText(b, s.SubIndication); err != nil {
			return nil, err
		}
	}
	b = append(b, `,"message_ru":`...)
	b = jsonenc.AppendString(b, s.MessageRU)
	if s.ReasonRU != "" {
		b = append(b, `,"reason_ru":`...)
		b = jsonenc.AppendString(b, s.ReasonRU)
	}
	if s.Profile != "" {
		b = append(b, `,"profile":`...)
		b = jsonenc.AppendString(b, string(s.Profile))
	}
	b = append(b, `,"qualified":`...)
	b = appendBool(b, s.Qualified)
	if len(s.QualifiedReasons) > 0 {
		b = append(b, `,"qualified_reasons":[`...)
		for i, q := range s.QualifiedReasons {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"code":`...)
			b = jsonenc.AppendString(b, q.Code)
			b = append(b, `,"message_ru":`...)
			b = jsonenc.AppendString(b, q.MessageRU)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	if s.Algorithm != nil && !summary {
		b = append(b, `,"algorithm":`...)
		if b, err = appendAlgorithm(b, s.Algorithm, 0); err != nil {
			return nil, err
		}
	}
	if s.Signer != nil {
		b = append(b, `,"signer":`...)
		if b, err = appendCertInfo(b, s.Signer); err != nil {
			return nil, err
		}
	}
	b = append(b, `,"signing_time":{"best":`...)
	if b, err = appendTime(b, s.SigningTime.Best); err != nil {
		return nil, err
	}
	b = append(b, `,"source":`...)
	b = jsonenc.AppendString(b, string(s.SigningTime.Source))
	if !s.SigningTime.Claimed.IsZero() {
		b = append(b, `,"claimed":`...)
		if b, err = appendTime(b, s.SigningTime.Claimed); err != nil {
			return nil, err
		}
	}
	b = append(b, '}')
	if summary {
		return append(b, '}'), nil
	}
	if t := s.Timestamp; t != nil {
		b = append(b, `,"timestamp":{"gen_time":`...)
		if b, err = appendTime(b, t.GenTime); err != nil {
			return nil, err
		}
		b = append(b, `,"status":`...)
		if b, err = appendText(b, t.Status); err != nil {
			return nil, err
		}
		b = appendOptString(b, `,"detail":`, t.Detail)
		b = appendOptString(b, `,"cause":`, t.Cause)
		if t.TSA != nil {
			b = append(b, `,"tsa":`...)
			if b, err = appendCertInfo(b, t.TSA); err != nil {
				return nil, err
			}
		}
		if len(t.Revocation) > 0 {
			b = append(b, `,"revocation":`...)
			if b, err = appendArray(b, t.Revocation, appendRevocation); err != nil {
				return nil, err
			}
		}
		b = append(b, '}')
	}
	b = append(b, `,"chain":`...)
	if b, err = appendArray(b, s.Chain, appendChainCert); err != nil {
		return nil, err
	}
	b = append(b, `,"revocation":`...)
	if b, err = appendArray(b, s.Revocation, appendRevocation); err != nil {
		return nil, err
	}
	b = append(b, `,"checks":`...)
	if b, err = appendArray(b, s.Checks, appendCheck); err != nil {
		return nil, err
	}
	if s.Diagnostic != nil {
		d, err := jsonenc.Marshal(s.Diagnostic)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"diagnostic":`...)
		b = append(b, d...)
	}
	return append(b, '}'), nil
}

// maxAlgorithmDepth bounds the Digest chain (one level in practice); a
// deeper one can only be a cycle, which encoding/json refuses too.
const maxAlgorithmDepth = 8

var errAlgorithmCycle = errors.New("gostsig: algorithm digest chain too deep")

func appendAlgorithm(b []byte, a *Algorithm, depth int) ([]byte, error) {
	if depth > maxAlgorithmDepth {
		return nil, errAlgorithmCycle
	}
	b = append(b, `{"name":`...)
	b = jsonenc.AppendString(b, a.Name)
	b = append(b, `,"oid":`...)
	b = jsonenc.AppendString(b, a.OID)
	if a.Digest != nil {
		var err error
		b = append(b, `,"digest":`...)
		if b, err = appendAlgorithm(b, a.Digest, depth+1); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

func encodeCertInfo(b []byte, c *CertInfo) ([]byte, error) {
	var err error
	b = append(b, `{"subject":`...)
	b = jsonenc.AppendString(b, c.Subject)
	b = append(b, `,"common_name":`...)
	b = jsonenc.AppendString(b, c.CommonName)
	b = append(b, `,"serial":`...)
	b = jsonenc.AppendString(b, c.Serial)
	b = append(b, `,"issuer":`...)
	b = jsonenc.AppendString(b, c.Issuer)
	b = appendOptString(b, `,"inn":`, c.INN)
	b = appendOptString(b, `,"innle":`, c.INNLE)
	b = appendOptString(b, `,"ogrn":`, c.OGRN)
	b = appendOptString(b, `,"ogrnip":`, c.OGRNIP)
	b = appendOptString(b, `,"snils":`, c.SNILS)
	b = appendOptString(b, `,"surname":`, c.Surname)
	b = appendOptString(b, `,"given_name":`, c.GivenName)
	b = appendOptString(b, `,"title":`, c.Title)
	b = appendOptString(b, `,"organization":`, c.Organization)
	b = appendOptString(b, `,"email":`, c.Email)
	b = append(b, `,"not_before":`...)
	if b, err = appendTime(b, c.NotBefore); err != nil {
		return nil, err
	}
	b = append(b, `,"not_after":`...)
	if b, err = appendTime(b, c.NotAfter); err != nil {
		return nil, err
	}
	if b, err = appendOptTime(b, `,"private_key_not_before":`, c.PrivateKeyNotBefore); err != nil {
		return nil, err
	}
	if b, err = appendOptTime(b, `,"private_key_not_after":`, c.PrivateKeyNotAfter); err != nil {
		return nil, err
	}
	b = append(b, `,"sha1":`...)
	b = jsonenc.AppendString(b, c.SHA1)
	return append(b, '}'), nil
}

func encodeChainCert(b []byte, c *ChainCert) ([]byte, error) {
	var err error
	b = append(b, `{"subject":`...)
	b = jsonenc.AppendString(b, c.Subject)
	b = appendOptString(b, `,"issuer":`, c.Issuer)
	b = append(b, `,"serial":`...)
	b = jsonenc.AppendString(b, c.Serial)
	b = append(b, `,"not_before":`...)
	if b, err = appendTime(b, c.NotBefore); err != nil {
		return nil, err
	}
	b = append(b, `,"not_after":`...)
	if b, err = appendTime(b, c.NotAfter); err != nil {
		return nil, err
	}
	b = append(b, `,"sha1":`...)
	b = jsonenc.AppendString(b, c.SHA1)
	if c.Anchor {
		b = append(b, `,"anchor":true`...)
	}
	return append(b, '}'), nil
}

func encodeRevocation(b []byte, r *Revocation) ([]byte, error) {
	var err error
	b = append(b, `{"serial":`...)
	b = jsonenc.AppendString(b, r.Serial)
	b = appendOptString(b, `,"subject":`, r.Subject)
	b = append(b, `,"status":`...)
	if b, err = appendText(b, r.Status); err != nil {
		return nil, err
	}
	b = appendOptString(b, `,"source":`, r.Source)
	if b, err = appendOptTime(b, `,"revoked_at":`, r.RevokedAt); err != nil {
		return nil, err
	}
	b = appendOptString(b, `,"reason":`, r.Reason)
	b = appendOptString(b, `,"crl_issuer":`, r.CRLIssuer)
	b = appendOptString(b, `,"crl_number":`, r.CRLNumber)
	if b, err = appendOptTime(b, `,"this_update":`, r.ThisUpdate); err != nil {
		return nil, err
	}
	if b, err = appendOptTime(b, `,"next_update":`, r.NextUpdate); err != nil {
		return nil, err
	}
	b = appendOptString(b, `,"evidence_sha256":`, r.EvidenceSHA256)
	b = appendOptString(b, `,"evidence_streebog256":`, r.EvidenceStreebog256)
	b = appendOptString(b, `,"detail":`, r.Detail)
	b = appendOptString(b, `,"cause":`, r.Cause)
	return append(b, '}'), nil
}

// appendArray appends xs as encoding/json encodes a slice: null when nil,
// else each element by elem between brackets.
func appendArray[T any](b []byte, xs []T, elem func([]byte, *T) ([]byte, error)) ([]byte, error) {
	if xs == nil {
		return append(b, "null"...), nil
	}
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = elem(b, &xs[i]); err != nil {
			return nil, err
		}
	}
	return append(b, ']'), nil
}

func appendCheck(b []byte, c *Check) ([]byte, error) {
	b = append(b, `{"name":`...)
	b = jsonenc.AppendString(b, c.Name)
	b = append(b, `,"status":`...)
	b, err := appendText(b, c.Status)
	if err != nil {
		return nil, err
	}
	b = appendOptString(b, `,"detail":`, c.Detail)
	b = appendOptString(b, `,"level":`, string(c.Level))
	b = appendOptString(b, `,"cause":`, c.Cause)
	return append(b, '}'), nil
}

func appendOptString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	b = append(b, key...)
	return jsonenc.AppendString(b, s)
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "true"...)
	}
	return append(b, "false"...)
}

// enum is one of gostsig's uint8 enums with a text form.
type enum interface {
	~uint8
	MarshalText() ([]byte, error)
}

// textTable holds MarshalText's answer for every value of an enum, so
// that writing one neither allocates nor calls it.
type textTable struct {
	json [256][]byte // the JSON string, quotes included
	err  [256]error
}

func newTextTable[T enum]() *textTable {
	t := &textTable{}
	for i := range 256 {
		txt, err := T(i).MarshalText()
		if err != nil {
			t.err[i] = err
			continue
		}
		t.json[i] = jsonenc.AppendString(nil, string(txt))
	}
	return t
}

var (
	indicationText    = newTextTable[Indication]()
	subIndicationText = newTextTable[SubIndication]()
	statusText        = newTextTable[Status]()
	revocationText    = newTextTable[RevocationStatus]()
)

// appendText writes an enum as encoding/json does (its MarshalText as a
// string), failing as encoding/json does when the value is invalid.
func appendText[T enum](b []byte, v T) ([]byte, error) {
	var t *textTable
	switch any(v).(type) {
	case Indication:
		t = indicationText
	case SubIndication:
		t = subIndicationText
	case Status:
		t = statusText
	case RevocationStatus:
		t = revocationText
	default:
		txt, err := v.MarshalText()
		if err != nil {
			return nil, err
		}
		return jsonenc.AppendString(b, string(txt)), nil
	}
	if err := t.err[uint8(v)]; err != nil {
		return nil, err
	}
	return append(b, t.json[uint8(v)]...), nil
}

// appendTime writes time.Time.MarshalJSON's form (RFC 3339 with
// nanoseconds, an error outside years 0-9999) without allocating.
func appendTime(b []byte, t time.Time) ([]byte, error) {
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		_, err := t.MarshalJSON()
		return nil, err
	}
	if t.Location() != time.UTC || t.Nanosecond() != 0 {
		b = append(b, '"')
		b = t.AppendFormat(b, time.RFC3339Nano)
		return append(b, '"'), nil
	}
	// Whole seconds in UTC, as every certificate and CRL time is:
	// "2006-01-02T15:04:05Z" without the layout interpreter.
	hour, minute, sec := t.Clock()
	b = append(b, '"')
	b = append4(b, year)
	b = append(b, '-')
	b = append2(b, int(month))
	b = append(b, '-')
	b = append2(b, day)
	b = append(b, 'T')
	b = append2(b, hour)
	b = append(b, ':')
	b = append2(b, minute)
	b = append(b, ':')
	b = append2(b, sec)
	return append(b, 'Z', '"'), nil
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	return append(b, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}

func appendOptTime(b []byte, key string, t time.Time) ([]byte, error) {
	if t.IsZero() {
		return b, nil
	}
	b = append(b, key...)
	return appendTime(b, t)
}
