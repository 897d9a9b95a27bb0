package gostsig

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/internal/oid"
)

var (
	tVal   = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC) // validation time of the tests
	tSign  = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)   // a time-stamp's genTime
	tLeaf0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tLeaf1 = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
)

func fakeCert(cn string, nb, na time.Time, ca bool) *cert.Certificate {
	return &cert.Certificate{
		SerialNumber:       big.NewInt(int64(len(cn)) + 100),
		Subject:            cert.Name{Attributes: []cert.Attribute{{Type: oid.CommonName, Tag: 12, Value: cn}}},
		Issuer:             cert.Name{Attributes: []cert.Attribute{{Type: oid.CommonName, Tag: 12, Value: "issuer"}}},
		NotBefore:          nb,
		NotAfter:           na,
		IsCA:               ca,
		SignatureAlgorithm: oid.Gost2012SignWith256,
		IdentificationKind: -1,
		MaxPathLen:         -1,
	}
}

// goodFacts is a signature that passes every row at tVal.
func goodFacts() *sigFacts {
	leaf := fakeCert("leaf", tLeaf0, tLeaf1, false)
	ca := fakeCert("ca", tLeaf0.AddDate(-5, 0, 0), tLeaf1.AddDate(5, 0, 0), true)
	root := fakeCert("root", tLeaf0.AddDate(-10, 0, 0), tLeaf1.AddDate(10, 0, 0), true)
	return &sigFacts{
		id: "signer-1", profile: ProfileCAdESBES,
		sigAlgOID: oid.Gost2012Key256, digestAlgOID: oid.Streebog256, alg: algGOST2012_256,
		digests:     []digestFact{{check: CheckMessageDigest, target: "content", ok: true}},
		signer:      leaf,
		sigValueOK:  true,
		chain:       []*cert.Certificate{leaf, ca, root},
		chainStatus: chainOK,
		revocation: []revFact{
			{cert: leaf, status: RevocationGood},
			{cert: ca, status: RevocationGood},
		},
		claimed: tSign,
	}
}

