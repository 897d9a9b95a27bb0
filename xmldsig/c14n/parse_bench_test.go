package c14n

import (
	"os"
	"testing"
)

// parseBenchInputs are the messages of xmldsig's two-signature ratio
// benchmark: what a whole-message verify parses.
var parseBenchInputs = []struct{ name, file string }{
	{"generated-5KB", "../testdata/generated/smev3_personal_caller_256.xml"},
	{"real-14KB", "../testdata/smev/smev3-2012/gosha_GetResponseResponse_sender_and_smev.xml"},
}

// BenchmarkParse: Parse alone. Bytes/op is the input size.
func BenchmarkParse(b *testing.B) {
	for _, in := range parseBenchInputs {
		msg, err := os.ReadFile(in.file)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(in.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(msg)))
			for b.Loop() {
				if _, err := Parse(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
