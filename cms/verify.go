package cms

import (
	"bytes"
	"crypto/sha1"
	"encoding/asn1"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/asn1der"
	"gostsig.dev/internal/gosthash"
	"gostsig.dev/internal/keyuse"
	"gostsig.dev/internal/oid"
)

// ContentHash is a caller-supplied hash of detached content (hash-only
// verification of documents too large to send).
type ContentHash struct {
	Algorithm asn1.ObjectIdentifier // Streebog-256/512 or GOST R 34.11-94 OID
	Value     []byte
}

// VerifyOptions are the inputs of Verify besides the signature. At most
// one of Content, ContentReader and ContentHash may be set; they are used
// only when the signature is detached.
type VerifyOptions struct {
	// Content is the detached content.
	Content []byte
	// ContentReader supplies the detached content as a stream: it is read
	// once to the end and hashed while reading, with every digest
	// algorithm the signers use, without holding the content in memory.
	ContentReader io.Reader
	// ContentHash is the content's hash, for hash-only verification.
	// Signers whose digest algorithm differs are Indeterminate
	// (ReasonContentMissing).
	ContentHash *ContentHash
	// Certificates are searched for signer and TSA certificates after the
	// ones the SignedData carries.
	Certificates []*cert.Certificate
	// ParseCertificate is passed to ParseWithOptions by Verify (see
	// ParseOptions.ParseCertificate).
	ParseCertificate func(der []byte) (*cert.Certificate, error)
}

// Verify parses data (see Parse) and verifies it (see SignedData.Verify).
func Verify(data []byte, opts *VerifyOptions) (*Result, error) {
	var po *ParseOptions
	if opts != nil && opts.ParseCertificate != nil {
		po = &ParseOptions{ParseCertificate: opts.ParseCertificate}
	}
	blk := new(docBlock)
	sd, err := parseInto(data, po, &blk.sd)
	if err != nil {
		return nil, err
	}
	return sd.verify(opts, &blk.vb)
}

// Verify checks every SignerInfo and counter-signature and returns one
// SignerResult per SignerInfo, in document order. A bad signature is a
// result, not an error: the error is for unusable options and for errors
// reading ContentReader.
func (sd *SignedData) Verify(opts *VerifyOptions) (*Result, error) {
	return sd.verify(opts, new(verifyBlock))
}

// verify is Verify with the zero verifyBlock b as its storage.
func (sd *SignedData) verify(opts *VerifyOptions, b *verifyBlock) (*Result, error) {
	if opts == nil {
		opts = &VerifyOptions{}
	}
	n := 0
	if opts.Content != nil {
		n++
	}
	if opts.ContentReader != nil {
		n++
	}
	if opts.ContentHash != nil {
		n++
	}
	if n > 1 {
		return nil, errors.New("cms: at most one of Content, ContentReader and ContentHash may be set")
	}
	// b holds the verifier, the Result and, for the usual single signer,
	// its SignerResult with room for its checks.
	v := &b.v
	// prehash's scratch space outlives no Verify call: it is recycled.
	// Without one (noPrehash, for a test) every check hashes for itself.
	if !noPrehash {
		scratch := hashScratches.Get().(*hashScratch)
		defer hashScratches.Put(scratch)
		v.scratch = scratch
	}
	v.sd, v.pool, v.essSpare = sd, newPool(sd.Certificates, opts.Certificates), &b.ess
	v.budgetLeft = MaxSignatureChecks
	v.budget = &v.budgetLeft
	v.digests = v.digestArr[:0]
	v.res = &b.res
	*v.res = Result{SignedData: sd, Signers: b.signers[:0], Certificates: b.certs[:0]}
	if len(sd.Signers) > len(b.signers) {
		v.res.Signers = make([]*SignerResult, 0, len(sd.Signers))
	}
	if err := v.hashContent(opts); err != nil {
		return nil, err
	}
	for i, si := range sd.Signers {
		var into *SignerResult
		if i == 0 {
			into = &b.signer
			into.Checks = b.checks[:0]
		}
		r := v.verifySigner(si, signerID(i), nil, 0, into)
		v.res.Signers = append(v.res.Signers, r)
	}
	v.collectEvidence(opts)
	if len(v.res.Certificates) == 0 {
		v.res.Certificates = nil
	}
	v.scratch = nil // back in the pool; the Result keeps its block alive
	return v.res, nil
}

