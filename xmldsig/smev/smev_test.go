package smev

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gostsig.dev/gostsig/gost341194"
	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/xmldsig/c14n"
)

const golden = "../testdata/smev/transform-golden/"

func transform(t testing.TB, in []byte, esc Escaping) []byte {
	t.Helper()
	out, _, err := AppendTransform(nil, in, esc)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := Transform(&buf, in, esc); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), out) {
		t.Fatal("Transform and AppendTransform disagree")
	}
	return out
}

// TestGolden runs the MR test cases 1–3, Tartorus case 4, the MR example and
// the danbka input (Java reference semantics) byte for byte.
func TestGolden(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"mr_case1.input.xml", "mr_case1.expected.xml"},
		{"mr_case2.input.xml", "mr_case2.expected.xml"},
		{"mr_case3.input.xml", "mr_case3.expected.xml"},
		{"tartorus_case4.input.xml", "tartorus_case4.expected.xml"},
		{"mr_example_SenderProvidedRequestData.input.xml", "mr_example_SenderProvidedRequestData.expected.xml"},
		{"danbka_php.input.xml", "danbka_php.expected-by-java-reference-semantics.xml"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			in, err := os.ReadFile(golden + tt.in)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := os.ReadFile(golden + tt.want)
			want = bytes.TrimSuffix(want, []byte("\n"))
			for _, esc := range []Escaping{Woodstox, JDK} {
				if got := transform(t, in, esc); !bytes.Equal(got, want) {
					t.Errorf("%v:\n got %s\nwant %s", esc, got, want)
				}
			}
		})
	}
}

// TestMRExampleDigest: the MR's GOST R 34.11-94 digest of its
// SenderProvidedRequestData example.
func TestMRExampleDigest(t *testing.T) {
	in, _ := os.ReadFile(golden + "mr_example_SenderProvidedRequestData.input.xml")
	sum := gost341194.Sum(transform(t, in, Woodstox))
	if got := base64.StdEncoding.EncodeToString(sum[:]); got != "/jXl70XwnttJB5sSokwh8SaVHwo2gjgILSu0qBaLUAo=" {
		t.Errorf("digest %s", got)
	}
}

// TestDerivedVectors: for 7 real signatures, the transform of the c14n octets
// and the fused path from the original message both give the digested bytes,
// whose hash is the signed DigestValue.
func TestDerivedVectors(t *testing.T) {
	files, _ := filepath.Glob("../testdata/smev/derived-vectors/*.sig?.c14n.xml")
	if len(files) != 7 {
		t.Fatalf("found %d derived vectors, want 7", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			in, _ := os.ReadFile(f)
			want, _ := os.ReadFile(strings.Replace(f, ".c14n.xml", ".smev.xml", 1))
			if got := transform(t, in, Woodstox); !bytes.Equal(got, want) {
				t.Fatalf("two-step:\n got %s\nwant %s", got, want)
			}
			sample, rest, _ := strings.Cut(filepath.Base(f), ".sig")
			d, target, digestURI, digest := reference(t, sample, int(rest[0]-'0'))
			got, _, err := AppendTransformNode(nil, d, target, Options{})
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("fused: %v\n got %s\nwant %s", err, got, want)
			}
			var sum []byte
			switch {
			case strings.HasSuffix(digestURI, "gostr3411"):
				s := gost341194.Sum(got)
				sum = s[:]
			case strings.HasSuffix(digestURI, "gostr34112012-256"):
				s := streebog.Sum256(got)
				sum = s[:]
			}
			if !bytes.Equal(sum, digest) {
				t.Errorf("digest %x, DigestValue %x", sum, digest)
			}
		})
	}
}

const dsNS = "http://www.w3.org/2000/09/xmldsig#"

