package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"gostsig.dev/gostsig"
)

// Section headings of the conclusion, in the order 001_*.txt §4.3.3 lists
// them (commission-report.md). Tests look for each of them in the PDF.
const (
	HeadCommission = "1. Состав комиссии"
	HeadBasis      = "2. Основание для проведения проверки"
	HeadResult     = "3. Результат проверки электронной подписи"
	HeadData       = "4. Данные, представленные комиссии для проведения проверки"
	HeadReport     = "5. Отчёт по выполненной проверке"
	HeadTimePlace  = "5.1. Время и место проведения проверки"
	HeadContent    = "5.2. Содержание и результаты проверки"
	HeadGrounds    = "5.3. Обоснование результатов проверки"
	HeadAnnex      = "Приложение. Доказательная база"
	HeadSignatures = "Подписи членов комиссии"
)

// Headings lists the conclusion's required section headings in order.
var Headings = []string{HeadCommission, HeadBasis, HeadResult, HeadData, HeadReport,
	HeadTimePlace, HeadContent, HeadGrounds, HeadAnnex, HeadSignatures}

var monthsGenitive = [...]string{"", "января", "февраля", "марта", "апреля", "мая", "июня",
	"июля", "августа", "сентября", "октября", "ноября", "декабря"}

// longDate is «10 июня 2025 г.».
func longDate(d Date) string {
	return fmt.Sprintf("%d %s %d г.", d.Day, monthsGenitive[d.Month], d.Year)
}

// fmtTime prints a time in the report's zone: 10.06.2025 10:00:00 (UTC+03:00).
func (r *Report) fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(r.Location).Format("02.01.2006 15:04:05 (UTC-07:00)")
}

func (r *Report) fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(r.Location).Format("02.01.2006")
}

func (r *Report) fmtPeriod(from, to time.Time) string {
	if from.IsZero() && to.IsZero() {
		return ""
	}
	return "с " + r.fmtTime(from) + "\nпо " + r.fmtTime(to)
}

var roleNames = map[string]string{RoleChair: "Председатель комиссии", RoleMember: "Член комиссии"}

var indicationRU = map[gostsig.Indication]string{
	gostsig.TotalPassed:   "ПОДПИСЬ ДЕЙСТВИТЕЛЬНА",
	gostsig.TotalFailed:   "ПОДПИСЬ НЕДЕЙСТВИТЕЛЬНА",
	gostsig.Indeterminate: "ДЕЙСТВИТЕЛЬНОСТЬ ПОДПИСИ НЕ ПОДТВЕРЖДЕНА",
}

func indicationText(ind gostsig.Indication, sub gostsig.SubIndication) string {
	s, ok := indicationRU[ind]
	if !ok {
		s = ind.String()
	}
	code := ind.String()
	if sub != gostsig.NoSubIndication {
		code += " / " + sub.String()
	}
	return s + " (" + code + ")"
}

var statusRU = map[gostsig.Status]string{
	gostsig.StatusPassed:        "пройдена",
	gostsig.StatusFailed:        "не пройдена",
	gostsig.StatusIndeterminate: "не определено",
	gostsig.StatusSkipped:       "не выполнялась",
}

func statusText(c gostsig.Check) string {
	s, ok := statusRU[c.Status]
	if !ok {
		s = c.Status.String()
	}
	switch c.Level {
	case gostsig.LevelWarn:
		s += " (предупреждение)"
	case gostsig.LevelInform:
		s += " (для сведения)"
	}
	return s
}

var revocationRU = map[gostsig.RevocationStatus]string{
	gostsig.RevocationGood:    "не отозван",
	gostsig.RevocationRevoked: "ОТОЗВАН",
	gostsig.RevocationUnknown: "статус не установлен",
}

