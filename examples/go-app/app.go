package main

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"time"

	"keyturn.dev/examples/go-app/demo"
	"keyturn.dev/examples/go-app/notes"
	"keyturn.dev/go/client"
	"keyturn.dev/go/lifecycle"
	"keyturn.dev/go/web"
)

// Product is how the pages name the product.
const Product = "Acme Notes"

// AlertDays is how far ahead of expiry every page carries the admin alert: the
// license-key retrospective behind Keyturn comes from a Go server whose admins
// saw a site-wide alert 7 days out, and that alert is what got renewals done.
const AlertDays = 7

//go:embed templates/*.html
var templates embed.FS

//go:embed static
var static embed.FS

var pageTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.UTC().Format("2 Jan 2006, 15:04") + " UTC" },
	"iso":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
}).ParseFS(templates, "templates/*.html"))

// App is the example product: a notes app with the Keyturn middleware in front.
type App struct {
	licenses *client.Manager
	notes    *notes.Store
	demo     *demo.Demo // nil outside demo mode
}

// Handler is the whole product: the Keyturn middleware around the app's routes.
func (a *App) Handler() (http.Handler, error) {
	mux := http.NewServeMux()
	staticFiles, _ := fs.Sub(static, "static")
	mux.Handle("/static/", http.StripPrefix("/static/", http.FileServer(http.FS(staticFiles))))
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"status":"up","mode":%q}`, a.licenses.Mode())
	})
	mux.HandleFunc("/api/notes", a.listNotes)
	mux.HandleFunc("/notes", a.addNote)
	mux.HandleFunc("/notes/delete", a.deleteNote)
	mux.HandleFunc("/", a.home)
	settings := web.Settings{ProductName: Product, ExemptPaths: []string{"/health"}, StaticPrefixes: []string{"/static"}}
	if a.demo != nil {
		mux.HandleFunc("/demo", a.demoPanel)
		mux.HandleFunc("/demo/", a.demoAction)
		settings.ExemptPaths = append(settings.ExemptPaths, "/demo")
		settings.VendorName = "the demo vendor"
	}
	middleware, err := web.Middleware(a.licenses, settings)
	if err != nil {
		return nil, err
	}
	return middleware(mux), nil
}

type page struct {
	Title      string
	Demo       bool
	AdminAlert string
	Notes      []notes.Note
	Error      string
	Standing   client.Standing
	Milestones []milestoneView
	Issued     string
	IssuedKind string
}

type milestoneView struct {
	ID, Label string
	Days      int64
}

// adminAlert is the site-wide alert of the last AlertDays before expiry and of
// grace: not dismissible, on every page, so whoever administers the product
// sees it whatever page they work on.
func adminAlert(s client.Standing) string {
	if s.License == nil || s.Lifecycle == nil || s.Has(client.FlagRevoked) {
		return ""
	}
	expires := s.License.ExpiresAt.UTC().Format("2 Jan 2006, 15:04") + " UTC"
	switch {
	case s.Phase == lifecycle.PhaseExpiring && s.DaysUntilExpiry <= AlertDays:
		in := fmt.Sprintf("in %d days", s.DaysUntilExpiry)
		if s.DaysUntilExpiry == 1 {
			in = "within a day"
		}
		return fmt.Sprintf("Admin alert: the %s license expires %s (%s). Install the renewed license before then.", Product, in, expires)
	case s.Phase == lifecycle.PhaseGrace:
		return fmt.Sprintf("Admin alert: the %s license expired on %s; %s locks in %d days. Install the renewed license now.",
			Product, expires, Product, s.DaysUntilLock)
	}
	return ""
}

func (a *App) render(w http.ResponseWriter, status int, name string, p page) {
	p.Demo = a.demo != nil
	p.Standing = a.licenses.Standing()
	p.AdminAlert = adminAlert(p.Standing)
	var b strings.Builder
	if err := pageTemplates.ExecuteTemplate(&b, name, p); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprint(w, b.String())
}

func (a *App) home(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	a.render(w, http.StatusOK, "notes.html", page{Title: Product, Notes: a.notes.List()})
}

// listNotes is GET /api/notes: the notes as JSON, for scripts.
func (a *App) listNotes(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "GET only", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"notes": a.notes.List()})
}

func (a *App) addNote(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	if _, err := a.notes.Add(r.PostFormValue("text")); err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, notes.ErrInvalid) {
			status = http.StatusBadRequest
		}
		a.render(w, status, "notes.html", page{Title: Product, Notes: a.notes.List(), Error: err.Error()})
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (a *App) deleteNote(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	id, err := strconv.Atoi(r.PostFormValue("id"))
	if err != nil {
		http.Error(w, "no such note", http.StatusBadRequest)
		return
	}
	if _, err := a.notes.Delete(id); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
