package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keyturn.dev/examples/go-app/demo"
	"keyturn.dev/examples/go-app/notes"
	"keyturn.dev/go/client"
)

var start = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)

// startDemo runs the example in demo mode on a test server, as main does.
func startDemo(t *testing.T) (*httptest.Server, *demo.Demo, *client.Manager) {
	t.Helper()
	return startDemoWith(t, "appliance")
}

func startDemoWith(t *testing.T, preset string) (*httptest.Server, *demo.Demo, *client.Manager) {
	t.Helper()
	dir := t.TempDir()
	d, err := demo.New(start, filepath.Join(dir, "keys"), preset)
	if err != nil {
		t.Fatal(err)
	}
	licenses, err := client.New(client.Options{StateDir: filepath.Join(dir, "license"), TrustedKeys: d.Keys, Clock: d.Clock, Zone: time.UTC,
		Usage: func() (map[string]int64, error) { return map[string]int64{"users": 1}, nil }})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Attach(licenses); err != nil {
		t.Fatal(err)
	}
	store, err := notes.Open(filepath.Join(dir, "notes.json"), d.Clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	handler, err := (&App{licenses: licenses, notes: store, demo: d}).Handler()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go licenses.Run(ctx)
	server := httptest.NewServer(handler)
	t.Cleanup(func() { server.Close(); cancel() })
	return server, d, licenses
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestTheAdminAlertStartsSevenDaysOut(t *testing.T) {
	server, d, _ := startDemo(t)
	expiry := start.Add(demo.FirstLicense)
	tests := []struct {
		name   string
		at     time.Time
		status int
		alert  string
	}{
		{"a month out", start, 200, ""},
		{"eight days out", expiry.Add(-8 * 24 * time.Hour), 200, ""},
		{"seven days out", expiry.Add(-7*24*time.Hour + time.Minute), 200, "Admin alert: the Acme Notes license expires in 7 days"},
		{"the last day", expiry.Add(-time.Hour), 200, "expires within a day"},
		{"in grace", expiry.Add(24 * time.Hour), 200, "Admin alert: the Acme Notes license expired on"},
	}
	for _, tt := range tests {
		d.Advance(tt.at.Sub(d.Clock.Now()))
		status, body := get(t, server.URL+"/")
		hasAlert := strings.Contains(body, "data-admin-alert")
		if status != tt.status || hasAlert != (tt.alert != "") || !strings.Contains(body, tt.alert) {
			t.Errorf("%s: %d, alert %v", tt.name, status, hasAlert)
		}
	}
}

func TestNotesSurviveTheLock(t *testing.T) {
	server, d, licenses := startDemo(t)
	form := func(path string, values url.Values) int {
		resp, err := http.PostForm(server.URL+path, values)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if status := form("/notes", url.Values{"text": {"Quarterly plan"}}); status != 200 { // after the redirect
		t.Fatalf("save: %d", status)
	}
	if err := d.JumpTo("LOCK"); err != nil {
		t.Fatal(err)
	}
	if status, _ := get(t, server.URL+"/"); status != 423 {
		t.Fatalf("locked: %d", status)
	}
	if status, _ := get(t, server.URL+"/static/app.css"); status != 200 {
		t.Fatalf("the stylesheet is gated while locked: %d", status)
	}
	if status := form("/notes", url.Values{"text": {"sneaked in"}}); status != 423 {
		t.Fatalf("a change while locked: %d", status)
	}
	if r, err := licenses.Install([]byte(d.Renewal())); err != nil || !r.Installed() {
		t.Fatal(r.Message, err)
	}
	status, body := get(t, server.URL+"/")
	if status != 200 || !strings.Contains(body, "Quarterly plan") || strings.Contains(body, "sneaked in") {
		t.Fatalf("after the renewal: %d", status)
	}
}

func TestDemoControlsAnswerScripts(t *testing.T) {
	server, _, _ := startDemo(t)
	req, _ := http.NewRequest("POST", server.URL+"/demo/clock", strings.NewReader("to=D-30"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"stage":"D-30"`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	req, _ = http.NewRequest("POST", server.URL+"/demo/clock", strings.NewReader("to=D-30"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", "https://evil.example")
	if resp, _ := http.DefaultClient.Do(req); resp.StatusCode != 403 {
		t.Fatalf("another site moved the clock: %d", resp.StatusCode)
	}
}
