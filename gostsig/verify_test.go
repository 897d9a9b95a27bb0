package gostsig

import (
	"bytes"
	"context"
	"encoding/asn1"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"log/slog"
	"math/big"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// The decision table end to end: every row of validation-policy.md built
// with the project's test PKI (internal/testkit), verified through the
// public API. Times are fixed; the wall clock is never read.

var refTime = testkit.RefTime // 2025-06-01 12:00 UTC, inside every validity period

type testPKI struct {
	*testkit.PKI
	tsa *testkit.Certificate
}

var (
	pkiOnce sync.Once
	pkiVal  *testPKI
)

func stdPKI(t testing.TB) *testPKI {
	pkiOnce.Do(func() {
		p := testkit.MustPKI("gostsig/verify_test")
		tsa, err := p.NewTSA("gostsig/verify_test/tsa")
		if err != nil {
			panic(err)
		}
		pkiVal = &testPKI{PKI: p, tsa: tsa}
	})
	return pkiVal
}

var testContent = []byte("Контрольный документ для проверки подписи.\n")

// crlSpec describes one CRL of a test: issuer, validity, revoked entries.
func mkCRL(t testing.TB, issuer *testkit.Certificate, thisUpdate, nextUpdate time.Time, revoked ...testkit.CRLEntry) []byte {
	t.Helper()
	der, err := testkit.NewCRL(&testkit.CRLTemplate{ThisUpdate: thisUpdate, NextUpdate: nextUpdate, Number: big.NewInt(thisUpdate.Unix()), Entries: revoked}, issuer)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// goodCRLs are current CRLs at refTime for the standard chain.
func goodCRLs(t testing.TB, p *testPKI, at time.Time) [][]byte {
	return [][]byte{
		mkCRL(t, p.Root, at.Add(-24*time.Hour), at.Add(7*24*time.Hour)),
		mkCRL(t, p.CA, at.Add(-24*time.Hour), at.Add(7*24*time.Hour)),
	}
}

func bes(p *testPKI, s testkit.SignerSpec) testkit.SignerSpec {
	if s.Cert == nil {
		s.Cert = p.Leaf
	}
	if s.SigningTime.IsZero() {
		s.SigningTime = refTime.Add(-time.Hour)
	}
	s.SigningCertV2, s.SigningCertHashOID = true, oid.Streebog256
	return s
}

func attached(t testing.TB, p *testPKI, s testkit.SignerSpec) []byte {
	t.Helper()
	return testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Signers: []testkit.SignerSpec{bes(p, s)}, Certificates: [][]byte{p.tsa.DER}})
}

func newTestVerifier(t testing.TB, cfg Config) *Verifier {
	t.Helper()
	cfg.Offline = true
	if cfg.Clock == nil {
		cfg.Clock = func() time.Time { return refTime }
	}
	v, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(v.Close)
	return v
}

type verifyCase struct {
	name string
	cfg  func(p *testPKI) Config
	in   func(t testing.TB, p *testPKI) Input
	ind  Indication
	sub  SubIndication
	msg  string // substring of the first signature's MessageRU
}

func stdCfg(t testing.TB, p *testPKI) Config {
	return Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, CRLs: goodCRLs(t, p, refTime)}
}

