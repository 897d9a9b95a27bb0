package server

import (
	"errors"
	"fmt"
)

// Error codes: the "code" member of every JSON error body. They are a
// contract like the routes (interfaces.md): clients branch on them, so
// codes may be added, never renamed.
const (
	CodeBadRequest        = "bad_request"      // 400: the request as a whole is malformed
	CodeMalformedJSON     = "malformed_json"   // 400: the batch body is not the documented JSON
	CodeMalformedBase64   = "malformed_base64" // per item: a signature, content or attachment is not base64
	CodeMalformedHash     = "malformed_content_hash"
	CodeInvalidInput      = "invalid_input"      // 400 or per item: contradictory input (content and content_hash, …)
	CodeBadQuery          = "bad_query"          // 400: `at` or `offline` malformed
	CodeEmptyBody         = "empty_body"         // 400: nothing to verify
	CodeMissingSignature  = "missing_signature"  // per batch item: an item without a signature (a multipart body without one stays empty_body)
	CodeMalformedEncoding = "malformed_encoding" // 400: a gzip/zstd body that does not decompress
	CodeMalformedHTTP     = "malformed_http"     // 400: fasthttp could not parse the request
	CodeNotFound          = "not_found"          // 404
	CodeMethodNotAllowed  = "method_not_allowed" // 405
	CodeRequestTimeout    = "request_timeout"    // 408: the client was too slow sending the request
	CodeBodyTooLarge      = "body_too_large"     // 413: body over --max-body (wire or decompressed)
	CodeTooManyItems      = "too_many_items"     // 413: batch over --max-items
	CodeItemTooLarge      = "item_too_large"     // 413 (single) or per item: over --max-item-size or maxAttachments
	CodeUnsupportedMedia  = "unsupported_media"  // 415: Content-Type or Content-Encoding not understood
	CodeHeaderTooLarge    = "header_too_large"   // 431
	CodeInternal          = "internal"           // 500: a bug; logged with the request id
	CodeOverloaded        = "overloaded"         // 503: the verification queue is full; retry later
	CodeNotReady          = "not_ready"          // 503: trust store or CRL cache not loaded yet
	CodeShuttingDown      = "shutting_down"      // 503: the replica is draining
	CodeTimeout           = "timeout"            // 503 (single) or per item: the verification deadline passed
	CodeCanceled          = "canceled"           // 503 or per item: the verification was cancelled
)

// Error is an error with the HTTP status and the JSON code it maps to
// (VictoriaMetrics' ErrorWithStatusCode). Handlers return it; the router
// writes {"error": Err.Error(), "code": Code} with Status.
type Error struct {
	Status int
	Code   string
	Err    error
}

func (e *Error) Error() string { return e.Err.Error() }
func (e *Error) Unwrap() error { return e.Err }

// errorf builds an *Error; the message is "server: " + the formatted text.
func errorf(status int, code, format string, a ...any) *Error {
	return &Error{Status: status, Code: code, Err: fmt.Errorf("server: "+format, a...)}
}

// statusOf maps any error to its status and code: an *Error anywhere in
// the chain decides; anything else is an internal error.
func statusOf(err error) (int, string) {
	var e *Error
	if errors.As(err, &e) {
		return e.Status, e.Code
	}
	return 500, CodeInternal
}
