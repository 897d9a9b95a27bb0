package verify

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// peer is the compiled cmsverify harness with the fixture's files.
type peer struct {
	dir             string
	bin, sig, store string
	at              time.Time
}

var (
	peerOnce sync.Once
	peerVal  *peer
	peerSkip string
)

// needPeer compiles cmsverify.c against libcrypto and writes the fixture
// for it, or skips the test with the reason (no C compiler, no OpenSSL
// headers, no gost engine). CI installs all three.
func needPeer(tb testing.TB) *peer {
	tb.Helper()
	peerOnce.Do(func() {
		cc, err := exec.LookPath("cc")
		if err != nil {
			peerSkip = "no C compiler (cc) to build the OpenSSL harness"
			return
		}
		dir, err := mkdirTemp()
		if err != nil {
			peerSkip = err.Error()
			return
		}
		bin := filepath.Join(dir, "cmsverify")
		out, err := exec.Command(cc, "-O2", "-Wno-deprecated-declarations", "-o", bin, filepath.Join("openssl", "cmsverify.c"), "-lcrypto", "-lpthread").CombinedOutput()
		if err != nil {
			peerSkip = "cannot build openssl/cmsverify.c (need libssl-dev): " + strings.TrimSpace(string(out))
			return
		}
		f := getFixture(tb)
		p := &peer{dir: dir, bin: bin, at: f.at}
		p.sig, p.store = f.writeOpenSSLFiles(tb, dir)
		// One short run: it exits 69 without the gost engine and 1 if the
		// signature does not verify.
		if _, err := p.run(1, 0.05); err != nil {
			if strings.Contains(err.Error(), "gost engine") {
				peerSkip = "OpenSSL gost engine missing (apt-get install libengine-gost-openssl)"
				os.RemoveAll(dir)
				return
			}
			os.RemoveAll(dir)
			tb.Fatalf("OpenSSL harness: %v", err)
		}
		peerVal = p
	})
	if peerVal == nil {
		tb.Skip(peerSkip)
	}
	return peerVal
}

// run runs the harness with threads threads for seconds and returns
// verifications per second.
func (p *peer) run(threads int, seconds float64) (float64, error) {
	cmd := exec.Command(p.bin, p.sig, p.store, strconv.FormatInt(p.at.Unix(), 10),
		strconv.Itoa(threads), strconv.FormatFloat(seconds, 'f', 3, 64))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%v: %s", err, strings.TrimSpace(string(out)))
	}
	var n, fails int64
	var secs float64
	if _, err := fmt.Sscanf(strings.TrimSpace(string(out)), "verifies=%d seconds=%f failures=%d", &n, &secs, &fails); err != nil {
		return 0, fmt.Errorf("unexpected output %q", out)
	}
	if fails != 0 || n == 0 {
		return 0, fmt.Errorf("%d failures, %d verifications", fails, n)
	}
	return float64(n) / secs, nil
}

// TestOpenSSLPeerVerifies makes sure the peer really verifies the fixture
// (chain and CRLs included), so that its figures compare like with like.
func TestOpenSSLPeerVerifies(t *testing.T) {
	p := needPeer(t)
	if r, err := p.run(1, 0.05); err != nil || r <= 0 {
		t.Fatalf("rate %v, %v", r, err)
	}
}

func mkdirTemp() (string, error) { return os.MkdirTemp("", "gostsig-bench-") }

func peerDir(p *peer) string { return p.dir }
