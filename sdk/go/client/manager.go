// Package client is the license runtime a product embeds: it installs license
// files, says what the license in force allows, and keeps that answer honest
// against clock turn-backs, crashes and outages. It behaves as the Java
// reference's LicenseManager (keyturn-client).
//
// The license in force is the newest valid installed license: among stored
// files whose signature verifies and whose instance domain is this product's,
// those whose not_before has passed; of these the one with the latest
// expires_at. An expired license stays in force, in grace and then locked,
// until a newer one is installed.
//
// Allows, Mode and Limit read one atomic pointer to an immutable snapshot: no
// I/O, no lock, no allocation, no clock read. The snapshot is rebuilt on every
// install, dismissal and check-in, and when the standing next changes if Run
// is running (or whenever Refresh is called).
package client

import (
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"time"

	"keyturn.dev/go/client/audit"
	"keyturn.dev/go/client/internal/store"
	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

// Defaults and bounds, shared by Options and the docs.
const (
	DefaultRollbackTolerance = time.Hour
	MaxRollbackTolerance     = 7 * 24 * time.Hour
	HighWaterPersistInterval = 10 * time.Minute
	RefreshInterval          = time.Minute
	MinRefreshDelay          = 100 * time.Millisecond
	InstanceIDFile           = "instance.id"
	maxAuditedMessage        = 500
)

// ErrClient is wrapped by the manager's own failures (bad options, a state
// directory that cannot be written, a read-only manager asked to write).
var ErrClient = errors.New("keyturn client")

func clientError(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrClient, fmt.Sprintf(format, args...))
}

// Options configure a Manager. StateDir and TrustedKeys are required.
type Options struct {
	StateDir       string           // licenses, state, audit log and secret; created if missing
	TrustedKeys    *license.KeyRing // the vendor's public keys by key id; not empty
	InstanceDomain string           // this installation's domain; licenses bound to another are refused
	// Usage reports current usage per limit name (users, seats…): asked on
	// install to refuse a downgrade that would not fit, and sent on check-in.
	Usage func() (map[string]int64, error)
	Clock Clock // defaults to SystemClock; a Clock implementing Ticker also supplies monotonic time
	// RollbackTolerance is how far behind the high-water mark the clock may be
	// before it counts as a rollback; 0 means DefaultRollbackTolerance.
	RollbackTolerance time.Duration
	Zone              *time.Location   // banner dates; defaults to time.Local
	CheckIn           *CheckInSettings // online check-in; nil for air-gapped installs
	// ReadOnly reads the state directory without writing anything (keyturn
	// status); Install, Dismiss and CheckIn then fail.
	ReadOnly bool
}

// Manager is the license runtime. Safe for concurrent use.
type Manager struct {
	opts     Options
	verifier *license.Verifier
	store    *store.Store
	audit    *audit.Log
	files    store.LicenseFiles
	history  *history
	zone     *time.Location
	snap     atomic.Pointer[snapshot]
	changed  chan struct{} // wakes Run after a publish

	// guarded by the store's lock
	guard              *clockGuard
	state              store.State
	persistedHighWater time.Time
	rollbackReported   bool
	sessionFlags       map[Flag]bool
	usageRecord        store.UsageRecord
	hasProbe           bool // without a probe the product reports usage itself
}

