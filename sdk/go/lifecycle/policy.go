// Package lifecycle is the lifecycle engine of docs/design.md §4: a pure function of
// (license window, instant, policy) giving the standing (phase, stage, mode,
// day counts, banner) and the notice rule. It equals keyturn-core's Lifecycle
// on every conformance vector.
package lifecycle

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"keyturn.dev/go/license"
)

// Day is the unit of stages: exactly 24 hours, never a calendar day.
const Day = 24 * time.Hour

// MaxGraceDays bounds a policy's grace.
const MaxGraceDays = 3650

// Stage ids besides the reminders' "D-N".
const (
	StageExpiry = "EXPIRY"
	StageLock   = "LOCK"
)

// LockAction names the end of grace; both are enforced as ModeLocked.
type LockAction string

// Lock actions and how texts say them.
const (
	Lock    LockAction = "LOCK"
	Suspend LockAction = "SUSPEND"
)

func (a LockAction) pastTense() string {
	if a == Suspend {
		return "suspended"
	}
	return "locked"
}

// Recipient is who the server tells when a license crosses a stage; the
// client ignores them, the server's sweep routes by them.
type Recipient string

// Recipients, in the order a license file lists them.
const (
	Customer       Recipient = "CUSTOMER"
	AccountTeam    Recipient = "ACCOUNT_TEAM"
	Support        Recipient = "SUPPORT"
	RenewalRequest Recipient = "RENEWAL_REQUEST"
	Webhook        Recipient = "WEBHOOK"
)

var recipientOrder = []Recipient{Customer, AccountTeam, Support, RenewalRequest, Webhook}

// TOMLName is the recipient's spelling in license files ("account-team").
func (r Recipient) TOMLName() string {
	return strings.ReplaceAll(strings.ToLower(string(r)), "_", "-")
}

// RecipientFromTOML is the recipient a license file names.
func RecipientFromTOML(name string) Recipient {
	return Recipient(strings.ReplaceAll(strings.ToUpper(name), "-", "_"))
}

// inOrder lists the recipients once each, in recipientOrder; never nil.
func inOrder(rs []Recipient) []Recipient {
	out := []Recipient{}
	for _, r := range recipientOrder {
		for _, x := range rs {
			if x == r {
				out = append(out, r)
				break
			}
		}
	}
	return out
}

// DefaultNotify is who a reminder without Recipients tells: the customer and
// webhooks, the account team at D-15, support at D-7, a renewal request at D-1.
func DefaultNotify(daysBefore int) []Recipient {
	rs := []Recipient{Customer, Webhook}
	switch daysBefore {
	case 15:
		rs = append(rs, AccountTeam)
	case 7:
		rs = append(rs, Support)
	case 1:
		rs = append(rs, RenewalRequest)
	}
	return inOrder(rs)
}

// Reminder is a reminder stage DaysBefore days before expiry. Recipients nil
// means DefaultNotify(DaysBefore); an empty, non-nil slice tells nobody.
type Reminder struct {
	DaysBefore int
	Level      BannerLevel
	Dismissal  Dismissal
	Recipients []Recipient
}

// Stage is a point in a license's life relative to its expiry.
type Stage struct {
	ID         string
	Offset     time.Duration // negative for reminders, zero for expiry, the grace for lock
	Phase      Phase
	Level      BannerLevel
	Dismissal  Dismissal
	Notice     bool        // whether anyone is told
	Recipients []Recipient // who is told, in recipient order
}

// PolicyOption sets who hears of expiry and lock (by default the customer and webhooks).
type PolicyOption func(*Policy)

// ExpiryNotify sets who is told when grace starts.
func ExpiryNotify(rs ...Recipient) PolicyOption {
	return func(p *Policy) { p.expiryNotify = inOrder(rs) }
}

// LockNotify sets who is told when grace ends.
func LockNotify(rs ...Recipient) PolicyOption {
	return func(p *Policy) { p.lockNotify = inOrder(rs) }
}

// StartsAt is when the stage starts for a license expiring at expiresAt.
func (s Stage) StartsAt(expiresAt time.Time) time.Time {
	return expiresAt.Add(s.Offset)
}

// Policy is lifecycle rules as data. Immutable: build one with NewPolicy.
type Policy struct {
	name       string
	reminders  []Reminder
	graceDays  int
	graceMode  license.GraceMode
	lockAction LockAction
	stages     []Stage

	expiryNotify []Recipient
	lockNotify   []Recipient
}

