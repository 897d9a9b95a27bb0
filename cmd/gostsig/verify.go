package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"gostsig.dev/gostsig"
)

// maxSignatureFile bounds a signature file read into memory. Attached CMS
// files carry the document; a gigabyte is beyond any real one. Detached
// content is streamed and has no limit.
const maxSignatureFile = 1 << 30

func init() {
	register("verify", "verify CMS/CAdES or SMEV/XMLDSig signatures", runVerify)
}

// pathList is a repeatable flag of paths.
type pathList []string

func (p *pathList) String() string     { return strings.Join(*p, ",") }
func (p *pathList) Set(v string) error { *p = append(*p, v); return nil }

// trustFlags are the flags "verify" and "serve" share (interfaces.md):
// --roots, --certs, --crl, --offline, --at, --policy, plus --tsl. The
// output flag --format is verify's own (outputFlags): serve answers JSON.
type trustFlags struct {
	roots, certs, crls pathList
	offline            bool
	at                 string
	policy             string
	tsl                string
}

// addTrustFlags registers the shared trust flags on fs.
func addTrustFlags(fs *flag.FlagSet) *trustFlags {
	t := &trustFlags{}
	fs.Var(&t.roots, "roots", "trust anchors: certificate `file or directory` (DER or PEM), repeatable; replaces the embedded ГУЦ roots")
	fs.Var(&t.certs, "certs", "extra certificates for path building: `file or directory`, repeatable")
	fs.Var(&t.crls, "crl", "CRLs to use: `file or directory` (DER or PEM), repeatable")
	fs.BoolVar(&t.offline, "offline", false, "never fetch anything over the network (CRLs, AIA)")
	fs.StringVar(&t.at, "at", "", "validation `time` (RFC 3339); default now")
	fs.StringVar(&t.policy, "policy", "", "validation policy `file` (YAML or JSON)")
	fs.StringVar(&t.tsl, "tsl", "", "ГУЦ trusted list of accredited CAs (TSL XML `file`)")
	return t
}

// outputFlags are verify's output flags: --format.
type outputFlags struct {
	format string
}

// addOutputFlags registers verify's output flags on fs.
func addOutputFlags(fs *flag.FlagSet) *outputFlags {
	o := &outputFlags{}
	fs.StringVar(&o.format, "format", "", "output `format`: json or text (default text on a terminal, json otherwise)")
	return o
}

// cliError carries the exit status an argument problem maps to.
type cliError struct {
	status int
	err    error
}

func (e *cliError) Error() string { return e.err.Error() }

func usageErr(format string, a ...any) error {
	return &cliError{status: exitUsage, err: fmt.Errorf(format, a...)}
}

func noInputErr(err error) error { return &cliError{status: exitNoInput, err: err} }

// exitStatusOf maps an argument error to its exit status.
func exitStatusOf(err error) int {
	var ce *cliError
	if errors.As(err, &ce) {
		return ce.status
	}
	return exitUsage
}

// validationTime parses --at; zero when absent.
func (t *trustFlags) validationTime() (time.Time, error) {
	if t.at == "" {
		return time.Time{}, nil
	}
	at, err := time.Parse(time.RFC3339, t.at)
	if err != nil {
		return time.Time{}, usageErr("--at %q: want an RFC 3339 time such as 2026-11-22T12:00:00Z", t.at)
	}
	return at, nil
}

// config turns the trust flags into a gostsig.Config.
func (t *trustFlags) config() (gostsig.Config, error) {
	var cfg gostsig.Config
	cfg.Offline = t.offline
	var err error
	if len(t.roots) > 0 {
		if cfg.Roots, err = readInputs(t.roots, certExts); err != nil {
			return cfg, err
		}
		if len(cfg.Roots) == 0 {
			return cfg, usageErr("--roots: no certificate files found")
		}
	}
	if cfg.Intermediates, err = readInputs(t.certs, certExts); err != nil {
		return cfg, err
	}
	if cfg.CRLs, err = readInputs(t.crls, crlExts); err != nil {
		return cfg, err
	}
	if t.tsl != "" {
		if cfg.TSL, err = os.ReadFile(t.tsl); err != nil {
			return cfg, noInputErr(err)
		}
	}
	if t.policy != "" {
		p, err := gostsig.LoadPolicy(t.policy)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) {
				return cfg, noInputErr(err)
			}
			return cfg, usageErr("--policy: %v", err)
		}
		cfg.Policy = p
	}
	return cfg, nil
}

