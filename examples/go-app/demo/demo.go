// Package demo is the example's demo mode: a vendor key made on the spot, a
// license that expires in 31 days, and a clock the person trying the demo
// moves forward through the stages. It also serves the conformance
// test-control contract (/demo/clock, /demo/license).
package demo

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"keyturn.dev/go/client"
	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

// Demo constants, as in the Java appliance demo.
const (
	KeyID        = "demo"
	FirstLicense = 31 * 24 * time.Hour
	Renewal      = 365 * 24 * time.Hour
	Customer     = "Demo Customer Inc."
)

// Demo issues licenses with its own vendor key and moves its clock.
type Demo struct {
	Clock  *client.SettableClock
	Keys   *license.KeyRing
	preset *lifecycle.Policy
	key    ed25519.PrivateKey

	mu       sync.Mutex
	issued   int
	licenses *client.Manager
}

// New writes a fresh vendor key pair to keysDir (so the keyturn CLIs can
// issue and verify for this demo too) and starts the demo clock at start.
func New(start time.Time, keysDir, preset string) (*Demo, error) {
	p, ok := lifecycle.Preset(preset)
	if !ok {
		return nil, fmt.Errorf("preset must be appliance or subscription, was '%s'", preset)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(keysDir, 0o755); err != nil {
		return nil, err
	}
	der, _ := x509.MarshalPKCS8PrivateKey(priv)
	if err := os.WriteFile(filepath.Join(keysDir, KeyID+".private.pem"), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		return nil, err
	}
	pubDER, _ := x509.MarshalPKIXPublicKey(pub)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	if err := os.WriteFile(filepath.Join(keysDir, KeyID+".public.pem"), pubPEM, 0o644); err != nil {
		return nil, err
	}
	ring := license.NewKeyRing()
	if err := ring.Add(KeyID, pub); err != nil {
		return nil, err
	}
	return &Demo{Clock: client.NewSettableClock(start), Keys: ring, preset: p, key: priv}, nil
}

// Preset is the policy the demo's licenses carry.
func (d *Demo) Preset() string { return d.preset.Name() }

// Attach installs the first license unless one is in force already.
func (d *Demo) Attach(m *client.Manager) error {
	d.licenses = m
	if m.Standing().License != nil {
		return nil
	}
	r, err := m.Install([]byte(d.FirstLicense()))
	if err != nil {
		return err
	}
	return r.Err()
}

// FirstLicense started yesterday and expires 31 days from now.
func (d *Demo) FirstLicense() string {
	now := d.Clock.Now()
	return d.sign(now.Add(-24*time.Hour), now.Add(FirstLicense))
}

// Renewal is valid for a year from now, as the vendor would send it.
func (d *Demo) Renewal() string {
	now := d.Clock.Now()
	return d.sign(now.Add(-time.Hour), now.Add(Renewal))
}

// TamperedRenewal has the customer's name changed after signing.
func (d *Demo) TamperedRenewal() string {
	return strings.Replace(d.Renewal(), `customer = "`+Customer+`"`, `customer = "Someone Else"`, 1)
}

func (d *Demo) sign(notBefore, expiresAt time.Time) string {
	d.mu.Lock()
	d.issued++
	n := d.issued
	d.mu.Unlock()
	signed, err := license.Sign(license.License{
		ID: fmt.Sprintf("lic_demo_%04d", n), SubscriptionID: "sub_demo_0001", Customer: Customer, Tier: "standard",
		Seats: 25, Features: []string{"notes"}, Limits: map[string]int64{"users": 25},
		IssuedAt: d.Clock.Now(), NotBefore: notBefore, ExpiresAt: expiresAt,
		Policy: license.Policy{Preset: d.preset.Name(), GraceDays: d.preset.GraceDays(), GraceMode: d.preset.GraceMode()},
	}, KeyID, d.key)
	if err != nil {
		panic(err) // the demo's own fields are always valid
	}
	return signed.TOML()
}

// AdvanceDays lets days pass (1 to 800 at a time).
func (d *Demo) AdvanceDays(days int) error {
	if days < 1 || days > 800 {
		return fmt.Errorf("move the clock 1 to 800 days at a time, not %d", days)
	}
	d.Advance(time.Duration(days) * 24 * time.Hour)
	return nil
}

// Advance lets time pass.
func (d *Demo) Advance(dur time.Duration) {
	d.Clock.Advance(dur)
	d.licenses.Refresh()
}

// TurnBack sets the clock back, as someone hoping to stretch the license would.
func (d *Demo) TurnBack(dur time.Duration) {
	d.Clock.Set(d.Clock.Now().Add(-dur))
	d.licenses.Refresh()
}

// Milestone is a stage of the license in force that lies ahead.
type Milestone struct {
	ID, Label string
	StartsAt  time.Time
}

// Milestones are the stages still ahead, in order.
func (d *Demo) Milestones() []Milestone {
	s := d.licenses.Standing()
	if s.License == nil {
		return nil
	}
	p, err := lifecycle.ForLicense(s.License.Policy)
	if err != nil {
		return nil
	}
	var out []Milestone
	for _, st := range p.Stages() {
		if at := st.StartsAt(s.License.ExpiresAt); at.After(s.EvaluatedAt) {
			label := st.ID
			switch st.ID {
			case lifecycle.StageExpiry:
				label = "Expiry"
			case lifecycle.StageLock:
				label = "Lock"
			}
			out = append(out, Milestone{st.ID, label, at})
		}
	}
	return out
}

// JumpTo moves just past the start of stage id (a minute in, so it has surely begun).
func (d *Demo) JumpTo(id string) error {
	for _, m := range d.Milestones() {
		if m.ID == id {
			d.Advance(m.StartsAt.Sub(d.Clock.Now()) + time.Minute)
			return nil
		}
	}
	return fmt.Errorf("stage %s is not ahead any more", id)
}
