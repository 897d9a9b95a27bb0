package cert

import (
	"encoding/asn1"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"

	"gostsig.dev/internal/asn1der"
	"gostsig.dev/internal/oid"
)

// TestExtKindOf holds extKindOf's constants to internal/oid: each kind's
// identifier, encoded, gives that kind, and identifiers that are no
// extension's (prefixes of id-ce, an id-ce arc it does not handle, one
// octet more or less than a handled identifier) are unhandled.
func TestExtKindOf(t *testing.T) {
	kinds := map[extKind]asn1.ObjectIdentifier{
		extSubjectKeyID:          oid.ExtSubjectKeyID,
		extKeyUsage:              oid.ExtKeyUsage,
		extPrivateKeyUsagePeriod: oid.ExtPrivateKeyUsagePeriod,
		extSubjectAltName:        oid.ExtSubjectAltName,
		extBasicConstraints:      oid.ExtBasicConstraints,
		extCRLDistributionPoints: oid.ExtCRLDistributionPoints,
		extCertificatePolicies:   oid.ExtCertificatePolicies,
		extAuthorityKeyID:        oid.ExtAuthorityKeyID,
		extAuthorityKeyIDOld:     oid.ExtAuthorityKeyIDOld,
		extExtKeyUsage:           oid.ExtExtKeyUsage,
		extAuthorityInfoAccess:   oid.ExtAuthorityInfoAccess,
		extOCSPNoCheck:           oid.ExtOCSPNoCheck,
		extSubjectSignTool:       oid.SubjectSignTool,
		extIssuerSignTool:        oid.IssuerSignTool,
		extIdentificationKind:    oid.IdentificationKind,
	}
	if extIdentificationKind >= 32 {
		t.Fatal("parseExtensions keeps the kinds it met in a uint32")
	}
	for k := extUnhandled + 1; k <= extIdentificationKind; k++ {
		id, ok := kinds[k]
		if !ok {
			t.Fatalf("kind %d has no identifier in the test", k)
		}
		raw := oid.Content(id)
		if got := extKindOf([]byte(raw)); got != k {
			t.Errorf("%v: kind %d, want %d", id, got, k)
		}
		if got := extKindOf([]byte(raw[:len(raw)-1])); got != extUnhandled {
			t.Errorf("%v without its last octet: kind %d", id, got)
		}
		if got := extKindOf([]byte(raw + "\x01")); got != extUnhandled {
			t.Errorf("%v with an octet more: kind %d", id, got)
		}
	}
	for _, raw := range []string{"", "\x55", "\x55\x1d", "\x55\x1d\x80\x01", "\x55\x1d\xff", "\x55\x1d\x1e"} {
		if got := extKindOf([]byte(raw)); got != extUnhandled {
			t.Errorf("% x: %v, want unhandled", raw, got)
		}
	}
}

// TestSetSerial holds the Certificate's inline serial to asn1der.Int.
func TestSetSerial(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var cases [][]byte
	for n := 1; n <= maxInlineSerial+3; n++ {
		for _, first := range []byte{0x00, 0x01, 0x7f, 0x80, 0xff} {
			b := make([]byte, n)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			b[0] = first
			cases = append(cases, b)
		}
	}
	for _, b := range cases {
		var c Certificate
		got, want := c.setSerial(b), asn1der.Int(b)
		if got.Cmp(want) != 0 {
			t.Errorf("% x: %v, want %v", b, got, want)
		}
		if inline := got == &c.serial; inline != (b[0]&0x80 == 0 && len(b) <= maxInlineSerial) {
			t.Errorf("% x: inline = %v", b, inline)
		} else if w := got.Bits(); inline && len(w) > 0 && &w[0] != &c.serialWords[0] {
			t.Errorf("% x: an inline serial's words are not the Certificate's own", b)
		}
	}
	var c Certificate
	if c.setSerial([]byte{0}).Cmp(new(big.Int)) != 0 {
		t.Error("zero")
	}
}

// TestValidUTF8 holds validUTF8 to utf8.Valid: every string of up to two
// octets, every three-octet string over octets at the edges of the UTF-8
// ranges, and random mixes of ASCII, Cyrillic and arbitrary octets.
func TestValidUTF8(t *testing.T) {
	check := func(b []byte) {
		t.Helper()
		if got, want := validUTF8(b), utf8.Valid(b); got != want {
			t.Fatalf("validUTF8(% x) = %v, want %v", b, got, want)
		}
	}
	check(nil)
	for i := range 256 {
		check([]byte{byte(i)})
		for j := range 256 {
			check([]byte{byte(i), byte(j)})
		}
	}
	edges := []byte{0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2,
		0xd0, 0xd1, 0xdf, 0xe0, 0xe1, 0xed, 0xee, 0xef, 0xf0, 0xf4, 0xf5, 0xff}
	for _, a := range edges {
		for _, b := range edges {
			for _, c := range edges {
				check([]byte{a, b, c})
				check([]byte{0xd0, 0x98, a, b, c})
			}
		}
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 20000 {
		b := []byte(strings.Repeat("Иванов «ООО» ", r.IntN(3)))
		for range r.IntN(12) {
			b = append(b, byte(r.Uint32()))
			if r.IntN(2) == 0 {
				b = utf8.AppendRune(b, rune(0x400+r.IntN(0x100)))
			}
		}
		check(b)
	}
}

func FuzzValidUTF8(f *testing.F) {
	f.Add([]byte("ООО «Тестовый УЦ»"))
	f.Add([]byte{0xd0, 0x98, 0xe0, 0x80})
	f.Fuzz(func(t *testing.T, b []byte) {
		if got, want := validUTF8(b), utf8.Valid(b); got != want {
			t.Fatalf("validUTF8(% x) = %v, want %v", b, got, want)
		}
	})
}

// TestCertificateSize: the Certificate with its inline storage, plus the
// 8-byte header the allocator puts before an object of more than 512 bytes
// that holds pointers, fits the 2048-byte size class.
func TestCertificateSize(t *testing.T) {
	if n := unsafe.Sizeof(Certificate{}); n+8 > 2048 {
		t.Errorf("Certificate is %d bytes: with the allocator's header it outgrows the 2048-byte size class", n)
	}
}

// TestReserve: the OID arena's first chunk and the string copy share one
// block without overlapping: decoding identifiers up to the chunk's end
// leaves the text intact, and the next identifier takes a new chunk.
func TestReserve(t *testing.T) {
	base := []byte("0123456789abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
	p := parser{base: base}
	if s := p.str(base[3:9]); s != "345678" {
		t.Fatalf("str = %q", s)
	}
	enc := []byte(oid.Content(oid.Streebog256)) // 8 components in 7 octets
	var ids []asn1.ObjectIdentifier
	for range 2 * p.oids.Chunk / len(oid.Streebog256) {
		id, ok := p.oid(enc)
		if !ok || !id.Equal(oid.Streebog256) {
			t.Fatalf("oid = %v, %v", id, ok)
		}
		ids = append(ids, id)
	}
	if p.text != string(base) {
		t.Fatalf("the string copy changed: %q", p.text)
	}
	for _, id := range ids {
		if !id.Equal(oid.Streebog256) || cap(id) != len(id) {
			t.Fatalf("an identifier changed: %v (cap %d)", id, cap(id))
		}
	}
}
