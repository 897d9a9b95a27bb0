//go:build ignore

// gen_example builds the example case of the commission report: a test
// GOST PKI (internal/testkit), two detached CAdES signatures over two
// documents, CRLs, and the case file's inputs under examples/report/; and
// the verifier results the report tests render (report/testdata/results/).
//
// Run from the repository root:
//
//	go run ./report/testdata/gen_example.go
//
// Everything is deterministic (testkit.NewRand seeds), so regenerating
// changes no byte unless testkit or this program changed.
//
// The results are a fixture written by hand from what this program built:
// the expected verdict of each signature under validation-policy.md. The
// report renders them in its golden tests; TestExampleVerifierAgrees
// checks that the real gostsig.Verifier gives the same indications.
package main

import (
	"crypto/sha1"
	"crypto/sha256"
	"encoding/asn1"
	"encoding/hex"
	"encoding/json"
	"log"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/gostsig"
	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

const (
	exampleDir = "examples/report"
	resultsDir = "report/testdata/results"
)

// checkTime is the example's check time (case.yaml check_time).
var checkTime = time.Date(2025, 6, 10, 7, 0, 0, 0, time.UTC)

const contract = `ДОГОВОР ПОСТАВКИ № 12

г. Самара                                                   30 мая 2025 г.

ООО «Ромашка» (Поставщик) и ООО «Василёк» (Покупатель) заключили настоящий
договор о нижеследующем.

1. Поставщик передаёт Покупателю канцелярские товары по спецификации
   (приложение № 1) на сумму 150 000 (сто пятьдесят тысяч) рублей 00 копеек.
2. Срок поставки — 10 рабочих дней с даты подписания договора.
3. Договор подписан усиленными квалифицированными электронными подписями
   сторон и равнозначен договору на бумажном носителе (ст. 6 Федерального
   закона от 06.04.2011 № 63-ФЗ «Об электронной подписи»).
`

const act = `АКТ № 7 приёма-передачи товара

г. Самара                                                   30 мая 2025 г.

Поставщик передал, а Покупатель принял товар по договору поставки № 12
на сумму 150 000 (сто пятьдесят тысяч) рублей 00 копеек. Претензий нет.
`

func main() {
	log.SetFlags(0)
	pki := testkit.MustPKI("gostsig report example")
	ivanov := must(pki.NewLeaf("example/ivanov", gost3410.GOST2012_256, oid.CryptoProXchA, func(t *testkit.CertTemplate) {
		t.Subject = testkit.PersonName("Иванов", "Иван Иванович", "12345678964", "631512345654").
			With(oid.Title, "Генеральный директор").
			With(oid.Organization, "ООО «Ромашка»").
			With(oid.OGRN, "1026300001232").
			With(oid.INNLE, "6315001231").
			With(oid.EmailAddress, "director@romashka.example")
	}))
	smirnova := must(pki.NewLeaf("example/smirnova", gost3410.GOST2012_512, oid.TC26_512A, func(t *testkit.CertTemplate) {
		t.Subject = testkit.PersonName("Смирнова", "Мария Сергеевна", "11223344595", "500100732259").
			With(oid.Title, "Главный бухгалтер").
			With(oid.Organization, "ООО «Ромашка»").
			With(oid.OGRN, "1026300001232").
			With(oid.INNLE, "6315001231")
	}))
	tsa := must(pki.NewTSA("example/tsa"))

	// 1. The contract: CAdES-T, time-stamped one second before the
	// claimed signingTime, as real КриптоПро files are.
	signed1 := time.Date(2025, 5, 30, 9, 15, 3, 0, time.UTC)
	ts1 := signed1.Add(-time.Second)
	sig1 := must(testkit.NewSignedData(&testkit.SignedDataSpec{
		Content:  []byte(contract),
		Detached: true,
		Signers: []testkit.SignerSpec{{
			Cert: ivanov, SigningTime: signed1, SigningCertV2: true,
			SignatureTimeStamp: &testkit.TimeStampSpec{TSA: tsa, GenTime: ts1},
		}},
	}))
	// 2. The act: CAdES-BES over the original text; the file submitted was
	// changed afterwards (the amount), so its hash no longer matches.
	signed2 := time.Date(2025, 5, 30, 14, 40, 0, 0, time.UTC)
	sig2 := must(testkit.NewSignedData(&testkit.SignedDataSpec{
		Content:  []byte(act),
		Detached: true,
		Signers:  []testkit.SignerSpec{{Cert: smirnova, SigningTime: signed2, SigningCertV2: true}},
	}))
	changedAct := strings.Replace(act, "150 000 (сто пятьдесят тысяч)", "180 000 (сто восемьдесят тысяч)", 1)

	// CRLs: the CA's weekly CRL and the root's half-yearly one. Some other
	// certificate is revoked on the CA's list.
	caCRL := must(testkit.NewCRL(&testkit.CRLTemplate{
		ThisUpdate: time.Date(2025, 6, 9, 0, 0, 0, 0, time.UTC),
		NextUpdate: time.Date(2025, 6, 16, 0, 0, 0, 0, time.UTC),
		Number:     big.NewInt(42),
		Entries: []testkit.CRLEntry{{Serial: big.NewInt(0x4d2a17), RevokedAt: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC),
			Reason: testkit.ReasonKeyCompromise, HasReason: true}},
	}, pki.CA))
	rootCRL := must(testkit.NewCRL(&testkit.CRLTemplate{
		ThisUpdate: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
		NextUpdate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
		Number:     big.NewInt(7),
	}, pki.Root))

	files := map[string][]byte{
		"dogovor.txt":     []byte(contract),
		"dogovor.txt.sig": sig1,
		"akt.txt":         []byte(changedAct),
		"akt.txt.sig":     sig2,
		"ca.cer":          pki.CA.DER,
		"root.cer":        pki.Root.DER,
		"ca.crl":          caCRL,
		"root.crl":        rootCRL,
	}
	for name, data := range files {
		write(filepath.Join(exampleDir, name), data)
	}

	// The expected verifier results.
	chain := func(leaf *testkit.Certificate) []gostsig.ChainCert {
		var out []gostsig.ChainCert
		for _, c := range []*testkit.Certificate{leaf, pki.CA, pki.Root} {
			p := parse(c)
			out = append(out, gostsig.ChainCert{Subject: p.Subject.String(), Issuer: p.Issuer.String(),
				Serial: serial(p), NotBefore: p.NotBefore, NotAfter: p.NotAfter, SHA1: thumb(p), Anchor: c == pki.Root})
		}
		return out
	}
	revocation := func(leaf *testkit.Certificate) []gostsig.Revocation {
		l, ca, root := parse(leaf), parse(pki.CA), parse(pki.Root)
		return []gostsig.Revocation{
			{Serial: serial(l), Subject: l.Subject.String(), Status: gostsig.RevocationGood, Source: "crl",
				CRLIssuer: ca.Subject.String(), CRLNumber: "42",
				ThisUpdate: time.Date(2025, 6, 9, 0, 0, 0, 0, time.UTC), NextUpdate: time.Date(2025, 6, 16, 0, 0, 0, 0, time.UTC),
				EvidenceSHA256: sha(caCRL), EvidenceStreebog256: sb(caCRL)},
			{Serial: serial(ca), Subject: ca.Subject.String(), Status: gostsig.RevocationGood, Source: "crl",
				CRLIssuer: root.Subject.String(), CRLNumber: "7",
				ThisUpdate: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), NextUpdate: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
				EvidenceSHA256: sha(rootCRL), EvidenceStreebog256: sb(rootCRL)},
		}
	}
	passed := func(name, detail string) gostsig.Check {
		return gostsig.Check{Name: name, Status: gostsig.StatusPassed, Detail: detail}
	}

	res1 := &gostsig.Result{
		Indication: gostsig.TotalPassed, MessageRU: "Подпись действительна",
		Format: gostsig.FormatCMS, Profile: gostsig.ProfileCAdEST, ValidationTime: checkTime,
		Policy: gostsig.DefaultPolicyName,
		Signatures: []gostsig.Signature{{
			ID: "signer-1", Indication: gostsig.TotalPassed, MessageRU: gostsig.MessageRU(gostsig.TotalPassed, 0),
			// A test root is not a ГУЦ root, so the signature is valid but
			// not qualified (validation-policy.md, "Qualified certificate
			// profile"), as the verifier reports it.
			Profile: gostsig.ProfileCAdEST, Qualified: false,
			QualifiedReasons: []gostsig.Reason{
				{Code: "not-guc-root", MessageRU: "цепочка не ведёт к корневому сертификату Головного удостоверяющего центра"},
			},
			Algorithm: &gostsig.Algorithm{Name: "ГОСТ Р 34.10-2012, 256 бит", OID: "1.2.643.7.1.1.1.1",
				Digest: &gostsig.Algorithm{Name: "ГОСТ Р 34.11-2012 (Стрибог), 256 бит", OID: "1.2.643.7.1.1.2.2"}},
			Signer:      info(ivanov),
			SigningTime: gostsig.SigningTime{Best: ts1, Source: gostsig.TimeSourceTimestamp, Claimed: signed1},
			Timestamp:   &gostsig.Timestamp{GenTime: ts1, Status: gostsig.StatusPassed, TSA: info(tsa)},
			Chain:       chain(ivanov),
			Revocation:  revocation(ivanov),
			Checks: []gostsig.Check{
				passed(gostsig.CheckFormat, "CMS SignedData, отсоединённая подпись, CAdES-T"),
				passed(gostsig.CheckAlgorithm, "ГОСТ Р 34.10-2012 (256 бит) с ГОСТ Р 34.11-2012 (256 бит)"),
				passed(gostsig.CheckSignedData, "подписанный документ представлен отдельным файлом"),
				passed(gostsig.CheckMessageDigest, "хеш документа совпадает со значением атрибута messageDigest"),
				passed(gostsig.CheckSigningCertificate, "сертификат подписанта содержится в подписи"),
				passed(gostsig.CheckSigningCertRef, "атрибут signingCertificateV2 указывает на сертификат подписанта"),
				passed(gostsig.CheckSignatureValue, "подпись верна"),
				passed(gostsig.CheckTimestamp, "штамп времени действителен: подпись токена верна, хеш совпадает со значением подписи, служба штампов времени доверенная"),
				passed(gostsig.CheckClaimedTime, "заявленное время отличается от времени штампа на 1 с (допуск 5 мин)"),
				passed(gostsig.CheckChain, "цепочка из 3 сертификатов построена до доверенного корневого сертификата"),
				passed(gostsig.CheckCertificateSignature, "подписи всех сертификатов цепочки верны"),
				passed(gostsig.CheckNotYetValid, "сертификат действовал в момент подписания"),
				passed(gostsig.CheckValidityPeriod, "все сертификаты цепочки действовали в момент подписания"),
				passed(gostsig.CheckPrivateKeyUsage, "ключ подписи действовал в момент подписания"),
				passed(gostsig.CheckKeyUsage, "digitalSignature, nonRepudiation"),
				passed(gostsig.CheckRevocation, "сертификаты цепочки не отозваны (списки отзыва № 42 и № 7)"),
				passed(gostsig.CheckAlgorithmDate, "алгоритм допускается на момент подписания"),
				{Name: gostsig.CheckQualified, Status: gostsig.StatusFailed, Level: gostsig.LevelInform,
					Detail: "цепочка не ведёт к корневому сертификату Головного удостоверяющего центра"},
			},
		}},
	}
	claimed := testkit.Digest(oid.Streebog512, []byte(act))
	computed := testkit.Digest(oid.Streebog512, []byte(changedAct))
	res2 := &gostsig.Result{
		Indication: gostsig.TotalFailed, SubIndication: gostsig.HashFailure,
		MessageRU: gostsig.MessageRU(gostsig.TotalFailed, gostsig.HashFailure),
		Format:    gostsig.FormatCMS, Profile: gostsig.ProfileCAdESBES, ValidationTime: checkTime,
		Policy: gostsig.DefaultPolicyName,
		Signatures: []gostsig.Signature{{
			ID: "signer-1", Indication: gostsig.TotalFailed, SubIndication: gostsig.HashFailure,
			MessageRU: gostsig.MessageRU(gostsig.TotalFailed, gostsig.HashFailure),
			ReasonRU:  gostsig.HashFailure.ReasonRU(),
			Profile:   gostsig.ProfileCAdESBES, Qualified: false,
			QualifiedReasons: []gostsig.Reason{
				{Code: "not-valid", MessageRU: "подпись не признана действительной"},
				{Code: "not-guc-root", MessageRU: "цепочка не ведёт к корневому сертификату Головного удостоверяющего центра"},
			},
			Algorithm: &gostsig.Algorithm{Name: "ГОСТ Р 34.10-2012, 512 бит", OID: "1.2.643.7.1.1.1.2",
				Digest: &gostsig.Algorithm{Name: "ГОСТ Р 34.11-2012 (Стрибог), 512 бит", OID: "1.2.643.7.1.1.2.3"}},
			Signer:      info(smirnova),
			SigningTime: gostsig.SigningTime{Best: checkTime, Source: gostsig.TimeSourceValidationTime, Claimed: signed2},
			Chain:       chain(smirnova),
			Revocation:  revocation(smirnova),
			Checks: []gostsig.Check{
				passed(gostsig.CheckFormat, "CMS SignedData, отсоединённая подпись, CAdES-BES"),
				passed(gostsig.CheckAlgorithm, "ГОСТ Р 34.10-2012 (512 бит) с ГОСТ Р 34.11-2012 (512 бит)"),
				passed(gostsig.CheckSignedData, "подписанный документ представлен отдельным файлом"),
				{Name: gostsig.CheckMessageDigest, Status: gostsig.StatusFailed, Detail: "документ изменён после подписания: хеш содержимого не совпадает со значением атрибута messageDigest"},
				passed(gostsig.CheckSigningCertificate, "сертификат подписанта содержится в подписи"),
				passed(gostsig.CheckSigningCertRef, "атрибут signingCertificateV2 указывает на сертификат подписанта"),
				passed(gostsig.CheckSignatureValue, "подпись подписанных атрибутов верна"),
				{Name: gostsig.CheckTimestamp, Status: gostsig.StatusSkipped, Detail: "штампа времени нет"},
				passed(gostsig.CheckChain, "цепочка из 3 сертификатов построена до доверенного корневого сертификата"),
				passed(gostsig.CheckCertificateSignature, "подписи всех сертификатов цепочки верны"),
				passed(gostsig.CheckNotYetValid, "сертификат действовал на время проверки"),
				passed(gostsig.CheckValidityPeriod, "все сертификаты цепочки действуют на время проверки"),
				passed(gostsig.CheckPrivateKeyUsage, "ключ подписи действует на время проверки"),
				passed(gostsig.CheckKeyUsage, "digitalSignature, nonRepudiation"),
				passed(gostsig.CheckRevocation, "сертификаты цепочки не отозваны (списки отзыва № 42 и № 7)"),
				passed(gostsig.CheckAlgorithmDate, "алгоритм допускается на время проверки"),
				{Name: gostsig.CheckQualified, Status: gostsig.StatusFailed, Level: gostsig.LevelInform,
					Detail: "подпись не признана действительной; цепочка не ведёт к корневому сертификату Головного удостоверяющего центра"},
			},
			Diagnostic: &gostsig.Diagnostic{DigestAlgorithm: "streebog512",
				ComputedDigest: hex.EncodeToString(computed), ClaimedDigest: hex.EncodeToString(claimed)},
		}},
	}
	writeJSON(filepath.Join(resultsDir, "dogovor.txt.sig.json"), res1)
	writeJSON(filepath.Join(resultsDir, "akt.txt.sig.json"), res2)
}