func TestVerifyDecisionTable(t *testing.T) {
	p := stdPKI(t)
	ts := func(gen time.Time) *testkit.TimeStampSpec { return &testkit.TimeStampSpec{TSA: p.tsa, GenTime: gen} }
	revoke := func(c *testkit.Certificate, at time.Time) testkit.CRLEntry {
		return testkit.CRLEntry{Serial: c.SerialInt(), RevokedAt: at, Reason: 1, HasReason: true}
	}
	withCRLs := func(crls ...[]byte) func(*testPKI) Config {
		return func(p *testPKI) Config {
			return Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, CRLs: crls}
		}
	}
	sig := func(s testkit.SignerSpec) func(t testing.TB, p *testPKI) Input {
		return func(t testing.TB, p *testPKI) Input { return Input{Signature: attached(t, p, s)} }
	}
	rootCRL := mkCRL(t, p.Root, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour))
	other := testkit.MustPKI("gostsig/verify_test/other")
	// A TSA under the root, whose current CRL speaks for it at genTime, for
	// a case whose CA has only a stale CRL: the TSA path's revocation is
	// checked too (POLICY.md "Best signature time").
	rootTSA := testkit.MustCertificate(testkit.TSATemplate(testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProA, "gostsig/verify_test/root-tsa"),
		testkit.CommonName("Служба штампов времени головного УЦ"), testkit.LeafNotBefore, testkit.LeafNotAfter), p.Root)

	// A CA that is not a CA (basicConstraints cA FALSE).
	notCAKey := testkit.MustKey(gost3410.GOST2012_256, oid.TC26_256A, "notca")
	notCAT := testkit.CATemplate(notCAKey, testkit.OrgName("ООО «Не УЦ»", "1027700000031", "7700000030"), testkit.CANotBefore, testkit.CANotAfter, -1)
	notCAT.IsCA = false
	notCA := testkit.MustCertificate(notCAT, p.Root)
	leafOfNotCA := testkit.MustCertificate(testkit.LeafTemplate(testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProXchA, "leaf-notca"),
		testkit.PersonName("Петров", "Пётр Петрович", "11223344595", "500100732259"), testkit.LeafNotBefore, testkit.LeafNotAfter), notCA)

	// A signer certificate with a critical extension nobody here
	// interprets (RFC 5280 §4.2: it must be rejected).
	critT := testkit.LeafTemplate(testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProXchA, "leaf-critical"),
		testkit.PersonName("Сидоров", "Сидор Сидорович", "11223344595", "500100732259"), testkit.LeafNotBefore, testkit.LeafNotAfter)
	critT.ExtraExtensions = []testkit.Extension{{ID: asn1.ObjectIdentifier{1, 2, 643, 999, 1}, Critical: true, Value: []byte{0x05, 0x00}}}
	leafCritical := testkit.MustCertificate(critT, p.CA)

	cases := []verifyCase{
		{name: "passes", cfg: func(p *testPKI) Config { return stdCfg(t, p) }, in: sig(testkit.SignerSpec{}), ind: TotalPassed, msg: "Подпись действительна"},
		{name: "malformed", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in:  func(t testing.TB, p *testPKI) Input { return Input{Signature: []byte{0x30, 0x03, 0x02, 0x01}} },
			ind: TotalFailed, sub: FormatFailure},
		{name: "non-GOST digest", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: sig(testkit.SignerSpec{DigestOID: oid.SHA256}), ind: Indeterminate, sub: CryptoConstraintsFailure, msg: oid.SHA256.String()},
		{name: "detached without content", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: func(t testing.TB, p *testPKI) Input {
				return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Detached: true, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}})}
			}, ind: Indeterminate, sub: SignedDataNotFound},
		{name: "detached, changed content", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: func(t testing.TB, p *testPKI) Input {
				return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Detached: true, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}}),
					Content: append([]byte("X"), testContent...)}
			}, ind: TotalFailed, sub: HashFailure, msg: "документ изменён после подписания"},
		{name: "no signed attributes, changed content", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: func(t testing.TB, p *testPKI) Input {
				return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Detached: true, Signers: []testkit.SignerSpec{{Cert: p.Leaf, NoSignedAttrs: true}}}),
					Content: append([]byte("X"), testContent...)}
			}, ind: TotalFailed, sub: SigCryptoFailure},
		{name: "signer certificate absent", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: func(t testing.TB, p *testPKI) Input {
				return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, NoSignerCerts: true, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}})}
			}, ind: Indeterminate, sub: NoSigningCertificateFound},
		{name: "signer certificate only in Config.Intermediates", cfg: func(p *testPKI) Config {
			c := stdCfg(t, p)
			c.Intermediates = append(c.Intermediates, p.Leaf.DER)
			return c
		}, in: func(t testing.TB, p *testPKI) Input {
			return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, NoSignerCerts: true, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}})}
		}, ind: TotalPassed},
		{name: "signer named by subjectKeyIdentifier, certificate only in Config.Intermediates", cfg: func(p *testPKI) Config {
			c := stdCfg(t, p)
			c.Intermediates = append(c.Intermediates, testkit.PEM("CERTIFICATE", p.Leaf.DER))
			return c
		}, in: func(t testing.TB, p *testPKI) Input {
			return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, NoSignerCerts: true, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{UseSKI: true})}})}
		}, ind: TotalPassed},
		{name: "signer certificate only in Input.Certificates", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: func(t testing.TB, p *testPKI) Input {
				return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, NoSignerCerts: true, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}}),
					Certificates: [][]byte{p.Leaf.DER}}
			}, ind: TotalPassed},
		{name: "signer absent, another leaf known", cfg: func(p *testPKI) Config {
			c := stdCfg(t, p)
			c.Intermediates = append(c.Intermediates, other.Leaf.DER)
			return c
		}, in: func(t testing.TB, p *testPKI) Input {
			return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, NoSignerCerts: true, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}})}
		}, ind: Indeterminate, sub: NoSigningCertificateFound},
		{name: "signingCertificateV2 names another certificate", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: sig(testkit.SignerSpec{SigningCertFor: p.CA}), ind: Indeterminate, sub: NoSigningCertificateFound},
		{name: "bad signature", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: sig(testkit.SignerSpec{CorruptSignature: true}), ind: TotalFailed, sub: SigCryptoFailure},
		{name: "untrusted", cfg: func(p *testPKI) Config {
			c := stdCfg(t, p)
			c.Roots = [][]byte{other.Root.DER}
			return c
		}, in: sig(testkit.SignerSpec{}), ind: Indeterminate, sub: NoCertificateChainFound},
		{name: "broken constraint: issuer is not a CA", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: func(t testing.TB, p *testPKI) Input {
				return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent,
					Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{Cert: leafOfNotCA})}, Certificates: [][]byte{notCA.DER}})}
			}, ind: Indeterminate, sub: ChainConstraintsFailure},
		{name: "signer certificate with an unknown critical extension", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: func(t testing.TB, p *testPKI) Input {
				return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent,
					Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{Cert: leafCritical})}})}
			}, ind: Indeterminate, sub: ChainConstraintsFailure, msg: "критическое расширение"},
		{name: "not yet valid", cfg: func(p *testPKI) Config {
			c := stdCfg(t, p)
			c.CRLs = goodCRLs(t, p, testkit.LeafNotBefore.Add(-24*time.Hour))
			return c
		}, in: func(t testing.TB, p *testPKI) Input {
			in := Input{Signature: attached(t, p, testkit.SignerSpec{SigningTime: testkit.LeafNotBefore.Add(-48 * time.Hour)})}
			in.ValidationTime = testkit.LeafNotBefore.Add(-24 * time.Hour)
			return in
		}, ind: TotalFailed, sub: NotYetValid},
		{name: "revoked, no time-stamp", cfg: withCRLs(rootCRL,
			mkCRL(t, p.CA, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour), revoke(p.Leaf, refTime.Add(-48*time.Hour)))),
			in: sig(testkit.SignerSpec{}), ind: Indeterminate, sub: RevokedNoPOE},
		{name: "revoked before the time-stamp", cfg: withCRLs(rootCRL,
			mkCRL(t, p.CA, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour), revoke(p.Leaf, refTime.Add(-72*time.Hour)))),
			in:  sig(testkit.SignerSpec{SigningTime: refTime.Add(-49 * time.Hour), SignatureTimeStamp: ts(refTime.Add(-48 * time.Hour))}),
			ind: TotalFailed, sub: Revoked},
		{name: "time-stamped, then revoked", cfg: withCRLs(rootCRL,
			mkCRL(t, p.CA, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour), revoke(p.Leaf, refTime.Add(-48*time.Hour)))),
			in:  sig(testkit.SignerSpec{SigningTime: refTime.Add(-73 * time.Hour), SignatureTimeStamp: ts(refTime.Add(-72 * time.Hour))}),
			ind: TotalPassed},
		{name: "revoked, only CRL past nextUpdate", cfg: withCRLs(rootCRL,
			mkCRL(t, p.CA, refTime.Add(-9*24*time.Hour), refTime.Add(-2*24*time.Hour), revoke(p.Leaf, refTime.Add(-10*24*time.Hour)))),
			in: sig(testkit.SignerSpec{}), ind: Indeterminate, sub: RevokedNoPOE},
		{name: "revoked before the time-stamp, only CRL past nextUpdate", cfg: withCRLs(rootCRL,
			mkCRL(t, p.CA, refTime.Add(-9*24*time.Hour), refTime.Add(-8*24*time.Hour), revoke(p.Leaf, refTime.Add(-10*24*time.Hour)))),
			in:  sig(testkit.SignerSpec{SigningTime: refTime.Add(-49 * time.Hour), SignatureTimeStamp: &testkit.TimeStampSpec{TSA: rootTSA, GenTime: refTime.Add(-48 * time.Hour)}}),
			ind: TotalFailed, sub: Revoked},
		{name: "on hold, only CRL past nextUpdate", cfg: withCRLs(rootCRL,
			mkCRL(t, p.CA, refTime.Add(-9*24*time.Hour), refTime.Add(-2*24*time.Hour),
				testkit.CRLEntry{Serial: p.Leaf.SerialInt(), RevokedAt: refTime.Add(-10 * 24 * time.Hour), Reason: 6, HasReason: true})),
			in: sig(testkit.SignerSpec{}), ind: Indeterminate, sub: TryLater},
		{name: "stale CRL of another issuer lists the serial", cfg: withCRLs(rootCRL,
			mkCRL(t, other.CA, refTime.Add(-9*24*time.Hour), refTime.Add(-2*24*time.Hour), revoke(p.Leaf, refTime.Add(-10*24*time.Hour)))),
			in: sig(testkit.SignerSpec{}), ind: Indeterminate, sub: TryLater},
		{name: "CA revoked, only root CRL past nextUpdate", cfg: withCRLs(
			mkCRL(t, p.Root, refTime.Add(-9*24*time.Hour), refTime.Add(-2*24*time.Hour), revoke(p.CA, refTime.Add(-10*24*time.Hour))),
			mkCRL(t, p.CA, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour))),
			in: sig(testkit.SignerSpec{}), ind: Indeterminate, sub: RevokedCANoPOE},
		{name: "CA revoked", cfg: withCRLs(
			mkCRL(t, p.Root, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour), revoke(p.CA, refTime.Add(-48*time.Hour))),
			mkCRL(t, p.CA, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour))),
			in: sig(testkit.SignerSpec{}), ind: Indeterminate, sub: RevokedCANoPOE},
		{name: "expired", cfg: func(p *testPKI) Config {
			c := stdCfg(t, p)
			c.CRLs = goodCRLs(t, p, testkit.LeafNotAfter.Add(24*time.Hour))
			return c
		}, in: func(t testing.TB, p *testPKI) Input {
			return Input{Signature: attached(t, p, testkit.SignerSpec{}), ValidationTime: testkit.LeafNotAfter.Add(24 * time.Hour)}
		}, ind: Indeterminate, sub: OutOfBoundsNoPOE},
		{name: "expired, time-stamped while valid", cfg: func(p *testPKI) Config {
			c := stdCfg(t, p)
			c.CRLs = goodCRLs(t, p, testkit.LeafNotAfter.Add(24*time.Hour))
			return c
		}, in: func(t testing.TB, p *testPKI) Input {
			return Input{Signature: attached(t, p, testkit.SignerSpec{SignatureTimeStamp: ts(refTime)}), ValidationTime: testkit.LeafNotAfter.Add(24 * time.Hour)}
		}, ind: TotalPassed},
		{name: "no CRL", cfg: withCRLs(rootCRL), in: sig(testkit.SignerSpec{}), ind: Indeterminate, sub: TryLater},
		{name: "CRL past nextUpdate", cfg: withCRLs(rootCRL, mkCRL(t, p.CA, refTime.Add(-9*24*time.Hour), refTime.Add(-2*24*time.Hour))),
			in: sig(testkit.SignerSpec{}), ind: Indeterminate, sub: TryLater},
		{name: "CRL of another issuer", cfg: withCRLs(rootCRL, mkCRL(t, other.CA, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour))),
			in: sig(testkit.SignerSpec{}), ind: Indeterminate, sub: TryLater},
		{name: "bad time-stamp imprint", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in:  sig(testkit.SignerSpec{SignatureTimeStamp: &testkit.TimeStampSpec{TSA: p.tsa, GenTime: refTime.Add(-time.Hour), Imprint: bytes.Repeat([]byte{1}, 32)}}),
			ind: Indeterminate, sub: TimestampOrderFailure},
		{name: "time-stamp after validation time", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in:  sig(testkit.SignerSpec{SigningTime: refTime.Add(time.Hour), SignatureTimeStamp: ts(refTime.Add(2 * time.Hour))}),
			ind: Indeterminate, sub: TimestampOrderFailure},
		{name: "claimed time after the time-stamp", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in:  sig(testkit.SignerSpec{SigningTime: refTime.Add(-time.Hour), SignatureTimeStamp: ts(refTime.Add(-2 * time.Hour))}),
			ind: Indeterminate, sub: TimestampOrderFailure},
		{name: "CAdES-T, genTime one second before signingTime", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in:  sig(testkit.SignerSpec{SigningTime: refTime.Add(-time.Hour), SignatureTimeStamp: ts(refTime.Add(-time.Hour - time.Second))}),
			ind: TotalPassed},
		{name: "hash-only", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: func(t testing.TB, p *testPKI) Input {
				d := testkit.Digest(oid.Streebog256, testContent)
				return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Detached: true, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}}),
					ContentHash: &ContentHash{Algorithm: "streebog256", Value: d}}
			}, ind: TotalPassed},
		{name: "streamed content", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: func(t testing.TB, p *testPKI) Input {
				return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Detached: true, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}}),
					ContentReader: bytes.NewReader(testContent)}
			}, ind: TotalPassed},
		{name: "attached, another document supplied", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: func(t testing.TB, p *testPKI) Input {
				return Input{Signature: attached(t, p, testkit.SignerSpec{}), Content: []byte("другой документ")}
			}, ind: TotalFailed, sub: HashFailure},
		{name: "CRLs carried in the signature", cfg: func(p *testPKI) Config {
			return Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}}
		}, in: func(t testing.TB, p *testPKI) Input {
			return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent,
				Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}, CRLs: goodCRLs(t, p, refTime)})}
		}, ind: TotalPassed},
		{name: "PEM input", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: func(t testing.TB, p *testPKI) Input {
				return Input{Signature: testkit.PEM("CMS", attached(t, p, testkit.SignerSpec{}))}
			}, ind: TotalPassed},
		{name: "BER input", cfg: func(p *testPKI) Config { return stdCfg(t, p) },
			in: func(t testing.TB, p *testPKI) Input {
				return Input{Signature: testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, BER: true, BERChunk: 7,
					Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}})}
			}, ind: TotalPassed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v := newTestVerifier(t, tc.cfg(p))
			in := tc.in(t, p)
			if in.ValidationTime.IsZero() {
				in.ValidationTime = refTime
			}
			r, err := v.Verify(context.Background(), in)
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, tc.ind, tc.sub, tc.msg)
		})
	}
}

