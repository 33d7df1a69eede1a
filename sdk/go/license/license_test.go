package license_test

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"keyturn.dev/go/internal/testlicense"
	"keyturn.dev/go/license"
)

var start = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)

func TestVerifyCodes(t *testing.T) {
	vendor := testlicense.New("2026-a")
	rogue := testlicense.New("2026-a") // same id, other key
	stranger := testlicense.New("2024-gone")
	base := vendor.Base(start, 365)
	bound := base
	bound.InstanceDomain = "Tools.Acme.example"
	valid := vendor.Sign(base)
	mid := start.Add(100 * 24 * time.Hour)
	tests := []struct {
		name     string
		file     []byte
		at       time.Time
		domain   string
		want     license.Code
		sentinel error
	}{
		{"valid", valid, mid, "", license.Valid, nil},
		{"before not_before", valid, start.Add(-time.Second), "", license.NotYetValid, license.ErrNotYetValid},
		{"at expiry", valid, base.ExpiresAt, "", license.Expired, license.ErrExpired},
		{"a changed value", []byte(strings.Replace(string(valid), "seats = 25", "seats = 26", 1)), mid, "", license.SignatureMismatch, license.ErrSignatureMismatch},
		{"an added key", []byte(strings.Replace(string(valid), "seats = 25", "seats = 25\nextra = true", 1)), mid, "", license.SignatureMismatch, license.ErrSignatureMismatch},
		{"signed by another key of the same id", rogue.Sign(base), mid, "", license.SignatureMismatch, license.ErrSignatureMismatch},
		{"an unknown key id", stranger.Sign(base), mid, "", license.UnknownKeyID, license.ErrUnknownKeyID},
		{"another instance", vendor.Sign(bound), mid, "other.example", license.InstanceMismatch, license.ErrInstanceMismatch},
		{"the same instance, spelled otherwise", vendor.Sign(bound), mid, "https://TOOLS.acme.example:8443/x", license.Valid, nil},
		{"not TOML", []byte("format = = 1"), mid, "", license.Malformed, license.ErrMalformed},
		{"duplicate keys", []byte(strings.Replace(string(valid), "seats = 25", "seats = 25\nseats = 25", 1)), mid, "", license.Malformed, license.ErrMalformed},
		{"a newer format", []byte(strings.Replace(string(valid), "format = 1", "format = 3", 1)), mid, "", license.UnsupportedFormat, license.ErrUnsupportedFormat},
		{"not UTF-8", append([]byte{0xff}, valid...), mid, "", license.Malformed, license.ErrMalformed},
		{"too large", []byte(string(valid) + "#" + strings.Repeat("x", 70000)), mid, "", license.Malformed, license.ErrMalformed},
		{"nested too deep", []byte("a = " + strings.Repeat("[", 50) + strings.Repeat("]", 50)), mid, "", license.Malformed, license.ErrMalformed},
	}
	verifier := license.NewVerifier(vendor.Ring)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := verifier.Verify(tt.file, tt.at, tt.domain)
			if v.Code != tt.want {
				t.Fatalf("code %s (%s), want %s", v.Code, v.Message, tt.want)
			}
			if tt.sentinel == nil {
				if v.Err() != nil {
					t.Fatalf("Err() = %v, want nil", v.Err())
				}
				return
			}
			if !errors.Is(v.Err(), tt.sentinel) {
				t.Fatalf("errors.Is(%v, %v) is false", v.Err(), tt.sentinel)
			}
			if errors.Is(v.Err(), license.ErrRevoked) {
				t.Fatalf("%v matches ErrRevoked too", v.Err())
			}
		})
	}
}

func TestWhatSurvivesMail(t *testing.T) {
	vendor := testlicense.New("2026-a")
	valid := string(vendor.Sign(vendor.Base(start, 365)))
	edits := map[string]func(string) string{
		"CRLF":            func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") },
		"byte-order mark": func(s string) string { return "\ufeff" + s },
		"re-indented":     func(s string) string { return strings.ReplaceAll(s, "\n", "\n   ") },
		"comments added":  func(s string) string { return strings.ReplaceAll(s, "seats = 25", "seats = 25 # per contract") },
		"offset datetime": func(s string) string {
			return strings.Replace(s, "not_before = 2026-11-22T00:00:00Z", "not_before = 2026-11-22T09:00:00+09:00", 1)
		},
		"signature on one line": func(s string) string {
			i := strings.Index(s, `value = """`)
			sig := strings.Join(strings.Fields(strings.Trim(s[i+len(`value = """`):], "\"\n")), "")
			return s[:i] + `value = "` + sig + "\"\n"
		},
	}
	verifier := license.NewVerifier(vendor.Ring)
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			if v := verifier.Verify([]byte(edit(valid)), start.Add(time.Hour), ""); v.Code != license.Valid {
				t.Fatalf("%s: %s", v.Code, v.Message)
			}
		})
	}
}

func TestSignedRoundTripKeepsUnknownKeys(t *testing.T) {
	vendor := testlicense.New("2026-a")
	l := vendor.Base(start, 30)
	l.Extensions = map[string]any{"region": "eu", "max_nodes": int64(3), "beta": []any{"x", int64(1)}}
	file := vendor.Sign(l)
	signed, err := license.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	if signed.License.Extensions["region"] != "eu" || signed.License.Extensions["max_nodes"] != int64(3) {
		t.Fatalf("extensions %v", signed.License.Extensions)
	}
	if !ed25519.Verify(vendor.Key.Public().(ed25519.PublicKey), signed.CanonicalBytes(), signed.Signature.Bytes()) {
		t.Fatal("the written file does not read back to the signed canonical bytes")
	}
	if !strings.HasPrefix(signed.CheckInToken(), "kt_lic_") || len(signed.CheckInToken()) != len("kt_lic_")+64 {
		t.Fatalf("token %s", signed.CheckInToken())
	}
}

func TestNormalizeDomain(t *testing.T) {
	for in, want := range map[string]string{
		"HTTPS://Tools.Acme.example./x": "tools.acme.example",
		"tools.acme.example:8443":       "tools.acme.example",
		" a-b.example ":                 "a-b.example",
	} {
		if got, err := license.NormalizeDomain(in); err != nil || got != want {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-x.example", "a b", "https://"} {
		if _, err := license.NormalizeDomain(bad); err == nil {
			t.Errorf("NormalizeDomain(%q) accepted", bad)
		}
	}
}

// BenchmarkVerify is a full verification of a typical license file: read
// (TOML parse, limits, typing), canonical form, Ed25519 verify.
//
//	go test -run '^$' -bench . -benchmem ./license
func BenchmarkVerify(b *testing.B) {
	vendor := testlicense.New("2026-a")
	file := vendor.Sign(vendor.Base(start, 365))
	verifier := license.NewVerifier(vendor.Ring)
	at := start.Add(time.Hour)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if v := verifier.Verify(file, at, ""); v.Code != license.Valid {
			b.Fatal(v.Message)
		}
	}
}

// BenchmarkRawEd25519Verify is the floor: crypto/ed25519 alone over the same canonical bytes.
func BenchmarkRawEd25519Verify(b *testing.B) {
	vendor := testlicense.New("2026-a")
	signed, err := license.Read(vendor.Sign(vendor.Base(start, 365)))
	if err != nil {
		b.Fatal(err)
	}
	pub := vendor.Key.Public().(ed25519.PublicKey)
	msg, sig := signed.CanonicalBytes(), signed.Signature.Bytes()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if !ed25519.Verify(pub, msg, sig) {
			b.Fatal("bad signature")
		}
	}
}
