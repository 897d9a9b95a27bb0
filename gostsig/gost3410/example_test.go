package gost3410_test

import (
	"encoding/hex"
	"errors"
	"fmt"

	"gostsig.dev/gostsig/gost3410"
)

// Verify the signature of RFC 7091 §7 with the public key of RFC 9215
// Appendix D.1 (same key), given as a DER SubjectPublicKeyInfo.
func Example() {
	spki, _ := hex.DecodeString("3066301f06082a85030701010101301306072a85030202230006082a85030701010202" +
		"03430004400bd86fe5d8db89668f789b4e1dba8585c5508b45ec5b59d8906ddb70e2492b7f" +
		"da77ff871a10fbdf2766d293c5d164afbb3c7b973a41c885d11d70d689b4f126")
	pub, err := gost3410.ParsePublicKey(spki)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(pub.Curve().ShortName(), pub.Algorithm(), "test curve:", pub.Curve().IsTest())

	// The digest exactly as Streebog-256 outputs it, and the signature as
	// BE(s) || BE(r), as in X.509, CMS and XMLDSig.
	digest, _ := hex.DecodeString("e53e042b67e6ec678e2e02b12a0352ce1fc6eee0529cc088119ad872b3c1fb2d")
	sig, _ := hex.DecodeString("01456c64ba4642a1653c235a98a60249bcd6d3f746b631df928014f6c5bf9c40" +
		"41aa28d2f1ab148280cd9ed56feda41974053554a42767b83ad043fd39dc0493")
	fmt.Println("valid:", gost3410.Verify(pub, digest, sig))

	sig[0] ^= 1
	err = gost3410.CheckSignature(pub, digest, sig)
	fmt.Println("modified:", errors.Is(err, gost3410.ErrInvalidSignature))
	// Output:
	// test-256 GOST R 34.10-2012 (256) test curve: true
	// valid: true
	// modified: true
}
