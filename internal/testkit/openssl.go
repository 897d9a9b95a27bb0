package testkit

import (
	"bytes"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// OpenSSL runs the openssl command line with the gost engine loaded, for
// interop tests. Obtain one with NeedOpenSSL.
type OpenSSL struct {
	Path string // the openssl binary
	Conf string // OPENSSL_CONF that loads the gost engine
	Dir  string // a temporary working directory
}

var (
	engineOnce sync.Once
	engineErr  string
)

const engineConf = `openssl_conf = openssl_def
[openssl_def]
engines = engine_section
[engine_section]
gost = gost_section
[gost_section]
engine_id = gost
default_algorithms = ALL
`

// NeedOpenSSL returns an OpenSSL runner, or skips the test with a clear
// message when openssl or its gost engine (Debian libengine-gost-openssl)
// is not installed. CI installs both.
func NeedOpenSSL(t testing.TB) *OpenSSL {
	t.Helper()
	path, err := exec.LookPath("openssl")
	if err != nil {
		t.Skip("interop: openssl not installed (apt-get install -y openssl libengine-gost-openssl)")
	}
	dir := t.TempDir()
	conf := filepath.Join(dir, "engine.cnf")
	if err := os.WriteFile(conf, []byte(engineConf), 0o644); err != nil {
		t.Fatal(err)
	}
	o := &OpenSSL{Path: path, Conf: conf, Dir: dir}
	engineOnce.Do(func() {
		out, err := o.run("engine", "gost")
		if err != nil || !strings.Contains(string(out), "gost") {
			engineErr = strings.TrimSpace(string(out))
		}
	})
	if engineErr != "" {
		t.Skipf("interop: openssl gost engine not available (apt-get install -y libengine-gost-openssl): %s", engineErr)
	}
	return o
}

func (o *OpenSSL) run(args ...string) ([]byte, error) {
	cmd := exec.Command(o.Path, args...)
	cmd.Env = append(os.Environ(), "OPENSSL_CONF="+o.Conf)
	cmd.Dir = o.Dir
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	err := cmd.Run()
	return buf.Bytes(), err
}

// Run runs openssl with args in o.Dir and returns its combined output and
// error (non-nil on a non-zero exit).
func (o *OpenSSL) Run(args ...string) ([]byte, error) { return o.run(args...) }

// WriteFile writes data to name inside o.Dir and returns the full path.
func (o *OpenSSL) WriteFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(o.Dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// PEM encodes DER blocks of one type.
func PEM(typ string, ders ...[]byte) []byte {
	var buf bytes.Buffer
	for _, d := range ders {
		pem.Encode(&buf, &pem.Block{Type: typ, Bytes: d})
	}
	return buf.Bytes()
}
