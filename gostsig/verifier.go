package gostsig

import (
	"bytes"
	"context"
	"strconv"

	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/chain"
	"gostsig.dev/crl"
)

// Config configures a Verifier. The zero Config is usable: the embedded
// ГУЦ roots, the default policy, the system clock, network fetches allowed.
type Config struct {
	// Roots, when not nil, replaces the embedded head-CA (ГУЦ) roots as
	// trust anchors (CLI --roots). Each element is DER, PEM or base64 and
	// may hold several certificates.
	Roots [][]byte
	// ExtraRoots are added to the anchors (default or Roots).
	ExtraRoots [][]byte
	// Intermediates are certificates for path building (CLI --certs).
	Intermediates [][]byte
	// CRLs are CRLs to use (CLI --crl): each element is one DER CRL or
	// PEM with one or more X509 CRL blocks; other PEM blocks (the
	// certificates of an OpenSSL-style CAfile with CRLs) are ignored.
	// Roots and Intermediates likewise take the certificates of such a
	// bundle and ignore its CRLs.
	CRLs [][]byte
	// TSL is the ГУЦ trusted list of accredited CAs (XML), optional: with
	// it, the qualified check includes "accredited on the day of issue".
	TSL []byte

	// Offline forbids every network fetch (CRLs, AIA caIssuers).
	Offline bool
	// HTTPClient fetches CRLs, OCSP responses and AIA certificates; nil
	// uses a default client (the crl and chain packages bound each fetch
	// in time and size).
	HTTPClient *http.Client
	// Logger receives a record per network fetch and per rejected CRL;
	// nil is slog.Default().
	Logger *slog.Logger
	// CRLCacheDir keeps fetched CRLs on disk across runs ("" keeps them
	// in memory only).
	CRLCacheDir string
	// CRLCacheReadOnly opens CRLCacheDir for reading only, as replicas
	// sharing a directory that one writer (`gostsig crl fetch`) keeps
	// fresh do: the directory must exist; nothing in it is created,
	// rewritten or deleted (a corrupt entry is skipped and logged); CRLs
	// fetched are kept in memory; requests with Input.Offline use it too.
	// Call ReloadCRLCache to pick up the writer's changes.
	CRLCacheReadOnly bool

	// Clock gives the validation time when an Input has none; nil is
	// time.Now. Tests pass a fixed clock.
	Clock func() time.Time
	// Policy is the validation policy; nil is DefaultPolicy(). Its
	// TrustedRoots files are read by New.
	Policy *Policy
	// Diagnostic fills Signature.Diagnostic (digests, certificate DER).
	Diagnostic bool
}

// Verifier verifies signatures. Build it once with New; it keeps the trust
// anchors, the parsed-certificate and path caches and the CRL cache, and is
// safe for concurrent use by many goroutines.
type Verifier struct {
	policy     *Policy
	clock      func() time.Time
	offline    bool
	diagnostic bool
	httpClient *http.Client
	client     *http.Client // httpClient behind the offline gate

	builder  *chain.Builder
	gucRoots map[[20]byte]bool // fingerprints of the embedded ГУЦ roots
	tsl      *chain.TSL
	// crlOnline answers revocation queries, fetching unless the Verifier
	// is offline; crlOffline (nil for an offline Verifier) serves the
	// requests that ask to be offline. Both know the configured CRLs.
	crlOnline  *crl.Checker
	crlOffline *crl.Checker
	crlStatic  *crlSet        // the configured CRLs, by issuer
	crlDisk    *crl.DiskCache // the read-only CRL cache both checkers share, or nil
	log        *slog.Logger
	// statsMu guards crlDiskBadHeaders: the cache files whose header
	// failed its checks at the last scan.
	statsMu           sync.Mutex
	crlDiskBadHeaders int
	names             nameKeys
	descs             descCache
	// signers indexes the configured intermediates and anchors by serial,
	// for a CMS signer whose certificate the message does not carry.
	signers signerIndex
}

// InputError reports an Input that cannot be verified as given (two
// content sources, a malformed content hash): a caller error, not a
// verdict on the signature.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return "gostsig: " + e.Msg }

