package crl

import (
	"bytes"
	"encoding/pem"
	"errors"
	"strings"
	"testing"
)

func pemOf(typ string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der})
}

func TestParseBundle(t *testing.T) {
	jan := readFile(t, "testdata/pki/jan.crl")
	feb := readFile(t, "testdata/pki/feb.crl")
	caPEM := readFile(t, "testdata/pki/ca.pem")
	key := pemOf("PRIVATE KEY", []byte{0x30, 0x03, 0x02, 0x01, 0x00})
	broken := append([]byte(nil), feb...)
	broken[len(broken)/2] ^= 0xff // inside the revoked entries or the signature
	_, brokenErr := ParseDER(broken)
	if brokenErr == nil {
		t.Fatal("corrupted feb.crl parses")
	}
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

	tests := []struct {
		name    string
		in      []byte
		want    [][]byte // the DERs, in order
		wantErr string   // substring; "" = success
		kind    Kind
	}{
		{name: "DER", in: jan, want: [][]byte{jan}},
		{name: "one PEM", in: pemOf("X509 CRL", jan), want: [][]byte{jan}},
		{name: "two PEM", in: cat(pemOf("X509 CRL", jan), pemOf("X509 CRL", feb)), want: [][]byte{jan, feb}},
		{name: "OpenSSL bundle: certificates, key, CRLs, text",
			in:   cat([]byte("subject=CN = test\n"), caPEM, key, pemOf("X509 CRL", feb), []byte("# comment\n"), pemOf("X509 CRL", jan)),
			want: [][]byte{feb, jan}},
		{name: "certificates only", in: caPEM, wantErr: "no X509 CRL block", kind: KindMalformed},
		{name: "bad CRL names its block", in: cat(caPEM, pemOf("X509 CRL", jan), pemOf("X509 CRL", []byte{0x30, 0x00})),
			wantErr: "crl: block 3: crl: malformed", kind: KindMalformed},
		{name: "corrupt CRL keeps its kind", in: cat(pemOf("X509 CRL", jan), pemOf("X509 CRL", broken)),
			wantErr: "crl: block 2: " + brokenErr.Error(), kind: KindOf(brokenErr)},
		{name: "truncated last block", in: cat(pemOf("X509 CRL", jan), []byte("-----BEGIN X509 CRL-----\nMIIB\n")),
			wantErr: "BEGIN line without a matching END", kind: KindMalformed},
		{name: "broken block before a good one", in: cat([]byte("-----BEGIN X509 CRL-----\n!!!\n-----END X509 CRL-----\n"), pemOf("X509 CRL", jan)),
			wantErr: "crl: block 1: malformed PEM block", kind: KindMalformed},
		{name: "garbage", in: []byte("not a CRL"), wantErr: "crl: malformed", kind: KindMalformed},
		{name: "empty", in: nil, wantErr: "crl: malformed", kind: KindMalformed},
		{name: "DER with trailing data", in: cat(jan, feb), wantErr: "crl: ", kind: KindMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			crls, ders, err := ParseBundle(tt.in)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseBundle succeeded with %d CRLs, want error %q", len(crls), tt.wantErr)
				}
				if crls != nil || ders != nil {
					t.Error("CRLs returned with an error")
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %q, want it to contain %q", err, tt.wantErr)
				}
				if KindOf(err) == 0 {
					t.Errorf("error %q has no Kind", err)
				}
				if tt.kind != 0 && !errors.Is(err, &Error{Kind: tt.kind}) {
					t.Errorf("error %q: Kind %v, want %v", err, KindOf(err), tt.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(crls) != len(tt.want) || len(ders) != len(tt.want) {
				t.Fatalf("got %d CRLs, %d DERs; want %d", len(crls), len(ders), len(tt.want))
			}
			for i, want := range tt.want {
				if !bytes.Equal(ders[i], want) {
					t.Errorf("DER %d differs from the input CRL", i)
				}
				c, err := ParseDER(want)
				if err != nil {
					t.Fatal(err)
				}
				if crls[i].Digest != c.Digest || crls[i].Size != len(want) {
					t.Errorf("CRL %d is not the one of DER %d", i, i)
				}
			}
		})
	}
}

func TestParseBundleLimit(t *testing.T) {
	block := pemOf("X509 CRL", readFile(t, "testdata/pki/jan.crl"))
	in := bytes.Repeat(block, MaxBundleCRLs+1)
	_, _, err := ParseBundle(in)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("%d CRLs: err = %v, want ErrTooLarge", MaxBundleCRLs+1, err)
	}
}

func FuzzParseBundle(f *testing.F) {
	jan := readFile(f, "testdata/pki/jan.crl")
	f.Add(jan)
	f.Add(readFile(f, "testdata/pki/jan.crl.pem"))
	f.Add(bytes.Join([][]byte{readFile(f, "testdata/pki/ca.pem"), pemOf("X509 CRL", jan),
		pemOf("X509 CRL", readFile(f, "testdata/pki/feb.crl"))}, nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > maxFuzzInput {
			return
		}
		crls, ders, err := ParseBundle(data)
		if err != nil {
			if crls != nil || ders != nil {
				t.Fatal("CRLs returned with an error")
			}
			if KindOf(err) == 0 {
				t.Fatalf("error without a Kind: %v", err)
			}
			return
		}
		if len(crls) == 0 || len(crls) != len(ders) || len(crls) > MaxBundleCRLs {
			t.Fatalf("%d CRLs, %d DERs", len(crls), len(ders))
		}
		for i, der := range ders {
			c, err := ParseDER(der)
			if err != nil {
				t.Fatalf("DER %d does not parse alone: %v", i, err)
			}
			if c.Digest != crls[i].Digest {
				t.Fatalf("CRL %d is not the one of DER %d", i, i)
			}
		}
	})
}
