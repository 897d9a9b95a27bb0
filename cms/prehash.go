package cms

import (
	"bytes"
	"sync"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/internal/oid"
)

// maxPrehashAttrs is the largest signed-attributes encoding prehash copies
// to hash it in a batch; larger ones (rare: a few hundred bytes is usual)
// are hashed where they are, by checkSignature.
const maxPrehashAttrs = 1024

// hashScratch is the storage of prehash: streebog.SumBatch256/512 keep
// their arguments, so they live on the heap, not on the stack. One Verify
// call takes one from hashScratches and shares it with the verifiers of
// its time-stamp tokens; each signer uses it only between prehash and its
// checkSignature, and nothing in a Result refers to it, so Verify returns
// it to the pool (its 1.4 KB would otherwise be allocated and collected
// per call).
type hashScratch struct {
	msgs   [3][]byte
	out256 [3][streebog.Size256]byte
	out512 [3][streebog.Size512]byte
	attrs  [maxPrehashAttrs]byte
}

var hashScratches = sync.Pool{New: func() any { return new(hashScratch) }}

// noPrehash turns prehash off (Verify then gives its verifier no
// scratch), for the test that it changes no result.
var noPrehash bool

// prehashed carries what prehash computed for one signer to the checks
// that use it. The zero value means nothing was computed: every check then
// hashes for itself.
type prehashed struct {
	// attrs is the digest of the signed attributes (RFC 5652 §5.4), for
	// checkSignature.
	attrs []byte
	// ess is the signingCertificateV2 attribute, parsed; essSum is the
	// hash of the signer certificate's DER in the algorithm of its first
	// ESSCertID (from the memo, or computed and memoised as certHash does).
	ess    *ESSSigningCertificate
	essSum []byte
}

// prehash computes together, interleaved in one streebog.SumBatch256 or
// SumBatch512 call, the independent Streebog hashes one signer's checks
// need: the content digest (messageDigest), the signed-attributes digest
// (the signature value) and the ESS certHash of the signer certificate
// when its algorithm is the signer's digest algorithm. It changes no
// check: each later finds its hash here (or in v.digests) instead of
// computing it, and anything prehash does not foresee — another
// algorithm, GOST R 34.11-94, a malformed attribute, a detached content —
// is hashed by the check itself, as before.
func (v *verifier) prehash(si *SignerInfo, r *SignerResult, pub *gost3410.PublicKey, alg Check, target *signerTarget, ph *prehashed) {
	s := v.scratch
	a := si.DigestAlgorithm.Algorithm
	wide := false
	switch {
	case s == nil || si.RawSignedAttrs == nil:
		return
	case a.Equal(oid.Streebog256):
	case a.Equal(oid.Streebog512):
		wide = true
	default:
		return
	}
	const none = -1
	n, iContent, iAttrs, iCert := 0, none, none, none
	var essKey certHashKey // the ESS certHash's memo key (memoisedCertHash)
	// The content, for a top-level signer whose digest is not yet known
	// (contentDigest would compute it).
	if target == nil && v.content != nil && v.lookupDigest(a) == nil {
		s.msgs[n], iContent = v.content, n
		n++
	}
	// The signed attributes, when checkSignature will verify: the SET OF
	// tag and the bytes after the [0] tag, made contiguous.
	if alg.Status == Passed && r.Signer != nil && pub != nil && len(si.RawSignedAttrs) <= len(s.attrs) {
		tag, rest := si.SignedBytes()
		b := s.attrs[:1+len(rest)]
		b[0] = tag
		copy(b[1:], rest)
		s.msgs[n], iAttrs = b, n
		n++
	}
	// The ESS certHash (RFC 5035 §3), when checkESS will compare it.
	if r.Signer != nil {
		if val, found, err := single(si.SignedAttrs, oid.AttrSigningCertV2); found && err == nil {
			if sc, err := parseSigningCertificate(val, true, v.essStorage()); err == nil {
				ph.ess = sc
				if sc.CertIDs[0].HashAlgorithm.Equal(a) {
					if ph.essSum, essKey = memoisedCertHash(r.Signer, a, v.certMayRecur(r)); ph.essSum == nil {
						s.msgs[n], iCert = r.Signer.Raw, n
						n++
					}
				}
			}
		}
	}
	if n == 0 {
		return
	}
	var out func(i int) []byte
	if wide {
		streebog.SumBatch512(s.msgs[:n], s.out512[:n])
		out = func(i int) []byte { return s.out512[i][:] }
	} else {
		streebog.SumBatch256(s.msgs[:n], s.out256[:n])
		out = func(i int) []byte { return s.out256[i][:] }
	}
	clear(s.msgs[:n])
	if iContent != none {
		v.setDigest(a, append(v.digestRoom(), out(iContent)...))
	}
	if iAttrs != none {
		ph.attrs = out(iAttrs)
	}
	if iCert != none {
		sum := out(iCert)
		if essKey.alg != 0 {
			sum = bytes.Clone(sum) // out is scratch space; the memo keeps it
		}
		ph.essSum = rememberCertHash(r.Signer, essKey, sum)
	}
}

// essStorage returns the storage for the first ESS attribute a Verify call
// parses (its block's), then nil: parseSigningCertificate allocates the
// others.
func (v *verifier) essStorage() *ESSSigningCertificate {
	e := v.essSpare
	v.essSpare = nil
	return e
}

// certMayRecur says whether r's signer certificate can recur across calls
// (the caller's, or the message's when a certificate cache parses them):
// then its ESS hash is worth memoising and its key worth counting.
func (v *verifier) certMayRecur(r *SignerResult) bool {
	return !r.SignerFromMessage || v.sd.certsCached
}
