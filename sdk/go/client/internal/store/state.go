package store

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"keyturn.dev/go/license"
)

// File names in the state directory.
const (
	StateFile = "state.json"
	KeyFile   = "state.key"
	LockFile  = ".lock"
	Version   = 1
	keyBytes  = 32
	maxState  = 1024 * 1024
)

var macDomain = []byte("keyturn-state-v1\n")

// State is everything the client remembers between runs besides the license
// files and the audit log. Fields are in name order, so the JSON (and the MAC
// over it) is the Java client's byte for byte.
type State struct {
	AuditHead        string                       `json:"audit_head"`
	AuditLines       int64                        `json:"audit_lines"`
	Counter          int64                        `json:"counter"`
	Dismissals       map[string]map[string]string `json:"dismissals"`
	HighWater        string                       `json:"high_water"`
	InstanceConflict bool                         `json:"instance_conflict"`
	LastStage        string                       `json:"last_stage"`
	PaymentFailing   *string                      `json:"payment_failing"`
	Revoked          map[string]string            `json:"revoked"`
	Version          int                          `json:"version"`
}

// Initial is the state of a directory used for the first time, or rebuilt from evidence.
func Initial(highWater time.Time, auditHead string, auditLines int64) State {
	return State{AuditHead: auditHead, AuditLines: auditLines, Dismissals: map[string]map[string]string{},
		HighWater: license.FormatInstant(highWater), Revoked: map[string]string{}, Version: Version}
}

// HighWaterTime is the high-water mark as an instant.
func (s State) HighWaterTime() time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s.HighWater)
	return t
}

// WithHighWater never lowers the mark, whatever the caller passes.
func (s State) WithHighWater(at time.Time) State {
	if at.After(s.HighWaterTime()) {
		s.HighWater = license.FormatInstant(at)
	}
	return s
}

// DismissedAt is when the banner of (license, stage) was dismissed.
func (s State) DismissedAt(licenseID, stageID string) (time.Time, bool) {
	v, ok := s.Dismissals[licenseID][stageID]
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	return t, err == nil
}

// WithDismissal records a dismissal; only this license's are kept, older licenses' are done.
func (s State) WithDismissal(licenseID, stageID string, at time.Time) State {
	stages := map[string]string{}
	for k, v := range s.Dismissals[licenseID] {
		stages[k] = v
	}
	stages[stageID] = license.FormatInstant(at)
	s.Dismissals = map[string]map[string]string{licenseID: stages}
	return s
}

// WithRevoked records a revocation and its reason.
func (s State) WithRevoked(licenseID, reason string) State {
	next := map[string]string{}
	for k, v := range s.Revoked {
		next[k] = v
	}
	next[licenseID] = reason
	s.Revoked = next
	return s
}

// Status is what Load found. Everything but OK and Fresh is worth an audit entry.
type Status string

// Load outcomes.
const (
	StatusOK         Status = "OK"
	StatusFresh      Status = "FRESH"
	StatusMissing    Status = "MISSING"
	StatusUnreadable Status = "UNREADABLE"
	StatusForged     Status = "FORGED"
	StatusReplayed   Status = "REPLAYED"
)

// Loaded is the outcome of reading the state file; State is set only when it can be trusted.
type Loaded struct {
	Status Status
	State  *State
	Detail string
}

type stateFile struct {
	Mac   string `json:"mac"`
	State State  `json:"state"`
}

// dirLocks serializes writers of one directory inside this process; the file
// lock serializes processes (the product and `keyturn install` may run at once).
var dirLocks sync.Map

// Store is the HMAC-signed state file and its secret, plus the lock that
// serializes writers. The MAC turns "edit a timestamp in a JSON file" into
// "find and use the secret next to it": it stops casual tampering, not someone
// who can read the secret or restore a whole backup of the directory.
type Store struct {
	dir         string
	mu          *sync.Mutex
	key         []byte
	lastCounter int64
	lockFile    *os.File
}

// NewStore is the store of dir.
func NewStore(dir string) *Store {
	abs, err := filepath.Abs(dir)
	if err != nil {
		abs = dir
	}
	mu, _ := dirLocks.LoadOrStore(abs, &sync.Mutex{})
	return &Store{dir: abs, mu: mu.(*sync.Mutex), lastCounter: -1}
}

