package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestWebConformance runs the repository's HTTP conformance script
// (conformance/web/web_conformance.py, stdlib Python) against this example in
// demo mode, once per kind of grace, each time on a fresh example.
func TestWebConformance(t *testing.T) {
	const python = "/usr/bin/python3"
	script := filepath.Join("..", "..", "conformance", "web", "web_conformance.py")
	for _, need := range []string{python, script} {
		if _, err := os.Stat(need); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing; CI must run the web conformance script", need)
			}
			t.Skipf("%s is missing: the web conformance script needs Debian's python3 and the conformance suite", need)
		}
	}
	for _, run := range []struct{ preset, grace string }{{"appliance", "full"}, {"subscription", "read-only"}} {
		t.Run(run.preset, func(t *testing.T) {
			server, _, _ := startDemoWith(t, run.preset)
			out, err := exec.Command(python, script, server.URL, "--asset", "/static/app.css", "--expect-grace", run.grace).CombinedOutput()
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			t.Logf("%s", out)
		})
	}
}
