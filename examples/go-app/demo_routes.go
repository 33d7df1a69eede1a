package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"keyturn.dev/go/license"
)

// demoPanel is GET /demo: the demo's control panel.
func (a *App) demoPanel(w http.ResponseWriter, r *http.Request) {
	a.render(w, http.StatusOK, "demo.html", a.demoPage("", ""))
}

func (a *App) demoPage(issued, kind string) page {
	s := a.licenses.Standing()
	var ms []milestoneView
	for _, m := range a.demo.Milestones() {
		hours := int64(m.StartsAt.Sub(s.EvaluatedAt) / time.Hour)
		ms = append(ms, milestoneView{m.ID, m.Label, (hours + 23) / 24}) // days round up, as everywhere else
	}
	return page{Title: "Demo controls · " + Product, Milestones: ms, Issued: issued, IssuedKind: kind}
}

// demoAction serves the demo's controls, which are also the test-control
// contract of the conformance web script:
//
//	POST /demo/clock    days=N | to=D-30|…|EXPIRY|LOCK | back=N   (303 to /demo, or JSON)
//	POST /demo/license  kind=renewal|tampered                     (the panel with the file, or JSON {"license": …})
//
// Exempt from the license gate, so the clock moves while the product is locked.
func (a *App) demoAction(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if !demoSameOrigin(r) {
		http.Error(w, "demo controls take requests from this server's pages only", http.StatusForbidden)
		return
	}
	asJSON := strings.Contains(r.Header.Get("Accept"), "application/json") && !strings.Contains(r.Header.Get("Accept"), "text/html")
	var err error
	switch r.URL.Path {
	case "/demo/clock":
		err = a.moveClock(r)
		if err == nil {
			if asJSON {
				a.demoJSON(w, http.StatusOK, map[string]any{"clock": license.FormatInstant(a.demo.Clock.Now())})
				return
			}
			http.Redirect(w, r, "/demo", http.StatusSeeOther)
			return
		}
	case "/demo/license":
		kind := r.PostFormValue("kind")
		text := a.demo.Renewal()
		if kind == "tampered" {
			text = a.demo.TamperedRenewal()
		} else {
			kind = "renewal"
		}
		if asJSON {
			a.demoJSON(w, http.StatusOK, map[string]any{"kind": kind, "license": text})
			return
		}
		a.render(w, http.StatusOK, "demo.html", a.demoPage(text, kind))
		return
	default:
		http.NotFound(w, r)
		return
	}
	if asJSON {
		a.demoJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
		return
	}
	p := a.demoPage("", "")
	p.Error = err.Error()
	a.render(w, http.StatusBadRequest, "demo.html", p)
}

func (a *App) moveClock(r *http.Request) error {
	number := func(s string) (int, error) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return 0, errorf("not a number of days: '%s'", s)
		}
		return n, nil
	}
	switch {
	case r.PostFormValue("days") != "":
		n, err := number(r.PostFormValue("days"))
		if err != nil {
			return err
		}
		return a.demo.AdvanceDays(n)
	case r.PostFormValue("to") != "":
		return a.demo.JumpTo(r.PostFormValue("to"))
	case r.PostFormValue("back") != "":
		n, err := number(r.PostFormValue("back"))
		if err != nil {
			return err
		}
		if n < 1 || n > 800 {
			return errorf("turn the clock back 1 to 800 days, not %d", n)
		}
		a.demo.TurnBack(time.Duration(n) * 24 * time.Hour)
		return nil
	}
	return errorf("say days=N, to=STAGE or back=N")
}

func (a *App) demoJSON(w http.ResponseWriter, status int, body map[string]any) {
	s := a.licenses.Standing()
	body["mode"] = s.Mode
	body["phase"] = s.Phase
	body["stage"] = s.StageID()
	body["evaluated_at"] = license.FormatInstant(s.EvaluatedAt)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// demoSameOrigin refuses another site's page moving the clock; a script
// without an Origin header (curl, the conformance script) may.
func demoSameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	return err == nil && strings.EqualFold(u.Host, r.Host)
}
