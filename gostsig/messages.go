package gostsig

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"gostsig.dev/chain"
	"gostsig.dev/internal/oid"
)

// Russian texts of the outcomes (validation-policy.md: "every negative
// result carries a short human reason in Russian", 000_*.txt §4.2).
//
// A signature's MessageRU is "<verdict>: <reason>", for example
// "Подпись недействительна: документ изменён после подписания"; ReasonRU is
// the reason alone as one sentence ("Документ изменён после подписания."),
// ready for the receiver's rejection notice.

const (
	msgPassed = "Подпись действительна"
	// verdict prefixes by indication
	msgFailedPrefix = "Подпись недействительна"
	msgIndetPrefix  = "Действительность подписи не подтверждена"
)

// subIndicationReasons are the default reasons, lower-case, without a
// final period. The policy engine may give a more precise reason (the
// algorithm OID, which certificate expired); these are the fall-backs and
// the texts the report uses in its legend.
var subIndicationReasons = [numSubIndications]string{
	NoSubIndication:                "",
	FormatFailure:                  "формат подписи не распознан или её структура повреждена",
	HashFailure:                    "документ изменён после подписания",
	SigCryptoFailure:               "значение подписи не соответствует ключу проверки электронной подписи сертификата (подпись или подписанные данные искажены)",
	Revoked:                        "сертификат подписанта отозван до момента подписания",
	SigConstraintsFailure:          "подпись не удовлетворяет требованиям политики проверки",
	ChainConstraintsFailure:        "цепочка сертификатов нарушает ограничения (" + chainConstraintsRU + ")",
	CertificateChainGeneralFailure: "ошибка при проверке цепочки сертификатов",
	CryptoConstraintsFailure:       "использован алгоритм, не являющийся алгоритмом ГОСТ",
	Expired:                        "срок действия сертификата истёк",
	NotYetValid:                    "сертификат подписанта ещё не действовал в момент подписания",
	PolicyProcessingError:          "ошибка обработки политики проверки",
	SignaturePolicyNotAvailable:    "политика подписи недоступна",
	TimestampOrderFailure:          "штамп времени недействителен или его время позже времени проверки",
	NoSigningCertificateFound:      "не найден сертификат подписанта",
	NoCertificateChainFound:        "не удалось построить цепочку сертификатов до доверенного корневого сертификата (Головного удостоверяющего центра)",
	RevokedNoPOE:                   "сертификат подписанта отозван, а штампа времени, доказывающего создание подписи до отзыва, нет",
	RevokedCANoPOE:                 "сертификат удостоверяющего центра в цепочке отозван",
	OutOfBoundsNoPOE:               "сертификат (или ключ подписи) не действует на принятое время подписания, а штампа времени, доказывающего создание подписи в период его действия, нет",
	OutOfBoundsNotRevoked:          "сертификат не действует на принятое время подписания, но не отозван; штампа времени, доказывающего создание подписи в период его действия, нет",
	CryptoConstraintsFailureNoPOE:  "алгоритм подписи не допускается на момент подписания (ГОСТ Р 34.10-2001 — только для подписей, созданных до 01.01.2019 и подтверждённых штампом времени)",
	NoPOE:                          "нет доказательства существования подписи на нужный момент времени",
	TryLater:                       "нет актуальной информации о статусе сертификата (список отзыва или ответ OCSP); повторите проверку позже",
	SignedDataNotFound:             "не найдены подписанные данные (для отсоединённой подписи не передан документ или его хеш)",
}

// ReasonRU returns the default Russian reason for s as one sentence
// ("Документ изменён после подписания."), or "" for NoSubIndication.
func (s SubIndication) ReasonRU() string {
	if s >= numSubIndications {
		return ""
	}
	return sentence(subIndicationReasons[s])
}

// MessageRU returns the default Russian verdict for an indication and
// subindication: "Подпись действительна" for TOTAL_PASSED, otherwise
// "<verdict>: <reason>".
func MessageRU(ind Indication, sub SubIndication) string {
	reason := ""
	if sub < numSubIndications {
		reason = subIndicationReasons[sub]
	}
	return messageRU(ind, reason)
}

func messageRU(ind Indication, reason string) string {
	switch ind {
	case TotalPassed:
		return msgPassed
	case TotalFailed:
		if reason == "" {
			return msgFailedPrefix
		}
		return msgFailedPrefix + ": " + reason
	default:
		if reason == "" {
			return msgIndetPrefix
		}
		return msgIndetPrefix + ": " + reason
	}
}

