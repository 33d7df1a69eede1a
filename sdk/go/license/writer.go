package license

import (
	"crypto/ed25519"
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
)

// Sign signs lic with key (named keyID), as a vendor's issuer does: datetimes
// are truncated to whole seconds, the precision of the file format.
func Sign(lic License, keyID string, key ed25519.PrivateKey) (*Signed, error) {
	if !keyIDPattern.MatchString(keyID) {
		return nil, keyError("key id '%s' is not valid", keyID)
	}
	table, err := ToTable(lic)
	if err != nil {
		return nil, err
	}
	format := FormatOf(&lic)
	signed, e := fromTable(format, table)
	if e != nil {
		return nil, e
	}
	sig := ed25519.Sign(key, Canonical(format, table))
	return &Signed{Format: format, Table: table, License: *signed,
		Signature: Signature{Algorithm: "ed25519", KeyID: keyID, Value: base64.StdEncoding.EncodeToString(sig)}}, nil
}

// ToTable is the [license] table of a typed license, the one that is signed.
func ToTable(l License) (map[string]any, error) {
	t := map[string]any{}
	for k, v := range l.Extensions {
		t[k] = v
	}
	t["id"] = l.ID
	t["subscription_id"] = l.SubscriptionID
	t["customer"] = l.Customer
	if l.InstanceDomain != "" {
		d, err := NormalizeDomain(l.InstanceDomain)
		if err != nil {
			return nil, err
		}
		t["instance_domain"] = d
	}
	t["tier"] = l.Tier
	t["seats"] = l.Seats
	t["features"] = strings2any(l.Features)
	t["tags"] = strings2any(l.Tags)
	t["issued_at"] = l.IssuedAt.UTC().Truncate(time.Second)
	t["not_before"] = l.NotBefore.UTC().Truncate(time.Second)
	t["expires_at"] = l.ExpiresAt.UTC().Truncate(time.Second)
	limits := map[string]any{}
	for k, v := range l.Limits {
		limits[k] = v
	}
	t["limits"] = limits
	if len(l.OveragePercent) > 0 { // only when granted: a license without keeps its old canonical form
		if err := checkOverage(&l); err != nil {
			return nil, err
		}
		overage := map[string]any{}
		for k, v := range l.OveragePercent {
			overage[k] = v
		}
		t["overage_percent"] = overage
	}
	t["policy"] = policyTable(l.Policy)
	if err := checkKeys("license", t); err != nil {
		return nil, err
	}
	return t, nil
}

func isArrayOfTables(v any) bool {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		return false
	}
	for _, item := range list {
		if _, ok := item.(map[string]any); !ok {
			return false
		}
	}
	return true
}

func strings2any(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

var scalarOrder = []string{"id", "subscription_id", "customer", "instance_domain", "tier", "seats",
	"features", "tags", "issued_at", "not_before", "expires_at"}

// TOML writes the file in the layout of the Java writer: exactly the signed
// table, short lines, the signature split inside a multi-line string.
func (s *Signed) TOML() string {
	var b strings.Builder
	l := s.License
	fmt.Fprintf(&b, "# Keyturn license for %s, valid from %s until %s.\n", oneLine(l.Customer),
		FormatInstant(l.NotBefore), FormatInstant(l.ExpiresAt))
	b.WriteString("# Editing anything in [license] invalidates the signature.\n")
	fmt.Fprintf(&b, "format = %d\n\n[license]\n", s.Format)
	for _, key := range scalarOrder {
		if v, ok := s.Table[key]; ok {
			writeKeyValue(&b, key, v)
		}
	}
	for _, key := range sortedKeys(s.Table) {
		if !knownKeys[key] {
			writeKeyValue(&b, key, s.Table[key])
		}
	}
	for _, sub := range []string{"limits", "overage_percent", "policy"} {
		table, ok := s.Table[sub].(map[string]any)
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "\n[license.%s]\n", sub)
		done := map[string]bool{}
		for _, key := range []string{"preset", "name", "grace_days", "grace_mode", "lock_action", "expiry_notify", "lock_notify"} {
			if v, ok := table[key]; ok {
				writeKeyValue(&b, key, v)
				done[key] = true
			}
		}
		var arraysOfTables []string
		for _, key := range sortedKeys(table) {
			if done[key] {
				continue
			}
			if sub == "policy" && isArrayOfTables(table[key]) {
				arraysOfTables = append(arraysOfTables, key)
			} else {
				writeKeyValue(&b, key, table[key])
			}
		}
		// A custom policy's reminders as [[license.policy.reminders]] sections: short lines.
		for _, key := range arraysOfTables {
			for _, item := range table[key].([]any) {
				entry := item.(map[string]any)
				fmt.Fprintf(&b, "\n[[license.%s.%s]]\n", sub, key)
				if v, ok := entry["days_before"]; ok {
					writeKeyValue(&b, "days_before", v)
				}
				for _, k := range sortedKeys(entry) {
					if k != "days_before" {
						writeKeyValue(&b, k, entry[k])
					}
				}
			}
		}
	}
	b.WriteString("\n[signature]\n")
	writeKeyValue(&b, "algorithm", s.Signature.Algorithm)
	writeKeyValue(&b, "key_id", s.Signature.KeyID)
	b.WriteString("value = \"\"\"\n")
	for v := s.Signature.Value; v != ""; {
		n := 44
		if n > len(v) {
			n = len(v)
		}
		b.WriteString(v[:n] + "\n")
		v = v[n:]
	}
	b.WriteString("\"\"\"\n")
	return b.String()
}

func writeKeyValue(b *strings.Builder, key string, value any) {
	b.WriteString(key + " = ")
	if list, ok := value.([]any); ok && len(tomlValue(list)) > 72 {
		b.WriteString("[\n")
		for _, item := range list {
			b.WriteString("  " + tomlValue(item) + ",\n")
		}
		b.WriteString("]\n")
		return
	}
	b.WriteString(tomlValue(value) + "\n")
}

func tomlValue(value any) string {
	switch v := value.(type) {
	case string:
		return tomlQuote(v)
	case float64:
		switch {
		case math.IsNaN(v):
			return "nan"
		case math.IsInf(v, 1):
			return "inf"
		case math.IsInf(v, -1):
			return "-inf"
		}
		s := strconv.FormatFloat(v, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eEn") {
			s += ".0"
		}
		return s
	case int64:
		return strconv.FormatInt(v, 10)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		return FormatInstant(v)
	case toml.LocalDate:
		return formatLocalDate(v)
	case toml.LocalDateTime:
		return formatLocalDate(v.LocalDate) + "T" + formatLocalTime(v.LocalTime)
	case toml.LocalTime:
		return formatLocalTime(v)
	case []any:
		parts := make([]string, len(v))
		for i, item := range v {
			parts[i] = tomlValue(item)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		if len(v) == 0 {
			return "{}"
		}
		parts := make([]string, 0, len(v))
		for _, k := range sortedKeys(v) {
			parts = append(parts, k+" = "+tomlValue(v[k]))
		}
		return "{ " + strings.Join(parts, ", ") + " }"
	}
	panic(fmt.Sprintf("not a license value: %T", value))
}

func tomlQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }), " ")
}
