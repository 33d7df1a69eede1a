package license

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/pelletier/go-toml/v2"
)

const canonicalPrefix = "keyturn-license-v1\n"

// canonicalNaN is the one NaN Java's Double.doubleToLongBits gives, whatever NaN was parsed.
const canonicalNaN = 0x7ff8000000000000

// Canonical returns the bytes a license signature covers: format and the parsed
// [license] table (docs/license-format.md, "What the signature covers").
//
// Table values are those Read produces: string, int64, float64, bool,
// time.Time (an offset datetime, as an instant), toml.LocalDate,
// toml.LocalDateTime, toml.LocalTime, []any and map[string]any.
func Canonical(format int64, table map[string]any) []byte {
	out := make([]byte, 0, 1024)
	out = append(out, canonicalPrefix...)
	out = append(out, "{format="...)
	out = strconv.AppendInt(out, format, 10)
	out = append(out, ",license="...)
	out = appendValue(out, table)
	return append(out, '}')
}

func appendValue(out []byte, value any) []byte {
	switch v := value.(type) {
	case string:
		return appendString(out, v)
	case int64:
		return strconv.AppendInt(out, v, 10)
	case float64:
		bits := math.Float64bits(v)
		if math.IsNaN(v) {
			bits = canonicalNaN
		}
		return append(out, fmt.Sprintf("f%016x", bits)...)
	case bool:
		return strconv.AppendBool(out, v)
	case time.Time:
		return append(append(out, 't'), FormatInstant(v)...)
	case toml.LocalDate:
		return append(append(out, 'd'), formatLocalDate(v)...)
	case toml.LocalDateTime:
		out = append(append(out, 'l'), formatLocalDate(v.LocalDate)...)
		return append(append(out, 'T'), formatLocalTime(v.LocalTime)...)
	case toml.LocalTime:
		return append(append(out, 'h'), formatLocalTime(v)...)
	case []any:
		out = append(out, '[')
		for i, item := range v {
			if i > 0 {
				out = append(out, ',')
			}
			out = appendValue(out, item)
		}
		return append(out, ']')
	case map[string]any:
		out = append(out, '{')
		for i, key := range sortedKeys(v) {
			if i > 0 {
				out = append(out, ',')
			}
			out = append(append(out, key...), '=')
			out = appendValue(out, v[key])
		}
		return append(out, '}')
	}
	panic(fmt.Sprintf("not a license value: %T", value))
}

// appendString JSON-quotes s: '"', '\' and control characters escaped, everything else literal UTF-8.
func appendString(out []byte, s string) []byte {
	out = append(out, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			out = append(out, '\\', c)
		case c < 0x20 || c == 0x7f:
			out = append(out, fmt.Sprintf("\\u%04x", c)...)
		default:
			out = append(out, c)
		}
	}
	return append(out, '"')
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys) // keys are [A-Za-z0-9_-]: byte order is Java's String order
	return keys
}

// FormatInstant writes t in UTC as Java's Instant.toString does: seconds
// always, a fraction only when non-zero, in groups of three digits.
func FormatInstant(t time.Time) string {
	t = t.UTC()
	s := t.Format("2006-01-02T15:04:05")
	return s + fraction(t.Nanosecond(), true) + "Z"
}

// fraction is ".SSS", ".SSSSSS" or ".SSSSSSSSS" (grouped, as ISO_INSTANT writes it)
// or the shortest exact digits (as ISO_LOCAL_TIME writes it); empty for zero.
func fraction(nanos int, grouped bool) string {
	if nanos == 0 {
		return ""
	}
	digits := fmt.Sprintf("%09d", nanos)
	if grouped {
		switch {
		case nanos%1_000_000 == 0:
			return "." + digits[:3]
		case nanos%1_000 == 0:
			return "." + digits[:6]
		}
		return "." + digits
	}
	end := len(digits)
	for end > 0 && digits[end-1] == '0' {
		end--
	}
	return "." + digits[:end]
}

func formatLocalDate(d toml.LocalDate) string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

func formatLocalTime(t toml.LocalTime) string {
	return fmt.Sprintf("%02d:%02d:%02d", t.Hour, t.Minute, t.Second) + fraction(t.Nanosecond, false)
}
