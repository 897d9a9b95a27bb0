package c14n_test

import (
	"fmt"
	"os"

	"gostsig.dev/xmldsig/c14n"
)

func Example() {
	doc, err := c14n.Parse([]byte(`<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="urn:env" xmlns:unused="urn:unused"><env:Body><Data Id="body" xmlns="urn:data" b='2' a="1"/></env:Body></env:Envelope>`))
	if err != nil {
		fmt.Println(err)
		return
	}
	// Find the element with Id="body".
	for n := c14n.Node(0); int(n) < doc.Len(); n++ {
		if v, ok := doc.AttrValue(n, "", "Id"); ok && string(v) == "body" {
			c14n.Canonicalize(os.Stdout, doc, n, c14n.Options{Method: c14n.Exclusive})
			fmt.Println()
			c14n.Canonicalize(os.Stdout, doc, n, c14n.Options{Method: c14n.Inclusive})
			fmt.Println()
		}
	}
	_, err = c14n.Parse([]byte(`<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>`))
	fmt.Println(err)
	// Output:
	// <Data xmlns="urn:data" Id="body" a="1" b="2"></Data>
	// <Data xmlns="urn:data" xmlns:env="urn:env" xmlns:unused="urn:unused" Id="body" a="1" b="2"></Data>
	// c14n: document type declarations are not allowed
}
