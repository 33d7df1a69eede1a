package store

import (
	"os"
	"path/filepath"
	"sort"
	"strings"

	"keyturn.dev/go/license"
)

// License history layout: every file ever installed, exactly as the vendor sent
// it, named by the SHA-256 of its signature, so installing twice is a no-op and
// nothing is ever overwritten or deleted.
const (
	LicensesDir   = "licenses"
	LicenseSuffix = ".license.toml"
)

// LicenseFiles is the licenses/ folder of a state directory.
type LicenseFiles struct {
	Dir string
}

// Stored is a stored file, not yet verified.
type Stored struct {
	Hash string
	Path string
	Text []byte
}

// NewLicenseFiles is the licenses/ folder under stateDir.
func NewLicenseFiles(stateDir string) LicenseFiles {
	return LicenseFiles{Dir: filepath.Join(stateDir, LicensesDir)}
}

// Create makes the folder and removes crash leftovers.
func (l LicenseFiles) Create() error {
	if err := os.MkdirAll(l.Dir, 0o755); err != nil {
		return err
	}
	return DeleteTemporaryFiles(l.Dir)
}

// Write stores a verified license text under its hash.
func (l LicenseFiles) Write(hash string, text []byte) error {
	return WriteAtomic(filepath.Join(l.Dir, hash+LicenseSuffix), text, false)
}

// List returns the stored files in name order; an unreadable one has empty text.
func (l LicenseFiles) List() ([]Stored, error) {
	names, err := l.names()
	if err != nil {
		return nil, err
	}
	out := make([]Stored, 0, len(names))
	for _, name := range names {
		path := filepath.Join(l.Dir, name)
		text, err := license.ReadBounded(path, license.DefaultLimits.MaxFileBytes)
		if err != nil {
			text = nil
		}
		out = append(out, Stored{Hash: strings.TrimSuffix(name, LicenseSuffix), Path: path, Text: text})
	}
	return out, nil
}

// Fingerprint is a cheap summary of the folder, compared to notice a license
// another process (keyturn install) added.
func (l LicenseFiles) Fingerprint() string {
	names, err := l.names()
	if err != nil {
		return ""
	}
	return strings.Join(names, "/")
}

func (l LicenseFiles) names() ([]string, error) {
	entries, err := os.ReadDir(l.Dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if strings.HasSuffix(n, LicenseSuffix) && !strings.HasPrefix(n, ".") && !e.IsDir() {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names, nil
}
