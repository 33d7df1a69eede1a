package license

import (
	"fmt"
	"strings"
)

// FormatPreset is the format of a license naming a preset; FormatVersion (2)
// is that of a license carrying a whole custom policy (docs/license-format.md).
const FormatPreset = 1

// Spellings of a format-2 policy; banners and dismissals from the least insistent.
var (
	Banners     = []string{"info", "warning", "danger"}
	Dismissals  = []string{"until-next-stage", "for-24h", "to-pill", "not-dismissible"}
	Recipients  = []string{"customer", "account-team", "support", "renewal-request", "webhook"}
	LockActions = []string{"lock", "suspend"}
)

// MaxReminders bounds a policy's reminders; MaxDaysBefore the earliest one.
const (
	MaxReminders  = 12
	MaxDaysBefore = 365
)

// PolicyReminder is a reminder of a format-2 policy, spelled as the file spells it.
type PolicyReminder struct {
	DaysBefore int
	Banner     string
	Dismissal  string
	Notify     []string
}

// PolicyRules is a whole custom policy as a format-2 license carries it. One
// spelling per policy: reminders from the earliest, recipients in Recipients
// order, each once.
type PolicyRules struct {
	Name         string
	LockAction   string
	Reminders    []PolicyReminder
	ExpiryNotify []string
	LockNotify   []string
}

