package gostsig

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// The revocation status of a time-stamp's TSA path (POLICY.md "Best
// signature time"), end to end through Verifier.Verify: a TSA under a CA
// of its own (tsaCA, under the standard root), so that the evidence for
// the TSA and for the signer are separate. Times are fixed: the signature
// is time-stamped 48 hours before the validation time.

type tsaTestPKI struct {
	*testPKI
	tsaCA *testkit.Certificate
	tsa   *testkit.Certificate
}

var (
	tsaPKIOnce sync.Once
	tsaPKIVal  *tsaTestPKI
)

func tsaTestSetup(t testing.TB) *tsaTestPKI {
	p := stdPKI(t)
	tsaPKIOnce.Do(func() {
		caKey := testkit.MustKey(gost3410.GOST2012_256, oid.TC26_256A, "gostsig/tsa_revocation_test/tsa-ca")
		ca := testkit.MustCertificate(testkit.CATemplate(caKey, testkit.OrgName("ООО «УЦ службы времени»", testkit.OGRN("102770000009"), testkit.INN10("770000009")),
			testkit.CANotBefore, testkit.CANotAfter, 0), p.Root)
		tsaKey := testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProA, "gostsig/tsa_revocation_test/tsa")
		tsa := testkit.MustCertificate(testkit.TSATemplate(tsaKey, testkit.CommonName("Служба штампов времени (тест отзыва)"),
			testkit.LeafNotBefore, testkit.LeafNotAfter), ca)
		tsaPKIVal = &tsaTestPKI{testPKI: p, tsaCA: ca, tsa: tsa}
	})
	return tsaPKIVal
}