func checkResult(t *testing.T, r *Result, ind Indication, sub SubIndication, msg string) {
	t.Helper()
	if r.Indication != ind || r.SubIndication != sub {
		var b strings.Builder
		for _, s := range r.Signatures {
			b.WriteString("\n  " + s.ID + ": " + s.Indication.String() + "/" + s.SubIndication.String() + " " + s.MessageRU)
			for _, c := range s.Checks {
				b.WriteString("\n    " + c.Status.String() + " " + c.Name + ": " + c.Detail)
			}
		}
		for _, c := range r.Checks {
			b.WriteString("\n  doc " + c.Status.String() + " " + c.Name + ": " + c.Detail)
		}
		t.Fatalf("got %v/%v, want %v/%v%s", r.Indication, r.SubIndication, ind, sub, b.String())
	}
	if msg != "" && (len(r.Signatures) == 0 || !strings.Contains(r.Signatures[0].MessageRU, msg)) {
		t.Errorf("message lacks %q: %+v", msg, r.Signatures)
	}
	for _, c := range r.Checks {
		checkRussian(t, "document check "+c.Name, c.Detail)
	}
	checkRussian(t, "document message_ru", r.MessageRU)
	for _, s := range r.Signatures {
		checkChecksOnce(t, &s)
		if s.Indication != TotalPassed && s.ReasonRU == "" {
			t.Errorf("%s: no reason", s.ID)
		}
		if s.Qualified {
			t.Errorf("%s: a test-PKI signature is qualified", s.ID)
		}
	}
}

// TestVerifyRollover: a CA that rolled its key over has two certificates
// with one name; its CRLs are signed with the key that issued the
// certificate (validation-policy.md "Revocation").
func TestVerifyRollover(t *testing.T) {
	p := stdPKI(t)
	newKey := testkit.MustKey(gost3410.GOST2012_256, oid.TC26_256A, "gostsig/rollover/new")
	caNameT := testkit.CATemplate(newKey, testkit.OrgName("ООО «Тестовый УЦ»", "1027700000020", "7700000023"),
		testkit.CANotBefore.AddDate(2, 0, 0), testkit.CANotAfter, 0)
	caNew := testkit.MustCertificate(caNameT, p.Root)
	leafNew := testkit.MustCertificate(testkit.LeafTemplate(testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProXchA, "gostsig/rollover/leaf"),
		testkit.PersonName("Сидоров", "Сидор Сидорович", "11223344595", "500100732259"), testkit.LeafNotBefore, testkit.LeafNotAfter), caNew)
	rootCRL := mkCRL(t, p.Root, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour))
	oldCRL := mkCRL(t, p.CA, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour))
	newCRL := mkCRL(t, caNew, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour))
	cfg := func(crls ...[]byte) Config {
		return Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER, caNew.DER}, CRLs: crls}
	}
	sigOld := attached(t, p, testkit.SignerSpec{})
	sigNew := attached(t, p, testkit.SignerSpec{Cert: leafNew})
	for _, tc := range []struct {
		name string
		cfg  Config
		sig  []byte
		ind  Indication
		sub  SubIndication
	}{
		{"old key, both CRLs", cfg(rootCRL, oldCRL, newCRL), sigOld, TotalPassed, 0},
		{"new key, both CRLs", cfg(rootCRL, oldCRL, newCRL), sigNew, TotalPassed, 0},
		{"old key, only the new key's CRL", cfg(rootCRL, newCRL), sigOld, Indeterminate, TryLater},
		{"new key, only the old key's CRL", cfg(rootCRL, oldCRL), sigNew, Indeterminate, TryLater},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := newTestVerifier(t, tc.cfg).Verify(context.Background(), Input{Signature: tc.sig, ValidationTime: refTime})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, tc.ind, tc.sub, "")
		})
	}
}

