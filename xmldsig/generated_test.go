package xmldsig

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gostsig.dev/internal/testkit"
)

const genDir = "testdata/generated/"

func genOptions(t *testing.T) *Options {
	t.Helper()
	read := func(name string) []byte {
		b, err := os.ReadFile(genDir + name)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	return &Options{
		Parts:       map[string][]byte{"scan.pdf.sig@gostsig": read("scan.pdf.p7s"), "scan.pdf@gostsig": read("scan.pdf")},
		Attachments: map[string][]byte{"0f0e0d0c-0b0a-0908-0706-050403020100": read("ref.bin")},
	}
}

func TestGenerated(t *testing.T) {
	files, _ := filepath.Glob(genDir + "*.xml")
	if len(files) != 5 {
		t.Fatalf("%d generated messages, want 5", len(files))
	}
	methods := map[string]bool{}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			res := verifyFile(t, f, genOptions(t))
			for _, s := range res.Signatures {
				methods[s.SignatureMethod] = true
				if !s.Passed() {
					t.Errorf("%s: %+v", s.Name, s.Checks)
				}
			}
			for _, a := range res.Attachments {
				for _, c := range a.Checks {
					if c.Status == StatusFailed || c.Status == StatusIndeterminate {
						t.Errorf("attachment %s: %s %s: %s", a.ID, c.Name, c.Status, c.Detail)
					}
				}
			}
		})
	}
	if !methods[SignatureGOST2012_256] || !methods[SignatureGOST2012_512] {
		t.Errorf("signature methods covered: %v", methods)
	}
}

func TestGeneratedDetails(t *testing.T) {
	res := verifyFile(t, genDir+"smev3_response_512.xml", nil)
	var names []string
	for _, s := range res.Signatures {
		names = append(names, s.Name)
	}
	if strings.Join(names, ",") != "PersonalSignature,SenderInformationSystemSignature,SMEVSignature" {
		t.Errorf("names %v", names)
	}
	p := res.Signatures[0]
	if c := p.Check(CheckUnqualifiedElement); c == nil {
		t.Error("unqualified elements not reported")
	}
	if !strings.Contains(p.References[0].Covered, "minus the enveloped signature") {
		t.Errorf("covered: %s", p.References[0].Covered)
	}
	if res.Profile != "smev3" {
		t.Errorf("profile %s", res.Profile)
	}
	res = verifyFile(t, genDir+"smev2_wss_prefixlist_256.xml", nil)
	if res.Profile != "smev2" || res.Signatures[0].Name != "wsse:Security" ||
		!strings.HasPrefix(res.Signatures[0].Check(CheckSignerCertificate).Detail, "from wsse:BinarySecurityToken") {
		t.Errorf("SMEV 2: %s %s %+v", res.Profile, res.Signatures[0].Name, res.Signatures[0].Checks)
	}
}

