package gostsig_test

import (
	"bytes"
	"context"
	"encoding/json"
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

// A service that checks documents in bulk answers each with the verdict
// alone: the summary keeps the indication, the Russian reason and the
// signer, and leaves out the chain, revocation evidence and checks.
func ExampleResult_AppendSummaryJSON() {
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
	sum, err := res.AppendSummaryJSON(nil)
	if err != nil {
		log.Fatal(err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, sum, "", "  "); err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.String())
	// Output:
	// {
	//   "indication": "TOTAL_FAILED",
	//   "subindication": "HASH_FAILURE",
	//   "message_ru": "Подпись недействительна: документ изменён после подписания",
	//   "format": "cms",
	//   "profile": "cades-bes",
	//   "validation_time": "2025-06-02T00:00:00Z",
	//   "signatures": [
	//     {
	//       "id": "signer-1",
	//       "indication": "TOTAL_FAILED",
	//       "subindication": "HASH_FAILURE",
	//       "message_ru": "Подпись недействительна: документ изменён после подписания",
	//       "reason_ru": "Документ изменён после подписания.",
	//       "profile": "cades-bes",
	//       "qualified": false,
	//       "qualified_reasons": [
	//         {
	//           "code": "not-valid",
	//           "message_ru": "подпись не признана действительной"
	//         },
	//         {
	//           "code": "not-guc-root",
	//           "message_ru": "цепочка не ведёт к корневому сертификату Головного удостоверяющего центра"
	//         }
	//       ],
	//       "signer": {
	//         "subject": "INN=500100732259,SNILS=11223344595,GN=Иван Иванович,SN=Иванов,CN=Иванов Иван Иванович,C=RU",
	//         "common_name": "Иванов Иван Иванович",
	//         "serial": "F033AF9BEE13FAF7",
	//         "issuer": "INNLE=7700000023,OGRN=1027700000020,CN=ООО «Тестовый УЦ»,O=ООО «Тестовый УЦ»,C=RU",
	//         "inn": "500100732259",
	//         "snils": "11223344595",
	//         "surname": "Иванов",
	//         "given_name": "Иван Иванович",
	//         "not_before": "2024-01-01T00:00:00Z",
	//         "not_after": "2039-01-01T00:00:00Z",
	//         "private_key_not_before": "2024-01-01T00:00:00Z",
	//         "private_key_not_after": "2039-01-01T00:00:00Z",
	//         "sha1": "4D732418154F352CEFC025558C9B58DCFCCE9B68"
	//       },
	//       "signing_time": {
	//         "best": "2025-06-02T00:00:00Z",
	//         "source": "validation-time",
	//         "claimed": "2025-06-01T12:00:00Z"
	//       }
	//     }
	//   ],
	//   "checks": [
	//     {
	//       "name": "format",
	//       "status": "passed",
	//       "detail": "CMS SignedData (der, отсоединённая подпись, подписей: 1)"
	//     }
	//   ],
	//   "policy": "gostsig-default/1"
	// }
}
