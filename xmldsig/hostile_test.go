package xmldsig

import (
	"errors"
	"os"
	"strings"
	"testing"

	"gostsig.dev/xmldsig/c14n"
)

func mustRead(t testing.TB, f string) string {
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestWrapping: a second element carrying the signed id (the classic XML
// signature-wrapping shape) is refused as a format failure, never resolved
// to either element.
func TestWrapping(t *testing.T) {
	msg := mustRead(t, genDir+"smev3_mtom_attachments_256.xml")
	evil := strings.Replace(msg, "<soap:Body>", `<soap:Header><ns2:SenderProvidedRequestData xmlns:ns2="urn://x" Id="SIGNED_BY_CALLER">evil</ns2:SenderProvidedRequestData></soap:Header><soap:Body>`, 1)
	for _, m := range []string{evil,
		strings.Replace(msg, "<soap:Body>", `<soap:Body wsu:Id="SIGNED_BY_CALLER" xmlns:wsu="`+NamespaceWSU+`">`, 1),
		strings.Replace(msg, "<soap:Body>", `<soap:Body xml:id="SIGNED_BY_CALLER">`, 1),
	} {
		res, err := Verify([]byte(m), genOptions(t))
		if err != nil {
			t.Fatal(err)
		}
		c := res.Signatures[0].Check(CheckReferenceDigest)
		if c.Status != StatusFailed || !errors.Is(c.Err, ErrDuplicateID) || !errors.Is(c.Err, ErrFormat) {
			t.Errorf("duplicate id: %+v", c)
		}
	}
}

func TestReferences(t *testing.T) {
	msg := mustRead(t, genDir+"smev3_personal_caller_256.xml")
	for _, tt := range []struct {
		from, to string
		want     error
		status   Status
	}{
		{`URI="#PERSONAL_SIGNATURE"`, `URI="http://evil.example/doc.xml"`, ErrExternalReference, StatusFailed},
		{`URI="#PERSONAL_SIGNATURE"`, `URI="file:///etc/passwd"`, ErrExternalReference, StatusFailed},
		{`URI="#PERSONAL_SIGNATURE"`, `URI="#NOPE"`, ErrReferenceNotFound, StatusIndeterminate},
		{`URI="#PERSONAL_SIGNATURE"`, `URI="#xpointer(//*)"`, ErrFormat, StatusFailed},
		{`urn:ietf:params:xml:ns:cpxmlsec:algorithms:gostr34112012-256"/>
            <ds:DigestValue>`, `http://www.w3.org/2001/04/xmlenc#sha256"/>
            <ds:DigestValue>`, ErrUnsupportedAlgorithm, StatusIndeterminate},
		{`<ds:Transform Algorithm="urn://smev-gov-ru/xmldsig/transform"/>`, `<ds:Transform Algorithm="http://www.w3.org/TR/1999/REC-xslt-19991116"/>`, ErrUnsupportedAlgorithm, StatusIndeterminate},
	} {
		if !strings.Contains(msg, tt.from) {
			t.Fatalf("template lacks %q", tt.from)
		}
		res, err := Verify([]byte(strings.Replace(msg, tt.from, tt.to, 1)), nil)
		if err != nil {
			t.Fatal(err)
		}
		c := res.Signatures[0].Check(CheckReferenceDigest)
		if c.Status != tt.status || !errors.Is(c.Err, tt.want) {
			t.Errorf("%s: %+v", tt.to, c)
		}
	}
	// A non-GOST signature method names its URI.
	res, _ := Verify([]byte(strings.Replace(msg, SignatureGOST2012_256, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", 1)), nil)
	c := res.Signatures[0].Check(CheckFormat)
	var ua *UnsupportedAlgorithmError
	if c.Status != StatusIndeterminate || !errors.As(c.Err, &ua) || ua.URI != "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256" {
		t.Errorf("RSA: %+v", c)
	}
	// A 2012-512 method with a 256-bit key fails the signature check.
	res, _ = Verify([]byte(strings.Replace(msg, SignatureGOST2012_256, SignatureGOST2012_512, 1)), nil)
	if c := res.Signatures[0].Check(CheckSignatureValue); c.Status != StatusFailed || !errors.Is(c.Err, ErrSignatureInvalid) {
		t.Errorf("key/method mismatch: %+v", c)
	}
	// No certificate.
	noCert := strings.Replace(msg, "<ds:KeyInfo>", "<ds:Object>", 1)
	noCert = strings.Replace(noCert, "</ds:KeyInfo>", "</ds:Object>", 1)
	res, _ = Verify([]byte(noCert), nil)
	if c := res.Signatures[0].Check(CheckSignerCertificate); c.Status != StatusIndeterminate || !errors.Is(c.Err, ErrNoCertificate) {
		t.Errorf("no certificate: %+v", c)
	}
	// The personal signature sits inside the data the caller signed, so the
	// edit is also a digest mismatch of the caller signature.
	if c := res.Signatures[1].Check(CheckReferenceDigest); !errors.Is(c.Err, ErrDigestMismatch) {
		t.Errorf("caller signature over the edited data: %+v", c)
	}
}

func TestHostileDocuments(t *testing.T) {
	for _, in := range []string{
		`<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>`,
		`<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://evil.example/r.dtd"><r/>`,
		`<r>` + strings.Repeat("<a>", c14n.MaxDepth+1),
		``,
		`<r>&undefined;</r>`,
	} {
		_, err := Verify([]byte(in), nil)
		if !errors.Is(err, ErrFormat) {
			t.Errorf("%.40q: %v", in, err)
		}
	}
	res, err := Verify([]byte(`<r/>`), nil)
	if err != nil || len(res.Signatures) != 0 {
		t.Errorf("unsigned document: %v %v", res, err)
	}
	// Structurally broken signatures are format failures of that signature.
	for _, in := range []string{
		`<r><ds:Signature xmlns:ds="` + NamespaceDSig + `"/></r>`,
		`<r><ds:Signature xmlns:ds="` + NamespaceDSig + `"><ds:SignedInfo/></ds:Signature></r>`,
		`<r><ds:Signature xmlns:ds="` + NamespaceDSig + `"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="` + CanonicalizationExc + `"/><ds:SignatureMethod Algorithm="` + SignatureGOST2001 + `"/></ds:SignedInfo><ds:SignatureValue>AA==</ds:SignatureValue></ds:Signature></r>`,
		`<r><ds:Signature xmlns:ds="` + NamespaceDSig + `"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="` + CanonicalizationExc + `"/><ds:SignatureMethod Algorithm="` + SignatureGOST2001 + `"/><ds:Reference URI=""/></ds:SignedInfo><ds:SignatureValue>!!</ds:SignatureValue></ds:Signature></r>`,
	} {
		res, err := Verify([]byte(in), nil)
		if err != nil {
			t.Fatal(err)
		}
		c := res.Signatures[0].Check(CheckFormat)
		if c.Status != StatusFailed || !errors.Is(c.Err, ErrFormat) || res.Signatures[0].Passed() {
			t.Errorf("%s: %+v", in, c)
		}
	}
}

// TestWorkLimit: many references over the whole document stop at the work
// budget instead of running for minutes.
func TestWorkLimit(t *testing.T) {
	var refs strings.Builder
	for range maxReferences {
		refs.WriteString(`<ds:Reference URI=""><ds:DigestMethod Algorithm="` + DigestStreebog256 + `"/><ds:DigestValue>AAAA</ds:DigestValue></ds:Reference>`)
	}
	sig := `<ds:Signature xmlns:ds="` + NamespaceDSig + `"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="` + CanonicalizationExc +
		`"/><ds:SignatureMethod Algorithm="` + SignatureGOST2012_256 + `"/>` + refs.String() + `</ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>`
	body := strings.Repeat("<p>"+strings.Repeat("x", 1000)+"</p>", 1100) // ~1.1 MB
	msg := "<r>" + body + strings.Repeat(sig, 2) + "</r>"
	res, err := Verify([]byte(msg), nil)
	if err != nil {
		t.Fatal(err)
	}
	limited := 0
	for _, s := range res.Signatures {
		for _, c := range s.Checks {
			if errors.Is(c.Err, ErrWorkLimit) && errors.Is(c.Err, ErrFormat) {
				limited++
			}
		}
	}
	if limited == 0 {
		t.Error("work limit never reached")
	}
}
