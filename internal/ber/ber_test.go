package ber

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestToDER(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // "" with err set
		err  string
	}{
		{"primitive DER unchanged", "04 03 010203", "04 03 010203", ""},
		{"sequence DER unchanged", "30 06 02 01 05 04 01 ff", "30 06 02 01 05 04 01 ff", ""},
		{"indefinite sequence", "30 80 02 01 05 00 00", "30 03 02 01 05", ""},
		{"nested indefinite", "30 80 31 80 02 01 01 00 00 04 00 00 00", "30 07 31 03 02 01 01 04 00", ""},
		{"non-minimal long length", "04 81 03 010203", "04 03 010203", ""},
		{"non-minimal leading zero", "04 82 00 03 010203", "04 03 010203", ""},
		{"long form needed kept", "04 81 80 " + strings.Repeat("00", 128), "04 81 80 " + strings.Repeat("00", 128), ""},
		{"constructed octet string", "24 80 04 02 0102 04 01 03 00 00", "04 03 010203", ""},
		{"constructed octet string definite", "24 07 04 02 0102 04 01 03", "04 03 010203", ""},
		{"nested constructed octet string", "24 80 24 80 04 01 01 00 00 04 01 02 00 00", "04 02 0102", ""},
		{"empty constructed octet string", "24 80 00 00", "04 00", ""},
		{"constructed bit string", "23 80 03 02 00 0a 03 02 04 b0 00 00", "03 03 04 0a b0", ""},
		{"constructed utf8string", "2c 80 0c 01 61 0c 01 62 00 00", "0c 02 6162", ""},
		{"cms-like eContent", "30 80 06 01 2a a0 80 24 80 04 01 41 04 01 42 00 00 00 00 00 00", "30 09 06 01 2a a0 04 04 02 4142", ""},
		{"context constructed kept constructed", "a0 80 04 01 01 00 00", "a0 03 04 01 01", ""},
		{"high tag number", "9f 21 01 00", "9f 21 01 00", ""},
		{"trailing data", "04 00 00", "", "trailing data"},
		{"truncated", "30 05 02 01", "", "length exceeds input"},
		{"indefinite primitive", "04 80 00 00", "", "indefinite length on a primitive"},
		{"missing eoc", "30 80 02 01 05", "", "missing end-of-contents"},
		{"child overruns parent", "30 02 04 05 0102030405", "", "length exceeds input"},
		{"reserved length", "04 ff", "", "reserved length"},
		{"wrong segment type", "24 80 0c 01 61 00 00", "", "wrong type"},
		{"bit segment unused not last", "23 80 03 02 04 0a 03 02 00 b0 00 00", "", "unused-bits"},
		{"bit segment empty", "23 80 03 00 00 00", "", "empty bit string segment"},
		{"high tag non-minimal", "9f 80 21 00", "", "non-minimal tag"},
		{"high tag short", "9f 05 00", "", "non-minimal tag"},
		{"empty input", "", "", "truncated identifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := unhex(t, tt.in)
			got, err := ToDER(in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("ToDER(%s) error = %v, want %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ToDER(%s): %v", tt.in, err)
			}
			if want := unhex(t, tt.want); !bytes.Equal(got, want) {
				t.Fatalf("ToDER(%s) = %x, want %x", tt.in, got, want)
			}
			checkDER(t, in, got)
		})
	}
}

func TestToDERAliasesUnchangedInput(t *testing.T) {
	in := unhex(t, "30 06 02 01 05 04 01 ff")
	out, err := ToDER(in)
	if err != nil {
		t.Fatal(err)
	}
	if &out[0] != &in[0] {
		t.Fatal("DER input was copied")
	}
	if !IsDER(in) {
		t.Fatal("IsDER = false on DER input")
	}
	if IsDER(unhex(t, "30 80 00 00")) {
		t.Fatal("IsDER = true on indefinite length")
	}
}