// docBlock is the storage of the package-level Verify: the SignedData and
// its verification are one allocation, since the Result refers to both. It
// fills the 3456-byte size class (TestDocBlockSize).
type docBlock struct {
	sd SignedData
	vb verifyBlock
}

// verifyBlock is the storage of one Verify call: see Verify.
type verifyBlock struct {
	v       verifier
	res     Result
	signers [1]*SignerResult
	signer  SignerResult
	checks  [8]Check
	certs   [2]*cert.Certificate
	ess     ESSSigningCertificate
}

// signerID names top-level signer i in results: "signer-1", ….
func signerID(i int) string {
	if i < len(signerIDs) {
		return signerIDs[i]
	}
	return "signer-" + strconv.Itoa(i+1)
}

var signerIDs = [...]string{"signer-1", "signer-2", "signer-3", "signer-4"}

// verifier holds the state of one Verify call.
type verifier struct {
	sd   *SignedData
	pool certPool
	res  *Result
	// digests holds the content hash per digest algorithm; an algorithm
	// is absent when the content is not available for it. digestArr is
	// its storage for the usual one or two algorithms, digestBuf the room
	// of the first digest (see digestRoom; others are allocated), so that
	// Verify's SignedData and verifyBlock share the 3456-byte size class.
	digests   []digestEntry
	digestArr [2]digestEntry
	digestBuf [64]byte
	nbuf      int
	// scratch is prehash's storage, essSpare the first ESS attribute's
	// (see essStorage).
	scratch  *hashScratch
	essSpare *ESSSigningCertificate
	// budgetLeft is the budget of a top-level Verify call.
	budgetLeft int
	// content is the content bytes when available in memory.
	content []byte
	// tokenDepth is 0 for the document, 1 inside a time-stamp token, …
	tokenDepth int
	// budget counts the signature verifications left for this Verify
	// call, shared with the time-stamp tokens' verifiers.
	budget *int
	// evidence gathered from unsigned attributes, for Result.
	extraCerts []*cert.Certificate
	crls       [][]byte
	ocsps      [][]byte
}

// neededDigests lists the supported digest algorithms of the top-level
// signers, each once.
func (v *verifier) neededDigests() []asn1.ObjectIdentifier {
	var out []asn1.ObjectIdentifier
	for _, si := range v.sd.Signers {
		if _, _, ok := digestInfo(si.DigestAlgorithm); !ok {
			continue
		}
		if v.lookupDigest(si.DigestAlgorithm.Algorithm) != nil {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o.Equal(si.DigestAlgorithm.Algorithm)
		}
		if !dup {
			out = append(out, si.DigestAlgorithm.Algorithm)
		}
	}
	return out
}

// hashContent computes the content digest for every algorithm the signers
// use, from the eContent, the supplied content, the stream, or takes the
// supplied hash.
func (v *verifier) hashContent(opts *VerifyOptions) error {
	switch {
	case !v.sd.Detached:
		v.content = v.sd.Content
	case opts.Content != nil:
		v.content = opts.Content
	case opts.ContentReader != nil:
		algs := v.neededDigests()
		hs := make([]hash.Hash, len(algs))
		ws := make([]io.Writer, len(algs))
		for i, a := range algs {
			nh, _ := hashByOID(a)
			hs[i] = nh()
			ws[i] = hs[i]
		}
		// One pass, no copy of the content kept: each chunk goes
		// straight into every hash.
		if _, err := io.Copy(io.MultiWriter(ws...), opts.ContentReader); err != nil {
			return fmt.Errorf("cms: reading content: %w", err)
		}
		for i, a := range algs {
			v.setDigest(a, hs[i].Sum(nil))
		}
		return nil
	case opts.ContentHash != nil:
		v.setDigest(opts.ContentHash.Algorithm, opts.ContentHash.Value)
		return nil
	}
	// v.content is hashed by contentDigest, once per algorithm, when a
	// signer needs it.
	return nil
}

// sum hashes the concatenation of parts with GOST digest algorithm alg
// (one digestInfo accepts), into the verifier's scratch space while it
// lasts. Streebog runs on the stack (gosthash.AppendSum).
func (v *verifier) sum(alg asn1.ObjectIdentifier, parts ...[]byte) []byte {
	ka, _ := gosthash.KeyAlgorithm(alg)
	d, _ := gosthash.AppendSum(ka, v.digestRoom(), parts...)
	return d
}