func TestDecisionTable(t *testing.T) {
	tsValid := func(f *sigFacts) { f.ts = &tsFact{valid: true, genTime: tSign} }
	gost2001 := func(f *sigFacts) {
		f.alg, f.sigAlgOID, f.digestAlgOID = algGOST2001, oid.GostR3410_2001, oid.GostR3411_94
	}
	tests := []struct {
		name string
		mod  func(f *sigFacts)
		vt   time.Time
		pol  func(p *Policy)
		ind  Indication
		sub  SubIndication
		msg  string // substring of MessageRU
	}{
		{name: "passes", mod: func(f *sigFacts) {}, ind: TotalPassed, msg: "Подпись действительна"},
		{name: "format", mod: func(f *sigFacts) { f.formatErr = "cms: malformed signerInfo"; f.alg = algUnknown; f.sigAlgOID = nil },
			ind: TotalFailed, sub: FormatFailure},
		{name: "non-GOST algorithm", mod: func(f *sigFacts) {
			f.alg, f.badAlgOID = algUnknown, "1.2.840.113549.1.1.11"
		}, ind: Indeterminate, sub: CryptoConstraintsFailure, msg: "1.2.840.113549.1.1.11"},
		{name: "detached without content", mod: func(f *sigFacts) {
			f.signedDataMissing = "отсоединённая подпись: документ не передан"
			f.digests = nil
		}, ind: Indeterminate, sub: SignedDataNotFound},
		{name: "digest mismatch beats everything below", mod: func(f *sigFacts) {
			f.digests[0].ok = false
			f.sigValueOK = false
			f.chainStatus = chainNotFound
		}, ind: TotalFailed, sub: HashFailure, msg: "документ изменён после подписания"},
		{name: "no signer certificate", mod: func(f *sigFacts) { f.signer = nil; f.chain = nil; f.revocation = nil },
			ind: Indeterminate, sub: NoSigningCertificateFound},
		{name: "bad signature", mod: func(f *sigFacts) { f.sigValueOK = false }, ind: TotalFailed, sub: SigCryptoFailure},
		{name: "untrusted", mod: func(f *sigFacts) { f.chainStatus = chainNotFound; f.chain = f.chain[:1]; f.revocation = nil },
			ind: Indeterminate, sub: NoCertificateChainFound},
		{name: "broken constraint", mod: func(f *sigFacts) { f.chainStatus = chainConstraints }, ind: Indeterminate, sub: ChainConstraintsFailure},
		{name: "signer keyUsage forbids signing", mod: func(f *sigFacts) {
			f.signer.KeyUsageValid, f.signer.KeyUsage = true, cert.KeyUsageKeyEncipherment
		}, ind: Indeterminate, sub: ChainConstraintsFailure},
		{name: "not yet valid", mod: func(f *sigFacts) {}, vt: tLeaf0.Add(-time.Hour), ind: TotalFailed, sub: NotYetValid},
		{name: "revoked before time-stamp", mod: func(f *sigFacts) {
			tsValid(f)
			f.revocation[0].status, f.revocation[0].revokedAt = RevocationRevoked, tSign.Add(-time.Hour)
		}, ind: TotalFailed, sub: Revoked},
		{name: "time-stamped then revoked", mod: func(f *sigFacts) {
			tsValid(f)
			f.revocation[0].status, f.revocation[0].revokedAt = RevocationRevoked, tSign.Add(time.Hour)
		}, ind: TotalPassed},
		{name: "revoked no POE", mod: func(f *sigFacts) {
			f.revocation[0].status, f.revocation[0].revokedAt = RevocationRevoked, tSign
		}, ind: Indeterminate, sub: RevokedNoPOE},
		{name: "CA revoked", mod: func(f *sigFacts) {
			f.revocation[1].status, f.revocation[1].revokedAt = RevocationRevoked, tSign
		}, ind: Indeterminate, sub: RevokedCANoPOE},
		{name: "signer and CA revoked: signer row first", mod: func(f *sigFacts) {
			f.revocation[0].status, f.revocation[0].revokedAt = RevocationRevoked, tSign
			f.revocation[1].status, f.revocation[1].revokedAt = RevocationRevoked, tSign
		}, ind: Indeterminate, sub: RevokedNoPOE},
		{name: "expired signer", mod: func(f *sigFacts) {}, vt: tLeaf1.Add(time.Hour), ind: Indeterminate, sub: OutOfBoundsNoPOE},
		{name: "expired signer, time-stamped inside validity", mod: tsValid, vt: tLeaf1.Add(time.Hour), ind: TotalPassed},
		{name: "expired CA", mod: func(f *sigFacts) { f.chain[1].NotAfter = tSign }, ind: Indeterminate, sub: OutOfBoundsNoPOE},
		{name: "private key usage period over", mod: func(f *sigFacts) {
			f.signer.PrivateKeyUsage = cert.Period{NotBefore: tLeaf0, NotAfter: tSign}
		}, ind: Indeterminate, sub: OutOfBoundsNoPOE, msg: "ключ"},
		{name: "private key usage period, time-stamped inside", mod: func(f *sigFacts) {
			tsValid(f)
			f.signer.PrivateKeyUsage = cert.Period{NotBefore: tLeaf0, NotAfter: tSign.Add(time.Hour)}
		}, ind: TotalPassed},
		{name: "GOST 2001 after 2019 without time-stamp", mod: gost2001, ind: Indeterminate, sub: CryptoConstraintsFailureNoPOE},
		{name: "GOST 2001 checked as of 2018", mod: func(f *sigFacts) {
			gost2001(f)
			f.chain[0].NotBefore = time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
			f.chain[1].NotBefore = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
			f.chain[2].NotBefore = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
		}, vt: time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC), ind: TotalPassed},
		{name: "GOST 2001 time-stamped in 2018", mod: func(f *sigFacts) {
			gost2001(f)
			f.chain[0].NotBefore = time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)
			f.ts = &tsFact{valid: true, genTime: time.Date(2018, 12, 31, 23, 0, 0, 0, time.UTC)}
			f.chain[1].NotBefore = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
			f.chain[2].NotBefore = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
			f.claimed = time.Time{}
		}, ind: TotalPassed},
		{name: "CA certificate signed with GOST 2001 after 2018", mod: func(f *sigFacts) {
			f.chain[1].SignatureAlgorithm = oid.GostR3411_94WithR3410
			f.chain[1].NotBefore = time.Date(2019, 2, 1, 0, 0, 0, 0, time.UTC)
		}, ind: Indeterminate, sub: CryptoConstraintsFailureNoPOE},
		{name: "no CRL", mod: func(f *sigFacts) { f.revocation[1].status = RevocationUnknown }, ind: Indeterminate, sub: TryLater},
		{name: "no CRL, freshness relaxed", mod: func(f *sigFacts) { f.revocation[1].status = RevocationUnknown },
			pol: func(p *Policy) { p.Rules = map[Rule]Level{RuleRevocationFreshness: LevelWarn} }, ind: TotalPassed},
		{name: "bad time-stamp", mod: func(f *sigFacts) { f.ts = &tsFact{valid: false, detail: "imprint mismatch", genTime: tSign} },
			ind: Indeterminate, sub: TimestampOrderFailure},
		{name: "time-stamp from the future", mod: func(f *sigFacts) { f.ts = &tsFact{valid: true, genTime: tVal.Add(time.Hour)} },
			ind: Indeterminate, sub: TimestampOrderFailure},
		{name: "claimed time after time-stamp", mod: func(f *sigFacts) { tsValid(f); f.claimed = tSign.Add(10 * time.Minute) },
			ind: Indeterminate, sub: TimestampOrderFailure},
		{name: "claimed time within skew", mod: func(f *sigFacts) { tsValid(f); f.claimed = tSign.Add(time.Second) }, ind: TotalPassed},
		{name: "trusted claimed time moves BST", mod: func(f *sigFacts) {
			f.revocation[0].status, f.revocation[0].revokedAt = RevocationRevoked, tSign.Add(time.Hour)
		}, pol: func(p *Policy) { p.TrustClaimedSigningTime = true }, ind: TotalPassed},
		{name: "validity rule warns only", mod: func(f *sigFacts) {}, vt: tLeaf1.Add(time.Hour),
			pol: func(p *Policy) { p.Rules = map[Rule]Level{RuleValidityPeriod: LevelWarn} }, ind: TotalPassed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := evaluateCase(tt.mod, tt.pol, tt.vt)
			if s.Indication != tt.ind || s.SubIndication != tt.sub {
				t.Errorf("got %v/%v, want %v/%v\nchecks: %+v", s.Indication, s.SubIndication, tt.ind, tt.sub, s.Checks)
			}
			if tt.msg != "" && !strings.Contains(s.MessageRU, tt.msg) {
				t.Errorf("MessageRU %q lacks %q", s.MessageRU, tt.msg)
			}
			if s.Indication != TotalPassed && s.ReasonRU == "" {
				t.Error("negative verdict without ReasonRU")
			}
			for _, c := range s.Checks {
				if c.Status == 0 {
					t.Errorf("check %s has no status", c.Name)
				}
			}
		})
	}
}

