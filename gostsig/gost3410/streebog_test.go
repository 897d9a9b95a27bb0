package gost3410

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os/exec"
	"strings"
	"testing"
)

// streebog returns Streebog-256 (size 32) or Streebog-512 (size 64) of
// data. Until gostsig.dev/gostsig/streebog lands it asks OpenSSL with the
// gost engine, and skips the test when that is not installed.
func streebog(t testing.TB, size int, data []byte) []byte {
	t.Helper()
	if _, err := exec.LookPath("openssl"); err != nil {
		t.Skip("openssl not installed: needed for Streebog until gostsig/streebog lands")
	}
	md := fmt.Sprintf("-md_gost12_%d", size*8)
	cmd := exec.Command("openssl", "dgst", "-engine", "gost", md, "-r")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("openssl with the gost engine not available (%v): needed for Streebog until gostsig/streebog lands", err)
	}
	h, err := hex.DecodeString(strings.Fields(string(out))[0])
	if err != nil || len(h) != size {
		t.Fatalf("openssl dgst: %q", out)
	}
	return h
}
