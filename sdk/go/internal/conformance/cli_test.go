package conformance

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"keyturn.dev/go/client"
	"keyturn.dev/go/internal/cli"
)

var evaluatedAt = regexp.MustCompile(`"evaluated_at": "([0-9T:-]+)(\.[0-9]+)?Z"`)

func TestCLIVectors(t *testing.T) {
	var file struct {
		Scenarios []struct {
			Name  string            `json:"name"`
			Files map[string]string `json:"files"`
			Dirs  []string          `json:"dirs"`
			Steps []struct {
				Now        string          `json:"now"`
				Argv       []string        `json:"argv"`
				ExitCode   int             `json:"exit_code"`
				StdoutJSON json.RawMessage `json:"stdout_json"`
				Stdout     string          `json:"stdout"`
				Stderr     string          `json:"stderr"`
			} `json:"steps"`
		} `json:"scenarios"`
	}
	load(t, "cli.json", &file)
	if len(file.Scenarios) == 0 {
		t.Fatal("no CLI vectors")
	}
	for _, sc := range file.Scenarios {
		sc := sc
		t.Run(sc.Name, func(t *testing.T) {
			dir := t.TempDir()
			for name, b64 := range sc.Files {
				data, _ := base64.StdEncoding.DecodeString(b64)
				path := filepath.Join(dir, name)
				os.MkdirAll(filepath.Dir(path), 0o755)
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, d := range sc.Dirs {
				os.MkdirAll(filepath.Join(dir, d), 0o755)
			}
			for i, step := range sc.Steps {
				argv := make([]string, len(step.Argv))
				for j, a := range step.Argv {
					argv[j] = strings.ReplaceAll(a, "${DIR}", dir)
				}
				now, err := time.Parse(time.RFC3339, step.Now)
				if err != nil {
					t.Fatal(err)
				}
				var out, errOut bytes.Buffer
				code := cli.Run(argv, cli.Env{Out: &out, Err: &errOut, Clock: client.NewSettableClock(now)})
				stdout := strings.ReplaceAll(out.String(), dir, "${DIR}")
				stderr := strings.ReplaceAll(errOut.String(), dir, "${DIR}")
				if code != step.ExitCode {
					t.Fatalf("step %d %v: exit %d, want %d\nstdout: %s\nstderr: %s", i, step.Argv, code, step.ExitCode, stdout, stderr)
				}
				if len(step.StdoutJSON) > 0 && string(step.StdoutJSON) != "null" {
					var got, want any
					if err := json.Unmarshal([]byte(evaluatedAt.ReplaceAllString(stdout, `"evaluated_at": "${1}Z"`)), &got); err != nil {
						t.Fatalf("step %d %v: stdout is not JSON: %v\n%s", i, step.Argv, err, stdout)
					}
					json.Unmarshal(step.StdoutJSON, &want)
					sameTOMLSyntaxMessage(got, want)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("step %d %v\n got: %s\nwant: %s", i, step.Argv, stdout, step.StdoutJSON)
					}
					continue
				}
				// Text output: the same sentences as Java; usage errors (exit 2) are the parser's own words.
				if step.ExitCode != 2 && stdout != step.Stdout {
					t.Errorf("step %d %v stdout\n got: %q\nwant: %q", i, step.Argv, stdout, step.Stdout)
				}
				if step.ExitCode != 2 && firstLine(stderr) != firstLine(step.Stderr) {
					t.Errorf("step %d %v stderr\n got: %q\nwant: %q", i, step.Argv, stderr, step.Stderr)
				}
			}
		})
	}
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// sameTOMLSyntaxMessage: the TOML parser's own words are matched by prefix
// (conformance/README.md, "Messages"), so an equal prefix counts as equal.
func sameTOMLSyntaxMessage(got, want any) {
	const prefix = "not a valid TOML file"
	g, ok1 := got.(map[string]any)
	w, ok2 := want.(map[string]any)
	if !ok1 || !ok2 {
		return
	}
	gm, _ := g["message"].(string)
	wm, _ := w["message"].(string)
	if strings.HasPrefix(wm, prefix) && strings.HasPrefix(gm, prefix) {
		g["message"] = wm
	}
}
