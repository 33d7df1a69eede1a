package cli

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"keyturn.dev/go/client"
	"keyturn.dev/go/license"

	"github.com/pelletier/go-toml/v2"
)

// licenseView is `license verify --json`'s license: the file's own key names,
// datetimes as ISO instants in UTC, in the Java record's order.
type licenseView struct {
	Format         int64      `json:"format"`
	ID             string     `json:"id"`
	SubscriptionID string     `json:"subscription_id"`
	Customer       string     `json:"customer"`
	InstanceDomain *string    `json:"instance_domain"`
	Tier           string     `json:"tier"`
	Seats          int64      `json:"seats"`
	Features       []string   `json:"features"`
	Tags           []string   `json:"tags"`
	IssuedAt       string     `json:"issued_at"`
	NotBefore      string     `json:"not_before"`
	ExpiresAt      string     `json:"expires_at"`
	Limits         orderedMap `json:"limits"`
	OveragePercent orderedMap `json:"overage_percent"`
	Policy         orderedMap `json:"policy"`
	Extensions     orderedMap `json:"extensions"`
	KeyID          string     `json:"key_id"`
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func newLicenseView(s *license.Signed) *licenseView {
	l := s.License
	policy := policyView(l.Policy)
	policy = append(policy, plainMap(l.Policy.Extensions)...)
	return &licenseView{Format: s.Format, ID: l.ID, SubscriptionID: l.SubscriptionID, Customer: l.Customer,
		InstanceDomain: optional(l.InstanceDomain), Tier: l.Tier, Seats: l.Seats, Features: l.Features, Tags: l.Tags,
		IssuedAt: license.FormatInstant(l.IssuedAt), NotBefore: license.FormatInstant(l.NotBefore),
		ExpiresAt: license.FormatInstant(l.ExpiresAt), Limits: limitsMap(l.Limits), OveragePercent: limitsMap(l.OveragePercent), Policy: policy,
		Extensions: plainMap(l.Extensions), KeyID: s.Signature.KeyID}
}

// policyView is [license.policy] as the JSON shows it: a preset and its grace,
// or a format-2 license's whole policy keyed as the file keys it.
func policyView(p license.Policy) orderedMap {
	r := p.Rules
	if r == nil {
		return orderedMap{{"preset", p.Preset}, {"grace_days", p.GraceDays}, {"grace_mode", string(p.GraceMode)}}
	}
	reminders := []orderedMap{}
	for _, x := range r.Reminders {
		reminders = append(reminders, orderedMap{{"days_before", x.DaysBefore}, {"banner", x.Banner},
			{"dismissal", x.Dismissal}, {"notify", x.Notify}})
	}
	return orderedMap{{"name", r.Name}, {"grace_days", p.GraceDays}, {"grace_mode", string(p.GraceMode)},
		{"lock_action", r.LockAction}, {"reminders", reminders}, {"expiry_notify", r.ExpiryNotify},
		{"lock_notify", r.LockNotify}}
}

func limitsMap(limits map[string]int64) orderedMap {
	names := make([]string, 0, len(limits))
	for k := range limits {
		names = append(names, k)
	}
	sort.Strings(names)
	out := orderedMap{}
	for _, k := range names {
		out = append(out, entry{k, limits[k]})
	}
	return out
}

// plainMap gives extension values in JSON-friendly form: datetimes as ISO
// text, non-finite numbers as text, local dates and times as their ISO text.
func plainMap(m map[string]any) orderedMap {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	out := orderedMap{}
	for _, k := range names {
		out = append(out, entry{k, plain(m[k])})
	}
	return out
}

func plain(v any) any {
	switch x := v.(type) {
	case map[string]any:
		return plainMap(x)
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = plain(item)
		}
		return out
	case float64:
		if math.IsNaN(x) {
			return "NaN"
		}
		if math.IsInf(x, 1) {
			return "Infinity"
		}
		if math.IsInf(x, -1) {
			return "-Infinity"
		}
		return x
	case string, int64, bool:
		return x
	case time.Time:
		return license.FormatInstant(x)
	case toml.LocalDate:
		return fmt.Sprintf("%04d-%02d-%02d", x.Year, x.Month, x.Day)
	case toml.LocalDateTime:
		return plain(x.LocalDate).(string) + "T" + plain(x.LocalTime).(string)
	case toml.LocalTime:
		return javaLocalTime(x)
	}
	return fmt.Sprint(v)
}

// javaLocalTime is LocalTime.toString: HH:mm, then :ss only when seconds or
// nanoseconds are not zero, then the fraction in groups of three digits.
func javaLocalTime(t toml.LocalTime) string {
	s := fmt.Sprintf("%02d:%02d", t.Hour, t.Minute)
	if t.Second == 0 && t.Nanosecond == 0 {
		return s
	}
	s += fmt.Sprintf(":%02d", t.Second)
	switch n := t.Nanosecond; {
	case n == 0:
	case n%1_000_000 == 0:
		s += fmt.Sprintf(".%03d", n/1_000_000)
	case n%1_000 == 0:
		s += fmt.Sprintf(".%06d", n/1_000)
	default:
		s += fmt.Sprintf(".%09d", n)
	}
	return s
}

// LicenseJSON is the license as `keyturn license verify --json` prints it.
func LicenseJSON(s *license.Signed) ([]byte, error) {
	return marshal(newLicenseView(s))
}

