package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/crl"
)

// The revocation cache directory: --cache-dir, else $GOSTSIG_CRL_CACHE,
// else $XDG_CACHE_HOME/gostsig/crl (os.UserCacheDir: ~/.cache on Linux,
// ~/Library/Caches on macOS, %LocalAppData% on Windows).
const crlCacheEnv = "GOSTSIG_CRL_CACHE"

func init() {
	register("crl", "fetch, list and check CRLs (fetch, ls, check)", runCRL)
}

const crlUsage = `usage: gostsig crl <subcommand> [flags] [args]

  fetch [--issuer FILE]... CERT|URL...  download CRLs into the cache: the distribution
                                        points of each certificate, or the URLs given
  ls                                    list the cached CRLs and their freshness
  check [flags] CERT                    revocation status of a certificate now or --at

Common flags:
  --cache-dir DIR   cache directory (default $GOSTSIG_CRL_CACHE, else
                    $XDG_CACHE_HOME/gostsig/crl, e.g. ~/.cache/gostsig/crl)
  --at TIME         RFC 3339 time to judge at (default now)

Exit status of check: 0 good, 1 revoked, 2 unknown (no CRL/OCSP covers the time),
64 usage error, 66 an input file that cannot be read or used. fetch: 0 when every CRL was fetched, else 1.
`

func runCRL(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, crlUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "fetch":
		return crlFetch(rest, stdout, stderr)
	case "ls":
		return crlLs(rest, stdout, stderr)
	case "check":
		return crlCheck(rest, stdout, stderr)
	}
	fmt.Fprintf(stderr, "gostsig crl: unknown subcommand %q\n\n%s", sub, crlUsage)
	return exitUsage
}

// crlFlags are the flags the crl subcommands share.
type crlFlags struct {
	cacheDir string
	at       string
	issuers  pathList
	format   string
	fs       *flag.FlagSet
}

func newCRLFlags(name string, stderr io.Writer) *crlFlags {
	f := &crlFlags{fs: flag.NewFlagSet("gostsig crl "+name, flag.ContinueOnError)}
	f.fs.SetOutput(stderr)
	f.fs.StringVar(&f.cacheDir, "cache-dir", "", "CRL cache `directory` (default $"+crlCacheEnv+", else $XDG_CACHE_HOME/gostsig/crl)")
	f.fs.StringVar(&f.at, "at", "", "judge freshness and status at this `time` (RFC 3339); default now")
	f.fs.StringVar(&f.format, "format", "text", "output `format`: text or json")
	return f
}

func (f *crlFlags) addIssuer() {
	f.fs.Var(&f.issuers, "issuer", "issuer (CA) certificates: `file`, DER or PEM, repeatable")
}

func (f *crlFlags) dir() (string, error) {
	if f.cacheDir != "" {
		return f.cacheDir, nil
	}
	if d := os.Getenv(crlCacheEnv); d != "" {
		return d, nil
	}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		return filepath.Join(d, "gostsig", "crl"), nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache directory: set --cache-dir or $%s (%v)", crlCacheEnv, err)
	}
	return filepath.Join(d, "gostsig", "crl"), nil
}

// clock returns the --at time as a clock, or the wall clock.
func (f *crlFlags) clock() (func() time.Time, bool, error) {
	if f.at == "" {
		return time.Now, false, nil
	}
	t, err := parseRFC3339(f.at)
	if err != nil {
		return nil, false, usageErr("--at: %v", err)
	}
	return func() time.Time { return t }, true, nil
}

func (f *crlFlags) json() (bool, error) {
	switch f.format {
	case "json":
		return true, nil
	case "text", "":
		return false, nil
	}
	return false, usageErr("--format: %q is neither text nor json", f.format)
}

// loadCerts reads every certificate of the files (DER or PEM bundles; the
// CRLs and keys of a mixed bundle are ignored); flagName prefixes errors.
// A file that cannot be used is exit 66 for the crl subcommands.
func loadCerts(flagName string, paths []string) ([]*cert.Certificate, error) {
	certs, err := loadCertFiles(flagName, paths)
	return certs, asNoInput(err)
}