// checkNames are the Russian names of the verifier's checks (Check.Name).
var checkNames = map[string]string{
	gostsig.CheckFormat:               "Формат подписи",
	gostsig.CheckUnambiguous:          "Однозначность структуры документа",
	gostsig.CheckAlgorithm:            "Алгоритмы подписи и хеширования (ГОСТ)",
	gostsig.CheckSignedData:           "Наличие подписанных данных",
	gostsig.CheckMessageDigest:        "Целостность документа (атрибут messageDigest)",
	gostsig.CheckReferenceDigest:      "Целостность подписанных элементов (DigestValue)",
	gostsig.CheckAttachmentDigest:     "Целостность вложения СМЭВ",
	gostsig.CheckSMEVEscaping:         "Экранирование СМЭВ (запасной вариант)",
	gostsig.CheckSigningCertificate:   "Наличие сертификата подписанта",
	gostsig.CheckSigningCertRef:       "Ссылка на сертификат подписанта (signingCertificateV2)",
	gostsig.CheckSignatureValue:       "Значение электронной подписи (ГОСТ Р 34.10)",
	gostsig.CheckChain:                "Цепочка сертификатов до доверенного корневого сертификата",
	gostsig.CheckNotYetValid:          "Начало действия сертификата подписанта",
	gostsig.CheckValidityPeriod:       "Срок действия сертификатов цепочки",
	gostsig.CheckPrivateKeyUsage:      "Срок действия ключа электронной подписи",
	gostsig.CheckRevocation:           "Отсутствие сертификатов в списках отзыва",
	gostsig.CheckAlgorithmDate:        "Допустимость алгоритма на момент подписания",
	gostsig.CheckTimestamp:            "Штамп времени подписи",
	gostsig.CheckTSARevocation:        "Отсутствие сертификатов службы штампов времени в списках отзыва",
	gostsig.CheckClaimedTime:          "Заявленное время подписания",
	gostsig.CheckKeyUsage:             "Назначение ключа (keyUsage)",
	gostsig.CheckQualified:            "Квалифицированный сертификат (Приказ ФСБ России № 795)",
	gostsig.CheckCertificateSignature: "Подписи сертификатов цепочки",
}

func checkName(name string) string {
	if s, ok := checkNames[name]; ok {
		return s + " [" + name + "]"
	}
	return name
}

var roleRU = map[string]string{
	RoleCase:        "дело (описание проверки)",
	RoleSignature:   "файл электронной подписи",
	RoleDocument:    "подписанный документ",
	RoleAttachment:  "вложение",
	RoleCertificate: "сертификат",
	RoleCRL:         "список отозванных сертификатов",
	RoleRoot:        "доверенный корневой сертификат",
	RolePolicy:      "политика проверки",
	RoleTSL:         "список аккредитованных УЦ (TSL)",
}

func yesNo(b bool) string {
	if b {
		return "да"
	}
	return "нет"
}

// plural picks the Russian form for n: one, few (2–4), many.
func plural(n int, one, few, many string) string {
	n10, n100 := n%10, n%100
	switch {
	case n10 == 1 && n100 != 11:
		return one
	case n10 >= 2 && n10 <= 4 && (n100 < 12 || n100 > 14):
		return few
	}
	return many
}

func sizeText(n int64) string {
	return strconv.FormatInt(n, 10) + " " + plural(int(n%100), "байт", "байта", "байт")
}

// sigRef is one signature with its place in the report.
type sigRef struct {
	n    int // 1-based over the whole report
	file *SignatureReport
	sig  *gostsig.Signature // nil: the file held no signature to judge
}

func (r *Report) sigRefs() []sigRef {
	var out []sigRef
	n := 0
	for i := range r.Signatures {
		f := &r.Signatures[i]
		if len(f.Result.Signatures) == 0 {
			n++
			out = append(out, sigRef{n: n, file: f})
			continue
		}
		for j := range f.Result.Signatures {
			n++
			out = append(out, sigRef{n: n, file: f, sig: &f.Result.Signatures[j]})
		}
	}
	return out
}

func (s sigRef) docName() string {
	if s.file.Title != "" {
		return "«" + s.file.Title + "»"
	}
	if s.file.Document != "" {
		return "«" + s.file.Document + "»"
	}
	return "«" + s.file.File + "»"
}

func signerName(ci *gostsig.CertInfo) string {
	if ci == nil {
		return "не установлен"
	}
	name := strings.TrimSpace(ci.Surname + " " + ci.GivenName)
	if name == "" {
		name = ci.CommonName
	}
	if name == "" {
		name = gostsig.HumanName(ci.Subject)
	}
	if ci.Organization != "" && ci.Organization != name {
		name += ", " + ci.Organization
	}
	return name
}

