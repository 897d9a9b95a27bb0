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
	"strings"
	"sync"
	"time"

	"gostsig.dev/gostsig"
	"gostsig.dev/internal/rfc3339"
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
	fs.Var(&t.roots, "roots", "trust anchors: certificate `file or directory` (DER or PEM; every certificate of a bundle), repeatable; replaces the embedded ГУЦ roots")
	fs.Var(&t.certs, "certs", "extra certificates for path building: `file or directory`, repeatable")
	fs.Var(&t.crls, "crl", "CRLs to use: `file or directory` (DER or PEM; every X509 CRL block of a bundle), repeatable")
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
	at, err := rfc3339.Parse(t.at)
	if err != nil {
		return time.Time{}, usageErr("--at %q: нужно время RFC 3339, например 2026-11-22T12:00:00Z", t.at)
	}
	return at, nil
}

// config turns the trust flags into a gostsig.Config.
func (t *trustFlags) config() (gostsig.Config, error) {
	var cfg gostsig.Config
	cfg.Offline = t.offline
	var err error
	if len(t.roots) > 0 {
		if cfg.Roots, err = loadCertDERs("--roots", t.roots); err != nil {
			return cfg, err
		}
		if len(cfg.Roots) == 0 {
			return cfg, usageErr("--roots %s (root certificates): no certificate found", strings.Join(t.roots, " "))
		}
	}
	if cfg.Intermediates, err = loadCertDERs("--certs", t.certs); err != nil {
		return cfg, err
	}
	if cfg.CRLs, err = loadCRLDERs("--crl", t.crls); err != nil {
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
	return false, usageErr("--format %q: допустимо json или text", o.format)
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

// sigExts are the extensions that make a file of a directory a signature
// to verify whatever its content (a damaged one gets its FORMAT_FAILURE);
// other files are verified when they sniff as CMS or XML signatures
// (sniff.go): .pem, .der, .b64, .xml, or no extension at all.
var sigExts = []string{".sig", ".sgn", ".p7s", ".p7m", ".cms"}

// bundleExts are certificates-only PKCS #7 files: SignedData without
// signers, never verified as signatures.
var bundleExts = []string{".p7b", ".p7c"}

// A CMS signature "X.<ext>" whose sibling "X" exists is verified as a
// detached signature of X (XML messages carry their data, so an XML
// signature is never paired).

// verifyStdin is what "-" reads; tests replace it.
var verifyStdin io.Reader = os.Stdin

func verifyUsage(fs *flag.FlagSet, w io.Writer) func() {
	return func() {
		fmt.Fprintln(w, "usage: gostsig verify [flags] SIGNATURE [CONTENT]")
		fmt.Fprintln(w, "       gostsig verify [flags] DIR|FILE...   (one line per file and a summary)")
		fmt.Fprintln(w)
		fmt.Fprintln(w, "SIGNATURE is CMS (DER, PEM or base64; attached or detached) or XML (SMEV 3, SMEV 2,")
		fmt.Fprintln(w, "XMLDSig); - reads standard input. CONTENT is the signed file of a detached signature")
		fmt.Fprintln(w, "(- reads standard input). In a DIR, signatures are found by extension and by content;")
		fmt.Fprintln(w, "X.sig is verified with X; other files are listed as skipped, with the reason.")
		fmt.Fprintln(w, "Exit status: 0 TOTAL_PASSED, 1 TOTAL_FAILED, 2 INDETERMINATE, 64 usage, 66 unreadable input")
		fmt.Fprintln(w, "or no signature file found.")
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
	diagnostic     bool // --diagnostic: the text output shows the causes
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
	diag := fset.Bool("diagnostic", false, "include the diagnostic layer (digests, certificates) in JSON, and in text the technical cause under each check")
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
		fmt.Fprintf(stderr, "gostsig verify: %v\n", fileErrRU(err))
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
		return fail(usageErr("--jobs: нужно не меньше 1"))
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
	// directory, more than two arguments, or --batch. "SIGNATURE DIR" is
	// neither: the second of two arguments is CONTENT, and a directory
	// cannot be the signed document (QA2 F8); a batch of a file and a
	// directory is asked for with --batch.
	single := !*batch && len(pos) <= 2
	isDir := make([]bool, len(pos))
	for i, p := range pos {
		if p == "-" {
			continue
		}
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			isDir[i] = true
			single = false
		} else if err != nil && single {
			return fail(noInputErr(err))
		}
	}
	if !*batch && len(pos) == 2 && !isDir[0] && isDir[1] {
		return fail(usageErr("CONTENT %s — каталог, а не файл подписанного документа; "+
			"чтобы проверить все подписи каталога вместе с SIGNATURE: gostsig verify --batch %s %s", pos[1], pos[0], pos[1]))
	}
	if single && len(pos) == 2 && pos[0] == "-" && pos[1] == "-" {
		return fail(usageErr("SIGNATURE и CONTENT не могут оба быть стандартным вводом (-)"))
	}
	if !single && c.contentHash != nil {
		return fail(usageErr("--content-hash применим только к одной подписи (SIGNATURE)"))
	}
	if single && len(pos) == 2 && c.contentHash != nil {
		return fail(usageErr("укажите CONTENT или --content-hash, но не оба сразу"))
	}

	cfg, err := tf.config()
	if err != nil {
		return fail(err)
	}
	cfg.Diagnostic = *diag
	c.diagnostic = *diag
	if c.v, err = gostsig.New(cfg); err != nil {
		return fail(usageErr("%v", err))
	}
	if single {
		content := ""
		if len(pos) == 2 {
			content = pos[1]
			c.hintIfSignature(content)
		}
		return c.single(pos[0], content)
	}
	c.progress = !*noProgress && isTerminal(stderr)
	return c.batch(pos)
}

// job is one signature file to verify ("-": standard input), with the
// content of a detached signature ("-": standard input). err is set when
// the file could not even be found or listed: the job then reports it.
type job struct {
	sig, content string
	err          error
}

// verifyFile verifies one signature file. err is non-nil when no verdict
// was possible; status is then the exit status it maps to.
func (c *verifyCmd) verifyFile(ctx context.Context, j job) (*gostsig.Result, int, error) {
	if j.err != nil {
		return nil, exitNoInput, j.err
	}
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
		return nil, exitNoInput, fmt.Errorf("%s: файл подписи больше предела в %d байт", j.sig, maxSignatureFile)
	}
	in := gostsig.Input{
		Signature:      sig,
		ContentHash:    c.contentHash,
		Attachments:    c.attachments,
		ValidationTime: c.at,
		Offline:        c.tf.offline,
	}
	if j.content == "-" {
		in.ContentReader = verifyStdin
	} else if j.content != "" {
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

// hintIfSignature says on stderr when CONTENT looks like a signature
// itself: "verify a.p7s b.p7s" more often means two signatures than a
// signature of a signature. The command still does what it was asked.
func (c *verifyCmd) hintIfSignature(content string) {
	if content == "-" {
		return
	}
	sn, err := sniffFile(content)
	if err != nil || sn.kind == "" {
		return
	}
	fmt.Fprintf(c.stderr, "gostsig verify: внимание: CONTENT %s похож на подпись %s; он проверяется как подписанный документ. "+
		"Чтобы проверить каждый файл как подпись: gostsig verify --batch ФАЙЛ...\n", content, sn.kind)
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
		fmt.Fprintf(c.stderr, "gostsig verify: %v\n", fileErrRU(err))
		return status
	}
	if c.json {
		if err := writeJSON(c.stdout, res); err != nil {
			fmt.Fprintf(c.stderr, "gostsig verify: ошибка вывода: %v\n", err)
			return exitFailed
		}
		return status
	}
	name := sig
	if name == "-" {
		name = "стандартный ввод"
	}
	writeText(c.stdout, name, res, c.diagnostic)
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

// skippedFile is a file of a directory that was not verified, and why.
type skippedFile struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// collectJobs expands directories and pairs detached signatures with their
// content. Named files are verified as they are, in argument order; one
// that cannot be read becomes a job with its error. In a directory, a file
// is a signature by its extension (sigExts) or by its content (sniffFile);
// every other file is listed in skipped with the reason, unless it is the
// content of a detached signature.
func collectJobs(args []string) (jobs []job, skipped []skippedFile) {
	for _, a := range args {
		if a == "-" {
			jobs = append(jobs, job{sig: a})
			continue
		}
		fi, err := os.Stat(a)
		if err != nil {
			jobs = append(jobs, job{sig: a, err: err})
			continue
		}
		if !fi.IsDir() {
			j := job{sig: a}
			if hasExt(a, detachedExts) {
				j.content = detachedContent(a)
			}
			jobs = append(jobs, j)
			continue
		}
		j, s := collectDir(a)
		jobs, skipped = append(jobs, j...), append(skipped, s...)
	}
	return jobs, skipped
}

// detachedExts are the extensions that name a detached signature of the
// file without them when the file is named explicitly (as before content
// sniffing): the sigExts.
var detachedExts = sigExts

// detachedContent returns the sibling "X" of a signature "X.<ext>" when it
// is a regular file, else "".
func detachedContent(sig string) string {
	base := strings.TrimSuffix(sig, filepath.Ext(sig))
	if base == sig || base == "" || strings.HasSuffix(base, string(filepath.Separator)) {
		return ""
	}
	if fi, err := os.Stat(base); err == nil && fi.Mode().IsRegular() {
		return base
	}
	return ""
}

// collectDir walks dir (recursively, hidden files and directories skipped)
// and classifies each file.
func collectDir(dir string) ([]job, []skippedFile) {
	type entry struct {
		path string
		sig  bool   // a signature to verify
		cms  bool   // a CMS signature (may be detached)
		why  string // when not sig: why it is skipped
		err  error  // the file or directory cannot be read
	}
	var ents []entry
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			// An unreadable directory or file: reported like an
			// unreadable named file.
			ents = append(ents, entry{path: p, err: err})
			return nil
		}
		if p == dir {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				ents = append(ents, entry{path: p, why: skipHiddenDir})
				return filepath.SkipDir
			}
			ents = append(ents, entry{path: p, why: skipHiddenFile})
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			fi, err := os.Stat(p)
			switch {
			case err != nil:
				ents = append(ents, entry{path: p, why: skipDangling})
				return nil
			case fi.IsDir():
				ents = append(ents, entry{path: p, why: skipDirLink})
				return nil
			case !fi.Mode().IsRegular():
				ents = append(ents, entry{path: p, why: skipNotRegular})
				return nil
			}
		} else if !d.Type().IsRegular() {
			ents = append(ents, entry{path: p, why: skipNotRegular})
			return nil
		}
		if hasExt(p, bundleExts) {
			ents = append(ents, entry{path: p, why: skipBundle})
			return nil
		}
		sn, err := sniffFile(p)
		if err != nil {
			ents = append(ents, entry{path: p, err: err})
			return nil
		}
		e := entry{path: p, sig: sn.kind != "" || hasExt(p, sigExts), why: sn.why}
		e.cms = e.sig && sn.kind != "XML" && !hasExt(p, []string{".xml"})
		ents = append(ents, e)
		return nil
	})
	var jobs []job
	content := map[string]bool{}
	for _, e := range ents {
		if e.err != nil {
			jobs = append(jobs, job{sig: e.path, err: e.err})
			continue
		}
		if !e.sig {
			continue
		}
		j := job{sig: e.path}
		if e.cms {
			j.content = detachedContent(e.path)
			content[j.content] = true
		}
		jobs = append(jobs, j)
	}
	var skipped []skippedFile
	for _, e := range ents {
		if !e.sig && e.err == nil && !content[e.path] {
			skipped = append(skipped, skippedFile{File: e.path, Reason: e.why})
		}
	}
	return jobs, skipped
}