// TestVerifyGOST2001Dates: GOST R 34.10-2001 is acceptable only for
// signatures proven to exist before 2019-01-01.
func TestVerifyGOST2001Dates(t *testing.T) {
	nb := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	na := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	k := func(seed string) *testkit.PrivateKey {
		return testkit.MustKey(gost3410.GOST2001, oid.CryptoProA, "gost2001/"+seed)
	}
	root := testkit.MustCertificate(testkit.CATemplate(k("root"), testkit.OrgName("Тестовый ГУЦ 2001", "1027700000019", "7700000016"), nb, na, -1), nil)
	ca := testkit.MustCertificate(testkit.CATemplate(k("ca"), testkit.OrgName("Тестовый УЦ 2001", "1027700000020", "7700000023"), nb, na, 0), root)
	leaf := testkit.MustCertificate(testkit.LeafTemplate(k("leaf"), testkit.PersonName("Иванов", "Иван Иванович", "11223344595", "500100732259"), nb, na), ca)
	tsaT := testkit.TSATemplate(testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProA, "gost2001/tsa"), testkit.CommonName("TSA"), nb, na)
	tsa := testkit.MustCertificate(tsaT, ca)

	signed := time.Date(2018, 6, 1, 10, 0, 0, 0, time.UTC)
	mk := func(stamp bool) []byte {
		s := testkit.SignerSpec{Cert: leaf, SigningTime: signed, SigningCertV2: true, SigningCertHashOID: oid.GostR3411_94}
		if stamp {
			s.SignatureTimeStamp = &testkit.TimeStampSpec{TSA: tsa, GenTime: signed.Add(time.Minute)}
		}
		return testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Signers: []testkit.SignerSpec{s}, Certificates: [][]byte{tsa.DER}})
	}
	crls := func(at time.Time) [][]byte {
		return [][]byte{mkCRL(t, root, at.Add(-24*time.Hour), at.Add(7*24*time.Hour)), mkCRL(t, ca, at.Add(-24*time.Hour), at.Add(7*24*time.Hour))}
	}
	at2018 := time.Date(2018, 6, 2, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		stamp bool
		at    time.Time
		ind   Indication
		sub   SubIndication
	}{
		{"checked as of 2018", false, at2018, TotalPassed, 0},
		{"checked in 2025, no time-stamp", false, refTime, Indeterminate, CryptoConstraintsFailureNoPOE},
		{"checked in 2025, time-stamped in 2018", true, refTime, TotalPassed, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newTestVerifier(t, Config{Roots: [][]byte{root.DER}, Intermediates: [][]byte{ca.DER}, CRLs: crls(tc.at)})
			r, err := v.Verify(context.Background(), Input{Signature: mk(tc.stamp), ValidationTime: tc.at})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, tc.ind, tc.sub, "")
		})
	}
}

// TestVerifyResultFacts checks what a passed Result reports: the signer,
// the chain to the anchor, the revocation evidence, the time source.
func TestVerifyResultFacts(t *testing.T) {
	p := stdPKI(t)
	v := newTestVerifier(t, stdCfg(t, p))
	r, err := v.Verify(context.Background(), Input{Signature: attached(t, p, testkit.SignerSpec{SignatureTimeStamp: &testkit.TimeStampSpec{TSA: p.tsa, GenTime: refTime.Add(-time.Hour)}})})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, r, TotalPassed, 0, "")
	s := r.Signatures[0]
	if r.Format != FormatCMS || r.Profile != ProfileCAdEST || s.ID != "signer-1" || !r.ValidationTime.Equal(refTime) {
		t.Errorf("format %s profile %s id %s vt %v", r.Format, r.Profile, s.ID, r.ValidationTime)
	}
	if s.Signer == nil || s.Signer.SNILS != "11223344595" || s.Signer.INN != "500100732259" || len(s.Signer.SHA1) != 40 {
		t.Errorf("signer %+v", s.Signer)
	}
	if s.SigningTime.Source != TimeSourceTimestamp || !s.SigningTime.Best.Equal(refTime.Add(-time.Hour)) || s.SigningTime.Claimed.IsZero() {
		t.Errorf("signing time %+v", s.SigningTime)
	}
	if len(s.Chain) != 3 || !s.Chain[2].Anchor || s.Chain[0].Anchor {
		t.Errorf("chain %+v", s.Chain)
	}
	if len(s.Revocation) != 2 {
		t.Fatalf("revocation %+v", s.Revocation)
	}
	for _, rv := range s.Revocation {
		if rv.Status != RevocationGood || rv.Source != "crl" || rv.CRLNumber == "" || len(rv.EvidenceSHA256) != 64 || len(rv.EvidenceStreebog256) != 64 {
			t.Errorf("revocation entry %+v", rv)
		}
	}
	codes := map[string]bool{}
	for _, q := range s.QualifiedReasons {
		codes[q.Code] = true
	}
	if !codes["not-guc-root"] {
		t.Errorf("qualified reasons %+v", s.QualifiedReasons)
	}
}

// TestVerifyConcurrent runs one Verifier from many goroutines (run with -race).
func TestVerifyConcurrent(t *testing.T) {
	p := stdPKI(t)
	v := newTestVerifier(t, stdCfg(t, p))
	good := attached(t, p, testkit.SignerSpec{})
	bad := attached(t, p, testkit.SignerSpec{CorruptSignature: true})
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for j := 0; j < 5; j++ {
				sig, want := good, TotalPassed
				if (i+j)%2 == 1 {
					sig, want = bad, TotalFailed
				}
				r, err := v.Verify(context.Background(), Input{Signature: sig, ValidationTime: refTime})
				if err != nil || r.Indication != want {
					t.Errorf("goroutine %d: %v %v", i, r.Indication, err)
				}
			}
		}(i)
	}
	wg.Wait()
}

func TestVerifyContextCancelled(t *testing.T) {
	p := stdPKI(t)
	v := newTestVerifier(t, stdCfg(t, p))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := v.Verify(ctx, Input{Signature: attached(t, p, testkit.SignerSpec{})}); err == nil {
		t.Error("no error for a cancelled context")
	}
}