// conclusion builds the commission's conclusion.
func (r *Report) conclusion() *doc {
	c := r.Case
	var b blocks
	number := ""
	if c.Number != "" {
		number = " № " + c.Number
	}
	head := []string{c.CA.Name}
	if c.CA.Address != "" {
		head = append(head, c.CA.Address)
	}
	var ids []string
	if c.CA.INN != "" {
		ids = append(ids, "ИНН "+c.CA.INN)
	}
	if c.CA.OGRN != "" {
		ids = append(ids, "ОГРН "+c.CA.OGRN)
	}
	if len(ids) > 0 {
		head = append(head, strings.Join(ids, ", "))
	}
	b = append(b, block{kind: bTitle, lines: head, small: true})
	b.space()
	b = append(b, block{kind: bTitle, lines: []string{
		"ЗАКЛЮЧЕНИЕ" + number,
		"по результатам проверки действительности электронной подписи,",
		"использованной для подписания электронных документов",
	}})
	b.space()
	b = append(b, block{kind: bRight, lines: []string{longDate(dateOf(r.CheckTime))}})

	// 1. Commission.
	b.heading(1, HeadCommission)
	t := &table{cols: []column{{"№", 0.06, false}, {"Фамилия, имя, отчество", 0.32, false},
		{"Должность", 0.40, false}, {"Роль в комиссии", 0.22, false}}}
	for i, m := range c.Commission {
		t.rows = append(t.rows, []string{strconv.Itoa(i + 1), m.Name, m.Position, roleNames[m.Role]})
	}
	b.table(t)

	// 2. Basis.
	b.heading(1, HeadBasis)
	a := c.Application
	basis := a.Basis
	if basis == "" {
		basis = fmt.Sprintf("Заявление на подтверждение действительности электронной подписи, использованной для подписания электронных документов, № %s от %s.", a.Number, a.Date.Russian())
	}
	b.para(basis)
	appl := a.Applicant.Name
	var aids []string
	if a.Applicant.INN != "" {
		aids = append(aids, "ИНН "+a.Applicant.INN)
	}
	if a.Applicant.OGRN != "" {
		aids = append(aids, "ОГРН "+a.Applicant.OGRN)
	}
	if len(aids) > 0 {
		appl += " (" + strings.Join(aids, ", ") + ")"
	}
	b.kv(
		[2]string{"Заявитель", appl},
		[2]string{"Адрес заявителя", a.Applicant.Address},
		[2]string{"Представитель заявителя", a.Applicant.Representative},
		[2]string{"Заявление", fmt.Sprintf("№ %s от %s", a.Number, a.Date.Russian())},
		[2]string{"Дата получения заявления УЦ", r.Received.Russian()},
		[2]string{"Срок проведения проверки", fmt.Sprintf("10 рабочих дней с даты получения заявления — не позднее %s", r.Due.Russian())},
		[2]string{"Календарь рабочих дней", r.Calendar},
	)
	if r.CalendarUnsure {
		b.smallPara("Внимание: за часть периода постановление Правительства РФ о переносе выходных дней не учтено; срок рассчитан по ч. 2 ст. 112 ТК РФ и должен быть сверен с постановлением (раздел calendar дела).")
	}

	// 3. Result.
	refs := r.sigRefs()
	b.heading(1, HeadResult)
	t = &table{cols: []column{{"№", 0.06, false}, {"Документ и файл подписи", 0.30, false},
		{"Подписант", 0.28, false}, {"Результат проверки", 0.36, false}}}
	for _, s := range refs {
		doc := s.docName() + "\nфайл " + s.file.File
		if s.sig == nil {
			t.rows = append(t.rows, []string{strconv.Itoa(s.n), doc, "—",
				indicationText(s.file.Result.Indication, s.file.Result.SubIndication) + "\n" + s.file.Result.MessageRU})
			continue
		}
		t.rows = append(t.rows, []string{strconv.Itoa(s.n), doc, signerName(s.sig.Signer),
			indicationText(s.sig.Indication, s.sig.SubIndication) + "\n" + s.sig.MessageRU +
				"\nКвалифицированная электронная подпись: " + yesNo(s.sig.Qualified)})
	}
	b.table(t)
	b.para(r.verdictSentence(refs))

	// 4. Submitted data.
	b.heading(1, HeadData)
	b.para("Комиссии представлены следующие файлы (их размеры и контрольные суммы приведены в приложении):")
	t = &table{cols: []column{{"№", 0.06, false}, {"Назначение", 0.34, false}, {"Файл", 0.42, false}, {"Размер", 0.18, false}}}
	for _, e := range r.Evidence {
		if e.Role == RoleCase {
			continue
		}
		t.rows = append(t.rows, []string{strconv.Itoa(len(t.rows) + 1), roleRU[e.Role], e.Path, sizeText(e.Size)})
	}
	b.table(t)
	if len(c.Files.Roots) == 0 {
		b.para("Доверенные корневые сертификаты: сертификаты Головного удостоверяющего центра, встроенные в программное обеспечение.")
	}

	// 5. Report.
	b.heading(1, HeadReport)
	b.heading(2, HeadTimePlace)
	mode := "без обращения к сети: использованы только представленные данные и данные, содержащиеся в подписях"
	if !r.Offline {
		mode = "с получением по сети актуальных списков отзыва и сертификатов по адресам, указанным в сертификатах"
	}
	b.kv(
		[2]string{"Время проверки", r.fmtTime(r.CheckTime)},
		[2]string{"Место проверки", c.Place},
		[2]string{"Средство проверки", r.Software},
		[2]string{"Политика проверки", r.Policy},
		[2]string{"Режим проверки", mode},
	)

	b.heading(2, HeadContent)
	b.para("В соответствии с порядком подтверждения действительности электронной подписи комиссия с использованием специализированного программного обеспечения выполнила:")
	b.list(
		"проверку всех квалифицированных сертификатов, на основании которых сформированы электронные подписи;",
		"определение даты и времени формирования каждой электронной подписи и источника этих сведений;",
		"проверку целостности документа и математической корректности каждой подписи (ГОСТ Р 34.10, ГОСТ Р 34.11);",
		"проверку каждого сертификата в цепочке до корневого сертификата Головного удостоверяющего центра;",
		"проверку действительности всех сертификатов на момент проверки и их отсутствия в списках отозванных сертификатов.",
	)
	for _, s := range refs {
		r.signatureDetails(&b, s)
	}

	b.heading(2, HeadGrounds)
	for _, s := range refs {
		r.grounds(&b, s)
	}

	// Annex.
	b.heading(1, HeadAnnex)
	b.para("Сведения, достаточные для повторной проверки с тем же результатом: каждый представленный файл с размером и контрольными суммами (ГОСТ Р 34.11-2012 «Стрибог», 256 бит, и SHA-256), время проверки, доверенные корневые сертификаты, политика проверки и версия программного обеспечения.")
	t = &table{cols: []column{{"№", 0.05, false}, {"Файл и назначение", 0.23, false}, {"Размер", 0.11, false},
		{"Streebog-256 / SHA-256", 0.61, true}}}
	for i, e := range r.Evidence {
		t.rows = append(t.rows, []string{strconv.Itoa(i + 1), e.Path + "\n" + roleRU[e.Role], sizeText(e.Size),
			e.Streebog256 + "\n" + e.SHA256})
	}
	b.table(t)
	b.kv(
		[2]string{"Время проверки", r.fmtTime(r.CheckTime) + " = " + r.CheckTime.UTC().Format(time.RFC3339)},
		[2]string{"Средство проверки", r.Software},
		[2]string{"Политика проверки", r.Policy},
		[2]string{"Повторная проверка", "gostsig report --at " + r.CheckTime.UTC().Format(time.RFC3339) + " --json повтор.json " + r.caseName()},
	)
	if len(r.Anchors) > 0 {
		b.boldPara("Доверенные корневые сертификаты (точки доверия)")
		t = &table{cols: []column{{"№", 0.05, false}, {"Владелец", 0.45, false}, {"Серийный номер / SHA-1", 0.50, true}}}
		for i, a := range r.Anchors {
			t.rows = append(t.rows, []string{strconv.Itoa(i + 1), gostsig.HumanName(a.Subject) + "\n" + r.fmtDate(a.NotBefore) + " – " + r.fmtDate(a.NotAfter), a.Serial + "\n" + a.SHA1})
		}
		b.table(t)
	}

	// Signatures.
	b.heading(1, HeadSignatures)
	var sigs []sigLine
	for _, m := range c.Commission {
		if m.Role == RoleChair {
			sigs = append(sigs, sigLine{roleNames[m.Role], m.Position, m.Name})
		}
	}
	for _, m := range c.Commission {
		if m.Role != RoleChair {
			sigs = append(sigs, sigLine{roleNames[m.Role], m.Position, m.Name})
		}
	}
	b = append(b, block{kind: bSignatures, sigs: sigs, seal: true})

	title := "Заключение" + number
	return &doc{
		title:  title + " по результатам проверки электронной подписи",
		footer: title,
		author: c.CA.Name,
		copies: 2,
		blocks: b,
	}
}

