// Command gencatalog regenerates catalog/mi_keys.tsv from WSO2's
// config-tool files of MI 4.0–4.4 (shared/reference/wso2-config-tool,
// found beside the checkout or one of its parents) and from
// runtime-keys.tsv beside this file, the keys MI's Java code reads
// directly, legacy-keys.tsv, keys of earlier products that no 4.x
// release reads, and shipped-keys.tsv, keys MI's own deployment.toml sets
// that nothing reads. Run it with `go generate ./...`. Without the reference files
// it says so and leaves the committed catalogue as it is.
//
// With -go, it then writes the catalogue of mi_keys.tsv as Go data
// (catalog.GoSource), the form the program uses, so that no run parses
// the catalogue at start-up; it does so with or without the reference
// files, so that the Go form always follows the committed text.
package main

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"os"

	"github.com/wso2lint/wso2lint/catalog"
	"github.com/wso2lint/wso2lint/internal/catalogsrc"
)

//go:embed runtime-keys.tsv
var runtimeKeys string

//go:embed legacy-keys.tsv
var legacyKeys string

//go:embed shipped-keys.tsv
var shippedKeys string

func main() {
	out := flag.String("out", "mi_keys.tsv", "file to write")
	src := flag.String("src", "", "folder of WSO2's config-tool files (default: found by walking up)")
	goOut := flag.String("go", "", "also write the catalogue of -out as Go data to this file")
	flag.Parse()
	dir := *src
	if dir == "" {
		dir = catalogsrc.Find(".")
	}
	if dir == "" {
		fmt.Fprintln(os.Stderr, "gencatalog: shared/reference/wso2-config-tool not found; the committed catalogue is kept")
	} else {
		data, err := catalogsrc.Generate(dir, runtimeKeys, legacyKeys, shippedKeys)
		if err != nil {
			fail(err)
		}
		if err := writeIfChanged(*out, []byte(data)); err != nil {
			fail(err)
		}
	}
	if *goOut == "" {
		return
	}
	tsv, err := os.ReadFile(*out)
	if err != nil {
		fail(err)
	}
	src2, err := catalog.GoSource(string(tsv), "mi")
	if err != nil {
		fail(fmt.Errorf("%s: %w", *out, err))
	}
	if err := writeIfChanged(*goOut, src2); err != nil {
		fail(err)
	}
}

// writeIfChanged writes data to path unless the file already holds it, so
// that go generate leaves an unchanged file's time alone.
func writeIfChanged(path string, data []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
		return nil
	}
	return os.WriteFile(path, data, 0o644)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gencatalog:", err)
	os.Exit(1)
}