// digestRoom returns the next 64 bytes of the verifier's digest space,
// empty, or nil (append allocates) once it is used up.
func (v *verifier) digestRoom() []byte {
	if v.nbuf+64 > len(v.digestBuf) {
		return nil
	}
	dst := v.digestBuf[v.nbuf : v.nbuf : v.nbuf+64]
	v.nbuf += 64
	return dst
}

// contentDigest returns the content hash for a digest algorithm, or nil
// when the content (or its hash in that algorithm) is not available.
func (v *verifier) contentDigest(alg asn1.ObjectIdentifier) []byte {
	if d := v.lookupDigest(alg); d != nil {
		return d
	}
	if v.content != nil {
		if _, ok := gosthash.KeyAlgorithm(alg); !ok {
			return nil
		}
		d := v.sum(alg, v.content)
		v.setDigest(alg, d)
		return d
	}
	return nil
}

type digestEntry struct {
	alg    asn1.ObjectIdentifier
	digest []byte
}

func (v *verifier) lookupDigest(alg asn1.ObjectIdentifier) []byte {
	for _, e := range v.digests {
		if e.alg.Equal(alg) {
			return e.digest
		}
	}
	return nil
}

func (v *verifier) setDigest(alg asn1.ObjectIdentifier, d []byte) {
	v.digests = append(v.digests, digestEntry{alg, d})
}

// signerTarget is what a SignerInfo signs: for a top-level signer the
// SignedData content (through v.contentDigest), for a counter-signature
// the parent's signature value octets (RFC 5652 §11.4).
type signerTarget struct {
	counterOf []byte
}

func (t *signerTarget) digest(v *verifier, alg asn1.ObjectIdentifier) []byte {
	if t == nil {
		return v.contentDigest(alg)
	}
	if _, ok := gosthash.KeyAlgorithm(alg); !ok {
		return nil
	}
	return v.sum(alg, t.counterOf)
}

// verifySigner runs every check on one SignerInfo. target is nil for a
// top-level signer; depth counts counter-signature nesting. The result is
// written into *into (zero but for the capacity of its Checks) when into
// is not nil.
func (v *verifier) verifySigner(si *SignerInfo, id string, target *signerTarget, depth int, into *SignerResult) *SignerResult {
	r := into
	if r == nil {
		r = &SignerResult{Checks: make([]Check, 0, 8)}
	}
	r.ID, r.Info, r.DigestAlgorithm, r.SignatureAlgorithm, r.Level = id, si, si.DigestAlgorithm.Algorithm, si.SignatureAlgorithm.Algorithm, LevelCMS

	// Algorithms (cms-cades-profile.md §2 item 2, gost-pitfalls.md §16).
	algCheck := v.checkAlgorithms(si, r, target == nil)

	// Signer certificate.
	var pub *gost3410.PublicKey
	r.Signer, r.SignerFromMessage = v.pool.find(&si.SID)
	switch {
	case r.Signer == nil:
		d := "no certificate matches the signer identifier"
		if si.SID.SubjectKeyID != nil {
			d += fmt.Sprintf(" (subjectKeyIdentifier %x)", si.SID.SubjectKeyID)
		}
		r.add(Check{Name: CheckSignerCertificate, Status: Indeterminate, Reason: ReasonSignerNotFound, Detail: d})
	default:
		var err error
		pub, err = v.pool.publicKey(r.Signer)
		if err != nil {
			r.add(Check{Name: CheckSignerCertificate, Status: Failed, Reason: ReasonSignerKey,
				Detail: "signer certificate key unusable: " + err.Error(), OID: r.Signer.PublicKeyAlgorithm})
			pub = nil
		} else {
			r.add(Check{Name: CheckSignerCertificate, Status: Passed})
		}
	}
	if pub != nil && algCheck.Status == Passed && pub.Algorithm() != r.Algorithm {
		algCheck = Check{Name: CheckAlgorithm, Status: Failed, Reason: ReasonAlgorithmMismatch,
			Detail: fmt.Sprintf("signature algorithm %v but the signer key is %v", r.Algorithm, pub.Algorithm())}
	}
	r.add(algCheck)

	// The independent hashes of the checks below, computed together.
	var ph prehashed
	v.prehash(si, r, pub, algCheck, target, &ph)

	// Signed attributes (RFC 5652 §5.3, §11).
	if si.RawSignedAttrs != nil {
		v.checkSignedAttrs(si, r, target, &ph)
	} else {
		r.add(Check{Name: CheckMessageDigest, Status: NotApplicable, Detail: "no signed attributes: the signature covers the content"})
		if target == nil && !v.sd.ContentType.Equal(oid.Data) {
			r.add(Check{Name: CheckContentType, Status: Failed, Reason: ReasonMissingAttribute,
				Detail: "signed attributes are required when eContentType is not id-data (RFC 5652 §5.3)"})
		}
	}

	// Signature value.
	r.add(v.checkSignature(si, r, pub, algCheck, target, &ph))

	// Unsigned attributes: time-stamps and CAdES-X Long evidence.
	v.checkUnsigned(si, r)
	for i, csi := range si.CounterSignatures {
		cr := v.verifySigner(csi, fmt.Sprintf("%s/counter-%d", id, i+1), &signerTarget{counterOf: si.Signature}, depth+1, nil)
		r.CounterSignatures = append(r.CounterSignatures, cr)
	}
	r.Level = levelOf(r)
	return r
}