func (r *Report) caseName() string {
	for _, e := range r.Evidence {
		if e.Role == RoleCase {
			return e.Path
		}
	}
	return "CASE"
}

// verdictSentence is the summary under the result table, made of the
// verifier's indications only.
func (r *Report) verdictSentence(refs []sigRef) string {
	var passed, failed, indet, nonQualified int
	for _, s := range refs {
		ind := s.file.Result.Indication
		if s.sig != nil {
			ind = s.sig.Indication
		}
		switch ind {
		case gostsig.TotalPassed:
			passed++
			if s.sig == nil || !s.sig.Qualified {
				nonQualified++
			}
		case gostsig.TotalFailed:
			failed++
		default:
			indet++
		}
	}
	n := len(refs)
	// The commission is asked about a qualified signature (63-FZ art. 11):
	// a valid one that is not qualified is said to be so (QA2 F5).
	switch {
	case passed == n && n == 1 && nonQualified == 1:
		return "По результатам проверки комиссия установила, что электронная подпись действительна, но не является квалифицированной (причины — в разделе 5)."
	case passed == n && n == 1:
		return "По результатам проверки комиссия установила, что электронная подпись действительна."
	case passed == n && nonQualified == n:
		return fmt.Sprintf("По результатам проверки комиссия установила, что все %d %s действительны, но не являются квалифицированными (причины — в разделе 5).", n, plural(n, "электронная подпись", "электронные подписи", "электронных подписей"))
	case passed == n && nonQualified > 0:
		return fmt.Sprintf("По результатам проверки комиссия установила, что все %d %s действительны; из них не являются квалифицированными — %d (причины — в разделе 5).", n, plural(n, "электронная подпись", "электронные подписи", "электронных подписей"), nonQualified)
	case passed == n:
		return fmt.Sprintf("По результатам проверки комиссия установила, что все %d %s действительны.", n, plural(n, "электронная подпись", "электронные подписи", "электронных подписей"))
	}
	var parts []string
	switch {
	case passed > 0 && nonQualified > 0:
		parts = append(parts, fmt.Sprintf("действительна — %d (из них не являются квалифицированными — %d)", passed, nonQualified))
	case passed > 0:
		parts = append(parts, fmt.Sprintf("действительна — %d", passed))
	}
	if failed > 0 {
		parts = append(parts, fmt.Sprintf("недействительна — %d", failed))
	}
	if indet > 0 {
		parts = append(parts, fmt.Sprintf("действительность не подтверждена — %d", indet))
	}
	return fmt.Sprintf("По результатам проверки %d %s: %s (подробности — в разделе 5).", n,
		plural(n, "электронной подписи", "электронных подписей", "электронных подписей"), strings.Join(parts, "; "))
}