func TestVerifyTSARevocation(t *testing.T) {
	p := tsaTestSetup(t)
	vt := refTime
	gen := vt.Add(-48 * time.Hour)
	entry := func(c *testkit.Certificate, at time.Time, reason int) testkit.CRLEntry {
		if reason < 0 {
			return testkit.CRLEntry{Serial: c.SerialInt(), RevokedAt: at, Reason: -1}
		}
		return testkit.CRLEntry{Serial: c.SerialInt(), RevokedAt: at, Reason: reason, HasReason: true}
	}
	const (
		noReason      = -1
		keyCompromise = 1
		caCompromise  = 2
		superseded    = 4
		cessation     = 5
		hold          = 6
	)
	// Current CRLs, issued after genTime: they speak for genTime.
	current := func(issuer *testkit.Certificate, revoked ...testkit.CRLEntry) []byte {
		return mkCRL(t, issuer, vt.Add(-24*time.Hour), vt.Add(7*24*time.Hour), revoked...)
	}
	rootCRL, caCRL := current(p.Root), current(p.CA)
	tsaGoodCRL := current(p.tsaCA)

	type tsaCase struct {
		name string
		// crls are the configured CRLs; nil: the root's, the signer CA's
		// and a current, empty CRL of the TSA's CA.
		crls   [][]byte
		policy map[Rule]Level
		// signer, when set, changes the signer's spec (XLong evidence).
		signer func(s *testkit.SignerSpec)
		ind    Indication
		sub    SubIndication
		// tsValid: the time-stamp gives BST; check is the status of the
		// tsa-revocation check and level its level; detail and cause are
		// substrings of the time-stamp's Detail / Cause when it is not
		// valid, else of the check's detail.
		tsValid bool
		// pending: the time-stamp is neither valid nor void, its TSA
		// path's status not known (Timestamp.Status indeterminate).
		pending       bool
		check         Status
		level         Level
		detail, cause string
	}
	cases := []tsaCase{
		{name: "(a) good", ind: TotalPassed, tsValid: true, check: StatusPassed,
			detail: "не отозваны на время штампа"},
		{name: "(b) revoked before genTime, keyCompromise",
			crls: [][]byte{rootCRL, caCRL, current(p.tsaCA, entry(p.tsa, gen.Add(-24*time.Hour), keyCompromise))},
			ind:  Indeterminate, sub: TimestampOrderFailure, check: StatusFailed,
			detail: "отозван 29.05.2025 12:00:00 UTC (причина: компрометация ключа), не позже времени штампа 30.05.2025 12:00:00 UTC",
			cause:  "revoked at 2025-05-29T12:00:00Z (keyCompromise), not after genTime 2025-05-30T12:00:00Z"},
		{name: "(b) revoked before genTime, superseded: a revocation by genTime voids whatever the reason",
			crls: [][]byte{rootCRL, caCRL, current(p.tsaCA, entry(p.tsa, gen.Add(-time.Second), superseded))},
			ind:  Indeterminate, sub: TimestampOrderFailure, check: StatusFailed, detail: "причина: сертификат заменён"},
		{name: "(b) revoked before genTime, only a CRL past nextUpdate lists it (permanent revocation)",
			crls: [][]byte{rootCRL, caCRL, mkCRL(t, p.tsaCA, gen.Add(-10*24*time.Hour), gen.Add(-9*24*time.Hour), entry(p.tsa, gen.Add(-11*24*time.Hour), keyCompromise))},
			ind:  Indeterminate, sub: TimestampOrderFailure, check: StatusFailed, detail: "срок действия которого истёк: отзыв окончателен"},
		{name: "(b) on hold at genTime",
			crls: [][]byte{rootCRL, caCRL, current(p.tsaCA, entry(p.tsa, gen.Add(-time.Hour), hold))},
			ind:  Indeterminate, sub: TimestampOrderFailure, check: StatusFailed, detail: "действие сертификата службы штампов времени"},
		{name: "(c) revoked after genTime, superseded: earlier tokens stay valid (RFC 3161 §4)",
			crls: [][]byte{rootCRL, caCRL, current(p.tsaCA, entry(p.tsa, gen.Add(time.Hour), superseded))},
			ind:  TotalPassed, tsValid: true, check: StatusPassed, detail: "штампы, выданные до отзыва, сохраняют силу (RFC 3161 §4)"},
		{name: "(c) revoked after genTime, cessationOfOperation",
			crls: [][]byte{rootCRL, caCRL, current(p.tsaCA, entry(p.tsa, gen.Add(time.Hour), cessation))},
			ind:  TotalPassed, tsValid: true, check: StatusPassed, detail: "прекращение деятельности"},
		{name: "(c) revoked after genTime, keyCompromise: no token of that key is trusted (RFC 3161 §4)",
			crls: [][]byte{rootCRL, caCRL, current(p.tsaCA, entry(p.tsa, gen.Add(time.Hour), keyCompromise))},
			ind:  Indeterminate, sub: TimestampOrderFailure, check: StatusFailed,
			detail: "позже времени штампа, но при компрометации ключа время штампа не доказано", cause: "RFC 3161 §4"},
		{name: "(c) revoked after genTime without a reasonCode (RFC 3161 §4)",
			crls: [][]byte{rootCRL, caCRL, current(p.tsaCA, entry(p.tsa, gen.Add(time.Hour), noReason))},
			ind:  Indeterminate, sub: TimestampOrderFailure, check: StatusFailed, detail: "без указания причины", cause: "without a reasonCode"},
		{name: "(c) on hold since after genTime: not known yet",
			crls: [][]byte{rootCRL, caCRL, current(p.tsaCA, entry(p.tsa, gen.Add(time.Hour), hold))},
			ind:  Indeterminate, sub: TryLater, pending: true, check: StatusIndeterminate, detail: "пока приостановление не снято"},
		{name: "(d) no CRL of the TSA's CA",
			crls: [][]byte{rootCRL, caCRL},
			ind:  Indeterminate, sub: TryLater, pending: true, check: StatusIndeterminate,
			detail: "нет списка отзыва или ответа OCSP, действующего на время штампа", cause: "no CRL of"},
		{name: "(d) the TSA CA's only CRL ended before genTime",
			crls: [][]byte{rootCRL, caCRL, mkCRL(t, p.tsaCA, gen.Add(-10*24*time.Hour), gen.Add(-9*24*time.Hour))},
			ind:  Indeterminate, sub: TryLater, pending: true, check: StatusIndeterminate, detail: "нет списка отзыва", cause: "covers"},
		// The reviewer's case (REVIEW.md M1): what the time-stamp would
		// settle is left open for want of the TSA's CRL, not answered
		// REVOKED_NO_POE as if there were no time-stamp.
		{name: "(d) no CRL of the TSA's CA, signer revoked (superseded) an hour after genTime",
			crls: [][]byte{rootCRL, current(p.CA, entry(p.Leaf, gen.Add(time.Hour), superseded))},
			ind:  Indeterminate, sub: TryLater, pending: true, check: StatusIndeterminate,
			detail: "нет списка отзыва или ответа OCSP, действующего на время штампа", cause: "no CRL of"},
		{name: "(d) no CRL, revocation_freshness: warn keeps the time-stamp",
			crls: [][]byte{rootCRL, caCRL}, policy: map[Rule]Level{RuleRevocationFreshness: LevelWarn},
			ind: TotalPassed, tsValid: true, check: StatusIndeterminate, level: LevelWarn, detail: "не установлен"},
		{name: "(d) no CRL, revocation_freshness: ignore",
			crls: [][]byte{rootCRL, caCRL}, policy: map[Rule]Level{RuleRevocationFreshness: LevelIgnore},
			ind: TotalPassed, tsValid: true, check: StatusSkipped, detail: "не требуется политикой"},
		{name: "(b) revoked before genTime, revocation: warn keeps the time-stamp",
			crls:   [][]byte{rootCRL, caCRL, current(p.tsaCA, entry(p.tsa, gen.Add(-24*time.Hour), keyCompromise))},
			policy: map[Rule]Level{RuleRevocation: LevelWarn},
			ind:    TotalPassed, tsValid: true, check: StatusFailed, level: LevelWarn, detail: "компрометация ключа"},
		{name: "revocation: ignore asks nothing",
			crls: [][]byte{rootCRL, caCRL}, policy: map[Rule]Level{RuleRevocation: LevelIgnore},
			ind: TotalPassed, tsValid: true, check: StatusSkipped, detail: "правило «revocation» отключено"},
		{name: "the TSA's CA revoked before genTime",
			crls: [][]byte{current(p.Root, entry(p.tsaCA, gen.Add(-24*time.Hour), noReason)), caCRL, tsaGoodCRL},
			ind:  Indeterminate, sub: TimestampOrderFailure, check: StatusFailed, detail: "сертификат УЦ службы штампов времени «ООО «УЦ службы времени»»"},
		{name: "the TSA's CA revoked after genTime, superseded",
			crls: [][]byte{current(p.Root, entry(p.tsaCA, gen.Add(time.Hour), superseded)), caCRL, tsaGoodCRL},
			ind:  TotalPassed, tsValid: true, check: StatusPassed, detail: "сохраняют силу"},
		{name: "the TSA's CA revoked after genTime without a reasonCode: earlier certificates stand",
			crls: [][]byte{current(p.Root, entry(p.tsaCA, gen.Add(time.Hour), noReason)), caCRL, tsaGoodCRL},
			ind:  TotalPassed, tsValid: true, check: StatusPassed, detail: "сохраняют силу"},
		{name: "the TSA's CA revoked after genTime, cACompromise",
			crls: [][]byte{current(p.Root, entry(p.tsaCA, gen.Add(time.Hour), caCompromise)), caCRL, tsaGoodCRL},
			ind:  Indeterminate, sub: TimestampOrderFailure, check: StatusFailed, detail: "компрометация ключа удостоверяющего центра", cause: "cACompromise"},
		// The case a court meets: the time-stamp is what proves the
		// signature older than the signer's revocation.
		{name: "signer revoked after genTime, TSA good",
			crls: [][]byte{rootCRL, current(p.CA, entry(p.Leaf, gen.Add(24*time.Hour), keyCompromise)), tsaGoodCRL},
			ind:  TotalPassed, tsValid: true, check: StatusPassed},
		{name: "signer revoked after genTime, TSA revoked before genTime",
			crls: [][]byte{rootCRL, current(p.CA, entry(p.Leaf, gen.Add(24*time.Hour), keyCompromise)),
				current(p.tsaCA, entry(p.tsa, gen.Add(-24*time.Hour), keyCompromise))},
			ind: Indeterminate, sub: RevokedNoPOE, check: StatusFailed, detail: "компрометация ключа"},
		{name: "CAdES-X Long: the TSA CA's CRL carried in the signature",
			crls: [][]byte{rootCRL, caCRL},
			signer: func(s *testkit.SignerSpec) {
				s.XLong = &testkit.XLongSpec{Certificates: []*testkit.Certificate{p.tsaCA}, CRLs: [][]byte{tsaGoodCRL}}
			},
			ind: TotalPassed, tsValid: true, check: StatusPassed, detail: "не отозваны"},
		{name: "CAdES-X Long: a carried CRL lists the TSA revoked before genTime",
			crls: [][]byte{rootCRL, caCRL},
			signer: func(s *testkit.SignerSpec) {
				s.XLong = &testkit.XLongSpec{Certificates: []*testkit.Certificate{p.tsaCA},
					CRLs: [][]byte{current(p.tsaCA, entry(p.tsa, gen.Add(-24*time.Hour), keyCompromise))}}
			},
			ind: Indeterminate, sub: TimestampOrderFailure, check: StatusFailed, detail: "компрометация ключа"},
		{name: "CAdES-X Long: a carried OCSP response says the TSA is good",
			crls: [][]byte{rootCRL, caCRL},
			signer: func(s *testkit.SignerSpec) {
				ocsp, err := testkit.NewBasicOCSPResponse(&testkit.OCSPSpec{Responder: p.tsaCA, ProducedAt: gen.Add(time.Minute),
					Responses: []testkit.OCSPSingle{{Cert: p.tsa, Status: testkit.OCSPGood, ThisUpdate: gen.Add(time.Minute), NextUpdate: gen.Add(24 * time.Hour)}}})
				if err != nil {
					t.Fatal(err)
				}
				s.XLong = &testkit.XLongSpec{Certificates: []*testkit.Certificate{p.tsaCA}, OCSPs: [][]byte{ocsp},
					OCSPResponders: []*testkit.Certificate{p.tsaCA}, OCSPProducedAt: []time.Time{gen.Add(time.Minute)}}
			},
			ind: TotalPassed, tsValid: true, check: StatusPassed, detail: "ответ OCSP"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			crls := tc.crls
			if crls == nil {
				crls = [][]byte{rootCRL, caCRL, tsaGoodCRL}
			}
			cfg := Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER}, CRLs: crls}
			if tc.signer == nil {
				cfg.Intermediates = append(cfg.Intermediates, p.tsaCA.DER)
			}
			if tc.policy != nil {
				cfg.Policy = DefaultPolicy()
				cfg.Policy.Rules = tc.policy
			}
			v := newTestVerifier(t, cfg)
			s := bes(p.testPKI, testkit.SignerSpec{SigningTime: gen.Add(-time.Minute), SignatureTimeStamp: &testkit.TimeStampSpec{TSA: p.tsa, GenTime: gen}})
			if tc.signer != nil {
				tc.signer(&s)
			}
			doc := testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Signers: []testkit.SignerSpec{s}})
			r, err := v.Verify(context.Background(), Input{Signature: doc, ValidationTime: vt})
			if err != nil {
				t.Fatal(err)
			}
			msg := ""
			if tc.pending {
				msg = "статус отзыва сертификата службы штампов времени не установлен"
			}
			checkResult(t, r, tc.ind, tc.sub, msg)
			sig := r.Signatures[0]
			ts := sig.Timestamp
			if ts == nil {
				t.Fatal("no time-stamp in the result")
			}
			wantSource, wantBest, wantTS := TimeSourceValidationTime, vt, StatusFailed
			switch {
			case tc.tsValid:
				wantSource, wantBest, wantTS = TimeSourceTimestamp, gen, StatusPassed
			case tc.pending:
				wantTS = StatusIndeterminate
			}
			if sig.SigningTime.Source != wantSource || !sig.SigningTime.Best.Equal(wantBest) {
				t.Errorf("BST %s (%s), want %s (%s)", sig.SigningTime.Best, sig.SigningTime.Source, wantBest, wantSource)
			}
			if ts.Status != wantTS {
				t.Errorf("time-stamp status %s, want %s (detail %q)", ts.Status, wantTS, ts.Detail)
			}
			// Timestamp.Revocation: the TSA path's entries, TSA first,
			// with both digests of the evidence that decided each.
			if tc.policy[RuleRevocation] == LevelIgnore {
				if ts.Revocation != nil {
					t.Errorf("revocation not asked, yet Timestamp.Revocation %+v", ts.Revocation)
				}
			} else if len(ts.Revocation) != 2 || ts.TSA == nil || ts.Revocation[0].Serial != ts.TSA.Serial {
				t.Errorf("Timestamp.Revocation %+v, want the TSA's and its CA's entries", ts.Revocation)
			} else {
				for _, e := range ts.Revocation {
					if e.Source != "" && (len(e.EvidenceSHA256) != 64 || len(e.EvidenceStreebog256) != 64) {
						t.Errorf("Timestamp.Revocation entry %+v lacks an evidence digest", e)
					}
				}
				if tc.name == "(a) good" && (ts.Revocation[0].Status != RevocationGood || ts.Revocation[0].Source != "crl") {
					t.Errorf("Timestamp.Revocation[0] %+v, want good from a CRL", ts.Revocation[0])
				}
			}
			var c *Check
			for i := range sig.Checks {
				if sig.Checks[i].Name == CheckTSARevocation {
					if c != nil {
						t.Fatalf("two %s checks", CheckTSARevocation)
					}
					c = &sig.Checks[i]
				}
			}
			if c == nil {
				t.Fatalf("no %s check", CheckTSARevocation)
			}
			if c.Status != tc.check || c.Level != tc.level {
				t.Errorf("%s check %s/%q, want %s/%q: %s", CheckTSARevocation, c.Status, c.Level, tc.check, tc.level, c.Detail)
			}
			if tc.tsValid {
				if ts.Detail != "" || ts.Cause != "" {
					t.Errorf("valid time-stamp with detail %q cause %q", ts.Detail, ts.Cause)
				}
				if !strings.Contains(c.Detail, tc.detail) {
					t.Errorf("check detail %q, want it to say %q", c.Detail, tc.detail)
				}
				return
			}
			// Not valid: the time-stamp says why in Russian, the cause in
			// English, and so does the check that decided it.
			if !strings.Contains(ts.Detail, tc.detail) || !strings.Contains(ts.Cause, tc.cause) {
				t.Errorf("time-stamp detail %q cause %q, want them to say %q / %q", ts.Detail, ts.Cause, tc.detail, tc.cause)
			}
			if !strings.HasPrefix(ts.Cause, "tsa path: certificate ") {
				t.Errorf("time-stamp cause %q: want the technical cause", ts.Cause)
			}
			if c.Detail != ts.Detail && !strings.HasSuffix(c.Detail, ts.Detail) && !strings.Contains(c.Detail, tc.detail) {
				t.Errorf("check detail %q does not say what the time-stamp says (%q)", c.Detail, ts.Detail)
			}
			var tsCheck *Check
			for i := range sig.Checks {
				if sig.Checks[i].Name == CheckTimestamp {
					tsCheck = &sig.Checks[i]
				}
			}
			if tsCheck == nil || tsCheck.Status != wantTS || !strings.Contains(tsCheck.Detail, tc.detail) {
				t.Errorf("signature-timestamp check %+v, want %s saying %q", tsCheck, wantTS, tc.detail)
			}
			if tc.pending {
				for _, c := range sig.Checks {
					if strings.Contains(c.Detail, "штампа времени, доказывающего") {
						t.Errorf("check %s says there is no time-stamp: %q", c.Name, c.Detail)
					}
				}
			}
		})
	}
}

