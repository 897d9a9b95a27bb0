package report

import (
	"errors"
	"fmt"
	"strings"

	"gostsig.dev/gostsig"
)

// ErrNothingToReject is returned for a notice when every submitted
// signature is valid: there is no reason to send one.
var ErrNothingToReject = errors.New("report: every signature is valid: no rejection notice to send")

// advice says what the sender should do, by the verifier's subindication
// (000_*.txt §4.2: the reply states why the document cannot be accepted).
var advice = map[gostsig.SubIndication]string{
	gostsig.FormatFailure:                 "направить документ повторно, подписав его усиленной квалифицированной электронной подписью в формате CMS (CAdES) или XMLDSig и убедившись, что файл подписи не повреждён при передаче",
	gostsig.HashFailure:                   "повторно подписать документ действующей усиленной квалифицированной электронной подписью и направить его заново, не изменяя документ после подписания",
	gostsig.SigCryptoFailure:              "повторно подписать документ действующей усиленной квалифицированной электронной подписью и направить его заново, не изменяя документ и файл подписи после подписания",
	gostsig.SignedDataNotFound:            "направить вместе с файлом подписи подписанный документ (для отсоединённой подписи)",
	gostsig.NoSigningCertificateFound:     "направить документ повторно, включив в подпись сертификат подписанта, или приложить этот сертификат",
	gostsig.NoCertificateChainFound:       "подписать документ усиленной квалифицированной электронной подписью, сертификат которой выдан аккредитованным удостоверяющим центром, и направить его заново",
	gostsig.ChainConstraintsFailure:       "подписать документ усиленной квалифицированной электронной подписью, сертификат которой выдан аккредитованным удостоверяющим центром, и направить его заново",
	gostsig.CryptoConstraintsFailure:      "подписать документ электронной подписью по ГОСТ Р 34.10-2012 и направить его заново",
	gostsig.CryptoConstraintsFailureNoPOE: "подписать документ электронной подписью по ГОСТ Р 34.10-2012 и направить его заново",
	gostsig.TryLater:                      "повторить направление документа позднее; при повторении отказа обратиться в удостоверяющий центр, выдавший сертификат подписанта",
	gostsig.TimestampOrderFailure:         "повторно подписать документ, получив штамп времени доверенной службы штампов времени, и направить его заново",
}

const defaultAdvice = "получить действующий квалифицированный сертификат (при необходимости — в удостоверяющем центре), повторно подписать документ и направить его заново"

func adviceFor(sub gostsig.SubIndication) string {
	if a, ok := advice[sub]; ok {
		return a
	}
	return defaultAdvice
}

// notice builds the receiver's rejection letter.
func (r *Report) notice() (*doc, error) {
	n := r.Case.Notice
	var rejected []sigRef
	for _, s := range r.sigRefs() {
		ind := s.file.Result.Indication
		if s.sig != nil {
			ind = s.sig.Indication
		}
		if ind != gostsig.TotalPassed {
			rejected = append(rejected, s)
		}
	}
	if len(rejected) == 0 {
		return nil, ErrNothingToReject
	}
	var b blocks
	head := []string{n.From.Name}
	if n.From.Address != "" {
		head = append(head, n.From.Address)
	}
	b = append(b, block{kind: bTitle, lines: head, small: true})
	b.space()
	out := "Исх. от " + n.Date.Russian()
	if n.Number != "" {
		out = "Исх. № " + n.Number + " от " + n.Date.Russian()
	}
	b.para(out)
	to := []string{n.To.Name}
	if n.To.Address != "" {
		to = append(to, n.To.Address)
	}
	b = append(b, block{kind: bRight, lines: to})
	b.space()
	b = append(b, block{kind: bTitle, lines: []string{"О невозможности принять электронный документ к исполнению"}})
	b.space()

	var reasons []string
	var subs []gostsig.SubIndication
	for _, s := range rejected {
		reason, sub := reasonOf(s)
		subs = append(subs, sub)
		reasons = append(reasons, fmt.Sprintf("документ %s (файл %s, проверка %s): %s", s.docName(), s.file.File, r.fmtTime(r.CheckTime), lowerFirst(reason)))
	}
	docs := "электронный документ"
	if len(rejected) > 1 {
		docs = "электронные документы"
	}
	b.para(fmt.Sprintf("%s сообщает, что %s, полученн%s от %s %s, не может быть принят%s к исполнению, так как электронная подпись нарушена или недействительна:",
		n.From.Name, docs, map[bool]string{false: "ый", true: "ые"}[len(rejected) > 1], n.To.Name, n.Received.Russian(),
		map[bool]string{false: "", true: "ы"}[len(rejected) > 1]))
	b.list(reasons...)
	instr := n.Instructions
	if instr == "" {
		seen := map[string]bool{}
		var parts []string
		for _, s := range subs {
			a := adviceFor(s)
			if !seen[a] {
				seen[a] = true
				parts = append(parts, a)
			}
		}
		instr = "Просим " + strings.Join(parts, "; ") + "."
	}
	b.para(instr)
	basis := "Основание: порядок организации защищённого электронного взаимодействия, п. 4.2 (проверка наличия, целостности и действительности электронной подписи другой стороны); проверка выполнена программой " + r.Software
	if r.Policy != "" {
		basis += ", политика проверки " + r.Policy
	}
	b.smallPara(basis + ".")
	b.space()
	b = append(b, block{kind: bSignatures, sigs: []sigLine{{"", n.SignerPosition, n.SignerName}}})
	return &doc{
		title:  "Уведомление о невозможности принять электронный документ к исполнению",
		footer: strings.TrimSpace("Исх. " + n.Number),
		author: n.From.Name,
		blocks: b,
	}, nil
}

// reasonOf is the one-sentence reason the verifier gave.
func reasonOf(s sigRef) (string, gostsig.SubIndication) {
	if s.sig == nil {
		res := s.file.Result
		if r := res.SubIndication.ReasonRU(); r != "" {
			return r, res.SubIndication
		}
		return res.MessageRU + ".", res.SubIndication
	}
	if s.sig.ReasonRU != "" {
		return s.sig.ReasonRU, s.sig.SubIndication
	}
	if r := s.sig.SubIndication.ReasonRU(); r != "" {
		return r, s.sig.SubIndication
	}
	return s.sig.MessageRU + ".", s.sig.SubIndication
}
