package client

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"keyturn.dev/go/client/audit"
	"keyturn.dev/go/client/internal/store"
	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

// InstallResult is what Install did. Code VALID means installed; every other
// code means rejected, with nothing changed but the audit log.
type InstallResult struct {
	Code     license.Code
	Message  string
	License  *license.License // when the file could be read
	Excesses []LimitExcess    // for USAGE_EXCEEDS_LIMITS
	InForce  bool             // whether it is now the license in force
}

// Installed reports whether the license was installed.
func (r InstallResult) Installed() bool { return r.Code == license.Valid }

// Err is nil when installed, else a *license.Error matching the code's sentinel.
func (r InstallResult) Err() error {
	if r.Installed() {
		return nil
	}
	return &license.Error{Code: r.Code, Message: r.Message}
}

// InstallFile installs a license file; see Install.
func (m *Manager) InstallFile(path string) (InstallResult, error) {
	if err := m.requireWritable("install a license"); err != nil {
		return InstallResult{}, err
	}
	data, err := license.ReadBounded(path, license.DefaultLimits.MaxFileBytes)
	if errors.Is(err, os.ErrNotExist) {
		return InstallResult{Code: license.Malformed, Message: "no such file: " + path}, nil
	}
	if err != nil {
		return InstallResult{Code: license.Malformed, Message: fmt.Sprintf("cannot read %s: %v", path, err)}, nil
	}
	if len(data) <= license.DefaultLimits.MaxFileBytes && !utf8.Valid(data) {
		return InstallResult{Code: license.Malformed, Message: path + " is not UTF-8 text"}, nil
	}
	return m.Install(data)
}

// Install verifies and installs a license: signature, instance, validity now,
// not revoked, and limits against current usage (a license that lowers a limit
// below usage is refused with USAGE_EXCEEDS_LIMITS; one that keeps or raises
// every limit always installs). Then the file is written atomically, the
// snapshot swapped (a locked product unlocks at once) and the install audited.
// The error is for failures that are not the license's fault (the usage probe
// failed, the disk cannot be written).
func (m *Manager) Install(text []byte) (InstallResult, error) {
	if err := m.requireWritable("install a license"); err != nil {
		return InstallResult{}, err
	}
	var r InstallResult
	var err error
	m.locked(func() { r, err = m.installLocked(text) })
	return r, err
}

func (m *Manager) installLocked(text []byte) (InstallResult, error) {
	m.history.reloadIfChanged()
	t := m.now()
	v := m.verifier.Verify(text, t.effective, m.opts.InstanceDomain)
	var lic *license.License
	if v.License != nil {
		lic = &v.License.License
	}
	if !v.Valid() {
		return m.reject(t, v.Code, v.Message, lic, nil), nil
	}
	if reason, revoked := m.state.Revoked[lic.ID]; revoked {
		return m.reject(t, license.Revoked, fmt.Sprintf("the vendor revoked license %s (%s); it cannot be installed", lic.ID, reason), lic, nil), nil
	}
	candidate := installed{v.License.SignatureHash(), v.License}
	current := m.history.inForce(t.effective)
	if m.history.contains(candidate.hash, m.history.authentic) {
		inForce := current != nil && current.hash == candidate.hash
		msg := "license " + lic.ID + " is already installed"
		if inForce {
			msg += " and in force"
		}
		return InstallResult{Code: license.Valid, Message: msg, License: lic, Excesses: []LimitExcess{}, InForce: inForce}, nil
	}
	becomesInForce := current == nil || candidate.newerThan(*current)
	note := ""
	if becomesInForce {
		if !m.hasProbe {
			m.reloadUsage() // the running product records it, maybe in another process
		}
		usage, err := m.currentUsage()
		if err != nil {
			return InstallResult{}, err
		}
		var currentLic *license.License
		if current != nil {
			currentLic = current.license()
		}
		if !m.hasProbe && currentLic != nil {
			for name := range usage {
				if limitOf(lic, name) < limitOf(currentLic, name) {
					note = store.RecordedUsageNote(m.usageRecord, t.effective)
					break
				}
			}
		}
		if ex := excesses(currentLic, lic, usage); len(ex) > 0 {
			parts := make([]string, len(ex))
			for i, e := range ex {
				parts[i] = e.String()
			}
			return m.reject(t, license.UsageExceedsLimits, fmt.Sprintf(
				"license %s lowers limits below current usage: %s. Reduce usage first, or ask your vendor for a license with higher limits%s",
				lic.ID, strings.Join(parts, "; "), note), lic, ex), nil
		}
	}
	if err := m.files.Write(candidate.hash, text); err != nil {
		return InstallResult{}, clientError("cannot write the license into %s: %v", m.files.Dir, err)
	}
	m.history.add(candidate)
	m.publish(t)
	m.record(&event{t.effective, "installed", []audit.Field{
		{Key: "license_id", Value: lic.ID}, {Key: "file", Value: candidate.hash + store.LicenseSuffix}, {Key: "tier", Value: lic.Tier},
		{Key: "expires_at", Value: license.FormatInstant(lic.ExpiresAt)}, {Key: "in_force", Value: becomesInForce},
	}})
	msg := fmt.Sprintf("installed license %s for %s, valid until %s", lic.ID, lic.Customer, license.FormatInstant(lic.ExpiresAt))
	if !becomesInForce {
		msg = fmt.Sprintf("installed license %s, but license %s expires later and stays in force", lic.ID, current.license().ID)
	}
	return InstallResult{Code: license.Valid, Message: msg + note, License: lic, Excesses: []LimitExcess{}, InForce: becomesInForce}, nil
}

