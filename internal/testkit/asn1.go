package testkit

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/asn1"
	"hash"
	"math/big"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/internal/gosthash"
	"gostsig.dev/internal/oid"
)

// ASN.1 tags used by the builders.
var (
	tagNumericString = cbasn1.Tag(18)
	tagGeneralized   = cbasn1.GeneralizedTime
	tagUTC           = cbasn1.UTCTime
)

func ctx(n uint8) cbasn1.Tag     { return cbasn1.Tag(n).ContextSpecific() }
func ctxCons(n uint8) cbasn1.Tag { return cbasn1.Tag(n).ContextSpecific().Constructed() }

func sha1Sum(b []byte) []byte {
	s := sha1.Sum(b)
	return s[:]
}

// Params says how an AlgorithmIdentifier's parameters are written.
type Params int

const (
	ParamsAbsent Params = iota // parameters omitted (RFC 9215)
	ParamsNULL                 // NULL (gost-engine, many CryptoPro producers)
)

// AlgorithmIdentifier returns the DER of SEQUENCE { id, params }.
func AlgorithmIdentifier(id asn1.ObjectIdentifier, p Params) []byte {
	var b cryptobyte.Builder
	addAlgID(&b, id, p)
	return b.BytesOrPanic()
}

func addAlgID(b *cryptobyte.Builder, id asn1.ObjectIdentifier, p Params) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(id)
		if p == ParamsNULL {
			b.AddASN1NULL()
		}
	})
}

// addTime writes t as UTCTime for 1950..2049 and GeneralizedTime otherwise
// (RFC 5280 §4.1.2.5), or always GeneralizedTime when gen is set.
func addTime(b *cryptobyte.Builder, t time.Time, gen bool) {
	t = t.UTC()
	if !gen && t.Year() >= 1950 && t.Year() < 2050 {
		b.AddASN1(tagUTC, func(b *cryptobyte.Builder) { b.AddBytes([]byte(t.Format("060102150405Z"))) })
		return
	}
	b.AddASN1(tagGeneralized, func(b *cryptobyte.Builder) { b.AddBytes([]byte(t.Format("20060102150405Z"))) })
}

func addGeneralizedTime(b *cryptobyte.Builder, t time.Time) { addTime(b, t, true) }

// addInteger writes an INTEGER: raw content octets when raw is non-nil
// (used verbatim, even if not minimal), else the two's complement of v.
func addInteger(b *cryptobyte.Builder, v *big.Int, raw []byte) {
	if raw != nil {
		b.AddASN1(cbasn1.INTEGER, func(b *cryptobyte.Builder) { b.AddBytes(raw) })
		return
	}
	b.AddASN1BigInt(v)
}

// IntegerContent returns the DER content octets of the INTEGER v.
func IntegerContent(v *big.Int) []byte {
	var b cryptobyte.Builder
	b.AddASN1BigInt(v)
	s := cryptobyte.String(b.BytesOrPanic())
	var c cryptobyte.String
	s.ReadASN1(&c, cbasn1.INTEGER)
	return c
}

// Attribute is a CMS/X.501 attribute: SEQUENCE { type, SET OF value }.
type Attribute struct {
	Type   asn1.ObjectIdentifier
	Values [][]byte // DER of each value
	// Unsorted keeps Values in the given order instead of DER SET OF order.
	Unsorted bool
}

// DER returns the attribute's encoding.
func (a Attribute) DER() []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(a.Type)
		addSetOf(b, a.Values, !a.Unsorted)
	})
	return b.BytesOrPanic()
}

// addSetOf writes SET OF with the elements sorted as DER requires (X.690
// §11.6) when sorted is set, otherwise in the given order.
func addSetOf(b *cryptobyte.Builder, elems [][]byte, sorted bool) {
	addTaggedSetOf(b, cbasn1.SET, elems, sorted)
}

func addTaggedSetOf(b *cryptobyte.Builder, tag cbasn1.Tag, elems [][]byte, sorted bool) {
	if sorted {
		elems = slices.Clone(elems)
		slices.SortFunc(elems, bytes.Compare)
	}
	b.AddASN1(tag, func(b *cryptobyte.Builder) {
		for _, e := range elems {
			b.AddBytes(e)
		}
	})
}

func derOID(id asn1.ObjectIdentifier) []byte {
	var b cryptobyte.Builder
	b.AddASN1ObjectIdentifier(id)
	return b.BytesOrPanic()
}

func derOctets(v []byte) []byte {
	var b cryptobyte.Builder
	b.AddASN1OctetString(v)
	return b.BytesOrPanic()
}

func derTime(t time.Time, gen bool) []byte {
	var b cryptobyte.Builder
	addTime(&b, t, gen)
	return b.BytesOrPanic()
}

func build(f func(b *cryptobyte.Builder)) []byte {
	var b cryptobyte.Builder
	f(&b)
	return b.BytesOrPanic()
}

// HashByOID returns a new hash for any digest OID testkit knows: the GOST
// ones (gosthash), SHA-1 and SHA-256. It panics on others.
func HashByOID(id asn1.ObjectIdentifier) hash.Hash {
	if nh, _, ok := gosthash.ByOID(id); ok {
		return nh()
	}
	switch {
	case id.Equal(oid.SHA1):
		return sha1.New()
	case id.Equal(oid.SHA256):
		return sha256.New()
	}
	panic("testkit: no hash for " + id.String())
}

// Digest hashes data with the hash named by id (see HashByOID).
func Digest(id asn1.ObjectIdentifier, data []byte) []byte {
	h := HashByOID(id)
	h.Write(data)
	return h.Sum(nil)
}
