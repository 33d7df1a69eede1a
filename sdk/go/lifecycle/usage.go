package lifecycle

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// The usage standing of issue 18, as core's Usage has it: within the limit
// nothing shows; above it but within the license's [license.overage_percent]
// allowance a warning names the limit, usage and allowance and nothing is
// refused; above the allowance the product refuses only what would raise usage
// further. Usage never locks the product or removes anything.

// MaxOveragePercent is the largest allowance a license may grant.
const MaxOveragePercent = 1000

// UsageLevel is where usage of one limit stands, in order of severity.
type UsageLevel string

// Usage levels.
const (
	UsageWithin        UsageLevel = "WITHIN"
	UsageOverLimit     UsageLevel = "OVER_LIMIT"
	UsageOverAllowance UsageLevel = "OVER_ALLOWANCE"
)

func (l UsageLevel) severity() int {
	switch l {
	case UsageOverLimit:
		return 1
	case UsageOverAllowance:
		return 2
	}
	return 0
}

// Grant is what a license grants that usage is measured against: seats (0 =
// unlimited), [license.limits] and [license.overage_percent].
type Grant struct {
	Seats          int64
	Limits         map[string]int64
	OveragePercent map[string]int64
}

// Licensed is the limit the grant sets for name: [license.limits], or for
// "seats" the seats when above 0. ok is false when unlimited.
func (g Grant) Licensed(name string) (value int64, ok bool) {
	if v, found := g.Limits[name]; found {
		return v, true
	}
	if name == "seats" && g.Seats > 0 {
		return g.Seats, true
	}
	return 0, false
}

// allowance is the overage percent of name; a value outside 0..1000 grants nothing.
func (g Grant) allowance(name string) int64 {
	p := g.OveragePercent[name]
	if p < 0 || p > MaxOveragePercent {
		return 0
	}
	return p
}

// LimitUsage is one limit's usage standing.
type LimitUsage struct {
	Limit          string
	Usage          int64
	Licensed       int64
	OveragePercent int64
	Ceiling        int64 // licensed + floor(licensed × percent / 100)
	Level          UsageLevel
	Text           string // the banner sentence; empty when within
}

// UsageStanding is the standing of every reported limit the grant sets, in name order.
type UsageStanding struct {
	Limits []LimitUsage
}

// Level is the most severe level of any limit.
func (s UsageStanding) Level() UsageLevel {
	out := UsageWithin
	for _, l := range s.Limits {
		if l.Level.severity() > out.severity() {
			out = l.Level
		}
	}
	return out
}

// Exceeded lists the limits above their licensed value, those over the allowance first.
func (s UsageStanding) Exceeded() []LimitUsage {
	out := []LimitUsage{}
	for _, l := range s.Limits {
		if l.Level != UsageWithin {
			out = append(out, l)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Level.severity() > out[j].Level.severity() })
	return out
}

// Banner is a warning within the allowance, danger above it; never dismissible.
func (s UsageStanding) Banner() Banner {
	exceeded := s.Exceeded()
	if len(exceeded) == 0 {
		return Banner{Level: BannerNone, Dismissal: DismissNone}
	}
	level := BannerWarning
	if s.Level() == UsageOverAllowance {
		level = BannerDanger
	}
	texts := make([]string, len(exceeded))
	for i, l := range exceeded {
		texts[i] = l.Text
	}
	return Banner{Level: level, Dismissal: DismissNotDismissible, Text: strings.Join(texts, " ")}
}

// UsageDecision says whether usage may rise; Ceiling is nil for a limit the grant does not set.
type UsageDecision struct {
	Allowed bool
	Limit   string
	Usage   int64
	After   int64
	Ceiling *int64
	Message string
}

// Ceiling is licensed + floor(licensed × percent / 100), without overflow.
func Ceiling(licensed, percent int64) int64 {
	allowance := licensed/100*percent + licensed%100*percent/100
	if licensed > math.MaxInt64-allowance {
		return math.MaxInt64
	}
	return licensed + allowance
}

// EvaluateLimit is one limit's standing; an error for negative usage.
func EvaluateLimit(limit string, usage, licensed, percent int64) (LimitUsage, error) {
	if usage < 0 {
		return LimitUsage{}, fmt.Errorf("usage of %s must not be negative, was %d", limit, usage)
	}
	ceiling := Ceiling(licensed, percent)
	out := LimitUsage{Limit: limit, Usage: usage, Licensed: licensed, OveragePercent: percent, Ceiling: ceiling, Level: UsageWithin}
	switch {
	case usage <= licensed:
	case usage <= ceiling:
		out.Level = UsageOverLimit
		out.Text = fmt.Sprintf("%s: %d in use, above the licensed %d; the %d%% overage allowance permits up to %d. Ask your vendor to raise the limit.",
			limit, usage, licensed, percent, ceiling)
	default:
		out.Level = UsageOverAllowance
		out.Text = fmt.Sprintf("%s: %d in use, above the licensed %d%s. Adding more is refused until usage is reduced or the limit raised; nothing has been locked or removed.",
			limit, usage, licensed, allowancePhrase(percent, ceiling))
	}
	return out, nil
}

func allowancePhrase(percent, ceiling int64) string {
	if percent == 0 {
		return ""
	}
	return fmt.Sprintf(" and its %d%% overage allowance (%d)", percent, ceiling)
}

// EvaluateUsage is the standing of every reported limit the grant sets.
func EvaluateUsage(g Grant, usage map[string]int64) (UsageStanding, error) {
	names := make([]string, 0, len(usage))
	for k := range usage {
		names = append(names, k)
	}
	sort.Strings(names)
	out := UsageStanding{Limits: []LimitUsage{}}
	for _, name := range names {
		licensed, ok := g.Licensed(name)
		if !ok {
			continue
		}
		l, err := EvaluateLimit(name, usage[name], licensed, g.allowance(name))
		if err != nil {
			return UsageStanding{}, err
		}
		out.Limits = append(out.Limits, l)
	}
	return out, nil
}

// Increase says whether usage of limit may rise from usage by by: refused only
// past the ceiling; by = 0 always passes.
func Increase(g Grant, limit string, usage, by int64) (UsageDecision, error) {
	if usage < 0 {
		return UsageDecision{}, fmt.Errorf("usage of %s must not be negative, was %d", limit, usage)
	}
	if by < 0 {
		return UsageDecision{}, fmt.Errorf("the increase of %s must not be negative, was %d", limit, by)
	}
	after := int64(math.MaxInt64)
	if usage <= math.MaxInt64-by {
		after = usage + by
	}
	licensed, ok := g.Licensed(limit)
	if !ok {
		return UsageDecision{Allowed: true, Limit: limit, Usage: usage, After: after}, nil
	}
	percent := g.allowance(limit)
	ceiling := Ceiling(licensed, percent)
	d := UsageDecision{Allowed: true, Limit: limit, Usage: usage, After: after, Ceiling: &ceiling}
	if by == 0 || after <= ceiling {
		return d, nil
	}
	d.Allowed = false
	d.Message = fmt.Sprintf("Adding %d to %s would bring it to %d, above the licensed %d%s. Reduce %s first, or ask your vendor to raise the limit.",
		by, limit, after, licensed, allowancePhrase(percent, ceiling), limit)
	return d, nil
}
