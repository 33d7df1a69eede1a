package lifecycle

// Phase is where a license is in its life.
type Phase string

// Phases, from ACTIVE on in order of severity.
const (
	PhaseNotYetValid Phase = "NOT_YET_VALID"
	PhaseActive      Phase = "ACTIVE"
	PhaseExpiring    Phase = "EXPIRING"
	PhaseGrace       Phase = "GRACE"
	PhaseLocked      Phase = "LOCKED"
)

// Mode is what the product allows. LOCKED shows the lock screen and never touches data.
type Mode string

// Modes.
const (
	ModeFull     Mode = "FULL"
	ModeReadOnly Mode = "READ_ONLY"
	ModeLocked   Mode = "LOCKED"
)

// BannerLevel is how loud the banner is.
type BannerLevel string

// Banner levels in order of severity.
const (
	BannerNone    BannerLevel = "NONE"
	BannerInfo    BannerLevel = "INFO"
	BannerWarning BannerLevel = "WARNING"
	BannerDanger  BannerLevel = "DANGER"
	BannerLock    BannerLevel = "LOCK"
)

var levels = []BannerLevel{BannerNone, BannerInfo, BannerWarning, BannerDanger, BannerLock}

// severity is the level's rank, -1 for an unknown level.
func (l BannerLevel) severity() int {
	for i, x := range levels {
		if x == l {
			return i
		}
	}
	return -1
}

// AtLeast reports whether l is at least as severe as other.
func (l BannerLevel) AtLeast(other BannerLevel) bool {
	return l.severity() >= other.severity()
}

// Dismissal is what closing a banner does.
type Dismissal string

// Dismissals in order of insistence.
const (
	DismissNone           Dismissal = "NONE"
	DismissUntilNextStage Dismissal = "UNTIL_NEXT_STAGE"
	DismissFor24h         Dismissal = "FOR_24H"
	DismissToPill         Dismissal = "TO_PILL"
	DismissNotDismissible Dismissal = "NOT_DISMISSIBLE"
)

var dismissals = []Dismissal{DismissNone, DismissUntilNextStage, DismissFor24h, DismissToPill, DismissNotDismissible}

func (d Dismissal) insistence() int {
	for i, x := range dismissals {
		if x == d {
			return i
		}
	}
	return -1
}

// Banner is what the product shows: level, how it may be closed, and the text.
type Banner struct {
	Level     BannerLevel
	Dismissal Dismissal
	Text      string
}

// NoBanner is the banner of an ACTIVE license.
var NoBanner = Banner{BannerNone, DismissNone, ""}
