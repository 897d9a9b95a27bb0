package gostsig

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
	"gostsig.dev/xmldsig"
)

// signXML makes an enveloped XMLDSig over the element <Data Id="d"> with
// exclusive C14N and GOST R 34.10-2012 256, signed by the standard test
// leaf. The document is written in canonical form, so the canonical
// element and SignedInfo are the literal strings below; sigMethod lets a
// test name another algorithm.
func signXML(p *testPKI, data, sigMethod string, withCert bool) []byte {
	elem := `<Data Id="d">` + data + `</Data>`
	dig := testkit.Digest(oid.Streebog256, []byte(elem))
	si := `<ds:SignedInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#">` +
		`<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></ds:CanonicalizationMethod>` +
		`<ds:SignatureMethod Algorithm="` + sigMethod + `"></ds:SignatureMethod>` +
		`<ds:Reference URI="#d"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"></ds:Transform></ds:Transforms>` +
		`<ds:DigestMethod Algorithm="` + xmldsig.DigestStreebog256 + `"></ds:DigestMethod>` +
		`<ds:DigestValue>` + base64.StdEncoding.EncodeToString(dig) + `</ds:DigestValue></ds:Reference></ds:SignedInfo>`
	sv := p.Leaf.Key.SignDigest(testkit.Digest(oid.Streebog256, []byte(si)))
	keyInfo := ""
	if withCert {
		keyInfo = `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + base64.StdEncoding.EncodeToString(p.Leaf.DER) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`
	}
	return []byte(`<Doc>` + elem + `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#">` + si +
		`<ds:SignatureValue>` + base64.StdEncoding.EncodeToString(sv) + `</ds:SignatureValue>` + keyInfo + `</ds:Signature></Doc>`)
}

func TestVerifyXMLDecisionTable(t *testing.T) {
	p := stdPKI(t)
	good := signXML(p, "hello", xmldsig.SignatureGOST2012_256, true)
	tests := []struct {
		name string
		doc  []byte
		ind  Indication
		sub  SubIndication
	}{
		{"passes", good, TotalPassed, 0},
		{"changed", bytes.Replace(good, []byte(">hello<"), []byte(">hellO<"), 1), TotalFailed, HashFailure},
		// Signature wrapping: a second element with the referenced id.
		{"wrapping", bytes.Replace(good, []byte("<Doc>"), []byte(`<Doc><Data Id="d">evil</Data>`), 1), TotalFailed, FormatFailure},
		{"reference target absent", bytes.Replace(good, []byte(`<Data Id="d">`), []byte(`<Data Id="e">`), 1), Indeterminate, SignedDataNotFound},
		{"bad signature value", bytes.Replace(good, []byte("<ds:SignatureValue>"), []byte("<ds:SignatureValue>AAAA"), 1), TotalFailed, SigCryptoFailure},
		{"non-GOST signature method", signXML(p, "hello", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", true), Indeterminate, CryptoConstraintsFailure},
		{"no certificate", signXML(p, "hello", xmldsig.SignatureGOST2012_256, false), Indeterminate, NoSigningCertificateFound},
		{"not XML at all", []byte("<Doc><unclosed>"), TotalFailed, FormatFailure},
		{"XML without a signature", []byte("<Doc><Data/></Doc>"), TotalFailed, FormatFailure},
	}
	v := newTestVerifier(t, stdCfg(t, p))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := v.Verify(context.Background(), Input{Signature: tt.doc, ValidationTime: refTime})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, tt.ind, tt.sub, "")
			if r.Format != FormatXMLDSig {
				t.Errorf("format %s", r.Format)
			}
			if tt.name == "wrapping" && !strings.Contains(r.Signatures[0].Checks[0].Detail, "signature wrapping") {
				t.Errorf("wrapping not named: %+v", r.Signatures[0].Checks[0])
			}
		})
	}
}

