package main

import (
	"bytes"
	"context"
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
	"gostsig.dev/gostsig"
	"gostsig.dev/internal/rfc3339"
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
		return "", fmt.Errorf("нет каталога кэша: укажите --cache-dir или $%s (%v)", crlCacheEnv, err)
	}
	return filepath.Join(d, "gostsig", "crl"), nil
}

// crlNow is the wall clock of the crl subcommands; tests replace it.
var crlNow = time.Now

// clock returns the --at time as a clock, or the wall clock in whole
// seconds (what the output shows is what was judged at, and a time with
// nanoseconds only looks more precise than a CRL's UTCTime).
func (f *crlFlags) clock() (func() time.Time, bool, error) {
	if f.at == "" {
		return func() time.Time { return crlNow().Truncate(time.Second) }, false, nil
	}
	t, err := rfc3339.Parse(f.at)
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
	return false, usageErr("--format %q: допустимо text или json", f.format)
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
	fmt.Fprintf(stderr, "gostsig crl: %v\n", fileErrRU(err))
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
		fmt.Fprintln(stderr, "gostsig crl fetch: укажите файлы сертификатов или URL списков отзыва")
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
				fmt.Fprintf(stdout, "ошибка    %s: %v\n", u, err)
			} else {
				fmt.Fprintf(stdout, "загружен  %s: № %s, выпущен %s, следующий %s, записей %d, %d байт\n", u, orDash(meta.Number),
					textTime(meta.ThisUpdate), textTime(meta.NextUpdate), meta.Entries, meta.Size)
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
				report(u, s.Subject.String(), nil, crl.DiskMeta{}, fmt.Errorf("не указан сертификат издателя «%s» (--issuer)", gostsig.HumanName(s.Issuer.String())))
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
		fmt.Fprintln(stderr, "gostsig crl fetch: в сертификатах нет точек распространения CRL")
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
		fmt.Fprintln(stderr, "gostsig crl ls: аргументы не нужны")
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
		fmt.Fprintf(stderr, "gostsig crl ls: кэша нет: %s\n", dir)
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
		fmt.Fprintf(stderr, "gostsig crl ls: повреждённая запись (будет загружена заново): %s\n", b)
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
	fmt.Fprintln(tw, "АКТУАЛЬНОСТЬ\tНОМЕР\tВЫПУЩЕН\tСЛЕДУЮЩИЙ\tЗАПИСЕЙ\tБАЙТ\tИЗДАТЕЛЬ\tURL")
	for _, e := range entries {
		kind := ""
		if e.Delta {
			kind = " (дельта)"
		}
		fmt.Fprintf(tw, "%s\t%s%s\t%s\t%s\t%d\t%d\t%s\t%s\n", freshnessRU[freshness(e, now)], orDash(e.Number), kind,
			textTime(e.ThisUpdate), textTime(e.NextUpdate), e.Entries, e.Size, gostsig.HumanName(e.Issuer), e.URL)
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

	// For the text output.
	status  crl.Status
	reason  crl.Reason
	unknown crl.UnknownReason
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
		fmt.Fprintln(stderr, "gostsig crl check: укажите один файл сертификата")
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
		return cliFail(stderr, noInputErr(fmt.Errorf("%s: сертификата нет", f.fs.Arg(0))))
	}
	subject := certs[0]
	pool, err := loadCerts("--issuer", f.issuers)
	if err != nil {
		return cliFail(stderr, err)
	}
	pool = append(pool, certs[1:]...)
	issuer := findIssuer(subject, pool)
	if issuer == nil {
		if len(f.issuers) == 0 {
			return cliFail(stderr, usageErr("нужен сертификат издателя «%s»: --issuer ФАЙЛ", gostsig.HumanName(subject.Issuer.String())))
		}
		return cliFail(stderr, usageErr("--issuer %s: ни один из сертификатов не является издателем сертификата «%s»; его издатель — «%s»",
			strings.Join(f.issuers, " "), gostsig.HumanName(subject.Subject.String()), gostsig.HumanName(subject.Issuer.String())))
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
		status: r.Status, reason: r.Reason, unknown: r.Unknown,
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
			ProducedAt: timePtr(e.ProducedAt), Streebog: e.DigestHex, Size: e.Size, URL: e.URL, Number: e.NumberText,
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

// writeCheckText writes the result of "crl check" for people, in
// Russian; the English detail of the crl package follows as the technical
// cause.
func writeCheckText(w io.Writer, o *checkJSON) {
	fmt.Fprintf(w, "%s: %s (серийный номер %s), на %s\n", crlStatusRU(o.status, o.reason), gostsig.HumanName(o.Subject), o.Serial, textTime(o.At))
	if o.RevokedAt != nil {
		verb := "отозван"
		if o.reason == crl.ReasonCertificateHold {
			verb = "действие приостановлено"
		}
		if o.RevokedLater {
			verb += " позже"
		}
		fmt.Fprintf(w, "  %s: %s, причина: %s", verb, textTime(*o.RevokedAt), crlReasonRU(o.reason))
		if o.Invalidity != nil {
			fmt.Fprintf(w, ", сертификат недействителен с %s", textTime(*o.Invalidity))
		}
		fmt.Fprintln(w)
	}
	if o.Stale {
		if o.status == crl.Revoked {
			// crl.Decide: a revocation is never undone, so a CRL past its
			// nextUpdate still proves it (no --grace involved).
			fmt.Fprintln(w, "  срок действия CRL (nextUpdate) истёк, но отзыв окончателен: этот CRL его доказывает")
		} else {
			fmt.Fprintln(w, "  решено по CRL с истёкшим сроком действия (nextUpdate), в пределах --grace")
		}
	}
	if ru, ok := crlUnknownRU[o.unknown]; ok && o.status == crl.Unknown {
		fmt.Fprintf(w, "  %s\n", ru)
	}
	if o.Detail != "" {
		fmt.Fprintf(w, "  причина (техн.): %s\n", o.Detail)
	}
	for _, e := range o.Evidence {
		src := map[string]string{"crl": "CRL", "delta-crl": "дельта-CRL", "ocsp": "ответ OCSP"}[e.Source]
		if src == "" {
			src = e.Source
		}
		fmt.Fprintf(w, "  основание: %s", src)
		if e.Number != "" {
			fmt.Fprintf(w, " № %s", e.Number)
		}
		fmt.Fprintf(w, ", издатель «%s», выпущен %s, следующий %s", gostsig.HumanName(e.Issuer), textTime(e.ThisUpdate), textTime(ptrTime(e.NextUpdate)))
		if e.ProducedAt != nil {
			fmt.Fprintf(w, ", подписан %s", textTime(*e.ProducedAt))
		}
		fmt.Fprintf(w, ", Стрибог-256 %s (%d байт)", e.Streebog, e.Size)
		if e.URL != "" {
			fmt.Fprintf(w, ", загружен с %s", e.URL)
		}
		fmt.Fprintln(w)
	}
}

func ptrTime(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

// quietLogger logs warnings (failed and rejected fetches, discarded cache
// entries) to stderr; the per-fetch Info records are shown by the
// subcommands' own output.
func quietLogger(stderr io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}
