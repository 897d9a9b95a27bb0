package server

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"gostsig.dev/crl"
)

// CRLCache is what LoadCRLCache read from a CRL cache directory.
type CRLCache struct {
	// DERs are the CRLs, for gostsig.Config.CRLs.
	DERs [][]byte
	// CRLs describe them (Source is SourceCache).
	CRLs []CRLInfo
	// Bad counts entries that failed the cache's checks (skipped).
	Bad int
	// Fingerprint identifies the set of entries the cache lists (URL,
	// issuer key and digest of each, whether they loaded or not): a reload
	// is needed when it changes.
	Fingerprint string
}

// LoadCRLCache reads every CRL of a persistent CRL cache directory (the
// crl package's DiskCache, as `gostsig crl fetch` writes it). The
// directory may be shared by many replicas and mounted read-only: nothing
// is written, except that the crl package deletes an entry that fails its
// checksum, which a read-only mount turns into a skipped entry.
//
// Every CRL was verified against its issuer when it was stored, and the
// verifier checks each CRL's signature again before it counts as evidence,
// so the cache is trusted for availability only, never for verdicts.
func LoadCRLCache(dir string) (*CRLCache, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("server: CRL cache: %w", err)
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("server: CRL cache %s: not a directory", dir)
	}
	dc, err := crl.OpenDiskCache(dir)
	if err != nil {
		return nil, fmt.Errorf("server: CRL cache: %w", err)
	}
	metas, bad, err := dc.List()
	if err != nil {
		return nil, fmt.Errorf("server: CRL cache: %w", err)
	}
	out := &CRLCache{Bad: len(bad), Fingerprint: fingerprint(metas)}
	for _, m := range metas {
		c, meta, der, err := dc.Load(m.IssuerKey, m.URL)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				out.Bad++
			}
			continue
		}
		out.DERs = append(out.DERs, der)
		info := describe(c, SourceCache)
		info.URL = meta.URL
		out.CRLs = append(out.CRLs, info)
	}
	return out, nil
}

// CacheFingerprint lists the cache's entries (headers only) and returns
// the Fingerprint LoadCRLCache would: compare it to decide on a reload
// without parsing any CRL.
func CacheFingerprint(dir string) (string, error) {
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("server: CRL cache: %w", err)
	}
	dc, err := crl.OpenDiskCache(dir)
	if err != nil {
		return "", fmt.Errorf("server: CRL cache: %w", err)
	}
	metas, _, err := dc.List()
	if err != nil {
		return "", fmt.Errorf("server: CRL cache: %w", err)
	}
	return fingerprint(metas), nil
}

func fingerprint(metas []crl.DiskMeta) string {
	fp := make([]string, 0, len(metas))
	for _, m := range metas {
		fp = append(fp, m.URL+"|"+m.IssuerKey+"|"+m.Digest)
	}
	slices.Sort(fp)
	return strings.Join(fp, "\n")
}

// DescribeCRL parses a CRL (DER or PEM) given on the command line and
// describes it for /readyz and the freshness metrics.
func DescribeCRL(data []byte) (CRLInfo, error) {
	c, err := crl.Parse(data)
	if err != nil {
		return CRLInfo{}, err
	}
	return describe(c, SourceFlag), nil
}

func describe(c *crl.CRL, source string) CRLInfo {
	info := CRLInfo{Issuer: c.Issuer.String(), ThisUpdate: c.ThisUpdate, NextUpdate: c.NextUpdate, Source: source, URL: c.URL}
	if c.Number != nil {
		info.Number = c.Number.String()
	}
	return info
}
