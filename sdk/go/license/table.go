package license

import (
	"fmt"
	"strings"
	"time"
)

// fields is typed access to one table's values, with errors that name the full key.
type fields struct {
	path  string
	table map[string]any
}

func (f fields) required(key string) (any, *Error) {
	v, ok := f.table[key]
	if !ok {
		return nil, malformed("%s.%s is missing", f.path, key)
	}
	return v, nil
}

func (f fields) wrongType(key, expected string, found any) *Error {
	shown := describe(found)
	if s, ok := found.(string); ok {
		shown = `"` + s + `"`
	}
	return malformed("%s.%s must be %s, found %s", f.path, key, expected, shown)
}

func (f fields) string(key string) (string, *Error) {
	v, e := f.required(key)
	if e != nil {
		return "", e
	}
	s, ok := v.(string)
	if !ok || strings.TrimSpace(s) == "" {
		return "", f.wrongType(key, "a non-empty string", v)
	}
	return s, nil
}

func (f fields) wholeNumber(key string) (int64, *Error) {
	v, e := f.required(key)
	if e != nil {
		return 0, e
	}
	n, ok := v.(int64)
	if !ok || n < 0 {
		return 0, f.wrongType(key, "a whole number of 0 or more", v)
	}
	return n, nil
}

func (f fields) instant(key string) (time.Time, *Error) {
	v, e := f.required(key)
	if e != nil {
		return time.Time{}, e
	}
	t, ok := v.(time.Time)
	if !ok {
		return time.Time{}, f.wrongType(key, "a datetime with an offset, e.g. 2026-11-22T00:00:00Z", v)
	}
	return t, nil
}

func (f fields) optionalStrings(key string) ([]string, *Error) {
	v, ok := f.table[key]
	if !ok {
		return []string{}, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, f.wrongType(key, "an array of strings", v)
	}
	out := make([]string, 0, len(list))
	for _, item := range list {
		s, ok := item.(string)
		if !ok {
			return nil, f.wrongType(key, "an array of strings", v)
		}
		out = append(out, s)
	}
	return out, nil
}

func (f fields) subTable(key string) (map[string]any, *Error) {
	v, e := f.required(key)
	if e != nil {
		return nil, e
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, f.wrongType(key, "a table", v)
	}
	return m, nil
}

func (f fields) unknown(known map[string]bool) map[string]any {
	out := map[string]any{}
	for k, v := range f.table {
		if !known[k] {
			out[k] = v
		}
	}
	return out
}

