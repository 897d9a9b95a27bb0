package cms

import (
	"path/filepath"
	"testing"
)

// TestPrehashChangesNoResult verifies every sample, and every byte-flip
// (XOR 0xFF) of the batched kinds, with prehash on and off, cold and with
// a certificate cache (the ESS memo), and requires the same result: the
// batch only moves where the hashes are computed.
func TestPrehashChangesNoResult(t *testing.T) {
	t.Cleanup(func() { noPrehash = false })
	var files []string
	for _, dir := range []string{"vectors", "corpus", "openssl"} {
		m, _ := filepath.Glob(filepath.Join("testdata", dir, "*.p7s"))
		for _, f := range m {
			files = append(files, f[len("testdata/"):])
		}
	}
	if len(files) < 20 {
		t.Fatalf("only %d samples found", len(files))
	}
	mutate := map[string]bool{"vectors/bes-256-xcha.p7s": true, "vectors/bes-512.p7s": !testing.Short(),
		"vectors/ess-v1-and-v2.p7s": !testing.Short()}
	content := readFile(t, "vectors/detached-256.content")
	cached := &VerifyOptions{ParseCertificate: mapCertCache()}
	run := func(data []byte, opts *VerifyOptions, off bool) string {
		noPrehash = off
		r, err := Verify(data, opts)
		if err != nil {
			return "error: " + err.Error()
		}
		return describe(r) + shape(r).String()
	}
	checked := 0
	for _, name := range files {
		data := readFile(t, name)
		cases := [][]byte{data}
		if mutate[name] {
			for i := range data {
				m := append([]byte(nil), data...)
				m[i] ^= 0xff
				cases = append(cases, m)
			}
		}
		for i, d := range cases {
			all := []*VerifyOptions{nil, cached, {Content: content}}
			if i > 0 {
				all = all[:2]
			}
			for _, opts := range all {
				// Twice with the cache on the sample: the second call
				// takes the memo.
				for range 1 + btoi(opts == cached && i == 0) {
					off, on := run(d, opts, true), run(d, opts, false)
					if off != on {
						t.Fatalf("%s (mutation %d): prehash changes the result:\noff:\n%s\non:\n%s", name, i-1, off, on)
					}
					checked++
				}
			}
		}
	}
	t.Logf("%d verifications compared", checked)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}
