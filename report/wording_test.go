package report

import (
	"context"
	"math/big"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gostsig.dev/gostsig"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// The conclusion's wording for results the real verifier gives: each test
// signs with the project's test PKI, verifies with gostsig.Verifier and
// renders the example case with that result for every signature file.

// wordingPKI is the test PKI, made once.
var wordingPKI = sync.OnceValue(func() *testkit.PKI { return testkit.MustPKI("report/wording_test") })

// resultVerifier verifies one prepared input, whatever the case names.
type resultVerifier struct {
	v  *gostsig.Verifier
	in gostsig.Input
}

func (rv *resultVerifier) Verify(ctx context.Context, in gostsig.Input) (*gostsig.Result, error) {
	x := rv.in
	x.ValidationTime = in.ValidationTime
	return rv.v.Verify(ctx, x)
}

func wordingCRL(t *testing.T, issuer *testkit.Certificate, at time.Time, entries ...testkit.CRLEntry) []byte {
	t.Helper()
	der, err := testkit.NewCRL(&testkit.CRLTemplate{ThisUpdate: at.Add(-24 * time.Hour), NextUpdate: at.Add(7 * 24 * time.Hour),
		Number: big.NewInt(at.Unix()), Entries: entries}, issuer)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// verifiedConclusion returns the text conclusion for sig verified at at
// against the test PKI with current CRLs (entries revoked by the CA).
func verifiedConclusion(t *testing.T, sig []byte, at time.Time, entries ...testkit.CRLEntry) string {
	t.Helper()
	p := wordingPKI()
	v, err := gostsig.New(gostsig.Config{Offline: true, Roots: [][]byte{p.Root.DER}, Intermediates: [][]byte{p.CA.DER},
		CRLs: [][]byte{wordingCRL(t, p.Root, at), wordingCRL(t, p.CA, at, entries...)}, Clock: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	c, err := LoadCase(filepath.Join(exampleDir, "case.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), c, Options{At: at, Verifier: &resultVerifier{v: v, in: gostsig.Input{Signature: sig}}, Software: "gostsig test"})
	if err != nil {
		t.Fatal(err)
	}
	return string(render(t, r, ModeConclusion, Text))
}

func wordingSignature(p *testkit.PKI, s testkit.SignerSpec) []byte {
	s.Cert = p.Leaf
	if s.SigningTime.IsZero() {
		s.SigningTime = testkit.RefTime.Add(-time.Hour)
	}
	s.SigningCertV2, s.SigningCertHashOID = true, oid.Streebog256
	return testkit.MustSignedData(&testkit.SignedDataSpec{Content: []byte("документ\n"), Signers: []testkit.SignerSpec{s}})
}

func assertText(t *testing.T, text string, want, wantNot []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("conclusion lacks %q", w)
		}
	}
	for _, w := range wantNot {
		if i := strings.Index(text, w); i >= 0 {
			t.Errorf("conclusion says %q: …%s…", w, text[max(0, i-200):min(len(text), i+200)])
		}
	}
}

// TestConclusionExpiredNoPOE: a certificate expired at the check, no
// time-stamp: the conclusion must not state it was invalid when the
// document was signed (QA2 F1).
func TestConclusionExpiredNoPOE(t *testing.T) {
	p := wordingPKI()
	at := testkit.LeafNotAfter.Add(24 * time.Hour)
	text := verifiedConclusion(t, wordingSignature(p, testkit.SignerSpec{}), at)
	assertText(t, text,
		[]string{"OUT_OF_BOUNDS_NO_POE", "не действует на время проверки (02.01.2039)", "момент подписания не подтверждён штампом времени"},
		[]string{"не действовал в момент подписания", "время подписи"})
}

// TestConclusionCertificateHold: a suspended certificate is «действие
// приостановлено» in the conclusion, never «отозван»; reasons in Russian
// (QA2 F6, F5).
func TestConclusionCertificateHold(t *testing.T) {
	p := wordingPKI()
	at := testkit.RefTime
	hold := testkit.CRLEntry{Serial: p.Leaf.SerialInt(), RevokedAt: at.Add(-48 * time.Hour), Reason: 6, HasReason: true}
	text := verifiedConclusion(t, wordingSignature(p, testkit.SignerSpec{}), at, hold)
	assertText(t, text,
		[]string{"REVOKED_NO_POE", "действие сертификата подписанта приостановлено", "ДЕЙСТВИЕ ПРИОСТАНОВЛЕНО", "причина: приостановление действия сертификата"},
		[]string{"ОТОЗВАН", "отозван 30.05", "certificateHold"})

	kc := testkit.CRLEntry{Serial: p.Leaf.SerialInt(), RevokedAt: at.Add(-48 * time.Hour), Reason: 1, HasReason: true}
	text = verifiedConclusion(t, wordingSignature(p, testkit.SignerSpec{}), at, kc)
	assertText(t, text, []string{"ОТОЗВАН", "причина: компрометация ключа"}, []string{"keyCompromise"})
}

// TestConclusionValidNonQualified: a valid signature under a test root
// (QA2 F5): the summary says it is not qualified, the deciding checks are
// those that passed, the failed inform check is listed for information,
// the chain heading names the actual root, format is said once, names are
// unescaped and nothing is in English.
func TestConclusionValidNonQualified(t *testing.T) {
	p := wordingPKI()
	text := verifiedConclusion(t, wordingSignature(p, testkit.SignerSpec{}), testkit.RefTime)
	assertText(t, text,
		[]string{"действительны, но не являются квалифицированными (причины — в разделе 5)",
			"Подпись действительна, но не является квалифицированной: ",
			"Результат определили следующие проверки:\n  – ",
			"Для сведения (на результат не влияет):\n  – Квалифицированный сертификат",
			"Цепочка сертификатов до доверенного корневого сертификата «"},
		[]string{"Цепочка сертификатов до корневого сертификата Головного", `\"`, `\,`, "serial", "Установлено:"})
	decided := text[strings.Index(text, "Результат определили следующие проверки:"):]
	decided = decided[:strings.Index(decided, "Для сведения")]
	if strings.Contains(decided, "не пройдена") || !strings.Contains(decided, "— пройдена") {
		t.Errorf("deciding checks of a valid signature: %s", decided)
	}
	// The document-level and the signature-level format checks agree:
	// one line says both.
	if n, m := strings.Count(text, "[format]"), strings.Count(text, "подписей: 1); структура подписи разобрана"); n == 0 || n != m {
		t.Errorf("%d format lines, %d of them with both levels' details", n, m)
	}
}

// TestConclusionInvalidTimestamp: a time-stamp is on the signature but does
// not prove the moment (the TSA's certificate was revoked for key
// compromise a day before its genTime): the conclusion must not say the
// time-stamp is absent, and says why it was not accepted.
func TestConclusionInvalidTimestamp(t *testing.T) {
	p := wordingPKI()
	tsa, err := p.NewTSA("report/wording_test/tsa") // issued by p.CA
	if err != nil {
		t.Fatal(err)
	}
	at := testkit.RefTime
	gen := at.Add(-48 * time.Hour)
	sig := wordingSignature(p, testkit.SignerSpec{SigningTime: gen.Add(-time.Minute),
		SignatureTimeStamp: &testkit.TimeStampSpec{TSA: tsa, GenTime: gen}})
	revoked := testkit.CRLEntry{Serial: tsa.SerialInt(), RevokedAt: gen.Add(-24 * time.Hour), Reason: 1, HasReason: true}
	text := verifiedConclusion(t, sig, at, revoked)
	assertText(t, text,
		[]string{"штамп времени на подписи есть, но не признан действительным", "компрометация ключа",
			"Отсутствие сертификатов службы штампов времени в списках отзыва"},
		[]string{"штамп времени отсутствует", "Момент подписания доказан штампом времени"})

	// The same signature with the TSA in good standing: the moment is proven.
	text = verifiedConclusion(t, sig, at)
	assertText(t, text, []string{"Момент подписания доказан штампом времени",
		// the TSA path's revocation evidence has its own table
		"Сведения об отзыве сертификатов службы штампов времени (на время штампа 30.05.2025",
		"Тестовая служба штампов времени"}, []string{"не признан действительным"})
}
