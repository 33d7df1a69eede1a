package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"keyturn.dev/go/client"
	"keyturn.dev/go/internal/testlicense"
	"keyturn.dev/go/license"
	"keyturn.dev/go/web"
)

var start = time.Date(2027, 1, 10, 9, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

type product struct {
	t       *testing.T
	server  *httptest.Server
	clock   *client.SettableClock
	manager *client.Manager
	vendor  *testlicense.Vendor
	reached []string // product routes the gate let through
}

// newProduct runs a product behind the middleware, with a license of days
// (or none), and a subscription-style read-only grace when readOnly.
func newProduct(t *testing.T, days int, readOnly bool) *product {
	p := &product{t: t, clock: client.NewSettableClock(start), vendor: testlicense.New("2026-a")}
	m, err := client.New(client.Options{StateDir: t.TempDir(), TrustedKeys: p.vendor.Ring, Clock: p.clock, Zone: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	p.manager = m
	if days > 0 {
		l := p.vendor.Base(start.Add(-day), days)
		if readOnly {
			l.Policy = license.Policy{Preset: "subscription", GraceDays: 7, GraceMode: license.GraceReadOnly}
		}
		if r, err := m.Install(p.vendor.Sign(l)); err != nil || !r.Installed() {
			t.Fatal(r.Message, err)
		}
	}
	mw, err := web.Middleware(m, web.Settings{ProductName: "Acme Notes", ExemptPaths: []string{"/health"}, StaticPrefixes: []string{"/static"}})
	if err != nil {
		t.Fatal(err)
	}
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.reached = append(p.reached, r.Method+" "+r.URL.Path)
		io.WriteString(w, "product")
	})
	p.server = httptest.NewServer(mw(app))
	t.Cleanup(p.server.Close)
	return p
}

// advance lets time pass; a running product's Manager.Run refreshes on its own.
func (p *product) advance(d time.Duration) {
	p.clock.Advance(d)
	p.manager.Refresh()
}

func (p *product) do(method, path string, body string, headers ...string) (*http.Response, string) {
	p.t.Helper()
	req, _ := http.NewRequest(method, p.server.URL+path, strings.NewReader(body))
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func TestModesGateTheProduct(t *testing.T) {
	tests := []struct {
		name          string
		days          int
		readOnly      bool
		advance       time.Duration
		method, path  string
		accept        string
		status        int
		reachesApp    bool
		contentPrefix string
	}{
		{"full: reads pass", 365, false, 0, "GET", "/notes", "", 200, true, ""},
		{"full: changes pass", 365, false, 0, "POST", "/notes", "", 200, true, ""},
		{"read-only: reads pass", 30, true, 31 * day, "GET", "/notes", "", 200, true, ""},
		{"read-only: changes refused", 30, true, 31 * day, "POST", "/notes", "", 403, false, "application/problem+json"},
		{"read-only: a browser gets a page", 30, true, 31 * day, "DELETE", "/notes/1", "text/html", 403, false, "text/html"},
		{"locked: reads refused", 30, false, 100 * day, "GET", "/notes", "", 423, false, "application/problem+json"},
		{"locked: a browser gets the lock screen", 30, false, 100 * day, "GET", "/notes", "text/html", 423, false, "text/html"},
		{"locked: exempt paths pass", 30, false, 100 * day, "GET", "/health", "", 200, true, ""},
		{"locked: static assets pass", 30, false, 100 * day, "GET", "/static/app.css", "", 200, true, ""},
		{"locked: a stylesheet anywhere passes", 30, false, 100 * day, "GET", "/app.css", "", 200, true, ""},
		{"locked: posting to a static folder is gated", 30, false, 100 * day, "POST", "/static/x.css", "", 423, false, ""},
		{"no license: locked", 0, false, 0, "GET", "/", "", 423, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProduct(t, tt.days, tt.readOnly)
			p.advance(tt.advance)
			resp, body := p.do(tt.method, tt.path, "", "Accept", tt.accept)
			if resp.StatusCode != tt.status || (len(p.reached) > 0) != tt.reachesApp {
				t.Fatalf("%d, reached %v: %s", resp.StatusCode, p.reached, body)
			}
			if tt.contentPrefix != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), tt.contentPrefix) {
				t.Fatalf("content type %s", resp.Header.Get("Content-Type"))
			}
			if tt.status == 423 && tt.accept == "text/html" && !strings.Contains(body, `name="license"`) {
				t.Fatal("the lock screen has no paste box")
			}
		})
	}
}

