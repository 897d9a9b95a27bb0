// Package fuzz holds API-level fuzz targets: whole-pipeline entry points
// fed arbitrary input. Per-parser targets live next to their parser
// (cms.FuzzParse, ber.FuzzToDER, …). Run one with
//
//	go test ./fuzz -run '^$' -fuzz FuzzCMSVerify -fuzztime 30s
package fuzz
