package lifecycle_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

var (
	notBefore = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
	expiresAt = time.Date(2027, 11, 22, 0, 0, 0, 0, time.UTC)
	day       = 24 * time.Hour
)

func TestApplianceStages(t *testing.T) {
	tests := []struct {
		at        time.Time
		phase     lifecycle.Phase
		stage     string
		mode      lifecycle.Mode
		level     lifecycle.BannerLevel
		dismissal lifecycle.Dismissal
		days      int64
	}{
		{notBefore.Add(-time.Second), lifecycle.PhaseNotYetValid, "", lifecycle.ModeLocked, lifecycle.BannerLock, lifecycle.DismissNotDismissible, 366},
		{expiresAt.Add(-30*day - time.Second), lifecycle.PhaseActive, "", lifecycle.ModeFull, lifecycle.BannerNone, lifecycle.DismissNone, 31},
		{expiresAt.Add(-30 * day), lifecycle.PhaseExpiring, "D-30", lifecycle.ModeFull, lifecycle.BannerInfo, lifecycle.DismissUntilNextStage, 30},
		{expiresAt.Add(-29*day - time.Second), lifecycle.PhaseExpiring, "D-30", lifecycle.ModeFull, lifecycle.BannerInfo, lifecycle.DismissUntilNextStage, 30},
		{expiresAt.Add(-15 * day), lifecycle.PhaseExpiring, "D-15", lifecycle.ModeFull, lifecycle.BannerWarning, lifecycle.DismissFor24h, 15},
		{expiresAt.Add(-7 * day), lifecycle.PhaseExpiring, "D-7", lifecycle.ModeFull, lifecycle.BannerWarning, lifecycle.DismissToPill, 7},
		{expiresAt.Add(-time.Hour), lifecycle.PhaseExpiring, "D-1", lifecycle.ModeFull, lifecycle.BannerDanger, lifecycle.DismissNotDismissible, 1},
		{expiresAt, lifecycle.PhaseGrace, "EXPIRY", lifecycle.ModeFull, lifecycle.BannerDanger, lifecycle.DismissNotDismissible, 0},
		{expiresAt.Add(60 * day), lifecycle.PhaseLocked, "LOCK", lifecycle.ModeLocked, lifecycle.BannerLock, lifecycle.DismissNotDismissible, 0},
	}
	for _, tt := range tests {
		s := lifecycle.Evaluate(notBefore, expiresAt, tt.at, lifecycle.Appliance, time.UTC)
		if s.Phase != tt.phase || s.StageID() != tt.stage || s.Mode != tt.mode || s.Banner.Level != tt.level ||
			s.Banner.Dismissal != tt.dismissal || s.DaysUntilExpiry != tt.days {
			t.Errorf("at %s: %s %q %s %s %s %d; want %s %q %s %s %s %d", tt.at, s.Phase, s.StageID(), s.Mode, s.Banner.Level,
				s.Banner.Dismissal, s.DaysUntilExpiry, tt.phase, tt.stage, tt.mode, tt.level, tt.dismissal, tt.days)
		}
	}
}

func TestSubscriptionGraceIsReadOnlyThenSuspended(t *testing.T) {
	s := lifecycle.Evaluate(notBefore, expiresAt, expiresAt.Add(day), lifecycle.Subscription, time.UTC)
	if s.Mode != lifecycle.ModeReadOnly || s.DaysUntilLock != 6 {
		t.Fatalf("%s %d", s.Mode, s.DaysUntilLock)
	}
	want := "Your license expired on 22 Nov 2027, 00:00 UTC. The product is read-only: 6 days remaining before suspension. Renew to resume full use."
	if s.Banner.Text != want {
		t.Fatalf("text %q", s.Banner.Text)
	}
	if locked := lifecycle.Evaluate(notBefore, expiresAt, expiresAt.Add(7*day), lifecycle.Subscription, time.UTC); locked.Mode != lifecycle.ModeLocked ||
		!strings.Contains(locked.Banner.Text, "the product is suspended") {
		t.Fatalf("%s %q", locked.Mode, locked.Banner.Text)
	}
}