// outputJSON decides --format: explicit, else json unless w is a terminal.
func (o *outputFlags) outputJSON(w io.Writer) (bool, error) {
	switch o.format {
	case "json":
		return true, nil
	case "text":
		return false, nil
	case "":
		return !isTerminal(w), nil
	}
	return false, usageErr("--format %q: want json or text", o.format)
}

var (
	certExts = []string{".cer", ".crt", ".pem", ".der"}
	crlExts  = []string{".crl", ".pem", ".der"}
)

// readInputs reads every file named, and in a named directory every file
// with one of exts (not recursive, hidden files skipped).
func readInputs(paths []string, exts []string) ([][]byte, error) {
	var out [][]byte
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, noInputErr(err)
		}
		if !fi.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return nil, noInputErr(err)
			}
			out = append(out, b)
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, noInputErr(err)
		}
		for _, e := range ents {
			name := e.Name()
			if strings.HasPrefix(name, ".") || !e.Type().IsRegular() || !hasExt(name, exts) {
				continue
			}
			b, err := os.ReadFile(filepath.Join(p, name))
			if err != nil {
				return nil, noInputErr(err)
			}
			out = append(out, b)
		}
	}
	return out, nil
}

func hasExt(name string, exts []string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	for _, e := range exts {
		if ext == e {
			return true
		}
	}
	return false
}

// sigExts are the extensions of signature files picked up from a
// directory; a file "X.<ext>" whose sibling "X" exists is verified as a
// detached signature of X.
var sigExts = []string{".sig", ".sgn", ".p7s", ".p7m", ".cms", ".xml"}

// detachedExts are the extensions that can name a detached signature of
// the file without them (XML messages carry their data).
var detachedExts = []string{".sig", ".sgn", ".p7s", ".p7m", ".cms"}

// verifyStdin is what "-" reads; tests replace it.
var verifyStdin io.Reader = os.Stdin

func verifyUsage(fs *flag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprintln(w, "usage: gostsig verify [flags] SIGNATURE [CONTENT]")
		fmt.Fprintln(w, "       gostsig verify [flags] DIR|FILE...   (one line per file and a summary)")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "SIGNATURE is CMS (DER, PEM or base64; attached or detached) or XML (SMEV 3, SMEV 2,")
		fmt.Fprintln(w, "XMLDSig); - reads standard input. CONTENT is the signed file of a detached signature.")
		fmt.Fprintln(w, "Exit status: 0 TOTAL_PASSED, 1 TOTAL_FAILED, 2 INDETERMINATE, 64 usage, 66 unreadable input.")
		fmt.Fprintln(w)
		fs.PrintDefaults()
	}
}

// parseInterleaved parses flags that may follow positional arguments
// ("gostsig verify a.sig --at …"); "--" ends the flags.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

type verifyCmd struct {
	stdout, stderr io.Writer
	tf             *trustFlags
	json           bool
	v              *gostsig.Verifier
	at             time.Time
	contentHash    *gostsig.ContentHash
	attachments    map[string][]byte
	progress       bool
	jobs           int
}