func levelOf(r *SignerResult) Level {
	l := LevelCMS
	if r.SigningCertificate != nil {
		l = LevelBES
	}
	if len(r.TimeStamps) > 0 {
		l = LevelT
		if lt := r.LongTerm; lt != nil && lt.HasCertRefs && lt.HasRevocationRefs &&
			(lt.HasCertValues || lt.HasRevocationValues) && len(lt.EscTimeStamps) > 0 {
			l = LevelXLongType1
		}
	}
	return l
}

// checkAlgorithms resolves and cross-checks digestAlgorithm and
// signatureAlgorithm and fills r.Algorithm/r.Style.
func (v *verifier) checkAlgorithms(si *SignerInfo, r *SignerResult, topLevel bool) Check {
	c := Check{Name: CheckAlgorithm}
	_, digestKeyAlg, okD := digestInfo(si.DigestAlgorithm)
	sigAlg, style, okS := signatureInfo(si.SignatureAlgorithm)
	if okS {
		r.Algorithm, r.Style = sigAlg, style
	}
	switch {
	case !okD:
		c.Status, c.Reason, c.OID = Indeterminate, ReasonUnsupportedAlgorithm, si.DigestAlgorithm.Algorithm
		c.Detail = "digest algorithm " + si.DigestAlgorithm.Algorithm.String() + " is not GOST"
	case !okS:
		c.Status, c.Reason, c.OID = Indeterminate, ReasonUnsupportedAlgorithm, si.SignatureAlgorithm.Algorithm
		c.Detail = "signature algorithm " + si.SignatureAlgorithm.Algorithm.String() + " is not GOST"
	case !digestParamsOK(si.DigestAlgorithm):
		c.Status, c.Reason = Failed, ReasonMalformed
		c.Detail = "digestAlgorithm parameters are neither absent nor NULL"
	case !si.SignatureAlgorithm.ParamsAbsentOrNULL():
		c.Status, c.Reason = Failed, ReasonMalformed
		c.Detail = "signatureAlgorithm parameters are neither absent nor NULL"
	case digestKeyAlg != sigAlg:
		// RFC 9215 §2: 2012-256 with Streebog-256, 2012-512 with
		// Streebog-512; RFC 4491: 2001 with GOST R 34.11-94.
		c.Status, c.Reason = Failed, ReasonAlgorithmMismatch
		c.Detail = fmt.Sprintf("digest %v does not go with %v", si.DigestAlgorithm.Algorithm, sigAlg)
	case topLevel && !v.listedDigest(si.DigestAlgorithm):
		c.Status, c.Reason = Failed, ReasonMalformed
		c.Detail = "digestAlgorithm is not listed in SignedData.digestAlgorithms (RFC 5652 §5.1)"
	default:
		c.Status = Passed
	}
	return c
}

func (v *verifier) listedDigest(a AlgorithmIdentifier) bool {
	for _, d := range v.sd.DigestAlgorithms {
		if d.Algorithm.Equal(a.Algorithm) && digestParamsOK(d) {
			return true
		}
	}
	return false
}

// single returns the only value of the only attribute of type t: found is
// false when absent; err is set for several attributes or values
// (RFC 5652 §11.1–11.3: single-valued, at most one instance).
func single(attrs []Attribute, t asn1.ObjectIdentifier) (val []byte, found bool, err error) {
	for _, a := range attrs {
		if !a.Type.Equal(t) {
			continue
		}
		if found {
			return nil, true, errors.New("attribute appears more than once")
		}
		found = true
		if len(a.Values) != 1 {
			return nil, true, fmt.Errorf("attribute has %d values, want 1", len(a.Values))
		}
		val = a.Values[0]
	}
	return val, found, nil
}

