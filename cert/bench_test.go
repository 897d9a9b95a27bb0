package cert

import "testing"

func BenchmarkParse(b *testing.B) {
	for _, name := range []string{"esia.gost.prod.cer", "tc26_sender512_cert.pem", "guc2001_root_34681E40.cer"} {
		raw := readCert(b, name).Raw
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(raw)))
			for b.Loop() {
				if _, err := Parse(raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkCheckSignatureFrom(b *testing.B) {
	for _, pair := range [][2]string{
		{"mincomsvyaz_2012_root_4E6D478B.cer", "mincomsvyaz_2012_root_4E6D478B.cer"},
		{"linkservice_ca_by_guc2001.cer", "guc2001_root_34681E40.cer"},
		{"tc26_sender512_cert.pem", "tc26_root256_cert.pem"},
	} {
		c, p := readCert(b, pair[0]), readCert(b, pair[1])
		b.Run(pair[0], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.CheckSignatureFrom(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