// xLongType1 builds a CAdES-X Long Type 1 signed an hour before refTime:
// a signature time-stamp, the CA certificate, a CRL of the root and an
// OCSP response (by the CA) for the leaf and the TSA, all embedded. It
// returns the signer (to vary), the document and the two evidence blobs.
func xLongType1(t testing.TB, p *testPKI) (s testkit.SignerSpec, doc, ocsp, rootCRL []byte) {
	t.Helper()
	gen := refTime.Add(-time.Hour)
	var err error
	ocsp, err = testkit.NewBasicOCSPResponse(&testkit.OCSPSpec{
		Responder: p.CA, ProducedAt: gen.Add(time.Minute),
		Responses: []testkit.OCSPSingle{{Cert: p.Leaf, Status: 0, ThisUpdate: gen.Add(time.Minute), NextUpdate: gen.Add(24 * time.Hour)},
			{Cert: p.tsa, Status: 0, ThisUpdate: gen.Add(time.Minute), NextUpdate: gen.Add(24 * time.Hour)}}, // the TSA's status at genTime
	})
	if err != nil {
		t.Fatal(err)
	}
	rootCRL = mkCRL(t, p.Root, gen.Add(-time.Hour), gen.Add(7*24*time.Hour))
	s = bes(p, testkit.SignerSpec{SigningTime: gen})
	s.SignatureTimeStamp = &testkit.TimeStampSpec{TSA: p.tsa, GenTime: gen}
	s.XLong = &testkit.XLongSpec{
		Certificates: []*testkit.Certificate{p.CA}, CRLs: [][]byte{rootCRL}, OCSPs: [][]byte{ocsp},
		OCSPResponders: []*testkit.Certificate{p.CA}, OCSPProducedAt: []time.Time{gen.Add(time.Minute)},
		EscTimeStamp: &testkit.TimeStampSpec{TSA: p.tsa, GenTime: gen.Add(2 * time.Minute)},
	}
	doc = testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Signers: []testkit.SignerSpec{s}, Certificates: [][]byte{p.tsa.DER}})
	return s, doc, ocsp, rootCRL
}

// TestVerifyXLongType1: a CAdES-X Long Type 1 carries the path and its
// revocation evidence (a CRL for the CA, an OCSP response for the leaf and
// the TSA), so it verifies offline with nothing configured but the root.
func TestVerifyXLongType1(t *testing.T) {
	p := stdPKI(t)
	s, doc, _, _ := xLongType1(t, p)
	v := newTestVerifier(t, Config{Roots: [][]byte{p.Root.DER}})
	r, err := v.Verify(context.Background(), Input{Signature: doc, ValidationTime: refTime})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, r, TotalPassed, 0, "")
	if r.Profile != ProfileCAdESXLong1 {
		t.Errorf("profile %s", r.Profile)
	}
	src := map[string]bool{}
	for _, rv := range r.Signatures[0].Revocation {
		src[rv.Source] = true
	}
	if !src["ocsp"] || !src["crl"] {
		t.Errorf("revocation sources %+v", r.Signatures[0].Revocation)
	}
	// Without the embedded evidence (plain CAdES-T) the same check has no
	// revocation information: TRY_LATER.
	s.XLong = nil
	doc = testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Signers: []testkit.SignerSpec{s}, Certificates: [][]byte{p.tsa.DER, p.CA.DER}})
	r, err = v.Verify(context.Background(), Input{Signature: doc, ValidationTime: refTime})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, r, Indeterminate, TryLater, "")
}

// TestVerifyRequestOffline: a Verifier allowed to fetch must not touch the
// network for a request marked offline.
func TestVerifyRequestOffline(t *testing.T) {
	p := stdPKI(t)
	var hits atomic.Int32
	client := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		hits.Add(1)
		return nil, errors.New("no network in tests")
	})}
	v, err := New(Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, HTTPClient: client,
		Clock: func() time.Time { return refTime }, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	doc := attached(t, p, testkit.SignerSpec{})
	r, err := v.Verify(context.Background(), Input{Signature: doc, ValidationTime: refTime, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, r, Indeterminate, TryLater, "")
	if hits.Load() != 0 {
		t.Errorf("%d network requests for an offline request", hits.Load())
	}
	// The same request online tries the leaf's CRL distribution point.
	if _, err := v.Verify(context.Background(), Input{Signature: doc, ValidationTime: refTime}); err != nil {
		t.Fatal(err)
	}
	if hits.Load() == 0 {
		t.Error("an online request never fetched")
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// testTSL is a minimal ГУЦ trusted list naming the test CA, accredited
// from 2020-01-01 and, when endAt is set, no longer from endAt.
func testTSL(ca *testkit.Certificate, endAt string) []byte {
	hist := `<СтатусАккредитации><Статус>Действует</Статус><ДействуетС>2020-01-01T00:00:00+03:00</ДействуетС></СтатусАккредитации>`
	status := hist
	if endAt != "" {
		status = `<СтатусАккредитации><Статус>Прекращена</Статус><ДействуетС>` + endAt + `</ДействуетС></СтатусАккредитации>`
		hist += status
	}
	return []byte(`<?xml version="1.0" encoding="utf-8"?>
<АккредитованныеУдостоверяющиеЦентры><Версия>1</Версия><Дата>2025-01-01T00:00:00+03:00</Дата>
<УдостоверяющийЦентр><Название>ООО «Тестовый УЦ»</Название><КраткоеНазвание>Тестовый УЦ</КраткоеНазвание>
<ПрограммноАппаратныеКомплексы><ПрограммноАппаратныйКомплекс><Псевдоним>test</Псевдоним>
<КлючиУполномоченныхЛиц><Ключ><ИдентификаторКлюча>` + strings.ToUpper(hex.EncodeToString(ca.SKI)) + `</ИдентификаторКлюча>
<Сертификаты><ДанныеСертификата><Данные>` + base64.StdEncoding.EncodeToString(ca.DER) + `</Данные></ДанныеСертификата></Сертификаты>
</Ключ></КлючиУполномоченныхЛиц></ПрограммноАппаратныйКомплекс></ПрограммноАппаратныеКомплексы>
<ИНН>7700000023</ИНН><ОГРН>1027700000020</ОГРН><РеестровыйНомер>1</РеестровыйНомер>` + status +
		`<ИсторияСтатусовАккредитации>` + hist + `</ИсторияСтатусовАккредитации></УдостоверяющийЦентр>
</АккредитованныеУдостоверяющиеЦентры>`)
}

// TestVerifyAccreditation: with a trusted list loaded, the issuing CA must
// have been accredited on the signer certificate's issue date.
func TestVerifyAccreditation(t *testing.T) {
	p := stdPKI(t)
	doc := attached(t, p, testkit.SignerSpec{})
	for _, tc := range []struct {
		name    string
		tsl     []byte
		present bool // "not-accredited" among the reasons
		checked bool
	}{
		{"no TSL", nil, false, false},
		{"accredited", testTSL(p.CA, ""), false, true},
		{"terminated before issue", testTSL(p.CA, "2023-06-01T00:00:00+03:00"), true, true},
		{"terminated after issue", testTSL(p.CA, "2024-06-01T00:00:00+03:00"), false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := stdCfg(t, p)
			cfg.TSL = tc.tsl
			r, err := newTestVerifier(t, cfg).Verify(context.Background(), Input{Signature: doc, ValidationTime: refTime})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, TotalPassed, 0, "")
			codes := map[string]bool{}
			for _, q := range r.Signatures[0].QualifiedReasons {
				codes[q.Code] = true
			}
			if codes["not-accredited"] != tc.present {
				t.Errorf("not-accredited %v, want %v: %+v", codes["not-accredited"], tc.present, r.Signatures[0].QualifiedReasons)
			}
			if !codes["not-guc-root"] {
				t.Errorf("a test root counted as ГУЦ: %+v", r.Signatures[0].QualifiedReasons)
			}
		})
	}
}

// TestVerifyPresentedDocument: a document (or its hash) presented with an
// attached signature must be the embedded content (POLICY.md, "Attached
// signature with a document supplied"); a different one is HASH_FAILURE
// with its own reason, and message-digest is reported once, failed.
func TestVerifyPresentedDocument(t *testing.T) {
	p := stdPKI(t)
	v := newTestVerifier(t, stdCfg(t, p))
	sig := attached(t, p, testkit.SignerSpec{})
	noAttrs := testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Signers: []testkit.SignerSpec{{Cert: p.Leaf, NoSignedAttrs: true}}})
	hash := func(alg string, o asn1.ObjectIdentifier, data []byte) *ContentHash {
		return &ContentHash{Algorithm: alg, Value: testkit.Digest(o, data)}
	}
	tests := []struct {
		name string
		in   Input
		ind  Indication
		sub  SubIndication
	}{
		{"same document", Input{Signature: sig, Content: testContent}, TotalPassed, 0},
		{"another document", Input{Signature: sig, Content: []byte("другой документ")}, TotalFailed, HashFailure},
		{"another document, streamed", Input{Signature: sig, ContentReader: strings.NewReader("другой документ")}, TotalFailed, HashFailure},
		{"another document, no signed attributes", Input{Signature: noAttrs, Content: []byte("другой документ")}, TotalFailed, HashFailure},
		{"hash of the content", Input{Signature: sig, ContentHash: hash("streebog256", oid.Streebog256, testContent)}, TotalPassed, 0},
		{"hash of the content, other algorithm", Input{Signature: sig, ContentHash: hash("gostr341194", oid.GostR3411_94, testContent)}, TotalPassed, 0},
		{"hash of another document", Input{Signature: sig, ContentHash: hash("streebog256", oid.Streebog256, []byte("другой"))}, TotalFailed, HashFailure},
		{"512-bit hash of another document", Input{Signature: sig, ContentHash: hash("streebog512", oid.Streebog512, []byte("другой"))}, TotalFailed, HashFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.in.ValidationTime = refTime
			r, err := v.Verify(context.Background(), tt.in)
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, tt.ind, tt.sub, "")
			s := r.Signatures[0]
			n := 0
			for _, c := range s.Checks {
				if c.Name == CheckMessageDigest {
					n++
					if tt.ind == TotalFailed && c.Status != StatusFailed {
						t.Errorf("message-digest %v: %s", c.Status, c.Detail)
					}
				}
			}
			if n != 1 {
				t.Errorf("message-digest reported %d times: %+v", n, s.Checks)
			}
			if tt.ind == TotalFailed {
				if !strings.Contains(s.MessageRU, "представленный документ не совпадает с подписанным") || strings.Contains(s.MessageRU, "изменён после подписания") {
					t.Errorf("message %q", s.MessageRU)
				}
			}
		})
	}
}

