// Command gen writes the assembled OpenAPI document to the file named by -o
// (run by `go generate ./api`).
package main

import (
	"flag"
	"fmt"
	"os"

	"densach/api/openapi"
)

func main() {
	out := flag.String("o", "openapi.json", "where to write the assembled document")
	flag.Parse()
	doc, err := openapi.Assemble()
	if err == nil {
		err = os.WriteFile(*out, doc, 0o644)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
}
