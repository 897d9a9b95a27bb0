package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gostsig.dev/gostsig/streebog"
)

// maxInputFileSize bounds every file a case names. Signed documents are
// read whole (the verifier needs the content), so the bound is what one
// check may hold in memory.
const maxInputFileSize = 256 << 20

// Roles of submitted files, as the evidence list names them.
const (
	RoleCase        = "case"
	RoleSignature   = "signature"
	RoleDocument    = "document"
	RoleAttachment  = "attachment"
	RoleCertificate = "certificate"
	RoleCRL         = "crl"
	RoleRoot        = "root"
	RolePolicy      = "policy"
	RoleTSL         = "tsl"
)

// Evidence is one input file: what it is, its size and digests.
type Evidence struct {
	Role string `json:"role"`
	// Path is the file as the case names it (relative to the case file).
	Path        string `json:"path"`
	Size        int64  `json:"size"`
	Streebog256 string `json:"streebog256"`
	SHA256      string `json:"sha256"`

	data []byte
}

func newEvidence(role, path string, data []byte) Evidence {
	sb := streebog.Sum256(data)
	sh := sha256.Sum256(data)
	return Evidence{
		Role:        role,
		Path:        path,
		Size:        int64(len(data)),
		Streebog256: hex.EncodeToString(sb[:]),
		SHA256:      hex.EncodeToString(sh[:]),
		data:        data,
	}
}

// readLimited reads r up to limit bytes; more is an error.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return data, nil
}

// readCaseFile reads a file the case names at field, relative to the
// case file's directory. Directories are not accepted: the evidence list
// names each file.
func (c *Case) readFile(field, name string) ([]byte, error) {
	p := name
	if !filepath.IsAbs(p) {
		p = filepath.Join(c.dir, p)
	}
	fail := func(err error) error {
		return &FileError{Case: c.path, Line: c.lines[field], Field: field, Path: name, Err: err}
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fail(unwrapPathError(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fail(unwrapPathError(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, fail(fmt.Errorf("not a regular file"))
	}
	data, err := readLimited(f, maxInputFileSize)
	if err != nil {
		return nil, fail(unwrapPathError(err))
	}
	return data, nil
}