// checkSignedAttrs checks contentType, messageDigest, signingTime, ESS
// signingCertificate(V2) and CMSAlgorithmProtection.
// ph holds the hashes prehash computed.
func (v *verifier) checkSignedAttrs(si *SignerInfo, r *SignerResult, target *signerTarget, ph *prehashed) {
	attrs := si.SignedAttrs

	// contentType (RFC 5652 §11.1). A counter-signature must not carry it
	// (§11.4).
	ct, found, err := single(attrs, oid.AttrContentType)
	switch {
	case target != nil && found:
		r.add(Check{Name: CheckContentType, Status: Failed, Reason: ReasonMalformed,
			Detail: "a counter-signature must not carry contentType (RFC 5652 §11.4)"})
	case target != nil:
		r.add(Check{Name: CheckContentType, Status: NotApplicable})
	case err != nil:
		r.add(Check{Name: CheckContentType, Status: Failed, Reason: ReasonMalformed, Detail: "contentType: " + err.Error()})
	case !found:
		r.add(Check{Name: CheckContentType, Status: Failed, Reason: ReasonMissingAttribute,
			Detail: "contentType attribute absent (RFC 5652 §5.3)"})
	default:
		// Compared as content octets: a valid OID has one DER encoding.
		s := cryptobyte.String(ct)
		var got cryptobyte.String
		if !asn1der.ReadASN1(&s, &got, cbasn1.OBJECT_IDENTIFIER) || !s.Empty() || !oid.Valid(got) {
			r.add(Check{Name: CheckContentType, Status: Failed, Reason: ReasonMalformed, Detail: "contentType value is not an OID"})
		} else if !v.sd.contentTypeIs(got) {
			var a oid.Arena
			id, _ := a.Decode(got)
			r.add(Check{Name: CheckContentType, Status: Failed, Reason: ReasonContentTypeMismatch,
				Detail: fmt.Sprintf("contentType %v, eContentType %v", id, v.sd.ContentType)})
		} else {
			r.add(Check{Name: CheckContentType, Status: Passed})
		}
	}

	// messageDigest (RFC 5652 §11.2).
	md, found, err := single(attrs, oid.AttrMessageDigest)
	var mdVal cryptobyte.String
	switch {
	case err != nil:
		r.add(Check{Name: CheckMessageDigest, Status: Failed, Reason: ReasonMalformed, Detail: "messageDigest: " + err.Error()})
	case !found:
		r.add(Check{Name: CheckMessageDigest, Status: Failed, Reason: ReasonMissingAttribute, Detail: "messageDigest attribute absent"})
	case !func() bool {
		s := cryptobyte.String(md)
		return asn1der.ReadASN1(&s, &mdVal, cbasn1.OCTET_STRING) && s.Empty()
	}():
		r.add(Check{Name: CheckMessageDigest, Status: Failed, Reason: ReasonMalformed, Detail: "messageDigest value is not an OCTET STRING"})
	default:
		if _, _, ok := digestInfo(si.DigestAlgorithm); !ok {
			r.add(Check{Name: CheckMessageDigest, Status: Indeterminate, Reason: ReasonUnsupportedAlgorithm,
				OID: si.DigestAlgorithm.Algorithm, Detail: "digest algorithm not supported"})
			break
		}
		want := target.digest(v, si.DigestAlgorithm.Algorithm)
		switch {
		case want == nil:
			r.add(Check{Name: CheckMessageDigest, Status: Indeterminate, Reason: ReasonContentMissing,
				Detail: "detached content (or its " + si.DigestAlgorithm.Algorithm.String() + " hash) not supplied"})
		case bytes.Equal(want, mdVal):
			r.add(Check{Name: CheckMessageDigest, Status: Passed})
		default:
			r.add(Check{Name: CheckMessageDigest, Status: Failed, Reason: ReasonDigestMismatch,
				Detail: fmt.Sprintf("messageDigest %x, content hash %x", []byte(mdVal), want)})
		}
	}

	// signingTime (RFC 5652 §11.3): exposed, judged by the policy.
	st, found, err := single(attrs, oid.AttrSigningTime)
	switch {
	case err != nil:
		r.add(Check{Name: CheckSigningTime, Status: Failed, Reason: ReasonMalformed, Detail: "signingTime: " + err.Error()})
	case found:
		t, err := parseTime(st)
		if err != nil {
			r.add(Check{Name: CheckSigningTime, Status: Failed, Reason: ReasonMalformed, Detail: "signingTime: " + err.Error()})
		} else {
			r.SigningTime = t
			r.add(Check{Name: CheckSigningTime, Status: Passed})
		}
	}

	// ESS signingCertificateV2 / signingCertificate (RFC 5035, RFC 2634).
	v.checkESS(si, r, ph)

	// CMSAlgorithmProtection (RFC 6211).
	ap, found, err := single(attrs, oid.AttrCMSAlgProtection)
	switch {
	case err != nil:
		r.add(Check{Name: CheckAlgorithmProtection, Status: Failed, Reason: ReasonMalformed, Detail: err.Error()})
	case found:
		p, err := parseAlgorithmProtection(ap)
		if err != nil {
			r.add(Check{Name: CheckAlgorithmProtection, Status: Failed, Reason: ReasonMalformed, Detail: err.Error()})
			break
		}
		r.AlgorithmProtection = p
		switch {
		case p.HasMACAlgorithm:
			r.add(Check{Name: CheckAlgorithmProtection, Status: Failed, Reason: ReasonAlgorithmProtectionMismatch,
				Detail: "macAlgorithm present in a SignedData (RFC 6211 §2)"})
		case !p.DigestAlgorithm.equivalent(si.DigestAlgorithm):
			r.add(Check{Name: CheckAlgorithmProtection, Status: Failed, Reason: ReasonAlgorithmProtectionMismatch,
				Detail: fmt.Sprintf("protected digest %v, SignerInfo %v", p.DigestAlgorithm.Algorithm, si.DigestAlgorithm.Algorithm)})
		case p.SignatureAlgorithm == nil:
			r.add(Check{Name: CheckAlgorithmProtection, Status: Failed, Reason: ReasonAlgorithmProtectionMismatch,
				Detail: "signatureAlgorithm absent (RFC 6211 §2 requires it for SignedData)"})
		case !p.SignatureAlgorithm.equivalent(si.SignatureAlgorithm):
			r.add(Check{Name: CheckAlgorithmProtection, Status: Failed, Reason: ReasonAlgorithmProtectionMismatch,
				Detail: fmt.Sprintf("protected signature algorithm %v, SignerInfo %v", p.SignatureAlgorithm.Algorithm, si.SignatureAlgorithm.Algorithm)})
		default:
			r.add(Check{Name: CheckAlgorithmProtection, Status: Passed})
		}
	}
}

