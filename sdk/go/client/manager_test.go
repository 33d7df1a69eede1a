package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"keyturn.dev/go/client"
	"keyturn.dev/go/internal/testlicense"
	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

var start = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

type fixture struct {
	t      *testing.T
	dir    string
	clock  *client.SettableClock
	vendor *testlicense.Vendor
	usage  map[string]int64
}

func newFixture(t *testing.T) *fixture {
	return &fixture{t: t, dir: t.TempDir(), clock: client.NewSettableClock(start), vendor: testlicense.New("2026-a"), usage: map[string]int64{}}
}

func (f *fixture) manager(mutate ...func(*client.Options)) *client.Manager {
	f.t.Helper()
	opts := client.Options{StateDir: f.dir, TrustedKeys: f.vendor.Ring, Clock: f.clock, Zone: time.UTC,
		Usage: func() (map[string]int64, error) { return f.usage, nil }}
	for _, m := range mutate {
		m(&opts)
	}
	m, err := client.New(opts)
	if err != nil {
		f.t.Fatal(err)
	}
	return m
}

// license valid from start-1d for days.
func (f *fixture) license(days int, edit ...func(*license.License)) []byte {
	l := f.vendor.Base(start.Add(-day), days)
	for _, e := range edit {
		e(&l)
	}
	return f.vendor.Sign(l)
}

func install(t *testing.T, m *client.Manager, file []byte) client.InstallResult {
	t.Helper()
	r, err := m.Install(file)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWithoutALicenseTheProductIsLocked(t *testing.T) {
	m := newFixture(t).manager()
	s := m.Standing()
	if s.Mode != lifecycle.ModeLocked || !s.Has(client.FlagNoLicense) || s.Banner.Text != client.NoLicenseText {
		t.Fatalf("%s %v %q", s.Mode, s.Flags, s.Banner.Text)
	}
	if m.Allows("sso") || m.Limit("users") != 0 || m.Mode() != lifecycle.ModeLocked {
		t.Fatal("the hot path grants something without a license")
	}
}

func TestInstallThenTheHotPathAnswers(t *testing.T) {
	f := newFixture(t)
	m := f.manager()
	file := f.license(365)
	r := install(t, m, file)
	if !r.Installed() || !r.InForce {
		t.Fatalf("%s: %s", r.Code, r.Message)
	}
	if !m.Allows("sso") || m.Allows("sap") || m.Mode() != lifecycle.ModeFull {
		t.Fatal("hot path")
	}
	if m.Limit("users") != 25 || m.Limit("seats") != 25 || m.Limit("projects") != client.Unlimited {
		t.Fatalf("limits %d %d %d", m.Limit("users"), m.Limit("seats"), m.Limit("projects"))
	}
	if again := install(t, m, file); again.Code != license.Valid || !strings.Contains(again.Message, "already installed and in force") {
		t.Fatalf("%s: %s", again.Code, again.Message)
	}
	files, _ := filepath.Glob(filepath.Join(f.dir, "licenses", "*.license.toml"))
	if len(files) != 1 {
		t.Fatalf("%d files in the history", len(files))
	}
	// A new process over the same directory finds the same license in force.
	if s := f.manager().Standing(); s.License == nil || s.License.ID != r.License.ID {
		t.Fatalf("after restart: %+v", s.License)
	}
}

func TestTheNewestLicenseIsInForce(t *testing.T) {
	f := newFixture(t)
	m := f.manager()
	install(t, m, f.license(365))
	renewal := install(t, m, f.license(730))
	if !renewal.InForce || m.Standing().License.ID != renewal.License.ID {
		t.Fatal("the renewal is not in force")
	}
	older := install(t, m, f.license(100))
	if !older.Installed() || older.InForce {
		t.Fatalf("an older license: %s in force %v", older.Code, older.InForce)
	}
	if !strings.Contains(older.Message, "expires later and stays in force") {
		t.Fatalf("message %q", older.Message)
	}
}

func TestADowngradeBelowUsageIsRefusedAndChangesNothing(t *testing.T) {
	f := newFixture(t)
	m := f.manager()
	big := install(t, m, f.license(365, func(l *license.License) { l.Limits["users"] = 50 }))
	f.usage = map[string]int64{"users": 30}
	small := install(t, m, f.license(730, func(l *license.License) { l.Limits["users"] = 25 }))
	if small.Code != license.UsageExceedsLimits || !errors.Is(small.Err(), license.ErrUsageExceedsLimits) {
		t.Fatalf("%s: %s", small.Code, small.Message)
	}
	if len(small.Excesses) != 1 || small.Excesses[0] != (client.LimitExcess{Limit: "users", Usage: 30, NewValue: 25}) {
		t.Fatalf("excesses %+v", small.Excesses)
	}
	if m.Limit("users") != 50 || m.Standing().License.ID != big.License.ID {
		t.Fatal("the refused license changed what is in force")
	}
	// An upgrade always installs, even while usage is above the old limit.
	f.usage = map[string]int64{"users": 80}
	if up := install(t, m, f.license(730, func(l *license.License) { l.Limits["users"] = 60 })); !up.Installed() {
		t.Fatalf("%s: %s", up.Code, up.Message)
	}
}

func TestRejectedFilesAreTyped(t *testing.T) {
	f := newFixture(t)
	m := f.manager(func(o *client.Options) { o.InstanceDomain = "tools.acme.example" })
	tests := []struct {
		name string
		file []byte
		want error
	}{
		{"tampered", []byte(strings.Replace(string(f.license(365)), `customer = "Acme Corp"`, `customer = "Evil Corp"`, 1)), license.ErrSignatureMismatch},
		{"expired", f.license(1, func(l *license.License) { l.NotBefore = start.Add(-10 * day); l.ExpiresAt = start.Add(-day) }), license.ErrExpired},
		{"another instance", f.license(365, func(l *license.License) { l.InstanceDomain = "other.example" }), license.ErrInstanceMismatch},
		{"garbage", []byte("not a license"), license.ErrMalformed},
	}
	for _, tt := range tests {
		if r := install(t, m, tt.file); !errors.Is(r.Err(), tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, r.Err(), tt.want)
		}
	}
	if m.Mode() != lifecycle.ModeLocked {
		t.Fatal("a rejected install changed the mode")
	}
}

