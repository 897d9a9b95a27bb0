package report

import (
	"context"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/crl"
	"gostsig.dev/gostsig"
)

// Verifier is what a report needs of *gostsig.Verifier. A Verifier that
// also has Roots() []*cert.Certificate lists its trust anchors in the
// evidence annex.
type Verifier interface {
	Verify(ctx context.Context, in gostsig.Input) (*gostsig.Result, error)
}

type rootLister interface {
	Roots() []*cert.Certificate
}

// Options control Build.
type Options struct {
	// At is the time of the check; it overrides the case's check_time.
	// When both are zero, Clock (default time.Now) gives it.
	At    time.Time
	Clock func() time.Time
	// Offline, when true, forbids network fetches whatever the case says.
	Offline bool
	// Software names the program and its version for the evidence annex
	// ("gostsig v1.2.3").
	Software string
	// Verifier, when not nil, is used instead of a gostsig.Verifier built
	// from the case's files (roots, certificates, CRLs, policy, TSL).
	Verifier Verifier
}

// Report is a checked case, ready to render: the case, when and how the
// check was made, the verifier's result for every submitted signature and
// the evidence list. Build makes it; the renderers only read it. Nothing
// in a Report re-decides a verdict: every indication, message and check
// is the verifier's.
type Report struct {
	Case *Case
	// CheckTime is the time of the check, in Location.
	CheckTime time.Time
	Location  *time.Location
	// Received is the date the application was received; Due the last
	// day of the 10-working-day period.
	Received, Due Date
	// Calendar describes the working-day calendar used; CalendarUnsure is
	// set when a year without a known Government decree was involved.
	Calendar       string
	CalendarUnsure bool
	Offline        bool
	Software       string
	Policy         string
	Signatures     []SignatureReport
	Evidence       []Evidence
	Anchors        []Anchor
}

// SignatureReport is one submitted signature file and its result.
type SignatureReport struct {
	File     string
	Document string
	Title    string
	Result   *gostsig.Result
}

// Anchor is a trust anchor the verifier used.
type Anchor struct {
	Subject   string    `json:"subject"`
	Serial    string    `json:"serial"`
	NotBefore time.Time `json:"not_before"`
	NotAfter  time.Time `json:"not_after"`
	SHA1      string    `json:"sha1"`
}