// ErrPolicy matches every *PolicyError with errors.Is.
var ErrPolicy = errors.New("invalid policy")

// PolicyError is a policy refused by NewPolicy, or a stage id the notice rule
// does not know; Message is the Java reference's exact sentence.
type PolicyError struct{ Message string }

func (e *PolicyError) Error() string { return e.Message }

// Is makes errors.Is(err, ErrPolicy) hold.
func (e *PolicyError) Is(target error) bool { return target == ErrPolicy }

func policyError(format string, args ...any) error {
	return &PolicyError{fmt.Sprintf(format, args...)}
}

// NewPolicy validates and builds a policy: reminders 1 to 365 days before
// expiry, each at least as insistent as the one before (banners only grow more
// insistent), grace 0 to 3650 days.
func NewPolicy(name string, reminders []Reminder, graceDays int, graceMode license.GraceMode, lockAction LockAction, opts ...PolicyOption) (*Policy, error) {
	fail := func(format string, args ...any) (*Policy, error) {
		return nil, policyError(format, args...)
	}
	if name == "" {
		return fail("a policy needs a name")
	}
	if len(reminders) > license.MaxReminders {
		return fail("a policy has at most %d reminders, found %d", license.MaxReminders, len(reminders))
	}
	if graceDays < 0 || graceDays > MaxGraceDays {
		return fail("grace days must be 0 to %d, was %d", MaxGraceDays, graceDays)
	}
	if graceMode != license.GraceFull && graceMode != license.GraceReadOnly {
		return fail("grace mode must be full or read-only, was %q", graceMode)
	}
	if lockAction != Lock && lockAction != Suspend {
		return fail("lock action must be LOCK or SUSPEND, was %q", lockAction)
	}
	rs := append([]Reminder(nil), reminders...)
	for i := range rs {
		if rs[i].Recipients == nil {
			rs[i].Recipients = DefaultNotify(rs[i].DaysBefore)
		} else {
			rs[i].Recipients = inOrder(rs[i].Recipients)
		}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].DaysBefore > rs[j].DaysBefore })
	for i, r := range rs {
		if r.DaysBefore < 1 || r.DaysBefore > 365 {
			return fail("a reminder must be 1 to 365 days before expiry, was %d", r.DaysBefore)
		}
		if r.Level == BannerNone || r.Level == BannerLock || r.Level.severity() < 0 {
			return fail("a reminder banner is INFO, WARNING or DANGER, was %s", r.Level)
		}
		if r.Dismissal == DismissNone || r.Dismissal.insistence() < 0 {
			return fail("a reminder banner needs a dismissal rule, was %s", r.Dismissal)
		}
		if i > 0 {
			prev := rs[i-1]
			if prev.DaysBefore == r.DaysBefore {
				return fail("two reminders at D-%d", r.DaysBefore)
			}
			if r.Level.severity() < prev.Level.severity() || r.Dismissal.insistence() < prev.Dismissal.insistence() {
				return fail("reminder D-%d is less insistent than D-%d; banners may only grow more insistent", r.DaysBefore, prev.DaysBefore)
			}
		}
	}
	p := &Policy{name: name, reminders: rs, graceDays: graceDays, graceMode: graceMode, lockAction: lockAction,
		expiryNotify: DefaultNotify(0), lockNotify: DefaultNotify(0)}
	for _, opt := range opts {
		opt(p)
	}
	for _, r := range rs {
		p.stages = append(p.stages, Stage{ID: fmt.Sprintf("D-%d", r.DaysBefore), Offset: -time.Duration(r.DaysBefore) * Day,
			Phase: PhaseExpiring, Level: r.Level, Dismissal: r.Dismissal, Notice: len(r.Recipients) > 0, Recipients: r.Recipients})
	}
	p.stages = append(p.stages,
		Stage{ID: StageExpiry, Phase: PhaseGrace, Level: BannerDanger, Dismissal: DismissNotDismissible,
			Notice: len(p.expiryNotify) > 0, Recipients: p.expiryNotify},
		Stage{ID: StageLock, Offset: time.Duration(graceDays) * Day, Phase: PhaseLocked, Level: BannerLock, Dismissal: DismissNotDismissible,
			Notice: len(p.lockNotify) > 0, Recipients: p.lockNotify})
	return p, nil
}

