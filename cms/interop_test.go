package cms

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"gostsig.dev/gostsig/gost3410"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

// TestOpenSSLSignedVerifies signs with openssl cms (gost engine) the way
// ../shared/tools/make-pki.sh does, with testkit keys on several curves, and
// verifies the results here.
func TestOpenSSLSignedVerifies(t *testing.T) {
	o := testkit.NeedOpenSSL(t)
	p := testkit.MustPKI("cms/openssl")
	type leaf struct {
		name string
		alg  gost3410.Algorithm
		set  []int
		md   string
	}
	leaves := []leaf{
		{"256-XA", gost3410.GOST2012_256, oid.CryptoProXchA, "md_gost12_256"},
		{"256-TCA", gost3410.GOST2012_256, oid.TC26_256A, "md_gost12_256"},
		{"512-C", gost3410.GOST2012_512, oid.TC26_512C, "md_gost12_512"},
	}
	if testing.Short() {
		leaves = leaves[:1]
	}
	content := []byte("Документ для проверки совместимости с OpenSSL.\n")
	data := o.WriteFile(t, "data.txt", content)
	o.WriteFile(t, "ca.pem", testkit.PEM("CERTIFICATE", p.CA.DER))
	for _, l := range leaves {
		c, err := p.NewLeaf("cms/openssl/"+l.name, l.alg, l.set, nil)
		if err != nil {
			t.Fatal(err)
		}
		cf := o.WriteFile(t, l.name+".pem", testkit.PEM("CERTIFICATE", c.DER))
		kf := o.WriteFile(t, l.name+".key", testkit.PEM("PRIVATE KEY", c.Key.PKCS8()))
		sign := func(out string, extra ...string) []byte {
			t.Helper()
			args := append([]string{"cms", "-sign", "-engine", "gost", "-md", l.md, "-binary", "-signer", cf, "-inkey", kf,
				"-certfile", "ca.pem", "-in", data, "-outform", "DER", "-out", out}, extra...)
			if b, err := o.Run(args...); err != nil {
				t.Fatalf("openssl %v: %v\n%s", args, err, b)
			}
			b, err := os.ReadFile(filepath.Join(o.Dir, out))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		for _, v := range []struct {
			variant  string
			args     []string
			detached bool
			level    Level
		}{
			{"att", []string{"-nodetach"}, false, LevelCMS},
			{"det", nil, true, LevelCMS},
			{"noattr", []string{"-nodetach", "-noattr"}, false, LevelCMS},
			{"cades", []string{"-nodetach", "-cades"}, false, LevelBES},
		} {
			t.Run(l.name+"/"+v.variant, func(t *testing.T) {
				sig := sign(l.name+"."+v.variant+".p7s", v.args...)
				opts := &VerifyOptions{}
				if v.detached {
					opts.Content = content
				}
				r, err := Verify(sig, opts)
				if err != nil {
					t.Fatal(err)
				}
				s := r.Signers[0]
				if !s.Valid() || s.Level != v.level {
					t.Fatalf("valid=%v level=%v\n%s", s.Valid(), s.Level, describe(r))
				}
				if v.detached {
					r, _ = Verify(sig, &VerifyOptions{Content: append([]byte("x"), content...)})
					if c := r.Signers[0].Check(CheckMessageDigest); c.Status != Failed || c.Reason != ReasonDigestMismatch {
						t.Fatalf("other content: %v", c)
					}
				}
			})
		}
		t.Run(l.name+"/tampered", func(t *testing.T) {
			sig := sign(l.name+".tampered.p7s", "-nodetach")
			i := bytes.Index(sig, content[:8])
			sig[i] ^= 1
			r, err := Verify(sig, nil)
			if err != nil {
				t.Fatal(err)
			}
			if c := r.Signers[0].Check(CheckMessageDigest); c.Status != Failed || c.Reason != ReasonDigestMismatch {
				t.Fatalf("tampered: %s", describe(r))
			}
		})
	}
	t.Run("two signers and resign", func(t *testing.T) {
		a, _ := p.NewLeaf("cms/openssl/multiA", gost3410.GOST2012_256, oid.TC26_256B, nil)
		b, _ := p.NewLeaf("cms/openssl/multiB", gost3410.GOST2012_256, oid.CryptoProC, nil)
		af := o.WriteFile(t, "a.pem", testkit.PEM("CERTIFICATE", a.DER))
		ak := o.WriteFile(t, "a.key", testkit.PEM("PRIVATE KEY", a.Key.PKCS8()))
		bf := o.WriteFile(t, "b.pem", testkit.PEM("CERTIFICATE", b.DER))
		bk := o.WriteFile(t, "b.key", testkit.PEM("PRIVATE KEY", b.Key.PKCS8()))
		if out, err := o.Run("cms", "-sign", "-engine", "gost", "-md", "md_gost12_256", "-binary", "-nodetach", "-in", data,
			"-signer", af, "-inkey", ak, "-signer", bf, "-inkey", bk, "-outform", "DER", "-out", "multi.p7s"); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if out, err := o.Run("cms", "-sign", "-engine", "gost", "-md", "md_gost12_256", "-binary", "-nodetach", "-in", data,
			"-signer", af, "-inkey", ak, "-outform", "DER", "-out", "one.p7s"); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if out, err := o.Run("cms", "-resign", "-engine", "gost", "-md", "md_gost12_256", "-binary", "-inform", "DER",
			"-in", "one.p7s", "-signer", bf, "-inkey", bk, "-outform", "PEM", "-out", "cosign.pem"); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, f := range []string{"multi.p7s", "cosign.pem"} {
			b, _ := os.ReadFile(filepath.Join(o.Dir, f))
			r, err := Verify(b, nil)
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if len(r.Signers) != 2 || !r.Signers[0].Valid() || !r.Signers[1].Valid() {
				t.Fatalf("%s:\n%s", f, describe(r))
			}
		}
	})
}

// TestOpenSSLTimeStamp makes a real CAdES-T: the signature by openssl cms,
// the time-stamp token by openssl ts -reply with a GOST TSA key, the token
// inserted as signatureTimeStampToken.
func TestOpenSSLTimeStamp(t *testing.T) {
	o := testkit.NeedOpenSSL(t)
	p := testkit.MustPKI("cms/openssl-ts")
	tsa, err := p.NewTSA("cms/openssl-ts/tsa")
	if err != nil {
		t.Fatal(err)
	}
	o.WriteFile(t, "leaf.pem", testkit.PEM("CERTIFICATE", p.Leaf.DER))
	o.WriteFile(t, "leaf.key", testkit.PEM("PRIVATE KEY", p.Leaf.Key.PKCS8()))
	o.WriteFile(t, "tsa.pem", testkit.PEM("CERTIFICATE", tsa.DER))
	o.WriteFile(t, "tsa.key", testkit.PEM("PRIVATE KEY", tsa.Key.PKCS8()))
	o.WriteFile(t, "data.txt", []byte("Документ для CAdES-T.\n"))
	o.WriteFile(t, "tsaserial", []byte("1000\n"))
	o.WriteFile(t, "ts.cnf", []byte(`[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = ./tsaserial
signer_digest = md_gost12_256
default_policy = 1.2.643.3.58.3.1
other_policies = 1.2.643.3.58.3.2
digests = md_gost12_256, md_gost12_512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
certs = ./tsa.pem
`))
	run := func(args ...string) {
		t.Helper()
		if out, err := o.Run(args...); err != nil {
			t.Fatalf("openssl %v: %v\n%s", args, err, out)
		}
	}
	run("cms", "-sign", "-engine", "gost", "-md", "md_gost12_256", "-binary", "-nodetach", "-cades", "-signer", "leaf.pem",
		"-inkey", "leaf.key", "-in", "data.txt", "-outform", "DER", "-out", "att.p7s")
	sigDER, _ := os.ReadFile(filepath.Join(o.Dir, "att.p7s"))
	sd, err := Parse(sigDER)
	if err != nil {
		t.Fatal(err)
	}
	o.WriteFile(t, "sigvalue.bin", sd.Signers[0].Signature)
	o.WriteFile(t, "other.bin", []byte("not the signature value"))
	token := func(data string) []byte {
		run("ts", "-query", "-data", data, "-md_gost12_256", "-cert", "-out", "req.tsq")
		run("ts", "-reply", "-engine", "gost", "-config", "ts.cnf", "-queryfile", "req.tsq", "-inkey", "tsa.key",
			"-signer", "tsa.pem", "-token_out", "-out", "tok.der")
		b, err := os.ReadFile(filepath.Join(o.Dir, "tok.der"))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	good := token("sigvalue.bin")
	cadesT := addUnsignedAttr(t, sigDER, 0, testkit.Attribute{Type: oid.AttrSignatureTimeStamp, Values: [][]byte{good}}.DER())
	if os.Getenv("CMS_WRITE_OPENSSL_CADES_T") != "" {
		os.WriteFile(os.Getenv("CMS_WRITE_OPENSSL_CADES_T"), cadesT, 0o644)
	}
	r, err := Verify(cadesT, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := r.Signers[0]
	if !s.Valid() || s.Level != LevelT || len(s.TimeStamps) != 1 {
		t.Fatalf("openssl CAdES-T:\n%s", describe(r))
	}
	ts := s.TimeStamps[0]
	if ts.TSA == nil || !bytes.Equal(ts.TSA.Raw, tsa.DER) || ts.Info.GenTime.IsZero() || ts.Info.Accuracy != time.Second ||
		!ts.Info.Policy.Equal(testkit.TestTSAPolicy) || ts.Info.TSAName == nil {
		t.Fatalf("token details: %+v", ts.Info)
	}
	// openssl's ESS v2 with SHA-256 names the TSA: checked.
	if c := ts.Signer.Check(CheckSigningCertRef); c.Status != Passed {
		t.Fatalf("token ESS: %v", c)
	}

	bad := token("other.bin")
	r, err = Verify(addUnsignedAttr(t, sigDER, 0, testkit.Attribute{Type: oid.AttrSignatureTimeStamp, Values: [][]byte{bad}}.DER()), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c := r.Signers[0].Check(CheckSignatureTimeStamp); c.Status != Failed || c.Reason != ReasonImprintMismatch {
		t.Fatalf("token over other data: %v", c)
	}
}

// addUnsignedAttr returns der with attr appended to the unsigned
// attributes of SignerInfo i. Only the envelope is re-encoded; every
// signed byte is copied as is.
func addUnsignedAttr(t testing.TB, der []byte, idx int, attr []byte) []byte {
	t.Helper()
	s := cryptobyte.String(der)
	var ci, ctype, wrap, sdBody cryptobyte.String
	if !s.ReadASN1(&ci, cbasn1.SEQUENCE) || !ci.ReadASN1Element(&ctype, cbasn1.OBJECT_IDENTIFIER) ||
		!ci.ReadASN1(&wrap, tagCtx0C) || !wrap.ReadASN1(&sdBody, cbasn1.SEQUENCE) {
		t.Fatal("addUnsignedAttr: not a ContentInfo")
	}
	var fields [][]byte
	var sis cryptobyte.String
	for !sdBody.Empty() {
		var e cryptobyte.String
		var tag cbasn1.Tag
		if sdBody.PeekASN1Tag(cbasn1.SET) && len(fields) >= 3 {
			// the last SET is signerInfos; digestAlgorithms is fields[1]
			rest := sdBody
			var probe cryptobyte.String
			rest.ReadASN1(&probe, cbasn1.SET)
			if rest.Empty() {
				sdBody.ReadASN1(&sis, cbasn1.SET)
				break
			}
		}
		sdBody.ReadAnyASN1Element(&e, &tag)
		fields = append(fields, e)
	}
	var b cryptobyte.Builder
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddBytes(ctype)
		b.AddASN1(tagCtx0C, func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
				for _, f := range fields {
					b.AddBytes(f)
				}
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					for i := 0; !sis.Empty(); i++ {
						var si cryptobyte.String
						sis.ReadASN1(&si, cbasn1.SEQUENCE)
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							var existing []byte
							for !si.Empty() {
								var e cryptobyte.String
								var tag cbasn1.Tag
								si.ReadAnyASN1Element(&e, &tag)
								if tag == tagCtx1C {
									var inner cryptobyte.String
									es := cryptobyte.String(e)
									es.ReadASN1(&inner, tagCtx1C)
									existing = inner
									continue
								}
								b.AddBytes(e)
							}
							if i == idx || existing != nil {
								b.AddASN1(tagCtx1C, func(b *cryptobyte.Builder) {
									b.AddBytes(existing)
									if i == idx {
										b.AddBytes(attr)
									}
								})
							}
						})
					}
				})
			})
		})
	})
	return b.BytesOrPanic()
}

