package oid

import (
	"encoding/asn1"
	"math/rand/v2"
	"testing"
)

// TestContent checks Content against encoding/asn1 on the table's
// identifiers and on random ones with large arcs.
func TestContent(t *testing.T) {
	ids := []asn1.ObjectIdentifier{
		Gost2012Key256, Gost2012SignWith512, Streebog256, TC26_512A, SignedData,
		ExtSubjectKeyID, ExtAuthorityKeyIDOld, ExtOCSPNoCheck, AttrArchiveTimestampV3,
		INN, CommonName, EmailAddress, {2, 999, 3}, {0, 39}, {1, 0}, {2, 0x7fffffff},
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		id := asn1.ObjectIdentifier{rng.IntN(3), rng.IntN(40)}
		for range rng.IntN(8) {
			id = append(id, int(rng.Int32N(1<<31-1)>>rng.IntN(31)))
		}
		ids = append(ids, id)
	}
	for _, id := range ids {
		der, err := asn1.Marshal(id)
		if err != nil {
			t.Fatal(id, err)
		}
		if got, want := Content(id), string(der[2:]); got != want {
			t.Errorf("Content(%v) = %x, want %x", id, got, want)
		}
	}
	for _, bad := range []asn1.ObjectIdentifier{nil, {1}, {3, 1}, {1, 40}, {0, 40}, {1, 2, -1}, {-1, 2}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Content(%v) did not panic", bad)
				}
			}()
			Content(bad)
		}()
	}
}

func TestJoin(t *testing.T) {
	for _, c := range []struct {
		ids  []asn1.ObjectIdentifier
		want string
	}{
		{nil, ""},
		{[]asn1.ObjectIdentifier{ExtNameConstraints}, "2.5.29.30"},
		{[]asn1.ObjectIdentifier{ExtNameConstraints, {1, 2, 643, 999, 1}}, "2.5.29.30, 1.2.643.999.1"},
	} {
		if got := Join(c.ids); got != c.want {
			t.Errorf("Join(%v) = %q, want %q", c.ids, got, c.want)
		}
	}
}