func (v *verifier) checkESS(si *SignerInfo, r *SignerResult, ph *prehashed) {
	var buf [2]Check
	checks := buf[:0]
	for _, kind := range []struct {
		t  asn1.ObjectIdentifier
		v2 bool
	}{{oid.AttrSigningCertV2, true}, {oid.AttrSigningCertificate, false}} {
		var (
			sc    *ESSSigningCertificate
			pre   []byte
			val   []byte
			found bool
			err   error
		)
		if kind.v2 && ph.ess != nil {
			// prehash found it single and well formed.
			sc, pre, found = ph.ess, ph.essSum, true
		} else {
			val, found, err = single(si.SignedAttrs, kind.t)
		}
		if !found {
			continue
		}
		name := "signingCertificateV2"
		if !kind.v2 {
			name = "signingCertificate"
		}
		if err != nil {
			checks = append(checks, Check{Name: CheckSigningCertRef, Status: Failed, Reason: ReasonMalformed, Detail: name + ": " + err.Error()})
			continue
		}
		if sc == nil {
			sc, err = parseSigningCertificate(val, kind.v2, v.essStorage())
		}
		if err != nil {
			checks = append(checks, Check{Name: CheckSigningCertRef, Status: Failed, Reason: ReasonMalformed, Detail: name + ": " + err.Error()})
			continue
		}
		if r.SigningCertificate == nil || kind.v2 {
			r.SigningCertificate = sc
		}
		if r.Signer == nil {
			checks = append(checks, Check{Name: CheckSigningCertRef, Status: Indeterminate, Reason: ReasonSignerNotFound,
				Detail: name + ": no signer certificate to compare with"})
			continue
		}
		// The memo pays off for certificates that can recur: the caller's,
		// or the message's when a certificate cache parses them.
		st, reason, d := sc.checkNames(r.Signer, v.certMayRecur(r), pre)
		if d != "" {
			d = name + ": " + d
		}
		checks = append(checks, Check{Name: CheckSigningCertRef, Status: st, Reason: reason, Detail: d})
	}
	// One check per signer: the worst of the attributes present.
	if len(checks) == 0 {
		return
	}
	worst := checks[0]
	for _, c := range checks[1:] {
		if rank(c.Status) > rank(worst.Status) {
			worst = c
		}
	}
	r.add(worst)
}

