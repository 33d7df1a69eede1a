package license

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

const (
	publicSuffix = ".public.pem"
	maxPEMBytes  = 16 * 1024
)

var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ErrKey is wrapped by every error about key files and key ids.
var ErrKey = errors.New("key error")

func keyError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrKey, fmt.Sprintf(format, args...))
}

// KeyRing is the set of public keys a verifier trusts, by key id. After a
// rotation keep the old keys in it: licenses signed before keep verifying.
type KeyRing struct {
	ids  []string // insertion order, for messages
	keys map[string]ed25519.PublicKey
}

// NewKeyRing returns an empty ring.
func NewKeyRing() *KeyRing {
	return &KeyRing{keys: map[string]ed25519.PublicKey{}}
}

// Add trusts key under id.
func (r *KeyRing) Add(id string, key ed25519.PublicKey) error {
	if !keyIDPattern.MatchString(id) {
		return keyError("key id '%s' must be 1 to 64 of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or digit", id)
	}
	if previous, ok := r.keys[id]; ok {
		if !previous.Equal(key) {
			return keyError("two different public keys are both named '%s'", id)
		}
		return nil
	}
	r.ids = append(r.ids, id)
	r.keys[id] = key
	return nil
}

// AddPEM trusts the PEM public key (X.509 SubjectPublicKeyInfo, as OpenSSL writes it) under id.
func (r *KeyRing) AddPEM(id string, pemText []byte) error {
	key, err := ParsePublicKey(pemText)
	if err != nil {
		return err
	}
	return r.Add(id, key)
}

// AddPath trusts <id>.public.pem (or <id>.pem), or every *.public.pem in a folder.
func (r *KeyRing) AddPath(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return keyError("no such key file or folder: %s", path)
	}
	if !info.IsDir() {
		return r.addFile(path)
	}
	matches, err := filepath.Glob(filepath.Join(path, "*"+publicSuffix))
	if err != nil {
		return keyError("cannot list %s: %v", path, err)
	}
	if len(matches) == 0 {
		return keyError("no *%s files in %s", publicSuffix, path)
	}
	sort.Strings(matches)
	for _, m := range matches {
		if err := r.addFile(m); err != nil {
			return err
		}
	}
	return nil
}

func (r *KeyRing) addFile(file string) error {
	name := filepath.Base(file)
	id := name
	switch {
	case strings.HasSuffix(name, publicSuffix):
		id = strings.TrimSuffix(name, publicSuffix)
	case strings.HasSuffix(name, ".pem"):
		id = strings.TrimSuffix(name, ".pem")
	}
	data, err := ReadBounded(file, maxPEMBytes)
	if err != nil {
		return keyError("%s: cannot read key file: %v", file, err)
	}
	if len(data) > maxPEMBytes {
		return keyError("%s: larger than %d bytes; not a key file", file, maxPEMBytes)
	}
	key, err := ParsePublicKey(data)
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return r.Add(id, key)
}

// Find returns the key with id, if trusted.
func (r *KeyRing) Find(id string) (ed25519.PublicKey, bool) {
	k, ok := r.keys[id]
	return k, ok
}

// IDs lists the trusted key ids in the order they were added.
func (r *KeyRing) IDs() []string {
	return append([]string(nil), r.ids...)
}

// Len is the number of trusted keys.
func (r *KeyRing) Len() int {
	return len(r.ids)
}

// ParsePublicKey reads an Ed25519 public key in PEM (-----BEGIN PUBLIC KEY-----).
func ParsePublicKey(pemText []byte) (ed25519.PublicKey, error) {
	block, _ := pem.Decode(pemText)
	for block != nil && block.Type != "PUBLIC KEY" {
		if block.Type == "PRIVATE KEY" {
			return nil, keyError("this is a private key, not a public key")
		}
		block, _ = pem.Decode(nil)
	}
	if block == nil {
		return nil, keyError("no '-----BEGIN PUBLIC KEY-----' block found")
	}
	parsed, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, keyError("not an Ed25519 public key (X.509 SubjectPublicKeyInfo)")
	}
	key, ok := parsed.(ed25519.PublicKey)
	if !ok {
		return nil, keyError("not an Ed25519 public key (X.509 SubjectPublicKeyInfo)")
	}
	return key, nil
}

// ParsePrivateKey reads an Ed25519 private key in PKCS#8 PEM (-----BEGIN PRIVATE KEY-----).
func ParsePrivateKey(pemText []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(pemText)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, keyError("no '-----BEGIN PRIVATE KEY-----' block found")
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, keyError("not an Ed25519 private key (PKCS#8)")
	}
	key, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, keyError("not an Ed25519 private key (PKCS#8)")
	}
	return key, nil
}

// LoadKeyRing trusts every path given: <id>.public.pem files or folders of them.
func LoadKeyRing(paths ...string) (*KeyRing, error) {
	ring := NewKeyRing()
	for _, p := range paths {
		if err := ring.AddPath(p); err != nil {
			return nil, err
		}
	}
	if ring.Len() == 0 {
		return nil, keyError("no trusted keys given")
	}
	return ring, nil
}