func TestDismissalFollowsTheStageRules(t *testing.T) {
	f := newFixture(t)
	m := f.manager()
	l := install(t, m, f.license(40)).License // expires start+39d
	at := func(before time.Duration) { f.clock.Set(l.ExpiresAt.Add(-before)); m.Refresh() }
	at(30*day - time.Minute)
	if o, b, _ := m.Dismiss(); o != client.Hidden || b.Display != client.DisplayHidden {
		t.Fatalf("D-30: %s %s", o, b.Display)
	}
	// Persisted: a new process keeps it hidden.
	if s := f.manager().Standing(); s.Banner.Display != client.DisplayHidden {
		t.Fatalf("after restart: %s", s.Banner.Display)
	}
	at(15*day - time.Minute)
	if s := m.Standing(); s.Banner.Display != client.DisplayShown || s.StageID() != "D-15" {
		t.Fatalf("D-15 comes back: %s %s", s.Banner.Display, s.StageID())
	}
	m.Dismiss()
	f.clock.Advance(25 * time.Hour)
	if s := m.Standing(); s.Banner.Display != client.DisplayShown {
		t.Fatalf("D-15 after 24 hours: %s", s.Banner.Display)
	}
	at(7*day - time.Minute)
	if o, b, _ := m.Dismiss(); o != client.CollapsedToPill || b.PillText != "Expires in 7 days" {
		t.Fatalf("D-7: %s %q", o, b.PillText)
	}
	at(time.Hour)
	if o, _, _ := m.Dismiss(); o != client.NotDismissible {
		t.Fatalf("D-1: %s", o)
	}
}

func TestTurningTheClockBackNeverExtendsTheLicense(t *testing.T) {
	f := newFixture(t)
	m := f.manager()
	install(t, m, f.license(30))
	f.clock.Advance(20 * day)
	ahead := m.Standing().EvaluatedAt
	f.clock.Set(f.clock.Now().Add(-10 * day))
	s := m.Standing()
	if !s.Has(client.FlagClockRollback) || s.EvaluatedAt.Before(ahead) {
		t.Fatalf("flags %v, evaluated at %s (was %s)", s.Flags, s.EvaluatedAt, ahead)
	}
	if !strings.Contains(s.Banner.Text, "please correct the system clock") || !strings.HasSuffix(s.Summary, ", clock rollback") {
		t.Fatalf("%q / %q", s.Banner.Text, s.Summary)
	}
	// A restart does not forget the mark: it is in the signed state file.
	if again := f.manager().Standing(); again.EvaluatedAt.Before(ahead) || !again.Has(client.FlagClockRollback) {
		t.Fatalf("after restart: %s %v", again.EvaluatedAt, again.Flags)
	}
	if !auditHas(t, f.dir, "clock_rollback") {
		t.Fatal("the rollback was not audited")
	}
}