// New builds a Verifier. It fails when a configured certificate, CRL,
// trusted list or policy root cannot be read or parsed: a trust store that
// silently lost an entry would change verdicts.
func New(cfg Config) (*Verifier, error) {
	v := &Verifier{
		policy:     cfg.Policy,
		clock:      cfg.Clock,
		offline:    cfg.Offline,
		diagnostic: cfg.Diagnostic,
		httpClient: cfg.HTTPClient,
		gucRoots:   map[[20]byte]bool{},
	}
	if v.policy == nil {
		v.policy = DefaultPolicy()
	} else {
		if err := v.policy.Validate(); err != nil {
			return nil, err
		}
		v.policy = v.policy.clone()
	}
	if v.clock == nil {
		v.clock = time.Now
	}
	for _, c := range chain.EmbeddedRoots() {
		v.gucRoots[c.SHA1Fingerprint()] = true
	}

	var ccfg chain.Config
	var err error
	roots := cfg.Roots
	if roots == nil && v.policy.ReplaceDefaultRoots {
		roots = [][]byte{}
	}
	if roots != nil {
		if ccfg.Roots, err = parseCertBundles("root", roots); err != nil {
			return nil, err
		}
		if ccfg.Roots == nil {
			ccfg.Roots = []*cert.Certificate{}
		}
	}
	if ccfg.ExtraRoots, err = parseCertBundles("root", cfg.ExtraRoots); err != nil {
		return nil, err
	}
	for _, path := range v.policy.TrustedRoots {
		certs, err := readCertPath(path)
		if err != nil {
			return nil, fmt.Errorf("gostsig: policy trusted_roots: %w", err)
		}
		ccfg.ExtraRoots = append(ccfg.ExtraRoots, certs...)
	}
	if ccfg.Intermediates, err = parseCertBundles("intermediate", cfg.Intermediates); err != nil {
		return nil, err
	}
	if len(cfg.TSL) > 0 {
		if v.tsl, err = chain.LoadTSL(bytes.NewReader(cfg.TSL)); err != nil {
			return nil, fmt.Errorf("gostsig: trusted list: %w", err)
		}
		ccfg.TSL = v.tsl
	}
	if !v.offline {
		ccfg.Fetcher = &chain.HTTPFetcher{Client: v.gatedClient()}
	}
	if v.builder, err = chain.New(ccfg); err != nil {
		return nil, fmt.Errorf("gostsig: %w", err)
	}
	v.signers = newSignerIndex(ccfg.Intermediates, v.builder.Roots())
	if err := v.initRevocation(cfg); err != nil {
		return nil, err
	}
	if err := v.initBackend(); err != nil {
		return nil, err
	}
	return v, nil
}

// Policy returns the Verifier's policy (a copy).
func (v *Verifier) Policy() *Policy { return v.policy.clone() }

// Roots returns the trust anchors.
func (v *Verifier) Roots() []*cert.Certificate { return v.builder.Roots() }

// Close releases the Verifier's caches. It must not be used afterwards.
func (v *Verifier) Close() {
	v.builder.Close()
	v.crlOnline.Close()
	if v.crlOffline != nil {
		v.crlOffline.Close()
	}
}

func parseCertBundles(what string, bundles [][]byte) ([]*cert.Certificate, error) {
	var out []*cert.Certificate
	for i, b := range bundles {
		certs, err := cert.ParseAll(b)
		if err != nil {
			return nil, fmt.Errorf("gostsig: %s certificate %d: %w", what, i+1, err)
		}
		out = append(out, certs...)
	}
	return out, nil
}

// readCertPath reads a certificate file or every certificate file of a
// directory (not recursive; files that hold no certificate are errors).
func readCertPath(path string) ([]*cert.Certificate, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	files := []string{path}
	if fi.IsDir() {
		ents, err := os.ReadDir(path)
		if err != nil {
			return nil, err
		}
		files = files[:0]
		for _, e := range ents {
			if e.Type().IsRegular() {
				files = append(files, filepath.Join(path, e.Name()))
			}
		}
	}
	var out []*cert.Certificate
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		certs, err := cert.ParseAll(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		out = append(out, certs...)
	}
	return out, nil
}

