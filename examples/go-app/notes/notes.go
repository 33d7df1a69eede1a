// Package notes is the example product's own data: notes kept in one JSON
// file, written atomically so the license lock (or a crash) never loses any.
package notes

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Note is one note.
type Note struct {
	ID      int       `json:"id"`
	Text    string    `json:"text"`
	Created time.Time `json:"created"`
}

// MaxText bounds a note's length.
const MaxText = 2000

// ErrInvalid is returned for a note that cannot be saved as given.
var ErrInvalid = errors.New("invalid note")

// Store keeps the notes in one file.
type Store struct {
	mu    sync.Mutex
	path  string
	now   func() time.Time
	notes []Note
}

// Open reads path (or starts empty).
func Open(path string, now func() time.Time) (*Store, error) {
	s := &Store{path: path, now: now}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &s.notes); err != nil {
		return nil, fmt.Errorf("%s is not a notes file: %w", path, err)
	}
	return s, nil
}

// List returns the notes, newest first.
func (s *Store) List() []Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Note, len(s.notes))
	for i, n := range s.notes {
		out[len(s.notes)-1-i] = n
	}
	return out
}

// Add saves a note.
func (s *Store) Add(text string) (Note, error) {
	text = strings.TrimSpace(text)
	if text == "" || len(text) > MaxText {
		return Note{}, fmt.Errorf("%w: a note is 1 to %d characters", ErrInvalid, MaxText)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	n := Note{ID: 1, Text: text, Created: s.now().UTC()}
	if len(s.notes) > 0 {
		n.ID = s.notes[len(s.notes)-1].ID + 1
	}
	next := append(append([]Note(nil), s.notes...), n)
	if err := s.save(next); err != nil {
		return Note{}, err
	}
	s.notes = next
	return n, nil
}

// Delete removes a note; false when there is none with id.
func (s *Store) Delete(id int) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := make([]Note, 0, len(s.notes))
	for _, n := range s.notes {
		if n.ID != id {
			next = append(next, n)
		}
	}
	if len(next) == len(s.notes) {
		return false, nil
	}
	if err := s.save(next); err != nil {
		return false, err
	}
	s.notes = next
	return true, nil
}

func (s *Store) save(notes []Note) error {
	data, err := json.MarshalIndent(notes, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".notes-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.path)
}