func TestAForgedStateFileIsRebuiltFromEvidence(t *testing.T) {
	f := newFixture(t)
	m := f.manager()
	install(t, m, f.license(365))
	f.clock.Advance(50 * day)
	m.Refresh()
	path := filepath.Join(f.dir, "state.json")
	data, _ := os.ReadFile(path)
	forged := strings.Replace(string(data), `"high_water":"2027`, `"high_water":"2026`, 1)
	os.WriteFile(path, []byte(forged), 0o644)
	f.clock.Set(start.Add(-5 * day)) // and the clock turned back before the install
	s := f.manager().Standing()
	if !s.Has(client.FlagStateReset) || !s.Has(client.FlagClockRollback) || s.EvaluatedAt.Before(start) {
		t.Fatalf("flags %v, evaluated at %s: time must come from the evidence (the audited install)", s.Flags, s.EvaluatedAt)
	}
	if !auditHas(t, f.dir, "state_reset") {
		t.Fatal("not audited")
	}
}

func TestTheAuditLogIsHashChained(t *testing.T) {
	f := newFixture(t)
	m := f.manager()
	install(t, m, f.license(365))
	install(t, m, []byte("garbage"))
	if v := m.VerifyAudit(); !v.Intact || v.Lines != 2 {
		t.Fatalf("%+v", v)
	}
	path := filepath.Join(f.dir, "audit.log")
	data, _ := os.ReadFile(path)
	os.WriteFile(path, []byte(strings.Replace(string(data), "install_rejected", "install_accepted", 1)), 0o644)
	if v := client.VerifyAudit(f.dir); v.Intact || !strings.Contains(v.Description, "was changed") {
		t.Fatalf("%+v", v)
	}
}

func TestAReadOnlyManagerWritesNothing(t *testing.T) {
	f := newFixture(t)
	install(t, f.manager(), f.license(365))
	before, _ := os.ReadFile(filepath.Join(f.dir, "state.json"))
	f.clock.Advance(40 * day)
	m := f.manager(func(o *client.Options) { o.ReadOnly = true })
	if m.Standing().License == nil {
		t.Fatal("no license seen")
	}
	if _, err := m.Install(f.license(365)); !errors.Is(err, client.ErrClient) {
		t.Fatalf("install on a read-only manager: %v", err)
	}
	after, _ := os.ReadFile(filepath.Join(f.dir, "state.json"))
	if string(before) != string(after) {
		t.Fatal("the state file was written")
	}
}

func TestCheckInOfANodeSendsTheInstallationIDAndItsNode(t *testing.T) {
	f := newFixture(t)
	var got client.CheckInRequest
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		json.NewDecoder(r.Body).Decode(&got)
		w.Write([]byte(`{"standing":{},"revoked":false,"license":null}`))
	}))
	defer server.Close()
	m := f.manager(func(o *client.Options) {
		o.CheckIn = &client.CheckInSettings{Server: server.URL, InstallationID: "acme-prod-cluster", Node: "node-b.eu-west:2"}
	})
	install(t, m, f.license(365))
	if r := m.CheckIn(context.Background()); r.Outcome != client.CheckInOK {
		t.Fatalf("check-in: %s (%s)", r.Outcome, r.Message)
	}
	if got.InstanceID != "acme-prod-cluster" || got.Node != "node-b.eu-west:2" {
		t.Fatalf("sent instance %q node %q", got.InstanceID, got.Node)
	}
}

func TestABadInstallationIDOrNodeIsRefused(t *testing.T) {
	for _, bad := range []string{"a b", "n/1", strings.Repeat("x", 129)} {
		for _, settings := range []*client.CheckInSettings{
			{Server: "https://licenses.vendor.example", InstallationID: bad},
			{Server: "https://licenses.vendor.example", Node: bad},
		} {
			f := newFixture(t)
			_, err := client.New(client.Options{StateDir: f.dir, TrustedKeys: f.vendor.Ring, Clock: f.clock, Zone: time.UTC, CheckIn: settings})
			if !errors.Is(err, client.ErrClient) {
				t.Errorf("%q: %v", bad, err)
			}
		}
	}
}

