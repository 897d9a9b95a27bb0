package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestServeHelperProcess is not a test: it is `gostsig serve` in a child
// process for TestServeReplicasBehindNginx (the os/exec helper-process
// pattern). It runs only when GOSTSIG_SERVE_HELPER=1.
func TestServeHelperProcess(t *testing.T) {
	if os.Getenv("GOSTSIG_SERVE_HELPER") != "1" {
		t.Skip("helper process for TestServeReplicasBehindNginx")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(run(append([]string{"serve"}, args...), os.Stdout, os.Stderr))
}

type replica struct {
	cmd  *exec.Cmd
	addr string
	exit chan error
}

// startReplica runs `gostsig serve` in a child process and waits for its
// address.
func startReplica(t *testing.T, args ...string) *replica {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestServeHelperProcess$", "--", "--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), "GOSTSIG_SERVE_HELPER=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &replica{cmd: cmd, exit: make(chan error, 1)}
	addrc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sent := false
		for sc.Scan() {
			var rec struct{ Msg, Addr string }
			if !sent && json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Msg == serveListeningMessage {
				addrc <- rec.Addr
				sent = true
			}
		}
		r.exit <- cmd.Wait()
	}()
	select {
	case r.addr = <-addrc:
	case err := <-r.exit:
		t.Fatalf("replica exited: %v", err)
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		t.Fatal("replica did not start")
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-r.exit:
			case <-time.After(30 * time.Second):
				cmd.Process.Kill()
			}
		}
	})
	return r
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// nginxConfig is the configuration of docs/scale-out.md, on loopback and
// in a temporary prefix.
func nginxConfig(dir string, port int, upstreams ...string) string {
	var ups strings.Builder
	for _, u := range upstreams {
		fmt.Fprintf(&ups, "    server %s max_fails=1 fail_timeout=2s;\n", u)
	}
	return fmt.Sprintf(`worker_processes 1;
daemon off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path %[1]s/body;
  proxy_temp_path %[1]s/proxy;
  fastcgi_temp_path %[1]s/fastcgi;
  uwsgi_temp_path %[1]s/uwsgi;
  scgi_temp_path %[1]s/scgi;
  upstream gostsig {
%[3]s    keepalive 32;
  }
  server {
    listen 127.0.0.1:%[2]d;
    client_max_body_size 32m;
    location / {
      proxy_pass http://gostsig;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Request-Id $request_id;
      proxy_next_upstream error timeout http_503 non_idempotent;
      proxy_next_upstream_tries 3;
      proxy_connect_timeout 2s;
      proxy_read_timeout 60s;
      proxy_buffering off;
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`, dir, port, ups.String())
}

// Two replicas behind nginx on 127.0.0.1 share one CRL cache directory
// read-only: both answer, verdicts agree, one replica can be stopped
// (SIGTERM) under load without a failed request, and nobody writes to the
// cache.
func TestServeReplicasBehindNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: starts nginx and two replicas")
	}
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		if _, err2 := os.Stat("/usr/sbin/nginx"); err2 != nil {
			t.Skip("nginx not installed (apt-get install nginx): the two-replica test needs it")
		}
		nginx = "/usr/sbin/nginx"
	}
	cache := t.TempDir()
	storeSampleCRLs(t, cache)
	before := dirState(t, cache)
	args := []string{"--roots", serveSample("root.pem"), "--certs", serveSample("ca.pem"), "--offline",
		"--at", "2026-01-01T00:00:00Z", "--cache-dir", cache, "--crl-reload", "100ms", "--shutdown-grace", "10s"}
	a := startReplica(t, args...)
	b := startReplica(t, args...)
	// A replica listens before its trust store is loaded and answers 503
	// until then; nginx would take that for a failure, retry on the other
	// and keep the first out for fail_timeout, so the round-robin check
	// below would see one replica only. Start nginx when both are ready.
	waitReady(t, "http://"+a.addr)
	waitReady(t, "http://"+b.addr)

	dir := t.TempDir()
	port := freePort(t)
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(nginxConfig(dir, port, a.addr, b.addr)), 0o644); err != nil {
		t.Fatal(err)
	}
	ng := exec.Command(nginx, "-p", dir, "-c", conf)
	var ngErr bytes.Buffer
	ng.Stderr = &ngErr
	if err := ng.Start(); err != nil {
		t.Fatal(err)
	}
	ngDone := make(chan error, 1)
	go func() { ngDone <- ng.Wait() }()
	t.Cleanup(func() {
		ng.Process.Signal(syscall.SIGQUIT)
		select {
		case <-ngDone:
		case <-time.After(10 * time.Second):
			ng.Process.Kill()
		}
	})
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	client := &http.Client{Timeout: 30 * time.Second}
	for i := 0; ; i++ {
		resp, err := client.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if i == 1000 {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx not ready: %v\n%s\n%s", err, ngErr.String(), log)
		}
		time.Sleep(10 * time.Millisecond)
	}

	body, ct := detachedBody(t)
	verify := func() (upstream string, err error) {
		req, _ := http.NewRequest("POST", base+"/v1/verify", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		resp, err := client.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var m map[string]any
		if resp.StatusCode != 200 || json.Unmarshal(b, &m) != nil || m["indication"] != "TOTAL_PASSED" {
			return "", fmt.Errorf("%d via %s: %.300s", resp.StatusCode, resp.Header.Get("X-Upstream"), b)
		}
		if id := resp.Header.Get("X-Request-Id"); len(id) != 32 {
			return "", fmt.Errorf("X-Request-Id %q: nginx's $request_id was not passed through", id)
		}
		return resp.Header.Get("X-Upstream"), nil
	}
	seen := map[string]int{}
	for range 40 {
		up, err := verify()
		if err != nil {
			t.Fatal(err)
		}
		seen[up]++
	}
	if seen[a.addr] == 0 || seen[b.addr] == 0 {
		t.Fatalf("requests did not reach both replicas: %v", seen)
	}

	// Stop replica a under load: every request still succeeds.
	var wg sync.WaitGroup
	stopLoad := make(chan struct{})
	errs := make(chan error, 1000)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stopLoad:
					return
				default:
				}
				if _, err := verify(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	a.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-a.exit:
		if err != nil {
			t.Errorf("replica a after SIGTERM: %v (want exit 0)", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("replica a did not stop")
	}
	time.Sleep(500 * time.Millisecond) // load now goes to b alone
	close(stopLoad)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("request failed while a replica drained: %v", err)
	}
	// nginx may try a once more before marking it down ("a, b").
	if up, err := verify(); err != nil || !strings.HasSuffix(up, b.addr) {
		t.Errorf("after a stopped: %q %v", up, err)
	}
	if after := dirState(t, cache); after != before {
		t.Error("a replica wrote to the shared CRL cache")
	}
}