// TestVerifyContentHashAlgorithm: a hash-only request whose hash is not in
// the signer's digest algorithm names the algorithm the signature needs.
func TestVerifyContentHashAlgorithm(t *testing.T) {
	p := stdPKI(t)
	v := newTestVerifier(t, stdCfg(t, p))
	det := testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Detached: true, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}})
	r, err := v.Verify(context.Background(), Input{Signature: det, ValidationTime: refTime,
		ContentHash: &ContentHash{Algorithm: "gostr341194", Value: testkit.Digest(oid.GostR3411_94, testContent)}})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, r, Indeterminate, SignedDataNotFound, "")
	s := r.Signatures[0]
	for _, want := range []string{"ГОСТ Р 34.11-94 (gostr341194)", "требует хеш по алгоритму ГОСТ Р 34.11-2012 (256 бит, streebog256)"} {
		if !strings.Contains(s.MessageRU, want) || !strings.Contains(s.ReasonRU, want) {
			t.Errorf("message %q / reason %q lacks %q", s.MessageRU, s.ReasonRU, want)
		}
	}
}

// perTargetChecks may appear once per target (reference, attachment).
var perTargetChecks = map[string]bool{CheckReferenceDigest: true, CheckAttachmentDigest: true, "attachment-signature": true, CheckSMEVEscaping: true}

// checkChecksOnce: each check appears once per signature with its final
// status, and a passed check never says a status is unknown.
func checkChecksOnce(t *testing.T, s *Signature) {
	t.Helper()
	seen := map[string]int{}
	for _, c := range s.Checks {
		if seen[c.Name]++; seen[c.Name] == 2 && !perTargetChecks[c.Name] {
			t.Errorf("%s: check %q reported more than once: %+v", s.ID, c.Name, s.Checks)
		}
		if c.Status == StatusPassed && strings.Contains(c.Detail, "неизвест") {
			t.Errorf("%s: passed check %q says unknown: %s", s.ID, c.Name, c.Detail)
		}
		checkRussian(t, "check "+c.Name, c.Detail)
	}
	checkRussian(t, "message_ru", s.MessageRU)
	checkRussian(t, "reason_ru", s.ReasonRU)
	for _, r := range s.Revocation {
		checkRussian(t, "revocation detail", r.Detail)
	}
	if s.Timestamp != nil {
		checkRussian(t, "timestamp detail", s.Timestamp.Detail)
	}
}

// englishText matches what the lower layers write in English: a package
// prefix ("crl: ", "chain: ") or a common English word. Technical terms
// (messageDigest, SignerInfo, keyUsage) are allowed in Russian text.
var englishText = regexp.MustCompile(`\b(crl|chain|cms|cert|xmldsig|c14n|gostsig|asn1|x509): |\b(no|not|the|of|from|and|does|cannot|failed|matches|found|missing|offline|covers|path|trusted)\b`)

// checkRussian: everything shown to people is Russian; the English cause
// belongs in the Cause fields (QA 13).
func checkRussian(t *testing.T, what, s string) {
	t.Helper()
	if m := englishText.FindString(s); m != "" {
		t.Errorf("%s has English (%q): %s", what, m, s)
	}
}

// TestVerifyCause: the technical English cause of a problem is kept for
// logs and diagnostics in the cause fields, apart from the Russian detail.
func TestVerifyCause(t *testing.T) {
	p := stdPKI(t)
	other := testkit.MustPKI("gostsig/verify_test/other")
	check := func(s Signature, name string) Check {
		for _, c := range s.Checks {
			if c.Name == name {
				return c
			}
		}
		t.Fatalf("no %s check: %+v", name, s.Checks)
		return Check{}
	}
	sig := attached(t, p, testkit.SignerSpec{})

	v := newTestVerifier(t, Config{Roots: [][]byte{other.Root.DER}, Intermediates: [][]byte{p.CA.DER}})
	r, err := v.Verify(context.Background(), Input{Signature: sig, ValidationTime: refTime})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, r, Indeterminate, NoCertificateChainFound, "")
	if c := check(r.Signatures[0], CheckChain); !strings.HasPrefix(c.Cause, "chain: ") {
		t.Errorf("chain cause %q (detail %q)", c.Cause, c.Detail)
	}

	v = newTestVerifier(t, Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}})
	r, err = v.Verify(context.Background(), Input{Signature: sig, ValidationTime: refTime})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, r, Indeterminate, TryLater, "")
	if c := check(r.Signatures[0], CheckRevocation); !strings.Contains(c.Cause, "CRL") {
		t.Errorf("revocation cause %q (detail %q)", c.Cause, c.Detail)
	}
	for _, rv := range r.Signatures[0].Revocation {
		if rv.Status == RevocationUnknown && (rv.Cause == "" || rv.Detail == "") {
			t.Errorf("unknown revocation without detail or cause: %+v", rv)
		}
	}

	r, err = v.Verify(context.Background(), Input{Signature: []byte("<Doc><unclosed>"), ValidationTime: refTime})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, r, TotalFailed, FormatFailure, "")
	if r.Checks[0].Cause == "" {
		t.Errorf("format failure without cause: %+v", r.Checks[0])
	}
}