func rank(s Status) int {
	switch s {
	case Failed:
		return 3
	case Indeterminate:
		return 2
	case Passed:
		return 1
	}
	return 0
}

// checkSignature verifies the signature value (GOST R 34.10-2012 §6.2)
// over the signed attributes exactly as received with the SET OF tag
// (RFC 5652 §5.4), or over the content when there are none.
func (v *verifier) checkSignature(si *SignerInfo, r *SignerResult, pub *gost3410.PublicKey, alg Check, target *signerTarget, ph *prehashed) Check {
	c := Check{Name: CheckSignatureValue}
	switch {
	case alg.Status == Indeterminate || (alg.Status == Failed && alg.Reason == ReasonUnsupportedAlgorithm):
		c.Status, c.Reason, c.OID, c.Detail = Indeterminate, alg.Reason, alg.OID, "not verified: "+alg.Detail
		return c
	case alg.Status == Failed:
		c.Status, c.Reason, c.Detail = Indeterminate, alg.Reason, "not verified: "+alg.Detail
		return c
	case r.Signer == nil:
		c.Status, c.Reason, c.Detail = Indeterminate, ReasonSignerNotFound, "no signer certificate"
		return c
	case pub == nil:
		c.Status, c.Reason, c.Detail = Indeterminate, ReasonSignerKey, "signer key unusable"
		return c
	}
	var digest []byte
	switch {
	case ph.attrs != nil:
		digest = ph.attrs
	case si.RawSignedAttrs != nil:
		// RFC 5652 §5.4: the DER of the SET OF, the [0] tag replaced.
		tag, rest := si.SignedBytes()
		ka, _ := gosthash.KeyAlgorithm(si.DigestAlgorithm.Algorithm)
		var buf [64]byte
		digest, _ = gosthash.AppendSum(ka, buf[:0], []byte{tag}, rest)
	default:
		digest = target.digest(v, si.DigestAlgorithm.Algorithm)
		if digest == nil {
			c.Status, c.Reason = Indeterminate, ReasonContentMissing
			c.Detail = "no signed attributes and the detached content (or its hash) was not supplied"
			return c
		}
	}
	if *v.budget <= 0 {
		c.Status, c.Reason = Indeterminate, ReasonLimitExceeded
		c.Detail = fmt.Sprintf("not verified: more than %d signature verifications in one document", MaxSignatureChecks)
		return c
	}
	*v.budget--
	if v.certMayRecur(r) {
		// A key that can recur (a cached or the caller's certificate):
		// counted, and precomputed once it does (internal/keyuse). The
		// certificates Verify parses itself are new each time.
		keyuse.Note(pub)
	}
	if err := gost3410.CheckSignature(pub, digest, si.Signature); err != nil {
		c.Status, c.Reason, c.Detail = Failed, ReasonSignatureInvalid, err.Error()
		return c
	}
	c.Status = Passed
	return c
}

// certPool finds certificates: the SignedData's first, then the caller's.
type certPool struct {
	certs       []*cert.Certificate
	fromMessage int // certs[:fromMessage] came from the SignedData
}

func newPool(message, caller []*cert.Certificate) certPool {
	// The message's certificates are not copied: the full slice
	// expression makes the first add copy them instead of appending into
	// the SignedData's array.
	p := certPool{certs: message[:len(message):len(message)], fromMessage: len(message)}
	for _, c := range caller {
		p.add(c)
	}
	return p
}

func (p *certPool) add(c *cert.Certificate) {
	for _, x := range p.certs {
		if x == c || bytes.Equal(x.Raw, c.Raw) {
			return
		}
	}
	p.certs = append(p.certs, c)
}

