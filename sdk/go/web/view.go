package web

import (
	"net/url"
	"strings"
	"time"

	"keyturn.dev/go/client"
	"keyturn.dev/go/license"
	"keyturn.dev/go/lifecycle"
)

// standingView is GET /license/standing, as banner.js reads it: snake_case
// keys, ISO-8601 UTC instants, null for absent values.
type standingView struct {
	ProductName     string       `json:"product_name"`
	VendorName      string       `json:"vendor_name"`
	Mode            string       `json:"mode"`
	Phase           string       `json:"phase"`
	Stage           string       `json:"stage"`
	Summary         string       `json:"summary"`
	DaysUntilExpiry int64        `json:"days_until_expiry"`
	DaysUntilLock   int64        `json:"days_until_lock"`
	ExpiresAt       *string      `json:"expires_at"`
	LocksAt         *string      `json:"locks_at"`
	EvaluatedAt     string       `json:"evaluated_at"`
	Flags           []string     `json:"flags"`
	Notices         []string     `json:"notices"`
	Banner          bannerView   `json:"banner"`
	License         *licenseView `json:"license"`
	Renewal         *renewalView `json:"renewal"`
}

type bannerView struct {
	Level       string  `json:"level"`
	Dismissal   string  `json:"dismissal"`
	Display     string  `json:"display"`
	Text        string  `json:"text"`
	PillText    string  `json:"pill_text"`
	HiddenUntil *string `json:"hidden_until"`
	Stage       string  `json:"stage"`
	Dismissible bool    `json:"dismissible"`
}

type licenseView struct {
	ID             string `json:"id"`
	Customer       string `json:"customer"`
	SubscriptionID string `json:"subscription_id"`
	Tier           string `json:"tier"`
	ExpiresAt      string `json:"expires_at"`
}

type renewalDetails struct {
	Customer          string `json:"customer"`
	CustomerReference string `json:"customer_reference"`
	LicenseID         string `json:"license_id"`
	Tier              string `json:"tier"`
	ExpiresAt         string `json:"expires_at"`
	InstanceDomain    string `json:"instance_domain"`
}

type renewalView struct {
	Kind         string         `json:"kind"`
	Href         *string        `json:"href"`
	Action       *string        `json:"action"`
	FallbackHref *string        `json:"fallback_href"`
	Details      renewalDetails `json:"details"`
}

func iso(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := license.FormatInstant(*t)
	return &s
}

func newStandingView(s client.Standing, viewer *time.Location, set Settings) standingView {
	b := s.Banner
	banner := bannerView{Level: string(b.Level), Dismissal: string(b.Dismissal), Display: string(b.Display),
		Text: bannerText(s, viewer), PillText: b.PillText, HiddenUntil: iso(b.HiddenUntil), Stage: b.StageID,
		Dismissible: b.Dismissal == lifecycle.DismissUntilNextStage || b.Dismissal == lifecycle.DismissFor24h || b.Dismissal == lifecycle.DismissToPill}
	v := standingView{ProductName: set.ProductName, VendorName: set.VendorName, Mode: string(s.Mode), Phase: string(s.Phase),
		Stage: s.StageID(), Summary: s.Summary, DaysUntilExpiry: s.DaysUntilExpiry, DaysUntilLock: s.DaysUntilLock,
		ExpiresAt: iso(s.ExpiresAt()), LocksAt: iso(s.LocksAt()), EvaluatedAt: license.FormatInstant(s.EvaluatedAt),
		Flags: []string{}, Notices: s.Notices, Banner: banner, Renewal: renewal(s, set)}
	for _, f := range s.Flags {
		v.Flags = append(v.Flags, string(f))
	}
	if l := s.License; l != nil {
		v.License = &licenseView{l.ID, l.Customer, l.SubscriptionID, l.Tier, license.FormatInstant(l.ExpiresAt)}
	}
	return v
}

// bannerText re-words the stage sentence with dates in the viewer's zone; flag
// sentences before it stay as they are.
func bannerText(s client.Standing, viewer *time.Location) string {
	text := s.Banner.Text
	if viewer == nil || s.License == nil || s.Lifecycle == nil || s.Has(client.FlagRevoked) {
		return text
	}
	original := s.Lifecycle.Banner.Text
	if original == "" || !strings.HasSuffix(text, original) {
		return text
	}
	p, err := lifecycle.ForLicense(s.License.Policy)
	if err != nil {
		return text
	}
	localized := lifecycle.Evaluate(s.License.NotBefore, s.License.ExpiresAt, s.EvaluatedAt, p, viewer).Banner.Text
	return strings.TrimSuffix(text, original) + localized
}

func details(l *license.License) renewalDetails {
	if l == nil {
		return renewalDetails{}
	}
	return renewalDetails{l.Customer, l.SubscriptionID, l.ID, l.Tier, license.FormatInstant(l.ExpiresAt), l.InstanceDomain}
}

func renewal(s client.Standing, set Settings) *renewalView {
	d := details(s.License)
	if set.RenewalServer != "" && s.License != nil {
		action := set.BasePath + "/renewal-request"
		return &renewalView{Kind: "server", Action: &action, FallbackHref: nonEmpty(renewalLink(s, set)), Details: d}
	}
	href := renewalLink(s, set)
	switch {
	case href == "":
		return nil
	case set.RenewalEmail != "":
		return &renewalView{Kind: "email", Href: &href, Details: d}
	}
	return &renewalView{Kind: "portal", Href: &href, Details: d}
}

func encode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

func mailto(address, product string, d renewalDetails) string {
	subject := "License request: " + product
	body := "Please send us a license for " + product + ".\n"
	if d.Customer != "" {
		subject = "Renewal request: " + d.Customer + " (" + d.CustomerReference + ")"
		body = "Please renew our license for " + product + ".\n\n" +
			"Customer: " + d.Customer + "\nCustomer reference: " + d.CustomerReference + "\nLicense: " + d.LicenseID +
			"\nTier: " + d.Tier + "\nCurrent expiry: " + d.ExpiresAt + "\n"
		if d.InstanceDomain != "" {
			body += "Instance: " + d.InstanceDomain + "\n"
		}
	}
	return "mailto:" + address + "?subject=" + encode(subject) + "&body=" + encode(body)
}

func portal(base string, d renewalDetails) string {
	if d.CustomerReference == "" {
		return base
	}
	q := "customer_reference=" + encode(d.CustomerReference) + "&license_id=" + encode(d.LicenseID) +
		"&tier=" + encode(d.Tier) + "&expires_at=" + encode(d.ExpiresAt)
	if strings.Contains(base, "?") {
		return base + "&" + q
	}
	return base + "?" + q
}

// renewalLink is the e-mail or portal link, e-mail first; "" when neither is configured.
func renewalLink(s client.Standing, set Settings) string {
	d := details(s.License)
	switch {
	case set.RenewalEmail != "":
		return mailto(set.RenewalEmail, set.ProductName, d)
	case set.RenewalPortal != "":
		return portal(set.RenewalPortal, d)
	}
	return ""
}
