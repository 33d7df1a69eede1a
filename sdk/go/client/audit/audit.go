// Package audit is the client's local audit log, audit.log in the state
// directory: one JSON object per line, each carrying the SHA-256 of the line
// before it. Editing or removing a line breaks the chain there; cutting lines
// at the end is caught by the line count and last hash kept in the signed
// state file. It is evidence for an administrator, not a lock.
package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"keyturn.dev/go/license"
)

// FileName is the log's name in the state directory.
const FileName = "audit.log"

// Genesis is the prev of the first line.
var Genesis = strings.Repeat("0", 64)

// Field is one key and value of an entry's data, kept in the order written.
type Field struct {
	Key   string
	Value any
}

// Entry is one line of the log.
type Entry struct {
	Seq   int64
	At    time.Time
	Event string
	Data  map[string]any
	Prev  string
}

// Tail is the end of the chain: how many lines, the last line's hash, the last time.
type Tail struct {
	Lines  int64
	Hash   string
	LastAt *time.Time
}

// Log is the audit log of one state directory. Appends must be serialized by
// the caller (the client does it under the state lock).
type Log struct {
	path string
}

// New is the log of stateDir.
func New(stateDir string) *Log {
	return &Log{path: filepath.Join(stateDir, FileName)}
}

// Path is the log file's path.
func (l *Log) Path() string { return l.path }

// Tail reads the end of the log; a missing log is an empty one.
func (l *Log) Tail() (Tail, error) {
	lines, err := l.lines()
	if err != nil {
		return Tail{}, err
	}
	if len(lines) == 0 {
		return Tail{0, Genesis, nil}, nil
	}
	t := Tail{Lines: int64(len(lines)), Hash: hash(lines[len(lines)-1])}
	for i := len(lines) - 1; i >= 0; i-- {
		if e, ok := Parse(lines[i]); ok {
			at := e.At
			t.LastAt = &at
			break
		}
	}
	return t, nil
}

// Append adds one entry chained to whatever the last line is now, and syncs it to disk.
func (l *Log) Append(at time.Time, event string, data ...Field) (Tail, error) {
	lines, err := l.lines()
	if err != nil {
		return Tail{}, err
	}
	prev := Genesis
	if len(lines) > 0 {
		prev = hash(lines[len(lines)-1])
	}
	line := format(int64(len(lines))+1, at, event, data, prev)
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return Tail{}, fmt.Errorf("cannot append to %s: %w", l.path, err)
	}
	defer f.Close()
	text := line + "\n"
	if torn, _ := endsWithoutNewline(l.path); torn {
		text = "\n" + text // a line torn by a crash stays as it is; the new entry starts a line
	}
	if _, err := f.WriteString(text); err != nil {
		return Tail{}, fmt.Errorf("cannot append to %s: %w", l.path, err)
	}
	if err := f.Sync(); err != nil {
		return Tail{}, fmt.Errorf("cannot append to %s: %w", l.path, err)
	}
	return Tail{int64(len(lines)) + 1, hash(line), &at}, nil
}

// HashOfLine is the hash of line n (from 1), if the log has that many lines.
func (l *Log) HashOfLine(n int64) (string, bool) {
	lines, err := l.lines()
	if err != nil || n < 1 || n > int64(len(lines)) {
		return "", false
	}
	return hash(lines[n-1]), true
}

// Entries returns every readable entry, skipping lines that cannot be parsed.
func (l *Log) Entries() []Entry {
	lines, _ := l.lines()
	var out []Entry
	for _, line := range lines {
		if e, ok := Parse(line); ok {
			out = append(out, e)
		}
	}
	return out
}

// Verification is the outcome of walking the chain.
type Verification struct {
	Intact      bool
	Lines       int64
	BrokenAt    int64 // the first line that does not hold, 0 when intact
	Description string
}