// find returns the first certificate matching sid (RFC 5652 §5.3):
// serial number and issuer Name, the names compared by the rules of
// RFC 5280 §7.1 (cert.Name.EqualDER: a signing tool may re-encode the
// issuer with another string type), or the subjectKeyIdentifier
// (the extension, or RFC 5280 §4.2.1.2 method 1 when the certificate has
// none).
func (p *certPool) find(sid *SignerIdentifier) (*cert.Certificate, bool) {
	for i, c := range p.certs {
		if sid.SubjectKeyID != nil {
			ski := c.SubjectKeyID
			if ski == nil {
				ski = keyIDMethod1(c)
			}
			if bytes.Equal(ski, sid.SubjectKeyID) {
				return c, i < p.fromMessage
			}
			continue
		}
		if serialEqual(c.RawSerial, sid.RawSerial) && c.Issuer.EqualDER(sid.Issuer) {
			return c, i < p.fromMessage
		}
	}
	return nil, false
}

// keyIDMethod1 is SHA-1 of the subjectPublicKey BIT STRING value.
func keyIDMethod1(c *cert.Certificate) []byte {
	s := cryptobyte.String(c.RawSubjectPublicKeyInfo)
	var spki, alg cryptobyte.String
	var bits asn1.BitString
	if !asn1der.ReadASN1(&s, &spki, cbasn1.SEQUENCE) || !asn1der.ReadASN1(&spki, &alg, cbasn1.SEQUENCE) || !spki.ReadASN1BitString(&bits) {
		return nil
	}
	h := sha1.Sum(bits.Bytes)
	return h[:]
}

// publicKey returns c's GOST key, resolving parameters inherited from the
// issuer (RFC 4491 §2.3.2) from a certificate in the pool.
func (p *certPool) publicKey(c *cert.Certificate) (*gost3410.PublicKey, error) {
	if c.PublicKey != nil {
		return c.PublicKey, nil
	}
	if c.PublicKeyErr != nil && errors.Is(c.PublicKeyErr, gost3410.ErrMissingParameters) {
		for _, is := range p.certs {
			if is.PublicKey != nil && is.Subject.Equal(&c.Issuer) {
				if k, err := c.PublicKeyFrom(is.PublicKey); err == nil {
					return k, nil
				}
			}
		}
	}
	if c.PublicKeyErr != nil {
		return nil, c.PublicKeyErr
	}
	return nil, errors.New("no public key")
}

// collectEvidence fills Result.Certificates, CRLs and OCSPResponses.
func (v *verifier) collectEvidence(opts *VerifyOptions) {
	var certs dedup
	add := func(c *cert.Certificate) {
		if certs.add(c.Raw) {
			v.res.Certificates = append(v.res.Certificates, c)
		}
	}
	for _, c := range v.sd.Certificates {
		add(c)
	}
	for _, c := range v.extraCerts {
		add(c)
	}
	for _, c := range opts.Certificates {
		add(c)
	}
	// CRLs and OCSP responses share one set, as before: an element is
	// listed once, under the first field it appears in.
	var revs dedup
	for _, c := range v.sd.CRLs {
		if c[0] == 0x30 && revs.add(c) { // X.509 CertificateList
			v.res.CRLs = append(v.res.CRLs, c)
		}
	}
	for _, c := range v.crls {
		if revs.add(c) {
			v.res.CRLs = append(v.res.CRLs, c)
		}
	}
	// OCSP responses in the crls field (RFC 5940 §3), then the CAdES
	// revocation-values ones.
	for _, c := range v.sd.CRLs {
		if o, ok := basicOCSPFromRevocationInfo(c); ok && revs.add(o) {
			v.res.OCSPResponses = append(v.res.OCSPResponses, o)
		}
	}
	for _, o := range v.ocsps {
		if revs.add(o) {
			v.res.OCSPResponses = append(v.res.OCSPResponses, o)
		}
	}
}

// dedup is a set of byte strings for collectEvidence: a linear scan of
// an inline array for the few elements a document carries, a map past
// them. The zero dedup is empty.
type dedup struct {
	arr [8][]byte
	n   int
	m   map[string]bool
}

// add reports whether b was new, and records it.
func (d *dedup) add(b []byte) bool {
	if d.m == nil {
		for _, x := range d.arr[:d.n] {
			if bytes.Equal(x, b) {
				return false
			}
		}
		if d.n < len(d.arr) {
			d.arr[d.n] = b
			d.n++
			return true
		}
		d.m = make(map[string]bool, 4*len(d.arr))
		for _, x := range d.arr {
			d.m[string(x)] = true
		}
	}
	if d.m[string(b)] {
		return false
	}
	d.m[string(b)] = true
	return true
}
