package crl

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"

	"gostsig.dev/cert"
)

// Fixtures: testdata/pki (made by testdata/gen.sh with OpenSSL + gost
// engine; see the header of that script for what each file is) and the real
// libksba GOST CRL and OCSP samples in testdata/libksba-gost (see its SOURCES.md).
const corpus = "testdata/libksba-gost"

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	return readFile(t, filepath.Join("testdata", "pki", name))
}

func loadCRL(t testing.TB, name string) *CRL {
	t.Helper()
	c, err := Parse(fixture(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return c
}

func loadCert(t testing.TB, path string) *cert.Certificate {
	t.Helper()
	certs, err := cert.ParseAll(readFile(t, path))
	if err != nil || len(certs) != 1 {
		t.Fatalf("%s: %v (%d certificates)", path, err, len(certs))
	}
	return certs[0]
}

func pkiCert(t testing.TB, name string) *cert.Certificate {
	t.Helper()
	return loadCert(t, filepath.Join("testdata", "pki", name+".pem"))
}

func date(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseFixtures(t *testing.T) {
	c := loadCRL(t, "jan.crl")
	if c.Version != 2 || c.Number.Int64() != 16 || c.BaseNumber != nil {
		t.Errorf("version %d number %v base %v", c.Version, c.Number, c.BaseNumber)
	}
	if !c.ThisUpdate.Equal(date("2025-01-01T00:00:00Z")) || !c.NextUpdate.Equal(date("2025-02-01T00:00:00Z")) {
		t.Errorf("times %v %v", c.ThisUpdate, c.NextUpdate)
	}
	if got := c.Issuer.String(); got != "CN=CRL Test CA,O=gostsig test" && got != "O=gostsig test,CN=CRL Test CA" {
		t.Errorf("issuer %q", got)
	}
	ca := pkiCert(t, "ca")
	if !bytes.Equal(c.AuthorityKeyID, ca.SubjectKeyID) {
		t.Errorf("AKI %X, CA SKI %X", c.AuthorityKeyID, ca.SubjectKeyID)
	}
	idp := c.IssuingDistributionPoint
	if idp == nil || !idp.OnlyContainsUserCerts || idp.OnlyContainsCACerts || len(idp.FullName) != 1 || idp.FullName[0] != "http://127.0.0.1/ca.crl" {
		t.Errorf("IDP %+v", idp)
	}
	if len(c.FreshestCRL) != 1 || c.FreshestCRL[0] != "http://127.0.0.1/delta.crl" {
		t.Errorf("freshestCRL %v", c.FreshestCRL)
	}
	if c.Index.Len() != 2 {
		t.Fatalf("%d entries", c.Index.Len())
	}
	e, ok := c.Index.Lookup(pkiCert(t, "revoked").SerialNumber)
	if !ok || e.Reason != ReasonKeyCompromise || !e.ReasonPresent ||
		!e.RevocationDate.Equal(date("2025-01-10T12:00:00Z")) || !e.InvalidityDate.Equal(date("2025-01-05T00:00:00Z")) {
		t.Errorf("revoked entry %+v %v", e, ok)
	}
	e, ok = c.Index.Lookup(pkiCert(t, "hold").SerialNumber)
	if !ok || e.Reason != ReasonCertificateHold || !e.InvalidityDate.IsZero() {
		t.Errorf("hold entry %+v %v", e, ok)
	}
	if _, ok := c.Index.Lookup(pkiCert(t, "good").SerialNumber); ok {
		t.Error("good certificate listed")
	}
	if err := c.CheckSignatureFrom(ca); err != nil {
		t.Fatal(err)
	}

	d := loadCRL(t, "delta.crl")
	if !d.IsDelta() || d.BaseNumber.Int64() != 32 || d.Number.Int64() != 33 {
		t.Errorf("delta: base %v number %v", d.BaseNumber, d.Number)
	}
	e, ok = d.Index.Lookup(pkiCert(t, "hold").SerialNumber)
	if !ok || e.Reason != ReasonRemoveFromCRL {
		t.Errorf("delta hold entry %+v", e)
	}
	if err := d.CheckSignatureFrom(ca); err != nil {
		t.Fatal(err)
	}

	// PEM gives the same CRL.
	p := loadCRL(t, "jan.crl.pem")
	if p.Digest != c.Digest || p.Size != c.Size {
		t.Error("PEM and DER differ")
	}
}

// TestAllHashes checks a CRL signed with each GOST signature algorithm:
// 2012-256 (Streebog-256), 2012-512 (Streebog-512), 2001 (GOST R 34.11-94).
func TestAllHashes(t *testing.T) {
	for _, tc := range []struct{ crl, ca, leaf string }{
		{"feb.crl", "ca", "revoked"},
		{"ca512.crl", "ca512", "leaf512"},
		{"ca2001.crl", "ca2001", "leaf2001"},
	} {
		t.Run(tc.crl, func(t *testing.T) {
			c := loadCRL(t, tc.crl)
			if err := c.CheckSignatureFrom(pkiCert(t, tc.ca)); err != nil {
				t.Fatal(err)
			}
			if _, ok := c.Index.Lookup(pkiCert(t, tc.leaf).SerialNumber); !ok {
				t.Error("leaf not listed")
			}
			// One flipped signature bit must fail, in every algorithm.
			bad := loadCRL(t, tc.crl)
			bad.Signature[5] ^= 1
			if err := bad.CheckSignatureFrom(pkiCert(t, tc.ca)); !errors.Is(err, ErrBadSignature) {
				t.Errorf("flipped signature: %v", err)
			}
		})
	}
}

func TestRealLibksbaCRL(t *testing.T) {
	c, err := Parse(readFile(t, filepath.Join(corpus, "root_gost_tk26.crl")))
	if err != nil {
		t.Fatal(err)
	}
	if c.Number.Int64() != 4096 || c.Index.Len() != 0 || !c.ThisUpdate.Equal(date("2025-06-26T07:45:55Z")) ||
		!c.NextUpdate.Equal(date("2025-07-26T07:45:55Z")) {
		t.Errorf("number %v entries %d this %v next %v", c.Number, c.Index.Len(), c.ThisUpdate, c.NextUpdate)
	}
	root := loadCert(t, filepath.Join(corpus, "root_gost_tk26.crt"))
	if err := c.CheckSignatureFrom(root); err != nil {
		t.Fatal(err)
	}
	// The same CRL must not verify under another CA's name and key.
	if err := c.CheckSignatureFrom(pkiCert(t, "ca")); !errors.Is(err, ErrIssuerMismatch) {
		t.Errorf("foreign issuer: %v", err)
	}
}

func TestIssuerMatching(t *testing.T) {
	ca, caNew, noSign := pkiCert(t, "ca"), pkiCert(t, "ca-new"), pkiCert(t, "nocrlsign")
	old, next := loadCRL(t, "feb.crl"), loadCRL(t, "new.crl")
	// Same name, different keys: each CRL verifies only with its own key,
	// and the AKI tells them apart before any signature is computed.
	if err := old.CheckSignatureFrom(ca); err != nil {
		t.Error(err)
	}
	if err := next.CheckSignatureFrom(caNew); err != nil {
		t.Error(err)
	}
	if err := old.CheckSignatureFrom(caNew); !errors.Is(err, ErrIssuerMismatch) {
		t.Errorf("old CRL with new key: %v", err)
	}
	if err := next.CheckSignatureFrom(ca); !errors.Is(err, ErrIssuerMismatch) {
		t.Errorf("new CRL with old key: %v", err)
	}
	// Without the AKI to tell them apart, the signature still does.
	if err := loadCRL(t, "feb.crl").CheckSignature(caNew.PublicKey); !errors.Is(err, ErrBadSignature) {
		t.Errorf("old CRL, new key, signature only: %v", err)
	}
	// A CA certificate without cRLSign may not vouch for a CRL, even its own.
	if err := loadCRL(t, "nocrlsign.crl").CheckSignatureFrom(noSign); !errors.Is(err, ErrIssuerMismatch) {
		t.Errorf("no cRLSign: %v", err)
	}
	if err := loadCRL(t, "nocrlsign.crl").CheckSignature(noSign.PublicKey); err != nil {
		t.Errorf("nocrlsign signature itself: %v", err)
	}
}

func TestParseRejects(t *testing.T) {
	good := fixture(t, "feb.crl")
	critical := fixture(t, "critical.crl")
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrMalformed},
		{"truncated", good[:len(good)-1], ErrMalformed},
		{"truncated in entries", good[:len(good)/2], ErrMalformed},
		{"trailing data", append(bytes.Clone(good), 0), ErrMalformed},
		{"unknown critical extension", critical, ErrUnhandledCriticalExtension},
		{"PEM of something else", []byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.in)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

func TestSerialEncoding(t *testing.T) {
	for _, tc := range []struct {
		n    *big.Int
		want string
	}{
		{big.NewInt(0), "00"},
		{big.NewInt(1), "01"},
		{big.NewInt(127), "7f"},
		{big.NewInt(128), "0080"},
		{big.NewInt(255), "00ff"},
		{big.NewInt(256), "0100"},
		{big.NewInt(-1), "ff"},
		{big.NewInt(-128), "80"},
		{big.NewInt(-129), "ff7f"},
		{big.NewInt(-256), "ff00"},
		{new(big.Int).Lsh(big.NewInt(1), 159), "0080" + strings.Repeat("00", 19)},
	} {
		if got := hex.EncodeToString(appendSerial(nil, tc.n)); got != tc.want {
			t.Errorf("%v: got %s, want %s", tc.n, got, tc.want)
		}
		if got := hex.EncodeToString(normalizeSerial(appendSerial([]byte{0, 0}, tc.n)[2:])); got != tc.want {
			t.Errorf("normalize %v: %s", tc.n, got)
		}
	}
	for in, want := range map[string]string{"0000ff": "00ff", "00007f": "7f", "ffff80": "80", "ff7f": "ff7f", "00": "00"} {
		b, _ := hex.DecodeString(in)
		if got := hex.EncodeToString(normalizeSerial(b)); got != want {
			t.Errorf("normalize %s: %s, want %s", in, got, want)
		}
	}
}

// TestParseTime: CRL and OCSP times are read strictly, in the one DER form
// of each type (internal/dertime, whose own tests cover the calendar): the
// forms a lenient reader would take are malformed here.
func TestParseTime(t *testing.T) {
	for _, tc := range []struct {
		utc  bool
		in   string
		want string // "" = reject
	}{
		{true, "500101000000Z", "1950-01-01T00:00:00Z"},
		{false, "20240229120000Z", "2024-02-29T12:00:00Z"},
		{false, "20250101000000", ""},
		{false, "20250101000000.5Z", ""},
		{false, "2025010100000+0", ""},
		{true, "2501010000Z", ""},
		{true, "250101000000+0300", ""},
	} {
		tag := tagGeneralized
		if tc.utc {
			tag = tagUTC
		}
		// readTime is strict: the one DER form of each type, nothing else.
		elem := append([]byte{byte(tag), byte(len(tc.in))}, tc.in...)
		in := cryptobyte.String(elem)
		var got int64
		ok := readTime(&in, &got) && in.Empty()
		if tc.want == "" {
			if ok {
				t.Errorf("%s accepted", tc.in)
			}
			continue
		}
		if !ok || !time.Unix(got, 0).UTC().Equal(date(tc.want)) {
			t.Errorf("%s: %v %v, want %s", tc.in, time.Unix(got, 0).UTC(), ok, tc.want)
		}
	}
}
