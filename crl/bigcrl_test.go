package crl

import (
	"bytes"
	"encoding/binary"
	"iter"
	"math/big"
	"math/rand/v2"
	"sync"
	"time"

	"gostsig.dev/internal/testkit"
)

var (
	benchPKIOnce sync.Once
	benchPKI     *testkit.PKI
)

// bigCA is the testkit CA that signs the generated CRLs (GOST 2012-256,
// TC26 A; its issuer is a 512-bit root).
func bigCA() *testkit.Certificate {
	benchPKIOnce.Do(func() { benchPKI = testkit.MustPKI("crl/bigcrl") })
	return benchPKI.CA
}

// bigEntries yields n entries shaped like an accredited CA's list: 16–20
// octet random serials, UTCTime revocation dates spread over two years,
// reasonCode on 80% of the entries and reasonCode + invalidityDate on 10%
// more. It is deterministic for a seed, and can be iterated again (testkit's
// WriteCRL iterates twice).
func bigEntries(n int, seed uint64) iter.Seq[testkit.CRLEntry] {
	return func(yield func(testkit.CRLEntry) bool) {
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
		serial := make([]byte, 24)
		for range n {
			sl := 16 + rng.IntN(5)
			for i := 0; i < 24; i += 8 {
				binary.LittleEndian.PutUint64(serial[i:], rng.Uint64())
			}
			serial[0] = 0x01 + serial[0]%0x7e // positive, minimal
			e := testkit.CRLEntry{
				RawSerial: serial[:sl],
				RevokedAt: base.Add(time.Duration(rng.IntN(2*365*86400)) * time.Second),
			}
			switch k := rng.IntN(10); {
			case k < 8:
				e.Reason, e.HasReason = 1+rng.IntN(5), true
			case k == 8:
				e.Reason, e.HasReason = testkit.ReasonKeyCompromise, true
				e.InvalidityDate = e.RevokedAt.Add(-time.Hour)
			default:
				e.Reason = -1
			}
			if !yield(e) {
				return
			}
		}
	}
}

// bigCRL writes a signed CRL of n entries with testkit's streaming builder
// (memory does not grow with n) and returns it with its serials.
func bigCRL(n int, seed uint64) (der []byte, serials [][]byte) {
	for e := range bigEntries(n, seed) {
		serials = append(serials, bytes.Clone(e.RawSerial))
	}
	var buf bytes.Buffer
	t := &testkit.CRLTemplate{
		ThisUpdate: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NextUpdate: time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC),
		Number:     big.NewInt(7),
	}
	if _, err := testkit.WriteCRL(&buf, t, bigEntries(n, seed), bigCA()); err != nil {
		panic(err)
	}
	return buf.Bytes(), serials
}
