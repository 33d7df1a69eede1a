package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// A minimal W3C WebDriver client over net/http, driving Debian's headless
// Chromium through Debian's chromedriver: no library, and never a browser a
// tool downloads.

const (
	chromium     = "/usr/bin/chromium"
	chromedriver = "/usr/bin/chromedriver"
	elementKey   = "element-6066-11e4-a52e-4f735466cecf"
)

type browser struct {
	t       *testing.T
	base    string // chromedriver's address
	session string
}

// newBrowser starts chromedriver and a headless Chromium session. Without
// them the test is skipped locally and fails under CI=true.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	for _, p := range []string{chromium, chromedriver} {
		if _, err := os.Stat(p); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s is missing; CI must run the browser test (examples/appliance/install-browser.sh installs it)", p)
			}
			t.Skipf("%s is missing: the Chromium browser test needs Debian's chromium and chromium-driver", p)
		}
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := listener.Addr().(*net.TCPAddr).Port
	listener.Close()
	cmd := exec.Command(chromedriver, fmt.Sprintf("--port=%d", port))
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	b := &browser{t: t, base: fmt.Sprintf("http://127.0.0.1:%d", port)}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if resp, err := http.Get(b.base + "/status"); err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("chromedriver did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	var created struct {
		SessionID string `json:"sessionId"`
	}
	b.call("POST", "/session", map[string]any{"capabilities": map[string]any{"alwaysMatch": map[string]any{
		"browserName": "chrome",
		"goog:chromeOptions": map[string]any{"binary": chromium,
			"args": []string{"--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,900"}},
	}}}, &created)
	b.session = "/session/" + created.SessionID
	t.Cleanup(func() { b.call("DELETE", b.session, nil, nil) })
	return b
}

func (b *browser) call(method, path string, body any, into any) {
	b.t.Helper()
	if err := b.try(method, path, body, into); err != nil {
		b.t.Fatal(err)
	}
}

// try is one WebDriver command; an error names what the driver said.
func (b *browser) try(method, path string, body any, into any) error {
	var data []byte
	if body != nil {
		data, _ = json.Marshal(body)
	}
	req, _ := http.NewRequest(method, b.base+path, bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var answer struct {
		Value json.RawMessage `json:"value"`
	}
	json.NewDecoder(resp.Body).Decode(&answer)
	if resp.StatusCode != 200 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, answer.Value)
	}
	if into != nil {
		json.Unmarshal(answer.Value, into)
	}
	return nil
}

// onElement runs one command on the element matching css, finding it again
// when a navigation replaced the page between the find and the command.
func (b *browser) onElement(css, method, suffix string, body any, into any) {
	b.t.Helper()
	var err error
	for attempt := 0; attempt < 30; attempt++ {
		if err = b.try(method, b.session+"/element/"+b.find(css)+suffix, body, into); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.t.Fatal(err)
}

func (b *browser) open(url string) {
	b.call("POST", b.session+"/url", map[string]string{"url": url}, nil)
}

// find waits up to 10 s for an element matching css.
func (b *browser) find(css string) string {
	b.t.Helper()
	id := b.waitFor(css)
	if id == "" {
		var html string
		b.call("POST", b.session+"/execute/sync", map[string]any{"script": "return document.documentElement.outerHTML", "args": []any{}}, &html)
		b.t.Fatalf("no element %s on the page:\n%s", css, html)
	}
	return id
}

func (b *browser) waitFor(css string) string {
	deadline := time.Now().Add(10 * time.Second)
	for {
		var found []map[string]string
		b.call("POST", b.session+"/elements", map[string]string{"using": "css selector", "value": css}, &found)
		if len(found) > 0 {
			return found[0][elementKey]
		}
		if time.Now().After(deadline) {
			return ""
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (b *browser) text(css string) string {
	var s string
	b.onElement(css, "GET", "/text", nil, &s)
	return s
}

// click clicks and waits until the page it leads to has loaded.
func (b *browser) click(css string) {
	b.onElement(css, "POST", "/click", map[string]any{}, nil)
	b.settle()
}

func (b *browser) typeInto(css, text string) {
	b.onElement(css, "POST", "/value", map[string]string{"text": text}, nil)
}

func (b *browser) property(css, name string) string {
	var s string
	b.onElement(css, "GET", "/property/"+name, nil, &s)
	return s
}

// settle waits for the document to be complete, so the next find is on the new page.
func (b *browser) settle() {
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		var state string
		if b.try("POST", b.session+"/execute/sync", map[string]any{"script": "return document.readyState", "args": []any{}}, &state) == nil && state == "complete" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (b *browser) absent(css string) bool {
	var found []map[string]string
	b.call("POST", b.session+"/elements", map[string]string{"using": "css selector", "value": css}, &found)
	return len(found) == 0
}

// TestD30ToLockToRenewalInChromium walks the demo as a person would: the D-30
// banner, the admin alert from D-7, the lock screen, a renewal pasted into its
// box, and the product back with its data intact.
func TestD30ToLockToRenewalInChromium(t *testing.T) {
	b := newBrowser(t)
	server, _, _ := startDemo(t)

	b.open(server.URL + "/")
	b.typeInto("#note-text", "Quarterly plan")
	b.click("#note-save")
	if !strings.Contains(b.text("#notes"), "Quarterly plan") {
		t.Fatal("the note was not saved")
	}

	b.open(server.URL + "/demo")
	b.click(`button[data-stage="D-30"]`)
	// A click does not wait for the form's POST: opening the next page at once could race it
	// and show the product before the clock moved.
	time.Sleep(time.Second)
	b.open(server.URL + "/")
	b.find(`html[data-keyturn-state="ready"]`)
	if banner := b.text("[data-keyturn-banner]"); !strings.Contains(banner, "expires in 30 days") {
		t.Fatalf("D-30 banner: %q", banner)
	}
	if !b.absent("[data-admin-alert]") {
		t.Fatal("the admin alert shows 30 days out")
	}

	b.open(server.URL + "/demo")
	b.click(`button[data-stage="D-7"]`)
	b.open(server.URL + "/")
	if alert := b.text("[data-admin-alert]"); !strings.Contains(alert, "expires in 7 days") {
		t.Fatalf("admin alert at D-7: %q", alert)
	}

	b.open(server.URL + "/demo")
	b.click(`button[data-stage="LOCK"]`)
	b.click("#demo-issue-renewal")
	renewal := b.property("#demo-license", "value")
	if !strings.Contains(renewal, "[signature]") {
		t.Fatalf("no renewal issued: %q", renewal)
	}

	b.open(server.URL + "/")
	b.find(`html[data-keyturn-page="lock"]`)
	if title := b.text("#kt-title"); title != "Acme Notes is locked" {
		t.Fatalf("lock screen title %q", title)
	}
	b.typeInto("#kt-license", renewal)
	b.click(`#kt-install-form button[type="submit"]`)
	// The lock screen reloads once the license is in force: the product is back, its data intact.
	if b.waitFor("#notes") == "" {
		t.Fatal("the product did not come back after the renewal")
	}
	if !strings.Contains(b.text("#notes"), "Quarterly plan") || !b.absent("[data-admin-alert]") {
		t.Fatal("after the renewal: the note is gone or the admin alert stayed")
	}
}
