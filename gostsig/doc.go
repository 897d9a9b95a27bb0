// Package gostsig verifies Russian qualified electronic signatures — GOST R
// 34.10-2012/2001 with Streebog or GOST R 34.11-94 — in CMS/CAdES files and
// SMEV/XMLDSig messages, and gives one verdict per signature in the
// vocabulary of ETSI EN 319 102-1 (../shared/docs/validation-policy.md).
//
// # Contract
//
// A [Verifier] is built once with [New] (trust anchors — the embedded ГУЦ
// roots unless [Config] says otherwise —, certificate, path and CRL caches,
// fetcher, clock, policy) and is safe for concurrent use. [Verifier.Verify]
// returns a [*Result] for every input it could look at: a malformed
// document, a changed document or a revoked signer are results
// (TOTAL_FAILED / INDETERMINATE with a subindication and a Russian
// message), never errors. Verify returns an error only when no verdict is
// possible: the context was cancelled, the content reader failed, or the
// [Input] contradicts itself ([*InputError]).
//
// The format is detected from the bytes: XML (SMEV 3, SMEV 2, XMLDSig), or
// CMS in DER, BER, PEM or base64. A detached CMS signature takes its
// content in memory ([Input].Content), as a stream hashed while it is read
// ([Input].ContentReader), or as a hash alone ([Input].ContentHash).
//
// # Result
//
// The [Result] is the JSON result of interfaces.md; its JSON names are a
// contract shared with the CLI, the HTTP service and the commission report.
// It has three layers, as EU DSS reports do: the verdict (indication,
// subindication, message_ru and, per signature, reason_ru and the owner
// fields), the detailed checks ([Check], one per rule with its [Status]),
// and the facts behind them (path, revocation evidence with the hashes of
// the CRLs used, time-stamp, and on request [Diagnostic]).
//
// # Policy
//
// The decision table of validation-policy.md is applied top to bottom per
// signature, the first matching row deciding. The best signature time is
// a verified signature time-stamp's genTime, else the validation time; the
// claimed signingTime (or SMEV message time) is reported but moves it only
// when the [Policy] says trust_claimed_signing_time. Whether a signature
// is qualified (63-FZ, Приказ ФСБ № 795) is reported separately, with
// reasons. A policy file ([LoadPolicy], YAML or JSON) changes tolerances,
// roots, algorithm dates and rule levels. The rules the specification
// leaves open are written down in POLICY.md next to this file.
package gostsig