// evaluateCase evaluates goodFacts changed by mod under DefaultPolicy
// changed by pol (if not nil) at vt (tVal if zero): one row of a table.
func evaluateCase(mod func(*sigFacts), pol func(*Policy), vt time.Time) Signature {
	f := goodFacts()
	mod(f)
	p := DefaultPolicy()
	if pol != nil {
		pol(p)
	}
	if vt.IsZero() {
		vt = tVal
	}
	return p.evaluate(f, vt, nil)
}

func TestBestSignatureTime(t *testing.T) {
	p := DefaultPolicy()
	f := goodFacts()
	st, poe := p.bestSignatureTime(f, tVal)
	if st.Best != tVal || st.Source != TimeSourceValidationTime || poe || !st.Claimed.Equal(tSign) {
		t.Errorf("no time-stamp: %+v poe=%v", st, poe)
	}
	f.ts = &tsFact{valid: true, genTime: tSign.Add(-time.Second)}
	st, poe = p.bestSignatureTime(f, tVal)
	if !st.Best.Equal(tSign.Add(-time.Second)) || st.Source != TimeSourceTimestamp || !poe {
		t.Errorf("time-stamp: %+v", st)
	}
	f.ts.valid = false
	if st, _ = p.bestSignatureTime(f, tVal); st.Source != TimeSourceValidationTime {
		t.Errorf("invalid time-stamp moved BST: %+v", st)
	}
	p.TrustClaimedSigningTime = true
	if st, _ = p.bestSignatureTime(f, tVal); st.Source != TimeSourceClaimed || !st.Best.Equal(tSign) {
		t.Errorf("trusted claim: %+v", st)
	}
	f.claimed = tVal.Add(time.Hour) // a claim from the future is not believed
	if st, _ = p.bestSignatureTime(f, tVal); st.Source != TimeSourceValidationTime {
		t.Errorf("future claim: %+v", st)
	}
}

