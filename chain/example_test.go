package chain_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"gostsig.dev/cert"
	"gostsig.dev/chain"
)

// Build the path of an accredited CA's certificate to the embedded ГУЦ roots
// and check its accreditation in a trusted list.
func Example() {
	der, err := os.ReadFile("../cert/testdata/linkservice_ca_by_guc2001.cer")
	if err != nil {
		fmt.Println(err)
		return
	}
	ca, err := cert.Parse(der)
	if err != nil {
		fmt.Println(err)
		return
	}
	f, err := os.Open("testdata/tsl.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	tsl, err := chain.LoadTSL(f)
	if err != nil {
		fmt.Println(err)
		return
	}

	b, err := chain.New(chain.Config{TSL: tsl}) // embedded roots, offline
	if err != nil {
		fmt.Println(err)
		return
	}
	defer b.Close()

	at := time.Date(2020, 6, 1, 0, 0, 0, 0, time.UTC) // never the wall clock
	chains, err := b.Build(context.Background(), ca, chain.BuildOptions{At: at})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range chains[0] {
		fmt.Println(c.Subject.CommonName())
	}
	fmt.Println("accredited in 2020:", tsl.AccreditedAt(ca, at))
	fmt.Println("accredited in 2023:", tsl.AccreditedAt(ca, at.AddDate(3, 0, 0)))
	// Output:
	// ООО "Линк-сервис"
	// Головной удостоверяющий центр
	// accredited in 2020: true
	// accredited in 2023: false
}
