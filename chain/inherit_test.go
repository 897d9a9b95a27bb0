package chain

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// TestParameterInheritance: GOST R 34.10-2001 keys may omit their curve
// parameters and inherit the issuer's (RFC 4491 §2.3.2). A sub-CA with such
// a key signs a leaf (also parameter-less); the path builder must resolve
// the sub-CA's key from its own issuer to check the leaf's signature, and
// Chain.PublicKeys must resolve both keys.
func TestParameterInheritance(t *testing.T) {
	key := func(seed string, noParams bool) *testkit.PrivateKey {
		k := testkit.MustKey(gost3410.GOST2001, oid.CryptoProA, "chain/inherit/"+seed)
		k.NullParams = noParams
		return k
	}
	nb, na := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	root := testkit.MustCertificate(testkit.CATemplate(key("root", false), testkit.CommonName("Root 2001"), nb, na, -1), nil)
	sub := testkit.MustCertificate(testkit.CATemplate(key("sub", true), testkit.CommonName("Sub 2001"), nb, na, -1), root)
	leaf := testkit.MustCertificate(testkit.LeafTemplate(key("leaf", true), testkit.CommonName("Leaf 2001"), nb, na), sub)
	rootC, subC, leafC := parse(t, root), parse(t, sub), parse(t, leaf)

	if subC.PublicKey != nil || !errors.Is(subC.PublicKeyErr, gost3410.ErrMissingParameters) {
		t.Fatalf("sub-CA key: %v %v", subC.PublicKey, subC.PublicKeyErr)
	}
	if err := leafC.CheckSignatureFrom(subC); !errors.Is(err, gost3410.ErrMissingParameters) {
		t.Errorf("CheckSignatureFrom a parameter-less issuer: %v", err)
	}
	subKey, err := subC.PublicKeyFrom(rootC.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	if err := leafC.CheckSignature(subKey); err != nil {
		t.Errorf("with the inherited key: %v", err)
	}

	b := newBuilder(t, Config{Roots: []*cert.Certificate{rootC}})
	chains, err := b.Build(context.Background(), leafC, BuildOptions{At: time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), Intermediates: []*cert.Certificate{subC}})
	if err != nil {
		t.Fatal(err)
	}
	if got := chains[0].CommonNames(); !slices.Equal(got, []string{"Leaf 2001", "Sub 2001", "Root 2001"}) {
		t.Fatalf("chain %q", got)
	}
	keys, err := chains[0].PublicKeys()
	if err != nil {
		t.Fatal(err)
	}
	if keys[0] == nil || keys[0].Curve() != rootC.PublicKey.Curve() {
		t.Errorf("leaf key not resolved: %v", keys[0])
	}
}
