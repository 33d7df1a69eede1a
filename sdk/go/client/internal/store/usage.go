package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"time"
)

// UsageFile is the usage record, signed with the state secret like the state
// file: the same file the Java client writes, so keyturn install of either
// language checks a downgrade against what the product recorded.
const UsageFile = "usage.json"

// Usage record constants (conformance/vectors/usage.json).
const (
	UsageVersion = 1
	MonthsKept   = 36
	// TrustedFor is how long after the product last reported an install trusts
	// the record; the running product rewrites it at least every Heartbeat.
	TrustedFor = 24 * time.Hour
	Heartbeat  = time.Hour
	usageEpoch = "1970-01-01T00:00:00Z"
)

var (
	usageMacDomain = []byte("keyturn-usage-v1\n")
	limitName      = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	monthName      = regexp.MustCompile(`^[0-9]{4}-(0[1-9]|1[0-2])$`)
)

// UsageRecord is the usage the product last reported and each month's maxima.
// Fields in alphabetical order: the MAC covers this JSON, as Jackson sorts it.
type UsageRecord struct {
	Current            map[string]int64            `json:"current"`
	LastReportSequence int64                       `json:"last_report_sequence"`
	Months             map[string]map[string]int64 `json:"months"`
	RecordedAt         string                      `json:"recorded_at"`
	Version            int                         `json:"version"`
}

// EmptyUsage is the record before the product reported anything.
func EmptyUsage() UsageRecord {
	return UsageRecord{Current: map[string]int64{}, Months: map[string]map[string]int64{}, RecordedAt: usageEpoch, Version: UsageVersion}
}

// HasUsage reports whether the product ever reported usage into the record.
func (r UsageRecord) HasUsage() bool { return r.RecordedAt != usageEpoch }

// RecordedAtTime is RecordedAt parsed.
func (r UsageRecord) RecordedAtTime() time.Time {
	t, _ := time.Parse(time.RFC3339Nano, r.RecordedAt)
	return t
}

func checkedUsage(usage map[string]int64) (map[string]int64, error) {
	out := map[string]int64{}
	for name, v := range usage {
		if !limitName.MatchString(name) {
			return nil, fmt.Errorf("a usage name must be 1 to 64 of A-Z a-z 0-9 _ -, was %q", name)
		}
		if v < 0 {
			return nil, fmt.Errorf("usage of %s must be 0 or more, was %d", name, v)
		}
		out[name] = v
	}
	return out, nil
}

// WithReport makes the usage reported at at current and raises the maxima of
// at's month (UTC); only the last MonthsKept months are kept.
func (r UsageRecord) WithReport(usage map[string]int64, at time.Time) (UsageRecord, error) {
	reported, err := checkedUsage(usage)
	if err != nil {
		return r, err
	}
	at = at.UTC().Truncate(time.Second)
	month := at.Format("2006-01")
	months := map[string]map[string]int64{}
	for m, maxima := range r.Months {
		months[m] = map[string]int64{}
		for k, v := range maxima {
			months[m][k] = v
		}
	}
	if months[month] == nil {
		months[month] = map[string]int64{}
	}
	for k, v := range reported {
		if old, ok := months[month][k]; !ok || v > old {
			months[month][k] = v
		}
	}
	keys := make([]string, 0, len(months))
	for m := range months {
		keys = append(keys, m)
	}
	sort.Strings(keys)
	for len(keys) > MonthsKept {
		delete(months, keys[0])
		keys = keys[1:]
	}
	out := r
	out.Current, out.Months, out.RecordedAt = reported, months, at.Format("2006-01-02T15:04:05Z")
	return out, nil
}

// UsageLoaded is the outcome of reading the usage record.
type UsageLoaded struct {
	Status Status
	Record *UsageRecord
	Detail string
}

type usageFile struct {
	Mac   string       `json:"mac"`
	Usage *UsageRecord `json:"usage"`
}

// LoadUsage reads and verifies the usage record; it creates nothing.
func (s *Store) LoadUsage() UsageLoaded {
	data, err := readBounded(filepath.Join(s.dir, UsageFile))
	if errors.Is(err, os.ErrNotExist) {
		return UsageLoaded{StatusFresh, nil, "no usage recorded yet"}
	}
	if err != nil {
		return UsageLoaded{StatusUnreadable, nil, "cannot read " + UsageFile + ": " + err.Error()}
	}
	var file usageFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil || dec.More() || file.Usage == nil || file.Mac == "" {
		return UsageLoaded{StatusUnreadable, nil, UsageFile + " is not a valid usage record"}
	}
	r := *file.Usage
	if _, err := time.Parse(time.RFC3339Nano, r.RecordedAt); err != nil || r.Version != UsageVersion || r.LastReportSequence < 0 {
		return UsageLoaded{StatusUnreadable, nil, UsageFile + " is not a valid usage record"}
	}
	if r.Current == nil {
		r.Current = map[string]int64{}
	}
	if r.Months == nil {
		r.Months = map[string]map[string]int64{}
	}
	if _, err := checkedUsage(r.Current); err != nil {
		return UsageLoaded{StatusUnreadable, nil, UsageFile + " is not a valid usage record"}
	}
	for m, maxima := range r.Months {
		if _, err := checkedUsage(maxima); err != nil || !monthName.MatchString(m) {
			return UsageLoaded{StatusUnreadable, nil, UsageFile + " is not a valid usage record"}
		}
	}
	key := s.readKey()
	if key == nil {
		return UsageLoaded{StatusForged, nil, KeyFile + " is missing"}
	}
	actual, _ := hex.DecodeString(file.Mac)
	if !hmac.Equal(usageMac(key, r), actual) {
		return UsageLoaded{StatusForged, nil, UsageFile + " does not carry a valid signature: it was edited or replaced"}
	}
	return UsageLoaded{StatusOK, &r, "verified"}
}

// WriteUsage signs and writes the record; call it holding the lock.
func (s *Store) WriteUsage(r UsageRecord) error {
	key, err := s.keyForWriting()
	if err != nil {
		return err
	}
	data, err := encode(usageFile{Mac: hex.EncodeToString(usageMac(key, r)), Usage: &r})
	if err != nil {
		return err
	}
	return WriteAtomic(filepath.Join(s.dir, UsageFile), data, false)
}

func usageMac(key []byte, r UsageRecord) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(usageMacDomain)
	data, _ := encode(r)
	h.Write(data)
	return h.Sum(nil)
}

// RecordedUsageNote says where an install without a usage probe took its usage
// from, and whether it is too old to trust.
func RecordedUsageNote(r UsageRecord, now time.Time) string {
	if !r.HasUsage() {
		return ""
	}
	if now.After(r.RecordedAtTime().Add(TrustedFor)) {
		return fmt.Sprintf(" (usage as the product recorded it at %s, more than %d hours ago, too old to trust: start the product so that it records its current usage, then install again)",
			r.RecordedAt, int(TrustedFor.Hours()))
	}
	return fmt.Sprintf(" (usage as the product recorded it at %s)", r.RecordedAt)
}
