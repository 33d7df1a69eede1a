package conformance

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"keyturn.dev/go/internal/cli"
	"keyturn.dev/go/license"
)

func TestVerificationVectors(t *testing.T) {
	rings := keyRings(t)
	var file struct {
		Cases []struct {
			Name           string  `json:"name"`
			FileBase64     string  `json:"file_base64"`
			KeyRing        string  `json:"key_ring"`
			At             string  `json:"at"`
			InstanceDomain *string `json:"instance_domain"`
			Expected       struct {
				expectedMessage
				License      json.RawMessage `json:"license"`
				Canonical    *string         `json:"canonical"`
				CheckInToken *string         `json:"check_in_token"`
			} `json:"expected"`
		} `json:"cases"`
	}
	load(t, "verification.json", &file)
	if len(file.Cases) == 0 {
		t.Fatal("no verification vectors")
	}
	for _, c := range file.Cases {
		c := c
		t.Run(c.Name, func(t *testing.T) {
			data, err := base64.StdEncoding.DecodeString(c.FileBase64)
			if err != nil {
				t.Fatal(err)
			}
			at, err := time.Parse(time.RFC3339, c.At)
			if err != nil {
				t.Fatal(err)
			}
			domain := ""
			if c.InstanceDomain != nil {
				domain = *c.InstanceDomain
			}
			verifier := license.NewVerifier(rings[c.KeyRing])
			v := verifier.Verify(data, at, domain)
			e := c.Expected
			if string(v.Code) != e.Code {
				t.Fatalf("code %s, want %s (%s): %s", v.Code, e.Code, e.Message, v.Message)
			}
			checkMessage(t, e.expectedMessage, v.Message)
			if e.SignatureCode == nil {
				if v.License != nil {
					t.Errorf("the file was read, the reference could not read it")
				}
				return
			}
			if v.License == nil {
				t.Fatalf("the file could not be read")
			}
			if got := verifier.VerifySignature(v.License).Code; string(got) != *e.SignatureCode {
				t.Errorf("signature code %s, want %s", got, *e.SignatureCode)
			}
			if got := string(v.License.CanonicalBytes()); e.Canonical == nil || got != *e.Canonical {
				t.Errorf("canonical form\n got: %q\nwant: %q", got, *e.Canonical)
			}
			if e.CheckInToken == nil || v.License.CheckInToken() != *e.CheckInToken {
				t.Errorf("check-in token %s, want %v", v.License.CheckInToken(), e.CheckInToken)
			}
			gotJSON, err := cli.LicenseJSON(v.License)
			if err != nil {
				t.Fatal(err)
			}
			var got, want any
			json.Unmarshal(gotJSON, &got)
			json.Unmarshal(e.License, &want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("license JSON\n got: %s\nwant: %s", gotJSON, e.License)
			}
		})
	}
}

func TestInstanceDomainVectors(t *testing.T) {
	var file struct {
		InstanceDomains []struct {
			Input      string  `json:"input"`
			Normalized *string `json:"normalized"`
			Error      *string `json:"error"`
		} `json:"instance_domains"`
	}
	load(t, "verification.json", &file)
	if len(file.InstanceDomains) == 0 {
		t.Fatal("no instance domain vectors")
	}
	for _, c := range file.InstanceDomains {
		got, err := license.NormalizeDomain(c.Input)
		switch {
		case c.Error != nil && (err == nil || err.Error() != *c.Error):
			t.Errorf("%q: %q, %v; want the error %q", c.Input, got, err, *c.Error)
		case c.Error == nil && (err != nil || got != *c.Normalized):
			t.Errorf("%q: %q, %v; want %q", c.Input, got, err, *c.Normalized)
		}
	}
}