// Verify verifies every signature of in.Signature and returns the verdict.
// A malformed, changed or untrusted signature is a Result, not an error;
// the error is non-nil only when no verdict is possible: ctx was cancelled,
// in.ContentReader failed, or in is contradictory (*InputError).
func (v *Verifier) Verify(ctx context.Context, in Input) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := 0
	if in.Content != nil {
		n++
	}
	if in.ContentReader != nil {
		n++
	}
	if in.ContentHash != nil {
		n++
		if err := in.ContentHash.validate(); err != nil {
			return nil, &InputError{Msg: err.Error()[len("gostsig: "):]}
		}
	}
	if n > 1 {
		return nil, &InputError{Msg: "give the content, a content reader or a content hash, not several"}
	}
	if in.Offline {
		ctx = withOffline(ctx)
	}
	vt := in.ValidationTime
	if vt.IsZero() {
		// The clock's nanoseconds are no fact about the document: the
		// Result says whole seconds (RFC 3339) unless the caller gave a
		// time with a fraction. Rounded up, not down: evidence made just
		// before the check (a fresh time-stamp whose genTime has a
		// fraction) must not come out later than the validation time.
		now := v.clock()
		vt = now.Truncate(time.Second)
		if vt.Before(now) {
			vt = vt.Add(time.Second)
		}
	}
	vt = vt.UTC()

	d := detect(in.Signature)
	// The Result and its usual one document-level check (the format's)
	// are one allocation.
	rb := new(struct {
		res    Result
		checks [1]Check
	})
	res := &rb.res
	*res = Result{
		Format:         d.format,
		Profile:        ProfileCMS,
		ValidationTime: vt,
		Signatures:     []Signature{},
		Checks:         rb.checks[:0],
		Policy:         v.policy.Name,
	}
	if d.format == FormatXMLDSig {
		res.Profile = ProfileXMLDSig
	}
	var err error
	switch {
	case len(in.Signature) == 0:
		documentFormatFailureReason(res, "файл пуст (0 байт)", "файл пуст (0 байт): в нём нет ни подписи, ни документа", "empty input")
		return res, nil
	case d.data == nil && len(bytes.TrimLeft(in.Signature, asciiSpace+"\x00")) == 0:
		n := strconv.Itoa(len(in.Signature))
		documentFormatFailureReason(res, "файл не содержит данных: только пробелы, переводы строк или нули ("+n+" байт)",
			"файл не содержит данных: только пробелы, переводы строк или нули ("+n+" байт)", "input holds only white space")
		return res, nil
	case d.data == nil:
		documentFormatFailure(res, "входные данные не являются ни CMS (DER, BER, PEM, base64), ни XML", "")
		return res, nil
	case d.format == FormatXMLDSig:
		err = v.verifyXML(ctx, &in, d, vt, res)
	default:
		err = v.verifyCMS(ctx, &in, d, vt, res)
	}
	if err != nil {
		return nil, err
	}
	if res.Indication == 0 {
		aggregate(res)
	}
	if len(res.Checks) == 0 {
		res.Checks = nil
	}
	return res, nil
}

// documentFormatFailure makes res a document-level FORMAT_FAILURE: the
// input is not a document of any supported format, so there is no
// signature to judge (validation-policy.md, decision table row 1).
func documentFormatFailure(res *Result, detail, cause string) {
	documentFormatFailureReason(res, subIndicationReasons[FormatFailure], detail, cause)
}

// documentFormatFailureReason is documentFormatFailure with a reason more
// precise than the default one.
func documentFormatFailureReason(res *Result, reason, detail, cause string) {
	res.Checks = append(res.Checks, Check{Name: CheckFormat, Status: StatusFailed, Detail: detail, Cause: cause})
	res.Indication, res.SubIndication = TotalFailed, FormatFailure
	res.MessageRU = messageRU(TotalFailed, reason)
}
