package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"time"

	"keyturn.dev/go/client"
	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

// Assets holds banner.js and banner.css: a committed copy of the one source in
// keyturn-client-web (a test fails when they differ).
//
//go:embed assets/banner.js assets/banner.css
var Assets embed.FS

// Stable codes of the module's own refusals and their statuses, mapped here only.
const (
	ErrReadOnly         = "READ_ONLY"
	ErrLocked           = "LOCKED"
	ErrCrossSite        = "CROSS_SITE_REQUEST"
	ErrPayloadTooLarge  = "PAYLOAD_TOO_LARGE"
	ErrBadRequest       = "BAD_REQUEST"
	ErrNotFound         = "NOT_FOUND"
	ErrMethodNotAllowed = "METHOD_NOT_ALLOWED"
	ErrInstallFailed    = "INSTALL_FAILED"
	ErrDismissFailed    = "DISMISS_FAILED"
	ErrRenewalNotConfig = "RENEWAL_NOT_CONFIGURED"
	ErrRenewalFailed    = "RENEWAL_FAILED"
	// LicenseRejectedStatus answers a rejected license, with its license.Code as code.
	LicenseRejectedStatus = 422
	maxInstallBody        = 256 * 1024
)

var webErrors = map[string]struct {
	status int
	title  string
}{
	ErrReadOnly:         {403, "The product is read-only"},
	ErrLocked:           {423, "The product is locked"},
	ErrCrossSite:        {403, "Cross-site request refused"},
	ErrPayloadTooLarge:  {413, "Request too large"},
	ErrBadRequest:       {400, "Bad request"},
	ErrNotFound:         {404, "Not found"},
	ErrMethodNotAllowed: {405, "Method not allowed"},
	ErrInstallFailed:    {500, "The license could not be installed"},
	ErrDismissFailed:    {500, "The notice could not be dismissed"},
	ErrRenewalNotConfig: {404, "No renewal server is configured"},
	ErrRenewalFailed:    {502, "The renewal request was not accepted"},
}

type asset struct {
	contentType string
	body        []byte
	etag        string
}

// Handler serves the license routes and gates the product's own.
type Handler struct {
	licenses *client.Manager
	settings Settings
	pages    pages
	assets   map[string]asset
	next     http.Handler
}

// Middleware wraps next: license routes under Settings.BasePath are answered
// here; in READ_ONLY mode changes (POST, PUT, PATCH, DELETE) to the product are
// refused with 403; in LOCKED mode every product route answers the lock screen
// (423). Exempt paths and static assets always pass. The gate reads only the
// manager's hot-path snapshot.
func Middleware(licenses *client.Manager, settings Settings) (func(http.Handler) http.Handler, error) {
	s, err := settings.withDefaults()
	if err != nil {
		return nil, err
	}
	assets := map[string]asset{}
	for name, ct := range map[string]string{"banner.js": "text/javascript; charset=utf-8", "banner.css": "text/css; charset=utf-8"} {
		body, err := Assets.ReadFile("assets/" + name)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(body)
		assets[name] = asset{ct, body, `"` + hex.EncodeToString(sum[:12]) + `"`}
	}
	return func(next http.Handler) http.Handler {
		return &Handler{licenses: licenses, settings: s, pages: pages{s}, assets: assets, next: next}
	}, nil
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	if h.settings.isLicenseRoute(p) {
		h.route(w, r, strings.TrimPrefix(p, h.settings.BasePath))
		return
	}
	mode := h.licenses.Mode()
	if mode == lifecycle.ModeFull || h.settings.isExempt(p) || h.settings.isStatic(r.Method, p) {
		h.next.ServeHTTP(w, r)
		return
	}
	if mode == lifecycle.ModeReadOnly {
		switch r.Method {
		case "POST", "PUT", "PATCH", "DELETE":
			h.readOnly(w, r)
		default:
			h.next.ServeHTTP(w, r)
		}
		return
	}
	h.locked(w, r)
}

func (h *Handler) readOnly(w http.ResponseWriter, r *http.Request) {
	s := h.licenses.Standing()
	if wantsHTML(r) {
		writeHTML(w, 403, h.pages.readOnly(s, backFromReferer(r, h.settings)))
		return
	}
	problem(w, ErrReadOnly, s.Banner.Text+" This change was not saved; reading keeps working, and nothing stored was changed.", nil)
}

