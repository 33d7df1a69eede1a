package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"keyturn.dev/go/client"
	"keyturn.dev/go/internal/testlicense"
	"keyturn.dev/go/web"
)

type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(b []byte) (int, error) { return len(b), nil }
func (d discard) WriteHeader(int)             {}

// BenchmarkGate is the middleware's cost on a product route in full mode: the
// license-route test and the mode read, then the product's handler.
//
//	go test -run '^$' -bench Gate -benchmem ./web
func BenchmarkGate(b *testing.B) {
	vendor := testlicense.New("2026-a")
	m, err := client.New(client.Options{StateDir: b.TempDir(), TrustedKeys: vendor.Ring, Clock: client.NewSettableClock(start)})
	if err != nil {
		b.Fatal(err)
	}
	if r, err := m.Install(vendor.Sign(vendor.Base(start.Add(-day), 365))); err != nil || !r.Installed() {
		b.Fatal(r.Message, err)
	}
	mw, err := web.Middleware(m, web.Settings{})
	if err != nil {
		b.Fatal(err)
	}
	reached := 0
	handler := mw(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached++ }))
	req := httptest.NewRequest("GET", "/notes", nil)
	w := discard{http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		handler.ServeHTTP(w, req)
	}
	if reached != b.N {
		b.Fatalf("the product was reached %d times of %d", reached, b.N)
	}
}
