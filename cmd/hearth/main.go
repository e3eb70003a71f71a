// Command hearth runs Hearth, the open-source platform for support groups:
// `hearth serve` starts the web server; `hearth admin` and `hearth safety`
// hold the operators' tools. Run `hearth help` for the list.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}
