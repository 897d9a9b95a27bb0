package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"gostsig.dev/internal/rfc3339"
	"gostsig.dev/report"
)

// reportVerifier, when not nil, replaces the gostsig.Verifier that
// "gostsig report" builds from the case (tests set it).
var reportVerifier report.Verifier

func init() {
	register("report", "write the expert commission's conclusion (PDF, HTML, JSON) or a rejection notice", runReport)
}

const reportUsage = `usage: gostsig report [flags] CASE

Checks every signature the case file names at the time of the check and
writes the commission's conclusion (see report/README.md for the case
file). With --notice it writes the receiver's rejection notice instead.
Outputs are written all or none; "-" is standard output.

Exit status: 0 written; 1 the check or the writing failed (or --notice
and every signature is valid); 64 bad flags or case file; 66 a file the
case names cannot be read.

`

// runReport implements "gostsig report".
func runReport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gostsig report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	at := fs.String("at", "", "time of the check, RFC 3339 (overrides the case's check_time; default now)")
	pdf := fs.String("pdf", "", "write the PDF to `FILE`")
	html := fs.String("html", "", "write the HTML to `FILE`")
	jsonOut := fs.String("json", "", "write the JSON annex to `FILE`")
	text := fs.String("text", "", "write plain text to `FILE`")
	notice := fs.Bool("notice", false, "write the receiver's rejection notice instead of the conclusion (default output: text on standard output)")
	offline := fs.Bool("offline", false, "never fetch anything over the network, whatever the case says")
	fs.Usage = func() {
		fmt.Fprint(stderr, reportUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "gostsig report: want exactly one CASE file")
		fs.Usage()
		return exitUsage
	}
	var opt report.Options
	if *at != "" {
		t, err := rfc3339.Parse(*at)
		if err != nil {
			fmt.Fprintf(stderr, "gostsig report: --at: want RFC 3339 time like 2025-06-10T11:00:00+03:00, got %q\n", *at)
			return exitUsage
		}
		opt.At = t
	}
	mode := report.ModeConclusion
	if *notice {
		mode = report.ModeNotice
	}
	var outs []report.Output
	for _, o := range []struct {
		f    report.Format
		path string
	}{{report.PDF, *pdf}, {report.HTML, *html}, {report.JSON, *jsonOut}, {report.Text, *text}} {
		if o.path != "" {
			outs = append(outs, report.Output{Format: o.f, Path: o.path})
		}
	}
	if len(outs) == 0 {
		if mode != report.ModeNotice {
			fmt.Fprintln(stderr, "gostsig report: give at least one output: --pdf, --html, --json or --text")
			return exitUsage
		}
		outs = []report.Output{{Format: report.Text, Path: "-"}}
	}

	c, err := report.LoadCase(fs.Arg(0))
	if err != nil {
		return reportError(stderr, err)
	}
	if err := c.Require(mode); err != nil {
		return reportError(stderr, err)
	}
	opt.Offline = *offline
	opt.Software = "gostsig " + Version
	opt.Verifier = reportVerifier
	r, err := report.Build(context.Background(), c, opt)
	if err != nil {
		return reportError(stderr, err)
	}
	if err := r.WriteOutputs(mode, outs, stdout); err != nil {
		return reportError(stderr, err)
	}
	return exitOK
}

// reportError prints err and maps it to the exit status.
func reportError(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "gostsig %v\n", err)
	var ce *report.CaseError
	var fe *report.FileError
	switch {
	case errors.As(err, &ce):
		return exitUsage
	case errors.As(err, &fe):
		return exitNoInput
	}
	return exitFailed
}
