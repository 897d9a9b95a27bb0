package crl

import (
	"bytes"
	"encoding/asn1"
	"errors"
	"math/big"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// Edge cases generated with testkit (deterministic, signed by bigCA).

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func tkCRL(t *testing.T, tpl *testkit.CRLTemplate) []byte {
	t.Helper()
	if tpl.ThisUpdate.IsZero() {
		tpl.ThisUpdate = t0
	}
	der, err := testkit.NewCRL(tpl, bigCA())
	if err != nil {
		t.Fatal(err)
	}
	return der
}

func tkCA(t *testing.T) *cert.Certificate {
	t.Helper()
	c, err := cert.Parse(bigCA().DER)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func entry(serial int64, reason int) testkit.CRLEntry {
	return testkit.CRLEntry{Serial: big.NewInt(serial), RevokedAt: t0.Add(-time.Hour), Reason: reason, HasReason: reason >= 0}
}

func TestParseEdgeCases(t *testing.T) {
	next := t0.Add(7 * 24 * time.Hour)
	critical := testkit.Extension{ID: asn1.ObjectIdentifier{1, 2, 643, 999, 2}, Critical: true, Value: []byte{5, 0}}
	nonCritical := testkit.Extension{ID: asn1.ObjectIdentifier{1, 2, 643, 999, 3}, Value: []byte{5, 0}}
	for _, tc := range []struct {
		name string
		tpl  *testkit.CRLTemplate
		want error // nil: parses and verifies
		chk  func(t *testing.T, c *CRL)
	}{
		{name: "v1 without extensions", tpl: &testkit.CRLTemplate{Version: 1, NextUpdate: next, Entries: []testkit.CRLEntry{entry(5, -1)}},
			chk: func(t *testing.T, c *CRL) {
				if c.Version != 1 || c.Number != nil || c.AuthorityKeyID != nil || c.Index.Len() != 1 {
					t.Errorf("%+v", c)
				}
			}},
		{name: "no nextUpdate", tpl: &testkit.CRLTemplate{Number: big.NewInt(1)},
			chk: func(t *testing.T, c *CRL) {
				if !c.NextUpdate.IsZero() {
					t.Error("nextUpdate")
				}
			}},
		{name: "negative and non-minimal serials", tpl: &testkit.CRLTemplate{NextUpdate: next, Entries: []testkit.CRLEntry{
			entry(-12345, 1),
			{RawSerial: []byte{0, 0, 0x7f}, RevokedAt: t0, Reason: -1},
			{RawSerial: []byte{0xff, 0xff, 0x80}, RevokedAt: t0, Reason: -1},
		}}, chk: func(t *testing.T, c *CRL) {
			for _, n := range []int64{-12345, 127, -128} {
				if _, ok := c.Index.Lookup(big.NewInt(n)); !ok {
					t.Errorf("serial %d not found", n)
				}
			}
		}},
		{name: "duplicate serial keeps the permanent entry", tpl: &testkit.CRLTemplate{NextUpdate: next, Entries: []testkit.CRLEntry{
			entry(7, testkit.ReasonCertificateHold), entry(7, testkit.ReasonKeyCompromise), entry(8, 1),
		}}, chk: func(t *testing.T, c *CRL) {
			e, _ := c.Index.Lookup(big.NewInt(7))
			if c.Index.Duplicates() != 1 || e.Reason != ReasonKeyCompromise {
				t.Errorf("dups %d, entry %+v", c.Index.Duplicates(), e)
			}
		}},
		{name: "unknown non-critical extensions ignored", tpl: &testkit.CRLTemplate{NextUpdate: next, ExtraExtensions: []testkit.Extension{nonCritical},
			Entries: []testkit.CRLEntry{{Serial: big.NewInt(1), RevokedAt: t0, Reason: -1, Extra: []testkit.Extension{nonCritical}}}}},
		{name: "only some reasons", tpl: &testkit.CRLTemplate{NextUpdate: next, IDP: &testkit.IssuingDistributionPoint{OnlySomeReasonsDER: []byte{0x06, 0x40}}},
			chk: func(t *testing.T, c *CRL) {
				if c.IssuingDistributionPoint.OnlySomeReasons != 1<<1 {
					t.Errorf("reasons %b", c.IssuingDistributionPoint.OnlySomeReasons)
				}
			}},
		{name: "unknown critical CRL extension", tpl: &testkit.CRLTemplate{NextUpdate: next, ExtraExtensions: []testkit.Extension{critical}}, want: ErrUnhandledCriticalExtension},
		{name: "unknown critical entry extension", tpl: &testkit.CRLTemplate{NextUpdate: next, Entries: []testkit.CRLEntry{{Serial: big.NewInt(1), RevokedAt: t0, Reason: -1, Extra: []testkit.Extension{critical}}}}, want: ErrUnhandledCriticalExtension},
		{name: "indirect CRL", tpl: &testkit.CRLTemplate{NextUpdate: next, IDP: &testkit.IssuingDistributionPoint{IndirectCRL: true}}, want: ErrUnhandledCriticalExtension},
		{name: "certificateIssuer entry", tpl: &testkit.CRLTemplate{NextUpdate: next, Entries: []testkit.CRLEntry{{Serial: big.NewInt(1), RevokedAt: t0, Reason: -1,
			Extra: []testkit.Extension{{ID: oid.ExtCertificateIssuer, Critical: true, Value: []byte{0x30, 0}}}}}}, want: ErrUnhandledCriticalExtension},
		{name: "removeFromCRL in a complete CRL", tpl: &testkit.CRLTemplate{NextUpdate: next, Entries: []testkit.CRLEntry{entry(1, testkit.ReasonRemoveFromCRL)}}, want: ErrMalformed},
		{name: "undefined reason code 7", tpl: &testkit.CRLTemplate{NextUpdate: next, Entries: []testkit.CRLEntry{entry(1, 7)}}, want: ErrMalformed},
		{name: "duplicate CRL extension", tpl: &testkit.CRLTemplate{NextUpdate: next, Number: big.NewInt(1),
			ExtraExtensions: []testkit.Extension{{ID: oid.ExtCRLNumber, Value: []byte{2, 1, 2}}}}, want: ErrMalformed},
		{name: "delta without cRLNumber", tpl: &testkit.CRLTemplate{NextUpdate: next, DeltaBase: big.NewInt(1)}, want: ErrMalformed},
		{name: "nextUpdate before thisUpdate", tpl: &testkit.CRLTemplate{NextUpdate: t0.Add(-time.Second)}, want: ErrMalformed},
		{name: "RSA signature OID", tpl: &testkit.CRLTemplate{NextUpdate: next, SignatureOID: asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}}, want: ErrUnsupportedAlgorithm},
		{name: "GOST R 34.10-94 signature OID", tpl: &testkit.CRLTemplate{NextUpdate: next, SignatureOID: oid.GostR3411_94WithR3410_94}, want: ErrUnsupportedAlgorithm},
		{name: "corrupt signature parses, does not verify", tpl: &testkit.CRLTemplate{NextUpdate: next, CorruptSignature: true}, want: ErrBadSignature},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tkCRL(t, tc.tpl))
			if err == nil {
				err = c.CheckSignatureFrom(tkCA(t))
			}
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if tc.chk != nil && err == nil {
				tc.chk(t, c)
			}
		})
	}
}