// TestMTOM: the MTOM message read from its multipart form verifies with the
// parts; without them its reference is "XOP part missing", not a mismatch.
func TestMTOM(t *testing.T) {
	body, _ := os.ReadFile(genDir + "smev3_mtom_attachments_256.mime")
	ct, _ := os.ReadFile(genDir + "smev3_mtom_attachments_256.mime.content-type")
	root, parts, err := ReadMultipart(strings.TrimSpace(string(ct)), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	res, err := Verify(root, &Options{Parts: parts})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Signatures[0]
	if !s.Passed() || !strings.Contains(s.References[0].Covered, "1 XOP part(s) inlined") {
		t.Errorf("with parts: %+v %s", s.Checks, s.References[0].Covered)
	}
	// The MTOM attachment's content came from its part; the RefAttachment
	// was not supplied.
	for _, a := range res.Attachments {
		switch a.Kind {
		case "AttachmentHeader":
			if a.Content == nil || a.SignaturePKCS7 == nil {
				t.Errorf("MTOM attachment pieces missing")
			}
			if c := a.Checks[len(a.Checks)-1]; c.Name != CheckAttachmentCMS || c.Status != StatusPassed || a.CMS == nil {
				t.Errorf("CMS check by the cms package: %+v", c)
			}
		case "RefAttachmentHeader":
			if c := a.Checks[0]; c.Status != StatusIndeterminate || !errors.Is(c.Err, ErrAttachmentNotSupplied) {
				t.Errorf("unsupplied attachment: %+v", c)
			}
		}
	}

	res, _ = Verify(root, nil)
	c := res.Signatures[0].Check(CheckReferenceDigest)
	if c.Status != StatusIndeterminate || !errors.Is(c.Err, ErrXOPPartMissing) {
		t.Errorf("without parts: %+v", c)
	}
	for _, a := range res.Attachments {
		if a.Kind == "AttachmentHeader" {
			if c := a.Checks[0]; !errors.Is(c.Err, ErrXOPPartMissing) {
				t.Errorf("SignaturePKCS7 xop without part: %+v", c)
			}
		}
	}
}

// TestAttachments: the RefAttachmentHeader hash and the detached CMS
// signatures, by the cms package and, through the VerifyCMS hook, by
// openssl cms as an external verifier.
func TestAttachments(t *testing.T) {
	opt := genOptions(t)
	res := verifyFile(t, genDir+"smev3_mtom_attachments_256.xml", opt)
	if len(res.Attachments) != 2 {
		t.Fatalf("%d attachments", len(res.Attachments))
	}
	ref := res.Attachments[0]
	if ref.Kind != "RefAttachmentHeader" || ref.Check0().Status != StatusPassed || ref.HashAlgorithm != DigestStreebog256 {
		t.Errorf("ref attachment: %+v %s", ref.Checks, ref.HashAlgorithm)
	}
	// A changed attachment is a hash mismatch.
	bad := bytes.Clone(opt.Attachments["0f0e0d0c-0b0a-0908-0706-050403020100"])
	bad[0] ^= 1
	opt.Attachments["0f0e0d0c-0b0a-0908-0706-050403020100"] = bad
	if c := ref.Checks[1]; c.Name != CheckAttachmentCMS || c.Status != StatusPassed || ref.CMS == nil || ref.CMS.Signers[0].Signer == nil {
		t.Errorf("ref attachment CMS by the cms package: %+v", c)
	}
	res = verifyFile(t, genDir+"smev3_mtom_attachments_256.xml", opt)
	if c := res.Attachments[0].Check0(); c.Status != StatusFailed || !errors.Is(c.Err, ErrDigestMismatch) {
		t.Errorf("changed attachment: %+v", c)
	}
	if c := res.Attachments[0].Checks[1]; c.Status != StatusFailed || !errors.Is(c.Err, ErrDigestMismatch) {
		t.Errorf("changed attachment, CMS: %+v", c)
	}
	// A corrupt SignaturePKCS7 is a format failure of that check.
	msg := mustRead(t, genDir+"smev3_mtom_attachments_256.xml")
	i := strings.Index(msg, "<SignaturePKCS7>") + len("<SignaturePKCS7>")
	res, _ = Verify([]byte(msg[:i]+"AAAA"+msg[i+4:]), genOptions(t))
	if c := res.Attachments[0].Checks[1]; c.Status != StatusFailed || !errors.Is(c.Err, ErrFormat) {
		t.Errorf("corrupt CMS: %+v", c)
	}

	conf := testkit.NeedOpenSSL(t).Conf // skips, saying why, without openssl + gost engine
	opt = genOptions(t)
	opt.VerifyCMS = func(sig, content []byte) error {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "s"), sig, 0o600)
		os.WriteFile(filepath.Join(dir, "c"), content, 0o600)
		cmd := exec.Command("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", filepath.Join(dir, "s"),
			"-content", filepath.Join(dir, "c"), "-noverify", "-out", os.DevNull)
		cmd.Env = append(os.Environ(), "OPENSSL_CONF="+conf)
		if out, err := cmd.CombinedOutput(); err != nil {
			return errors.New(string(out))
		}
		return nil
	}
	if err := opt.VerifyCMS([]byte("x"), nil); err == nil {
		t.Fatal("openssl cms accepted garbage")
	}
	res = verifyFile(t, genDir+"smev3_mtom_attachments_256.xml", opt)
	for _, a := range res.Attachments {
		c := a.Checks[len(a.Checks)-1]
		if c.Name != CheckAttachmentCMS || c.Status != StatusPassed {
			if strings.Contains(c.Detail, "gost") || strings.Contains(c.Detail, "engine") || strings.Contains(c.Detail, "algorithm") {
				t.Skipf("openssl without the gost engine: %s", c.Detail)
			}
			t.Errorf("%s: %+v", a.ID, c)
		}
	}
}