// Verify walks the chain from the first line. expected is the tail recorded
// in the state file, if any: the log may have grown since, but must still hold
// that line unchanged.
func (l *Log) Verify(expected *Tail) Verification {
	data, err := os.ReadFile(l.path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return Verification{false, 0, 1, "cannot read " + l.path + ": " + err.Error()}
	}
	text := string(data)
	incompleteLast := text != "" && !strings.HasSuffix(text, "\n")
	lines := split(text)
	count := int64(len(lines))
	broken := func(at int64, format string, args ...any) Verification {
		return Verification{false, count, at, fmt.Sprintf(format, args...)}
	}
	prevHash := Genesis
	hashAtExpected := ""
	for i, line := range lines {
		n := int64(i) + 1
		e, ok := Parse(line)
		if !ok {
			if n == count && incompleteLast {
				return broken(n, "line %d is incomplete: its write was interrupted", n)
			}
			return broken(n, "line %d is not a valid audit entry", n)
		}
		if e.Seq != n {
			if e.Seq > n {
				return broken(n, "line %d is missing: the entry found there is number %d; %d line(s) were removed", n, e.Seq, e.Seq-n)
			}
			return broken(n, "line %d carries number %d: lines were copied or reordered", n, e.Seq)
		}
		if e.Prev != prevHash {
			if n == 1 {
				return broken(1, "line 1 was changed: it does not start the chain")
			}
			return broken(n-1, "line %d was changed after it was written: line %d records a different hash for it", n-1, n)
		}
		prevHash = hash(line)
		if expected != nil && n == expected.Lines {
			hashAtExpected = prevHash
		}
	}
	if expected != nil && expected.Lines > 0 {
		if count < expected.Lines {
			return broken(count+1, "line %d is missing: the log ends after %d lines, the state file records %d", count+1, count, expected.Lines)
		}
		if expected.Hash != hashAtExpected {
			return broken(expected.Lines, "line %d was changed: the state file records a different hash for it", expected.Lines)
		}
	}
	if count == 0 {
		return Verification{true, 0, 0, "the audit log is empty"}
	}
	return Verification{true, count, 0, fmt.Sprintf("all %d lines are intact and chained", count)}
}

// Parse reads one line; false when it is not an audit entry.
func Parse(line string) (Entry, bool) {
	var raw struct {
		Seq   *json.Number    `json:"seq"`
		At    *string         `json:"at"`
		Event *string         `json:"event"`
		Data  json.RawMessage `json:"data"`
		Prev  *string         `json:"prev"`
	}
	dec := json.NewDecoder(strings.NewReader(line))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil || raw.Seq == nil || raw.At == nil || raw.Event == nil || raw.Prev == nil {
		return Entry{}, false
	}
	seq, err := raw.Seq.Int64()
	if err != nil {
		return Entry{}, false
	}
	at, err := time.Parse(time.RFC3339Nano, *raw.At)
	if err != nil {
		return Entry{}, false
	}
	var data map[string]any
	if err := json.Unmarshal(raw.Data, &data); err != nil || data == nil {
		return Entry{}, false
	}
	return Entry{seq, at, *raw.Event, data, *raw.Prev}, true
}

func format(seq int64, at time.Time, event string, data []Field, prev string) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"seq":%d,"at":%s,"event":%s,"data":{`, seq, quote(license.FormatInstant(at)), quote(event))
	for i, f := range data {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(quote(f.Key) + ":")
		v, _ := json.Marshal(f.Value)
		b.Write(v)
	}
	fmt.Fprintf(&b, `},"prev":%s}`, quote(prev))
	return b.String()
}

func quote(s string) string {
	v, _ := json.Marshal(s)
	return string(v)
}

func (l *Log) lines() ([]string, error) {
	data, err := os.ReadFile(l.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", l.path, err)
	}
	return split(string(data)), nil
}

// split gives lines without terminators; a last line without one still counts.
func split(text string) []string {
	if text == "" {
		return nil
	}
	lines := strings.Split(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

func endsWithoutNewline(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() == 0 {
		return false, err
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, info.Size()-1); err != nil {
		return false, err
	}
	return last[0] != '\n', nil
}

func hash(line string) string {
	sum := sha256.Sum256([]byte(line))
	return hex.EncodeToString(sum[:])
}