// TestVerifyTSAFallback: a signature with two time-stamps whose earlier
// one comes from a TSA revoked before its genTime rests BST on the later
// one, from a TSA that stands; when both TSAs are revoked, the earlier
// token's failure is reported, as with one token.
func TestVerifyTSAFallback(t *testing.T) {
	p := tsaTestSetup(t)
	vt := refTime
	gen1, gen2 := vt.Add(-48*time.Hour), vt.Add(-47*time.Hour)
	tsa2Key := testkit.MustKey(gost3410.GOST2012_256, oid.CryptoProA, "gostsig/tsa_revocation_test/tsa-2")
	const first, second = "Служба штампов времени (тест отзыва)", "Вторая служба штампов времени"
	tsa2 := testkit.MustCertificate(testkit.TSATemplate(tsa2Key, testkit.CommonName(second),
		testkit.LeafNotBefore, testkit.LeafNotAfter), p.tsaCA)
	revoked := func(cs ...*testkit.Certificate) []byte {
		var es []testkit.CRLEntry
		for _, c := range cs {
			es = append(es, testkit.CRLEntry{Serial: c.SerialInt(), RevokedAt: gen1.Add(-24 * time.Hour), Reason: 1, HasReason: true})
		}
		return mkCRL(t, p.tsaCA, vt.Add(-24*time.Hour), vt.Add(7*24*time.Hour), es...)
	}
	rootCRL := mkCRL(t, p.Root, vt.Add(-24*time.Hour), vt.Add(7*24*time.Hour))
	caCRL := mkCRL(t, p.CA, vt.Add(-24*time.Hour), vt.Add(7*24*time.Hour))
	// The later token is added first, so that the order of the
	// attributes is not the order of genTime.
	spec := bes(p.testPKI, testkit.SignerSpec{SigningTime: gen1.Add(-time.Minute)})
	spec.UnsignedFunc = func(sig []byte) []testkit.Attribute {
		var attrs []testkit.Attribute
		for _, ts := range []testkit.TimeStampSpec{{TSA: tsa2, GenTime: gen2}, {TSA: p.tsa, GenTime: gen1}} {
			tok, err := testkit.NewTimeStampToken(&ts, sig)
			if err != nil {
				t.Fatal(err)
			}
			attrs = append(attrs, testkit.Attribute{Type: oid.AttrSignatureTimeStamp, Values: [][]byte{tok}})
		}
		return attrs
	}
	doc := testkit.MustSignedData(&testkit.SignedDataSpec{Content: testContent, Signers: []testkit.SignerSpec{spec}})
	for _, tc := range []struct {
		name     string
		tsaCRL   []byte
		ind      Indication
		sub      SubIndication
		wantBest time.Time
		wantTSA  string // common name
	}{
		{"both TSAs stand: the earlier token", revoked(), TotalPassed, NoSubIndication, gen1, first},
		{"earlier TSA revoked: the later token", revoked(p.tsa), TotalPassed, NoSubIndication, gen2, second},
		{"later TSA revoked: the earlier token", revoked(tsa2), TotalPassed, NoSubIndication, gen1, first},
		{"both revoked: the earlier token's failure", revoked(p.tsa, tsa2), Indeterminate, TimestampOrderFailure, vt, first},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := newTestVerifier(t, Config{Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER, p.tsaCA.DER},
				CRLs: [][]byte{rootCRL, caCRL, tc.tsaCRL}})
			r, err := v.Verify(context.Background(), Input{Signature: doc, ValidationTime: vt})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, tc.ind, tc.sub, "")
			sig := r.Signatures[0]
			if !sig.SigningTime.Best.Equal(tc.wantBest) {
				t.Errorf("BST %s (%s), want %s", sig.SigningTime.Best, sig.SigningTime.Source, tc.wantBest)
			}
			if sig.Timestamp == nil || sig.Timestamp.TSA == nil || sig.Timestamp.TSA.CommonName != tc.wantTSA {
				t.Errorf("time-stamp %+v, want the one of %q", sig.Timestamp, tc.wantTSA)
			}
			n := 0
			for _, c := range sig.Checks {
				if c.Name == CheckTSARevocation {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d tsa-revocation checks, want the chosen token's one", n)
			}
		})
	}
}
