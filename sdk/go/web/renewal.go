package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"keyturn.dev/go/license"
)

// RenewalRequestsPath is where the Keyturn server takes renewal requests.
const RenewalRequestsPath = "/api/v1/renewal-requests"

const (
	maxRenewalBody   = 16 * 1024
	maxRenewalAnswer = 64 * 1024
)

// renewalRequest is POST {server}/api/v1/renewal-requests, sent from the
// product's server side: the browser never holds the license token.
type renewalRequest struct {
	LicenseID      string  `json:"license_id"`
	SubscriptionID string  `json:"subscription_id"`
	Customer       string  `json:"customer"`
	Tier           string  `json:"tier"`
	ExpiresAt      string  `json:"expires_at"`
	InstanceDomain *string `json:"instance_domain"`
	InstanceID     *string `json:"instance_id"`
	ContactName    *string `json:"contact_name"`
	ContactEmail   *string `json:"contact_email"`
	Message        *string `json:"message"`
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// renewal is POST /license/renewal-request: "Renew" passed on to the Keyturn
// server with the license token, and its answer passed back in words.
func (h *Handler) renewal(w http.ResponseWriter, r *http.Request) {
	if h.settings.RenewalServer == "" {
		problem(w, ErrRenewalNotConfig, "this product sends no renewal requests to a server; use the renewal link instead", nil)
		return
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRenewalBody))
	fields := map[string]string{}
	if media, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); media == "application/x-www-form-urlencoded" {
		form, _ := url.ParseQuery(string(body))
		for _, f := range []string{"contact_name", "contact_email", "message"} {
			fields[f] = form.Get(f)
		}
	} else {
		var v map[string]any
		json.Unmarshal(body, &v)
		for _, f := range []string{"contact_name", "contact_email", "message"} {
			fields[f], _ = v[f].(string)
		}
	}
	name, email, message := strings.TrimSpace(fields["contact_name"]), strings.TrimSpace(fields["contact_email"]), strings.TrimSpace(fields["message"])
	if len([]rune(name)) > 200 || len([]rune(email)) > 320 || len([]rune(message)) > 4000 {
		problem(w, ErrBadRequest, "contact_name is limited to 200 characters, contact_email to 320, message to 4000", nil)
		return
	}
	s := h.licenses.Standing()
	if s.License == nil {
		problem(w, ErrBadRequest, "no license is installed, so there is nothing to renew", nil)
		return
	}
	token, instanceID, ok := h.licenses.Credentials()
	if !ok {
		h.renewalFailed(w, "The license in force was not found in the state directory.")
		return
	}
	l := s.License
	out := renewalRequest{l.ID, l.SubscriptionID, l.Customer, l.Tier, license.FormatInstant(l.ExpiresAt), nonEmpty(l.InstanceDomain),
		nonEmpty(instanceID), nonEmpty(name), nonEmpty(email), nonEmpty(message)}
	accepted, reference, text := h.sendRenewal(r.Context(), out, token)
	if !accepted {
		h.renewalFailed(w, text)
		return
	}
	writeJSON(w, 200, "application/json", map[string]any{"sent": true, "reference": nonEmpty(reference), "message": text})
}

func (h *Handler) sendRenewal(ctx context.Context, out renewalRequest, token string) (bool, string, string) {
	data, _ := json.Marshal(out)
	ctx, cancel := context.WithTimeout(ctx, h.settings.RenewalTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(h.settings.RenewalServer, "/")+RenewalRequestsPath, bytes.NewReader(data))
	if err != nil {
		return false, "", "The renewal server could not be reached."
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	noRedirects := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noRedirects.Do(req)
	if err != nil {
		return false, "", "The renewal server could not be reached."
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxRenewalAnswer))
	var v map[string]any
	json.Unmarshal(answer, &v)
	text := func(k string) string { s, _ := v[k].(string); return strings.TrimSpace(s) }
	if resp.StatusCode/100 == 2 {
		msg := text("message")
		if msg == "" {
			msg = "Your renewal request was sent"
			if text("id") != "" {
				msg += " (reference " + text("id") + ")"
			}
			msg += "."
		}
		return true, text("id"), msg
	}
	reason := "."
	if d := text("detail"); d != "" {
		reason = ": " + d
	} else if m := text("message"); m != "" {
		reason = ": " + m
	}
	return false, "", fmt.Sprintf("The renewal server did not accept the request (HTTP %d)%s", resp.StatusCode, reason)
}

func (h *Handler) renewalFailed(w http.ResponseWriter, detail string) {
	extras := map[string]any{}
	if link := renewalLink(h.licenses.Standing(), h.settings); link != "" {
		extras["fallback_href"] = link
	}
	writeProblem(w, ErrRenewalFailed, 502, "The renewal request was not accepted", detail, extras)
}