// TestMakePKICorpus verifies every signature ../shared/tools/make-pki.sh
// produces as its results.tsv says, for the part this package owns: a row
// expected to verify must pass every check here; a row expected to fail
// must fail here exactly when `openssl cms -verify -noverify` (signature
// only) fails too — the other failures (expired, revoked) are the chain
// and revocation layers' to find. GOSTSIG_MAKEPKI_DIR names an existing
// output; otherwise the script is run (not under -short).
func TestMakePKICorpus(t *testing.T) {
	dir := os.Getenv("GOSTSIG_MAKEPKI_DIR")
	o := testkit.NeedOpenSSL(t)
	if dir == "" {
		script := filepath.Join("..", "..", "shared", "tools", "make-pki.sh")
		if _, err := os.Stat(script); err != nil {
			t.Skip("../shared/tools/make-pki.sh not present and GOSTSIG_MAKEPKI_DIR not set")
		}
		if testing.Short() {
			t.Skip("runs make-pki.sh (≈20 s); skipped under -short")
		}
		dir = t.TempDir()
		cmd := exec.Command("bash", script, dir)
		cmd.Env = append(os.Environ(), "BENCH_N=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("make-pki.sh: %v\n%s", err, out)
		}
	}
	f, err := os.Open(filepath.Join(dir, "results.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	noverify := map[string]bool{} // file+content → openssl -noverify ok
	rows := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 {
			continue
		}
		file, expectOK, options := cols[1], cols[2] == "expect=ok", cols[4]
		var content []byte
		contentFile := ""
		if i := strings.Index(options, "-content "); i >= 0 {
			contentFile = strings.Fields(options[i+len("-content "):])[0]
			if content, err = os.ReadFile(filepath.Join(dir, contentFile)); err != nil {
				t.Fatal(err)
			}
		}
		sig, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		rows++
		r, err := Verify(sig, &VerifyOptions{Content: content})
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		ours := len(r.Signers) > 0
		for _, s := range r.Signers {
			ours = ours && s.Valid()
		}
		if expectOK {
			if !ours {
				t.Errorf("%s (%s): expected to verify:\n%s", file, options, describe(r))
			}
			continue
		}
		key := file + "|" + contentFile
		sigOK, done := noverify[key]
		if !done {
			args := []string{"cms", "-verify", "-binary", "-noverify", "-in", filepath.Join(dir, file), "-out", os.DevNull}
			if strings.HasSuffix(file, ".pem") {
				args = append(args, "-inform", "PEM")
			} else {
				args = append(args, "-inform", "DER")
			}
			if contentFile != "" {
				args = append(args, "-content", filepath.Join(dir, contentFile))
			}
			_, err := o.Run(args...)
			sigOK = err == nil
			noverify[key] = sigOK
		}
		if ours != sigOK {
			t.Errorf("%s (%s): ours valid=%v, openssl -noverify valid=%v\n%s", file, options, ours, sigOK, describe(r))
		}
		if !ours {
			if c := r.Signers[0].Check(CheckMessageDigest); c.Reason != ReasonDigestMismatch {
				t.Errorf("%s: failure reason %v, want digest mismatch", file, c)
			}
		}
	}
	if rows < 100 {
		t.Fatalf("only %d rows in results.tsv", rows)
	}
	t.Logf("%d results.tsv rows checked", rows)

}