func TestAggregate(t *testing.T) {
	sig := func(i Indication, s SubIndication) Signature { return Signature{Indication: i, SubIndication: s} }
	tests := []struct {
		sigs []Signature
		ind  Indication
		sub  SubIndication
	}{
		{nil, TotalFailed, FormatFailure},
		{[]Signature{sig(TotalPassed, 0)}, TotalPassed, 0},
		{[]Signature{sig(TotalPassed, 0), sig(Indeterminate, TryLater), sig(Indeterminate, RevokedNoPOE)}, Indeterminate, TryLater},
		{[]Signature{sig(Indeterminate, TryLater), sig(TotalFailed, HashFailure), sig(TotalFailed, SigCryptoFailure)}, TotalFailed, HashFailure},
	}
	for i, tt := range tests {
		r := &Result{Signatures: tt.sigs}
		aggregate(r)
		if r.Indication != tt.ind || r.SubIndication != tt.sub || r.MessageRU == "" {
			t.Errorf("%d: got %v/%v %q, want %v/%v", i, r.Indication, r.SubIndication, r.MessageRU, tt.ind, tt.sub)
		}
	}
}

func TestFmtTime(t *testing.T) {
	for _, tm := range []time.Time{tVal, tSign, time.Date(1999, 12, 31, 23, 59, 59, 999, time.UTC), time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("MSK", 3*3600))} {
		if got, want := fmtTime(tm), tm.UTC().Format("02.01.2006 15:04:05 UTC"); got != want {
			t.Errorf("fmtTime(%v) = %q, want %q", tm, got, want)
		}
	}
}

// TestEvaluateAllocs bounds the policy engine's allocations for a passed
// signature (the hot path of every verification), with warm descriptions.
func TestEvaluateAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector changes allocation counts")
	}
	p := DefaultPolicy()
	f := goodFacts()
	var dc descCache
	p.evaluate(f, tVal, &dc)
	n := testing.AllocsPerRun(100, func() { p.evaluate(f, tVal, &dc) })
	if n > 16 {
		t.Errorf("%.0f allocations per evaluation, want ≤ 16 (28 before the signature time and the signer's own details were rendered once, 24 before the Signature's parts were allocated together, 20 before the passed checks' texts shared one buffer)", n)
	}
	t.Logf("%.0f allocations per evaluation", n)
}

