package client

import (
	"fmt"
	"os"
	"time"

	"keyturn.dev/go/client/audit"
	"keyturn.dev/go/client/internal/store"
	"keyturn.dev/go/license"
)

// start loads the state of the directory, or rebuilds it from evidence when it
// is missing or cannot be trusted, and starts the clock guard from the latest
// time that evidence proves. Caller holds the lock.
func (m *Manager) start() {
	m.history.reloadIfChanged()
	tail, err := m.audit.Tail()
	if err != nil {
		tail = audit.Tail{Hash: audit.Genesis}
	}
	loaded := m.store.Load()
	evidence := latest(tail.LastAt, m.history.latestIssuedAt())
	var floor time.Time
	var finding *event
	if loaded.Status == store.StatusOK {
		m.state = *loaded.State
		hw := m.state.HighWaterTime()
		floor = *latest(&hw, evidence)
		finding = m.auditLogMismatch(tail)
	} else {
		if evidence != nil {
			floor = *evidence
		} else {
			floor = time.Unix(0, 0).UTC()
		}
		m.state = store.Initial(floor, tail.Hash, tail.Lines)
		firstUse := loaded.Status == store.StatusFresh && len(m.history.authentic) == 0 && tail.Lines == 0
		if !firstUse {
			finding = m.rebuildFromEvidence(loaded, floor)
		}
	}
	ticker := func() time.Duration { return 0 }
	if t, ok := m.opts.Clock.(Ticker); ok {
		ticker = t.Ticks
	}
	m.guard = newClockGuard(m.opts.Clock, ticker, m.opts.RollbackTolerance, floor)
	t := m.guard.observe()
	m.state = m.state.WithHighWater(t.effective)
	if !m.opts.ReadOnly {
		if written, err := m.store.Write(m.state); err == nil {
			m.state = written
		} else {
			fmt.Fprintf(os.Stderr, "keyturn: cannot write the license state in %s; continuing from memory: %v\n", m.opts.StateDir, err)
		}
		m.persistedHighWater = t.effective
		if finding != nil {
			finding.at = t.effective
			m.record(finding)
		}
		if t.rollback {
			m.rollbackReported = true
			m.record(rollbackEvent(t))
		}
	}
	for file, why := range m.history.ignored {
		fmt.Fprintf(os.Stderr, "keyturn: ignoring installed license file %s: %s\n", file, why)
	}
	m.publish(t)
}

// auditLogMismatch: the log must still hold, unchanged, the last line the
// state file recorded; when it does not, lines were cut or edited while the
// product was stopped.
func (m *Manager) auditLogMismatch(tail audit.Tail) *event {
	st := m.state
	intact := tail.Lines >= st.AuditLines
	if intact && st.AuditLines > 0 {
		h, ok := m.audit.HashOfLine(st.AuditLines)
		intact = ok && h == st.AuditHead
	}
	if intact {
		return nil
	}
	v := m.audit.Verify(&audit.Tail{Lines: st.AuditLines, Hash: st.AuditHead})
	return &event{name: "audit_log_broken", data: []audit.Field{{Key: "detail", Value: v.Description}}}
}

// rebuildFromEvidence: the state file is gone or cannot be trusted, yet
// licenses or an audit log exist. Time comes from them (the caller's floor),
// revocations from the audit log; dismissals are lost, which only shows banners again.
func (m *Manager) rebuildFromEvidence(loaded store.Loaded, floor time.Time) *event {
	for _, e := range m.audit.Entries() {
		if id, ok := e.Data["license_id"].(string); ok && e.Event == "revoked" {
			reason, _ := e.Data["reason"].(string)
			m.state = m.state.WithRevoked(id, reason)
		}
	}
	m.sessionFlags[FlagStateReset] = true
	return &event{name: "state_reset", data: []audit.Field{
		{Key: "status", Value: string(loaded.Status)}, {Key: "detail", Value: loaded.Detail},
		{Key: "high_water", Value: license.FormatInstant(floor)},
	}}
}

func latest(a, b *time.Time) *time.Time {
	switch {
	case a == nil:
		return b
	case b == nil || a.After(*b):
		return a
	}
	return b
}
