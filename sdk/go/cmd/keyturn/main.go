// Command keyturn is the Go SDK's keyturn: license verify, status and install,
// spelled as the Java CLI, with the same arguments, --json output and exit codes.
package main

import (
	"os"

	"keyturn.dev/go/client"
	"keyturn.dev/go/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.Env{Out: os.Stdout, Err: os.Stderr, Clock: client.SystemClock{}}))
}
