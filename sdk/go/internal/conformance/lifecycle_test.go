package conformance

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

type policyJSON struct {
	Name      string `json:"name"`
	Reminders []struct {
		DaysBefore int       `json:"days_before"`
		Level      string    `json:"level"`
		Dismissal  string    `json:"dismissal"`
		Notify     *[]string `json:"notify"`
	} `json:"reminders"`
	GraceDays         int       `json:"grace_days"`
	GraceMode         string    `json:"grace_mode"`
	LockAction        string    `json:"lock_action"`
	ExpiryNotify      *[]string `json:"expiry_notify"`
	LockNotify        *[]string `json:"lock_notify"`
	FromLicensePolicy *struct {
		Preset       string   `json:"preset"`
		Name         string   `json:"name"`
		GraceDays    int      `json:"grace_days"`
		GraceMode    string   `json:"grace_mode"`
		LockAction   string   `json:"lock_action"`
		ExpiryNotify []string `json:"expiry_notify"`
		LockNotify   []string `json:"lock_notify"`
		Reminders    []struct {
			DaysBefore int      `json:"days_before"`
			Banner     string   `json:"banner"`
			Dismissal  string   `json:"dismissal"`
			Notify     []string `json:"notify"`
		} `json:"reminders"`
	} `json:"from_license_policy"`
	Stages []stageJSON `json:"stages"`
}

type stageJSON struct {
	ID            string   `json:"id"`
	OffsetSeconds int64    `json:"offset_seconds"`
	Phase         string   `json:"phase"`
	Level         string   `json:"level"`
	Dismissal     string   `json:"dismissal"`
	Notice        bool     `json:"notice"`
	Recipients    []string `json:"recipients"`
}

func recipients(names []string) []lifecycle.Recipient {
	out := []lifecycle.Recipient{}
	for _, n := range names {
		out = append(out, lifecycle.Recipient(n))
	}
	return out
}

func (p policyJSON) build() (*lifecycle.Policy, error) {
	if f := p.FromLicensePolicy; f != nil && f.Preset != "" {
		return lifecycle.ForLicense(license.Policy{Preset: f.Preset, GraceDays: f.GraceDays, GraceMode: license.GraceMode(f.GraceMode)})
	} else if f != nil {
		rules := &license.PolicyRules{Name: f.Name, LockAction: f.LockAction, ExpiryNotify: f.ExpiryNotify, LockNotify: f.LockNotify}
		for _, r := range f.Reminders {
			rules.Reminders = append(rules.Reminders, license.PolicyReminder{DaysBefore: r.DaysBefore, Banner: r.Banner, Dismissal: r.Dismissal, Notify: r.Notify})
		}
		if err := rules.Validate(); err != nil {
			return nil, err
		}
		return lifecycle.ForLicense(license.Policy{Preset: f.Name, GraceDays: f.GraceDays, GraceMode: license.GraceMode(f.GraceMode), Rules: rules})
	}
	var rs []lifecycle.Reminder
	for _, r := range p.Reminders {
		rm := lifecycle.Reminder{DaysBefore: r.DaysBefore, Level: lifecycle.BannerLevel(r.Level), Dismissal: lifecycle.Dismissal(r.Dismissal)}
		if r.Notify != nil {
			rm.Recipients = recipients(*r.Notify)
		}
		rs = append(rs, rm)
	}
	var opts []lifecycle.PolicyOption
	if p.ExpiryNotify != nil {
		opts = append(opts, lifecycle.ExpiryNotify(recipients(*p.ExpiryNotify)...), lifecycle.LockNotify(recipients(*p.LockNotify)...))
	}
	return lifecycle.NewPolicy(p.Name, rs, p.GraceDays, license.GraceMode(p.GraceMode), lifecycle.LockAction(p.LockAction), opts...)
}

func stagesOf(p *lifecycle.Policy) []stageJSON {
	var out []stageJSON
	for _, s := range p.Stages() {
		names := []string{}
		for _, r := range s.Recipients {
			names = append(names, string(r))
		}
		out = append(out, stageJSON{s.ID, int64(s.Offset / time.Second), string(s.Phase), string(s.Level), string(s.Dismissal), s.Notice, names})
	}
	return out
}

type lifecycleFile struct {
	Policies          map[string]policyJSON `json:"policies"`
	ZoneAbbreviations []struct {
		Zone, At, Abbreviation string
	} `json:"zone_abbreviations"`
	Standing []struct {
		Name, Policy, Zone string
		NotBefore          string `json:"not_before"`
		ExpiresAt          string `json:"expires_at"`
		At                 string `json:"at"`
		Expected           struct {
			Phase           string  `json:"phase"`
			Stage           *string `json:"stage"`
			Mode            string  `json:"mode"`
			DaysUntilExpiry int64   `json:"days_until_expiry"`
			DaysUntilLock   int64   `json:"days_until_lock"`
			Banner          struct {
				Level, Dismissal, Text string
			} `json:"banner"`
			ExpiresAt        string  `json:"expires_at"`
			LocksAt          string  `json:"locks_at"`
			NextChangeAt     *string `json:"next_change_at"`
			NextTransitionAt *string `json:"next_transition_at"`
		} `json:"expected"`
	} `json:"standing"`
	NoticeDue []struct {
		Name, Policy string
		ExpiresAt    string  `json:"expires_at"`
		LastNotified *string `json:"last_notified"`
		At           string  `json:"at"`
		Expected     struct {
			Stage *string `json:"stage"`
			Error *string `json:"error"`
		} `json:"expected"`
	} `json:"notice_due"`
	PolicyErrors []struct {
		Name     string     `json:"name"`
		Policy   policyJSON `json:"policy"`
		Expected struct {
			Error  *string     `json:"error"`
			Policy *policyJSON `json:"policy"`
		} `json:"expected"`
	} `json:"policy_errors"`
}

