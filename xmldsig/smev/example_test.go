package smev_test

import (
	"fmt"
	"os"

	"gostsig.dev/xmldsig/smev"
)

func Example() {
	in := []byte(`<?xml version="1.0"?>
<elementOne xmlns="http://test/1" xmlns:qwe="http://test/2">
	<qwe:elementTwo b="2" qwe:a="1">text &gt; here</qwe:elementTwo>
</elementOne>`)
	info, err := smev.Transform(os.Stdout, in, smev.Woodstox)
	fmt.Println()
	fmt.Println(info.EscapingMatters, err)
	smev.Transform(os.Stdout, in, smev.JDK)
	fmt.Println()
	// Output:
	// <ns1:elementOne xmlns:ns1="http://test/1"><ns2:elementTwo xmlns:ns2="http://test/2" ns2:a="1" b="2">text > here</ns2:elementTwo></ns1:elementOne>
	// true <nil>
	// <ns1:elementOne xmlns:ns1="http://test/1"><ns2:elementTwo xmlns:ns2="http://test/2" ns2:a="1" b="2">text &gt; here</ns2:elementTwo></ns1:elementOne>
}
