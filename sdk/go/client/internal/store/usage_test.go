package store

import (
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestUsageRecordVectors runs conformance/vectors/usage.json's records: the
// signed usage.json the Java client writes, read as it reads it.
func TestUsageRecordVectors(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "..", "conformance", "vectors", "usage.json"))
	if err != nil {
		t.Fatalf("the conformance vectors are missing (%v); merge the conformance suite", err)
	}
	var f struct {
		Records []struct {
			Name        string `json:"name"`
			StateKeyHex string `json:"state_key_hex"`
			FileBase64  string `json:"file_base64"`
			Expected    struct {
				Status string          `json:"status"`
				Record json.RawMessage `json:"record"`
			} `json:"expected"`
		} `json:"records"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	for _, c := range f.Records {
		t.Run(c.Name, func(t *testing.T) {
			dir := t.TempDir()
			key, _ := hex.DecodeString(c.StateKeyHex)
			file, _ := base64.StdEncoding.DecodeString(c.FileBase64)
			if err := os.WriteFile(filepath.Join(dir, KeyFile), key, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, UsageFile), file, 0o644); err != nil {
				t.Fatal(err)
			}
			loaded := NewStore(dir).LoadUsage()
			if string(loaded.Status) != c.Expected.Status {
				t.Fatalf("status %s (%s), want %s", loaded.Status, loaded.Detail, c.Expected.Status)
			}
			if string(c.Expected.Record) == "null" {
				return
			}
			var want, got any
			_ = json.Unmarshal(c.Expected.Record, &want)
			written, _ := json.Marshal(loaded.Record)
			_ = json.Unmarshal(written, &got)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("record\n got: %v\nwant: %v", got, want)
			}
			// Written back with the same secret, the file is byte for byte the Java client's.
			again := t.TempDir()
			_ = os.WriteFile(filepath.Join(again, KeyFile), key, 0o600)
			if err := NewStore(again).WriteUsage(*loaded.Record); err != nil {
				t.Fatal(err)
			}
			if b, _ := os.ReadFile(filepath.Join(again, UsageFile)); string(b) != string(file) {
				t.Errorf("written\n got: %s\nwant: %s", b, file)
			}
		})
	}
}