func TestSMEVMessageTime(t *testing.T) {
	for _, tc := range []struct {
		doc     string
		profile Profile
		want    string
	}{
		{`<a:Env xmlns:a="x"><a:MessageMetadata><a:SendingTimestamp>2020-05-20T07:52:37.000+03:00</a:SendingTimestamp></a:MessageMetadata></a:Env>`, ProfileSMEV3, "2020-05-20T04:52:37Z"},
		{`<Envelope><Header/><Body><rev:Message xmlns:rev="r"><rev:Date>2018-03-07T10:30:00.452+04:00</rev:Date></rev:Message><Date>2000-01-01</Date></Body></Envelope>`, ProfileSMEV2, "2018-03-07T06:30:00.452Z"},
		{`<Doc><Date>2000-01-01</Date></Doc>`, ProfileSMEV2, ""},                                              // not under Message
		{`<m><SendingTimestamp>2020-05-20T07:52:37</SendingTimestamp></m>`, ProfileSMEV3, ""},                 // no zone: not a time
		{`<m><SendingTimestamp>2020-05-20T07:52:37Z</SendingTimestamp></m>`, ProfileXMLDSig, ""},              // plain XMLDSig has none
		{`<m><SendingTimestamp>2020-05-20T07:52:37Z</SendingTimestamp`, ProfileSMEV3, "2020-05-20T07:52:37Z"}, // text before the break is read
	} {
		got := smevMessageTime([]byte(tc.doc), tc.profile)
		s := ""
		if !got.IsZero() {
			s = got.Format(time.RFC3339Nano)
		}
		if s != tc.want {
			t.Errorf("%s: got %q, want %q", tc.doc, s, tc.want)
		}
	}
}

// TestVerifyXMLSignerSupplied: an XML signature without a KeyInfo
// certificate is verified with a certificate supplied in the request or
// known to the Verifier (validation-policy.md row 5: "not in the signature
// nor in the supplied/known stores").
func TestVerifyXMLSignerSupplied(t *testing.T) {
	p := stdPKI(t)
	other := testkit.MustPKI("gostsig/verify_test/other")
	doc := signXML(p, "hello", xmldsig.SignatureGOST2012_256, false)
	tests := []struct {
		name   string
		inter  [][]byte
		certs  [][]byte
		ind    Indication
		sub    SubIndication
		signer bool
	}{
		{"in Config.Intermediates", [][]byte{p.CA.DER, other.Leaf.DER, p.Leaf.DER}, nil, TotalPassed, 0, true},
		{"in Input.Certificates", [][]byte{p.CA.DER}, [][]byte{other.Leaf.DER, p.Leaf.DER}, TotalPassed, 0, true},
		{"only another key known", [][]byte{p.CA.DER, other.Leaf.DER}, nil, Indeterminate, NoSigningCertificateFound, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := stdCfg(t, p)
			cfg.Intermediates = tt.inter
			v := newTestVerifier(t, cfg)
			r, err := v.Verify(context.Background(), Input{Signature: doc, Certificates: tt.certs, ValidationTime: refTime})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, tt.ind, tt.sub, "")
			if got := r.Signatures[0].Signer != nil; got != tt.signer {
				t.Errorf("signer found = %v, want %v", got, tt.signer)
			}
		})
	}
}

// TestVerifySMEVMTOMAttachment: for an MTOM AttachmentHeader the
// messageDigest of the signed SignaturePKCS7 is the attachment's only
// signed hash; a supplied attachment that does not match it is
// HASH_FAILURE, like a RefAttachmentHeader Hash mismatch (POLICY.md).
func TestVerifySMEVMTOMAttachment(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", "smev-mtom", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	msg := read("smev3_mtom_attachments_256.xml")
	v := newTestVerifier(t, Config{Roots: [][]byte{read("person256.pem"), read("system256.pem")}})
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) // the test certificates were issued on 22.11.2026
	parts := func() map[string][]byte {
		return map[string][]byte{"scan.pdf.sig@gostsig": read("scan.pdf.p7s"), "scan.pdf@gostsig": read("scan.pdf"),
			"0f0e0d0c-0b0a-0908-0706-050403020100": read("ref.bin")}
	}
	substituted := parts()
	substituted["scan.pdf"] = []byte("не тот файл, который был подписан")
	tests := []struct {
		name string
		atts map[string][]byte
		ind  Indication
		sub  SubIndication
		msg  string
	}{
		{"as signed", parts(), TotalPassed, 0, ""},
		{"attachment substituted", substituted, TotalFailed, HashFailure, "вложение scan.pdf изменено после подписания"},
		{"MTOM parts missing", nil, Indeterminate, SignedDataNotFound, "не передана часть MTOM/XOP-сообщения"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := v.Verify(context.Background(), Input{Signature: msg, Attachments: tt.atts, ValidationTime: at})
			if err != nil {
				t.Fatal(err)
			}
			checkResult(t, r, tt.ind, tt.sub, tt.msg)
			if tt.ind == Indeterminate {
				return
			}
			found := false
			for _, c := range r.Signatures[0].Checks {
				if c.Name == CheckAttachmentDigest && strings.HasPrefix(c.Detail, "scan.pdf") {
					found = true
					if want := map[bool]Status{true: StatusPassed, false: StatusFailed}[tt.ind == TotalPassed]; c.Status != want {
						t.Errorf("attachment-digest %v, want %v: %s", c.Status, want, c.Detail)
					}
				}
			}
			if !found {
				t.Errorf("no attachment-digest check for scan.pdf: %+v", r.Signatures[0].Checks)
			}
		})
	}
}

