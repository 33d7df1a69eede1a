// Package web is the net/http integration of the Keyturn client: a middleware
// serving the same /license/* routes as the Java filter (keyturn-client-web),
// so the same banner component works, and enforcing read-only grace and the
// lock on every other route. Static assets are never gated.
package web

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
)

// Defaults, as in the Java WebSettings.
const (
	DefaultBasePath    = "/license"
	DefaultProductName = "This product"
	DefaultVendorName  = "your vendor"
)

// Settings say how the web module fits into the product. Zero values take the defaults.
type Settings struct {
	BasePath    string   // where the license routes live; default /license
	ProductName string   // "Acme Notes is locked"
	VendorName  string   // "Contact Acme Software"
	ExemptPaths []string // product paths never gated (prefixes: /health covers /health/x)
	// StaticPrefixes are asset folders never gated (the lock screen and the
	// read-only page need their styles); GET/HEAD of a file with a static
	// extension (.css, .js, .png, …) is never gated either.
	StaticPrefixes []string
	AllowedOrigins []string // origins besides this server's own allowed to post to the license routes
	RenewalEmail   string   // "Renew" opens a pre-filled mail to this address
	RenewalPortal  string   // or a link to the vendor's portal
	// RenewalServer is the Keyturn server's base address: "Renew" then posts a
	// renewal request there, with the license token the browser never sees.
	RenewalServer  string
	RenewalTimeout time.Duration // default 10 s
}

var (
	simplePath = regexp.MustCompile(`^(/[A-Za-z0-9._~-]+)+$`)
	originRe   = regexp.MustCompile(`^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$`)
	emailRe    = regexp.MustCompile(`^[^\s@?&#/]+@[^\s@?&#/]+$`)
)

func (s Settings) withDefaults() (Settings, error) {
	if s.BasePath == "" {
		s.BasePath = DefaultBasePath
	}
	if s.ProductName == "" {
		s.ProductName = DefaultProductName
	}
	if s.VendorName == "" {
		s.VendorName = DefaultVendorName
	}
	if !simplePath.MatchString(s.BasePath) {
		return s, fmt.Errorf("web: BasePath must be a simple path like /license, was '%s'", s.BasePath)
	}
	for _, p := range append(append([]string{}, s.ExemptPaths...), s.StaticPrefixes...) {
		if !simplePath.MatchString(strings.TrimSuffix(p, "/")) {
			return s, fmt.Errorf("web: exempt and static paths must be simple paths like /health, was '%s'", p)
		}
	}
	for _, o := range s.AllowedOrigins {
		if !originRe.MatchString(o) {
			return s, fmt.Errorf("web: allowed origin must be scheme://host[:port], was '%s'", o)
		}
	}
	if s.RenewalEmail != "" && !emailRe.MatchString(s.RenewalEmail) {
		return s, fmt.Errorf("web: RenewalEmail is not an e-mail address: '%s'", s.RenewalEmail)
	}
	if s.RenewalTimeout == 0 {
		s.RenewalTimeout = 10 * time.Second
	}
	if s.RenewalServer != "" {
		u, err := url.Parse(s.RenewalServer)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
			return s, fmt.Errorf("web: RenewalServer must be an http(s) base address, was '%s'", s.RenewalServer)
		}
	}
	if s.RenewalPortal != "" {
		u, err := url.Parse(s.RenewalPortal)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return s, fmt.Errorf("web: RenewalPortal must be an http(s) address, was '%s'", s.RenewalPortal)
		}
	}
	return s, nil
}

func (s Settings) isLicenseRoute(p string) bool {
	return p == s.BasePath || strings.HasPrefix(p, s.BasePath+"/")
}

func (s Settings) isExempt(p string) bool {
	for _, prefix := range s.ExemptPaths {
		prefix = strings.TrimSuffix(prefix, "/")
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	return false
}

var staticExtensions = map[string]bool{".css": true, ".js": true, ".mjs": true, ".map": true, ".png": true,
	".jpg": true, ".jpeg": true, ".gif": true, ".svg": true, ".ico": true, ".webp": true, ".avif": true,
	".woff": true, ".woff2": true, ".ttf": true, ".otf": true}

// isStatic: the assets a page needs are served in every mode, or the lock
// screen renders unstyled exactly when it matters (issue 20).
func (s Settings) isStatic(method, p string) bool {
	if method != "GET" && method != "HEAD" {
		return false
	}
	for _, prefix := range s.StaticPrefixes {
		prefix = strings.TrimSuffix(prefix, "/")
		if strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	name := path.Base(p)
	dot := strings.LastIndexByte(name, '.')
	return dot > 0 && staticExtensions[strings.ToLower(name[dot:])]
}
