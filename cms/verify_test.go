package cms

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"

	"gostsig.dev/cms/internal/cmstest"
	"gostsig.dev/gostsig/streebog"
	"gostsig.dev/internal/oid"
	"gostsig.dev/internal/testkit"
)

func TestInputEncodings(t *testing.T) {
	der := readFile(t, "vectors/bes-256-xcha.p7s")
	b64 := base64.StdEncoding.EncodeToString(der)
	var wrapped strings.Builder
	for i := 0; i < len(b64); i += 64 {
		wrapped.WriteString(b64[i:min(i+64, len(b64))] + "\r\n")
	}
	tests := []struct {
		name string
		in   []byte
		enc  Encoding
	}{
		{"DER", der, EncodingDER},
		{"BER", readFile(t, "vectors/ber-256.p7s"), EncodingBER},
		{"PEM PKCS7", pem.EncodeToMemory(&pem.Block{Type: "PKCS7", Bytes: der}), EncodingPEM},
		{"PEM CMS", pem.EncodeToMemory(&pem.Block{Type: "CMS", Bytes: der}), EncodingPEM},
		{"PEM SIGNED DATA with text around", append(append([]byte("Подпись:\n"), pem.EncodeToMemory(&pem.Block{Type: "SIGNED DATA", Bytes: der})...), "конец\n"...), EncodingPEM},
		{"PEM after a certificate block", append(testkit.PEM("CERTIFICATE", []byte{0x30, 0}), pem.EncodeToMemory(&pem.Block{Type: "CMS", Bytes: der})...), EncodingPEM},
		{"base64 one line", []byte(b64), EncodingBase64},
		{"base64 CRLF lines", []byte(wrapped.String()), EncodingBase64},
		{"base64 unpadded", []byte(strings.TrimRight(b64, "=")), EncodingBase64},
		{"DER with leading whitespace", append([]byte("\r\n"), der...), EncodingDER},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sd, err := Parse(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if sd.Encoding != tt.enc {
				t.Errorf("encoding %v, want %v", sd.Encoding, tt.enc)
			}
			r, err := sd.Verify(nil)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Signers[0].Valid() {
				t.Fatal(describe(r))
			}
		})
	}
	for _, bad := range []string{"", "   ", "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n", "not base64 at all!", "MIIB"} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
}

func TestDERInputIsNotCopied(t *testing.T) {
	der := readFile(t, "vectors/bes-256-xcha.p7s")
	sd, err := Parse(der)
	if err != nil {
		t.Fatal(err)
	}
	if &sd.Raw[0] != &der[0] || sd.WasBER {
		t.Fatal("DER input was copied")
	}
}

func TestDetachedContentSources(t *testing.T) {
	sig := readFile(t, "vectors/detached-256.p7s")
	content := readFile(t, "vectors/detached-256.content")
	h := streebog.Sum256(content)
	wrong := streebog.Sum256(append(content, '!'))
	tests := []struct {
		name   string
		opts   *VerifyOptions
		status Status
		reason Reason
	}{
		{"bytes", &VerifyOptions{Content: content}, Passed, ReasonNone},
		{"reader", &VerifyOptions{ContentReader: bytes.NewReader(content)}, Passed, ReasonNone},
		{"one-byte reader", &VerifyOptions{ContentReader: iotest.OneByteReader(bytes.NewReader(content))}, Passed, ReasonNone},
		{"hash", &VerifyOptions{ContentHash: &ContentHash{Algorithm: oid.Streebog256, Value: h[:]}}, Passed, ReasonNone},
		{"wrong hash", &VerifyOptions{ContentHash: &ContentHash{Algorithm: oid.Streebog256, Value: wrong[:]}}, Failed, ReasonDigestMismatch},
		{"hash of another algorithm", &VerifyOptions{ContentHash: &ContentHash{Algorithm: oid.Streebog512, Value: make([]byte, 64)}}, Indeterminate, ReasonContentMissing},
		{"nothing", &VerifyOptions{}, Indeterminate, ReasonContentMissing},
		{"wrong bytes", &VerifyOptions{Content: content[1:]}, Failed, ReasonDigestMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Verify(sig, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			c := r.Signers[0].Check(CheckMessageDigest)
			if c.Status != tt.status || c.Reason != tt.reason {
				t.Fatalf("message-digest %v", c)
			}
			if sv := r.Signers[0].Check(CheckSignatureValue); sv.Status != Passed {
				t.Fatalf("signature over the signed attributes must verify without the content: %v", sv)
			}
		})
	}
	if _, err := Verify(sig, &VerifyOptions{Content: content, ContentReader: bytes.NewReader(content)}); err == nil {
		t.Error("two content sources accepted")
	}
	errRead := errors.New("disk on fire")
	if _, err := Verify(sig, &VerifyOptions{ContentReader: iotest.ErrReader(errRead)}); !errors.Is(err, errRead) {
		t.Errorf("reader error: %v", err)
	}
}