func info(c *testkit.Certificate) *gostsig.CertInfo {
	p := parse(c)
	s := &p.Subject
	lookup := func(t asn1.ObjectIdentifier) string {
		a, ok := s.Lookup(t)
		if !ok {
			return ""
		}
		return a.Value
	}
	inn, _ := s.INN()
	innle, _ := s.INNLE()
	ogrn, _ := s.OGRN()
	snils, _ := s.SNILS()
	ci := &gostsig.CertInfo{
		Subject: s.String(), CommonName: s.CommonName(), Serial: serial(p), Issuer: p.Issuer.String(),
		INN: inn, INNLE: innle, OGRN: ogrn, SNILS: snils,
		Surname: lookup(oid.Surname), GivenName: lookup(oid.GivenName), Title: lookup(oid.Title),
		Organization: s.Organization(), Email: lookup(oid.EmailAddress),
		NotBefore: p.NotBefore, NotAfter: p.NotAfter, SHA1: thumb(p),
	}
	if !p.PrivateKeyUsage.NotBefore.IsZero() {
		ci.PrivateKeyNotBefore, ci.PrivateKeyNotAfter = p.PrivateKeyUsage.NotBefore, p.PrivateKeyUsage.NotAfter
	}
	return ci
}

func parse(c *testkit.Certificate) *cert.Certificate { return must(cert.Parse(c.DER)) }

func serial(c *cert.Certificate) string { return strings.ToUpper(hex.EncodeToString(c.RawSerial)) }

func thumb(c *cert.Certificate) string {
	s := sha1.Sum(c.Raw)
	return strings.ToUpper(hex.EncodeToString(s[:]))
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
func sb(b []byte) string  { s := streebog.Sum256(b); return hex.EncodeToString(s[:]) }

func write(name string, data []byte) {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		log.Fatal(err)
	}
}

func writeJSON(name string, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		log.Fatal(err)
	}
	write(name, append(b, '\n'))
}

func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}
