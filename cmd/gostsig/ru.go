package main

import (
	"errors"
	"io/fs"
	"strings"

	"gostsig.dev/crl"
	"gostsig.dev/gostsig"
)

// The text the CLI shows people is Russian; identifiers (flag names,
// indications, JSON field names and values) stay as they are. The helpers
// here turn what lower layers say for machines into that text.

// fileErrRU says in Russian why a file named on the command line cannot
// be used when err is the operating system's own *fs.PathError (the file
// is missing, not readable, …), bare or as a *cliError. Anything else,
// such as a trust-file error that names its flag, is returned as it is.
func fileErrRU(err error) error {
	inner := err
	ce, isCLI := err.(*cliError)
	if isCLI {
		inner = ce.err
	}
	pe, ok := inner.(*fs.PathError)
	if !ok {
		return err
	}
	what := "не удаётся прочитать файл: " + pe.Err.Error()
	switch {
	case errors.Is(pe.Err, fs.ErrNotExist):
		what = "файл не найден"
	case errors.Is(pe.Err, fs.ErrPermission):
		what = "нет прав на чтение файла"
	}
	ru := errors.New(pe.Path + ": " + what)
	if isCLI {
		return &cliError{status: ce.status, err: ru}
	}
	return ru
}

// The reasons sniffFile gives for a file of a directory that is not a
// signature (JSON "skipped[].reason", English), and how text says them.
const (
	skipHiddenDir   = "hidden directory, not searched"
	skipHiddenFile  = "hidden file"
	skipDangling    = "dangling symbolic link"
	skipDirLink     = "symbolic link to a directory, not followed"
	skipNotRegular  = "not a regular file"
	skipBundle      = "certificate bundle (PKCS #7 without signers)"
	skipEmpty       = "empty file"
	skipWhiteSpace  = "white space only"
	skipBinary      = "binary, not a CMS SignedData"
	skipUnsignedXML = "XML without an XMLDSig signature"
	skipNeither     = "neither CMS nor XML"
	skipPEMPrefix   = "PEM "
	skipPEMSuffix   = ", not a signature"
)

var skipReasonsRU = map[string]string{
	skipHiddenDir:   "скрытый каталог, не просматривается",
	skipHiddenFile:  "скрытый файл",
	skipDangling:    "символическая ссылка никуда не ведёт",
	skipDirLink:     "символическая ссылка на каталог, не просматривается",
	skipNotRegular:  "не обычный файл",
	skipBundle:      "набор сертификатов (PKCS #7 без подписей)",
	skipEmpty:       "файл пуст (0 байт)",
	skipWhiteSpace:  "в файле только пробельные символы",
	skipBinary:      "двоичный файл, не CMS SignedData",
	skipUnsignedXML: "XML без подписи XMLDSig",
	skipNeither:     "ни CMS, ни XML",
}

// skipReasonRU is the Russian text of a skip reason.
func skipReasonRU(why string) string {
	if ru, ok := skipReasonsRU[why]; ok {
		return ru
	}
	if typ, ok := strings.CutPrefix(why, skipPEMPrefix); ok {
		if typ, ok := strings.CutSuffix(typ, skipPEMSuffix); ok {
			return "PEM " + typ + ", не подпись"
		}
	}
	return why
}

// crlReasonRU is the Russian name of a reason (gostsig.RevocationReasonRU,
// the words the conclusion uses) with its ASN.1 name, which is what a CA's
// documents use: «компрометация ключа (keyCompromise)».
func crlReasonRU(r crl.Reason) string {
	name := r.String()
	if ru := gostsig.RevocationReasonRU(name); ru != name {
		return ru + " (" + name + ")"
	}
	return name
}

// crlStatusRU is a revocation status as "crl check" says it; a
// certificateHold entry is a suspension, not a revocation.
func crlStatusRU(s crl.Status, r crl.Reason) string {
	switch s {
	case crl.Good:
		return "не отозван"
	case crl.Revoked:
		if r == crl.ReasonCertificateHold {
			return "действие приостановлено"
		}
		return "отозван"
	}
	return "статус неизвестен"
}

var crlUnknownRU = map[crl.UnknownReason]string{
	crl.NoCoverage:       "ни один список отзыва (CRL) или ответ OCSP не относится к этому времени",
	crl.OutOfScope:       "ни один CRL издателя не распространяется на этот сертификат",
	crl.ResponderUnknown: "OCSP-служба не знает этот сертификат",
}

// freshnessRU is the freshness of a cached CRL as "crl ls" text says it.
var freshnessRU = map[string]string{
	"not-yet-valid":  "ещё не действует",
	"no-next-update": "без срока (нет nextUpdate)",
	"expired":        "просрочен",
	"expiring":       "скоро истекает",
	"current":        "действует",
}