// TestHashOnlyWithoutSignedAttributes: with no signed attributes the
// signature covers H(content) directly, so a caller-supplied hash of the
// key's algorithm is enough to verify it.
func TestHashOnlyWithoutSignedAttributes(t *testing.T) {
	f, err := cmstest.NewFixture()
	if err != nil {
		t.Fatal(err)
	}
	content := []byte("большой документ")
	sig := testkit.MustSignedData(&testkit.SignedDataSpec{Content: content, Detached: true,
		Signers: []testkit.SignerSpec{{Cert: f.PKI.Leaf, NoSignedAttrs: true}}})
	h := streebog.Sum256(content)
	r, err := Verify(sig, &VerifyOptions{ContentHash: &ContentHash{Algorithm: oid.Streebog256, Value: h[:]}})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Signers[0].Valid() {
		t.Fatal(describe(r))
	}
	r, _ = Verify(sig, nil)
	if c := r.Signers[0].Check(CheckSignatureValue); c.Status != Indeterminate || c.Reason != ReasonContentMissing {
		t.Fatalf("without content: %v", c)
	}
	h[0] ^= 1
	r, _ = Verify(sig, &VerifyOptions{ContentHash: &ContentHash{Algorithm: oid.Streebog256, Value: h[:]}})
	if c := r.Signers[0].Check(CheckSignatureValue); c.Status != Failed || c.Reason != ReasonSignatureInvalid {
		t.Fatalf("wrong hash: %v", c)
	}
}

// TestStreamedContentIsNotHeld: the stream is read once, chunk by chunk,
// and never buffered whole (a 64 MiB stream costs no 64 MiB allocation).
func TestStreamedContentIsNotHeld(t *testing.T) {
	if testing.Short() {
		t.Skip("hashes 64 MiB")
	}
	f, err := cmstest.NewFixture()
	if err != nil {
		t.Fatal(err)
	}
	const size = 64 << 20
	h := streebog.New256()
	io.Copy(h, io.LimitReader(zeroReader{}, size))
	sig := testkit.MustSignedData(&testkit.SignedDataSpec{ContentDigest: h.Sum(nil), Detached: true,
		Signers: []testkit.SignerSpec{{Cert: f.PKI.Leaf, SigningCertV2: true, SigningCertHashOID: oid.Streebog256}}})
	sd, err := Parse(sig)
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	r, err := sd.Verify(&VerifyOptions{ContentReader: io.LimitReader(zeroReader{}, size)})
	runtime.ReadMemStats(&after)
	if err != nil || !r.Signers[0].Valid() {
		t.Fatalf("%v\n%s", err, describe(r))
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d bytes allocated while verifying a %d-byte stream", allocated, size)
	if allocated > 1<<20 {
		t.Fatalf("%d bytes allocated: the stream is being buffered", allocated)
	}
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestDedup: the inline array and the map it switches to agree.
func TestDedup(t *testing.T) {
	var d dedup
	for round := range 2 {
		for i := range 40 {
			b := []byte{byte(i % 20), 1, 2}
			want := round == 0 && i < 20
			if got := d.add(b); got != want {
				t.Fatalf("round %d, add(%x) = %v, want %v", round, b, got, want)
			}
		}
	}
}