// TestVerifyBundles: a Config or Input element may hold several PEM
// blocks, and an OpenSSL-style bundle of certificates and CRLs serves as
// roots or intermediates (its certificates) and as CRLs (its CRLs).
func TestVerifyBundles(t *testing.T) {
	p := stdPKI(t)
	crls := goodCRLs(t, p, refTime)
	twoCRLs := append(testkit.PEM("X509 CRL", crls[0]), testkit.PEM("X509 CRL", crls[1])...)
	mixed := append(append(testkit.PEM("CERTIFICATE", p.Root.DER), testkit.PEM("X509 CRL", crls...)...), testkit.PEM("CERTIFICATE", p.CA.DER)...)
	sig := attached(t, p, testkit.SignerSpec{})
	tests := []struct {
		name string
		cfg  Config
		in   Input
	}{
		{"two CRLs in one PEM element", Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, CRLs: [][]byte{twoCRLs}}, Input{}},
		{"mixed bundle as roots, intermediates and CRLs", Config{Roots: [][]byte{mixed}, Intermediates: [][]byte{mixed}, CRLs: [][]byte{mixed}}, Input{}},
		{"two CRLs in one Input element", Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}}, Input{CRLs: [][]byte{twoCRLs}}},
		{"mixed bundle as Input CRLs", Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}}, Input{CRLs: [][]byte{mixed}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newTestVerifier(t, tt.cfg)
			tt.in.Signature, tt.in.ValidationTime = sig, refTime
			r, err := v.Verify(context.Background(), tt.in)
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, TotalPassed, 0, "")
		})
	}
}

// TestCMSFormatDetail: the format check names the encoding once ("ber",
// not "ber, BER").
func TestCMSFormatDetail(t *testing.T) {
	p := stdPKI(t)
	v := newTestVerifier(t, stdCfg(t, p))
	ber := testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, BER: true, BERChunk: 7, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}})
	for _, tt := range []struct {
		sig  []byte
		want string
	}{
		{ber, "CMS SignedData (ber, присоединённая подпись, подписей: 1)"},
		{attached(t, p, testkit.SignerSpec{}), "CMS SignedData (der, присоединённая подпись, подписей: 1)"},
	} {
		r, err := v.Verify(context.Background(), Input{Signature: tt.sig, ValidationTime: refTime})
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Checks[0].Detail; got != tt.want {
			t.Errorf("format detail %q, want %q", got, tt.want)
		}
	}
}

// TestVerifyClockWholeSeconds: a validation time taken from the clock is
// reported in whole seconds, as are the best signature time derived from
// it; a time given with a fraction is kept.
func TestVerifyClockWholeSeconds(t *testing.T) {
	p := stdPKI(t)
	cfg := stdCfg(t, p)
	cfg.Clock = func() time.Time { return refTime.Add(123456789) }
	v := newTestVerifier(t, cfg)
	sig := attached(t, p, testkit.SignerSpec{})
	r, err := v.Verify(context.Background(), Input{Signature: sig})
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.AppendJSON(nil)
	if err != nil {
		t.Fatal(err)
	}
	// 12:00:00.123456789 from the clock: whole seconds, rounded up (see TestClockValidationTimeAfterFreshTimestamp).
	for _, want := range []string{`"validation_time":"2025-06-01T12:00:01Z"`, `"best":"2025-06-01T12:00:01Z"`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	r, err = v.Verify(context.Background(), Input{Signature: sig, ValidationTime: refTime.Add(500 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	if !r.ValidationTime.Equal(refTime.Add(500 * time.Millisecond)) {
		t.Errorf("given validation time changed to %v", r.ValidationTime)
	}
}

// TestVerifyTrailingBytes: white space and zero padding after the outer
// SEQUENCE (text-mode copies, mail, padding tools) are dropped and said in
// the format check, as OpenSSL accepts them; other trailing bytes are a
// FORMAT_FAILURE that says so in Russian (QA2 F4, POLICY.md).
func TestVerifyTrailingBytes(t *testing.T) {
	p := stdPKI(t)
	v := newTestVerifier(t, stdCfg(t, p))
	der := attached(t, p, testkit.SignerSpec{})
	berSig := testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, BER: true, BERChunk: 7, Signers: []testkit.SignerSpec{bes(p, testkit.SignerSpec{})}})
	plus := func(a []byte, tail string) []byte { return append(append([]byte(nil), a...), tail...) }
	b64 := []byte(base64.StdEncoding.EncodeToString(plus(der, "\r\n")))
	for _, tt := range []struct {
		name   string
		sig    []byte
		ind    Indication
		detail string // substring of the format check's detail
	}{
		{"DER + LF", plus(der, "\n"), TotalPassed, "после структуры CMS 1 байт"},
		{"DER + CRLF", plus(der, "\r\n"), TotalPassed, "после структуры CMS 2 байт"},
		{"DER + spaces and NULs", plus(der, "  \x00\x00\x00\x00"), TotalPassed, "после структуры CMS 6 байт"},
		{"BER + LF", plus(berSig, "\n"), TotalPassed, "после структуры CMS 1 байт"},
		{"BER + zero padding", plus(berSig, "\x00\x00\x00\x00\x00\x00\x00\x00"), TotalPassed, "после структуры CMS 8 байт"},
		{"base64 of DER + CRLF", b64, TotalPassed, "после структуры CMS 2 байт"},
		{"DER + garbage", plus(der, "\nabc"), TotalFailed, "после структуры подписи есть лишние данные (4 байт)"},
		{"BER + garbage", plus(berSig, "\x30\x00"), TotalFailed, "после структуры подписи есть лишние данные (2 байт)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := v.Verify(context.Background(), Input{Signature: tt.sig, ValidationTime: refTime})
			if err != nil {
				t.Fatal(err)
			}
			sub := NoSubIndication
			if tt.ind == TotalFailed {
				sub = FormatFailure
			}
			checkResult(t, r, tt.ind, sub, "")
			n := 0
			for _, c := range r.Checks {
				if c.Name == CheckFormat {
					n++
					if !strings.Contains(c.Detail, tt.detail) {
						t.Errorf("format detail %q lacks %q", c.Detail, tt.detail)
					}
				}
			}
			if n != 1 {
				t.Errorf("%d format checks, want 1", n)
			}
			if tt.ind == TotalFailed && !strings.Contains(r.MessageRU, "лишние данные") {
				t.Errorf("MessageRU %q does not say what is wrong", r.MessageRU)
			}
		})
	}
}

// TestVerifyCertsOnly: a .p7b certificate bundle (certs-only SignedData)
// is no signature: one failed format check that says what the file is, not
// a passed and a failed one nor "отсоединённая подпись" (QA2 F12).
func TestVerifyCertsOnly(t *testing.T) {
	p := stdPKI(t)
	v := newTestVerifier(t, stdCfg(t, p))
	for _, tt := range []struct {
		name, want string
		sig        []byte
	}{
		{"bundle", "это набор сертификатов (PKCS#7) без подписей (сертификатов: 3)",
			certsOnly([][]byte{p.Leaf.DER, p.CA.DER, p.Root.DER}, nil)},
		{"bundle with a CRL", "это набор сертификатов (PKCS#7) без подписей (сертификатов: 1, списков отзыва: 1)",
			certsOnly([][]byte{p.CA.DER}, [][]byte{mkCRL(t, p.CA, refTime, refTime.Add(time.Hour))})},
		{"empty SignedData", "это структура CMS SignedData без подписей (сертификатов: 0)", certsOnly(nil, nil)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := v.Verify(context.Background(), Input{Signature: tt.sig, ValidationTime: refTime})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, TotalFailed, FormatFailure, "")
			if len(r.Checks) != 1 || r.Checks[0].Name != CheckFormat || r.Checks[0].Status != StatusFailed {
				t.Fatalf("checks %+v, want one failed format check", r.Checks)
			}
			if d := r.Checks[0].Detail; !strings.Contains(d, tt.want) || strings.Contains(d, "отсоединённая") {
				t.Errorf("format detail %q, want %q", d, tt.want)
			}
			if !strings.Contains(r.MessageRU, "в файле нет электронной подписи") || strings.Contains(r.MessageRU, "повреждена") {
				t.Errorf("MessageRU %q", r.MessageRU)
			}
		})
	}
}

