package lifecycle

import (
	"regexp"
	"strconv"
	"time"
)

// Standing is what the engine says for (license, instant, policy).
type Standing struct {
	Phase           Phase
	Stage           *Stage // the stage reached last; nil while ACTIVE or NOT_YET_VALID
	DaysUntilExpiry int64  // whole days left, rounded up; 0 once expired
	DaysUntilLock   int64
	Banner          Banner
	Mode            Mode
	ExpiresAt       time.Time
	LocksAt         time.Time
	// NextChangeAt is when any field (day counts and banner text included) next
	// changes; nil once locked.
	NextChangeAt *time.Time
	// NextTransitionAt is when the next stage starts; nil once locked.
	NextTransitionAt *time.Time
}

// StageID is the id of the stage reached, "" when none.
func (s Standing) StageID() string {
	if s.Stage == nil {
		return ""
	}
	return s.Stage.ID
}

// Evaluate is the standing of a license valid [notBefore, expiresAt) at now,
// with banner texts written for a viewer in zone (nil means UTC).
func Evaluate(notBefore, expiresAt, now time.Time, p *Policy, zone *time.Location) Standing {
	if zone == nil {
		zone = time.UTC
	}
	locksAt := expiresAt.Add(p.GracePeriod())
	daysUntilExpiry := daysUntil(now, expiresAt)
	daysUntilLock := daysUntil(now, locksAt)
	if now.Before(notBefore) {
		nb := notBefore
		return Standing{Phase: PhaseNotYetValid, DaysUntilExpiry: daysUntilExpiry, DaysUntilLock: daysUntilLock,
			Banner: Banner{BannerLock, DismissNotDismissible, notYetValidText(notBefore, zone)},
			Mode:   ModeLocked, ExpiresAt: expiresAt, LocksAt: locksAt, NextChangeAt: &nb, NextTransitionAt: &nb}
	}
	stage := currentStage(p, expiresAt, now)
	nextTransition := nextTransition(p, expiresAt, now)
	phase := PhaseActive
	banner := NoBanner
	if stage != nil {
		phase = stage.Phase
		banner = Banner{stage.Level, stage.Dismissal, text(stage.Phase, now, expiresAt, daysUntilExpiry, daysUntilLock, p, zone)}
	}
	s := Standing{Phase: phase, Stage: stage, DaysUntilExpiry: daysUntilExpiry, DaysUntilLock: daysUntilLock,
		Banner: banner, Mode: mode(phase, p), ExpiresAt: expiresAt, LocksAt: locksAt, NextTransitionAt: nextTransition}
	if phase != PhaseLocked {
		next := nextChange(now, expiresAt, nextTransition, daysUntilExpiry, zone)
		s.NextChangeAt = &next
	}
	return s
}

// NoticeDue is the notice rule: the single most urgent stage crossed and not
// yet notified. After downtime across several stages this is only the latest
// one, so nobody gets a burst of stale reminders. lastNotified is the id of the
// last stage already notified for this license, "" for none.
func NoticeDue(p *Policy, expiresAt time.Time, lastNotified string, now time.Time) (*Stage, error) {
	var due *Stage
	dueIndex := -1
	for i := range p.stages {
		s := p.stages[i]
		if s.Notice && !s.StartsAt(expiresAt).After(now) {
			due, dueIndex = &s, i
		}
	}
	if due == nil || lastNotified == "" {
		return due, nil
	}
	sentOffset, err := offsetOf(p, lastNotified)
	if err != nil {
		return nil, err
	}
	alreadySent := due.Offset < sentOffset || (due.Offset == sentOffset && dueIndex <= indexOf(p, lastNotified))
	if alreadySent {
		return nil, nil
	}
	return due, nil
}

func mode(phase Phase, p *Policy) Mode {
	switch phase {
	case PhaseNotYetValid, PhaseLocked:
		return ModeLocked
	case PhaseGrace:
		if p.graceMode == "read-only" {
			return ModeReadOnly
		}
	}
	return ModeFull
}

func currentStage(p *Policy, expiresAt, now time.Time) *Stage {
	var current *Stage
	for i := range p.stages {
		// Stages are in order; with no grace, LOCK follows EXPIRY at the same instant and wins.
		if !p.stages[i].StartsAt(expiresAt).After(now) {
			s := p.stages[i]
			current = &s
		}
	}
	return current
}

func nextTransition(p *Policy, expiresAt, now time.Time) *time.Time {
	for _, s := range p.stages {
		if t := s.StartsAt(expiresAt); t.After(now) {
			return &t
		}
	}
	return nil
}

func text(phase Phase, now, expiresAt time.Time, daysUntilExpiry, daysUntilLock int64, p *Policy, zone *time.Location) string {
	switch phase {
	case PhaseExpiring:
		return expiringText(now, expiresAt, daysUntilExpiry, zone)
	case PhaseGrace:
		return graceText(expiresAt, daysUntilLock, p, zone)
	case PhaseLocked:
		return lockedText(expiresAt, p, zone)
	}
	return ""
}

// nextChange: day counts change on the 24-hour grid anchored at expiry; in the
// last day, the text also changes at the viewer's midnight.
func nextChange(now, expiresAt time.Time, nextTransition *time.Time, daysUntilExpiry int64, zone *time.Location) time.Time {
	since := now.Unix() - expiresAt.Unix()
	day := int64(Day / time.Second)
	next := expiresAt.Add(time.Duration((floorDiv(since, day)+1)*day) * time.Second)
	if nextTransition != nil && nextTransition.Before(next) {
		next = *nextTransition
	}
	if daysUntilExpiry == 1 {
		local := now.In(zone)
		midnight := time.Date(local.Year(), local.Month(), local.Day()+1, 0, 0, 0, 0, zone)
		if midnight.Before(next) {
			next = midnight
		}
	}
	return next
}

func daysUntil(now, then time.Time) int64 {
	seconds := then.Unix() - now.Unix()
	if seconds <= 0 {
		return 0
	}
	day := int64(Day / time.Second)
	return floorDiv(seconds+day-1, day)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

var reminderID = regexp.MustCompile(`^D-[0-9]{1,3}$`)

func offsetOf(p *Policy, stageID string) (time.Duration, error) {
	if s, ok := p.Stage(stageID); ok {
		return s.Offset, nil
	}
	// A stage of an earlier policy (the subscription changed preset): place it by its name.
	if reminderID.MatchString(stageID) {
		n, _ := strconv.Atoi(stageID[2:])
		return -time.Duration(n) * Day, nil
	}
	return 0, policyError("unknown notice stage '%s'", stageID)
}

func indexOf(p *Policy, stageID string) int {
	for i, s := range p.stages {
		if s.ID == stageID {
			return i
		}
	}
	return -1
}