func TestDepthLimit(t *testing.T) {
	build := func(n int) []byte {
		var b []byte
		for i := 0; i < n; i++ {
			b = append(b, 0x30, 0x80)
		}
		for i := 0; i < n; i++ {
			b = append(b, 0, 0)
		}
		return b
	}
	if _, err := ToDER(build(MaxDepth)); err != nil {
		t.Fatalf("depth %d: %v", MaxDepth, err)
	}
	_, err := ToDER(build(MaxDepth + 1))
	if !errors.Is(err, ErrTooDeep) {
		t.Fatalf("depth %d: err = %v, want ErrTooDeep", MaxDepth+1, err)
	}
	// Deep constructed OCTET STRING segments count too.
	var s []byte
	for i := 0; i < MaxDepth+1; i++ {
		s = append(s, 0x24, 0x80)
	}
	for i := 0; i < MaxDepth+1; i++ {
		s = append(s, 0, 0)
	}
	if _, err := ToDER(s); !errors.Is(err, ErrTooDeep) {
		t.Fatalf("deep string: err = %v, want ErrTooDeep", err)
	}
}

func TestRealBERSample(t *testing.T) {
	// КриптоПро CSP 5 CAdES-BES, BER with indefinite lengths (see cms/testdata/SOURCES.md).
	in, err := os.ReadFile(filepath.Join("..", "..", "cms", "testdata", "corpus", "fns_cades_bes.p7s"))
	if err != nil {
		t.Skipf("sample not present: %v", err)
	}
	if IsDER(in) {
		t.Fatal("sample is expected to be BER")
	}
	out, err := ToDER(in)
	if err != nil {
		t.Fatal(err)
	}
	checkDER(t, in, out)
	var ci, seq cryptobyte.String
	s := cryptobyte.String(out)
	if !s.ReadASN1(&ci, cbasn1.SEQUENCE) || !s.Empty() || !ci.SkipASN1(cbasn1.OBJECT_IDENTIFIER) ||
		!ci.ReadASN1(&seq, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		t.Fatal("cryptobyte cannot read the converted ContentInfo")
	}
}

// checkDER asserts the properties every ToDER output has: it is a fixed
// point, cryptobyte can walk it, and it carries the same values as the input.
func checkDER(t testing.TB, in, out []byte) {
	t.Helper()
	if !IsDER(out) {
		t.Fatalf("output %x is not DER", out)
	}
	again, err := ToDER(out)
	if err != nil || !bytes.Equal(again, out) {
		t.Fatalf("ToDER not idempotent: %x → %x (%v)", out, again, err)
	}
	if err := walkCryptobyte(cryptobyte.String(out), 0); err != nil {
		t.Fatalf("cryptobyte rejects output %x: %v", out, err)
	}
	a, errA := values(in)
	b, errB := values(out)
	if errA != nil || errB != nil || a != b {
		t.Fatalf("values differ:\n in  %s (%v)\n out %s (%v)", a, errA, b, errB)
	}
}