func (r *Report) signatureDetails(b *blocks, s sigRef) {
	res := s.file.Result
	b.heading(3, fmt.Sprintf("Подпись № %d — документ %s", s.n, s.docName()))
	doc := s.file.Document
	if doc == "" {
		doc = "содержится в файле подписи (присоединённая подпись) или не представлен"
	}
	format := string(res.Format)
	if s.sig != nil && s.sig.Profile != "" {
		format += ", " + string(s.sig.Profile)
	} else if res.Profile != "" {
		format += ", " + string(res.Profile)
	}
	if s.sig == nil {
		b.kv(
			[2]string{"Файл подписи", s.file.File},
			[2]string{"Подписанный документ", doc},
			[2]string{"Формат", format},
			[2]string{"Результат", res.MessageRU},
		)
		r.checksTable(b, res.Checks)
		return
	}
	sig := s.sig
	alg := ""
	if sig.Algorithm != nil {
		alg = sig.Algorithm.Name + " (" + sig.Algorithm.OID + ")"
		if d := sig.Algorithm.Digest; d != nil {
			alg += ", хеш " + d.Name + " (" + d.OID + ")"
		}
	}
	rows := [][2]string{
		{"Файл подписи", s.file.File},
		{"Подписанный документ", doc},
		{"Формат и профиль", format},
		{"Идентификатор подписи", sig.ID},
		{"Алгоритм", alg},
	}
	if ci := sig.Signer; ci != nil {
		fio := strings.TrimSpace(ci.Surname + " " + ci.GivenName)
		if fio == "" {
			fio = ci.CommonName
		}
		rows = append(rows,
			[2]string{"Владелец сертификата (ФИО)", fio},
			[2]string{"Должность", ci.Title},
			[2]string{"Организация", ci.Organization},
			[2]string{"ИНН", ci.INN},
			[2]string{"ИНН юридического лица", ci.INNLE},
			[2]string{"ОГРН", ci.OGRN},
			[2]string{"ОГРНИП", ci.OGRNIP},
			[2]string{"СНИЛС", ci.SNILS},
			[2]string{"Адрес электронной почты", ci.Email},
			[2]string{"Субъект сертификата", gostsig.HumanName(ci.Subject)},
			[2]string{"Серийный номер сертификата", ci.Serial},
			[2]string{"Издатель сертификата", gostsig.HumanName(ci.Issuer)},
			[2]string{"Срок действия сертификата", r.fmtPeriod(ci.NotBefore, ci.NotAfter)},
			[2]string{"Срок действия ключа подписи", r.fmtPeriod(ci.PrivateKeyNotBefore, ci.PrivateKeyNotAfter)},
			[2]string{"Отпечаток SHA-1", ci.SHA1},
		)
	} else {
		rows = append(rows, [2]string{"Сертификат подписанта", "не найден"})
	}
	rows = append(rows, r.timeRows(sig)...)
	b.kv(rows...)

	b.boldPara(chainHeading(sig))
	if len(sig.Chain) == 0 {
		b.para("Цепочка сертификатов не построена.")
	} else {
		t := &table{cols: []column{{"№", 0.05, false}, {"Владелец сертификата", 0.35, false},
			{"Срок действия", 0.20, false}, {"Серийный номер / SHA-1", 0.40, true}}}
		for i, cc := range sig.Chain {
			subj := gostsig.HumanName(cc.Subject)
			if cc.Anchor {
				subj += "\n(доверенный корневой сертификат)"
			}
			t.rows = append(t.rows, []string{strconv.Itoa(i + 1), subj, r.fmtPeriod(cc.NotBefore, cc.NotAfter), cc.Serial + "\n" + cc.SHA1})
		}
		b.table(t)
	}

	b.boldPara("Сведения об отзыве сертификатов")
	if len(sig.Revocation) == 0 {
		b.para("Сведения о статусе сертификатов не получены.")
	} else {
		b.table(r.revocationTable(sig.Revocation))
	}
	if ts := sig.Timestamp; ts != nil && len(ts.Revocation) > 0 {
		// The time-stamp proves the moment of signing only if its TSA's
		// certificates were not revoked at genTime (POLICY.md "Best
		// signature time"): the commission shows that evidence too.
		b.boldPara("Сведения об отзыве сертификатов службы штампов времени (на время штампа " + r.fmtTime(ts.GenTime) + ")")
		b.table(r.revocationTable(ts.Revocation))
	}

	b.boldPara("Выполненные проверки")
	r.checksTable(b, mergeChecks(res.Checks, sig.Checks))
	if len(sig.QualifiedReasons) > 0 {
		b.boldPara("Квалифицированная электронная подпись: " + yesNo(sig.Qualified))
		var lines []string
		for _, q := range sig.QualifiedReasons {
			lines = append(lines, q.MessageRU+" ["+q.Code+"]")
		}
		b.list(lines...)
	}
}

