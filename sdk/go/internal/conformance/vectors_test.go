package conformance

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"keyturn.dev/go/license"
)

// root is the repository's conformance folder.
var root = filepath.Join("..", "..", "..", "..", "conformance")

func load(t *testing.T, name string, into any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "vectors", name))
	if err != nil {
		t.Fatalf("the conformance vectors are missing (%v); merge the conformance suite", err)
	}
	var header struct {
		FormatVersion int `json:"format_version"`
	}
	if err := json.Unmarshal(data, &header); err != nil || header.FormatVersion != 1 {
		t.Fatalf("%s: format_version %d, this runner knows 1 (%v)", name, header.FormatVersion, err)
	}
	if err := json.Unmarshal(data, into); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

type keysFile struct {
	Keys []struct {
		KeyID         string `json:"key_id"`
		PublicPEMFile string `json:"public_pem_file"`
	} `json:"keys"`
	KeyRings map[string][]string `json:"key_rings"`
}

func keyRings(t *testing.T) map[string]*license.KeyRing {
	var kf keysFile
	load(t, "keys.json", &kf)
	files := map[string]string{}
	for _, k := range kf.Keys {
		files[k.KeyID] = filepath.Join(root, k.PublicPEMFile)
	}
	rings := map[string]*license.KeyRing{}
	for name, ids := range kf.KeyRings {
		ring := license.NewKeyRing()
		for _, id := range ids {
			if err := ring.AddPath(files[id]); err != nil {
				t.Fatalf("ring %s: %v", name, err)
			}
		}
		rings[name] = ring
	}
	return rings
}

type expectedMessage struct {
	Code          string  `json:"code"`
	Message       string  `json:"message"`
	MessageMatch  string  `json:"message_match"`
	MessagePrefix string  `json:"message_prefix"`
	MessageClass  string  `json:"message_class"`
	SignatureCode *string `json:"signature_code"`
}

func checkMessage(t *testing.T, e expectedMessage, got string) {
	t.Helper()
	switch e.MessageMatch {
	case "exact":
		if got != e.Message {
			t.Errorf("message (%s)\n got: %q\nwant: %q", e.MessageClass, got, e.Message)
		}
	case "prefix":
		if !strings.HasPrefix(got, e.MessagePrefix) {
			t.Errorf("message (%s)\n got: %q\nwant prefix: %q", e.MessageClass, got, e.MessagePrefix)
		}
	default:
		t.Errorf("unknown message_match %q", e.MessageMatch)
	}
}
