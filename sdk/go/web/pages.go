package web

import (
	"strings"

	"keyturn.dev/go/client"
	"keyturn.dev/go/lifecycle"
)

// The module's own pages: the lock screen, the license page with the paste
// box, the read-only refusal and a message page. Server-rendered, so they work
// without JavaScript; banner.js enhances them. The markup is the Java module's.

func svg(body string) string {
	return `<svg class="kt-icon" viewBox="0 0 24 24" width="24" height="24" fill="none" stroke="currentColor"` +
		` stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">` + body + `</svg>`
}

var (
	iconLock        = svg(`<rect x="4" y="10.5" width="16" height="10.5" rx="2.5"/><path d="M8 10.5V7.5a4 4 0 0 1 8 0v3"/><path d="M12 15v2.5"/>`)
	iconPause       = svg(`<circle cx="12" cy="12" r="9"/><path d="M10 9v6"/><path d="M14 9v6"/>`)
	iconKey         = svg(`<circle cx="8" cy="15" r="4"/><path d="M10.8 12.2 20 3"/><path d="m16 7 3 3"/><path d="m14 9 2 2"/>`)
	iconShieldCheck = svg(`<path d="M12 3 4.5 6v5.5c0 4.6 3.2 8.4 7.5 9.5 4.3-1.1 7.5-4.9 7.5-9.5V6z"/><path d="m9 12 2 2 4-4"/>`)
)

var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

func esc(s string) string { return escaper.Replace(s) }

type outcome struct {
	installed bool
	code      string
	message   string
}

type pages struct{ s Settings }

func (p pages) lock(st client.Standing, returnTo string, o *outcome) string {
	product := esc(p.s.ProductName)
	var m strings.Builder
	head(&m, "lock", iconLock, product, product+" is locked")
	m.WriteString(`<p class="kt-lead" data-kt-banner-text>` + esc(st.Banner.Text) + "</p>\n")
	safe(&m, "Your data is safe. Once a valid license is installed you are back where you left off, with no restart.")
	facts(&m, st)
	result(&m, o)
	p.form(&m, returnTo, "Unlock", "reload", st)
	p.footer(&m, true)
	return p.page("lock", p.s.ProductName+" is locked", m.String())
}

func (p pages) license(st client.Standing, o *outcome) string {
	product := esc(p.s.ProductName)
	var m strings.Builder
	head(&m, "license", iconKey, product, "License")
	summary := st.Summary
	if summary != "" {
		summary = strings.ToUpper(summary[:1]) + summary[1:]
	}
	m.WriteString(`<p class="kt-status kt-status--` + strings.ToLower(string(st.Mode)) +
		`"><span class="kt-status__dot" aria-hidden="true"></span>` + esc(summary) + "</p>\n")
	if st.Banner.Text != "" {
		m.WriteString(`<p class="kt-lead" data-kt-banner-text>` + esc(st.Banner.Text) + "</p>\n")
	}
	facts(&m, st)
	result(&m, o)
	submit := "Install license"
	if st.Mode == lifecycle.ModeLocked {
		submit = "Unlock"
	}
	p.form(&m, "", submit, "stay", st)
	p.footer(&m, false)
	return p.page("license", "License · "+p.s.ProductName, m.String())
}

func (p pages) readOnly(st client.Standing, back string) string {
	product := esc(p.s.ProductName)
	var m strings.Builder
	head(&m, "read-only", iconPause, product, product+" is read-only")
	m.WriteString(`<p class="kt-refused">Your change was not saved.</p>` + "\n" +
		`<p class="kt-lead kt-lead--after" data-kt-banner-text>` + esc(st.Banner.Text) + "</p>\n")
	safe(&m, "Your data is safe and can still be read. Saving works again as soon as a renewed license is installed.")
	facts(&m, st)
	m.WriteString("<div class=\"kt-actions\">\n<a class=\"kt-button kt-button--primary\" href=\"" + esc(back) + "\">Go back</a>\n" +
		"<a class=\"kt-button kt-button--secondary\" href=\"" + esc(p.s.BasePath+"/") + "\">Install a license</a>\n")
	p.renew(&m, st)
	m.WriteString("</div>\n")
	p.footer(&m, false)
	return p.page("read-only", p.s.ProductName+" is read-only", m.String())
}

func (p pages) message(title, detail string) string {
	var m strings.Builder
	head(&m, "message", iconShieldCheck, esc(p.s.ProductName), esc(title))
	m.WriteString(`<p class="kt-lead">` + esc(detail) + "</p>\n")
	m.WriteString(`<div class="kt-actions"><a class="kt-button kt-button--secondary" href="/">Back to ` + esc(p.s.ProductName) + "</a></div>\n")
	return p.page("message", title, m.String())
}