func (a *Attachment) Check0() Check { return a.Checks[0] }

// opensslConf is an OpenSSL configuration loading the gost engine, written
// by testkit (the test skips, saying why, when openssl or the engine is
// missing); the tests must not depend on files outside the repository.
func opensslConf(t testing.TB) string { return testkit.NeedOpenSSL(t).Conf }

// TestGeneratedOracle has smevverify.py (lxml, its own SMEV transform port,
// OpenSSL + gost-engine) verify every generated message independently.
func TestGeneratedOracle(t *testing.T) {
	oracleAvailable(t)
	files, _ := filepath.Glob(genDir + "*.xml")
	opt := genOptions(t)
	inc := regexp.MustCompile(`<xop:Include [^>]*href="cid:([^"]+)"/>`)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if strings.Contains(f, "mtom") {
				// The oracle cannot read MTOM: give it the parts inlined.
				b, _ := os.ReadFile(f)
				b = inc.ReplaceAllFunc(b, func(m []byte) []byte {
					id := strings.ReplaceAll(string(inc.FindSubmatch(m)[1]), "%40", "@")
					return []byte(base64.StdEncoding.EncodeToString(opt.Parts[id]))
				})
				f = filepath.Join(t.TempDir(), "inlined.xml")
				os.WriteFile(f, b, 0o600)
			}
			out := runOracle(t, f)
			if len(out.Signatures) == 0 {
				t.Fatalf("oracle found no signature: %+v", out)
			}
			checkOracleOK(t, out, "OK [as-is")
		})
	}
}

func oracleAvailable(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(smevverify); err != nil {
		t.Skip("shared/tools/smevverify.py not found beside the repository: skipping the oracle comparison")
	}
	if err := exec.Command("/usr/bin/python3", "-c", "import lxml.etree").Run(); err != nil {
		t.Skip("python3-lxml not installed: skipping the oracle comparison (CI installs it)")
	}
	opensslConf(t)
}

const smevverify = "../../shared/tools/smevverify.py"

// checkOracleOK fails t unless the oracle found every digest of out good
// and every signature value's verdict begins with sigOK.
func checkOracleOK(t *testing.T, out oracleLine, sigOK string) {
	t.Helper()
	for _, s := range out.Signatures {
		for _, r := range s.Refs {
			if !strings.HasPrefix(r.Digest, "OK") {
				t.Errorf("oracle: %s digest %s", s.Parent, r.Digest)
			}
		}
		if !strings.HasPrefix(s.Signature, sigOK) {
			t.Errorf("oracle: %s signature %s", s.Parent, s.Signature)
		}
	}
}

func runOracle(t *testing.T, file string) oracleLine {
	t.Helper()
	cmd := exec.Command("/usr/bin/python3", smevverify, file)
	cmd.Env = append(os.Environ(), "OPENSSL_CONF="+opensslConf(t))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("oracle: %v", err)
	}
	var l oracleLine
	if err := json.Unmarshal(out, &l); err != nil {
		t.Fatalf("oracle output %q: %v", out, err)
	}
	return l
}
