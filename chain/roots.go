package chain

import (
	"embed"
	"fmt"
	"path"
	"sync"

	"gostsig.dev/cert"
)

// The head-CA (ГУЦ) roots built into the binary; roots/SOURCES.md says where
// each comes from.
//
//go:embed roots/*.cer
var rootFiles embed.FS

// rootOrder is the order of preference among the embedded roots when two
// paths are otherwise equal: the current 2012 roots first, then the 2001
// root.
var rootOrder = []string{
	"mincomsvyaz_2012_root_4E6D478B.cer",
	"mincifry_2012_root_2026_18C34DF5.cer",
	"guc2001_root_34681E40.cer",
}

var (
	rootsOnce sync.Once
	rootsList []*cert.Certificate
	rootsErr  error
)

// EmbeddedRoots returns the ГУЦ roots built into the binary: "Минкомсвязь
// России" (GOST R 34.10-2012, 2018–2036), "Минцифры России" (GOST R
// 34.10-2012, 2026–2044) and the "Головной удостоверяющий центр" GOST R
// 34.10-2001 root (2012–2027). The certificates are shared: do not modify
// them.
func EmbeddedRoots() []*cert.Certificate {
	rootsOnce.Do(func() {
		for _, name := range rootOrder {
			der, err := rootFiles.ReadFile(path.Join("roots", name))
			if err != nil {
				rootsErr = err
				return
			}
			c, err := cert.Parse(der)
			if err != nil {
				rootsErr = fmt.Errorf("chain: embedded root %s: %w", name, err)
				return
			}
			rootsList = append(rootsList, c)
		}
	})
	if rootsErr != nil {
		// The files are compiled in and tested; this cannot happen in a
		// released binary.
		panic(rootsErr)
	}
	return append([]*cert.Certificate(nil), rootsList...)
}
