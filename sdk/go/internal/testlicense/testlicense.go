// Package testlicense issues real signed licenses for the SDK's tests: a
// vendor key made per test, licenses signed with it as the server would.
package testlicense

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"keyturn.dev/go/license"
)

// Vendor is a signing key and the ring that trusts it.
type Vendor struct {
	KeyID string
	Key   ed25519.PrivateKey
	Ring  *license.KeyRing
	n     atomic.Int64
}

// New makes a vendor with a fresh key.
func New(keyID string) *Vendor {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		panic(err)
	}
	ring := license.NewKeyRing()
	if err := ring.Add(keyID, pub); err != nil {
		panic(err)
	}
	return &Vendor{KeyID: keyID, Key: priv, Ring: ring}
}

// WritePublicKey writes <dir>/<id>.public.pem and returns its path.
func (v *Vendor) WritePublicKey(dir string) string {
	der, err := x509.MarshalPKIXPublicKey(v.Key.Public())
	if err != nil {
		panic(err)
	}
	path := filepath.Join(dir, v.KeyID+".public.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o644); err != nil {
		panic(err)
	}
	return path
}

// Base is a license valid [notBefore, notBefore+days) with the appliance preset.
func (v *Vendor) Base(notBefore time.Time, days int) license.License {
	return license.License{
		ID: fmt.Sprintf("lic_test_%04d", v.n.Add(1)), SubscriptionID: "sub_test", Customer: "Acme Corp", Tier: "medium",
		Seats: 25, Features: []string{"sso", "notes"}, Tags: []string{}, Limits: map[string]int64{"users": 25},
		IssuedAt: notBefore, NotBefore: notBefore, ExpiresAt: notBefore.Add(time.Duration(days) * 24 * time.Hour),
		Policy: license.Policy{Preset: "appliance", GraceDays: 60, GraceMode: license.GraceFull},
	}
}

// Sign signs l and returns the file text.
func (v *Vendor) Sign(l license.License) []byte {
	s, err := license.Sign(l, v.KeyID, v.Key)
	if err != nil {
		panic(err)
	}
	return []byte(s.TOML())
}
