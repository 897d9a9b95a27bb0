package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net"
	"os"
	"path/filepath"
	"time"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	"gostsig.dev/gostsig"
	"gostsig.dev/server"
)

// Serve a verifier on an in-memory listener and verify the bundled
// detached CAdES-BES sample (testdata/samples) with a multipart request.
func Example() {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("..", "testdata", "samples", name))
		if err != nil {
			panic(err)
		}
		return b
	}
	v, err := gostsig.New(gostsig.Config{
		Roots:         [][]byte{read("root.pem")},
		Intermediates: [][]byte{read("ca.pem")},
		CRLs:          [][]byte{read("crl/root.crl"), read("crl/ca.crl")},
		Offline:       true,
	})
	if err != nil {
		panic(err)
	}
	srv, err := server.New(v, server.Trust{}, server.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		panic(err)
	}
	ln := fasthttputil.NewInmemoryListener()
	go srv.Serve(ln)
	defer srv.Close()

	// A multipart body with the detached signature and its content.
	body, contentType := detached(read("hello.txt.sig"), read("hello.txt"))
	client := &fasthttp.Client{Dial: func(string) (net.Conn, error) { return ln.Dial() }}
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	req.SetRequestURI("http://gostsig/v1/verify?at=2026-01-01T00:00:00Z")
	req.Header.SetMethod("POST")
	req.Header.SetContentType(contentType)
	req.SetBody(body)
	if err := client.DoTimeout(req, resp, 10*time.Second); err != nil {
		panic(err)
	}
	var res gostsig.Result
	if err := json.Unmarshal(resp.Body(), &res); err != nil {
		panic(err)
	}
	fmt.Println(resp.StatusCode(), res.Indication, res.Profile, res.Signatures[0].Signer.CommonName)

	srv.Shutdown(context.Background())
	// Output:
	// 200 TOTAL_PASSED cades-bes Иванов Иван Иванович
}

// detached builds the multipart/form-data body of a detached signature.
func detached(signature, content []byte) ([]byte, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	part, _ := w.CreateFormFile("signature", "hello.txt.sig")
	part.Write(signature)
	part, _ = w.CreateFormFile("content", "hello.txt")
	part.Write(content)
	w.Close()
	return buf.Bytes(), w.FormDataContentType()
}