// keyFields are the fields a person checks first, as `verify` prints them.
func (v *licenseView) keyFields() [][2]string {
	domain := "(any instance)"
	if v.InstanceDomain != nil {
		domain = *v.InstanceDomain
	}
	seats := "unlimited"
	if v.Seats != 0 {
		seats = strconv.FormatInt(v.Seats, 10)
	}
	return [][2]string{{"id", v.ID}, {"subscription_id", v.SubscriptionID}, {"customer", v.Customer},
		{"instance_domain", domain}, {"tier", v.Tier}, {"seats", seats}, {"not_before", v.NotBefore},
		{"expires_at", v.ExpiresAt}, {"key_id", v.KeyID}}
}

// licenseInfo is the license in force as status and install print it.
type licenseInfo struct {
	ID             string     `json:"id"`
	SubscriptionID string     `json:"subscription_id"`
	Customer       string     `json:"customer"`
	InstanceDomain *string    `json:"instance_domain"`
	Tier           string     `json:"tier"`
	Seats          int64      `json:"seats"`
	Features       []string   `json:"features"`
	Limits         orderedMap `json:"limits"`
	IssuedAt       string     `json:"issued_at"`
	NotBefore      string     `json:"not_before"`
	ExpiresAt      string     `json:"expires_at"`
	Policy         orderedMap `json:"policy"`
}

func newLicenseInfo(l *license.License) *licenseInfo {
	if l == nil {
		return nil
	}
	return &licenseInfo{ID: l.ID, SubscriptionID: l.SubscriptionID, Customer: l.Customer, InstanceDomain: optional(l.InstanceDomain),
		Tier: l.Tier, Seats: l.Seats, Features: l.Features, Limits: limitsMap(l.Limits), IssuedAt: license.FormatInstant(l.IssuedAt),
		NotBefore: license.FormatInstant(l.NotBefore), ExpiresAt: license.FormatInstant(l.ExpiresAt),
		Policy: orderedMap{{"preset", l.Policy.Preset}, {"grace_days", l.Policy.GraceDays}, {"grace_mode", string(l.Policy.GraceMode)}}}
}

// statusView is `status --json`: the standing with stable snake_case keys.
type statusView struct {
	Summary         string       `json:"summary"`
	Phase           string       `json:"phase"`
	Mode            string       `json:"mode"`
	Stage           *string      `json:"stage"`
	DaysUntilExpiry int64        `json:"days_until_expiry"`
	DaysUntilLock   int64        `json:"days_until_lock"`
	ExpiresAt       *string      `json:"expires_at"`
	LocksAt         *string      `json:"locks_at"`
	Flags           []string     `json:"flags"`
	Notices         []string     `json:"notices"`
	Banner          statusBanner `json:"banner"`
	License         *licenseInfo `json:"license"`
	EvaluatedAt     string       `json:"evaluated_at"`
	ClockTime       string       `json:"clock_time"`
	NextChangeAt    *string      `json:"next_change_at"`
}

type statusBanner struct {
	Level       string  `json:"level"`
	Text        string  `json:"text"`
	Display     string  `json:"display"`
	Dismissal   string  `json:"dismissal"`
	HiddenUntil *string `json:"hidden_until"`
	PillText    *string `json:"pill_text"`
}

func iso(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := license.FormatInstant(*t)
	return &s
}

func newStatusView(s client.Standing) statusView {
	flags := []string{}
	for _, f := range s.Flags {
		flags = append(flags, string(f))
	}
	b := s.Banner
	return statusView{Summary: s.Summary, Phase: string(s.Phase), Mode: string(s.Mode), Stage: optional(s.StageID()),
		DaysUntilExpiry: s.DaysUntilExpiry, DaysUntilLock: s.DaysUntilLock, ExpiresAt: iso(s.ExpiresAt()), LocksAt: iso(s.LocksAt()),
		Flags: flags, Notices: s.Notices,
		Banner: statusBanner{Level: string(b.Level), Text: b.Text, Display: string(b.Display), Dismissal: string(b.Dismissal),
			HiddenUntil: iso(b.HiddenUntil), PillText: optional(b.PillText)},
		License: newLicenseInfo(s.License), EvaluatedAt: license.FormatInstant(s.EvaluatedAt),
		ClockTime: license.FormatInstant(s.ClockTime), NextChangeAt: iso(s.NextChangeAt)}
}

// loweredLimit is a limit a newly installed license lowers; From nil is unlimited.
type loweredLimit struct {
	Limit string `json:"limit"`
	From  *int64 `json:"from"`
	To    int64  `json:"to"`
}

func (l loweredLimit) String() string {
	from := "unlimited"
	if l.From != nil {
		from = strconv.FormatInt(*l.From, 10)
	}
	return l.Limit + " from " + from + " to " + strconv.FormatInt(l.To, 10)
}

func limitValue(l *license.License, name string) *int64 {
	if v, ok := l.Limits[name]; ok {
		return &v
	}
	if name == "seats" && l.Seats > 0 {
		v := l.Seats
		return &v
	}
	return nil
}

func lowered(before, after *license.License) []loweredLimit {
	out := []loweredLimit{}
	if before == nil {
		return out
	}
	names := map[string]bool{"seats": true}
	for k := range before.Limits {
		names[k] = true
	}
	for k := range after.Limits {
		names[k] = true
	}
	sorted := make([]string, 0, len(names))
	for k := range names {
		sorted = append(sorted, k)
	}
	sort.Strings(sorted)
	for _, n := range sorted {
		from, to := limitValue(before, n), limitValue(after, n)
		if to != nil && (from == nil || *to < *from) {
			out = append(out, loweredLimit{n, from, *to})
		}
	}
	return out
}
