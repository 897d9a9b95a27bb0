package streebog

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// opensslDigests runs "openssl dgst -engine gost -<md> -r" over files and
// returns the hex digests in order. It skips the test when OpenSSL or its
// gost engine (Debian package libengine-gost-openssl) is missing.
func opensslDigests(t *testing.T, md string, files []string) []string {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed; CI installs it with libengine-gost-openssl")
	}
	if out, err := exec.Command("openssl", "dgst", "-engine", "gost", "-"+md, os.DevNull).CombinedOutput(); err != nil {
		t.Skipf("OpenSSL gost engine unavailable (apt-get install libengine-gost-openssl): %v: %s", err, bytes.TrimSpace(out))
	}
	cmd := exec.Command("openssl", append([]string{"dgst", "-engine", "gost", "-" + md, "-r"}, files...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("openssl dgst: %v: %s", err, stderr.String())
	}
	var sums []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), " *")
		if !ok || name != files[len(sums)] {
			t.Fatalf("unexpected openssl output line %q", sc.Text())
		}
		sums = append(sums, sum)
	}
	if len(sums) != len(files) {
		t.Fatalf("openssl printed %d digests for %d files", len(sums), len(files))
	}
	return sums
}

// TestOpenSSL compares Streebog-256 and -512 with OpenSSL's gost engine on
// random messages, around the block boundaries and one large one, with
// every implementation this machine runs.
func TestOpenSSL(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	lengths := []int{0, 1, 31, 32, 33, 63, 64, 65, 127, 128, 129, 191, 192, 1<<20 + 3}
	for range 30 {
		lengths = append(lengths, r.IntN(5000))
	}
	if testing.Short() {
		lengths = lengths[:14]
	}
	dir := t.TempDir()
	var files []string
	var msgs [][]byte
	for i, n := range lengths {
		msg := randBytes(r, n)
		f := filepath.Join(dir, fmt.Sprintf("m%03d", i))
		if err := os.WriteFile(f, msg, 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		msgs = append(msgs, msg)
	}
	want256 := opensslDigests(t, "md_gost12_256", files)
	want512 := opensslDigests(t, "md_gost12_512", files)
	forEachImpl(t, func(t *testing.T) {
		for i, msg := range msgs {
			if got := Sum256(msg); hex.EncodeToString(got[:]) != want256[i] {
				t.Errorf("length %d: Sum256 = %x, OpenSSL %s", len(msg), got, want256[i])
			}
			if got := Sum512(msg); hex.EncodeToString(got[:]) != want512[i] {
				t.Errorf("length %d: Sum512 = %x, OpenSSL %s", len(msg), got, want512[i])
			}
		}
		out := make([][Size256]byte, len(msgs))
		SumBatch256(msgs, out)
		for i := range msgs {
			if hex.EncodeToString(out[i][:]) != want256[i] {
				t.Errorf("length %d: SumBatch256 = %x, OpenSSL %s", len(msgs[i]), out[i], want256[i])
			}
		}
	})
}
