// Package server is the HTTP face of gostsig (`gostsig serve`): HTTP in,
// gostsig.Verifier calls, JSON out, on valyala/fasthttp.
//
// # Contract
//
// The routes, the JSON result and the error body are those of
// ../shared/docs/interfaces.md; openapi.json (served at /openapi.json)
// describes them:
//
//	POST /v1/verify        one signature: a raw CMS or XML body, or
//	                       multipart/form-data with "signature" and "content"
//	                       (or "content_hash"), and "attachment" parts
//	POST /v1/verify/batch  {"items":[{"id","signature","content","content_hash",
//	                       "attachments":[{"id","content"}]}]}
//	                       → {"results":[{"id",…result}]} in request order
//	GET  /healthz          the process is up
//	GET  /readyz           the trust store and CRL cache are loaded, not draining
//	GET  /metrics          Prometheus text format
//	GET  /openapi.json     the API description
//
// Both verify routes take the query parameters at (RFC 3339 validation
// time; "t" and "z" in either case, and a "+" of the offset that an
// unencoded query string turned into a space is read as "+") and
// offline=true, and detail=summary for each result without its evidence
// (gostsig.Result.AppendSummaryJSON). The server never decides a verdict:
// every result is the Verifier's, encoded as it is. A bad signature is a
// 200 with its result; an HTTP error is a JSON {"error", "code"} with a
// 4xx/5xx status and one of the Code* constants.
//
// SMEV attachments go to gostsig.Input.Attachments by their id (the
// content id or file name the message references them by), as `gostsig
// verify --attachment FILE` gives them by the file's name: in /v1/verify
// as multipart parts named "attachment" whose filename is the id, in a
// batch item as "attachments" with the content in base64. Up to
// maxAttachments per item; their bytes count toward MaxItemBytes.
//
// A batch is refused as a whole (400) only when its body is not the
// documented JSON, and with 413 when over the body or item-count limit.
// An item that is well-formed JSON but cannot be verified (no signature,
// bad base64, bad content_hash, content and content_hash both, over the
// item size or attachment limits) is answered in its place in "results"
// with {"id", "error", "code"}, like an unreadable file in the CLI's batch,
// and the other items are verified.
//
// # Load and faults
//
// Batch items are verified by a bounded pool of Options.Workers goroutines.
// A request's items are admitted as a whole or refused at once with 503
// overloaded (Options.MaxPending, MaxPendingBytes). Each item has its own
// deadline (Options.ItemTimeout) counted from when a worker starts it, and
// each request a deadline for all of its items (Options.RequestTimeout):
// an item past either is answered in place with code "timeout" or
// "canceled" and never holds up the rest of its batch. Bodies and the
// items of a batch are bounded (413), and so is each item's size (413 for
// /v1/verify, in place for a batch item); slow clients are cut off by
// ReadTimeout (408). Request bodies may be gzip or zstd, decompressed within the body
// limit; responses are compressed when Accept-Encoding allows. A panic in a
// handler or a verification is recovered, logged with the request id and
// answered with 500.
//
// fasthttp reuses its request buffers once a handler returns, and an
// abandoned verification may run on after that: every input handed to the
// Verifier is a copy (decoded base64, decompressed bytes, or bytes.Clone of
// the raw body).
//
// # Replicas
//
// A Server keeps no state besides caches: N replicas behind a load
// balancer answer alike, reading one CRL cache directory read-only
// (gostsig.Config.CRLCacheReadOnly, gostsig.Verifier.ReloadCRLCache).
// SetVerifier swaps in another verifier without dropping requests; the old
// one is closed after its last item. See docs/scale-out.md.
//
// # Metrics
//
// /metrics counts requests, errors, verdicts and latencies by route, and
// exports the Verifier's Stats: cache hits and misses by cache
// (gostsig_cache_hits_total, gostsig_cache_misses_total; the counters of a
// replaced verifier carry over) and every CRL held with its thisUpdate and
// nextUpdate (gostsig_crl_next_update_timestamp_seconds).
package server
