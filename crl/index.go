package crl

import (
	"bytes"
	"math"
	"math/big"
	"slices"
	"sort"
	"time"

	"github.com/cespare/xxhash/v2"
)

// An Index maps certificate serial numbers to their revocation entries. It is
// built in one pass over a CRL's revokedCertificates (see [Parse]) and never
// holds parsed entries: per entry it keeps a 12-byte record, a 4-byte slot of
// an open-addressing table at load factor ≤ 0.7, the serial's octets in one
// shared arena and, only for entries that carry one, an 8-byte invalidity
// date. That is ≤ 32 bytes per entry on top of the serials (see
// [Index.BytesPerEntry]); lookups are O(1) expected.
//
// An Index is immutable after construction and safe for concurrent use.
type Index struct {
	arena   []byte   // serial octets (minimal two's complement), back to back
	entries []record // in CRL order
	// slots is a linear-probing table. A slot holds 0 (empty) or
	// (fp << 24 | entry index + 1), where fp is 8 bits of the serial's
	// xxhash, so that most probes for absent serials never touch entries.
	slots []uint32
	inval []invalidity     // sorted by entry; only entries with invalidityDate
	wide  map[uint32]int64 // entry → date outside the uint32 range (never seen in practice)
	widei map[uint32]int64 // entry → invalidity date outside the uint32 range
	dups  int              // serials listed more than once (merged, see add)
}

// record is one revoked certificate. Dates are Unix seconds in a uint32
// (1970..2106); a date outside that range is flagged and kept in a side map.
type record struct {
	off    uint32 // serial offset in arena
	date   uint32 // revocationDate, Unix seconds
	n      uint8  // serial length
	reason Reason
	flags  uint8
	_      uint8
}

const (
	flagReasonPresent = 1 << iota // reasonCode extension present
	flagInvalidity                // invalidityDate present (in inval)
	flagWideDate                  // date in wide
	flagWideInval                 // invalidity date in widei
)

type invalidity struct {
	entry uint32
	date  uint32
}

// Index limits. A slot stores an entry index in 24 bits.
const (
	maxIndexEntries = 1<<24 - 1 // 16.7 M revoked certificates (~750 MB of CRL)
	maxSerialLen    = 126       // RFC 5280 §4.1.2.2 allows 20 octets; CAs exceed it, but not by this much
	indexLoadNum    = 10        // table size = entries * 10 / 7 (load factor 0.7)
	indexLoadDen    = 7
)

// Entry is a revoked certificate as listed in a CRL.
type Entry struct {
	RevocationDate time.Time
	// Reason is the reasonCode extension (RFC 5280 §5.3.1), or
	// ReasonUnspecified when the entry has none (ReasonPresent false).
	Reason        Reason
	ReasonPresent bool
	// InvalidityDate is when the key is known or suspected to have been
	// compromised (RFC 5280 §5.3.2); zero when absent.
	InvalidityDate time.Time
}

// indexBuilder accumulates entries during the single pass over
// revokedCertificates; finish builds the lookup table.
type indexBuilder struct {
	ix Index
}

// grow reserves room for about n more entries and nb more serial bytes.
func (b *indexBuilder) reserve(n, nb int) {
	b.ix.entries = slices.Grow(b.ix.entries, n)
	b.ix.arena = slices.Grow(b.ix.arena, nb)
}

func (b *indexBuilder) add(serial []byte, date int64, reason Reason, flags uint8, inval int64) {
	i := uint32(len(b.ix.entries))
	r := record{off: uint32(len(b.ix.arena)), n: uint8(len(serial)), reason: reason, flags: flags}
	if date >= 0 && date <= math.MaxUint32 {
		r.date = uint32(date)
	} else {
		r.flags |= flagWideDate
		if b.ix.wide == nil {
			b.ix.wide = map[uint32]int64{}
		}
		b.ix.wide[i] = date
	}
	if flags&flagInvalidity != 0 {
		if inval >= 0 && inval <= math.MaxUint32 {
			b.ix.inval = append(b.ix.inval, invalidity{entry: i, date: uint32(inval)})
		} else {
			r.flags = r.flags&^flagInvalidity | flagWideInval
			if b.ix.widei == nil {
				b.ix.widei = map[uint32]int64{}
			}
			b.ix.widei[i] = inval
		}
	}
	b.ix.arena = append(b.ix.arena, serial...)
	b.ix.entries = append(b.ix.entries, r)
}

func slotFor(h uint64, n int) int {
	// Lemire's fast range reduction of the low 32 bits.
	return int((h & 0xffffffff) * uint64(n) >> 32)
}

func fingerprint(h uint64) uint32 { return uint32(h>>56) << 24 }

