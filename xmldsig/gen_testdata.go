//go:build ignore

// gen_testdata signs the message templates in testdata/generated/templates
// with GOST 2012-256 and 2012-512 keys through OpenSSL + gost-engine and
// writes the signed messages to testdata/generated. Digests and canonical
// SignedInfo come from this package; the signatures from `openssl dgst
// -sign`; the attachment signatures from `openssl cms -sign`. The test
// TestGeneratedOracle then has shared/tools/smevverify.py, an independent
// implementation, verify every output.
//
//	cd xmldsig && OPENSSL_CONF=../../shared/tools/openssl-gost.cnf go run gen_testdata.go
//
// Keys and certificates are kept in testdata/generated/keys and reused; delete
// them to make new ones.
package main

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/xmldsig"
)

const dir = "testdata/generated"

var keys = []struct{ name, alg, paramset, md string }{
	{"person256", "gost2012_256", "A", "md_gost12_256"},
	{"system256", "gost2012_256", "TCB", "md_gost12_256"},
	{"person512", "gost2012_512", "A", "md_gost12_512"},
	{"smev512", "gost2012_512", "B", "md_gost12_512"},
}

func run(stdin []byte, name string, args ...string) []byte {
	cmd := exec.Command(name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		log.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.Bytes())
	}
	return out
}

func main() {
	kdir := filepath.Join(dir, "keys")
	os.MkdirAll(kdir, 0o755)
	certs := map[string][]byte{}
	mdByCert := map[string]string{}
	for i, k := range keys {
		key := filepath.Join(kdir, k.name+".key")
		crt := filepath.Join(kdir, k.name+".pem")
		if _, err := os.Stat(key); err != nil {
			run(nil, "openssl", "genpkey", "-algorithm", k.alg, "-pkeyopt", "paramset:"+k.paramset, "-out", key)
			run(nil, "openssl", "req", "-x509", "-new", "-key", key, "-"+k.md, "-days", "3650",
				"-set_serial", fmt.Sprint(1000+i), "-subj", "/C=RU/O=gostsig tests/CN="+k.name, "-out", crt)
		}
		der := run(nil, "openssl", "x509", "-in", crt, "-outform", "DER")
		certs[k.name] = der
		mdByCert[string(der)] = k.name
	}

	// Attachments and their detached CMS signatures.
	att := map[string][]byte{
		"ref.bin":  bytes.Repeat([]byte("gostsig attachment \x00\x01\x02\xff "), 150),
		"scan.pdf": []byte("%PDF-1.4\n% gostsig test attachment\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"),
	}
	cms := map[string][]byte{}
	for name, b := range att {
		p := filepath.Join(dir, name)
		os.WriteFile(p, b, 0o644)
		cms[name] = run(nil, "openssl", "cms", "-sign", "-binary", "-in", p, "-signer", filepath.Join(kdir, "system256.pem"),
			"-inkey", filepath.Join(kdir, "system256.key"), "-md", "md_gost12_256", "-nosmimecap", "-outform", "DER")
		os.WriteFile(p+".p7s", cms[name], 0o644)
	}
	parts := map[string][]byte{"scan.pdf.sig@gostsig": cms["scan.pdf"], "scan.pdf@gostsig": att["scan.pdf"]}
	attachments := map[string][]byte{"0f0e0d0c-0b0a-0908-0706-050403020100": att["ref.bin"]}

	templates, _ := filepath.Glob(filepath.Join(dir, "templates", "*.xml"))
	for _, tpl := range templates {
		b, _ := os.ReadFile(tpl)
		s := string(b)
		for name, der := range certs {
			s = strings.ReplaceAll(s, "{{CERT:"+name+"}}", base64.StdEncoding.EncodeToString(der))
		}
		for name, data := range att {
			h := streebog.Sum256(data)
			s = strings.ReplaceAll(s, "{{HASH:"+name+"}}", base64.StdEncoding.EncodeToString(h[:]))
			s = strings.ReplaceAll(s, "{{CMS:"+name+"}}", base64.StdEncoding.EncodeToString(cms[name]))
		}
		// Placeholders become unique valid base64, replaced once computed.
		for i := range 8 {
			for j := range 4 {
				s = strings.ReplaceAll(s, fmt.Sprintf("{{D%d-%d}}", i, j), base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("digest-%d-%d", i, j))))
			}
			s = strings.ReplaceAll(s, fmt.Sprintf("{{S%d}}", i), base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("sigval-%d", i))))
		}
		if strings.Contains(s, "{{") {
			log.Fatalf("%s: unreplaced placeholder", tpl)
		}
		opt := &xmldsig.Options{Parts: parts, Attachments: attachments}
		res, err := xmldsig.Verify([]byte(s), opt)
		if err != nil {
			log.Fatalf("%s: %v", tpl, err)
		}
		// Document order signs inner signatures before the ones covering them.
		for i := range res.Signatures {
			res, _ = xmldsig.Verify([]byte(s), opt)
			for j, ref := range res.Signatures[i].References {
				if ref.Computed == nil {
					log.Fatalf("%s: signature %d reference %d: no digest: %v", tpl, i, j, res.Signatures[i].Checks)
				}
				ph := base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("digest-%d-%d", i, j)))
				s = strings.Replace(s, ph, base64.StdEncoding.EncodeToString(ref.Computed), 1)
			}
			res, _ = xmldsig.Verify([]byte(s), opt)
			sig := res.Signatures[i]
			name := mdByCert[string(sig.CertificateDER)]
			md := "md_gost12_256"
			if strings.HasSuffix(sig.SignatureMethod, "-512") {
				md = "md_gost12_512"
			}
			sv := run(sig.SignedInfo, "openssl", "dgst", "-"+md, "-sign", filepath.Join(kdir, name+".key"))
			ph := base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("sigval-%d", i)))
			s = strings.Replace(s, ph, base64.StdEncoding.EncodeToString(sv), 1)
		}
		res, err = xmldsig.Verify([]byte(s), opt)
		if err != nil {
			log.Fatal(err)
		}
		for _, sig := range res.Signatures {
			if !sig.Passed() {
				log.Fatalf("%s: %s does not verify: %+v", tpl, sig.Name, sig.Checks)
			}
		}
		out := filepath.Join(dir, filepath.Base(tpl))
		os.WriteFile(out, []byte(s), 0o644)
		if strings.Contains(s, "xop:Include") {
			var mime bytes.Buffer
			ct, err := xmldsig.BuildMultipart(&mime, []byte(s), parts, []string{"scan.pdf.sig@gostsig", "scan.pdf@gostsig"})
			if err != nil {
				log.Fatal(err)
			}
			os.WriteFile(strings.TrimSuffix(out, ".xml")+".mime", mime.Bytes(), 0o644)
			os.WriteFile(strings.TrimSuffix(out, ".xml")+".mime.content-type", []byte(ct+"\n"), 0o644)
		}
		fmt.Printf("%s: %d signatures\n", out, len(res.Signatures))
	}
}
