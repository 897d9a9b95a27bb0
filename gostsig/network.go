package gostsig

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"gostsig.dev/crl"
)

// Per-request offline mode (Input.Offline, the HTTP service's offline=true)
// on a Verifier that may fetch: the request's context carries a mark, and
// the Verifier's HTTP transport refuses every request whose context has
// it. So neither the chain layer (AIA caIssuers) nor the crl layer (CRLs,
// OCSP) can reach the network for that request, while their caches stay
// shared.

type offlineKey struct{}

// errOfflineRequest is what a gated fetch fails with.
var errOfflineRequest = errors.New("gostsig: network access disabled for this request (offline)")

func withOffline(ctx context.Context) context.Context {
	return context.WithValue(ctx, offlineKey{}, true)
}

func isOffline(ctx context.Context) bool {
	b, _ := ctx.Value(offlineKey{}).(bool)
	return b
}

type offlineGate struct{ base http.RoundTripper }

func (g offlineGate) RoundTrip(req *http.Request) (*http.Response, error) {
	if isOffline(req.Context()) {
		return nil, errOfflineRequest
	}
	return g.base.RoundTrip(req)
}

// gatedClient is the Verifier's HTTP client: Config.HTTPClient (or a
// default one) behind the offline gate.
func (v *Verifier) gatedClient() *http.Client {
	if v.client != nil {
		return v.client
	}
	c := &http.Client{}
	if v.httpClient != nil {
		*c = *v.httpClient
	}
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = offlineGate{base: base}
	v.client = c
	return c
}

// initRevocation builds the CRL checkers and loads the configured CRLs.
func (v *Verifier) initRevocation(cfg Config) error {
	// The configured CRLs are given to each query by issuer (crlSet),
	// not registered with the checkers, which would try every one of them
	// against every certificate.
	v.crlStatic = newCRLSet()
	// Each element is one DER CRL or PEM with any number of X509 CRL
	// blocks, other blocks (an OpenSSL CAfile with CRLs) ignored.
	for i, b := range cfg.CRLs {
		cs, _, err := crl.ParseBundle(b)
		if err != nil {
			return fmt.Errorf("gostsig: CRL %d: %w", i+1, err)
		}
		for _, c := range cs {
			v.crlStatic.add(c)
		}
	}
	v.log = cfg.Logger
	if v.log == nil {
		v.log = slog.Default()
	}
	if cfg.CRLCacheDir != "" && cfg.CRLCacheReadOnly {
		d, bad, err := crl.OpenDiskCacheReadOnly(cfg.CRLCacheDir)
		if err != nil {
			return fmt.Errorf("gostsig: %w", err)
		}
		for _, b := range bad {
			v.log.Warn("crl cache", "outcome", "skipped", "err", b)
		}
		v.crlDisk = d
		v.crlDiskBadHeaders = len(bad)
	}
	mk := func(offline bool) (*crl.Checker, error) {
		opts := crl.Options{Offline: offline, CacheDir: cfg.CRLCacheDir, Disk: v.crlDisk, Clock: v.clock, Logger: cfg.Logger}
		if !offline {
			opts.Fetcher = &crl.Fetcher{Client: v.gatedClient(), Logger: cfg.Logger}
			opts.LiveOCSP = true
		}
		ch, err := crl.NewChecker(opts)
		if err != nil {
			return nil, fmt.Errorf("gostsig: %w", err)
		}
		return ch, nil
	}
	var err error
	if v.crlOnline, err = mk(v.offline); err != nil {
		return err
	}
	if !v.offline {
		// The offline checker shares no writable cache directory: two
		// checkers must not write one directory. A read-only one is
		// shared (opts.Disk).
		dir := cfg.CRLCacheDir
		cfg.CRLCacheDir = ""
		v.crlOffline, err = mk(true)
		cfg.CRLCacheDir = dir
	}
	return err
}

// ReloadCRLCache re-reads a read-only CRL cache directory
// (Config.CRLCacheReadOnly): entries added since are found from now on,
// and a CRL the Verifier holds from it is replaced by a newer one the
// writer stored (never by an older one). Verifications in flight are not
// disturbed, and the Verifier's other caches stay warm. It reports
// whether the directory's entries changed; without a read-only cache it
// does nothing.
func (v *Verifier) ReloadCRLCache() (changed bool, err error) {
	if v.crlDisk == nil {
		return false, nil
	}
	changed, bad, err := v.crlDisk.Rescan()
	if err != nil {
		return false, err
	}
	v.statsMu.Lock()
	v.crlDiskBadHeaders = len(bad)
	v.statsMu.Unlock()
	if !changed {
		return false, nil
	}
	for _, b := range bad {
		v.log.Warn("crl cache", "outcome", "skipped", "err", b)
	}
	n := v.crlOnline.SyncDisk()
	if v.crlOffline != nil {
		n += v.crlOffline.SyncDisk()
	}
	v.log.Info("crl cache reloaded", "dir", v.crlDisk.Dir(), "entries", len(v.crlDisk.Entries()), "replaced", n)
	return true, nil
}

// checker returns the CRL checker for a request.
func (v *Verifier) checker(ctx context.Context) *crl.Checker {
	if v.crlOffline != nil && isOffline(ctx) {
		return v.crlOffline
	}
	return v.crlOnline
}
