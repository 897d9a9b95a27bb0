package chain

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"
)

// HTTPFetcher fetches caIssuers URLs over HTTP (RFC 5280 §4.2.2.1 names
// HTTP and LDAP; only http and https are fetched). The zero value uses
// http.DefaultClient with a 10-second timeout per fetch.
type HTTPFetcher struct {
	Client  *http.Client
	Timeout time.Duration
}

// Fetch implements Fetcher, reading at most MaxFetchedBytes.
func (f *HTTPFetcher) Fetch(ctx context.Context, url string) ([]byte, error) {
	if len(url) < 7 || (url[:7] != "http://" && (len(url) < 8 || url[:8] != "https://")) {
		return nil, fmt.Errorf("chain: caIssuers URL %q is not http(s)", url)
	}
	timeout := f.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	client := f.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("chain: caIssuers %s: HTTP %s", url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxFetchedBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFetchedBytes {
		return nil, fmt.Errorf("chain: caIssuers %s: response over %d bytes", url, MaxFetchedBytes)
	}
	return data, nil
}
