package client

import (
	"fmt"
	"strings"
	"time"

	"keyturn.dev/go/client/internal/store"
	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

const dismissFor = 24 * time.Hour

// Texts of the client's own notices.
const (
	NoLicenseText      = "No license is installed. Paste the license file from your vendor to start."
	DefaultPaymentText = "Your last payment failed: update your payment details to keep the subscription active."
)

// snapshot is what the hot path reads: built once per change, never modified,
// published through one atomic pointer. Map lookups by string allocate nothing.
type snapshot struct {
	mode        lifecycle.Mode
	features    map[string]struct{}
	limits      map[string]int64
	absentLimit int64
	validUntil  *time.Time // in guarded time; nil when only an install or a check-in changes it
}

var nothing = &snapshot{mode: lifecycle.ModeLocked, features: map[string]struct{}{}, limits: map[string]int64{}}

func newSnapshot(mode lifecycle.Mode, features []string, limits map[string]int64, absent int64, until *time.Time) *snapshot {
	s := &snapshot{mode: mode, features: map[string]struct{}{}, limits: map[string]int64{}, absentLimit: absent, validUntil: until}
	if mode != lifecycle.ModeLocked { // a locked product grants no feature, whatever the license lists
		for _, f := range features {
			s.features[f] = struct{}{}
		}
	}
	for k, v := range limits {
		s.limits[k] = v
	}
	return s
}

// evaluate builds the standing and the hot-path snapshot: a pure function of
// the license in force (or the next to start), the guarded time and the state.
func evaluate(lic *license.License, nextActivation *time.Time, t guardedTime, st store.State,
	sessionFlags map[Flag]bool, zone *time.Location, usage map[string]int64) (Standing, *snapshot) {
	at := t.effective
	flags := map[Flag]bool{}
	for f := range sessionFlags {
		flags[f] = true
	}
	if t.rollback {
		flags[FlagClockRollback] = true
	}
	if lic == nil {
		flags[FlagNoLicense] = true
		notices := notices(flags, t, st, zone, nil)
		s := Standing{Phase: lifecycle.PhaseLocked, Mode: lifecycle.ModeLocked,
			Summary: summary(flags, lifecycle.PhaseLocked, nil, at, zone), Flags: ordered(flags), Notices: notices,
			Banner: BannerView{Level: lifecycle.BannerLock, Dismissal: lifecycle.DismissNotDismissible,
				Text: strings.Join(notices, " "), Display: DisplayShown},
			EvaluatedAt: at, ClockTime: t.clock, NextChangeAt: nextActivation}
		return s, newSnapshot(lifecycle.ModeLocked, nil, nil, 0, nextActivation)
	}
	policy, err := lifecycle.ForLicense(lic.Policy)
	if err != nil {
		policy = lifecycle.Appliance // the reader only accepts known presets; never reached
	}
	lc := lifecycle.Evaluate(lic.NotBefore, lic.ExpiresAt, at, policy, zone)
	_, revoked := st.Revoked[lic.ID]
	if revoked {
		flags[FlagRevoked] = true
	}
	if st.PaymentFailing != nil {
		flags[FlagPaymentFailing] = true
	}
	if st.InstanceConflict {
		flags[FlagInstanceConflict] = true
	}
	usageStanding := lifecycle.UsageStanding{Limits: []lifecycle.LimitUsage{}}
	if !revoked {
		if u, err := lifecycle.EvaluateUsage(grantOf(lic), usage); err == nil {
			usageStanding = u
		}
	}
	switch usageStanding.Level() {
	case lifecycle.UsageOverLimit:
		flags[FlagUsageOverLimit] = true
	case lifecycle.UsageOverAllowance:
		flags[FlagUsageOverAllowance] = true
	}
	notices := notices(flags, t, st, zone, lic)
	for _, l := range usageStanding.Exceeded() {
		notices = append(notices, l.Text)
	}
	phase, mode := lc.Phase, lc.Mode
	var banner BannerView
	if revoked {
		phase, mode = lifecycle.PhaseLocked, lifecycle.ModeLocked
		banner = BannerView{Level: lifecycle.BannerLock, Dismissal: lifecycle.DismissNotDismissible,
			Text: strings.Join(notices, " "), Display: DisplayShown, StageID: lc.StageID()}
	} else {
		floor := lifecycle.BannerWarning
		if usageStanding.Level() == lifecycle.UsageOverAllowance {
			floor = lifecycle.BannerDanger
		}
		banner = withNotices(lifecycleBanner(lic, lc, st, at), notices, floor)
	}
	var candidates []*time.Time
	if !revoked {
		candidates = append(candidates, lc.NextChangeAt)
	}
	if banner.Display == DisplayHidden {
		candidates = append(candidates, banner.HiddenUntil)
	}
	candidates = append(candidates, nextActivation)
	var next *time.Time
	for _, c := range candidates {
		if c != nil && (next == nil || c.Before(*next)) {
			v := *c
			next = &v
		}
	}
	s := Standing{License: lic, Lifecycle: &lc, Phase: phase, Mode: mode, Summary: summary(flags, phase, &lc, at, zone),
		DaysUntilExpiry: lc.DaysUntilExpiry, DaysUntilLock: lc.DaysUntilLock, Flags: ordered(flags), Notices: notices,
		Banner: banner, EvaluatedAt: at, ClockTime: t.clock, NextChangeAt: next, Usage: usageStanding}
	return s, newSnapshot(mode, lic.Features, allLimits(lic), Unlimited, next)
}

func ordered(flags map[Flag]bool) []Flag {
	out := []Flag{}
	for _, f := range flagOrder {
		if flags[f] {
			out = append(out, f)
		}
	}
	return out
}

// lifecycleBanner is the stage's banner after the user's dismissal of it.
func lifecycleBanner(lic *license.License, lc lifecycle.Standing, st store.State, at time.Time) BannerView {
	b := lc.Banner
	if b.Level == lifecycle.BannerNone {
		return noBanner
	}
	stageID := lc.StageID()
	view := BannerView{Level: b.Level, Dismissal: b.Dismissal, Text: b.Text, Display: DisplayShown, StageID: stageID}
	dismissedAt, dismissed := st.DismissedAt(lic.ID, stageID)
	if !dismissed {
		return view
	}
	switch b.Dismissal {
	case lifecycle.DismissUntilNextStage:
		view.Display = DisplayHidden
		view.HiddenUntil = lc.NextTransitionAt
	case lifecycle.DismissFor24h:
		if until := dismissedAt.Add(dismissFor); at.Before(until) {
			view.Display = DisplayHidden
			view.HiddenUntil = &until
		}
	case lifecycle.DismissToPill:
		view.Display = DisplayPill
		view.PillText = pillText(lc.DaysUntilExpiry)
	}
	return view
}

// withNotices: flags speak over the stage banner, and cannot be dismissed.
func withNotices(b BannerView, notices []string, floor lifecycle.BannerLevel) BannerView {
	if len(notices) == 0 {
		return b
	}
	level := b.Level
	if !level.AtLeast(floor) {
		level = floor
	}
	text := strings.Join(notices, " ")
	if b.Text != "" {
		text += " " + b.Text
	}
	return BannerView{Level: level, Dismissal: lifecycle.DismissNotDismissible, Text: text, Display: DisplayShown, StageID: b.StageID}
}

func notices(flags map[Flag]bool, t guardedTime, st store.State, zone *time.Location, lic *license.License) []string {
	out := []string{}
	if flags[FlagNoLicense] {
		out = append(out, NoLicenseText)
	}
	if flags[FlagRevoked] {
		id := ""
		if lic != nil {
			id = lic.ID
		}
		reason, ok := st.Revoked[id]
		if !ok {
			reason = "no reason given"
		}
		out = append(out, "The vendor revoked license "+id+" ("+reason+
			"). Paste a new license to continue; none of your data has been touched.")
	}
	if flags[FlagClockRollback] {
		out = append(out, "The system clock says "+lifecycle.DateTime(t.clock, zone)+", "+humanize(t.behind)+
			" behind the latest time this product has seen ("+lifecycle.DateTime(t.effective, zone)+
			"). Licensing continues from that time; please correct the system clock.")
	}
	if flags[FlagPaymentFailing] {
		msg := DefaultPaymentText
		if st.PaymentFailing != nil {
			msg = *st.PaymentFailing
		}
		out = append(out, msg)
	}
	if flags[FlagInstanceConflict] {
		out = append(out, "The vendor's server reports that another installation uses this license;"+
			" contact your vendor if that is unexpected.")
	}
	return out
}

func summary(flags map[Flag]bool, phase lifecycle.Phase, lc *lifecycle.Standing, at time.Time, zone *time.Location) string {
	var base string
	switch {
	case flags[FlagNoLicense]:
		base = "no license"
	case flags[FlagRevoked]:
		base = "locked: license revoked"
	default:
		switch phase {
		case lifecycle.PhaseNotYetValid:
			base = "not yet valid"
		case lifecycle.PhaseActive:
			base = "active"
		case lifecycle.PhaseExpiring:
			if lc.DaysUntilExpiry > 1 {
				base = "expires in " + days(lc.DaysUntilExpiry)
			} else if lifecycle.SameDay(lc.ExpiresAt, at, zone) {
				base = "expires today"
			} else {
				base = "expires tomorrow"
			}
		case lifecycle.PhaseGrace:
			base = "grace: " + days(lc.DaysUntilLock) + " before lock"
		case lifecycle.PhaseLocked:
			base = "locked"
		}
	}
	if flags[FlagClockRollback] {
		return base + ", clock rollback"
	}
	return base
}

func days(n int64) string {
	if n == 1 {
		return "1 day"
	}
	return fmt.Sprintf("%d days", n)
}

func pillText(daysUntilExpiry int64) string {
	if daysUntilExpiry == 1 {
		return "Expires in 1 day"
	}
	return fmt.Sprintf("Expires in %d days", daysUntilExpiry)
}

func humanize(d time.Duration) string {
	if days := int64(d / (24 * time.Hour)); days >= 2 {
		return fmt.Sprintf("%d days", days)
	}
	if hours := int64(d / time.Hour); hours >= 2 {
		return fmt.Sprintf("%d hours", hours)
	}
	minutes := int64(d / time.Minute)
	if minutes < 1 {
		minutes = 1
	}
	return fmt.Sprintf("%d minutes", minutes)
}