func (r *Report) timeRows(sig *gostsig.Signature) [][2]string {
	st := sig.SigningTime
	var src string
	switch st.Source {
	case gostsig.TimeSourceTimestamp:
		src = "штамп времени (доказано)"
	case gostsig.TimeSourceValidationTime:
		src = "время проверки: надёжных сведений о моменте подписания (штампа времени) нет"
	case gostsig.TimeSourceClaimed:
		src = "заявленное время подписания (принято политикой проверки)"
	default:
		src = string(st.Source)
	}
	rows := [][2]string{
		{"Время подписания, принятое при проверке", r.fmtTime(st.Best)},
		{"Источник времени подписания", src},
	}
	if !st.Claimed.IsZero() {
		rows = append(rows, [2]string{"Заявленное время подписания (signingTime)", r.fmtTime(st.Claimed) + " — указано подписантом, само по себе ничего не доказывает"})
	}
	if ts := sig.Timestamp; ts != nil {
		v := r.fmtTime(ts.GenTime) + ", проверка штампа: " + statusRU[ts.Status]
		if ts.Detail != "" {
			v += " (" + ts.Detail + ")"
		}
		if ts.TSA != nil {
			v += "\nслужба штампов времени: " + signerName(ts.TSA)
		}
		rows = append(rows, [2]string{"Штамп времени подписи", v})
	}
	if d := sig.Diagnostic; d != nil && d.ComputedDigest != "" {
		rows = append(rows, [2]string{"Хеш документа, вычисленный комиссией", d.DigestAlgorithm + ": " + d.ComputedDigest})
		if d.ClaimedDigest != "" {
			rows = append(rows, [2]string{"Хеш документа, указанный в подписи", d.DigestAlgorithm + ": " + d.ClaimedDigest})
		}
	}
	return rows
}

func (r *Report) checksTable(b *blocks, checks []gostsig.Check) {
	if len(checks) == 0 {
		return
	}
	t := &table{cols: []column{{"№", 0.05, false}, {"Проверка", 0.36, false}, {"Результат", 0.16, false}, {"Сведения", 0.43, false}}}
	for i, c := range checks {
		t.rows = append(t.rows, []string{strconv.Itoa(i + 1), checkName(c.Name), statusText(c), c.Detail})
	}
	b.table(t)
}

