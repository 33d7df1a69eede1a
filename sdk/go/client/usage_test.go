package client_test

import (
	"strings"
	"testing"
	"time"

	"keyturn.dev/go/client"
	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

// Issue 18 in the Go client, on a settable clock in São Paulo: usage the
// product reports, the overage banner and refusals, nothing locked.
func TestOverageWarnsThenRefusesGrowthAndNeverLocks(t *testing.T) {
	f := newFixture(t)
	saoPaulo, _ := time.LoadLocation("America/Sao_Paulo")
	m := f.manager(func(o *client.Options) { o.Usage = nil; o.Zone = saoPaulo })
	lic := f.license(365, func(l *license.License) {
		l.Limits = map[string]int64{"users": 50}
		l.OveragePercent = map[string]int64{"users": 10}
	})
	if r, err := m.Install(lic); err != nil || !r.Installed() {
		t.Fatalf("install: %v %+v", err, r)
	}
	if _, err := m.ReportUsage(map[string]int64{"users": 53}); err != nil {
		t.Fatal(err)
	}
	s := m.Standing()
	if !s.Has(client.FlagUsageOverLimit) || s.Banner.Level != lifecycle.BannerWarning ||
		!strings.HasPrefix(s.Banner.Text, "users: 53 in use, above the licensed 50; the 10% overage allowance permits up to 55.") {
		t.Fatalf("standing %+v", s)
	}
	if err := m.RequireIncrease("users", 2); err != nil {
		t.Fatalf("within the allowance: %v", err)
	}
	err := m.RequireIncrease("users", 3)
	if !client.IsUsageLimit(err) || !strings.HasPrefix(err.Error(), "Adding 3 to users would bring it to 56") {
		t.Fatalf("refusal: %v", err)
	}
	f.clock.Advance(20 * 24 * time.Hour)
	if _, err := m.ReportUsage(map[string]int64{"users": 60}); err != nil {
		t.Fatal(err)
	}
	s = m.Standing()
	if !s.Has(client.FlagUsageOverAllowance) || s.Banner.Level != lifecycle.BannerDanger || m.Mode() != lifecycle.ModeFull {
		t.Fatalf("over the allowance: %+v", s)
	}
	if _, err := m.ReportUsage(map[string]int64{"users": -1}); err == nil {
		t.Fatal("negative usage was accepted")
	}
}
