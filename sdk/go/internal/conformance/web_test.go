package conformance

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http/httptest"
	"testing"
	"time"

	"keyturn.dev/go/client"
	"keyturn.dev/go/internal/testlicense"
	"keyturn.dev/go/web"
)

func TestWebVectors(t *testing.T) {
	var file struct {
		BasePath string `json:"base_path"`
		Errors   []struct {
			Code   string `json:"code"`
			Status int    `json:"status"`
			Title  string `json:"title"`
		} `json:"errors"`
		LicenseRejected struct {
			Status int `json:"status"`
		} `json:"license_rejected"`
	}
	load(t, "web.json", &file)
	if file.BasePath != web.DefaultBasePath || file.LicenseRejected.Status != web.LicenseRejectedStatus {
		t.Errorf("base path %s, rejected status %d", file.BasePath, file.LicenseRejected.Status)
	}
	for _, e := range file.Errors {
		status, title, ok := web.ErrorStatus(e.Code)
		if !ok || status != e.Status || title != e.Title {
			t.Errorf("%s: %d %q (known %v), want %d %q", e.Code, status, title, ok, e.Status, e.Title)
		}
	}
}

func TestBannerAssetVectors(t *testing.T) {
	var file struct {
		Files []struct {
			Name, Route  string
			ContentType  string `json:"content_type"`
			Bytes        int    `json:"bytes"`
			SHA256       string `json:"sha256"`
			ETag         string `json:"etag"`
			CacheControl string `json:"cache_control"`
		} `json:"files"`
	}
	load(t, "banner-assets.json", &file)
	vendor := testlicense.New("2026-a")
	m, err := client.New(client.Options{StateDir: t.TempDir(), TrustedKeys: vendor.Ring, Clock: client.NewSettableClock(time.Unix(0, 0))})
	if err != nil {
		t.Fatal(err)
	}
	mw, err := web.Middleware(m, web.Settings{})
	if err != nil {
		t.Fatal(err)
	}
	handler := mw(nil)
	for _, f := range file.Files {
		w := httptest.NewRecorder()
		handler.ServeHTTP(w, httptest.NewRequest("GET", f.Route, nil))
		body, _ := io.ReadAll(w.Result().Body)
		sum := sha256.Sum256(body)
		h := w.Result().Header
		if w.Code != 200 || len(body) != f.Bytes || hex.EncodeToString(sum[:]) != f.SHA256 || h.Get("ETag") != f.ETag ||
			h.Get("Content-Type") != f.ContentType || h.Get("Cache-Control") != f.CacheControl {
			t.Errorf("%s: %d, %d bytes, sha256 %x, ETag %s, %s, %s", f.Route, w.Code, len(body), sum, h.Get("ETag"), h.Get("Content-Type"), h.Get("Cache-Control"))
		}
	}
}