// New validates opts, loads (or rebuilds) the state directory and publishes the first snapshot.
func New(opts Options) (*Manager, error) {
	if opts.StateDir == "" {
		return nil, clientError("StateDir is required: where the client keeps its licenses and state")
	}
	if opts.TrustedKeys == nil || opts.TrustedKeys.Len() == 0 {
		return nil, clientError("TrustedKeys is required and must hold at least one public key")
	}
	if opts.RollbackTolerance == 0 {
		opts.RollbackTolerance = DefaultRollbackTolerance
	}
	if opts.RollbackTolerance < 0 || opts.RollbackTolerance > MaxRollbackTolerance {
		return nil, clientError("RollbackTolerance must be between 0 and %s (MaxRollbackTolerance), was %s", MaxRollbackTolerance, opts.RollbackTolerance)
	}
	if opts.InstanceDomain != "" {
		d, err := license.NormalizeDomain(opts.InstanceDomain)
		if err != nil {
			return nil, clientError("InstanceDomain: %v", err)
		}
		opts.InstanceDomain = d
	}
	if opts.Clock == nil {
		opts.Clock = SystemClock{}
	}
	hasProbe := opts.Usage != nil
	if opts.Usage == nil {
		opts.Usage = func() (map[string]int64, error) { return nil, nil }
	}
	if opts.CheckIn != nil {
		settings := *opts.CheckIn // defaults are filled into a copy, never into the caller's
		if err := settings.validate(); err != nil {
			return nil, err
		}
		opts.CheckIn = &settings
	}
	zone := opts.Zone
	if zone == nil {
		zone = time.Local
	}
	verifier := license.NewVerifier(opts.TrustedKeys)
	files := store.NewLicenseFiles(opts.StateDir)
	m := &Manager{opts: opts, verifier: verifier, store: store.NewStore(opts.StateDir), audit: audit.New(opts.StateDir),
		files: files, zone: zone, sessionFlags: map[Flag]bool{}, changed: make(chan struct{}, 1),
		usageRecord: store.EmptyUsage(), hasProbe: hasProbe,
		history: &history{files: files, verifier: verifier, instanceDomain: opts.InstanceDomain}}
	m.snap.Store(nothing)
	if opts.ReadOnly {
		if info, err := os.Stat(opts.StateDir); err != nil || !info.IsDir() {
			return nil, clientError("no state directory at %s", opts.StateDir)
		}
	} else {
		if err := os.MkdirAll(opts.StateDir, 0o755); err != nil {
			return nil, clientError("cannot create the state directory %s: %v", opts.StateDir, err)
		}
		if err := files.Create(); err != nil {
			return nil, clientError("cannot create %s: %v", files.Dir, err)
		}
	}
	m.locked(func() {
		m.start()
		m.reloadUsage()
		m.publish(m.now())
	})
	return m, nil
}

// ---------------------------------------------------------------- hot path

// Allows reports whether the license in force grants feature and the product is not locked.
func (m *Manager) Allows(feature string) bool {
	_, ok := m.snap.Load().features[feature]
	return ok
}

// Mode is FULL, READ_ONLY (grace of a read-only policy) or LOCKED.
func (m *Manager) Mode() lifecycle.Mode {
	return m.snap.Load().mode
}

// Limit is a named limit of the license in force ([license.limits]; seats too,
// from the license's seats when not named there). Unlimited when the license
// does not set it (or sets seats = 0); 0 for every name while no license is installed.
func (m *Manager) Limit(name string) int64 {
	s := m.snap.Load()
	if v, ok := s.limits[name]; ok {
		return v
	}
	return s.absentLimit
}

// ---------------------------------------------------------------- standing

// Standing is the standing now: the lifecycle of the license in force at the guarded time, plus flags.
func (m *Manager) Standing() Standing {
	var s Standing
	m.locked(func() {
		m.history.reloadIfChanged()
		s = m.publish(m.now())
	})
	return s
}

// Refresh re-reads the license history (another process may have installed
// one), observes the clock and rebuilds the snapshot. Run calls it on schedule.
func (m *Manager) Refresh() { m.Standing() }

// AuditLog is the audit log of the state directory.
func (m *Manager) AuditLog() *audit.Log { return m.audit }

// VerifyAudit walks the audit chain against the line count and hash the signed state file records.
func (m *Manager) VerifyAudit() audit.Verification {
	return VerifyAudit(m.opts.StateDir)
}

// VerifyAudit verifies the audit log of a state directory, reading only.
func VerifyAudit(stateDir string) audit.Verification {
	loaded := store.NewStore(stateDir).Load()
	var expected *audit.Tail
	if loaded.Status == store.StatusOK {
		expected = &audit.Tail{Lines: loaded.State.AuditLines, Hash: loaded.State.AuditHead}
	}
	return audit.New(stateDir).Verify(expected)
}

// ---------------------------------------------------------------- engine (callers hold the lock)

func (m *Manager) locked(action func()) {
	m.store.Locked(!m.opts.ReadOnly, action)
}

func (m *Manager) requireWritable(what string) error {
	if m.opts.ReadOnly {
		return clientError("this Manager is read-only; it cannot %s", what)
	}
	return nil
}

// now reads the guarded time; audits a rollback when it starts and ends, and
// persists the high-water mark every HighWaterPersistInterval.
func (m *Manager) now() guardedTime {
	t := m.guard.observe()
	if m.opts.ReadOnly {
		return t
	}
	switch {
	case t.rollback && !m.rollbackReported:
		m.rollbackReported = true
		m.record(rollbackEvent(t))
	case !t.rollback && m.rollbackReported:
		m.rollbackReported = false
		m.record(&event{t.effective, "clock_restored", []audit.Field{{Key: "clock", Value: license.FormatInstant(t.clock)}}})
	case !t.effective.Before(m.persistedHighWater.Add(HighWaterPersistInterval)):
		m.record(nil)
	}
	return t
}

