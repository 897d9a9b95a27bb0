package gostsig

import (
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"gostsig.dev/internal/oid"

	"encoding/asn1"
)

// Input is one verification request.
type Input struct {
	// Signature is the signature document: CMS SignedData (DER, BER, PEM
	// or base64; attached or detached) or an XML document (SMEV 3, SMEV 2,
	// XMLDSig). The format is detected from the bytes.
	Signature []byte

	// The signed content of a detached CMS signature, one of: Content (in
	// memory), ContentReader (streamed and hashed as it is read, for large
	// files), or ContentHash (hash-only mode: the digest of the content
	// with the signature's digest algorithm). At most one may be set. For
	// an attached signature they are not needed; when given they must
	// match the embedded content (a ContentHash in the algorithm it
	// names), else HASH_FAILURE (see POLICY.md).
	Content       []byte
	ContentReader io.Reader
	ContentHash   *ContentHash

	// Certificates are extra certificates for finding the signer and
	// building the path (DER, PEM or base64; each element may hold several).
	Certificates [][]byte
	// CRLs are extra CRLs, used next to the Verifier's: each element is a
	// DER CRL or PEM with any number of X509 CRL blocks (other blocks
	// ignored).
	CRLs [][]byte
	// Attachments are SMEV attachments by their id (the attachment's
	// content id or file name as the message references it).
	Attachments map[string][]byte

	// ValidationTime is the time of the check; zero means the Verifier's
	// clock (now).
	ValidationTime time.Time
	// Offline forbids network fetches (CRLs, AIA) for this request even
	// when the Verifier may fetch.
	Offline bool
}

// ContentHash is the digest of a detached signature's content, for
// hash-only verification.
type ContentHash struct {
	// Algorithm is "streebog256", "streebog512" or "gostr341194" (the
	// names of `gostsig hash -a`).
	Algorithm string
	Value     []byte
}

// hashAlgorithms maps the CLI/HTTP names to digest OIDs and sizes.
var hashAlgorithms = map[string]struct {
	oid  asn1.ObjectIdentifier
	size int
}{
	"streebog256": {oid.Streebog256, 32},
	"streebog512": {oid.Streebog512, 64},
	"gostr341194": {oid.GostR3411_94, 32},
}

// ParseContentHash parses "ALG:HEX" as the CLI's --content-hash takes it
// (ALG one of streebog256, streebog512, gostr341194).
func ParseContentHash(s string) (*ContentHash, error) {
	alg, hx, ok := strings.Cut(s, ":")
	if !ok {
		return nil, fmt.Errorf("gostsig: content hash %q: want ALG:HEX", s)
	}
	alg = strings.ToLower(strings.TrimSpace(alg))
	v, err := hex.DecodeString(strings.TrimSpace(hx))
	if err != nil {
		return nil, fmt.Errorf("gostsig: content hash: bad hex: %v", err)
	}
	h := &ContentHash{Algorithm: alg, Value: v}
	if err := h.validate(); err != nil {
		return nil, err
	}
	return h, nil
}

func (h *ContentHash) validate() error {
	a, ok := hashAlgorithms[h.Algorithm]
	if !ok {
		return fmt.Errorf("gostsig: content hash: unknown algorithm %q (want streebog256, streebog512 or gostr341194)", h.Algorithm)
	}
	if len(h.Value) != a.size {
		return fmt.Errorf("gostsig: content hash: %s digest is %d bytes, got %d", h.Algorithm, a.size, len(h.Value))
	}
	return nil
}
