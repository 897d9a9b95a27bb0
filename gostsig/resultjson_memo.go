package gostsig

import (
	"sync/atomic"
	"time"
	"unsafe"
)

// The memo of pre-encoded JSON fragments.
//
// A verifier describes a certificate once (descCache) and hands the same
// strings to every Result that mentions it, so the HTTP service encodes
// the same signer, CA and root objects result after result: about two
// thirds of a result's bytes, times included. The memo keeps the JSON of
// recent CertInfo, ChainCert and Revocation values and copies it instead
// of encoding again. (Checks are not memoised: a third of their details
// quote the validation time or a count and are new in every Result, and
// on a stream of verdicts the lookups cost what the hits save.)
//
// An object is found again only when it is equal to the key of an entry
// (==: every field, time.Time by its representation: wall clock,
// monotonic reading and *Location), and its encoding is a function of
// those fields alone, so a hit is the very bytes a fresh encoding would
// give. The hashes are of string identities (data pointer and length),
// not their bytes: the objects that recur are handed the very same
// strings, and an equal object built from other strings merely misses.
// Comparing with == costs no more than comparing identities on a hit:
// the runtime's memequal returns at once for the same pointer. A caller
// who edits a field of a Result (they are public) therefore gets a fresh
// encoding, never a stale fragment. (A string made with unsafe.String
// over memory that is later changed breaks this, as it breaks the
// language's own guarantee; nothing in this module makes one.)
//
// Each kind of object has memoSets sets of memoWays entries, found by a
// hash of the field identities. Entries are immutable and published by
// atomic pointers: a lookup takes no lock and allocates nothing. An object
// is admitted on a miss only if it is among the last doorkeeperTags
// objects its set turned away (the set remembers tags of their hashes), so that
// one-off objects — the certificate of a one-time signer, a revocation
// entry with a CRL number rendered afresh — cost neither an allocation nor
// the eviction of a CA certificate that recurs, while a few recurring
// objects that share a set (the chain of one result) are all admitted on
// their second sighting. An admitted object goes to way 0 and moves the
// others one way on, evicting the last.
const (
	memoSetsLog2 = 7
	memoSets     = 1 << memoSetsLog2
	memoWays     = 2
	// doorkeeperTags is how many turned-away objects a set remembers, by
	// tags of tagBits bits of their hashes packed in one word, so that a
	// miss costs one atomic store. A one-off object is admitted by
	// mistake once in 2^tagBits/doorkeeperTags ≈ 700 000 misses.
	doorkeeperTags = 3
	tagBits        = 21
	tagMask        = 1<<tagBits - 1
	// maxFragment bounds the JSON of one memoised object; larger objects
	// are encoded every time. With it the memo holds at most
	// 3 kinds × memoSets × memoWays fragments of maxFragment bytes and
	// their key strings (no longer than the fragment, which encodes
	// them), about 6 MiB whatever the input; real objects are 0.1–1 KiB.
	maxFragment = 4 << 10
)

// fragment is one memoised object: its key (a copy of the object, which
// holds its strings) and its JSON.
type fragment[K any] struct {
	hash uint64
	key  K
	json string
}

type memoSet[K comparable] struct {
	way [memoWays]atomic.Pointer[fragment[K]]
	// turnedAway holds the tags of the last objects that missed and were
	// not admitted, the latest in the low bits (the doorkeeper).
	turnedAway atomic.Uint64
}

type memo[K comparable] struct {
	sets [memoSets]memoSet[K]
}

var (
	certInfoMemo   memo[CertInfo]
	chainCertMemo  memo[ChainCert]
	revocationMemo memo[Revocation]
)

func (m *memo[K]) set(h uint64) *memoSet[K] {
	return &m.sets[h>>(64-memoSetsLog2)]
}

// find returns the entry of set s with hash h whose key equals k.
func find[K comparable](s *memoSet[K], h uint64, k *K) *fragment[K] {
	for i := range s.way {
		if e := s.way[i].Load(); e != nil && e.hash == h && e.key == *k {
			return e
		}
	}
	return nil
}

// admit records that k (hash h) encoded to frag after a miss.
func (s *memoSet[K]) admit(h uint64, k *K, frag []byte) {
	if len(frag) > maxFragment {
		return
	}
	tag := h&tagMask | 1 // never an empty tag
	w := s.turnedAway.Load()
	seen := false
	for i := range doorkeeperTags {
		seen = seen || w>>(i*tagBits)&tagMask == tag
	}
	if !seen {
		s.turnedAway.Store((w<<tagBits | tag) & (1<<(doorkeeperTags*tagBits) - 1))
		return
	}
	e := &fragment[K]{hash: h, key: *k, json: string(frag)}
	// Racing misses may lose a tag or an entry or store one twice: a
	// later miss, never a wrong fragment.
	for i := len(s.way) - 1; i > 0; i-- {
		s.way[i].Store(s.way[i-1].Load())
	}
	s.way[0].Store(e)
}