func TestTheLockScreenUnlocksWithAPastedRenewal(t *testing.T) {
	p := newProduct(t, 30, false)
	p.advance(100 * day)
	renewal := p.vendor.Sign(p.vendor.Base(p.clock.Now().Add(-time.Hour), 365))
	var form bytes.Buffer
	form.WriteString("license=" + urlEncode(string(renewal)) + "&return_to=%2Fnotes")
	resp, body := p.do("POST", "/license/install", form.String(), "Content-Type", "application/x-www-form-urlencoded",
		"Origin", p.server.URL, "Accept", "text/html")
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/notes" {
		t.Fatalf("%d %s: %s", resp.StatusCode, resp.Header.Get("Location"), body)
	}
	if resp, _ := p.do("GET", "/notes", ""); resp.StatusCode != 200 {
		t.Fatalf("still %d after the renewal", resp.StatusCode)
	}
}

func TestInstallAnswersWithTheTypedCode(t *testing.T) {
	p := newProduct(t, 30, false)
	good := p.vendor.Sign(p.vendor.Base(start, 365))
	tampered := strings.Replace(string(good), `customer = "Acme Corp"`, `customer = "Evil Corp"`, 1)
	tests := []struct {
		name, body, contentType, origin string
		status                          int
		code                            string
	}{
		{"JSON", mustJSON(map[string]string{"license": string(good)}), "application/json", p.server.URL, 200, "VALID"},
		{"the raw file", tampered, "application/toml", p.server.URL, 422, "SIGNATURE_MISMATCH"},
		{"nothing pasted", "license=", "application/x-www-form-urlencoded", p.server.URL, 422, "MALFORMED"},
		{"no origin", string(good), "application/toml", "", 403, "CROSS_SITE_REQUEST"},
		{"another site", string(good), "application/toml", "https://evil.example", 403, "CROSS_SITE_REQUEST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := []string{"Content-Type", tt.contentType}
			if tt.origin != "" {
				headers = append(headers, "Origin", tt.origin)
			}
			resp, body := p.do("POST", "/license/install", tt.body, headers...)
			var answer map[string]any
			json.Unmarshal([]byte(body), &answer)
			if resp.StatusCode != tt.status || answer["code"] != tt.code {
				t.Fatalf("%d %v", resp.StatusCode, answer)
			}
		})
	}
}

func TestStandingAndDismissal(t *testing.T) {
	p := newProduct(t, 40, false)
	p.advance(10*day + time.Hour) // D-30 has started
	_, body := p.do("GET", "/license/standing?tz=Asia/Tokyo", "")
	var s map[string]any
	json.Unmarshal([]byte(body), &s)
	banner := s["banner"].(map[string]any)
	if s["stage"] != "D-30" || banner["display"] != "SHOWN" || banner["dismissible"] != true || !strings.Contains(banner["text"].(string), "JST") {
		t.Fatalf("%s", body)
	}
	resp, body := p.do("POST", "/license/banner/dismiss", "", "Origin", p.server.URL)
	if resp.StatusCode != 200 || !strings.Contains(body, `"outcome":"HIDDEN"`) {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if resp, _ := p.do("GET", "/license/banner/dismiss", ""); resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
		t.Fatalf("GET on a POST route: %d", resp.StatusCode)
	}
	if resp, _ := p.do("GET", "/license/nope", ""); resp.StatusCode != 404 {
		t.Fatalf("unknown route: %d", resp.StatusCode)
	}
}

func TestBannerAssetsAreServedWithAnETag(t *testing.T) {
	p := newProduct(t, 0, false)
	resp, body := p.do("GET", "/license/banner.js", "")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/javascript") || len(body) < 1000 {
		t.Fatalf("%d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if again, _ := p.do("GET", "/license/banner.js", "", "If-None-Match", resp.Header.Get("ETag")); again.StatusCode != 304 {
		t.Fatalf("revalidation: %d", again.StatusCode)
	}
}

// The banner component has one source, keyturn-client-web's resources; this
// SDK embeds a committed copy, which must not drift from it.
func TestEmbeddedBannerAssetsEqualTheOneSource(t *testing.T) {
	source := filepath.Join("..", "..", "..", "keyturn-client-web", "src", "main", "resources", "dev", "keyturn", "client", "web")
	for _, name := range []string{"banner.js", "banner.css"} {
		want, err := os.ReadFile(filepath.Join(source, name))
		if err != nil {
			t.Fatal(err)
		}
		got, err := web.Assets.ReadFile("assets/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("sdk/go/web/assets/%s differs from %s: copy it again (cp %s sdk/go/web/assets/)", name, filepath.Join(source, name), filepath.Join(source, name))
		}
	}
}

func TestSettingsAreValidated(t *testing.T) {
	for _, s := range []web.Settings{{BasePath: "license"}, {AllowedOrigins: []string{"evil"}}, {RenewalEmail: "not-an-address"}, {ExemptPaths: []string{"/a b"}}} {
		if _, err := web.Middleware(nil, s); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
}

func urlEncode(s string) string {
	r := strings.NewReplacer("%", "%25", "&", "%26", "+", "%2B", "=", "%3D", "\n", "%0A", "\r", "%0D", " ", "+", "#", "%23", "\"", "%22")
	return r.Replace(s)
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