func (h *Handler) locked(w http.ResponseWriter, r *http.Request) {
	s := h.licenses.Standing()
	if wantsHTML(r) {
		returnTo := backFromReferer(r, h.settings)
		if r.Method == "GET" || r.Method == "HEAD" {
			returnTo = r.URL.EscapedPath()
		}
		writeHTML(w, 423, h.pages.lock(s, returnTo, nil))
		return
	}
	problem(w, ErrLocked, s.Banner.Text+" Install a license at "+h.settings.BasePath+"/install.", nil)
}

func (h *Handler) route(w http.ResponseWriter, r *http.Request, sub string) {
	get := func(serve func()) {
		if r.Method != "GET" && r.Method != "HEAD" {
			methodNotAllowed(w, "GET")
			return
		}
		serve()
	}
	post := func(serve func()) {
		if r.Method != "POST" {
			methodNotAllowed(w, "POST")
			return
		}
		if why := crossSite(r, h.settings); why != "" {
			h.refuse(w, r, ErrCrossSite, "Refused: "+why+".")
			return
		}
		serve()
	}
	switch sub {
	case "", "/":
		get(func() { writeHTML(w, 200, h.pages.license(h.licenses.Standing(), nil)) })
	case "/standing":
		get(func() { h.standing(w, r) })
	case "/banner.js", "/banner.css":
		get(func() { h.asset(w, r, sub[1:]) })
	case "/install":
		post(func() { h.install(w, r) })
	case "/banner/dismiss":
		post(func() { h.dismiss(w, r) })
	case "/renewal-request":
		post(func() { h.renewal(w, r) })
	default:
		problem(w, ErrNotFound, "no license route "+h.settings.BasePath+sub, nil)
	}
}

func (h *Handler) standing(w http.ResponseWriter, r *http.Request) {
	viewer := zoneParam(r.URL.Query().Get("tz"))
	writeJSON(w, 200, "application/json", newStandingView(h.licenses.Standing(), viewer, h.settings))
}

func (h *Handler) asset(w http.ResponseWriter, r *http.Request, name string) {
	a := h.assets[name]
	w.Header().Set("ETag", a.etag)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Type", a.contentType)
	if strings.Contains(r.Header.Get("If-None-Match"), a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(200)
	if r.Method != "HEAD" {
		w.Write(a.body)
	}
}

// submission is the license text however it was sent: the form (pasted
// license and/or uploaded file, multipart or url-encoded), JSON {"license": …}
// or the raw file. An uploaded file wins over the text box.
type submission struct {
	text     string
	returnTo string
}

var errTooLarge = errors.New("too large")

func readSubmission(r *http.Request) (submission, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxInstallBody+1))
	if err != nil {
		return submission{}, err
	}
	if len(body) > maxInstallBody {
		return submission{}, errTooLarge
	}
	ct := r.Header.Get("Content-Type")
	media, params, _ := mime.ParseMediaType(ct)
	switch media {
	case "multipart/form-data":
		mr := multipart.NewReader(strings.NewReader(string(body)), params["boundary"])
		var s submission
		var pasted, uploaded string
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				return submission{}, err
			}
			data, _ := io.ReadAll(part)
			switch part.FormName() {
			case "license":
				pasted = string(data)
			case "file":
				uploaded = string(data)
			case "return_to":
				s.returnTo = string(data)
			}
		}
		s.text = pasted
		if strings.TrimSpace(uploaded) != "" {
			s.text = uploaded
		}
		return s, nil
	case "application/x-www-form-urlencoded":
		form, _ := url.ParseQuery(string(body))
		return submission{form.Get("license"), form.Get("return_to")}, nil
	case "application/json":
		var v map[string]any
		json.Unmarshal(body, &v)
		text, _ := v["license"].(string)
		return submission{text: text}, nil
	}
	return submission{text: string(body)}, nil
}

