// Command gen writes the assembled OpenAPI document to the file named by -o
// (run by `go generate ./api`). With -adopt it first moves edits made to
// that file (for example by merging a branch that still edited
// api/openapi.json) into the aggregate source files, then writes it anew.
package main

import (
	"flag"
	"fmt"
	"os"

	"densach/api/openapi"
)

func main() {
	out := flag.String("o", "openapi.json", "where to write the assembled document")
	dir := flag.String("src", "openapi", "the folder of the source files (for -adopt)")
	adopt := flag.Bool("adopt", false, "move edits made to the -o file into the source files first")
	flag.Parse()
	if err := run(*out, *dir, *adopt); err != nil {
		fmt.Fprintln(os.Stderr, "openapi:", err)
		os.Exit(1)
	}
}

func run(out, dir string, adopt bool) error {
	if adopt {
		built, err := os.ReadFile(out)
		if err != nil {
			return err
		}
		moved, err := openapi.Adopt(dir, built)
		if err != nil {
			return err
		}
		for _, m := range moved {
			fmt.Println(m)
		}
		doc, err := openapi.AssembleFS(os.DirFS(dir))
		if err != nil {
			return err
		}
		return os.WriteFile(out, doc, 0o644)
	}
	doc, err := openapi.Assemble()
	if err != nil {
		return err
	}
	return os.WriteFile(out, doc, 0o644)
}