// TestOutOfBoundsWording: without a time-stamp BST is the validation time,
// which says nothing about when the signature was made; no text may claim
// the certificate or key was invalid "в момент подписания" nor call that
// time "время подписи" (QA2 F1). With evidence the claim is made and the
// time named by its source.
func TestOutOfBoundsWording(t *testing.T) {
	expiredTS := func(f *sigFacts) { f.ts = &tsFact{valid: true, genTime: tLeaf1.Add(time.Minute)} }
	pkupOver := func(f *sigFacts) { f.signer.PrivateKeyUsage = cert.Period{NotBefore: tLeaf0, NotAfter: tSign} }
	tests := []struct {
		name    string
		mod     func(f *sigFacts)
		vt      time.Time
		pol     func(p *Policy)
		check   string
		want    []string // substrings of MessageRU
		wantNot []string // never in MessageRU nor in any check detail
		detail  string   // substring of the failed check's detail
	}{
		{name: "expired, no time-stamp", mod: func(f *sigFacts) {}, vt: tLeaf1.Add(time.Hour), check: CheckValidityPeriod,
			want:    []string{"не действует на время проверки (01.01.2027)", "истёк 01.01.2027", "момент подписания не подтверждён штампом времени", "действовал ли сертификат при подписании, нельзя"},
			wantNot: []string{"в момент подписания", "время подписи"}, detail: "(время проверки 01.01.2027 01:00:00 UTC)"},
		{name: "expired CA, no time-stamp", mod: func(f *sigFacts) { f.chain[1].NotAfter = tSign }, check: CheckValidityPeriod,
			want:    []string{"не действует на время проверки (22.11.2026)", "проверить, действовал ли сертификат при подписании, нельзя"},
			wantNot: []string{"в момент подписания", "время подписи"}, detail: "время проверки"},
		{name: "expired at the time-stamp", mod: expiredTS, vt: tLeaf1.Add(time.Hour), check: CheckValidityPeriod,
			want:    []string{"не действовал в момент подписания (время из штампа времени 01.01.2027 00:01:00 UTC)"},
			wantNot: []string{"время подписи", "не подтверждён"}, detail: "(время из штампа времени 01.01.2027 00:01:00 UTC)"},
		{name: "expired at the trusted claimed time", mod: func(f *sigFacts) { f.claimed = tLeaf1.Add(time.Minute) }, vt: tLeaf1.Add(time.Hour),
			pol: func(p *Policy) { p.TrustClaimedSigningTime = true }, check: CheckValidityPeriod,
			want:    []string{"не действовал на заявленное время подписания (01.01.2027 00:01:00 UTC)"},
			wantNot: []string{"время подписи", "в момент подписания"}, detail: "(заявленное время подписания 01.01.2027 00:01:00 UTC)"},
		{name: "private key usage period over, no time-stamp", mod: pkupOver, check: CheckPrivateKeyUsage,
			want:    []string{"срок действия ключа электронной подписи истёк 01.06.2025 10:00:00 UTC", "на время проверки (22.11.2026) ключ не действует", "использован ли ключ в период его действия, нельзя"},
			wantNot: []string{"использован после", "в момент подписания", "время подписи"}, detail: "время проверки 22.11.2026 12:00:00 UTC"},
		{name: "private key usage period over at the time-stamp", mod: func(f *sigFacts) {
			pkupOver(f)
			f.ts = &tsFact{valid: true, genTime: tSign.Add(time.Hour)}
		}, check: CheckPrivateKeyUsage,
			want:    []string{"использован после окончания срока его действия (время из штампа времени 01.06.2025 11:00:00 UTC)"},
			wantNot: []string{"время подписи", "не подтверждён"}, detail: "время из штампа времени"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := evaluateCase(tt.mod, tt.pol, tt.vt)
			if s.SubIndication != OutOfBoundsNoPOE {
				t.Fatalf("got %v/%v, want OUT_OF_BOUNDS_NO_POE", s.Indication, s.SubIndication)
			}
			for _, w := range tt.want {
				if !strings.Contains(s.MessageRU, w) {
					t.Errorf("MessageRU %q lacks %q", s.MessageRU, w)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(s.MessageRU, w) || strings.Contains(s.ReasonRU, w) {
					t.Errorf("MessageRU %q says %q", s.MessageRU, w)
				}
				for _, c := range s.Checks {
					if strings.Contains(c.Detail, w) {
						t.Errorf("check %s detail %q says %q", c.Name, c.Detail, w)
					}
				}
			}
			found := false
			for _, c := range s.Checks {
				if c.Name == tt.check && c.Status == StatusFailed {
					found = true
					if !strings.Contains(c.Detail, tt.detail) {
						t.Errorf("check %s detail %q lacks %q", c.Name, c.Detail, tt.detail)
					}
				}
			}
			if !found {
				t.Errorf("no failed %s check", tt.check)
			}
		})
	}
}

// TestHumanName: RFC 4514 escapes are for machines; people read the names
// unescaped (QA2 F5).
func TestHumanName(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`CN=ООО \"Тестовый УЦ\" (аккредитованный\, test),O=ООО \"Ромашка\",C=RU`, `CN=ООО "Тестовый УЦ" (аккредитованный, test), O=ООО "Ромашка", C=RU`},
		{`CN=\#1\ ,OU=a\+b\;c\<d\>\=\\`, `CN=#1 , OU=a+b;c<d>=\`},
		{`CN=line\0abreak`, `CN=line break`},
		{`CN=\d0\98`, `CN=И`},
		{`CN=plain`, `CN=plain`},
		{`CN=trailing\`, `CN=trailing\`},
	} {
		if got := HumanName(tt.in); got != tt.want {
			t.Errorf("HumanName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	c := fakeCert(`ООО "Тестовый УЦ"`, tLeaf0, tLeaf1, true)
	if got, want := certLabel(c), `«ООО "Тестовый УЦ"» (серийный номер `+c.SerialHex()+`)`; got != want {
		t.Errorf("certLabel = %q, want %q", got, want)
	}
}
