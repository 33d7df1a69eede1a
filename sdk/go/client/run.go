package client

import (
	"context"
	"time"
)

// Run keeps the snapshot current and checks in on schedule until ctx is done:
// it refreshes when the standing next changes, and at least every
// RefreshInterval so a suspended machine or a clock set forward is caught up.
func (m *Manager) Run(ctx context.Context) {
	refresh := time.NewTimer(m.NextRefreshDelay())
	defer refresh.Stop()
	var checkIns <-chan time.Time // nil, so never ready, without check-in
	if m.opts.CheckIn != nil && !m.opts.ReadOnly {
		checkIns = time.After(0)
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-refresh.C:
			if m.hasProbe && !m.opts.ReadOnly {
				// The record keyturn install checks a downgrade against (as the Java client does).
				if usage, err := m.currentUsage(); err == nil {
					_, _ = m.ReportUsage(usage)
				}
			}
			m.Refresh()
			refresh.Reset(m.NextRefreshDelay())
		case <-m.changed:
			if !refresh.Stop() {
				select {
				case <-refresh.C:
				default:
				}
			}
			refresh.Reset(m.NextRefreshDelay())
		case <-checkIns:
			next := m.CheckIn(ctx).NextCheckIn
			if next < MinCheckInInterval {
				next = MinCheckInInterval // never a busy loop, whatever the answer
			}
			checkIns = time.After(next)
		}
	}
}
