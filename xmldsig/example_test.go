package xmldsig_test

import (
	"fmt"
	"os"

	"gostsig.dev/xmldsig"
)

func Example() {
	msg, err := os.ReadFile("testdata/smev/smev3-2012/gosha_GetResponseResponse_sender_and_smev.xml")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := xmldsig.Verify(msg, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Profile)
	for _, s := range res.Signatures {
		fmt.Println(s.Name, s.Passed())
		for _, c := range s.Checks {
			fmt.Println("  ", c.Name, c.Status)
		}
		fmt.Println("   covers", s.References[0].Covered)
	}
	// Output:
	// smev3
	// SenderInformationSystemSignature true
	//    signature-format passed
	//    reference-digest passed
	//    signer-certificate passed
	//    signature-value passed
	//    covers element SenderProvidedResponseData {urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.2} Id="SENDER_OV_SIGNATURE"
	// SMEVSignature true
	//    signature-format passed
	//    reference-digest passed
	//    signer-certificate passed
	//    signature-value passed
	//    covers element Response {urn://x-artefacts-smev-gov-ru/services/message-exchange/types/1.2} Id="SIGNED_BY_SMEV"
}