// findIssuer returns the certificate of pool that issued c: subject equal to
// c's issuer and, when both are present, SKI equal to c's AKI, and c's
// signature verifying with its key.
func findIssuer(c *cert.Certificate, pool []*cert.Certificate) *cert.Certificate {
	for _, p := range pool {
		if p == c && !c.SelfIssued() {
			continue
		}
		if !c.Issuer.Equal(&p.Subject) {
			continue
		}
		if c.AuthorityKeyID != nil && p.SubjectKeyID != nil && !bytes.Equal(c.AuthorityKeyID, p.SubjectKeyID) {
			continue
		}
		if c.CheckSignatureFrom(p) == nil {
			return p
		}
	}
	return nil
}

func cliFail(stderr io.Writer, err error) int {
	fmt.Fprintf(stderr, "gostsig crl: %v\n", err)
	if s := exitStatusOf(err); s != 0 {
		return s
	}
	return exitFailed
}

func crlFetch(args []string, stdout, stderr io.Writer) int {
	f := newCRLFlags("fetch", stderr)
	f.addIssuer()
	if err := f.fs.Parse(args); err != nil {
		return exitUsage
	}
	if f.fs.NArg() == 0 {
		fmt.Fprintln(stderr, "gostsig crl fetch: give certificate files or CRL URLs")
		return exitUsage
	}
	dir, err := f.dir()
	if err != nil {
		return cliFail(stderr, err)
	}
	now, _, err := f.clock()
	if err != nil {
		return cliFail(stderr, err)
	}
	asJSON, err := f.json()
	if err != nil {
		return cliFail(stderr, err)
	}
	pool, err := loadCerts("--issuer", f.issuers)
	if err != nil {
		return cliFail(stderr, err)
	}
	var urls, certFiles []string
	for _, a := range f.fs.Args() {
		if strings.HasPrefix(a, "http://") || strings.HasPrefix(a, "https://") {
			urls = append(urls, a)
		} else {
			certFiles = append(certFiles, a)
		}
	}
	subjects, err := loadCerts("", certFiles)
	if err != nil {
		return cliFail(stderr, err)
	}
	pool = append(pool, subjects...)
	ck, err := crl.NewChecker(crl.Options{CacheDir: dir, Clock: now, Logger: quietLogger(stderr)})
	if err != nil {
		return cliFail(stderr, err)
	}
	defer ck.Close()
	ctx := context.Background()
	type line struct {
		URL     string        `json:"url"`
		OK      bool          `json:"ok"`
		Error   string        `json:"error,omitempty"`
		Meta    *crl.DiskMeta `json:"crl,omitempty"`
		Subject string        `json:"certificate,omitempty"`
	}
	var lines []line
	report := func(u, subject string, c *crl.CRL, meta crl.DiskMeta, err error) {
		l := line{URL: u, Subject: subject, OK: err == nil}
		if err != nil {
			l.Error = err.Error()
		} else {
			l.Meta = &meta
		}
		lines = append(lines, l)
		if !asJSON {
			if err != nil {
				fmt.Fprintf(stdout, "error   %s: %v\n", u, err)
			} else {
				fmt.Fprintf(stdout, "fetched %s: number %s, %s .. %s, %d entries, %d bytes\n", u, orDash(meta.Number),
					meta.ThisUpdate.Format(time.RFC3339), timeOrDash(meta.NextUpdate), meta.Entries, meta.Size)
			}
		}
	}
	done := map[string]bool{}
	var fetchFrom func(issuer *cert.Certificate, u, subject string)
	fetchFrom = func(issuer *cert.Certificate, u, subject string) {
		key := crl.KeyID(issuer) + "|" + u
		if done[key] {
			return
		}
		done[key] = true
		c, meta, err := ck.Fetch(ctx, issuer, u)
		report(u, subject, c, meta, err)
		if err == nil {
			for _, d := range c.FreshestCRL {
				fetchFrom(issuer, d, subject)
			}
		}
	}
	for _, s := range subjects {
		if len(s.CRLDistributionPoints) == 0 {
			continue // a CA or root given as an issuer
		}
		issuer := findIssuer(s, pool)
		for _, u := range s.CRLDistributionPoints {
			if issuer == nil {
				report(u, s.Subject.String(), nil, crl.DiskMeta{}, fmt.Errorf("issuer certificate of %q not given (--issuer)", s.Subject.String()))
				continue
			}
			fetchFrom(issuer, u, s.Subject.String())
		}
	}
	for _, u := range urls {
		c, meta, err := ck.FetchAny(ctx, u, pool)
		report(u, "", c, meta, err)
	}
	if asJSON {
		if err := writeJSON(stdout, lines); err != nil {
			return cliFail(stderr, err)
		}
	}
	for _, l := range lines {
		if !l.OK {
			return exitFailed
		}
	}
	if len(lines) == 0 {
		fmt.Fprintln(stderr, "gostsig crl fetch: the certificates name no CRL distribution point")
		return exitFailed
	}
	return exitOK
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func timeOrDash(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.Format(time.RFC3339)
}

// freshness describes a cached CRL at now.
func freshness(m crl.DiskMeta, now time.Time) string {
	switch {
	case now.Before(m.ThisUpdate):
		return "not-yet-valid"
	case m.NextUpdate.IsZero():
		return "no-next-update"
	case !now.Before(m.NextUpdate):
		return "expired"
	case m.NextUpdate.Sub(now) < crl.DefaultRefreshBefore:
		return "expiring"
	}
	return "current"
}

func crlLs(args []string, stdout, stderr io.Writer) int {
	f := newCRLFlags("ls", stderr)
	if err := f.fs.Parse(args); err != nil {
		return exitUsage
	}
	if f.fs.NArg() != 0 {
		fmt.Fprintln(stderr, "gostsig crl ls: no arguments expected")
		return exitUsage
	}
	dir, err := f.dir()
	if err != nil {
		return cliFail(stderr, err)
	}
	nowFn, _, err := f.clock()
	if err != nil {
		return cliFail(stderr, err)
	}
	asJSON, err := f.json()
	if err != nil {
		return cliFail(stderr, err)
	}
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(stderr, "gostsig crl ls: no cache at %s\n", dir)
		if asJSON {
			writeJSON(stdout, []any{})
		}
		return exitOK
	}
	dc, err := crl.OpenDiskCache(dir)
	if err != nil {
		return cliFail(stderr, err)
	}
	entries, bad, err := dc.List()
	if err != nil {
		return cliFail(stderr, err)
	}
	now := nowFn()
	sort.Slice(entries, func(i, j int) bool {
		if entries[i].Issuer != entries[j].Issuer {
			return entries[i].Issuer < entries[j].Issuer
		}
		return entries[i].URL < entries[j].URL
	})
	for _, b := range bad {
		fmt.Fprintf(stderr, "gostsig crl ls: corrupt entry (will be refetched): %s\n", b)
	}
	if asJSON {
		type item struct {
			crl.DiskMeta
			Freshness string `json:"freshness"`
		}
		items := make([]item, len(entries))
		for i, e := range entries {
			items[i] = item{e, freshness(e, now)}
		}
		if err := writeJSON(stdout, items); err != nil {
			return cliFail(stderr, err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FRESHNESS\tNUMBER\tTHIS UPDATE\tNEXT UPDATE\tENTRIES\tSIZE\tISSUER\tURL")
	for _, e := range entries {
		kind := ""
		if e.Delta {
			kind = " (delta)"
		}
		fmt.Fprintf(tw, "%s\t%s%s\t%s\t%s\t%d\t%d\t%s\t%s\n", freshness(e, now), orDash(e.Number), kind,
			e.ThisUpdate.Format(time.RFC3339), timeOrDash(e.NextUpdate), e.Entries, e.Size, e.Issuer, e.URL)
	}
	tw.Flush()
	return exitOK
}

// checkJSON is the JSON of "crl check": the fields of interfaces.md's
// "revocation" objects, plus the evidence list.
type checkJSON struct {
	Serial       string         `json:"serial"`
	Subject      string         `json:"subject"`
	At           time.Time      `json:"at"`
	Status       string         `json:"status"`
	RevokedAt    *time.Time     `json:"revoked_at,omitempty"`
	Reason       string         `json:"reason,omitempty"`
	Invalidity   *time.Time     `json:"invalidity_date,omitempty"`
	RevokedLater bool           `json:"revoked_later,omitempty"`
	Stale        bool           `json:"stale,omitempty"`
	Unknown      string         `json:"unknown,omitempty"`
	Detail       string         `json:"detail,omitempty"`
	Evidence     []evidenceJSON `json:"evidence"`
}

type evidenceJSON struct {
	Source     string     `json:"source"`
	Issuer     string     `json:"issuer"`
	Number     string     `json:"crl_number,omitempty"`
	ThisUpdate time.Time  `json:"this_update"`
	NextUpdate *time.Time `json:"next_update,omitempty"`
	ProducedAt *time.Time `json:"produced_at,omitempty"`
	Streebog   string     `json:"evidence_streebog256"`
	Size       int        `json:"size"`
	URL        string     `json:"url,omitempty"`
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func crlCheck(args []string, stdout, stderr io.Writer) int {
	f := newCRLFlags("check", stderr)
	f.addIssuer()
	var crlFiles, ocspFiles pathList
	var offline, timestamp, liveOCSP bool
	var grace time.Duration
	f.fs.Var(&crlFiles, "crl", "CRL `file` or directory (DER, or PEM: every X509 CRL block) to use besides the cache, repeatable")
	f.fs.Var(&ocspFiles, "ocsp-response", "OCSP response `file` (DER) to use, repeatable")
	f.fs.BoolVar(&offline, "offline", false, "never fetch: use only the cache and the files given")
	f.fs.BoolVar(&timestamp, "timestamp", false, "--at is a time-stamp's genTime: CRLs issued after it also speak for it")
	f.fs.BoolVar(&liveOCSP, "ocsp", false, "ask the certificate's OCSP responder when CRLs do not decide")
	f.fs.DurationVar(&grace, "grace", 0, "accept a CRL this long past its nextUpdate when refetching fails (marked stale)")
	if err := f.fs.Parse(args); err != nil {
		return exitUsage
	}
	if f.fs.NArg() != 1 {
		fmt.Fprintln(stderr, "gostsig crl check: give one certificate file")
		return exitUsage
	}
	dir, err := f.dir()
	if err != nil {
		return cliFail(stderr, err)
	}
	nowFn, atGiven, err := f.clock()
	if err != nil {
		return cliFail(stderr, err)
	}
	asJSON, err := f.json()
	if err != nil {
		return cliFail(stderr, err)
	}
	certs, err := loadCerts("", []string{f.fs.Arg(0)})
	if err != nil {
		return cliFail(stderr, err)
	}
	if len(certs) == 0 {
		return cliFail(stderr, noInputErr(fmt.Errorf("%s: no certificate", f.fs.Arg(0))))
	}
	subject := certs[0]
	pool, err := loadCerts("--issuer", f.issuers)
	if err != nil {
		return cliFail(stderr, err)
	}
	pool = append(pool, certs[1:]...)
	issuer := findIssuer(subject, pool)
	if issuer == nil {
		return cliFail(stderr, usageErr("the issuer certificate of %q is needed: --issuer FILE", subject.Subject.String()))
	}
	crls, _, err := loadCRLFiles("--crl", crlFiles)
	if err != nil {
		return cliFail(stderr, asNoInput(err))
	}
	var responses []*crl.OCSPResponse
	for _, p := range ocspFiles {
		b, err := os.ReadFile(p)
		if err != nil {
			return cliFail(stderr, trustFileErr("--ocsp-response", p, err))
		}
		r, err := crl.ParseOCSPResponse(b)
		if err != nil {
			if r, err = crl.ParseBasicOCSPResponse(b); err != nil {
				return cliFail(stderr, asNoInput(trustFileErr("--ocsp-response", p, err)))
			}
		}
		responses = append(responses, r)
	}
	// With --at the clock stands at --at too: freshness of the cache and of
	// fetched CRLs is judged then (that keeps "check --at" reproducible).
	ck, err := crl.NewChecker(crl.Options{CacheDir: dir, Clock: nowFn, Offline: offline, LiveOCSP: liveOCSP, Grace: grace, Logger: quietLogger(stderr)})
	if err != nil {
		return cliFail(stderr, err)
	}
	defer ck.Close()
	at := nowFn()
	q := crl.Query{Cert: subject, Issuer: issuer, At: at, FromTimestamp: timestamp && atGiven}
	r := ck.Status(context.Background(), q, crls, responses)

	out := checkJSON{
		Serial: subject.SerialHex(), Subject: subject.Subject.String(), At: at.UTC(), Status: r.Status.String(),
		RevokedLater: r.RevokedLater, Stale: r.Stale, Detail: r.Detail, Evidence: []evidenceJSON{},
	}
	if r.Status == crl.Revoked || r.RevokedLater {
		out.RevokedAt, out.Reason, out.Invalidity = timePtr(r.RevocationTime), r.Reason.String(), timePtr(r.InvalidityDate)
	}
	if r.Status == crl.Unknown {
		out.Unknown = r.Unknown.String()
	}
	for _, e := range r.Evidence {
		ej := evidenceJSON{
			Source: e.Source.String(), Issuer: e.Issuer, ThisUpdate: e.ThisUpdate, NextUpdate: timePtr(e.NextUpdate),
			ProducedAt: timePtr(e.ProducedAt), Streebog: hex.EncodeToString(e.Digest[:]), Size: e.Size, URL: e.URL,
		}
		if e.Number != nil {
			ej.Number = e.Number.String()
		}
		out.Evidence = append(out.Evidence, ej)
	}
	if asJSON {
		if err := writeJSON(stdout, out); err != nil {
			return cliFail(stderr, err)
		}
	} else {
		writeCheckText(stdout, &out)
	}
	switch r.Status {
	case crl.Good:
		return exitOK
	case crl.Revoked:
		return exitFailed
	}
	return exitIndet
}

func writeCheckText(w io.Writer, o *checkJSON) {
	fmt.Fprintf(w, "%s: %s (serial %s) at %s\n", o.Status, o.Subject, o.Serial, o.At.Format(time.RFC3339))
	if o.RevokedAt != nil {
		verb := "revoked"
		if o.RevokedLater {
			verb = "revoked later"
		}
		fmt.Fprintf(w, "  %s: %s, reason %s", verb, o.RevokedAt.Format(time.RFC3339), o.Reason)
		if o.Invalidity != nil {
			fmt.Fprintf(w, ", invalid since %s", o.Invalidity.Format(time.RFC3339))
		}
		fmt.Fprintln(w)
	}
	if o.Stale {
		if o.RevokedAt != nil {
			// crl.Decide: a revocation is never undone, so a CRL past its
			// nextUpdate still proves it (no --grace involved).
			fmt.Fprintln(w, "  stale: the revocation is proven by a CRL past its nextUpdate (a revocation is permanent)")
		} else {
			fmt.Fprintln(w, "  stale: decided by a CRL past its nextUpdate, within --grace")
		}
	}
	if o.Detail != "" {
		fmt.Fprintf(w, "  %s: %s\n", orDash(o.Unknown), o.Detail)
	}
	for _, e := range o.Evidence {
		fmt.Fprintf(w, "  evidence: %s", e.Source)
		if e.Number != "" {
			fmt.Fprintf(w, " #%s", e.Number)
		}
		next := "-"
		if e.NextUpdate != nil {
			next = e.NextUpdate.Format(time.RFC3339)
		}
		fmt.Fprintf(w, " of %q, %s .. %s, streebog256 %s (%d bytes)", e.Issuer, e.ThisUpdate.Format(time.RFC3339), next, e.Streebog, e.Size)
		if e.URL != "" {
			fmt.Fprintf(w, ", from %s", e.URL)
		}
		fmt.Fprintln(w)
	}
}

// quietLogger logs warnings (failed and rejected fetches, discarded cache
// entries) to stderr; the per-fetch Info records are shown by the
// subcommands' own output.
func quietLogger(stderr io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
