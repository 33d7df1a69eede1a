package client

import (
	"fmt"
	"math"
	"sort"

	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

// Unlimited is what Limit returns for a limit the license does not set.
const Unlimited = int64(math.MaxInt64)

const seats = "seats"

// LimitExcess is one limit a license would lower below what is in use.
type LimitExcess struct {
	Limit    string `json:"limit"`
	Usage    int64  `json:"usage"`
	NewValue int64  `json:"new_value"`
}

func (e LimitExcess) String() string {
	return fmt.Sprintf("%s: %d in use, the new license allows %d", e.Limit, e.Usage, e.NewValue)
}

// limitOf reads a named limit: [license.limits], seats from the license's
// seats (0 = unlimited) when not named there, otherwise Unlimited.
func limitOf(l *license.License, name string) int64 {
	if v, ok := grantOf(l).Licensed(name); ok {
		return v
	}
	return Unlimited
}

// grantOf is what usage is measured against. Readers keep [license.overage_percent]
// as a signed table among the extensions; a value that is no whole number grants nothing.
func grantOf(l *license.License) lifecycle.Grant {
	g := lifecycle.Grant{Seats: l.Seats, Limits: l.Limits, OveragePercent: map[string]int64{}}
	for k, v := range l.OveragePercent {
		g.OveragePercent[k] = v
	}
	if table, ok := l.Extensions["overage_percent"].(map[string]any); ok {
		for name, v := range table {
			switch n := v.(type) {
			case int64:
				g.OveragePercent[name] = n
			case int:
				g.OveragePercent[name] = int64(n)
			}
		}
	}
	return g
}

func allLimits(l *license.License) map[string]int64 {
	out := map[string]int64{}
	for k, v := range l.Limits {
		out[k] = v
	}
	if _, ok := out[seats]; !ok {
		out[seats] = limitOf(l, seats)
	}
	return out
}

// excesses are the limits next would lower below current usage. A limit that
// stays or rises never counts, even if usage is already above it: upgrades always install.
func excesses(current *license.License, next *license.License, usage map[string]int64) []LimitExcess {
	names := make([]string, 0, len(usage))
	for k := range usage {
		names = append(names, k)
	}
	sort.Strings(names)
	out := []LimitExcess{}
	for _, name := range names {
		used := usage[name]
		newValue := limitOf(next, name)
		oldValue := Unlimited
		if current != nil {
			oldValue = limitOf(current, name)
		}
		if newValue < oldValue && used > newValue {
			out = append(out, LimitExcess{name, used, newValue})
		}
	}
	return out
}
