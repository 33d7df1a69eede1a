package web

import (
	"net/http"
	"net/url"
	"strings"
)

// crossSite is the guard for the license routes that change something: the
// request must say where it comes from (Origin, else Referer), and that must be
// this server's own host or an allowed origin. "" when allowed, else why not.
func crossSite(r *http.Request, s Settings) string {
	host := normalizeHost(r.Host)
	var claimed string
	switch {
	case r.Header.Get("Origin") != "":
		claimed = strings.TrimSpace(r.Header.Get("Origin"))
	case r.Header.Get("Referer") != "":
		claimed = originOf(r.Header.Get("Referer"))
	default:
		return "the request has neither an Origin nor a Referer header, so it cannot be told apart from" +
			" a forged cross-site request; send 'Origin: <this server's scheme://host:port>'"
	}
	if a := authorityOf(claimed); a != "" && host != "" && a == host {
		return ""
	}
	for _, allowed := range s.AllowedOrigins {
		if strings.EqualFold(allowed, claimed) {
			return ""
		}
	}
	from := "an unknown origin"
	if claimed != "" {
		from = "'" + claimed + "'"
	}
	if host == "" {
		host = "no Host header"
	}
	return "the request comes from " + from + ", not from this server (" + host + "); pages of other sites may not change the license"
}

func originOf(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

func authorityOf(origin string) string {
	u, err := url.Parse(origin)
	if err != nil {
		return ""
	}
	scheme := strings.ToLower(u.Scheme)
	if (scheme != "http" && scheme != "https") || u.Hostname() == "" {
		return ""
	}
	port := u.Port()
	if port == "" || (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		return strings.ToLower(u.Hostname())
	}
	return strings.ToLower(u.Hostname()) + ":" + port
}

func normalizeHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	h = strings.TrimSuffix(h, ":80")
	return strings.TrimSuffix(h, ":443")
}

// wantsHTML: a browser navigating (Accept names text/html) gets pages; everything else JSON.
func wantsHTML(r *http.Request) bool {
	return strings.Contains(strings.ToLower(r.Header.Get("Accept")), "text/html")
}

func isLocalPath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || len(p) > 2048 {
		return false
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c == '\\' || c < 0x20 || c == 0x7f {
			return false
		}
	}
	return true
}

func safeLocalPath(candidate string) string {
	if isLocalPath(candidate) {
		return candidate
	}
	return "/"
}

// backFromReferer is the same-origin Referer's path and query, or the root.
func backFromReferer(r *http.Request, s Settings) string {
	ref := r.Header.Get("Referer")
	if ref == "" || crossSite(r, s) != "" {
		return "/"
	}
	u, err := url.Parse(strings.TrimSpace(ref))
	if err != nil {
		return "/"
	}
	back := u.EscapedPath()
	if back == "" {
		back = "/"
	}
	if u.RawQuery != "" {
		back += "?" + u.RawQuery
	}
	return safeLocalPath(back)
}
