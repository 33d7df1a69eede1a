package web_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"keyturn.dev/go/client"
	"keyturn.dev/go/internal/testlicense"
	"keyturn.dev/go/web"
)

func TestRenewalRequestsGoToTheServerWithTheToken(t *testing.T) {
	var got map[string]any
	var auth string
	status := 201
	vendorServer := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != web.RenewalRequestsPath {
			w.WriteHeader(404)
			return
		}
		auth = r.Header.Get("Authorization")
		json.NewDecoder(r.Body).Decode(&got)
		w.WriteHeader(status)
		if status == 201 {
			io.WriteString(w, `{"id":"rr_42"}`)
		} else {
			io.WriteString(w, `{"detail":"subscription archived"}`)
		}
	}))
	defer vendorServer.Close()
	vendor := testlicense.New("2026-a")
	m, err := client.New(client.Options{StateDir: t.TempDir(), TrustedKeys: vendor.Ring, Clock: client.NewSettableClock(start)})
	if err != nil {
		t.Fatal(err)
	}
	r, err := m.Install(vendor.Sign(vendor.Base(start.Add(-day), 30)))
	if err != nil || !r.Installed() {
		t.Fatal(r.Message, err)
	}
	mw, err := web.Middleware(m, web.Settings{RenewalServer: vendorServer.URL, RenewalEmail: "renewals@vendor.example"})
	if err != nil {
		t.Fatal(err)
	}
	product := httptest.NewServer(mw(http.NotFoundHandler()))
	defer product.Close()
	post := func() (int, map[string]any) {
		req, _ := http.NewRequest("POST", product.URL+"/license/renewal-request", strings.NewReader(`{"contact_name":"Ann","message":"two more seats"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", product.URL)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var answer map[string]any
		json.NewDecoder(resp.Body).Decode(&answer)
		return resp.StatusCode, answer
	}
	code, answer := post()
	if code != 200 || answer["reference"] != "rr_42" || answer["message"] != "Your renewal request was sent (reference rr_42)." {
		t.Fatalf("%d %v", code, answer)
	}
	if !strings.HasPrefix(auth, "Bearer kt_lic_") || got["license_id"] != r.License.ID || got["contact_name"] != "Ann" || got["contact_email"] != nil {
		t.Fatalf("sent %s %v", auth, got)
	}
	status = 409
	code, answer = post()
	if code != 502 || answer["code"] != "RENEWAL_FAILED" || !strings.HasPrefix(answer["fallback_href"].(string), "mailto:renewals@vendor.example") ||
		answer["detail"] != "The renewal server did not accept the request (HTTP 409): subscription archived" {
		t.Fatalf("%d %v", code, answer)
	}
}
