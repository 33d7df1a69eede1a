// Package store keeps the client's files in its state directory: atomic
// writes, the HMAC-signed state file with its lock, and the history of
// installed license files.
package store

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
)

// TempMark is the infix of temporary files; DeleteTemporaryFiles removes crash leftovers.
const TempMark = ".tmp-"

// WriteAtomic replaces target so that a crash at any moment leaves either the
// old content or the new: write a temporary file in the same directory, sync
// it, rename it over the target, then sync the directory so the rename lasts.
// ownerOnly creates the file 0600 from the start.
func WriteAtomic(target string, data []byte, ownerOnly bool) (err error) {
	dir := filepath.Dir(target)
	suffix := make([]byte, 8)
	if _, err := rand.Read(suffix); err != nil {
		return err
	}
	temp := filepath.Join(dir, "."+filepath.Base(target)+TempMark+hex.EncodeToString(suffix))
	perm := os.FileMode(0o644)
	if ownerOnly {
		perm = 0o600
	}
	f, err := os.OpenFile(temp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(temp)
		}
	}()
	if _, err = f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(temp, target); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

// syncDir makes a rename durable; where a directory cannot be synced there is
// only the file system's journal, so failure is ignored.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// DeleteTemporaryFiles removes temporary files a crash left behind in dir.
func DeleteTemporaryFiles(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.Contains(e.Name(), TempMark) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	return nil
}