// memoAppend appends the JSON of k: the memoised fragment when there is
// one, else enc's, admitting it.
func memoAppend[K comparable](m *memo[K], b []byte, k *K, h uint64, enc func([]byte, *K) ([]byte, error)) ([]byte, error) {
	s := m.set(h)
	if e := find(s, h, k); e != nil {
		return append(b, e.json...), nil
	}
	start := len(b)
	b, err := enc(b, k)
	if err != nil {
		return nil, err
	}
	s.admit(h, k, b[start:])
	return b, nil
}

// The hashes sum each field's identity times its own odd constant, so that
// the multiplications run in parallel, then mix the sum (finish). They
// need only spread objects over the sets and tell the doorkeeper one
// object from another: a lookup compares the whole key.
var hashK = [...]uint64{
	0x9e3779b97f4a7c15, 0xc2b2ae3d27d4eb4f, 0x165667b19e3779f9, 0xd6e8feb86659fd93,
	0xff51afd7ed558ccd, 0xc4ceb9fe1a85ec53, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb,
	0x2545f4914f6cdd1d, 0xa0761d6478bd642f, 0xe7037ed1a0b428db, 0x8ebc6af09c88c6e3,
	0x589965cc75374cc3, 0x1d8e4e27c47d124f, 0x9fb21c651e98df25, 0xd1b54a32d192ed03,
	0xaef17502108ef2d9, 0xf1357aea2e62a9c5, 0x3c79ac492ba7b653,
}

// word is the identity of s: zero when s is empty, whatever its pointer,
// so that equal objects with empty strings hash alike.
func word(s string) uint64 {
	nonEmpty := -uint64(min(len(s), 1))
	return (uint64(uintptr(unsafe.Pointer(unsafe.StringData(s)))) ^ uint64(len(s))<<48) & nonEmpty
}

func timeWord(t time.Time) uint64 { return uint64(t.Unix()) }

// finish spreads the sum over the top bits (the set index) and the low
// ones (the doorkeeper's tag).
func finish(h uint64) uint64 {
	h ^= h >> 31
	h *= hashK[0]
	return h ^ h>>29
}

func hashCertInfo(c *CertInfo) uint64 {
	return finish(word(c.Subject)*hashK[0] + word(c.CommonName)*hashK[1] + word(c.Serial)*hashK[2] +
		word(c.Issuer)*hashK[3] + word(c.INN)*hashK[4] + word(c.INNLE)*hashK[5] + word(c.OGRN)*hashK[6] +
		word(c.OGRNIP)*hashK[7] + word(c.SNILS)*hashK[8] + word(c.Surname)*hashK[9] +
		word(c.GivenName)*hashK[10] + word(c.Title)*hashK[11] + word(c.Organization)*hashK[12] +
		word(c.Email)*hashK[13] + timeWord(c.NotBefore)*hashK[14] + timeWord(c.NotAfter)*hashK[15] +
		timeWord(c.PrivateKeyNotBefore)*hashK[16] + timeWord(c.PrivateKeyNotAfter)*hashK[17] +
		word(c.SHA1)*hashK[18])
}

func hashChainCert(c *ChainCert) uint64 {
	anchor := uint64(0)
	if c.Anchor {
		anchor = 1
	}
	return finish(word(c.Subject)*hashK[0] + word(c.Issuer)*hashK[1] + word(c.Serial)*hashK[2] +
		timeWord(c.NotBefore)*hashK[3] + timeWord(c.NotAfter)*hashK[4] + word(c.SHA1)*hashK[5] + anchor*hashK[6])
}

func hashRevocation(r *Revocation) uint64 {
	return finish(word(r.Serial)*hashK[0] + word(r.Subject)*hashK[1] + uint64(r.Status)*hashK[2] +
		word(r.Source)*hashK[3] + timeWord(r.RevokedAt)*hashK[4] + word(r.Reason)*hashK[5] +
		word(r.CRLIssuer)*hashK[6] + word(r.CRLNumber)*hashK[7] + timeWord(r.ThisUpdate)*hashK[8] +
		timeWord(r.NextUpdate)*hashK[9] + word(r.EvidenceSHA256)*hashK[10] +
		word(r.EvidenceStreebog256)*hashK[11] + word(r.Detail)*hashK[12] + word(r.Cause)*hashK[13])
}

func appendCertInfo(b []byte, c *CertInfo) ([]byte, error) {
	return memoAppend(&certInfoMemo, b, c, hashCertInfo(c), encodeCertInfo)
}

func appendChainCert(b []byte, c *ChainCert) ([]byte, error) {
	return memoAppend(&chainCertMemo, b, c, hashChainCert(c), encodeChainCert)
}

func appendRevocation(b []byte, r *Revocation) ([]byte, error) {
	return memoAppend(&revocationMemo, b, r, hashRevocation(r), encodeRevocation)
}