func instant(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func isoOrNil(t *time.Time) string {
	if t == nil {
		return "<nil>"
	}
	return license.FormatInstant(*t)
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}

func TestLifecycleVectors(t *testing.T) {
	var file lifecycleFile
	load(t, "lifecycle.json", &file)
	policies := map[string]*lifecycle.Policy{}
	t.Run("policies", func(t *testing.T) {
		for name, p := range file.Policies {
			built, err := p.build()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got, want := fmt.Sprint(stagesOf(built)), fmt.Sprint(p.Stages); got != want {
				t.Errorf("%s stages\n got: %s\nwant: %s", name, got, want)
			}
			policies[name] = built
		}
	})
	t.Run("zone_abbreviations", func(t *testing.T) {
		for _, z := range file.ZoneAbbreviations {
			zone, err := lifecycle.ParseZone(z.Zone)
			if err != nil {
				t.Fatal(err)
			}
			if got := lifecycle.ZoneName(instant(t, z.At).In(zone)); got != z.Abbreviation {
				t.Errorf("%s at %s: %s, want %s", z.Zone, z.At, got, z.Abbreviation)
			}
		}
	})
	if len(file.Standing) == 0 || len(file.NoticeDue) == 0 {
		t.Fatal("no lifecycle vectors")
	}
	t.Run("standing", func(t *testing.T) {
		for _, c := range file.Standing {
			zone, err := lifecycle.ParseZone(c.Zone)
			if err != nil {
				t.Fatalf("%s: %v", c.Name, err)
			}
			s := lifecycle.Evaluate(instant(t, c.NotBefore), instant(t, c.ExpiresAt), instant(t, c.At), policies[c.Policy], zone)
			e := c.Expected
			got := fmt.Sprint(s.Phase, s.StageID(), s.Mode, s.DaysUntilExpiry, s.DaysUntilLock, s.Banner.Level, s.Banner.Dismissal,
				license.FormatInstant(s.ExpiresAt), license.FormatInstant(s.LocksAt), isoOrNil(s.NextChangeAt), isoOrNil(s.NextTransitionAt))
			stage := ""
			if e.Stage != nil {
				stage = *e.Stage
			}
			want := fmt.Sprint(e.Phase, stage, e.Mode, e.DaysUntilExpiry, e.DaysUntilLock, e.Banner.Level, e.Banner.Dismissal,
				e.ExpiresAt, e.LocksAt, deref(e.NextChangeAt), deref(e.NextTransitionAt))
			if got != want {
				t.Errorf("%s\n got: %s\nwant: %s", c.Name, got, want)
			}
			if s.Banner.Text != e.Banner.Text {
				t.Errorf("%s text\n got: %q\nwant: %q", c.Name, s.Banner.Text, e.Banner.Text)
			}
		}
	})
	t.Run("notice_due", func(t *testing.T) {
		for _, c := range file.NoticeDue {
			due, err := lifecycle.NoticeDue(policies[c.Policy], instant(t, c.ExpiresAt), deref2(c.LastNotified), instant(t, c.At))
			if c.Expected.Error != nil {
				if err == nil || err.Error() != *c.Expected.Error || !errors.Is(err, lifecycle.ErrPolicy) {
					t.Errorf("%s: error %v, want %q", c.Name, err, *c.Expected.Error)
				}
				continue
			}
			got := "<nil>"
			if err != nil {
				got = "error " + err.Error()
			} else if due != nil {
				got = due.ID
			}
			if got != deref(c.Expected.Stage) {
				t.Errorf("%s: %s, want %s", c.Name, got, deref(c.Expected.Stage))
			}
		}
	})
	t.Run("policy_errors", func(t *testing.T) {
		for _, c := range file.PolicyErrors {
			built, err := c.Policy.build()
			switch {
			case c.Expected.Error != nil && (err == nil || err.Error() != *c.Expected.Error):
				t.Errorf("%s: %v, want %q", c.Name, err, *c.Expected.Error)
			case c.Expected.Error == nil && err != nil:
				t.Errorf("%s: refused: %v", c.Name, err)
			case c.Expected.Error == nil && c.Expected.Policy != nil && fmt.Sprint(stagesOf(built)) != fmt.Sprint(c.Expected.Policy.Stages):
				t.Errorf("%s: stages %v, want %v", c.Name, stagesOf(built), c.Expected.Policy.Stages)
			}
		}
	})
}

func deref2(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