// grounds writes the justification of one signature's result from the
// verifier's own words: its message, its reason and the checks that
// decided (failed or undecided), or those that passed.
func (r *Report) grounds(b *blocks, s sigRef) {
	res := s.file.Result
	if s.sig == nil {
		b.boldPara(fmt.Sprintf("Подпись № %d (документ %s): %s.", s.n, s.docName(), indicationText(res.Indication, res.SubIndication)))
		b.para(res.MessageRU + ".")
		var lines []string
		for _, c := range res.Checks {
			if c.Status != gostsig.StatusPassed {
				lines = append(lines, checkName(c.Name)+" — "+statusText(c)+detailSuffix(c.Detail))
			}
		}
		b.list(lines...)
		return
	}
	sig := s.sig
	b.boldPara(fmt.Sprintf("Подпись № %d (документ %s): %s.", s.n, s.docName(), indicationText(sig.Indication, sig.SubIndication)))
	text := sig.MessageRU + "."
	if sig.Indication == gostsig.TotalPassed && !sig.Qualified {
		// 63-FZ art. 11 asks about a qualified signature (QA2 F5).
		text = sig.MessageRU + ", но не является квалифицированной"
		if len(sig.QualifiedReasons) > 0 {
			var why []string
			for _, q := range sig.QualifiedReasons {
				why = append(why, q.MessageRU)
			}
			text += ": " + strings.Join(why, "; ")
		}
		text += "."
	}
	// The reason is printed when the message does not already say it.
	if why := strings.TrimSuffix(lowerFirst(sig.ReasonRU), "."); why != "" && !strings.Contains(sig.MessageRU, why) {
		text += " Причина: " + lowerFirst(sig.ReasonRU)
	}
	b.para(text)
	// The checks that decided: for a valid signature those that passed,
	// otherwise those that failed or stayed undecided. A check at the
	// warn or inform level decides nothing: it is listed for information.
	var decided, passed, inform []string
	ok := sig.Indication == gostsig.TotalPassed
	for _, c := range mergeChecks(res.Checks, sig.Checks) {
		line := checkName(c.Name) + " — " + statusText(c) + detailSuffix(c.Detail)
		switch {
		case c.Status == gostsig.StatusSkipped:
		case c.Status != gostsig.StatusPassed && (c.Level == gostsig.LevelWarn || c.Level == gostsig.LevelInform):
			inform = append(inform, line)
		case (c.Status == gostsig.StatusPassed) == ok:
			decided = append(decided, line)
		default:
			passed = append(passed, line)
		}
	}
	if len(decided) > 0 {
		b.para("Результат определили следующие проверки:")
		b.list(decided...)
	}
	if len(passed) > 0 {
		b.para("Установлено:")
		b.list(passed...)
	}
	if len(inform) > 0 {
		b.para("Для сведения (на результат не влияет):")
		b.list(inform...)
	}
	switch sig.SigningTime.Source {
	case gostsig.TimeSourceTimestamp:
		b.para("Момент подписания доказан штампом времени: " + r.fmtTime(sig.SigningTime.Best) + "; действительность сертификатов оценена на этот момент.")
	case gostsig.TimeSourceValidationTime:
		why := "штамп времени отсутствует"
		if ts := sig.Timestamp; ts != nil && ts.Status != gostsig.StatusPassed {
			// A token is there but did not prove the moment: say so, and why.
			why = "штамп времени на подписи есть, но не признан действительным"
			if ts.Detail != "" {
				why += ": " + ts.Detail
			}
		}
		b.para("Надёжных сведений о моменте подписания нет (" + why + "), поэтому действительность сертификатов оценена на время проверки " + r.fmtTime(sig.SigningTime.Best) + " (ст. 11 Федерального закона № 63-ФЗ); заявленное время подписания момент подписания не доказывает.")
	}
}

// mergeChecks lists the document-level checks, then the signature's, with
// a check made at both levels (format) said once when both agree.
func mergeChecks(doc, sig []gostsig.Check) []gostsig.Check {
	out := make([]gostsig.Check, 0, len(doc)+len(sig))
	merged := map[string]string{} // name → document-level detail to prepend
	for _, d := range doc {
		same := false
		for _, c := range sig {
			if c.Name == d.Name && c.Status == d.Status && c.Level == d.Level {
				same = true
				break
			}
		}
		if same {
			merged[d.Name] = d.Detail
			continue
		}
		out = append(out, d)
	}
	for _, c := range sig {
		if d, ok := merged[c.Name]; ok {
			switch {
			case d == "":
			case c.Detail == "":
				c.Detail = d
			default:
				c.Detail = d + "; " + c.Detail
			}
			delete(merged, c.Name)
		}
		out = append(out, c)
	}
	return out
}

