package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"gostsig.dev/gostsig"
)

// Format is an output format.
type Format string

const (
	PDF  Format = "pdf"  // A4, fonts embedded
	HTML Format = "html" // one self-contained file
	JSON Format = "json" // the machine annex
	Text Format = "text" // plain UTF-8 text
)

// AnnexSchema names the layout of the JSON annex.
const AnnexSchema = "gostsig-report/1"

// Annex is the machine-readable annex (the JSON output): the case, the
// verifier's JSON result of every signature (interfaces.md) and the
// evidence list.
type Annex struct {
	Schema      string            `json:"schema"`
	Software    string            `json:"software"`
	Policy      string            `json:"policy"`
	Number      string            `json:"number,omitempty"`
	CheckTime   string            `json:"check_time"`
	TimeZone    string            `json:"timezone"`
	Place       string            `json:"place,omitempty"`
	Offline     bool              `json:"offline"`
	CA          *CA               `json:"ca,omitempty"`
	Application *AnnexApplication `json:"application,omitempty"`
	Commission  []Member          `json:"commission,omitempty"`
	Notice      *Notice           `json:"notice,omitempty"`
	// Signatures hold the verifier's result of every submitted file.
	Signatures []AnnexSignature `json:"signatures"`
	// Summary counts signatures by indication.
	Summary  map[string]int `json:"summary"`
	Evidence []Evidence     `json:"evidence"`
	Anchors  []Anchor       `json:"trust_anchors"`
}

// AnnexApplication is the application with its computed due date.
type AnnexApplication struct {
	Number    string `json:"number"`
	Date      Date   `json:"date"`
	Received  Date   `json:"received"`
	DueDate   Date   `json:"due_date"`
	Calendar  string `json:"calendar"`
	Applicant *Party `json:"applicant"`
	Basis     string `json:"basis,omitempty"`
}

// AnnexSignature is one submitted signature file and the verifier's result.
type AnnexSignature struct {
	File     string          `json:"file"`
	Document string          `json:"document,omitempty"`
	Title    string          `json:"title,omitempty"`
	Result   *gostsig.Result `json:"result"`
}

// annex builds the JSON annex.
func (r *Report) annex() *Annex {
	c := r.Case
	a := &Annex{
		Schema:     AnnexSchema,
		Software:   r.Software,
		Policy:     r.Policy,
		Number:     c.Number,
		CheckTime:  r.CheckTime.Format(time.RFC3339),
		TimeZone:   r.Location.String(),
		Place:      c.Place,
		Offline:    r.Offline,
		CA:         c.CA,
		Commission: c.Commission,
		Notice:     c.Notice,
		Evidence:   r.Evidence,
		Anchors:    r.Anchors,
		Summary:    map[string]int{},
	}
	if a.Anchors == nil {
		a.Anchors = []Anchor{}
	}
	if ap := c.Application; ap != nil {
		a.Application = &AnnexApplication{ap.Number, ap.Date, r.Received, r.Due, r.Calendar, ap.Applicant, ap.Basis}
	}
	a.Signatures = []AnnexSignature{}
	for _, s := range r.Signatures {
		a.Signatures = append(a.Signatures, AnnexSignature{s.File, s.Document, s.Title, s.Result})
	}
	for _, s := range r.sigRefs() {
		ind := s.file.Result.Indication
		if s.sig != nil {
			ind = s.sig.Indication
		}
		a.Summary[ind.String()]++
	}
	return a
}

// Render writes the conclusion (ModeConclusion) or the rejection notice
// (ModeNotice) in the format f. The JSON format is the same annex in both
// modes. The output depends only on the Report: the same case, files and
// check time give the same bytes.
func (r *Report) Render(w io.Writer, m Mode, f Format) error {
	if f == JSON {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r.annex()); err != nil {
			return fmt.Errorf("report: encoding JSON: %w", err)
		}
		_, err := w.Write(buf.Bytes())
		return err
	}
	if err := r.Case.Require(m); err != nil {
		return err
	}
	var d *doc
	if m == ModeNotice {
		var err error
		if d, err = r.notice(); err != nil {
			return err
		}
	} else {
		d = r.conclusion()
	}
	switch f {
	case PDF:
		return writePDF(w, d, r.created())
	case HTML:
		return writeHTML(w, d)
	case Text:
		return writeText(w, d)
	}
	return fmt.Errorf("report: unknown format %q", f)
}

// created is the date written into the PDF: the notice's date, else the
// check time. Never the clock.
func (r *Report) created() time.Time {
	if n := r.Case.Notice; n != nil && r.Case.CA == nil {
		return time.Date(n.Date.Year, n.Date.Month, n.Date.Day, 12, 0, 0, 0, r.Location)
	}
	return r.CheckTime
}

// Output is one requested output file; Path "-" means the writer given to
// WriteOutputs (standard output).
type Output struct {
	Format Format
	Path   string
}

// WriteOutputs renders every output and writes them all or none: each is
// rendered in memory first, then written to a temporary file beside its
// destination and renamed over it only when every output is ready. On any
// error no destination file has been created or changed (a failure of the
// final renames, which is unusual on one file system, removes the outputs
// already renamed). At most one output may be "-".
func (r *Report) WriteOutputs(m Mode, outs []Output, stdout io.Writer) error {
	bufs := make([][]byte, len(outs))
	dash := 0
	for i, o := range outs {
		if o.Path == "-" {
			if dash++; dash > 1 {
				return errors.New("report: at most one output may go to standard output")
			}
		}
		var b bytes.Buffer
		if err := r.Render(&b, m, o.Format); err != nil {
			return err
		}
		bufs[i] = b.Bytes()
	}
	type pending struct{ tmp, dst string }
	var done []pending
	cleanup := func() {
		for _, p := range done {
			os.Remove(p.tmp)
		}
	}
	for i, o := range outs {
		if o.Path == "-" {
			continue
		}
		dir, base := filepath.Split(o.Path)
		if dir == "" {
			dir = "."
		}
		f, err := os.CreateTemp(dir, "."+base+".tmp*")
		if err != nil {
			cleanup()
			return fmt.Errorf("report: writing %s: %w", o.Path, unwrapPathError(err))
		}
		done = append(done, pending{f.Name(), o.Path})
		_, err = f.Write(bufs[i])
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err == nil {
			err = os.Chmod(f.Name(), 0o644)
		}
		if err != nil {
			cleanup()
			return fmt.Errorf("report: writing %s: %w", o.Path, err)
		}
	}
	for k, p := range done {
		if err := os.Rename(p.tmp, p.dst); err != nil {
			for _, q := range done[:k] {
				os.Remove(q.dst)
			}
			for _, q := range done[k:] {
				os.Remove(q.tmp)
			}
			return fmt.Errorf("report: writing %s: %w", p.dst, err)
		}
	}
	for i, o := range outs {
		if o.Path == "-" {
			if _, err := stdout.Write(bufs[i]); err != nil {
				return fmt.Errorf("report: writing standard output: %w", err)
			}
		}
	}
	return nil
}
