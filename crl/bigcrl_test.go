package crl

import (
	"encoding/binary"
	"math/rand/v2"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/oid"
)

// bigCRL builds a CRL of n entries shaped like an accredited CA's list: 16–20
// octet random serials, UTCTime revocation dates spread over two years,
// reasonCode on 80% of the entries and reasonCode + invalidityDate on 10%
// more. The result is deterministic for a given seed. The signature is
// whatever sign returns for the tbsCertList (64 zero bytes when sign is nil:
// the index and hashing cost do not depend on it).
//
// It writes the DER directly (lengths first, then content) so that building
// a 50 MB list takes well under a second.
func bigCRL(n int, seed uint64, sign func(tbs []byte) []byte) (der []byte, serials [][]byte) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	base := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	entries := make([]byte, 0, n*52)
	serials = make([][]byte, 0, n)
	for range n {
		sl := 16 + rng.IntN(5)
		serial := make([]byte, sl)
		for i := 0; i < sl; i += 8 {
			var w [8]byte
			binary.LittleEndian.PutUint64(w[:], rng.Uint64())
			copy(serial[i:], w[:])
		}
		serial[0] = 0x01 + serial[0]%0x7e // positive, minimal
		serials = append(serials, serial)
		when := base.Add(time.Duration(rng.IntN(2*365*86400)) * time.Second)
		var ext []byte
		switch k := rng.IntN(10); {
		case k < 8:
			ext = reasonExt(Reason(1 + rng.IntN(5)))
		case k == 8:
			ext = append(reasonExt(ReasonKeyCompromise), invalidityExt(when.Add(-time.Hour))...)
		}
		var e []byte
		e = append(e, 0x02, byte(sl))
		e = append(e, serial...)
		e = append(e, 0x17, 13)
		e = append(e, when.Format("060102150405Z")...)
		if ext != nil {
			e = appendTLV(e, 0x30, ext)
		}
		entries = appendTLV(entries, 0x30, e)
	}
	var b cryptobyte.Builder
	algo := func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oid.Gost2012SignWith256)
		})
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1Int64(1)
		algo(b)
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(oid.CommonName)
					b.AddASN1(cbasn1.UTF8String, func(b *cryptobyte.Builder) { b.AddBytes([]byte("Big Test CA")) })
				})
			})
		})
		b.AddASN1UTCTime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
		b.AddASN1UTCTime(time.Date(2025, 1, 8, 0, 0, 0, 0, time.UTC))
		b.AddBytes(appendTLV(nil, 0x30, entries))
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
					b.AddASN1ObjectIdentifier(oid.ExtCRLNumber)
					b.AddASN1(cbasn1.OCTET_STRING, func(b *cryptobyte.Builder) { b.AddASN1Int64(7) })
				})
			})
		})
	})
	tbs := b.BytesOrPanic()
	sig := make([]byte, 64)
	if sign != nil {
		sig = sign(tbs)
	}
	var body []byte
	body = append(body, tbs...)
	var ab cryptobyte.Builder
	algo(&ab)
	body = append(body, ab.BytesOrPanic()...)
	body = appendTLV(body, 0x03, append([]byte{0}, sig...))
	return appendTLV(nil, 0x30, body), serials
}

func reasonExt(r Reason) []byte {
	return appendTLV(nil, 0x30, []byte{0x06, 0x03, 0x55, 0x1d, 0x15, 0x04, 0x03, 0x0a, 0x01, byte(r)})
}

func invalidityExt(t time.Time) []byte {
	v := appendTLV(nil, 0x18, []byte(t.Format("20060102150405Z")))
	e := append([]byte{0x06, 0x03, 0x55, 0x1d, 0x18}, appendTLV(nil, 0x04, v)...)
	return appendTLV(nil, 0x30, e)
}

// appendTLV appends a DER element with a definite minimal length.
func appendTLV(dst []byte, tag byte, content []byte) []byte {
	dst = append(dst, tag)
	switch l := len(content); {
	case l < 0x80:
		dst = append(dst, byte(l))
	case l < 0x100:
		dst = append(dst, 0x81, byte(l))
	case l < 0x10000:
		dst = append(dst, 0x82, byte(l>>8), byte(l))
	case l < 0x1000000:
		dst = append(dst, 0x83, byte(l>>16), byte(l>>8), byte(l))
	default:
		dst = append(dst, 0x84, byte(l>>24), byte(l>>16), byte(l>>8), byte(l))
	}
	return append(dst, content...)
}
