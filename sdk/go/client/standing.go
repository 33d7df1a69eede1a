package client

import (
	"time"

	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

// Flag is a condition the client adds to the lifecycle standing. Stable names: they appear in JSON.
type Flag string

// Flags, most serious first.
const (
	FlagNoLicense        Flag = "NO_LICENSE"
	FlagRevoked          Flag = "REVOKED"
	FlagClockRollback    Flag = "CLOCK_ROLLBACK"
	FlagPaymentFailing   Flag = "PAYMENT_FAILING"
	FlagInstanceConflict Flag = "INSTANCE_CONFLICT"
	FlagStateReset       Flag = "STATE_RESET"
	// FlagUsageOverLimit: a limit's usage is above the license's value, within its overage allowance.
	FlagUsageOverLimit Flag = "USAGE_OVER_LIMIT"
	// FlagUsageOverAllowance: a limit's usage is above its allowance; growth is refused, nothing locks.
	FlagUsageOverAllowance Flag = "USAGE_OVER_ALLOWANCE"
)

var flagOrder = []Flag{FlagNoLicense, FlagRevoked, FlagClockRollback, FlagPaymentFailing, FlagInstanceConflict, FlagStateReset,
	FlagUsageOverLimit, FlagUsageOverAllowance}

// Display is how the banner is on screen.
type Display string

// Displays.
const (
	DisplayNone   Display = "NONE"
	DisplayShown  Display = "SHOWN"
	DisplayHidden Display = "HIDDEN" // dismissed; back at HiddenUntil
	DisplayPill   Display = "PILL"   // collapsed to the header pill with a countdown
)

// BannerView is the banner as the product should render it, after the user's dismissal.
type BannerView struct {
	Level       lifecycle.BannerLevel
	Dismissal   lifecycle.Dismissal // what Dismiss would do now
	Text        string
	Display     Display
	HiddenUntil *time.Time
	PillText    string
	StageID     string
}

// Visible reports whether the full banner is on screen.
func (b BannerView) Visible() bool { return b.Display == DisplayShown }

var noBanner = BannerView{Level: lifecycle.BannerNone, Dismissal: lifecycle.DismissNone, Display: DisplayNone}

// Standing is everything a status line or a license page shows: the lifecycle
// of the license in force at the guarded time, the client's flags, and the
// banner after dismissals. Phase and Mode are the final word, flags included.
type Standing struct {
	License         *license.License    // the license in force; nil when none
	Lifecycle       *lifecycle.Standing // core's standing for it; nil without a license
	Phase           lifecycle.Phase
	Mode            lifecycle.Mode
	Summary         string // "active", "expires in 12 days", "grace: 40 days before lock", …
	DaysUntilExpiry int64
	DaysUntilLock   int64
	Flags           []Flag   // most serious first
	Notices         []string // one sentence per flag, also part of the banner text
	Banner          BannerView
	EvaluatedAt     time.Time // the guarded time licensing used
	ClockTime       time.Time // what the clock said
	NextChangeAt    *time.Time
	// Usage is the standing of each limit the product last reported against the license in force.
	Usage lifecycle.UsageStanding
}

// Has reports whether the standing carries flag.
func (s Standing) Has(flag Flag) bool {
	for _, f := range s.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// StageID is the stage reached ("D-30", "EXPIRY", …), "" when none.
func (s Standing) StageID() string {
	if s.Lifecycle == nil {
		return ""
	}
	return s.Lifecycle.StageID()
}

// ExpiresAt is the license's expiry, nil without a license.
func (s Standing) ExpiresAt() *time.Time {
	if s.License == nil {
		return nil
	}
	t := s.License.ExpiresAt
	return &t
}

// LocksAt is when grace ends, nil without a license.
func (s Standing) LocksAt() *time.Time {
	if s.Lifecycle == nil {
		return nil
	}
	t := s.Lifecycle.LocksAt
	return &t
}