// sentence turns a lower-case reason fragment into one sentence: a capital
// first letter and a final period.
func sentence(s string) string {
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// documentMessageRU is the overall verdict text of a document.
func documentMessageRU(ind Indication, sigs int) string {
	switch {
	case ind == TotalPassed && sigs == 1:
		return "Подпись действительна"
	case ind == TotalPassed:
		return "Все подписи действительны"
	case sigs == 0:
		return messageRU(ind, "в документе не найдено ни одной подписи, пригодной для проверки")
	case ind == TotalFailed && sigs == 1:
		return "Подпись недействительна"
	case ind == TotalFailed:
		return "Документ содержит недействительную подпись"
	case sigs == 1:
		return "Действительность подписи не подтверждена"
	default:
		return "Действительность подписей не подтверждена"
	}
}

// chainConstraintsRU names the constraints a certificate path can break.
const chainConstraintsRU = "подпись сертификата, признак удостоверяющего центра, назначение ключа, длина пути или критическое расширение"

// chainViolationRU is the Russian detail of the path of what ("цепочка
// сертификатов", the TSA's chain) that ie refuses: how the certificate
// labelled c breaks it (chainFaultRU), or, for a reason chainFaultRU does
// not know, the constraints it may have broken.
func chainViolationRU(what string, ie *chain.InvalidError, c string) string {
	if fault := chainFaultRU(ie, c); fault != "" {
		return what + " нарушает ограничения: " + fault
	}
	return what + " нарушает ограничения (" + chainConstraintsRU + ")"
}

// chainFaultRU says in Russian how the certificate labelled c breaks its
// path (ie.Reason), as a clause to follow "… нарушает ограничения: "; ""
// for a reason it does not know.
func chainFaultRU(ie *chain.InvalidError, c string) string {
	switch ie.Reason {
	case chain.NotAuthorizedToSign:
		return "сертификат " + c + " не является сертификатом удостоверяющего центра (basicConstraints), но издал сертификат цепочки"
	case chain.MissingKeyCertSign:
		return "назначение ключа (keyUsage) сертификата " + c + " не допускает подпись сертификатов"
	case chain.TooManyIntermediates:
		return "превышена допустимая длина пути (pathLenConstraint) сертификата " + c
	case chain.BadSignature:
		return "подпись сертификата " + c + " не проверяется ключом издателя"
	case chain.UnsupportedAlgorithm:
		return "сертификат " + c + " подписан не по ГОСТ Р 34.10 или его издатель владеет ключом другого алгоритма"
	case chain.IssuerKeyUnavailable:
		return "открытый ключ сертификата " + c + " не удаётся прочитать"
	case chain.UnhandledCriticalExtension:
		return "сертификат " + c + " содержит критическое расширение, которое не поддерживается (" + oid.Join(ie.Cert.UnhandledCriticalExtensions) + "); по RFC 5280 такой сертификат не принимается"
	}
	return ""
}

// revocationReasonsRU are the Russian names of the CRLReason values
// (RFC 5280 §5.3.1), by their ASN.1 names as Revocation.Reason holds them.
var revocationReasonsRU = map[string]string{
	"unspecified":          "причина не указана",
	"keyCompromise":        "компрометация ключа",
	"cACompromise":         "компрометация ключа удостоверяющего центра",
	"affiliationChanged":   "изменение сведений о владельце сертификата",
	"superseded":           "сертификат заменён",
	"cessationOfOperation": "прекращение деятельности",
	"certificateHold":      "приостановление действия сертификата",
	"removeFromCRL":        "исключение из списка отзыва",
	"privilegeWithdrawn":   "отзыв полномочий",
	"aACompromise":         "компрометация ключа центра атрибутов",
}

// RevocationReasonRU returns the Russian name of a revocation reason given
// by its RFC 5280 ASN.1 name (Revocation.Reason: "keyCompromise" →
// "компрометация ключа"); an unknown name is returned as it is.
func RevocationReasonRU(reason string) string {
	if r, ok := revocationReasonsRU[reason]; ok {
		return r
	}
	return reason
}

// ReasonCertificateHold is Revocation.Reason of a suspended certificate:
// listed as revoked while on hold, but its CA can resume it, so people are
// told «действие сертификата приостановлено», never «отозван».
const ReasonCertificateHold = "certificateHold"

// Suspended reports whether the entry is a certificateHold: the
// certificate's action is suspended rather than ended.
func (r *Revocation) Suspended() bool {
	return r.Status == RevocationRevoked && r.Reason == ReasonCertificateHold
}