func (p pages) page(kind, title, main string) string {
	base := esc(p.s.BasePath)
	return "<!doctype html>\n<html lang=\"en\" data-keyturn-page=\"" + kind + "\">\n<head>\n<meta charset=\"utf-8\">\n" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n" +
		"<meta name=\"robots\" content=\"noindex\">\n<title>" + esc(title) + "</title>\n<link rel=\"stylesheet\" href=\"" +
		base + "/banner.css\">\n</head>\n<body class=\"kt-screen kt-screen--" + kind +
		"\">\n<main class=\"kt-card\" aria-labelledby=\"kt-title\">\n" + main + "</main>\n<script src=\"" +
		base + "/banner.js\" defer></script>\n</body>\n</html>\n"
}

func head(m *strings.Builder, kind, icon, eyebrowHTML, titleHTML string) {
	m.WriteString("<div class=\"kt-card__head\">\n<span class=\"kt-emblem kt-emblem--" + kind + "\">" + icon +
		"</span>\n<div>\n<p class=\"kt-eyebrow\">" + eyebrowHTML + "</p>\n<h1 id=\"kt-title\">" + titleHTML + "</h1>\n</div>\n</div>\n")
}

func safe(m *strings.Builder, text string) {
	m.WriteString(`<p class="kt-safe">` + iconShieldCheck + "<span>" + esc(text) + "</span></p>\n")
}

func facts(m *strings.Builder, st client.Standing) {
	l := st.License
	if l == nil {
		return
	}
	m.WriteString("<dl class=\"kt-facts\">\n")
	fact(m, "Customer", esc(l.Customer))
	fact(m, "Reference", "<code>"+esc(l.SubscriptionID)+"</code>")
	fact(m, "Tier", esc(l.Tier))
	term := "Expired"
	if l.ExpiresAt.After(st.EvaluatedAt) {
		term = "Expires"
	}
	fact(m, term, `<time datetime="`+*iso(&l.ExpiresAt)+`" data-kt-local>`+
		esc(l.ExpiresAt.UTC().Format("2 Jan 2006, 15:04")+" UTC")+"</time>")
	m.WriteString("</dl>\n")
}

func fact(m *strings.Builder, term, valueHTML string) {
	m.WriteString("<div><dt>" + term + "</dt><dd>" + valueHTML + "</dd></div>\n")
}

func result(m *strings.Builder, o *outcome) {
	m.WriteString(`<div id="kt-install-result" class="kt-result-slot" aria-live="polite">`)
	if o != nil {
		kind, role := "error", "alert"
		if o.installed {
			kind, role = "ok", "status"
		}
		m.WriteString(`<div class="kt-result kt-result--` + kind + `" role="` + role + `"><span class="kt-result__code">` +
			esc(o.code) + `</span><p class="kt-result__message">` + esc(o.message) + "</p></div>")
	}
	m.WriteString("</div>\n")
}

func (p pages) form(m *strings.Builder, returnTo, submit, after string, st client.Standing) {
	m.WriteString(`<form id="kt-install-form" class="kt-form" method="post" action="` + esc(p.s.BasePath+"/install") +
		`" enctype="multipart/form-data" data-kt-after="` + after + "\">\n")
	if returnTo != "" {
		m.WriteString(`<input type="hidden" name="return_to" value="` + esc(returnTo) + "\">\n")
	}
	m.WriteString("<label class=\"kt-label\" for=\"kt-license\">Paste your license</label>\n" +
		`<textarea id="kt-license" name="license" rows="6" spellcheck="false" autocomplete="off"` +
		` aria-describedby="kt-license-hint" placeholder="` + esc("# Keyturn license for …\nformat = 1\n\n[license]\n…") + "\"></textarea>\n" +
		"<p id=\"kt-license-hint\" class=\"kt-hint\">The whole <code>.license.toml</code> file your vendor sent, comments included.</p>\n" +
		"<div class=\"kt-divider\"><span>or</span></div>\n" +
		"<label class=\"kt-label\" for=\"kt-file\">Upload the license file</label>\n" +
		"<input id=\"kt-file\" class=\"kt-file\" type=\"file\" name=\"file\" accept=\".toml,.license,text/plain\">\n" +
		"<div class=\"kt-actions\">\n<button type=\"submit\" class=\"kt-button kt-button--primary\">" + esc(submit) + "</button>\n")
	p.renew(m, st)
	m.WriteString("</div>\n</form>\n")
}

func (p pages) renew(m *strings.Builder, st client.Standing) {
	r := renewal(st, p.s)
	if r == nil {
		return
	}
	if r.Kind == "server" {
		m.WriteString(`<button type="button" class="kt-button kt-button--secondary" data-kt-renew>Request a renewal</button>` + "\n")
		return
	}
	target := ""
	if r.Kind == "portal" {
		target = ` target="_blank" rel="noopener"`
	}
	m.WriteString(`<a class="kt-button kt-button--secondary" data-kt-renew-link href="` + esc(*r.Href) + `"` + target + ">Request a renewal</a>\n")
}

func (p pages) footer(m *strings.Builder, linkToLicensePage bool) {
	m.WriteString(`<p class="kt-footnote">Questions about your license? Contact ` + esc(p.s.VendorName) + ".")
	if linkToLicensePage {
		m.WriteString(` <a href="` + esc(p.s.BasePath+"/") + `">License details</a>`)
	}
	m.WriteString("</p>\n")
}
