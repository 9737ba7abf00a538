// Command gendocs regenerates docs/rules and the README's rule table from
// the rules' own data. Run it with `go generate ./...`.
package main

import (
	"fmt"
	"os"

	"github.com/wso2lint/wso2lint/internal/gendocs"
	"github.com/wso2lint/wso2lint/rules"
)

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	if err := gendocs.Write(root, rules.All); err != nil {
		fmt.Fprintln(os.Stderr, "gendocs:", err)
		os.Exit(1)
	}
}
