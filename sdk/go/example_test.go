package keyturn_test

import (
	"context"
	"log"
	"net/http"
	"os"
	"strings"
	"testing"

	"keyturn.dev/go/client"
	"keyturn.dev/go/license"
	"keyturn.dev/go/web"
)

var app = http.NewServeMux()

// must stops the program when start-up fails: a product that cannot read its keys must not start.
func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}

// Example is the README's embed example: trust the vendor's keys, open the
// license state, keep it current, and put the middleware in front of the
// product. It is compiled with the tests, and TestReadmeShowsTheExample keeps
// the README's copy equal to it.
func Example() {
	ctx := context.Background()
	// embed:start
	keys := must(license.LoadKeyRing("/etc/acme/keys"))
	licenses := must(client.New(client.Options{StateDir: "/var/lib/acme/license", TrustedKeys: keys}))
	go licenses.Run(ctx)
	gate := must(web.Middleware(licenses, web.Settings{ProductName: "Acme Notes"}))
	log.Fatal(http.ListenAndServe(":8080", gate(app)))
	// embed:end
}

func TestReadmeShowsTheExample(t *testing.T) {
	source, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(source)
	body := s[strings.Index(s, "// embed:start\n")+len("// embed:start\n") : strings.Index(s, "\t// embed:end")]
	var lines []string
	for _, line := range strings.Split(strings.TrimRight(body, "\n"), "\n") {
		lines = append(lines, strings.TrimPrefix(line, "\t"))
	}
	if want := "```go\n" + strings.Join(lines, "\n") + "\n```"; !strings.Contains(string(readme), want) {
		t.Fatalf("README.md must show the embed example exactly as example_test.go compiles it:\n%s", want)
	}
}
