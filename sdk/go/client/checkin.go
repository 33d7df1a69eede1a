package client

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"keyturn.dev/go/client/audit"
	"keyturn.dev/go/client/internal/store"
)

// Check-in defaults and bounds, as in the Java client.
const (
	DefaultCheckInInterval   = 12 * time.Hour
	DefaultRetryAfterFailure = time.Hour
	DefaultCheckInTimeout    = 10 * time.Second
	MinCheckInInterval       = time.Minute
	MaxCheckInInterval       = 7 * 24 * time.Hour
	DefaultClientVersion     = "keyturn-go/0.1.0"
	CheckInPath              = "/api/v1/check-in"
	maxCheckInBody           = 256 * 1024
)

// CheckInSettings say where and how often the client checks in with the
// vendor's Keyturn server. Zero durations take the defaults.
type CheckInSettings struct {
	Server            string // base address, e.g. https://licenses.vendor.example
	Interval          time.Duration
	RetryAfterFailure time.Duration
	Timeout           time.Duration
	ClientVersion     string
	HTTPClient        *http.Client // defaults to one with Timeout and no redirects
	// InstallationID is what every node of a multi-node product sends as instance_id (e.g. read
	// from the product's database); empty: one made per state directory (instance.id).
	InstallationID string
	// Node names this node within the installation; empty for a single node (then not sent).
	Node string
}

// wireID is what the server takes as an installation id or a node name.
var wireID = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

