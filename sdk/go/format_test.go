package keyturn_test

import (
	"bytes"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSourcesAreGofmted keeps the SDK and the example formatted as gofmt
// writes them (vendored code excepted), so CI catches what an editor missed.
func TestSourcesAreGofmted(t *testing.T) {
	for _, root := range []string{".", filepath.Join("..", "..", "examples", "go-app")} {
		filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && (d.Name() == "vendor" || d.Name() == "target") {
				return filepath.SkipDir
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") {
				return nil
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			formatted, err := format.Source(src)
			if err != nil {
				t.Errorf("%s: %v", path, err)
			} else if !bytes.Equal(src, formatted) {
				t.Errorf("%s is not gofmt-formatted: run gofmt -w %s", path, path)
			}
			return nil
		})
	}
}