// Build reads every file the case names, runs the verifier at the check
// time over every submitted signature and returns the Report.
//
// Errors: a file that cannot be read, or a certificate, CRL or policy file
// that cannot be parsed, is a *FileError naming it; a verifier failure
// (no verdict possible at all, see gostsig.Verifier.Verify) is returned
// wrapped. A malformed or invalid signature is not an error: it is a
// result, and the conclusion says so.
func Build(ctx context.Context, c *Case, opt Options) (*Report, error) {
	loc, err := loadZone(c.TimeZone)
	if err != nil {
		return nil, &CaseError{File: c.path, Line: c.lines["timezone"], Field: "timezone", Msg: err.Error()}
	}
	at := opt.At
	if at.IsZero() {
		at = c.CheckTime
	}
	if at.IsZero() {
		clock := opt.Clock
		if clock == nil {
			clock = time.Now
		}
		at = clock().Truncate(time.Second)
	}
	r := &Report{
		Case:      c,
		CheckTime: at.In(loc),
		Location:  loc,
		Offline:   opt.Offline || c.Offline == nil || *c.Offline,
		Software:  opt.Software,
	}
	if r.Software == "" {
		r.Software = "gostsig"
	}
	if a := c.Application; a != nil {
		r.Received = a.Received
		if r.Received.IsZero() {
			r.Received = a.Date
		}
		cal := newCalendar(c.Calendar)
		r.Due = cal.addWorkingDays(r.Received, dueWorkingDays)
		r.Calendar, r.CalendarUnsure = cal.source(r.Received, r.Due)
	}

	if len(c.raw) > 0 {
		r.Evidence = append(r.Evidence, newEvidence(RoleCase, filepath.Base(c.path), c.raw))
	}
	type sigInput struct {
		sig, doc []byte
		att      map[string][]byte
	}
	inputs := make([]sigInput, len(c.Files.Signatures))
	for i, s := range c.Files.Signatures {
		field := fmt.Sprintf("files.signatures[%d]", i)
		data, err := c.readFile(field+".file", s.File)
		if err != nil {
			return nil, err
		}
		r.Evidence = append(r.Evidence, newEvidence(RoleSignature, s.File, data))
		inputs[i].sig = data
		if s.Document != "" {
			doc, err := c.readFile(field+".document", s.Document)
			if err != nil {
				return nil, err
			}
			r.Evidence = append(r.Evidence, newEvidence(RoleDocument, s.Document, doc))
			inputs[i].doc = doc
		}
		for j, a := range s.Attachments {
			data, err := c.readFile(fmt.Sprintf("%s.attachments[%d].file", field, j), a.File)
			if err != nil {
				return nil, err
			}
			r.Evidence = append(r.Evidence, newEvidence(RoleAttachment, a.File, data))
			if inputs[i].att == nil {
				inputs[i].att = map[string][]byte{}
			}
			inputs[i].att[a.ID] = data
		}
	}
	var cfg gostsig.Config
	readAll := func(role, field string, names []string, check func([]byte) error) ([][]byte, error) {
		var out [][]byte
		for i, name := range names {
			f := fmt.Sprintf("%s[%d]", field, i)
			data, err := c.readFile(f, name)
			if err != nil {
				return nil, err
			}
			if err := check(data); err != nil {
				return nil, &FileError{Case: c.path, Line: c.lines[f], Field: f, Path: name, Err: err}
			}
			r.Evidence = append(r.Evidence, newEvidence(role, name, data))
			out = append(out, data)
		}
		return out, nil
	}
	parseCerts := func(b []byte) error { _, err := cert.ParseAll(b); return err }
	parseCRL := func(b []byte) error { _, err := crl.Parse(b); return err }
	if cfg.Intermediates, err = readAll(RoleCertificate, "files.certificates", c.Files.Certificates, parseCerts); err != nil {
		return nil, err
	}
	if cfg.CRLs, err = readAll(RoleCRL, "files.crls", c.Files.CRLs, parseCRL); err != nil {
		return nil, err
	}
	if cfg.Roots, err = readAll(RoleRoot, "files.roots", c.Files.Roots, parseCerts); err != nil {
		return nil, err
	}
	if p := c.Files.Policy; p != "" {
		data, err := c.readFile("files.policy", p)
		if err != nil {
			return nil, err
		}
		path := p
		if !filepath.IsAbs(path) {
			path = filepath.Join(c.dir, path)
		}
		if cfg.Policy, err = gostsig.LoadPolicy(path); err != nil {
			return nil, &FileError{Case: c.path, Line: c.lines["files.policy"], Field: "files.policy", Path: p, Err: err}
		}
		r.Evidence = append(r.Evidence, newEvidence(RolePolicy, p, data))
	}
	if t := c.Files.TSL; t != "" {
		data, err := c.readFile("files.tsl", t)
		if err != nil {
			return nil, err
		}
		cfg.TSL = data
		r.Evidence = append(r.Evidence, newEvidence(RoleTSL, t, data))
	}

	v := opt.Verifier
	if v == nil {
		cfg.Offline = r.Offline
		cfg.Clock = func() time.Time { return at }
		cfg.Diagnostic = true
		gv, err := gostsig.New(cfg)
		if err != nil {
			return nil, fmt.Errorf("report: setting up the verifier: %w", err)
		}
		v = gv
	}
	if rl, ok := v.(rootLister); ok {
		for _, rc := range rl.Roots() {
			sum := sha1.Sum(rc.Raw)
			r.Anchors = append(r.Anchors, Anchor{
				Subject:   rc.Subject.String(),
				Serial:    strings.ToUpper(hex.EncodeToString(rc.RawSerial)),
				NotBefore: rc.NotBefore,
				NotAfter:  rc.NotAfter,
				SHA1:      strings.ToUpper(hex.EncodeToString(sum[:])),
			})
		}
	}
	for i, s := range c.Files.Signatures {
		in := gostsig.Input{
			Signature:      inputs[i].sig,
			Content:        inputs[i].doc,
			Attachments:    inputs[i].att,
			ValidationTime: at,
			Offline:        r.Offline,
		}
		res, err := v.Verify(ctx, in)
		if err != nil {
			return nil, fmt.Errorf("report: verifying %s: %w", s.File, err)
		}
		if res == nil {
			return nil, fmt.Errorf("report: verifying %s: the verifier returned no result", s.File)
		}
		if r.Policy == "" {
			r.Policy = res.Policy
		}
		r.Signatures = append(r.Signatures, SignatureReport{File: s.File, Document: s.Document, Title: s.Title, Result: res})
	}
	return r, nil
}
