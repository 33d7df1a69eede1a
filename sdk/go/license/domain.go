package license

import (
	"fmt"
	"regexp"
	"strings"
)

var hostName = regexp.MustCompile(`^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$`)

// NormalizeDomain is the one normalization of instance domains: lower case,
// without scheme, path, port or trailing dot ("HTTPS://Tools.Acme.example./x"
// becomes "tools.acme.example").
func NormalizeDomain(raw string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(raw))
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.IndexByte(s, '/'); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimRight(s, ".")
	if s == "" || len(s) > 253 || !hostName.MatchString(s) {
		return "", fmt.Errorf("not a host name: '%s'", raw)
	}
	return s, nil
}