func mustPolicy(p *Policy, err error) *Policy {
	if err != nil {
		panic(err)
	}
	return p
}

// Appliance is docs/design.md §4's customer-friendly default: four reminders, 60 days
// of full grace, then lock.
var Appliance = mustPolicy(NewPolicy("appliance", []Reminder{
	{30, BannerInfo, DismissUntilNextStage, nil},
	{15, BannerWarning, DismissFor24h, nil},
	{7, BannerWarning, DismissToPill, nil},
	{1, BannerDanger, DismissNotDismissible, nil},
}, 60, license.GraceFull, Lock))

// Subscription is docs/design.md §4's self-serve preset: D-30, D-7, D-1, 7 days of
// read-only grace, then suspension.
var Subscription = mustPolicy(NewPolicy("subscription", []Reminder{
	{30, BannerInfo, DismissUntilNextStage, nil},
	{7, BannerWarning, DismissToPill, nil},
	{1, BannerDanger, DismissNotDismissible, nil},
}, 7, license.GraceReadOnly, Suspend))

// Preset returns a preset by name: "appliance" or "subscription".
func Preset(name string) (*Policy, bool) {
	switch name {
	case "appliance":
		return Appliance, true
	case "subscription":
		return Subscription, true
	}
	return nil, false
}

// ForLicense is the policy a license carries: the whole policy of a format-2
// file, or its preset with the grace it was signed with.
func ForLicense(p license.Policy) (*Policy, error) {
	if r := p.Rules; r != nil {
		var rs []Reminder
		for _, x := range r.Reminders {
			rs = append(rs, Reminder{DaysBefore: x.DaysBefore, Level: BannerLevel(strings.ToUpper(x.Banner)),
				Dismissal: Dismissal(strings.ReplaceAll(strings.ToUpper(x.Dismissal), "-", "_")), Recipients: fromTOML(x.Notify)})
		}
		return NewPolicy(r.Name, rs, p.GraceDays, p.GraceMode, LockAction(strings.ToUpper(r.LockAction)),
			ExpiryNotify(fromTOML(r.ExpiryNotify)...), LockNotify(fromTOML(r.LockNotify)...))
	}
	base, ok := Preset(p.Preset)
	if !ok {
		return nil, policyError("unknown policy preset '%s'", p.Preset)
	}
	return base.WithGrace(p.GraceDays, p.GraceMode)
}

// WithGrace is this policy with another grace.
func (p *Policy) WithGrace(days int, mode license.GraceMode) (*Policy, error) {
	if days == p.graceDays && mode == p.graceMode {
		return p, nil
	}
	return NewPolicy(p.name, p.reminders, days, mode, p.lockAction, ExpiryNotify(p.expiryNotify...), LockNotify(p.lockNotify...))
}

func fromTOML(names []string) []Recipient {
	out := []Recipient{}
	for _, n := range names {
		out = append(out, RecipientFromTOML(n))
	}
	return out
}

// Reminders lists the reminders, from the earliest.
func (p *Policy) Reminders() []Reminder { return append([]Reminder(nil), p.reminders...) }

// ExpiryNotify is who is told when grace starts.
func (p *Policy) ExpiryNotify() []Recipient { return append([]Recipient(nil), p.expiryNotify...) }

// LockNotify is who is told when grace ends.
func (p *Policy) LockNotify() []Recipient { return append([]Recipient(nil), p.lockNotify...) }

// Name is the policy's name.
func (p *Policy) Name() string { return p.name }

// Stages lists every stage in the order it is reached.
func (p *Policy) Stages() []Stage { return append([]Stage(nil), p.stages...) }

// Stage finds a stage by id.
func (p *Policy) Stage(id string) (Stage, bool) {
	for _, s := range p.stages {
		if s.ID == id {
			return s, true
		}
	}
	return Stage{}, false
}

// GraceDays is the length of grace in days of 24 hours.
func (p *Policy) GraceDays() int { return p.graceDays }

// GraceMode is how the product works during grace.
func (p *Policy) GraceMode() license.GraceMode { return p.graceMode }

// LockAction names the end of grace.
func (p *Policy) LockAction() LockAction { return p.lockAction }

// GracePeriod is the grace as a duration.
func (p *Policy) GracePeriod() time.Duration { return time.Duration(p.graceDays) * Day }