func TestLastDayFollowsTheViewersCalendar(t *testing.T) {
	saoPaulo, err := lifecycle.ParseZone("America/Sao_Paulo")
	if err != nil {
		t.Fatal(err)
	}
	// 22 Nov 00:00 UTC is 21 Nov 21:00 in São Paulo: on 21 Nov at noon there it expires "today".
	at := expiresAt.Add(-9 * time.Hour)
	s := lifecycle.Evaluate(notBefore, expiresAt, at, lifecycle.Appliance, saoPaulo)
	if want := "Your license expires today at 21:00 BRT. Renew it now to keep working without interruption."; s.Banner.Text != want {
		t.Fatalf("text %q", s.Banner.Text)
	}
	if u := lifecycle.Evaluate(notBefore, expiresAt, at, lifecycle.Appliance, time.UTC); !strings.Contains(u.Banner.Text, "today at 00:00 UTC") &&
		!strings.Contains(u.Banner.Text, "tomorrow at 00:00 UTC") {
		t.Fatalf("text %q", u.Banner.Text)
	}
	// The next change in the last day is the viewer's midnight, when "tomorrow" becomes "today".
	early := expiresAt.Add(-20 * time.Hour) // 21 Nov 04:00 UTC = 21 Nov 01:00 BRT
	next := lifecycle.Evaluate(notBefore, expiresAt, early, lifecycle.Appliance, time.UTC).NextChangeAt
	if want := time.Date(2027, 11, 22, 0, 0, 0, 0, time.UTC); next == nil || !next.Equal(want) {
		t.Fatalf("next change %v, want %s", next, want)
	}
}

func TestNoticeDueSendsOnlyTheMostUrgentAfterDowntime(t *testing.T) {
	tests := []struct {
		name, last string
		at         time.Time
		want       string
	}{
		{"nothing crossed", "", expiresAt.Add(-31 * day), ""},
		{"D-30 crossed", "", expiresAt.Add(-30 * day), "D-30"},
		{"already sent", "D-30", expiresAt.Add(-20 * day), ""},
		{"down across D-15 and D-7", "D-30", expiresAt.Add(-6 * day), "D-7"},
		{"a stage of an earlier policy", "D-10", expiresAt.Add(-7 * day), "D-7"},
		{"grace over", "EXPIRY", expiresAt.Add(61 * day), "LOCK"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			due, err := lifecycle.NoticeDue(lifecycle.Appliance, expiresAt, tt.last, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			got := ""
			if due != nil {
				got = due.ID
			}
			if got != tt.want {
				t.Fatalf("due %q, want %q", got, tt.want)
			}
		})
	}
	if _, err := lifecycle.NoticeDue(lifecycle.Appliance, expiresAt, "SOMETHING", expiresAt); !errors.Is(err, lifecycle.ErrPolicy) {
		t.Fatalf("an unknown stage: %v", err)
	}
}

func TestPoliciesOnlyGrowMoreInsistent(t *testing.T) {
	_, err := lifecycle.NewPolicy("custom", []lifecycle.Reminder{
		{DaysBefore: 10, Level: lifecycle.BannerWarning, Dismissal: lifecycle.DismissFor24h},
		{DaysBefore: 5, Level: lifecycle.BannerInfo, Dismissal: lifecycle.DismissFor24h},
	}, 10, license.GraceFull, lifecycle.Lock)
	if !errors.Is(err, lifecycle.ErrPolicy) {
		t.Fatalf("a quieter later reminder was accepted: %v", err)
	}
	p, err := lifecycle.NewPolicy("custom", []lifecycle.Reminder{
		{DaysBefore: 3, Level: lifecycle.BannerDanger, Dismissal: lifecycle.DismissNotDismissible},
		{DaysBefore: 14, Level: lifecycle.BannerInfo, Dismissal: lifecycle.DismissUntilNextStage},
	}, 0, license.GraceFull, lifecycle.Lock)
	if err != nil {
		t.Fatal(err)
	}
	// With no grace, LOCK starts with EXPIRY and wins.
	if s := lifecycle.Evaluate(notBefore, expiresAt, expiresAt, p, time.UTC); s.Phase != lifecycle.PhaseLocked {
		t.Fatalf("phase %s", s.Phase)
	}
}