type event struct {
	at   time.Time
	name string
	data []audit.Field
}

func rollbackEvent(t guardedTime) *event {
	return &event{t.effective, "clock_rollback", []audit.Field{
		{Key: "clock", Value: license.FormatInstant(t.clock)},
		{Key: "high_water", Value: license.FormatInstant(t.effective)},
		{Key: "behind_seconds", Value: int64(t.behind / time.Second)},
	}}
}

// record writes an audit entry (optional) and a state change together. A disk
// that cannot be written must not take the product down: the change is then
// kept in memory.
func (m *Manager) record(e *event, changes ...func(store.State) store.State) {
	apply := func(s store.State) store.State {
		for _, c := range changes {
			s = c(s)
		}
		return s
	}
	if m.opts.ReadOnly {
		m.state = apply(m.state)
		return
	}
	base := m.currentBase()
	if e != nil {
		if tail, err := m.audit.Append(e.at, e.name, e.data...); err == nil {
			base.AuditLines, base.AuditHead = tail.Lines, tail.Hash
		}
	}
	next, err := m.store.Write(apply(base.WithHighWater(m.guard.mark())))
	if err != nil {
		m.state = apply(m.state.WithHighWater(m.guard.mark()))
		m.persistedHighWater = m.guard.mark()
		fmt.Fprintf(os.Stderr, "keyturn: cannot write the license state in %s; continuing from memory: %v\n", m.opts.StateDir, err)
		return
	}
	m.state = next
	m.persistedHighWater = next.HighWaterTime()
}

// currentBase is the state file as it is now (another process may have
// written it) or, if it was deleted or replaced meanwhile, our own copy, audited.
func (m *Manager) currentBase() store.State {
	loaded := m.store.Load()
	if loaded.Status == store.StatusOK {
		return *loaded.State
	}
	base := m.state
	if tail, err := m.audit.Append(m.guard.mark(), "state_reset",
		audit.Field{Key: "status", Value: string(loaded.Status)}, audit.Field{Key: "detail", Value: loaded.Detail}); err == nil {
		base.AuditLines, base.AuditHead = tail.Lines, tail.Hash
	}
	m.sessionFlags[FlagStateReset] = true
	return base
}

// publish evaluates the license in force at t and swaps in the new snapshot.
func (m *Manager) publish(t guardedTime) Standing {
	at := t.effective
	shown := m.history.inForce(at)
	if shown == nil {
		shown = m.history.nextToStart(at)
	}
	var nextActivation *time.Time
	if next := m.history.nextToStart(at); next != nil {
		nb := next.license().NotBefore
		nextActivation = &nb
	}
	var lic *license.License
	if shown != nil {
		lic = shown.license()
	}
	standing, snap := evaluate(lic, nextActivation, t, m.state, m.sessionFlags, m.zone, m.usageRecord.Current)
	m.snap.Store(snap)
	m.auditStage(standing)
	select {
	case m.changed <- struct{}{}:
	default:
	}
	return standing
}

// auditStage audits each stage a license enters once: an administrator sees
// when the product locked, and the entries are evidence of time.
func (m *Manager) auditStage(s Standing) {
	if m.opts.ReadOnly || s.License == nil || s.StageID() == "" {
		return
	}
	key := s.License.ID + "/" + s.StageID()
	if key == m.state.LastStage {
		return
	}
	m.record(&event{s.EvaluatedAt, "stage_entered", []audit.Field{
		{Key: "license_id", Value: s.License.ID}, {Key: "stage", Value: s.StageID()}, {Key: "phase", Value: string(s.Phase)}, {Key: "mode", Value: string(s.Mode)},
	}}, func(st store.State) store.State { st.LastStage = key; return st })
}

// NextRefreshDelay is how long until the snapshot next changes, at most
// RefreshInterval and at least MinRefreshDelay, so a clock that stands still
// cannot make the loop spin.
func (m *Manager) NextRefreshDelay() time.Duration {
	until := m.snap.Load().validUntil
	if until == nil {
		return RefreshInterval
	}
	d := until.Sub(m.guard.mark())
	if d < MinRefreshDelay {
		return MinRefreshDelay
	}
	if d > RefreshInterval {
		return RefreshInterval
	}
	return d
}