func TestCheckIn(t *testing.T) {
	f := newFixture(t)
	renewal := f.license(730)
	var answer func(w http.ResponseWriter, r *http.Request)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != client.CheckInPath || !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer kt_lic_") {
			w.WriteHeader(400)
			return
		}
		var req client.CheckInRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || req.LicenseID == "" || !strings.HasPrefix(req.InstanceID, "ki_") {
			w.WriteHeader(400)
			return
		}
		answer(w, r)
	}))
	defer server.Close()
	m := f.manager(func(o *client.Options) { o.CheckIn = &client.CheckInSettings{Server: server.URL} })
	first := install(t, m, f.license(365))
	tests := []struct {
		name   string
		answer func(w http.ResponseWriter, r *http.Request)
		want   client.CheckInOutcome
		mode   lifecycle.Mode
	}{
		{"ok", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"standing":{},"revoked":false,"license":null,"check_in_after":"PT6H"}`))
		}, client.CheckInOK, lifecycle.ModeFull},
		{"server error", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(500) }, client.CheckInServerError, lifecycle.ModeFull},
		{"a 403 that is no revocation", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(403) }, client.CheckInServerError, lifecycle.ModeFull},
		{"payment failing", func(w http.ResponseWriter, r *http.Request) {
			w.Write([]byte(`{"standing":{"flags":["PAYMENT_FAILING"],"message":"Card declined."},"revoked":false}`))
		}, client.CheckInOK, lifecycle.ModeFull},
		{"revoked", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(403)
			w.Write([]byte(`{"revoked":true,"reason":"chargeback"}`))
		}, client.CheckInRevoked, lifecycle.ModeLocked},
		{"renewed", func(w http.ResponseWriter, r *http.Request) {
			body, _ := json.Marshal(map[string]any{"standing": map[string]any{}, "revoked": false, "license": string(renewal)})
			w.Write(body)
		}, client.CheckInRenewed, lifecycle.ModeFull},
	}
	for _, tt := range tests {
		answer = tt.answer
		r := m.CheckIn(context.Background())
		if r.Outcome != tt.want || m.Mode() != tt.mode {
			t.Fatalf("%s: %s (%s), mode %s", tt.name, r.Outcome, r.Message, m.Mode())
		}
		if tt.name == "ok" && r.NextCheckIn != 6*time.Hour {
			t.Fatalf("check_in_after: %s", r.NextCheckIn)
		}
		if tt.name == "payment failing" && !m.Standing().Has(client.FlagPaymentFailing) {
			t.Fatal("payment flag")
		}
	}
	if m.Standing().License.ID == first.License.ID {
		t.Fatal("the renewal is not in force")
	}
	server.Close()
	if r := m.CheckIn(context.Background()); r.Outcome != client.CheckInNetworkFailure || m.Mode() != lifecycle.ModeFull {
		t.Fatalf("unreachable: %s, mode %s", r.Outcome, m.Mode())
	}
}

func auditHas(t *testing.T, dir, event string) bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "audit.log"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Contains(string(data), `"event":"`+event+`"`)
}

func TestTheHotPathAllocatesNothing(t *testing.T) {
	f := newFixture(t)
	m := f.manager()
	install(t, m, f.license(365))
	allocs := testing.AllocsPerRun(1000, func() {
		_ = m.Allows("sso")
		_ = m.Mode()
		_ = m.Limit("users")
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per check", allocs)
	}
}

// BenchmarkPerRequestCheck is what a middleware does on every request: the
// mode, a feature and a limit, read from the published snapshot.
//
//	go test -run '^$' -bench . -benchmem ./client
func BenchmarkPerRequestCheck(b *testing.B) {
	clock := client.NewSettableClock(start)
	vendor := testlicense.New("2026-a")
	m, err := client.New(client.Options{StateDir: b.TempDir(), TrustedKeys: vendor.Ring, Clock: clock})
	if err != nil {
		b.Fatal(err)
	}
	if r, err := m.Install(vendor.Sign(vendor.Base(start.Add(-day), 365))); err != nil || !r.Installed() {
		b.Fatal(r.Message, err)
	}
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if m.Mode() != lifecycle.ModeFull || !m.Allows("sso") || m.Limit("users") != 25 {
				b.Fatal("wrong answer")
			}
		}
	})
}

func TestRunChecksInOnScheduleAndStopsWithItsContext(t *testing.T) {
	f := newFixture(t)
	checkIns := make(chan struct{}, 10)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		checkIns <- struct{}{}
		w.Write([]byte(`{"revoked":false,"check_in_after":"PT1H"}`))
	}))
	defer server.Close()
	m := f.manager(func(o *client.Options) { o.CheckIn = &client.CheckInSettings{Server: server.URL} })
	install(t, m, f.license(365))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { m.Run(ctx); close(done) }()
	select {
	case <-checkIns: // Run checks in at once, then after check_in_after
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not check in")
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop with its context")
	}
}

func TestRunIdlesWithoutCheckIn(t *testing.T) {
	f := newFixture(t)
	m := f.manager()
	install(t, m, f.license(365))
	cpu := func() time.Duration {
		var u syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &u)
		return time.Duration(u.Utime.Nano() + u.Stime.Nano())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	before := cpu()
	m.Run(ctx)
	if used := cpu() - before; used > 200*time.Millisecond {
		t.Fatalf("Run used %s of CPU in half a second: it spins", used)
	}
}