func (h *Handler) install(w http.ResponseWriter, r *http.Request) {
	sub, err := readSubmission(r)
	if errors.Is(err, errTooLarge) {
		h.refuse(w, r, ErrPayloadTooLarge, "the request is larger than 262144 bytes; a license file is at most 65536")
		return
	}
	if err != nil {
		problem(w, ErrBadRequest, "the multipart body could not be read", nil)
		return
	}
	if strings.TrimSpace(sub.text) == "" {
		h.rejected(w, r, sub, client.InstallResult{Code: license.Malformed,
			Message: "Nothing was pasted or uploaded: paste the whole license file, or choose it with the upload button."})
		return
	}
	result, err := h.licenses.Install([]byte(sub.text))
	if err != nil {
		if wantsHTML(r) {
			writeHTML(w, 500, h.pages.message(webErrors[ErrInstallFailed].title, err.Error()))
			return
		}
		problem(w, ErrInstallFailed, err.Error(), nil)
		return
	}
	if !result.Installed() {
		h.rejected(w, r, sub, result)
		return
	}
	if wantsHTML(r) {
		if sub.returnTo != "" {
			http.Redirect(w, r, safeLocalPath(sub.returnTo), http.StatusSeeOther)
			return
		}
		writeHTML(w, 200, h.pages.license(h.licenses.Standing(), &outcome{true, string(result.Code), result.Message}))
		return
	}
	var id *string
	if result.License != nil {
		id = &result.License.ID
	}
	writeJSON(w, 200, "application/json", map[string]any{"code": result.Code, "installed": true, "in_force": result.InForce,
		"message": result.Message, "mode": h.licenses.Mode(), "license_id": id})
}

func (h *Handler) rejected(w http.ResponseWriter, r *http.Request, sub submission, result client.InstallResult) {
	if wantsHTML(r) {
		s := h.licenses.Standing()
		o := &outcome{false, string(result.Code), result.Message}
		if s.Mode == lifecycle.ModeLocked && sub.returnTo != "" {
			writeHTML(w, LicenseRejectedStatus, h.pages.lock(s, safeLocalPath(sub.returnTo), o))
		} else {
			writeHTML(w, LicenseRejectedStatus, h.pages.license(s, o))
		}
		return
	}
	extras := map[string]any{"installed": false}
	if len(result.Excesses) > 0 {
		extras["excesses"] = result.Excesses
	}
	writeProblem(w, string(result.Code), LicenseRejectedStatus, "The license was not installed", result.Message, extras)
}

func (h *Handler) dismiss(w http.ResponseWriter, r *http.Request) {
	outcome, _, err := h.licenses.Dismiss()
	if err != nil {
		problem(w, ErrDismissFailed, err.Error(), nil)
		return
	}
	if wantsHTML(r) {
		http.Redirect(w, r, backFromReferer(r, h.settings), http.StatusSeeOther)
		return
	}
	view := newStandingView(h.licenses.Standing(), nil, h.settings)
	writeJSON(w, 200, "application/json", map[string]any{"outcome": outcome, "banner": view.Banner})
}

func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, code, detail string) {
	if wantsHTML(r) {
		writeHTML(w, webErrors[code].status, h.pages.message(webErrors[code].title, detail))
		return
	}
	problem(w, code, detail, nil)
}

func zoneParam(tz string) *time.Location {
	if tz == "" {
		return nil
	}
	loc, err := lifecycle.ParseZone(tz)
	if err != nil {
		return nil // the manager's zone, then
	}
	return loc
}

func methodNotAllowed(w http.ResponseWriter, allowed string) {
	if allowed == "GET" {
		w.Header().Set("Allow", "GET, HEAD")
	} else {
		w.Header().Set("Allow", allowed)
	}
	problem(w, ErrMethodNotAllowed, "this route answers "+allowed+" only", nil)
}

func problem(w http.ResponseWriter, code, detail string, extras map[string]any) {
	e := webErrors[code]
	writeProblem(w, code, e.status, e.title, detail, extras)
}

// writeProblem writes an RFC 9457 problem with the stable code.
func writeProblem(w http.ResponseWriter, code string, status int, title, detail string, extras map[string]any) {
	body := map[string]any{"title": title, "status": status, "code": code, "detail": detail}
	for k, v := range extras {
		body[k] = v
	}
	writeJSON(w, status, "application/problem+json", body)
}

func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	io.WriteString(w, b.String())
}

func writeHTML(w http.ResponseWriter, status int, page string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	io.WriteString(w, page)
}

// ErrorStatus is the HTTP status and title of one of the module's own refusal codes.
func ErrorStatus(code string) (status int, title string, ok bool) {
	e, ok := webErrors[code]
	return e.status, e.title, ok
}