func walkCryptobyte(s cryptobyte.String, depth int) error {
	for !s.Empty() {
		var tag cbasn1.Tag
		var body cryptobyte.String
		if !s.ReadAnyASN1(&body, &tag) {
			// cryptobyte supports only tag numbers < 31.
			return nil
		}
		if tag&0x20 != 0 {
			if err := walkCryptobyte(body, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// values is an independent reference decoder: it prints the tree of values
// with constructed universal strings joined, so BER and DER forms of the same
// value print the same.
func values(in []byte) (string, error) {
	var sb strings.Builder
	rest, err := valuesOf(&sb, in, -1)
	if err != nil {
		return "", err
	}
	if len(rest) != 0 {
		return "", fmt.Errorf("trailing")
	}
	return sb.String(), nil
}

func valuesOf(sb *strings.Builder, in []byte, stop int) ([]byte, error) {
	h, err := readHeader(in, 0)
	if err != nil {
		return nil, err
	}
	body := in[h.hdrLen:]
	if !h.constructed {
		fmt.Fprintf(sb, "%x:%d[%x]", h.tagClass, h.tagNum, body[:h.length])
		return body[h.length:], nil
	}
	str := h.tagClass == 0 && isUniversalString(h.tagNum)
	if str {
		var joined []byte
		var unused byte
		rest, err := joinSegments(in, h, &joined, &unused)
		if err != nil {
			return nil, err
		}
		if h.tagNum == 3 {
			joined = append([]byte{unused}, joined...)
		}
		fmt.Fprintf(sb, "%x:%d[%x]", h.tagClass, h.tagNum, joined)
		return rest, nil
	}
	fmt.Fprintf(sb, "%x:%d{", h.tagClass, h.tagNum)
	if h.indefinite {
		for !(len(body) >= 2 && body[0] == 0 && body[1] == 0) {
			if body, err = valuesOf(sb, body, 0); err != nil {
				return nil, err
			}
		}
		body = body[2:]
	} else {
		inner := body[:h.length]
		for len(inner) > 0 {
			if inner, err = valuesOf(sb, inner, 0); err != nil {
				return nil, err
			}
		}
		body = body[h.length:]
	}
	sb.WriteString("}")
	return body, nil
}

func joinSegments(in []byte, h header, out *[]byte, unused *byte) ([]byte, error) {
	body := in[h.hdrLen:]
	var inner []byte
	if h.indefinite {
		inner = body
	} else {
		inner = body[:h.length]
	}
	for {
		if h.indefinite {
			if len(inner) >= 2 && inner[0] == 0 && inner[1] == 0 {
				return inner[2:], nil
			}
		} else if len(inner) == 0 {
			return body[h.length:], nil
		}
		sh, err := readHeader(inner, 0)
		if err != nil {
			return nil, err
		}
		if sh.constructed {
			if inner, err = joinSegments(inner, sh, out, unused); err != nil {
				return nil, err
			}
			continue
		}
		seg := inner[sh.hdrLen : sh.hdrLen+sh.length]
		if h.tagNum == 3 {
			*unused = seg[0]
			seg = seg[1:]
		}
		*out = append(*out, seg...)
		inner = inner[sh.hdrLen+sh.length:]
	}
}

func FuzzToDER(f *testing.F) {
	for _, s := range []string{
		"30800201050000", "2480040201020401030000", "238003020a0a030204b00000",
		"30800601 2aa080248004014104014200000000 0000",
	} {
		f.Add(unhex(f, s))
	}
	if b, err := os.ReadFile(filepath.Join("..", "..", "cms", "testdata", "corpus", "fns_cades_bes.p7s")); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > 1<<16 {
			return
		}
		out, err := ToDER(in)
		if err != nil {
			return
		}
		checkDER(t, in, out)
	})
}

func BenchmarkToDER(b *testing.B) {
	// A 1 MiB eContent in 1000-byte chunks, as CryptoPro streams it.
	var body []byte
	chunk := bytes.Repeat([]byte{0x5a}, 1000)
	for i := 0; i < 1<<20/1000; i++ {
		body = append(body, 0x04, 0x82, 0x03, 0xe8)
		body = append(body, chunk...)
	}
	in := append([]byte{0x30, 0x80, 0xa0, 0x80, 0x24, 0x80}, body...)
	in = append(in, 0, 0, 0, 0, 0, 0)
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ToDER(in); err != nil {
			b.Fatal(err)
		}
	}
}

// Callers tell harmless padding after a signature from garbage by
// ErrTrailingData and the Error's Offset (the end of the outer element).
func TestTrailingDataTyped(t *testing.T) {
	_, err := ToDER([]byte{0x30, 0x80, 0x04, 0x00, 0x00, 0x00, '\n'})
	var be *Error
	if !errors.Is(err, ErrTrailingData) || !errors.As(err, &be) || be.Offset != 6 {
		t.Fatalf("got %v, want ErrTrailingData at offset 6", err)
	}
	if _, err := ToDER([]byte{0x30, 0x80, 0x04, 0x00}); errors.Is(err, ErrTrailingData) {
		t.Fatalf("truncated input reported as trailing data: %v", err)
	}
}