func (m *Manager) reject(t guardedTime, code license.Code, message string, lic *license.License, ex []LimitExcess) InstallResult {
	data := []audit.Field{{Key: "code", Value: string(code)}}
	if lic != nil {
		data = append(data, audit.Field{Key: "license_id", Value: lic.ID})
	}
	audited := message
	if r := []rune(message); len(r) > maxAuditedMessage { // a reader message may quote the rejected input
		audited = string(r[:maxAuditedMessage]) + "…"
	}
	data = append(data, audit.Field{Key: "message", Value: audited})
	m.record(&event{t.effective, "install_rejected", data})
	if ex == nil {
		ex = []LimitExcess{}
	}
	return InstallResult{Code: code, Message: message, License: lic, Excesses: ex}
}

// DismissOutcome is what Dismiss did.
type DismissOutcome string

// Dismiss outcomes.
const (
	Hidden           DismissOutcome = "HIDDEN"
	CollapsedToPill  DismissOutcome = "COLLAPSED_TO_PILL"
	NotDismissible   DismissOutcome = "NOT_DISMISSIBLE"
	NothingToDismiss DismissOutcome = "NOTHING_TO_DISMISS"
)

// Dismiss dismisses the banner being shown by the rules of its stage: D-30
// stays hidden until the next stage, D-15 comes back after 24 hours, D-7
// collapses into a pill, D-1 and later stay. Persisted per (license, stage).
func (m *Manager) Dismiss() (DismissOutcome, BannerView, error) {
	if err := m.requireWritable("dismiss a banner"); err != nil {
		return "", BannerView{}, err
	}
	var outcome DismissOutcome
	var banner BannerView
	m.locked(func() {
		t := m.now()
		s := m.publish(t)
		b := s.Banner
		switch b.Dismissal {
		case lifecycle.DismissNone:
			outcome, banner = NothingToDismiss, b
			return
		case lifecycle.DismissNotDismissible:
			outcome, banner = NotDismissible, b
			return
		}
		if b.Display == DisplayShown {
			id := s.License.ID
			m.record(nil, func(st store.State) store.State { return st.WithDismissal(id, b.StageID, t.effective) })
			s = m.publish(t)
		}
		outcome = Hidden
		if b.Dismissal == lifecycle.DismissToPill {
			outcome = CollapsedToPill
		}
		banner = s.Banner
	})
	return outcome, banner, nil
}