// Validate applies the policy builder's rules; the message is the Java reference's.
func (r *PolicyRules) Validate() error {
	if strings.TrimSpace(r.Name) == "" {
		return fmt.Errorf("policy.name must not be empty")
	}
	if indexOf(LockActions, r.LockAction) < 0 {
		return fmt.Errorf("policy.lock_action must be \"lock\" or \"suspend\", found \"%s\"", r.LockAction)
	}
	if len(r.Reminders) > MaxReminders {
		return fmt.Errorf("policy.reminders has %d reminders, at most %d", len(r.Reminders), MaxReminders)
	}
	for i, rm := range r.Reminders {
		at := fmt.Sprintf("policy.reminders[%d]", i)
		if rm.DaysBefore < 1 || rm.DaysBefore > MaxDaysBefore {
			return fmt.Errorf("%s.days_before must be 1 to %d, found %d", at, MaxDaysBefore, rm.DaysBefore)
		}
		if err := oneOf(at+".banner", rm.Banner, Banners); err != nil {
			return err
		}
		if err := oneOf(at+".dismissal", rm.Dismissal, Dismissals); err != nil {
			return err
		}
		if err := recipients(at+".notify", rm.Notify); err != nil {
			return err
		}
		if i > 0 {
			prev := r.Reminders[i-1]
			if rm.DaysBefore == prev.DaysBefore {
				return fmt.Errorf("policy.reminders: two reminders at D-%d", rm.DaysBefore)
			}
			if rm.DaysBefore > prev.DaysBefore {
				return fmt.Errorf("policy.reminders must run from the earliest to the last: D-%d is listed after D-%d", rm.DaysBefore, prev.DaysBefore)
			}
			if indexOf(Banners, rm.Banner) < indexOf(Banners, prev.Banner) || indexOf(Dismissals, rm.Dismissal) < indexOf(Dismissals, prev.Dismissal) {
				return fmt.Errorf("policy.reminders: reminder D-%d is less insistent than D-%d; banners may only grow more insistent", rm.DaysBefore, prev.DaysBefore)
			}
		}
	}
	if err := recipients("policy.expiry_notify", r.ExpiryNotify); err != nil {
		return err
	}
	return recipients("policy.lock_notify", r.LockNotify)
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func oneOf(key, value string, allowed []string) error {
	if indexOf(allowed, value) < 0 {
		return fmt.Errorf("%s must be one of %s; found \"%s\"", key, strings.Join(allowed, ", "), value)
	}
	return nil
}

func recipients(key string, names []string) error {
	for _, n := range names {
		if err := oneOf(key, n, Recipients); err != nil {
			return err
		}
	}
	var canonical []string
	for _, r := range Recipients {
		if indexOf(names, r) >= 0 {
			canonical = append(canonical, r)
		}
	}
	if strings.Join(canonical, ",") != strings.Join(names, ",") || len(canonical) != len(names) {
		return fmt.Errorf("%s must name each recipient once, in the order %s; found %s", key, strings.Join(Recipients, ", "), strings.Join(names, ", "))
	}
	return nil
}

// customPolicy types a format-2 [license.policy] table.
func customPolicy(p fields) (Policy, *Error) {
	if _, ok := p.table["preset"]; ok {
		return Policy{}, malformed("license.policy.preset belongs to format 1; a format 2 license carries the whole policy")
	}
	var reminders []PolicyReminder
	entries, e := p.tables("reminders")
	if e != nil {
		return Policy{}, e
	}
	for i, entry := range entries {
		r := fields{fmt.Sprintf("license.policy.reminders[%d]", i), entry}
		for _, key := range sortedKeys(entry) {
			if !reminderKeys[key] {
				return Policy{}, malformed("unexpected key '%s' in %s", key, r.path)
			}
		}
		days, e := r.wholeNumber("days_before")
		if e != nil {
			return Policy{}, e
		}
		banner, e := r.string("banner")
		if e != nil {
			return Policy{}, e
		}
		dismissal, e := r.string("dismissal")
		if e != nil {
			return Policy{}, e
		}
		notify, e := r.strings("notify")
		if e != nil {
			return Policy{}, e
		}
		if days > 1<<31-1 {
			days = 1<<31 - 1
		}
		reminders = append(reminders, PolicyReminder{int(days), banner, dismissal, notify})
	}
	name, e := p.string("name")
	if e != nil {
		return Policy{}, e
	}
	lockAction, e := p.string("lock_action")
	if e != nil {
		return Policy{}, e
	}
	expiry, e := p.strings("expiry_notify")
	if e != nil {
		return Policy{}, e
	}
	lock, e := p.strings("lock_notify")
	if e != nil {
		return Policy{}, e
	}
	rules := &PolicyRules{name, lockAction, reminders, expiry, lock}
	if err := rules.Validate(); err != nil {
		return Policy{}, malformed("license.%s", err.Error())
	}
	mode, days, e := grace(p)
	if e != nil {
		return Policy{}, e
	}
	return Policy{Preset: name, GraceDays: days, GraceMode: mode, Extensions: p.unknown(customPolicyKeys), Rules: rules}, nil
}

var (
	customPolicyKeys = map[string]bool{"name": true, "grace_days": true, "grace_mode": true, "lock_action": true,
		"reminders": true, "expiry_notify": true, "lock_notify": true}
	reminderKeys = map[string]bool{"days_before": true, "banner": true, "dismissal": true, "notify": true}
)

// grace reads grace_mode, then grace_days, in the Java reader's order.
func grace(p fields) (GraceMode, int, *Error) {
	modeName, e := p.string("grace_mode")
	if e != nil {
		return "", 0, e
	}
	mode := GraceMode(modeName)
	if mode != GraceFull && mode != GraceReadOnly {
		return "", 0, malformed("license.policy.grace_mode must be \"full\" or \"read-only\", found \"%s\"", modeName)
	}
	graceDays, e := p.wholeNumber("grace_days")
	if e != nil {
		return "", 0, e
	}
	if graceDays > maxGraceDays {
		return "", 0, malformed("license.policy.grace_days must be at most 3650, found %d", graceDays)
	}
	return mode, int(graceDays), nil
}

// policyTable is the signed [license.policy] table of a policy.
func policyTable(pol Policy) map[string]any {
	p := map[string]any{}
	for k, v := range pol.Extensions {
		p[k] = v
	}
	p["grace_days"] = int64(pol.GraceDays)
	p["grace_mode"] = string(pol.GraceMode)
	if pol.Rules == nil {
		p["preset"] = pol.Preset
		return p
	}
	r := pol.Rules
	p["name"] = r.Name
	p["lock_action"] = r.LockAction
	reminders := make([]any, 0, len(r.Reminders))
	for _, rm := range r.Reminders {
		reminders = append(reminders, map[string]any{"days_before": int64(rm.DaysBefore), "banner": rm.Banner,
			"dismissal": rm.Dismissal, "notify": strings2any(rm.Notify)})
	}
	p["reminders"] = reminders
	p["expiry_notify"] = strings2any(r.ExpiryNotify)
	p["lock_notify"] = strings2any(r.LockNotify)
	return p
}

func (f fields) strings(key string) ([]string, *Error) {
	if _, e := f.required(key); e != nil {
		return nil, e
	}
	return f.optionalStrings(key)
}

func (f fields) tables(key string) ([]map[string]any, *Error) {
	v, e := f.required(key)
	if e != nil {
		return nil, e
	}
	list, ok := v.([]any)
	if !ok {
		return nil, f.wrongType(key, "an array of tables", v)
	}
	out := make([]map[string]any, 0, len(list))
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			return nil, f.wrongType(key, "an array of tables", v)
		}
		out = append(out, m)
	}
	return out, nil
}
