package gostsig_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"

	"gostsig.dev/gostsig"
)

// Verify the bundled attached CAdES-T sample with its test root and CRLs,
// as of a fixed time. In production the Verifier is built once, with the
// embedded ГУЦ roots (leave Roots nil), and shared by all goroutines.
func Example() {
	read := func(name string) []byte {
		b, err := os.ReadFile("../testdata/samples/" + name)
		if err != nil {
			log.Fatal(err)
		}
		return b
	}
	v, err := gostsig.New(gostsig.Config{
		Roots:         [][]byte{read("root.pem")},
		Intermediates: [][]byte{read("ca.pem")},
		CRLs:          [][]byte{read("crl/root.crl"), read("crl/ca.crl")},
		Offline:       true,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer v.Close()

	res, err := v.Verify(context.Background(), gostsig.Input{
		Signature:      read("hello.p7s"),
		ValidationTime: time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err) // no verdict possible (I/O, context)
	}
	fmt.Println(res.Indication, res.Format, res.Profile)
	for _, s := range res.Signatures {
		fmt.Println(s.ID, s.MessageRU)
		fmt.Println("signer:", s.Signer.CommonName, "SNILS", s.Signer.SNILS)
		fmt.Println("signed at:", s.SigningTime.Best.Format(time.RFC3339), "from", s.SigningTime.Source)
		fmt.Println("qualified:", s.Qualified, s.QualifiedReasons[0].Code)
	}
	// Output:
	// TOTAL_PASSED cms cades-t
	// signer-1 Подпись действительна
	// signer: Иванов Иван Иванович SNILS 11223344595
	// signed at: 2025-06-01T11:59:59Z from timestamp
	// qualified: false not-guc-root
}

// A changed document is a result, not an error.
func ExampleVerifier_Verify_changedDocument() {
	read := func(name string) []byte {
		b, err := os.ReadFile("../testdata/samples/" + name)
		if err != nil {
			log.Fatal(err)
		}
		return b
	}
	v, err := gostsig.New(gostsig.Config{Roots: [][]byte{read("root.pem")}, Intermediates: [][]byte{read("ca.pem")}, Offline: true})
	if err != nil {
		log.Fatal(err)
	}
	defer v.Close()
	res, err := v.Verify(context.Background(), gostsig.Input{
		Signature:      read("hello.txt.sig"),
		Content:        read("hello-changed.txt"),
		ValidationTime: time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Indication, res.SubIndication)
	fmt.Println(res.Signatures[0].ReasonRU)
	// Output:
	// TOTAL_FAILED HASH_FAILURE
	// Документ изменён после подписания.
}