// chainHeading names where the chain ends: the ГУЦ only when it does.
func chainHeading(sig *gostsig.Signature) string {
	var anchor *gostsig.ChainCert
	if n := len(sig.Chain); n > 0 && sig.Chain[n-1].Anchor {
		anchor = &sig.Chain[n-1]
	}
	if anchor == nil {
		return "Цепочка сертификатов"
	}
	for _, q := range sig.QualifiedReasons {
		if q.Code == gostsig.ReasonNotGUCRoot {
			return "Цепочка сертификатов до доверенного корневого сертификата «" + commonName(anchor.Subject) +
				"» (не Головного удостоверяющего центра)"
		}
	}
	return "Цепочка сертификатов до корневого сертификата Головного удостоверяющего центра"
}

// commonName is the CN of an RFC 4514 name, unescaped, or the whole name
// for people when it has none.
func commonName(dn string) string {
	start := -1
	for i := 0; i < len(dn); i++ {
		switch {
		case dn[i] == '\\':
			i++
		case start < 0 && (i == 0 || dn[i-1] == ',' || dn[i-1] == '+') && strings.HasPrefix(dn[i:], "CN="):
			start = i + 3
			i += 2
		case start >= 0 && (dn[i] == ',' || dn[i] == '+'):
			return gostsig.HumanName(dn[start:i])
		}
	}
	if start >= 0 {
		return gostsig.HumanName(dn[start:])
	}
	return gostsig.HumanName(dn)
}

func detailSuffix(d string) string {
	if d == "" {
		return ""
	}
	return ": " + d
}

// lowerFirst lower-cases the first letter of a sentence that follows a
// colon, unless it starts an abbreviation ("ГОСТ", "СОС").
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	r2, _ := utf8.DecodeRuneInString(s[n:])
	if unicode.IsUpper(r) && !unicode.IsUpper(r2) {
		return string(unicode.ToLower(r)) + s[n:]
	}
	return s
}

// revocationTable lists revocation entries with the evidence that decided
// each (validation-policy.md "Revocation": which CRL or OCSP response, with
// the hashes of its DER, is evidence in a dispute).
func (r *Report) revocationTable(rvs []gostsig.Revocation) *table {
	t := &table{cols: []column{{"Сертификат", 0.27, false}, {"Статус", 0.15, false},
		{"Источник сведений", 0.27, false}, {"Хеш (Streebog-256 / SHA-256)", 0.31, true}}}
	for _, rv := range rvs {
		who := "серийный номер " + rv.Serial
		if rv.Subject != "" {
			who = gostsig.HumanName(rv.Subject) + "\n" + who
		}
		status, ok := revocationRU[rv.Status]
		if !ok {
			status = rv.Status.String()
		}
		if rv.Suspended() {
			// certificateHold: suspended, may be resumed (QA2 F6).
			status = "ДЕЙСТВИЕ ПРИОСТАНОВЛЕНО"
		}
		if !rv.RevokedAt.IsZero() {
			status += "\nс " + r.fmtTime(rv.RevokedAt)
		}
		if rv.Reason != "" {
			status += "\nпричина: " + gostsig.RevocationReasonRU(rv.Reason)
		}
		src := ""
		switch rv.Source {
		case "crl":
			src = "список отозванных сертификатов"
		case "ocsp":
			src = "ответ службы OCSP"
		case "":
			src = "нет"
		default:
			src = rv.Source
		}
		if rv.CRLIssuer != "" {
			src += "\nиздатель: " + gostsig.HumanName(rv.CRLIssuer)
		}
		if rv.CRLNumber != "" {
			src += "\nномер: " + rv.CRLNumber
		}
		if !rv.ThisUpdate.IsZero() {
			src += "\nвыпущен: " + r.fmtTime(rv.ThisUpdate)
		}
		if !rv.NextUpdate.IsZero() {
			src += "\nследующий: " + r.fmtTime(rv.NextUpdate)
		}
		if rv.Detail != "" {
			src += "\n" + rv.Detail
		}
		hash := strings.TrimSpace(rv.EvidenceStreebog256 + "\n" + rv.EvidenceSHA256)
		t.rows = append(t.rows, []string{who, status, src, hash})
	}
	return t
}
