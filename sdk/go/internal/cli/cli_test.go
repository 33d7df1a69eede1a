package cli_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keyturn.dev/go/client"
	"keyturn.dev/go/internal/cli"
	"keyturn.dev/go/internal/testlicense"
	"keyturn.dev/go/license"
)

var start = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

type world struct {
	t      *testing.T
	dir    string
	keys   string
	vendor *testlicense.Vendor
	clock  *client.SettableClock
}

func newWorld(t *testing.T) *world {
	w := &world{t: t, dir: t.TempDir(), vendor: testlicense.New("2026-a"), clock: client.NewSettableClock(start)}
	w.keys = filepath.Join(w.dir, "keys")
	os.Mkdir(w.keys, 0o755)
	w.vendor.WritePublicKey(w.keys)
	os.Mkdir(filepath.Join(w.dir, "state"), 0o755)
	return w
}

func (w *world) file(name string, edit func(*license.License)) string {
	l := w.vendor.Base(start.Add(-day), 30)
	if edit != nil {
		edit(&l)
	}
	path := filepath.Join(w.dir, name)
	os.WriteFile(path, w.vendor.Sign(l), 0o644)
	return path
}

func (w *world) run(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := cli.Run(args, cli.Env{Out: &out, Err: &errOut, Clock: w.clock})
	return code, out.String(), errOut.String()
}

func TestVerifyExitsZeroOnlyWhenValid(t *testing.T) {
	w := newWorld(t)
	good := w.file("good.license.toml", nil)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"valid", []string{"license", "verify", good, "--trust", w.keys}, 0, "VALID: valid for Acme Corp"},
		{"expired at --at", []string{"license", "verify", good, "--trust=" + w.keys, "--at", "2028-01-01"}, 1, "EXPIRED: this license expired"},
		{"a missing file", []string{"license", "verify", filepath.Join(w.dir, "nope.toml"), "--trust", w.keys}, 1, "MALFORMED: no such file"},
		{"no --trust", []string{"license", "verify", good}, 2, "Missing required option: '--trust=DIR_OR_PEM'"},
		{"a bad --at", []string{"license", "verify", good, "--trust", w.keys, "--at", "soon"}, 2, "is not a date or an instant"},
		{"an unknown command", []string{"licence"}, 2, "Unmatched argument"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := w.run(tt.args...)
			if code != tt.code || !strings.Contains(out+errOut, tt.want) {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
		})
	}
}

func TestVerifyJSON(t *testing.T) {
	w := newWorld(t)
	code, out, _ := w.run("license", "verify", w.file("good.license.toml", nil), "--trust", w.keys, "--json")
	var v struct {
		Code    string
		Message string
		License map[string]any
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != 0 {
		t.Fatalf("%d %v: %s", code, err, out)
	}
	if v.Code != "VALID" || v.License["key_id"] != "2026-a" || v.License["instance_domain"] != nil {
		t.Fatalf("%+v", v)
	}
}

func TestStatusExitCodesFollowTheMode(t *testing.T) {
	w := newWorld(t)
	state := filepath.Join(w.dir, "state")
	status := func() (int, map[string]any) {
		code, out, errOut := w.run("status", "--state-dir", state, "--trust", w.keys, "--json", "--zone", "UTC")
		var v map[string]any
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%v: %s %s", err, out, errOut)
		}
		return code, v
	}
	if code, v := status(); code != cli.ExitLocked || v["mode"] != "LOCKED" {
		t.Fatalf("no license: %d %v", code, v["mode"])
	}
	file := w.file("sub.license.toml", func(l *license.License) {
		l.Policy = license.Policy{Preset: "subscription", GraceDays: 7, GraceMode: license.GraceReadOnly}
	})
	if code, out, errOut := w.run("install", file, "--state-dir", state, "--trust", w.keys); code != 0 || !strings.Contains(out, "Installed license") {
		t.Fatalf("install: %d %s %s", code, out, errOut)
	}
	if code, v := status(); code != cli.ExitOK || v["summary"] != "expires in 29 days" {
		t.Fatalf("full: %d %v", code, v["summary"])
	}
	w.clock.Advance(31 * day)
	if code, v := status(); code != cli.ExitReadOnly || v["phase"] != "GRACE" {
		t.Fatalf("read-only: %d %v", code, v["phase"])
	}
	w.clock.Advance(10 * day)
	if code, _ := status(); code != cli.ExitLocked {
		t.Fatalf("locked: %d", code)
	}
	if code, _, errOut := w.run("status", "--state-dir", filepath.Join(w.dir, "nowhere"), "--trust", w.keys); code != 1 || !strings.Contains(errOut, "no such directory") {
		t.Fatalf("a missing state dir: %d %s", code, errOut)
	}
}

func TestInstallRefusesWithTheCode(t *testing.T) {
	w := newWorld(t)
	other := testlicense.New("2026-a")
	path := filepath.Join(w.dir, "foreign.license.toml")
	os.WriteFile(path, other.Sign(other.Base(start, 30)), 0o644)
	code, out, errOut := w.run("install", path, "--state-dir", filepath.Join(w.dir, "state"), "--trust", w.keys, "--json")
	var v map[string]any
	json.Unmarshal([]byte(out), &v)
	if code != 1 || v["code"] != "SIGNATURE_MISMATCH" || v["installed"] != false {
		t.Fatalf("%d %v %s", code, v, errOut)
	}
}