// TestXMLSignerByKeyBudget: the keys tried for XML signatures without a
// certificate are bounded per signature (maxXMLSignerTrials) and per
// document (maxXMLSignerTrialsPerDocument), so a document of many such
// signatures cannot make one request run thousands of verifications
// (REVIEW.md m4). The same wrong certificate supplied many times counts
// once per trial.
func TestXMLSignerByKeyBudget(t *testing.T) {
	p := stdPKI(t)
	other := testkit.MustPKI("gostsig/verify_test/other")
	xr, err := xmldsig.Verify(signXML(p, "hello", xmldsig.SignatureGOST2012_256, false), nil)
	if err != nil || len(xr.Signatures) != 1 {
		t.Fatalf("xmldsig.Verify: %v, %+v", err, xr)
	}
	sig := xr.Signatures[0]
	v := newTestVerifier(t, stdCfg(t, p))
	leaf, err := cert.Parse(p.Leaf.DER)
	if err != nil {
		t.Fatal(err)
	}
	wrong, err := cert.Parse(other.Leaf.DER)
	if err != nil {
		t.Fatal(err)
	}
	repeat := func(n int, last *cert.Certificate) []*cert.Certificate {
		cs := make([]*cert.Certificate, 0, n+1)
		for range n {
			cs = append(cs, wrong)
		}
		return append(cs, last)
	}

	// Per signature: the signer behind 32 wrong keys is not reached, and
	// exactly 32 trials are spent.
	budget := maxXMLSignerTrialsPerDocument
	if c, stopped := v.xmlSignerByKey(sig, repeat(maxXMLSignerTrials, leaf), &budget); c != nil || !stopped {
		t.Errorf("signer behind %d wrong keys: got %v stopped=%v, want nil, stopped", maxXMLSignerTrials, c, stopped)
	}
	if spent := maxXMLSignerTrialsPerDocument - budget; spent != maxXMLSignerTrials {
		t.Errorf("spent %d trials, want %d", spent, maxXMLSignerTrials)
	}
	// Behind 31 it is found.
	if c, _ := v.xmlSignerByKey(sig, repeat(maxXMLSignerTrials-1, leaf), &budget); c == nil {
		t.Error("signer behind 31 wrong keys not found")
	}

	// Per document: signatures that each cost 10 trials find their signer
	// until the document's budget runs out, then none is tried any more.
	budget = maxXMLSignerTrialsPerDocument
	supplied := repeat(9, leaf)
	found := 0
	for range 64 { // xmldsig's maxSignatures
		c, stopped := v.xmlSignerByKey(sig, supplied, &budget)
		if c == nil {
			if !stopped {
				t.Fatal("search ended without a signer and without a bound")
			}
			break
		}
		found++
	}
	if want := maxXMLSignerTrialsPerDocument / len(supplied); found != want || budget != 0 {
		t.Errorf("found %d signers, budget left %d; want %d and 0", found, budget, want)
	}
	if c, stopped := v.xmlSignerByKey(sig, []*cert.Certificate{leaf}, &budget); c != nil || !stopped {
		t.Errorf("spent budget: got %v stopped=%v, want nil, stopped", c, stopped)
	}
}