// fromTable types the [license] table, with the checks of the Java License record.
func fromTable(format int64, t map[string]any) (*License, *Error) {
	f := fields{"license", t}
	limits := map[string]int64{}
	if raw, ok := t["limits"]; ok {
		table, ok := raw.(map[string]any)
		if !ok {
			return nil, f.wrongType("limits", "a table", raw)
		}
		for _, name := range sortedKeys(table) {
			n, ok := table[name].(int64)
			if !ok || n < 0 {
				return nil, malformed("license.limits.%s must be a whole number of 0 or more, found %s", name, describe(table[name]))
			}
			limits[name] = n
		}
	}
	overage := map[string]int64{}
	if raw, ok := t["overage_percent"]; ok {
		table, ok := raw.(map[string]any)
		if !ok {
			return nil, f.wrongType("overage_percent", "a table", raw)
		}
		for _, name := range sortedKeys(table) {
			n, ok := table[name].(int64)
			if !ok || n < 0 || n > MaxOveragePercent {
				found := describe(table[name])
				if ok {
					found = fmt.Sprint(n)
				}
				return nil, malformed("license.overage_percent.%s must be a whole number from 0 to %d, found %s", name, MaxOveragePercent, found)
			}
			overage[name] = n
		}
	}
	rawPolicy, e := f.subTable("policy")
	if e != nil {
		return nil, e
	}
	p := fields{"license.policy", rawPolicy}
	var pol Policy
	if format >= FormatVersion {
		pol, e = customPolicy(p)
	} else {
		pol, e = presetPolicy(p)
	}
	if e != nil {
		return nil, e
	}
	lic := &License{Policy: pol}
	if _, ok := t["instance_domain"]; ok {
		d, e := f.string("instance_domain")
		if e != nil {
			return nil, e
		}
		normalized, err := NormalizeDomain(d)
		if err != nil {
			return nil, malformed("license: %v", err)
		}
		lic.InstanceDomain = normalized
	}
	for _, s := range []struct {
		key string
		to  *string
	}{{"id", &lic.ID}, {"subscription_id", &lic.SubscriptionID}, {"customer", &lic.Customer}, {"tier", &lic.Tier}} {
		if *s.to, e = f.string(s.key); e != nil {
			return nil, e
		}
	}
	if lic.Seats, e = f.wholeNumber("seats"); e != nil {
		return nil, e
	}
	if lic.Features, e = f.optionalStrings("features"); e != nil {
		return nil, e
	}
	if lic.Tags, e = f.optionalStrings("tags"); e != nil {
		return nil, e
	}
	for _, s := range []struct {
		key string
		to  *time.Time
	}{{"issued_at", &lic.IssuedAt}, {"not_before", &lic.NotBefore}, {"expires_at", &lic.ExpiresAt}} {
		if *s.to, e = f.instant(s.key); e != nil {
			return nil, e
		}
	}
	lic.Limits = limits
	lic.Extensions = f.unknown(knownKeys)
	if !lic.ExpiresAt.After(lic.NotBefore) {
		return nil, malformed("license: expires_at (%s) must be after not_before (%s)",
			FormatInstant(lic.ExpiresAt), FormatInstant(lic.NotBefore))
	}
	lic.OveragePercent = overage
	if err := checkOverage(lic); err != nil {
		return nil, malformed("license: %v", err)
	}
	return lic, nil
}

// presetPolicy types a format-1 [license.policy]: a preset and its grace.
func presetPolicy(p fields) (Policy, *Error) {
	preset, e := p.string("preset")
	if e != nil {
		return Policy{}, e
	}
	if !presets[preset] {
		return Policy{}, malformed("license.policy.preset must be \"appliance\" or \"subscription\", found \"%s\"", preset)
	}
	mode, days, e := grace(p)
	if e != nil {
		return Policy{}, e
	}
	return Policy{Preset: preset, GraceDays: days, GraceMode: mode, Extensions: p.unknown(policyKeys)}, nil
}

// describe names a value's type as the Java reader's messages do.
func describe(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case string:
		return "a string"
	case int64:
		return "an integer"
	case float64:
		return "a float"
	case bool:
		return "a boolean"
	case time.Time:
		return "a datetime"
	case []any:
		return "an array"
	case map[string]any:
		return "a table"
	}
	switch fmt.Sprintf("%T", v) {
	case "toml.LocalDate":
		return "a local date"
	case "toml.LocalDateTime":
		return "a local datetime"
	}
	return "a local time"
}

// javaString prints a value as Java's String.valueOf would, for messages.
func javaString(v any) string {
	switch x := v.(type) {
	case time.Time:
		return FormatInstant(x)
	case float64:
		return fmt.Sprint(x)
	}
	return fmt.Sprint(v)
}

// MaxOveragePercent is the largest allowance a license may grant.
const MaxOveragePercent = 1000

// checkOverage holds each allowance to a limit the license sets, as the Java License record does.
func checkOverage(l *License) error {
	for _, name := range sortedKeys(anyMap(l.OveragePercent)) {
		p := l.OveragePercent[name]
		if p < 0 || p > MaxOveragePercent {
			return fmt.Errorf("overage_percent.%s must be a whole number from 0 to %d, was %d", name, MaxOveragePercent, p)
		}
		if _, ok := l.Limits[name]; !ok && !(name == "seats" && l.Seats > 0) {
			seats := ""
			if name == "seats" {
				seats = " or seats"
			}
			return fmt.Errorf("overage_percent.%s must be a limit this license sets (set license.limits.%s%s first)", name, name, seats)
		}
	}
	return nil
}

func anyMap(m map[string]int64) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
