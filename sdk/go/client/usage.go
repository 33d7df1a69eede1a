package client

import (
	"errors"
	"log"

	"keyturn.dev/go/client/internal/store"
	"keyturn.dev/go/lifecycle"
)

// UsageLimitError is returned by RequireIncrease when an increase would pass the
// limit plus its overage allowance (Java's UsageLimitException). Nothing was changed.
type UsageLimitError struct {
	Decision lifecycle.UsageDecision
}

// UsageOverAllowance is the stable code of a UsageLimitError.
const UsageOverAllowance = "USAGE_OVER_ALLOWANCE"

func (e *UsageLimitError) Error() string { return e.Decision.Message }

// Code is UsageOverAllowance.
func (e *UsageLimitError) Code() string { return UsageOverAllowance }

// reloadUsage takes the usage record from disk when it can be trusted; call it holding the lock.
func (m *Manager) reloadUsage() {
	if loaded := m.store.LoadUsage(); loaded.Status == store.StatusOK && loaded.Record != nil {
		m.usageRecord = *loaded.Record
	}
}

// currentUsage is the probe's usage, or without a probe what the product last reported.
func (m *Manager) currentUsage() (map[string]int64, error) {
	if !m.hasProbe {
		return m.usageRecord.Current, nil
	}
	usage, err := m.opts.Usage()
	if err != nil {
		return nil, clientError("the usage probe failed, so limits cannot be checked: %v", err)
	}
	return usage, nil
}

// ReportUsage records the product's current usage per limit in the state
// directory (usage.json, signed like the state): install paths check a
// downgrade against it, and the standing gains a banner when a limit is
// exceeded. It writes only when usage changed, a month's maximum rose, or
// the record is an hour old.
func (m *Manager) ReportUsage(usage map[string]int64) (lifecycle.UsageStanding, error) {
	if err := m.requireWritable("record usage"); err != nil {
		return lifecycle.UsageStanding{}, err
	}
	var out lifecycle.UsageStanding
	var err error
	m.locked(func() {
		t := m.now()
		m.reloadUsage()
		next, e := m.usageRecord.WithReport(usage, t.effective)
		if e != nil {
			err = clientError("ReportUsage: %v", e)
			return
		}
		changed := !sameUsage(next.Current, m.usageRecord.Current) || !sameMonths(next.Months, m.usageRecord.Months) ||
			!t.effective.Before(m.usageRecord.RecordedAtTime().Add(store.Heartbeat))
		if changed {
			if e := m.store.WriteUsage(next); e != nil {
				log.Printf("keyturn: cannot write the usage record in %s: %v", m.opts.StateDir, e)
			}
			m.usageRecord = next
		}
		out = m.publish(t).Usage
	})
	return out, err
}

// CheckIncrease says whether usage of limit may rise by by: refused only past
// the limit plus its overage allowance. Usage comes from the probe when there
// is one, else from the last ReportUsage.
func (m *Manager) CheckIncrease(limit string, by int64) (lifecycle.UsageDecision, error) {
	if m.hasProbe {
		usage, err := m.currentUsage()
		if err != nil {
			return lifecycle.UsageDecision{}, err
		}
		if _, err := m.ReportUsage(usage); err != nil {
			return lifecycle.UsageDecision{}, err
		}
	}
	var d lifecycle.UsageDecision
	var err error
	m.locked(func() {
		t := m.now()
		current := m.usageRecord.Current[limit]
		inForce := m.history.inForce(t.effective)
		if inForce == nil {
			d = lifecycle.UsageDecision{Limit: limit, Usage: current, After: current + by, Message: NoLicenseText}
			return
		}
		if _, revoked := m.state.Revoked[inForce.license().ID]; revoked {
			d = lifecycle.UsageDecision{Limit: limit, Usage: current, After: current + by, Message: NoLicenseText}
			return
		}
		d, err = lifecycle.Increase(grantOf(inForce.license()), limit, current, by)
		if err != nil {
			err = clientError("CheckIncrease: %v", err)
		}
	})
	return d, err
}

// RequireIncrease is CheckIncrease returning a *UsageLimitError when refused.
func (m *Manager) RequireIncrease(limit string, by int64) error {
	d, err := m.CheckIncrease(limit, by)
	if err != nil {
		return err
	}
	if !d.Allowed {
		return &UsageLimitError{Decision: d}
	}
	return nil
}

// IsUsageLimit reports whether err is a refusal of RequireIncrease.
func IsUsageLimit(err error) bool {
	var u *UsageLimitError
	return errors.As(err, &u)
}

func sameUsage(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func sameMonths(a, b map[string]map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !sameUsage(v, b[k]) {
			return false
		}
	}
	return true
}