// batchLine is one file's outcome in batch mode; in JSON it is the result
// with a "file" field (and "content" for a detached pair), or an "error".
type batchLine struct {
	File    string `json:"file"`
	Content string `json:"content,omitempty"`
	Error   string `json:"error,omitempty"`
	*gostsig.Result
	status int
	errRU  string // Error as the text output says it
}

type batchSummary struct {
	Files          int            `json:"files"`
	Passed         int            `json:"total_passed"`
	Failed         int            `json:"total_failed"`
	Indeterminate  int            `json:"indeterminate"`
	Errors         int            `json:"errors"`
	Skipped        int            `json:"skipped"`
	SubIndications map[string]int `json:"subindications,omitempty"`
}

// batch verifies many files. JSON: {"results": [...], "skipped": [...],
// "summary": {...}}; results are in argument order (a directory's files in
// lexical order), an unreadable file included with its "error"; skipped
// lists the files of a directory that are not signatures, with the
// reason. Text: one line per result and the summary on stdout, the skipped
// files on stderr. Nothing verified at all is exit 66.
func (c *verifyCmd) batch(args []string) int {
	jobs, skipped := collectJobs(args)
	if !c.json {
		for _, sk := range skipped {
			fmt.Fprintf(c.stderr, "gostsig verify: пропущен %s: %s\n", sk.File, skipReasonRU(sk.Reason))
		}
	}
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
					l.Error = errorText(jobs[i].sig, err)
					l.errRU = strings.TrimPrefix(fileErrRU(err).Error(), jobs[i].sig+": ")
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
	sum := batchSummary{Files: len(jobs), Skipped: len(skipped), SubIndications: map[string]int{}}
	worst := exitOK
	if len(jobs) == 0 {
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
		io.WriteString(c.stdout, "\n  ],\n  \"skipped\": [")
		for i := range skipped {
			if i > 0 {
				io.WriteString(c.stdout, ",")
			}
			b, _ := json.Marshal(&skipped[i])
			fmt.Fprintf(c.stdout, "\n    %s", b)
		}
		b, _ := json.Marshal(&sum)
		fmt.Fprintf(c.stdout, "\n  ],\n  \"summary\": %s\n}\n", b)
	} else {
		writeSummary(c.stdout, &sum)
	}
	if len(jobs) == 0 {
		fmt.Fprintln(c.stderr, "gostsig verify: файлов подписей не найдено")
	}
	return worst
}

// errorText is the error of a file that could not be verified, without
// the path repeated when the error is about the file itself.
func errorText(file string, err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) && pe.Path == file {
		return pe.Err.Error()
	}
	return err.Error()
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
