package xmldsig

import (
	"encoding/base64"
	"os"
	"strings"
	"testing"

	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/xmldsig/c14n"
	"gostsig.dev/xmldsig/smev"
)

// TestEscapingFallback: a reference whose DigestValue was computed with the
// JDK writer's escaping (its text holds '>' and CR) passes through the
// fallback, which is recorded; with the Woodstox digest no fallback check
// appears. The SignatureValue no longer matches the edited SignedInfo, which
// is beside the point here.
func TestEscapingFallback(t *testing.T) {
	src := mustRead(t, genDir+"smev3_personal_caller_256.xml")
	d, err := c14n.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	v := &verifier{doc: d, opt: &Options{}}
	v.indexIDs()
	target, _, _ := v.dereference("#PERSONAL_SIGNATURE")
	h := streebog.New256()
	info, _ := smev.TransformNode(h, d, target, smev.Options{Escaping: smev.JDK})
	if !info.EscapingMatters {
		t.Fatal("the test message must have escaping-sensitive text")
	}
	jdk := base64.StdEncoding.EncodeToString(h.Sum(nil))

	res := verifyFile(t, genDir+"smev3_personal_caller_256.xml", nil)
	p := res.Signatures[0]
	if p.Check(CheckEscapingFallback) != nil || p.References[0].Escaping != "woodstox" {
		t.Errorf("Woodstox-signed reference: %+v", p.Checks)
	}
	woodstox := base64.StdEncoding.EncodeToString(p.References[0].DigestValue)
	if woodstox == jdk {
		t.Fatal("Woodstox and JDK digests coincide")
	}
	edited := strings.Replace(src, woodstox, jdk, 1)
	res, err = Verify([]byte(edited), nil)
	if err != nil {
		t.Fatal(err)
	}
	p = res.Signatures[0]
	if c := p.Check(CheckReferenceDigest); c.Status != StatusPassed || p.References[0].Escaping != "jdk" {
		t.Errorf("JDK-signed reference: %+v", c)
	}
	if c := p.Check(CheckEscapingFallback); c == nil || c.Status != StatusPassed {
		t.Errorf("fallback not recorded: %+v", p.Checks)
	}
	// The oracle agrees that this digest is the JDK form.
	if _, err := os.Stat(smevverify); err == nil {
		oracleAvailable(t)
		f := t.TempDir() + "/jdk.xml"
		os.WriteFile(f, []byte(edited), 0o600)
		if got := runOracle(t, f).Signatures[0].Refs[0].Digest; got != "OK (smev escaping=jdk)" {
			t.Errorf("oracle: %s", got)
		}
	}
}
