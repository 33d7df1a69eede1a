package lifecycle_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"keyturn.dev/go/internal/testlicense"
	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

// A license signed with a whole custom policy (format 2) reads back to the same
// policy, and the product follows it through read-only grace to the lock.
func TestCustomPolicyRoundTripsThroughAFormat2File(t *testing.T) {
	vendor := testlicense.New("2026-a")
	lic := vendor.Base(notBefore, 365)
	lic.Policy = license.Policy{Preset: "partner", GraceDays: 90, GraceMode: license.GraceReadOnly, Rules: &license.PolicyRules{
		Name: "partner", LockAction: "lock",
		Reminders: []license.PolicyReminder{
			{DaysBefore: 30, Banner: "info", Dismissal: "until-next-stage", Notify: []string{"customer"}},
			{DaysBefore: 15, Banner: "warning", Dismissal: "for-24h", Notify: []string{"account-team", "webhook"}},
		},
		ExpiryNotify: []string{"customer", "support"}, LockNotify: []string{},
	}}
	text := vendor.Sign(lic)
	if !strings.Contains(string(text), "format = 2\n") || !strings.Contains(string(text), "[[license.policy.reminders]]\ndays_before = 30\n") {
		t.Fatalf("not written as format 2 with reminder sections:\n%s", text)
	}
	v := license.NewVerifier(vendor.Ring).Verify(text, notBefore.Add(day), "")
	if v.Code != license.Valid {
		t.Fatalf("verify: %s %s", v.Code, v.Message)
	}
	policy, err := lifecycle.ForLicense(v.License.License.Policy)
	if err != nil {
		t.Fatal(err)
	}
	d15, _ := policy.Stage("D-15")
	if !reflect.DeepEqual(d15.Recipients, []lifecycle.Recipient{lifecycle.AccountTeam, lifecycle.Webhook}) {
		t.Errorf("D-15 tells %v", d15.Recipients)
	}
	if lock, _ := policy.Stage(lifecycle.StageLock); lock.Notice {
		t.Errorf("the lock tells %v, want nobody", lock.Recipients)
	}
	expires := v.License.License.ExpiresAt
	if s := lifecycle.Evaluate(v.License.License.NotBefore, expires, expires.Add(89*day), policy, time.UTC); s.Mode != lifecycle.ModeReadOnly {
		t.Errorf("mode in grace %s", s.Mode)
	}
	if s := lifecycle.Evaluate(v.License.License.NotBefore, expires, expires.Add(90*day), policy, time.UTC); s.Phase != lifecycle.PhaseLocked {
		t.Errorf("phase after grace %s", s.Phase)
	}
}
