package gost341194_test

import (
	"fmt"

	"gostsig.dev/gostsig/gost341194"
)

func ExampleSum() {
	sum := gost341194.Sum([]byte("abc"))
	fmt.Printf("%x\n", sum)
	// Output: b285056dbf18d7392d7677369524dd14747459ed8143997e163b2986f92fd42c
}

func ExampleNewWithSBox() {
	// The test S-box of RFC 5831 §7.3; production signatures use New.
	h := gost341194.NewWithSBox(gost341194.SBoxTest)
	h.Write([]byte("This is message, length=32 bytes"))
	fmt.Printf("%x\n", h.Sum(nil))
	// Output: b1c466d37519b82e8319819ff32595e047a28cb6f83eff1c6916a815a637fffa
}