// reference finds the k-th signature's first reference in a corpus sample.
func reference(t *testing.T, sample string, k int) (d *c14n.Document, target c14n.Node, digestURI string, digest []byte) {
	t.Helper()
	var src []byte
	for _, dir := range []string{"smev3-2001", "smev3-2012", "smev2-wss", "negative"} {
		if b, err := os.ReadFile(filepath.Join("../testdata/smev", dir, sample+".xml")); err == nil {
			src = b
		}
	}
	d, err := c14n.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	var sigs []c14n.Node
	for n := c14n.Node(1); int(n) < d.Len(); n++ {
		if d.Is(n, dsNS, "Signature") {
			sigs = append(sigs, n)
		}
	}
	var uri []byte
	for n := sigs[k]; n < d.End(sigs[k]); n++ {
		switch {
		case d.Is(n, dsNS, "Reference") && uri == nil:
			uri, _ = d.AttrValue(n, "", "URI")
		case d.Is(n, dsNS, "DigestMethod") && digestURI == "":
			v, _ := d.AttrValue(n, "", "Algorithm")
			digestURI = string(v)
		case d.Is(n, dsNS, "DigestValue") && digest == nil:
			digest, _ = base64.StdEncoding.DecodeString(string(d.Text(n)))
		}
	}
	for n := c14n.Node(1); int(n) < d.Len(); n++ {
		if v, ok := d.AttrValue(n, "", "Id"); ok && "#"+string(v) == string(uri) {
			return d, n, digestURI, digest
		}
	}
	t.Fatalf("%s: target %s not found", sample, uri)
	return
}

func TestCompareUTF16(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		sign int
	}{
		{"a", "b", -1}, {"b", "a", 1}, {"a", "a", 0}, {"a", "ab", -1}, {"ab", "a", 1},
		{"Z", "a", -1}, {"я", "z", 1},
		// U+10000 is D800 DC00 in UTF-16, below U+E000; code-point order says the opposite.
		{"\U00010000", "\uE000", -1}, {"\uFFFF", "\U0010FFFF", 1},
		{"\U00010001", "\U00010000", 1}, {"x\U00010000", "x\uFFFD", -1},
	} {
		got := compareUTF16(tt.a, tt.b)
		if got < 0 {
			got = -1
		} else if got > 0 {
			got = 1
		}
		if got != tt.sign {
			t.Errorf("compareUTF16(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.sign)
		}
	}
}

// TestRules pins single rules of the reference algorithm.
func TestRules(t *testing.T) {
	for _, tt := range []struct {
		name, in, want string
		unqualified    bool
	}{
		{"whitespace-only text dropped, mixed kept verbatim", "<a xmlns=\"u\"> \t\r\n<b> x \n y </b>\n</a>",
			"<ns1:a xmlns:ns1=\"u\"><ns1:b> x \n y </ns1:b></ns1:a>", false},
		{"NBSP is not whitespace for String.trim()", "<a xmlns=\"u\">\u00a0</a>", "<ns1:a xmlns:ns1=\"u\">\u00a0</ns1:a>", false},
		{"prefix counter never reused", `<a xmlns="u"><b xmlns="v"/><c xmlns="v"/><d xmlns="w"/></a>`,
			`<ns1:a xmlns:ns1="u"><ns2:b xmlns:ns2="v"></ns2:b><ns3:c xmlns:ns3="v"></ns3:c><ns4:d xmlns:ns4="w"></ns4:d></ns1:a>`, false},
		{"attribute in the element's namespace reuses its prefix", `<p:a xmlns:p="u" p:x="1" y="2"/>`,
			`<ns1:a xmlns:ns1="u" ns1:x="1" y="2"></ns1:a>`, false},
		{"xml:lang gets a generated prefix", `<a xmlns="u" xml:lang="ru"/>`,
			`<ns1:a xmlns:ns1="u" xmlns:ns2="http://www.w3.org/XML/1998/namespace" ns2:lang="ru"></ns1:a>`, false},
		{"QName values are not rewritten", `<a xmlns="u" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:t="v" xsi:type="t:T"/>`,
			`<ns1:a xmlns:ns1="u" xmlns:ns2="http://www.w3.org/2001/XMLSchema-instance" ns2:type="t:T"></ns1:a>`, false},
		{"unqualified element: Java reference form", `<a><b/></a>`, `<ns1:a xmlns:ns1=""><ns1:b></ns1:b></ns1:a>`, true},
		{"PI and comment split text events", "<a xmlns=\"u\">x<?p?>&gt;<!--c-->&gt;</a>", "<ns1:a xmlns:ns1=\"u\">x&gt;&gt;</ns1:a>", false},
		{"CDATA is text", "<a xmlns=\"u\"><![CDATA[<&>]]></a>", "<ns1:a xmlns:ns1=\"u\">&lt;&amp;></ns1:a>", false}, // small path: > escaped only first or after ]
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, info, err := AppendTransform(nil, []byte(tt.in), Woodstox)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if info.Unqualified != tt.unqualified {
				t.Errorf("Unqualified = %v", info.Unqualified)
			}
		})
	}
}

func TestRefusesHostile(t *testing.T) {
	if _, _, err := AppendTransform(nil, []byte(`<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`), Woodstox); err == nil {
		t.Error("DTD accepted")
	}
}