func TestParseAlgorithmIdentifierMismatch(t *testing.T) {
	der := tkCRL(t, &testkit.CRLTemplate{NextUpdate: t0.Add(time.Hour)})
	// The first occurrence of the 2012-256 OID is the inner one: make it
	// 2012-512 while the outer one stays.
	sig256 := []byte{0x2a, 0x85, 0x03, 0x07, 0x01, 0x01, 0x03, 0x02}
	i := bytes.Index(der, sig256)
	if i < 0 || bytes.LastIndex(der, sig256) == i {
		t.Fatal("OID not found twice")
	}
	bad := bytes.Clone(der)
	bad[i+len(sig256)-1] = 0x03
	if _, err := Parse(bad); !errors.Is(err, ErrMalformed) {
		t.Fatalf("inner/outer mismatch: %v", err)
	}
}

func TestDecideWithoutNextUpdate(t *testing.T) {
	c, err := Parse(tkCRL(t, &testkit.CRLTemplate{Number: big.NewInt(1)}))
	if err != nil {
		t.Fatal(err)
	}
	leafT := testkit.LeafTemplate(testkit.MustKey(bigCA().Key.Public().Algorithm(), oid.TC26_256A, "crl/edge/leaf"),
		testkit.CommonName("leaf"), t0.AddDate(-1, 0, 0), t0.AddDate(1, 0, 0))
	leaf, err := cert.Parse(testkit.MustCertificate(leafT, bigCA()).DER)
	if err != nil {
		t.Fatal(err)
	}
	ca := tkCA(t)
	// Never current for the validation time …
	if r := Decide(Query{Cert: leaf, Issuer: ca, At: t0.Add(time.Hour)}, []*CRL{c}); !r.TryLater() {
		t.Errorf("validation time: %+v", r)
	}
	// … but issued after an earlier time-stamp, it speaks for it.
	if r := Decide(Query{Cert: leaf, Issuer: ca, At: t0.Add(-time.Hour), FromTimestamp: true, Now: t0.Add(time.Hour)}, []*CRL{c}); r.Status != Good {
		t.Errorf("time-stamp: %+v", r)
	}
}

// TestOCSPDelegateCriticalExtension: a delegated responder certificate with
// a critical extension nobody here processes is not authorised (RFC 5280
// §4.2), while the same responder without it is.
func TestOCSPDelegateCriticalExtension(t *testing.T) {
	ca := bigCA()
	leafT := testkit.LeafTemplate(testkit.MustKey(ca.Key.Public().Algorithm(), oid.TC26_256A, "crl/edge/ocsp-leaf"),
		testkit.CommonName("leaf"), t0.AddDate(-1, 0, 0), t0.AddDate(1, 0, 0))
	leaf := testkit.MustCertificate(leafT, ca)
	caCert := tkCA(t)
	for _, critical := range []bool{false, true} {
		respT := testkit.OCSPResponderTemplate(testkit.MustKey(ca.Key.Public().Algorithm(), oid.TC26_256A, "crl/edge/ocsp-responder"),
			testkit.CommonName("OCSP"), t0.AddDate(-1, 0, 0), t0.AddDate(1, 0, 0))
		if critical {
			respT.ExtraExtensions = []testkit.Extension{{ID: asn1.ObjectIdentifier{1, 2, 643, 999, 4}, Critical: true, Value: []byte{5, 0}}}
		}
		resp := testkit.MustCertificate(respT, ca)
		basic, err := testkit.NewBasicOCSPResponse(&testkit.OCSPSpec{Responder: resp, ProducedAt: t0,
			Responses: []testkit.OCSPSingle{{Cert: leaf, Status: testkit.OCSPGood, ThisUpdate: t0, Reason: -1}}})
		if err != nil {
			t.Fatal(err)
		}
		r, err := ParseOCSPResponse(testkit.OCSPResponse(basic))
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Verify(caCert, nil)
		if critical != errors.Is(err, ErrUnauthorizedResponder) || critical != errors.Is(err, cert.ErrUnhandledCriticalExtension) {
			t.Errorf("critical extension %v: Verify: %v", critical, err)
		}
	}
}
