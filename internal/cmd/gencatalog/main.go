// Command gencatalog regenerates catalog/mi_keys.tsv from WSO2's
// config-tool files of MI 4.0–4.4 (shared/reference/wso2-config-tool,
// found beside the checkout or one of its parents) and from
// runtime-keys.tsv beside this file, the keys MI's Java code reads
// directly, legacy-keys.tsv, keys of earlier products that no 4.x
// release reads, and shipped-keys.tsv, keys MI's own deployment.toml sets
// that nothing reads. Run it with `go generate ./...`. Without the reference files
// it says so and leaves the committed catalogue as it is.
package main

import (
	_ "embed"
	"flag"
	"fmt"
	"os"

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
	flag.Parse()
	dir := *src
	if dir == "" {
		dir = catalogsrc.Find(".")
	}
	if dir == "" {
		fmt.Fprintln(os.Stderr, "gencatalog: shared/reference/wso2-config-tool not found; the committed catalogue is kept")
		return
	}
	data, err := catalogsrc.Generate(dir, runtimeKeys, legacyKeys, shippedKeys)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, []byte(data), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gencatalog:", err)
		os.Exit(1)
	}
}
