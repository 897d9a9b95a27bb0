package gost341194

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

// opensslDigests runs "openssl dgst -engine gost -md_gost94 -r" over files
// and returns the hex digests in order. It skips the test when OpenSSL or
// its gost engine (Debian package libengine-gost-openssl) is missing.
func opensslDigests(t *testing.T, files []string) []string {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed; CI installs it with libengine-gost-openssl")
	}
	if out, err := exec.Command("openssl", "dgst", "-engine", "gost", "-md_gost94", os.DevNull).CombinedOutput(); err != nil {
		t.Skipf("OpenSSL gost engine unavailable (apt-get install libengine-gost-openssl): %v: %s", err, bytes.TrimSpace(out))
	}
	cmd := exec.Command("openssl", append([]string{"dgst", "-engine", "gost", "-md_gost94", "-r"}, files...)...)
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

// TestOpenSSL compares the CryptoPro hash with OpenSSL's gost engine on
// random messages, the empty one included, around the block boundaries and
// one large one.
func TestOpenSSL(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	lengths := []int{0, 1, 31, 32, 33, 63, 64, 65, 96, 1<<20 + 5}
	for range 30 {
		lengths = append(lengths, r.IntN(3000))
	}
	dir := t.TempDir()
	var files []string
	var msgs [][]byte
	for i, n := range lengths {
		msg := make([]byte, n)
		for j := range msg {
			msg[j] = byte(r.Uint32())
		}
		f := filepath.Join(dir, fmt.Sprintf("m%03d", i))
		if err := os.WriteFile(f, msg, 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		msgs = append(msgs, msg)
	}
	want := opensslDigests(t, files)
	for i, msg := range msgs {
		if got := Sum(msg); hex.EncodeToString(got[:]) != want[i] {
			t.Errorf("length %d: Sum = %x, OpenSSL %s", len(msg), got, want[i])
		}
	}
}
