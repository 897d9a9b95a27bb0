package cms_test

import (
	"bytes"
	"fmt"
	"log"
	"os"

	"gostsig.dev/cms"
)

// Verify a detached CAdES-BES whose content is read as a stream (hashed
// while read, never held in memory) and print what each check found.
func Example() {
	sig, err := os.ReadFile("testdata/vectors/detached-256.p7s")
	if err != nil {
		log.Fatal(err)
	}
	content, err := os.ReadFile("testdata/vectors/detached-256.content")
	if err != nil {
		log.Fatal(err)
	}
	res, err := cms.Verify(sig, &cms.VerifyOptions{ContentReader: bytes.NewReader(content)})
	if err != nil {
		log.Fatal(err) // malformed input or an unreadable stream: no verdict
	}
	for _, s := range res.Signers {
		fmt.Printf("%s %s valid=%v signer=%q signingTime=%s\n", s.ID, s.Level, s.Valid(),
			s.Signer.Subject.CommonName(), s.SigningTime.Format("2006-01-02 15:04:05Z07:00"))
		for _, c := range s.Checks {
			fmt.Println(" ", c)
		}
	}
	// Output:
	// signer-1 cades-bes valid=true signer="Иванов Иван Иванович" signingTime=2025-06-01 09:30:00Z
	//   signing-certificate: passed
	//   algorithm: passed
	//   content-type: passed
	//   message-digest: passed
	//   signing-time: passed
	//   signing-certificate-v2: passed
	//   signature-value: passed
}

// A signature whose content was changed after signing: the message digest
// check fails with a typed reason the policy maps to HASH_FAILURE.
func Example_tampered() {
	sig, _ := os.ReadFile("testdata/vectors/detached-256.p7s")
	res, err := cms.Verify(sig, &cms.VerifyOptions{Content: []byte("другой документ")})
	if err != nil {
		log.Fatal(err)
	}
	s := res.Signers[0]
	c := s.Check(cms.CheckMessageDigest)
	fmt.Println(s.Valid(), c.Status, c.Reason)
	// Output: false failed digest_mismatch
}