// Locked runs action holding the process lock and, when takeFileLock, the OS
// file lock on .lock. Without the lock file (a read-only directory) the action
// still runs: reading must go on, and a write fails on its own.
func (s *Store) Locked(takeFileLock bool, action func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if takeFileLock {
		if f, err := os.OpenFile(filepath.Join(s.dir, LockFile), os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
			if syscall.Flock(int(f.Fd()), syscall.LOCK_EX) == nil {
				defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
			}
			defer f.Close()
		}
	}
	action()
}

// Load reads and verifies the state file. It never creates anything.
func (s *Store) Load() Loaded {
	existingKey := s.readKey()
	data, err := readBounded(filepath.Join(s.dir, StateFile))
	if errors.Is(err, os.ErrNotExist) {
		if existingKey != nil {
			return Loaded{StatusMissing, nil, StateFile + " is missing"}
		}
		return Loaded{StatusFresh, nil, "no state yet"}
	}
	if err != nil {
		return Loaded{StatusUnreadable, nil, "cannot read " + StateFile + ": " + err.Error()}
	}
	var file stateFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&file); err != nil || dec.More() {
		return Loaded{StatusUnreadable, nil, StateFile + " is not a valid state file (truncated or edited)"}
	}
	if file.Mac == "" || file.State.HighWater == "" {
		return Loaded{StatusUnreadable, nil, StateFile + " is incomplete"}
	}
	if _, err := time.Parse(time.RFC3339Nano, file.State.HighWater); err != nil {
		return Loaded{StatusUnreadable, nil, StateFile + " is not a valid state file (truncated or edited)"}
	}
	if file.State.Version != Version {
		return Loaded{StatusUnreadable, nil, fmt.Sprintf("%s has version %d, expected %d", StateFile, file.State.Version, Version)}
	}
	if existingKey == nil {
		return Loaded{StatusForged, nil, KeyFile + " is missing, so " + StateFile + " cannot be verified"}
	}
	actual, _ := hex.DecodeString(file.Mac)
	if !hmac.Equal(mac(existingKey, file.State), actual) {
		return Loaded{StatusForged, nil, StateFile + " does not carry a valid signature: it was edited or replaced"}
	}
	if file.State.Counter < s.lastCounter {
		return Loaded{StatusReplayed, nil, fmt.Sprintf("%s has counter %d but this process already wrote %d: an older copy was put back",
			StateFile, file.State.Counter, s.lastCounter)}
	}
	st := normalize(file.State)
	return Loaded{StatusOK, &st, "verified"}
}

func normalize(st State) State {
	if st.Dismissals == nil {
		st.Dismissals = map[string]map[string]string{}
	}
	if st.Revoked == nil {
		st.Revoked = map[string]string{}
	}
	return st
}

// Write signs and writes state with its counter raised past anything written
// before, creating the secret on first use. Call inside Locked.
func (s *Store) Write(state State) (State, error) {
	counter := state.Counter
	if s.lastCounter > counter {
		counter = s.lastCounter
	}
	state.Counter = counter + 1
	state = normalize(state)
	key, err := s.keyForWriting()
	if err != nil {
		return state, err
	}
	data, err := encode(stateFile{Mac: hex.EncodeToString(mac(key, state)), State: state})
	if err != nil {
		return state, err
	}
	if err := WriteAtomic(filepath.Join(s.dir, StateFile), data, false); err != nil {
		return state, fmt.Errorf("cannot write %s: %w", filepath.Join(s.dir, StateFile), err)
	}
	s.lastCounter = state.Counter
	return state, nil
}

func (s *Store) readKey() []byte {
	if s.key != nil {
		return s.key
	}
	data, err := readBounded(filepath.Join(s.dir, KeyFile))
	if err != nil || len(data) != keyBytes {
		return nil
	}
	s.key = data
	return data
}

func (s *Store) keyForWriting() ([]byte, error) {
	if k := s.readKey(); k != nil {
		return k, nil
	}
	// Missing or damaged: a new secret. Whatever the old one signed cannot be trusted anyway.
	fresh := make([]byte, keyBytes)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if err := WriteAtomic(filepath.Join(s.dir, KeyFile), fresh, true); err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", filepath.Join(s.dir, KeyFile), err)
	}
	s.key = fresh
	return fresh, nil
}

func mac(key []byte, state State) []byte {
	h := hmac.New(sha256.New, key)
	h.Write(macDomain)
	data, _ := encode(normalize(state))
	h.Write(data)
	return h.Sum(nil)
}

// encode is compact JSON without HTML escaping, as Jackson writes it.
func encode(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxState+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxState {
		return nil, fmt.Errorf("larger than %d bytes", maxState)
	}
	return data, nil
}
