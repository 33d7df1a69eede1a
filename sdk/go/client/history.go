package client

import (
	"time"

	"keyturn.dev/go/client/internal/store"
	"keyturn.dev/go/license"
)

// installed is an authentic license file from the history and the hash it is stored under.
type installed struct {
	hash   string
	signed *license.Signed
}

func (l installed) license() *license.License { return &l.signed.License }

// newerThan orders licenses: later expires_at, then later issued_at, then the
// hash, only so the order is total and every process picks the same license.
func (l installed) newerThan(o installed) bool {
	a, b := l.license(), o.license()
	if !a.ExpiresAt.Equal(b.ExpiresAt) {
		return a.ExpiresAt.After(b.ExpiresAt)
	}
	if !a.IssuedAt.Equal(b.IssuedAt) {
		return a.IssuedAt.After(b.IssuedAt)
	}
	return l.hash > o.hash
}

// history is the installed licenses that can be trusted: every stored file
// whose signature verifies and whose instance domain (if any) is this
// product's. Files that fail are ignored, never deleted: they are evidence.
type history struct {
	files          store.LicenseFiles
	verifier       *license.Verifier
	instanceDomain string
	authentic      []installed
	ignored        map[string]string
	fingerprint    *string
}

// reloadIfChanged re-reads the folder if its contents changed. A license once
// read is never forgotten while the process runs: a file that disappears must
// not lock a paying customer out.
func (h *history) reloadIfChanged() {
	now := h.files.Fingerprint()
	if h.fingerprint != nil && *h.fingerprint == now {
		return
	}
	stored, err := h.files.List()
	if err != nil {
		return // keep what we have; the next refresh tries again
	}
	ok := append([]installed(nil), h.authentic...)
	bad := map[string]string{}
	for _, f := range stored {
		signed, err := license.Read(f.Text)
		if err != nil {
			bad[f.Path] = err.Error()
			continue
		}
		if v := h.verifier.VerifySignature(signed); !v.Valid() {
			bad[f.Path] = v.Message
			continue
		}
		if !h.domainMatches(signed) {
			bad[f.Path] = "issued for another instance"
			continue
		}
		if !h.contains(signed.SignatureHash(), ok) {
			ok = append(ok, installed{signed.SignatureHash(), signed})
		}
	}
	h.authentic, h.ignored, h.fingerprint = ok, bad, &now
}

func (h *history) add(l installed) {
	h.authentic = append(append([]installed(nil), h.authentic...), l)
	fp := h.files.Fingerprint()
	h.fingerprint = &fp
}

func (h *history) contains(hash string, list []installed) bool {
	for _, l := range list {
		if l.hash == hash {
			return true
		}
	}
	return false
}

// inForce is the newest license whose not_before has passed at at.
func (h *history) inForce(at time.Time) *installed {
	var best *installed
	for i := range h.authentic {
		l := h.authentic[i]
		if !l.license().NotBefore.After(at) && (best == nil || l.newerThan(*best)) {
			best = &l
		}
	}
	return best
}

// nextToStart is, with nothing in force yet, the license that starts first.
func (h *history) nextToStart(at time.Time) *installed {
	var first *installed
	for i := range h.authentic {
		l := h.authentic[i]
		if l.license().NotBefore.After(at) && (first == nil || l.license().NotBefore.Before(first.license().NotBefore)) {
			first = &l
		}
	}
	return first
}

// latestIssuedAt is the latest issued_at of any authentic license: time has certainly reached it.
func (h *history) latestIssuedAt() *time.Time {
	var latest *time.Time
	for _, l := range h.authentic {
		if t := l.license().IssuedAt; latest == nil || t.After(*latest) {
			latest = &t
		}
	}
	return latest
}

func (h *history) domainMatches(s *license.Signed) bool {
	if s.License.InstanceDomain == "" || h.instanceDomain == "" {
		return true
	}
	return s.License.InstanceDomain == h.instanceDomain
}