func (c *CheckInSettings) validate() error {
	u, err := url.Parse(c.Server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return clientError("check-in server must be an http(s) base address with a host and no query, was '%s'", c.Server)
	}
	if c.Interval == 0 {
		c.Interval = DefaultCheckInInterval
	}
	if c.RetryAfterFailure == 0 {
		c.RetryAfterFailure = DefaultRetryAfterFailure
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultCheckInTimeout
	}
	if c.ClientVersion == "" {
		c.ClientVersion = DefaultClientVersion
	}
	if c.InstallationID != "" && !wireID.MatchString(c.InstallationID) {
		return clientError("installation id must be 1 to 128 of A-Z, a-z, 0-9, '.', '_', ':' or '-', was '%s'", c.InstallationID)
	}
	if c.Node != "" && !wireID.MatchString(c.Node) {
		return clientError("node must be 1 to 128 of A-Z, a-z, 0-9, '.', '_', ':' or '-', was '%s'", c.Node)
	}
	for _, d := range []struct {
		name     string
		v        time.Duration
		min, max time.Duration
	}{{"Interval", c.Interval, MinCheckInInterval, MaxCheckInInterval},
		{"RetryAfterFailure", c.RetryAfterFailure, MinCheckInInterval, MaxCheckInInterval},
		{"Timeout", c.Timeout, 100 * time.Millisecond, 5 * time.Minute}} {
		if d.v < d.min || d.v > d.max {
			return clientError("check-in %s must be between %s and %s, was %s", d.name, d.min, d.max, d.v)
		}
	}
	if c.HTTPClient == nil {
		c.HTTPClient = &http.Client{Timeout: c.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	return nil
}

// Endpoint is the POST target: the base address with CheckInPath.
func (c *CheckInSettings) Endpoint() string {
	return strings.TrimRight(c.Server, "/") + CheckInPath
}

// bounded clamps a server-given interval, so a bad answer can neither flood nor silence.
func bounded(d time.Duration) time.Duration {
	if d < MinCheckInInterval {
		return MinCheckInInterval
	}
	if d > MaxCheckInInterval {
		return MaxCheckInInterval
	}
	return d
}

// CheckInOutcome is what a check-in did.
type CheckInOutcome string

// Check-in outcomes, as in the Java client.
const (
	CheckInOK               CheckInOutcome = "OK"
	CheckInRenewed          CheckInOutcome = "RENEWED"
	CheckInLicenseRejected  CheckInOutcome = "LICENSE_REJECTED"
	CheckInRevoked          CheckInOutcome = "REVOKED"
	CheckInUnknownLicense   CheckInOutcome = "UNKNOWN_LICENSE"
	CheckInInstanceConflict CheckInOutcome = "INSTANCE_CONFLICT"
	CheckInNetworkFailure   CheckInOutcome = "NETWORK_FAILURE"
	CheckInServerError      CheckInOutcome = "SERVER_ERROR"
	CheckInNoLicense        CheckInOutcome = "NO_LICENSE"
	CheckInNotConfigured    CheckInOutcome = "NOT_CONFIGURED"
)

// CheckInResult is what CheckIn did, and when to check in again.
type CheckInResult struct {
	Outcome     CheckInOutcome
	Message     string
	Install     *InstallResult // the install of a license the server sent
	NextCheckIn time.Duration
}

// CheckInRequest is the JSON body of POST /api/v1/check-in.
type CheckInRequest struct {
	ClientVersion  string           `json:"client_version"`
	InstanceDomain *string          `json:"instance_domain"`
	InstanceID     string           `json:"instance_id"`
	LicenseID      string           `json:"license_id"`
	Node           string           `json:"node,omitempty"` // a multi-node installation's node
	Usage          map[string]int64 `json:"usage"`
}

// ReplyKind says which part of the wire contract an answer was.
type ReplyKind string

// Reply kinds, as in the Java client.
const (
	ReplyOK             ReplyKind = "OK"
	ReplyRevoked        ReplyKind = "REVOKED"
	ReplyUnknownLicense ReplyKind = "UNKNOWN_LICENSE"
	ReplyConflict       ReplyKind = "CONFLICT"
	ReplyUnexpected     ReplyKind = "UNEXPECTED" // changes nothing
)

// CheckInReply is the server's answer, decoded.
type CheckInReply struct {
	Kind            ReplyKind
	Status          int
	Reason          string  // the revocation reason, or what was wrong with an unexpected answer
	License         *string // the newer license file's text, when the server sent one
	CheckInAfter    *time.Duration
	PaymentFailing  bool
	StandingMessage string
}

// NextCheckIn is when to check in again after this answer: the server's
// check_in_after (clamped), else the interval; after an unexpected answer the retry delay.
func (r CheckInReply) NextCheckIn(s CheckInSettings) time.Duration {
	if r.Kind == ReplyUnexpected {
		if s.RetryAfterFailure == 0 {
			return DefaultRetryAfterFailure
		}
		return s.RetryAfterFailure
	}
	if r.CheckInAfter != nil {
		return bounded(*r.CheckInAfter)
	}
	if s.Interval == 0 {
		return DefaultCheckInInterval
	}
	return bounded(s.Interval)
}

// CheckIn checks in with the server now. A newer license in the answer installs
// itself through Install; a revocation locks; a network failure or an answer
// outside the contract changes nothing. No lock is held while talking to the server.
func (m *Manager) CheckIn(ctx context.Context) CheckInResult {
	settings := m.opts.CheckIn
	if settings == nil {
		return CheckInResult{Outcome: CheckInNotConfigured, Message: "no check-in server is configured"}
	}
	if err := m.requireWritable("check in"); err != nil {
		return CheckInResult{Outcome: CheckInNotConfigured, Message: err.Error()}
	}
	var current *installed
	var req CheckInRequest
	var prepErr error
	m.locked(func() {
		m.history.reloadIfChanged()
		current = m.history.inForce(m.now().effective)
		if current != nil {
			req, prepErr = m.checkInRequest(current)
		}
	})
	if current == nil {
		return CheckInResult{Outcome: CheckInNoLicense, Message: "no license is installed, so there is nothing to check in with", NextCheckIn: settings.Interval}
	}
	if prepErr != nil {
		return CheckInResult{Outcome: CheckInNetworkFailure, Message: prepErr.Error(), NextCheckIn: settings.RetryAfterFailure}
	}
	reply, err := send(ctx, settings, req, current.hash)
	if err != nil {
		return CheckInResult{Outcome: CheckInNetworkFailure, Message: fmt.Sprintf(
			"the check-in server could not be reached (%v); nothing changed", err), NextCheckIn: settings.RetryAfterFailure}
	}
	var result CheckInResult
	m.locked(func() { result = m.applyReply(reply, current, settings) })
	return result
}

func (m *Manager) checkInRequest(l *installed) (CheckInRequest, error) {
	used, err := m.currentUsage()
	if err != nil || used == nil {
		used = map[string]int64{} // usage is informational here; the check-in still matters
	}
	id, err := m.instanceID()
	if err != nil {
		return CheckInRequest{}, err
	}
	var domain *string
	if m.opts.InstanceDomain != "" {
		d := m.opts.InstanceDomain
		domain = &d
	}
	return CheckInRequest{ClientVersion: m.opts.CheckIn.ClientVersion, InstanceDomain: domain, InstanceID: id,
		LicenseID: l.license().ID, Node: m.opts.CheckIn.Node, Usage: used}, nil
}

var instanceIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

// instanceID is the configured installation id of a multi-node product, else a random id made
// once per state directory.
func (m *Manager) instanceID() (string, error) {
	if m.opts.CheckIn.InstallationID != "" {
		return m.opts.CheckIn.InstallationID, nil
	}
	file := filepath.Join(m.opts.StateDir, InstanceIDFile)
	if data, err := os.ReadFile(file); err == nil {
		if id := strings.TrimSpace(string(data)); instanceIDPattern.MatchString(id) {
			return id, nil
		}
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	id := "ki_" + hex.EncodeToString(b)
	if err := store.WriteAtomic(file, []byte(id), false); err != nil {
		return "", clientError("cannot read or write %s: %v", file, err)
	}
	return id, nil
}

func (m *Manager) applyReply(reply CheckInReply, l *installed, s *CheckInSettings) CheckInResult {
	t := m.now()
	id := l.license().ID
	next := reply.NextCheckIn(*s)
	switch reply.Kind {
	case ReplyUnexpected:
		reason := reply.Reason
		if reason == "" {
			reason = fmt.Sprintf("status %d", reply.Status)
		}
		return CheckInResult{CheckInServerError, "the check-in server answered outside the contract: " + reason + "; nothing changed", nil, next}
	case ReplyUnknownLicense:
		m.record(&event{t.effective, "check_in_unknown_license", []audit.Field{{Key: "license_id", Value: id}}})
		return CheckInResult{CheckInUnknownLicense, "the server does not know license " + id + "; nothing changed", nil, next}
	case ReplyConflict:
		if !m.state.InstanceConflict {
			m.record(&event{t.effective, "instance_conflict", []audit.Field{{Key: "license_id", Value: id}}},
				func(st store.State) store.State { st.InstanceConflict = true; return st })
			m.publish(t)
		}
		return CheckInResult{CheckInInstanceConflict, "the server says another instance holds license " + id, nil, next}
	case ReplyRevoked:
		reason := reply.Reason
		if reason == "" {
			reason = "no reason given"
		}
		if _, already := m.state.Revoked[id]; !already {
			m.record(&event{t.effective, "revoked", []audit.Field{{Key: "license_id", Value: id}, {Key: "reason", Value: reason}}},
				func(st store.State) store.State { return st.WithRevoked(id, reason) })
			m.publish(t)
		}
		before := len(m.history.authentic)
		var inst *InstallResult
		if reply.License != nil {
			r, err := m.installLocked([]byte(*reply.License))
			if err == nil {
				inst = &r
			}
		}
		replaced := inst != nil && inst.InForce && len(m.history.authentic) > before
		if replaced {
			return CheckInResult{CheckInRenewed, "the vendor revoked license " + id + " (" + reason + "); the license sent with it is installed", inst, next}
		}
		return CheckInResult{CheckInRevoked, "the vendor revoked license " + id + " (" + reason + "); the product is locked", inst, next}
	}
	var payment *string
	if reply.PaymentFailing {
		msg := reply.StandingMessage
		if msg == "" {
			msg = DefaultPaymentText
		}
		payment = &msg
	}
	if !sameString(payment, m.state.PaymentFailing) || m.state.InstanceConflict {
		m.record(&event{t.effective, "server_flags", []audit.Field{{Key: "license_id", Value: id}, {Key: "payment_failing", Value: payment != nil}, {Key: "instance_conflict", Value: false}}},
			func(st store.State) store.State { st.PaymentFailing, st.InstanceConflict = payment, false; return st })
		m.publish(t)
	}
	if reply.License == nil {
		return CheckInResult{CheckInOK, "checked in license " + id, nil, next}
	}
	before := len(m.history.authentic)
	r, err := m.installLocked([]byte(*reply.License))
	if err != nil {
		return CheckInResult{CheckInLicenseRejected, err.Error(), nil, next}
	}
	outcome := CheckInOK
	if !r.Installed() {
		outcome = CheckInLicenseRejected
	} else if r.InForce && len(m.history.authentic) > before {
		outcome = CheckInRenewed
	}
	return CheckInResult{outcome, r.Message, &r, next}
}

func sameString(a, b *string) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// Credentials are what a request to the vendor's server on behalf of the
// license in force carries: its check-in token and this installation's id.
// ok is false without a license in force.
func (m *Manager) Credentials() (token, instanceID string, ok bool) {
	m.locked(func() {
		m.history.reloadIfChanged()
		l := m.history.inForce(m.guard.mark())
		if l == nil {
			return
		}
		token, ok = l.signed.CheckInToken(), true
		if data, err := os.ReadFile(filepath.Join(m.opts.StateDir, InstanceIDFile)); err == nil {
			instanceID = strings.TrimSpace(string(data))
		}
	})
	return token, instanceID, ok
}