// certsOnly is a degenerate SignedData (RFC 5652 §5.1) as "openssl
// crl2pkcs7" writes a .p7b: no content, no SignerInfo, certificates and
// CRLs only.
func certsOnly(certs, crls [][]byte) []byte {
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid.SignedData)
		b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				b.AddASN1Int64(1)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {})
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oid.Data) })
				if len(certs) > 0 {
					b.AddASN1(cbasn1.Tag(0).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
						for _, c := range certs {
							b.AddBytes(c)
						}
					})
				}
				if len(crls) > 0 {
					b.AddASN1(cbasn1.Tag(1).ContextSpecific().Constructed(), func(b *cryptobyte.Builder) {
						for _, c := range crls {
							b.AddBytes(c)
						}
					})
				}
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {})
			})
		})
	})
	return b.BytesOrPanic()
}

// TestVerifyEmpty: an empty file (or one of white space only) says so,
// not "neither CMS nor XML" (QA2 F11).
func TestVerifyEmpty(t *testing.T) {
	p := stdPKI(t)
	v := newTestVerifier(t, stdCfg(t, p))
	for _, tt := range []struct {
		sig  []byte
		want string
	}{
		{nil, "файл пуст (0 байт)"},
		{[]byte{}, "файл пуст (0 байт)"},
		{[]byte("\r\n \n"), "только пробелы, переводы строк или нули (4 байт)"},
	} {
		r, err := v.Verify(context.Background(), Input{Signature: tt.sig, ValidationTime: refTime})
		if err != nil {
			t.Fatal(err)
		}
		checkResult(t, r, TotalFailed, FormatFailure, "")
		if len(r.Checks) != 1 || !strings.Contains(r.Checks[0].Detail, tt.want) || !strings.Contains(r.MessageRU, tt.want) {
			t.Errorf("%q: message %q, checks %+v, want %q", tt.sig, r.MessageRU, r.Checks, tt.want)
		}
	}
}

// TestVerifyRevocationWording: a certificateHold entry is a suspension
// («действие … приостановлено»), not «отозван»; reasons are named in
// Russian (QA2 F6, F5).
func TestVerifyRevocationWording(t *testing.T) {
	p := stdPKI(t)
	entry := func(c *testkit.Certificate, reason int) testkit.CRLEntry {
		return testkit.CRLEntry{Serial: c.SerialInt(), RevokedAt: refTime.Add(-48 * time.Hour), Reason: reason, HasReason: true}
	}
	for _, tt := range []struct {
		name          string
		leaf, ca      []testkit.CRLEntry
		sub           SubIndication
		msg, detail   string
		wantNot       string
		suspendedLeaf bool
	}{
		{name: "signer on hold", leaf: []testkit.CRLEntry{entry(p.Leaf, 6)}, sub: RevokedNoPOE, suspendedLeaf: true,
			msg:    "действие сертификата подписанта приостановлено, а штампа времени",
			detail: "действие сертификата подписанта приостановлено 30.05.2025 12:00:00 UTC (причина: приостановление действия сертификата)", wantNot: "отозван"},
		{name: "CA on hold", ca: []testkit.CRLEntry{entry(p.CA, 6)}, sub: RevokedCANoPOE,
			msg: "действие сертификата удостоверяющего центра в цепочке приостановлено", detail: "приостановлен 30.05.2025 12:00:00 UTC", wantNot: "отозван"},
		{name: "signer key compromised", leaf: []testkit.CRLEntry{entry(p.Leaf, 1)}, sub: RevokedNoPOE,
			msg: "сертификат подписанта отозван", detail: "отозван 30.05.2025 12:00:00 UTC (причина: компрометация ключа)", wantNot: "keyCompromise"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			v := newTestVerifier(t, Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, CRLs: [][]byte{
				mkCRL(t, p.Root, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour), tt.ca...),
				mkCRL(t, p.CA, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour), tt.leaf...)}})
			r, err := v.Verify(context.Background(), Input{Signature: attached(t, p, testkit.SignerSpec{}), ValidationTime: refTime})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, Indeterminate, tt.sub, tt.msg)
			s := r.Signatures[0]
			if strings.Contains(s.MessageRU, tt.wantNot) {
				t.Errorf("MessageRU %q says %q", s.MessageRU, tt.wantNot)
			}
			for _, c := range s.Checks {
				if c.Name != CheckRevocation {
					continue
				}
				if !strings.Contains(c.Detail, tt.detail) || strings.Contains(c.Detail, tt.wantNot) {
					t.Errorf("revocation detail %q, want %q and not %q", c.Detail, tt.detail, tt.wantNot)
				}
			}
			if got := s.Revocation[0].Suspended(); got != tt.suspendedLeaf {
				t.Errorf("signer entry Suspended() = %v", got)
			}
		})
	}
	if got := RevocationReasonRU("keyCompromise"); got != "компрометация ключа" {
		t.Errorf("RevocationReasonRU(keyCompromise) = %q", got)
	}
}

// TestVerifyNoCRLWording: without a time-stamp the revocation details
// speak of the validation time, never of "время подписи" (QA2 F1).
func TestVerifyNoCRLWording(t *testing.T) {
	p := stdPKI(t)
	v := newTestVerifier(t, Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER},
		CRLs: [][]byte{mkCRL(t, p.Root, refTime.Add(-24*time.Hour), refTime.Add(7*24*time.Hour))}})
	r, err := v.Verify(context.Background(), Input{Signature: attached(t, p, testkit.SignerSpec{}), ValidationTime: refTime})
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, r, Indeterminate, TryLater, "")
	for _, c := range r.Signatures[0].Checks {
		if strings.Contains(c.Detail, "время подписи") {
			t.Errorf("check %s: %q", c.Name, c.Detail)
		}
		if c.Name == CheckRevocation && !strings.Contains(c.Detail, "на время проверки 01.06.2025 12:00:00 UTC") {
			t.Errorf("revocation detail %q does not name the validation time", c.Detail)
		}
	}
}
