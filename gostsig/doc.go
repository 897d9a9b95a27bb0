// Package gostsig verifies Russian qualified electronic signatures — GOST R
// 34.10-2012/2001 with Streebog or GOST R 34.11-94 — in CMS/CAdES files and
// SMEV/XMLDSig messages, and gives one verdict per signature in the
// vocabulary of ETSI EN 319 102-1 (../shared/docs/validation-policy.md).
//
// # Contract
//
// A [Verifier] is built once (trust anchors, certificate and CRL caches,
// fetcher, clock, policy) and is safe for concurrent use. [Verifier.Verify]
// returns a [*Result] for every input it could look at: a malformed
// document, a changed document or a revoked signer are results
// (TOTAL_FAILED / INDETERMINATE with a subindication and a Russian
// message), never errors. Verify returns an error only when no verdict is
// possible at all: the context was cancelled, or the content reader failed.
//
// The [Result] is the JSON result of interfaces.md; its JSON names are a
// contract shared with the CLI, the HTTP service and the commission report.
//
// # Policy
//
// The decision table of validation-policy.md is applied top to bottom per
// signature, the first matching row wins. The best signature time (BST) is
// a verified signature time-stamp's genTime, else the validation time; the
// claimed signingTime is reported but moves BST only when the policy says
// trust_claimed_signing_time. Rules the specification leaves open are
// written down in POLICY.md next to this file.
package gostsig
