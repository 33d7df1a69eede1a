package license_test

import (
	"errors"
	"testing"
	"time"

	"keyturn.dev/go/internal/testlicense"
	"keyturn.dev/go/license"
)

// FuzzRead: whatever the bytes, reading ends in a license or a typed
// MALFORMED / UNSUPPORTED_FORMAT error, never a panic.
//
//	go test -run '^$' -fuzz FuzzRead -fuzztime 60s ./license
func FuzzRead(f *testing.F) {
	vendor := testlicense.New("2026-a")
	f.Add(vendor.Sign(vendor.Base(time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), 365)))
	for _, seed := range []string{"", "format = 1", "[[[[[[[[[[", `a = "\U`, "a = 1979-05-27T07:32:00-08:00", "a = [1, [2, [3]]]",
		"\ufeffformat = 1\n[license]\n[signature]", "a = 0x7fffffffffffffff1", "a = nan\nb = -inf", "a.b.c = {d = [{}]}"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		signed, err := license.Read(data)
		if err == nil {
			if signed == nil || len(signed.CanonicalBytes()) == 0 {
				t.Fatal("no license and no error")
			}
			return
		}
		if !errors.Is(err, license.ErrMalformed) && !errors.Is(err, license.ErrUnsupportedFormat) {
			t.Fatalf("an untyped error: %v", err)
		}
	})
}