// finish builds the table and trims the slack of the growing slices, so that
// the memory held is what BytesPerEntry reports.
func (b *indexBuilder) finish() *Index {
	ix := &b.ix
	n := len(ix.entries)
	if cap(ix.entries)-n > n/32 {
		ix.entries = slices.Clone(ix.entries)
	}
	if cap(ix.arena)-len(ix.arena) > len(ix.arena)/32 {
		ix.arena = slices.Clone(ix.arena)
	}
	if cap(ix.inval)-len(ix.inval) > len(ix.inval)/32 {
		ix.inval = slices.Clone(ix.inval)
	}
	if n == 0 {
		return ix
	}
	ix.slots = make([]uint32, (n*indexLoadNum+indexLoadDen-1)/indexLoadDen+1)
	for i := range n {
		s := ix.serialAt(uint32(i))
		h := xxhash.Sum64(s)
		fp := fingerprint(h)
		j := slotFor(h, len(ix.slots))
		for {
			v := ix.slots[j]
			if v == 0 {
				ix.slots[j] = fp | uint32(i+1)
				break
			}
			if v&0xff000000 == fp {
				k := v&0xffffff - 1
				if bytes.Equal(ix.serialAt(k), s) {
					// The same serial twice (only indirect CRLs may do
					// that, and those are refused). Keep the more damning
					// entry: a permanent revocation over a hold, then the
					// earlier date.
					ix.dups++
					if ix.worse(uint32(i), k) {
						ix.slots[j] = fp | uint32(i+1)
					}
					break
				}
			}
			if j++; j == len(ix.slots) {
				j = 0
			}
		}
	}
	return ix
}

// worse reports whether entry a should win over entry b for the same serial.
func (ix *Index) worse(a, b uint32) bool {
	ha, hb := ix.entries[a].reason == ReasonCertificateHold, ix.entries[b].reason == ReasonCertificateHold
	if ha != hb {
		return hb
	}
	return ix.dateAt(a) < ix.dateAt(b)
}

func (ix *Index) serialAt(i uint32) []byte {
	r := &ix.entries[i]
	return ix.arena[r.off : r.off+uint32(r.n)]
}

func (ix *Index) dateAt(i uint32) int64 {
	r := &ix.entries[i]
	if r.flags&flagWideDate != 0 {
		return ix.wide[i]
	}
	return int64(r.date)
}

// Len returns the number of entries in the CRL (duplicates included).
func (ix *Index) Len() int { return len(ix.entries) }

// Duplicates returns how many entries repeated an earlier serial.
func (ix *Index) Duplicates() int { return ix.dups }

// find returns the entry index of serial (minimal two's complement octets).
func (ix *Index) find(serial []byte) (uint32, bool) {
	if len(ix.slots) == 0 {
		return 0, false
	}
	h := xxhash.Sum64(serial)
	fp := fingerprint(h)
	j := slotFor(h, len(ix.slots))
	for {
		v := ix.slots[j]
		if v == 0 {
			return 0, false
		}
		if v&0xff000000 == fp {
			k := v&0xffffff - 1
			r := &ix.entries[k]
			if int(r.n) == len(serial) && string(ix.arena[r.off:r.off+uint32(r.n)]) == string(serial) {
				return k, true
			}
		}
		if j++; j == len(ix.slots) {
			j = 0
		}
	}
}

// LookupBytes looks up a serial given as the content octets of its DER
// INTEGER (a leading 0x00 or 0xFF that DER would not allow is ignored).
func (ix *Index) LookupBytes(serial []byte) (Entry, bool) {
	k, ok := ix.find(normalizeSerial(serial))
	if !ok {
		return Entry{}, false
	}
	return ix.entry(k), true
}

// Lookup looks up a certificate serial number.
func (ix *Index) Lookup(serial *big.Int) (Entry, bool) {
	var buf [64]byte
	return ix.LookupBytes(appendSerial(buf[:0], serial))
}

func (ix *Index) entry(k uint32) Entry {
	r := &ix.entries[k]
	e := Entry{
		RevocationDate: time.Unix(ix.dateAt(k), 0).UTC(),
		Reason:         r.reason,
		ReasonPresent:  r.flags&flagReasonPresent != 0,
	}
	switch {
	case r.flags&flagInvalidity != 0:
		i := sort.Search(len(ix.inval), func(i int) bool { return ix.inval[i].entry >= k })
		e.InvalidityDate = time.Unix(int64(ix.inval[i].date), 0).UTC()
	case r.flags&flagWideInval != 0:
		e.InvalidityDate = time.Unix(ix.widei[k], 0).UTC()
	}
	return e
}

// All calls yield for each entry in CRL order (duplicates included) until it
// returns false. The serial slice is only valid during the call.
func (ix *Index) All(yield func(serial []byte, e Entry) bool) {
	for k := range ix.entries {
		if !yield(ix.serialAt(uint32(k)), ix.entry(uint32(k))) {
			return
		}
	}
}

// SerialBytes returns the total size of the stored serial octets.
func (ix *Index) SerialBytes() int { return len(ix.arena) }

// MemoryBytes returns the bytes the index holds, serials included.
func (ix *Index) MemoryBytes() int {
	const recordSize, slotSize, invalSize = 12, 4, 8
	return cap(ix.arena) + cap(ix.entries)*recordSize + cap(ix.slots)*slotSize +
		cap(ix.inval)*invalSize + (len(ix.wide)+len(ix.widei))*48
}

// BytesPerEntry returns the index memory per entry, not counting the serial
// octets themselves.
func (ix *Index) BytesPerEntry() float64 {
	if len(ix.entries) == 0 {
		return 0
	}
	return float64(ix.MemoryBytes()-cap(ix.arena)) / float64(len(ix.entries))
}