// runVerify implements "gostsig verify" (interfaces.md).
func runVerify(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("gostsig verify", flag.ContinueOnError)
	fset.SetOutput(stderr)
	tf := addTrustFlags(fset)
	of := addOutputFlags(fset)
	contentHash := fset.String("content-hash", "", "hash of the detached content instead of CONTENT: `ALG:HEX` (streebog256, streebog512, gostr341194)")
	var attach pathList
	fset.Var(&attach, "attachment", "SMEV attachment `file`, repeatable (its id is the file name)")
	batch := fset.Bool("batch", false, "treat every argument as a signature to verify (even two files)")
	jobs := fset.Int("jobs", runtime.GOMAXPROCS(0), "files verified in parallel in batch mode")
	noProgress := fset.Bool("no-progress", false, "no progress bar in batch mode")
	diag := fset.Bool("diagnostic", false, "include the diagnostic layer (digests, certificates) in JSON")
	fset.Usage = verifyUsage(fset, stderr)

	pos, err := parseInterleaved(fset, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	c := &verifyCmd{stdout: stdout, stderr: stderr, tf: tf, jobs: *jobs}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "gostsig verify: %v\n", err)
		return exitStatusOf(err)
	}
	if len(pos) == 0 {
		fset.Usage()
		return exitUsage
	}
	if c.json, err = of.outputJSON(stdout); err != nil {
		return fail(err)
	}
	if c.at, err = tf.validationTime(); err != nil {
		return fail(err)
	}
	if c.jobs < 1 {
		return fail(usageErr("--jobs must be at least 1"))
	}
	if *contentHash != "" {
		if c.contentHash, err = gostsig.ParseContentHash(*contentHash); err != nil {
			return fail(usageErr("--content-hash: %v", strings.TrimPrefix(err.Error(), "gostsig: ")))
		}
	}
	if len(attach) > 0 {
		c.attachments = map[string][]byte{}
		for _, p := range attach {
			b, err := os.ReadFile(p)
			if err != nil {
				return fail(noInputErr(err))
			}
			c.attachments[filepath.Base(p)] = b
		}
	}

	// Single mode: SIGNATURE [CONTENT], both files. Batch mode: a
	// directory, more than two arguments, or --batch.
	single := !*batch && len(pos) <= 2
	for _, p := range pos {
		if p == "-" {
			continue
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			single = false
		} else if err != nil && single {
			return fail(noInputErr(err))
		}
	}
	if !single && c.contentHash != nil {
		return fail(usageErr("--content-hash goes with one SIGNATURE"))
	}
	if single && len(pos) == 2 && c.contentHash != nil {
		return fail(usageErr("give CONTENT or --content-hash, not both"))
	}

	cfg, err := tf.config()
	if err != nil {
		return fail(err)
	}
	cfg.Diagnostic = *diag
	if c.v, err = gostsig.New(cfg); err != nil {
		return fail(usageErr("%v", err))
	}
	if single {
		content := ""
		if len(pos) == 2 {
			content = pos[1]
		}
		return c.single(pos[0], content)
	}
	c.progress = !*noProgress && isTerminal(stderr)
	return c.batch(pos)
}

// job is one signature file to verify.
type job struct {
	sig, content string
}

// verifyFile verifies one signature file. err is non-nil when no verdict
// was possible; status is then the exit status it maps to.
func (c *verifyCmd) verifyFile(ctx context.Context, j job) (*gostsig.Result, int, error) {
	var sig []byte
	var err error
	if j.sig == "-" {
		sig, err = io.ReadAll(io.LimitReader(verifyStdin, maxSignatureFile+1))
	} else {
		sig, err = readLimited(j.sig)
	}
	if err != nil {
		return nil, exitNoInput, err
	}
	if len(sig) > maxSignatureFile {
		return nil, exitNoInput, fmt.Errorf("%s: over the %d-byte limit of a signature file", j.sig, maxSignatureFile)
	}
	in := gostsig.Input{
		Signature:      sig,
		ContentHash:    c.contentHash,
		Attachments:    c.attachments,
		ValidationTime: c.at,
		Offline:        c.tf.offline,
	}
	if j.content != "" {
		f, err := os.Open(j.content)
		if err != nil {
			return nil, exitNoInput, err
		}
		defer f.Close()
		in.ContentReader = f
	}
	res, err := c.v.Verify(ctx, in)
	if err != nil {
		var ie *gostsig.InputError
		if errors.As(err, &ie) {
			return nil, exitUsage, err
		}
		var pe *fs.PathError
		if errors.As(err, &pe) || errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, exitNoInput, err
		}
		return nil, exitFailed, err
	}
	return res, exitStatusFor(res.Indication), nil
}

func readLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, maxSignatureFile+1))
}

func exitStatusFor(ind gostsig.Indication) int {
	switch ind {
	case gostsig.TotalPassed:
		return exitOK
	case gostsig.TotalFailed:
		return exitFailed
	}
	return exitIndet
}

func (c *verifyCmd) single(sig, content string) int {
	res, status, err := c.verifyFile(context.Background(), job{sig: sig, content: content})
	if err != nil {
		fmt.Fprintf(c.stderr, "gostsig verify: %v\n", err)
		return status
	}
	if c.json {
		if err := writeJSON(c.stdout, res); err != nil {
			fmt.Fprintf(c.stderr, "gostsig verify: writing output: %v\n", err)
			return exitFailed
		}
		return status
	}
	name := sig
	if name == "-" {
		name = "стандартный ввод"
	}
	writeText(c.stdout, name, res)
	return status
}

