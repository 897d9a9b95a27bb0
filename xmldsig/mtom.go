package xmldsig

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"
)

// Limits of ReadMultipart.
const (
	MaxMultipartSize  = 256 << 20 // bytes of all parts together, decoded
	MaxMultipartParts = 1024
)

// ReadMultipart reads a multipart/related (MTOM/XOP) message: contentType is
// its Content-Type header, r its body. It returns the root part (the one
// named by the start parameter, else the first) and the other parts by
// Content-ID without angle brackets, ready for Options.Parts.
// Content-Transfer-Encoding base64 and quoted-printable are decoded.
func ReadMultipart(contentType string, r io.Reader) (root []byte, parts map[string][]byte, err error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return nil, nil, formatErr(err, "bad multipart Content-Type")
	}
	if !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return nil, nil, formatErr(nil, "Content-Type %q is not multipart with a boundary", mt)
	}
	start := strings.Trim(params["start"], "<>")
	mr := multipart.NewReader(io.LimitReader(r, MaxMultipartSize+1<<20), params["boundary"])
	parts = map[string][]byte{}
	var first []byte
	firstID := ""
	total := 0
	for i := 0; ; i++ {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, formatErr(err, "malformed multipart body")
		}
		if i >= MaxMultipartParts {
			return nil, nil, formatErr(nil, "more than %d MIME parts", MaxMultipartParts)
		}
		body, err := io.ReadAll(io.LimitReader(p, int64(MaxMultipartSize-total)+1))
		if err != nil {
			return nil, nil, formatErr(err, "reading MIME part %d", i)
		}
		switch strings.ToLower(strings.TrimSpace(p.Header.Get("Content-Transfer-Encoding"))) {
		case "base64":
			body, err = decodeBase64(body)
			if err != nil {
				return nil, nil, formatErr(err, "MIME part %d: bad base64", i)
			}
		case "quoted-printable":
			return nil, nil, formatErr(nil, "MIME part %d: quoted-printable parts are not supported", i)
		}
		total += len(body)
		if total > MaxMultipartSize {
			return nil, nil, formatErr(nil, "MIME parts exceed %d bytes", MaxMultipartSize)
		}
		id := strings.TrimSpace(p.Header.Get("Content-ID"))
		id = strings.TrimSuffix(strings.TrimPrefix(id, "<"), ">")
		if i == 0 {
			first, firstID = body, id
		}
		if _, dup := parts[id]; dup && id != "" {
			return nil, nil, formatErr(nil, "duplicate Content-ID %q", id)
		}
		parts[id] = body
	}
	if first == nil {
		return nil, nil, formatErr(nil, "multipart body without parts")
	}
	if start != "" {
		var ok bool
		if root, ok = parts[start]; !ok {
			return nil, nil, formatErr(nil, "start part %q not found", start)
		}
		delete(parts, start)
		return root, parts, nil
	}
	delete(parts, firstID)
	return first, parts, nil
}

// BuildMultipart writes a multipart/related MTOM message (for tests and
// tools): root is the XML, parts go out base64-encoded with their
// Content-IDs. It returns the Content-Type.
func BuildMultipart(w io.Writer, root []byte, parts map[string][]byte, order []string) (string, error) {
	mw := multipart.NewWriter(w)
	hdr := func(ct, id, enc string) map[string][]string {
		return map[string][]string{"Content-Type": {ct}, "Content-ID": {"<" + id + ">"}, "Content-Transfer-Encoding": {enc}}
	}
	pw, err := mw.CreatePart(hdr(`application/xop+xml; charset=UTF-8; type="text/xml"`, "root.message@gostsig", "8bit"))
	if err != nil {
		return "", err
	}
	pw.Write(root)
	for _, id := range order {
		pw, err := mw.CreatePart(hdr("application/octet-stream", id, "base64"))
		if err != nil {
			return "", err
		}
		var b bytes.Buffer
		enc := base64.NewEncoder(base64.StdEncoding, &b)
		enc.Write(parts[id])
		enc.Close()
		pw.Write(b.Bytes())
	}
	if err := mw.Close(); err != nil {
		return "", err
	}
	return fmt.Sprintf(`multipart/related; type="application/xop+xml"; start="<root.message@gostsig>"; start-info="text/xml"; boundary=%q`, mw.Boundary()), nil
}