func writeJSON(w io.Writer, v any) error {
	if r, ok := v.(*gostsig.Result); ok {
		// The encoder the HTTP service uses (byte for byte encoding/json's),
		// indented as json.Encoder.SetIndent indents.
		b, err := r.AppendJSON(nil)
		if err != nil {
			return err
		}
		var out bytes.Buffer
		if err := json.Indent(&out, append(b, '\n'), "", "  "); err != nil {
			return err
		}
		_, err = w.Write(out.Bytes())
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// collectJobs expands directories and pairs detached signatures with
// their content: "doc.pdf.sig" goes with "doc.pdf" when that file exists.
func collectJobs(args []string) ([]job, []string) {
	var jobs []job
	var bad []string
	add := func(p string) {
		j := job{sig: p}
		if hasExt(p, detachedExts) {
			base := strings.TrimSuffix(p, filepath.Ext(p))
			if fi, err := os.Stat(base); err == nil && fi.Mode().IsRegular() {
				j.content = base
			}
		}
		jobs = append(jobs, j)
	}
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			bad = append(bad, a)
			continue
		}
		if !fi.IsDir() {
			add(a)
			continue
		}
		var found []string
		filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				bad = append(bad, p)
				return nil
			}
			if p != a && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.Type().IsRegular() && hasExt(p, sigExts) {
				found = append(found, p)
			}
			return nil
		})
		sort.Strings(found)
		for _, p := range found {
			add(p)
		}
	}
	return jobs, bad
}

// batchLine is one file's outcome in batch mode; in JSON it is the result
// with a "file" field (and "content" for a detached pair), or an "error".
type batchLine struct {
	File    string `json:"file"`
	Content string `json:"content,omitempty"`
	Error   string `json:"error,omitempty"`
	*gostsig.Result
	status int
}

type batchSummary struct {
	Files          int            `json:"files"`
	Passed         int            `json:"total_passed"`
	Failed         int            `json:"total_failed"`
	Indeterminate  int            `json:"indeterminate"`
	Errors         int            `json:"errors"`
	SubIndications map[string]int `json:"subindications,omitempty"`
}

func (c *verifyCmd) batch(args []string) int {
	jobs, bad := collectJobs(args)
	lines := make([]batchLine, len(jobs))
	done := make([]chan struct{}, len(jobs))
	for i := range done {
		done[i] = make(chan struct{})
	}
	ctx := context.Background()
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < c.jobs && w < len(jobs); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				res, status, err := c.verifyFile(ctx, jobs[i])
				l := batchLine{File: jobs[i].sig, Content: jobs[i].content, Result: res, status: status}
				if err != nil {
					l.Error = err.Error()
				}
				lines[i] = l
				close(done[i])
			}
		}()
	}
	go func() {
		for i := range jobs {
			work <- i
		}
		close(work)
	}()

	var bar *progressBar
	if c.progress && len(jobs) > 1 {
		bar = newProgressBar(c.stderr, len(jobs))
	}
	sum := batchSummary{Files: len(jobs) + len(bad), SubIndications: map[string]int{}}
	worst := exitOK
	for _, b := range bad {
		fmt.Fprintf(c.stderr, "gostsig verify: %s: cannot be read\n", b)
		sum.Errors++
		worst = exitNoInput
	}
	if c.json {
		io.WriteString(c.stdout, "{\n  \"results\": [")
	}
	for i := range jobs {
		<-done[i]
		l := lines[i]
		bar.clear()
		switch {
		case l.Error != "":
			sum.Errors++
			worst = exitNoInput
		case l.Indication == gostsig.TotalPassed:
			sum.Passed++
		case l.Indication == gostsig.TotalFailed:
			sum.Failed++
			sum.SubIndications[l.SubIndication.String()]++
			if worst != exitNoInput {
				worst = exitFailed
			}
		default:
			sum.Indeterminate++
			sum.SubIndications[l.SubIndication.String()]++
			if worst == exitOK {
				worst = exitIndet
			}
		}
		if c.json {
			if i > 0 {
				io.WriteString(c.stdout, ",")
			}
			b, _ := json.Marshal(&l)
			fmt.Fprintf(c.stdout, "\n    %s", b)
		} else {
			writeBatchLine(c.stdout, &l)
		}
		bar.step()
	}
	wg.Wait()
	bar.finish()
	if c.json {
		b, _ := json.Marshal(&sum)
		fmt.Fprintf(c.stdout, "\n  ],\n  \"summary\": %s\n}\n", b)
	} else {
		writeSummary(c.stdout, &sum)
	}
	return worst
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
