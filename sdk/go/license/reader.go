package license

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2"
)

var (
	bareKey       = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	topLevelKeys  = map[string]bool{"format": true, "license": true, "signature": true}
	signatureKeys = map[string]bool{"algorithm": true, "key_id": true, "value": true}
	knownKeys     = map[string]bool{"id": true, "subscription_id": true, "customer": true, "instance_domain": true,
		"tier": true, "seats": true, "features": true, "tags": true, "issued_at": true, "not_before": true,
		"expires_at": true, "limits": true, "overage_percent": true, "policy": true}
	policyKeys = map[string]bool{"preset": true, "grace_days": true, "grace_mode": true}
	presets    = map[string]bool{"appliance": true, "subscription": true}
	utf8BOM    = []byte{0xEF, 0xBB, 0xBF}
)

const (
	ed25519SignatureBytes = 64
	maxGraceDays          = 3650
)

// Reader reads license files within its limits. The zero value uses DefaultLimits.
type Reader struct {
	Limits ReadLimits
}

func (r Reader) limits() ReadLimits {
	if r.Limits == (ReadLimits{}) {
		return DefaultLimits
	}
	return r.Limits
}

// Read parses a license file with the default limits. Every problem is an
// *Error with code MALFORMED or UNSUPPORTED_FORMAT naming what is wrong.
func Read(data []byte) (*Signed, error) {
	return Reader{}.Read(data)
}

// ReadFile reads at most MaxFileBytes+1 bytes of path and parses them.
func (r Reader) ReadFile(path string) (*Signed, error) {
	data, err := ReadBounded(path, r.limits().MaxFileBytes)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, malformed("no such file: %s", path)
		}
		return nil, malformed("cannot read %s: %v", path, err)
	}
	return r.Read(data)
}

// ReadBounded reads at most max+1 bytes of a file, never the whole of an oversized one.
func ReadBounded(path string, max int) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not a license file", path)
	}
	return io.ReadAll(io.LimitReader(f, int64(max)+1))
}

// Read parses a license file's bytes.
func (r Reader) Read(data []byte) (*Signed, error) {
	s, e := r.read(data)
	if e != nil {
		return nil, e
	}
	return s, nil
}

func (r Reader) read(data []byte) (*Signed, *Error) {
	lim := r.limits()
	if err := lim.Validate(); err != nil {
		return nil, malformed("ReadLimits: %v", err)
	}
	if e := checkSize(len(data), lim); e != nil {
		return nil, e
	}
	if !utf8.Valid(data) {
		return nil, malformed("the file is not valid UTF-8 text")
	}
	data = bytes.TrimPrefix(data, utf8BOM) // a byte-order mark, as some Windows editors add
	text := string(data)
	if e := checkNesting(text, lim.MaxNestingDepth); e != nil {
		return nil, e
	}
	var root map[string]any
	if err := toml.Unmarshal(data, &root); err != nil {
		return nil, malformed("not a valid TOML file: %s", tomlError(err))
	}
	for _, key := range sortedKeys(root) {
		if !topLevelKeys[key] {
			return nil, malformed("unexpected top-level key '%s': a license file holds only format, [license] and [signature]", key)
		}
	}
	format, e := readFormat(root)
	if e != nil {
		return nil, e
	}
	licenseTable, ok := root["license"].(map[string]any)
	if !ok {
		return nil, malformed("the [license] table is missing")
	}
	signatureTable, ok := root["signature"].(map[string]any)
	if !ok {
		return nil, malformed("the [signature] table is missing; was the file signed?")
	}
	table, e := convertTable(licenseTable, "license", 2, lim)
	if e != nil {
		return nil, e
	}
	if err := checkKeys("license", table); err != nil {
		return nil, malformed("%v", err)
	}
	lic, e := fromTable(format, table)
	if e != nil {
		return nil, e
	}
	sig, e := readSignature(signatureTable)
	if e != nil {
		return nil, e
	}
	return &Signed{Format: format, Table: table, License: *lic, Signature: sig}, nil
}

func checkSize(n int, lim ReadLimits) *Error {
	if n > lim.MaxFileBytes {
		return malformed("the file is larger than %d bytes (ReadLimits.maxFileBytes); a license file is a few hundred bytes", lim.MaxFileBytes)
	}
	return nil
}

func tomlError(err error) string {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, col := de.Position()
		return fmt.Sprintf("line %d, column %d: %s", row, col, de.Error())
	}
	return err.Error()
}

func readFormat(root map[string]any) (int64, *Error) {
	v, present := root["format"]
	if !present {
		return 0, malformed("'format' is missing; a license file starts with format = 1")
	}
	f, ok := v.(int64)
	if !ok || f < 1 {
		return 0, malformed("'format' must be a positive whole number, found %s", javaString(v))
	}
	if f > FormatVersion {
		return 0, &Error{Code: UnsupportedFormat, Message: fmt.Sprintf(
			"license format %d is newer than this product understands (format %d); update the product to use this license", f, FormatVersion)}
	}
	return f, nil
}

func readSignature(t map[string]any) (Signature, *Error) {
	for _, key := range sortedKeys(t) {
		if !signatureKeys[key] {
			return Signature{}, malformed("unexpected key '%s' in [signature]", key)
		}
	}
	algorithm, e := signatureString(t, "algorithm")
	if e != nil {
		return Signature{}, e
	}
	if algorithm != "ed25519" {
		return Signature{}, &Error{Code: UnsupportedFormat, Message: fmt.Sprintf(
			"signature algorithm \"%s\" is not supported; this reader knows \"ed25519\"", algorithm)}
	}
	keyID, e := signatureString(t, "key_id")
	if e != nil {
		return Signature{}, e
	}
	raw, e := signatureString(t, "value")
	if e != nil {
		return Signature{}, e
	}
	// Whitespace is dropped so that a value wrapped by a mail program still reads.
	value := strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\v' || r == '\f' || r == '\r' {
			return -1
		}
		return r
	}, raw)
	b, err := decodeBase64(value)
	if err != nil {
		return Signature{}, malformed("signature.value is not valid base64")
	}
	if len(b) != ed25519SignatureBytes {
		return Signature{}, malformed("signature.value must be 64 bytes of Ed25519 signature, found %d", len(b))
	}
	return Signature{Algorithm: algorithm, KeyID: keyID, Value: value}, nil
}

func signatureString(t map[string]any, key string) (string, *Error) {
	s, ok := t[key].(string)
	if !ok || strings.TrimSpace(s) == "" {
		return "", malformed("signature.%s must be a non-empty string", key)
	}
	return s, nil
}

func convertTable(t map[string]any, path string, depth int, lim ReadLimits) (map[string]any, *Error) {
	if e := checkDepth(path, depth, lim); e != nil {
		return nil, e
	}
	out := make(map[string]any, len(t))
	for _, key := range sortedKeys(t) {
		v, e := convert(t[key], path+"."+key, depth, lim)
		if e != nil {
			return nil, e
		}
		out[key] = v
	}
	return out, nil
}

func convert(value any, path string, depth int, lim ReadLimits) (any, *Error) {
	switch v := value.(type) {
	case map[string]any:
		return convertTable(v, path, depth+1, lim)
	case []any:
		if e := checkDepth(path, depth+1, lim); e != nil {
			return nil, e
		}
		if len(v) > lim.MaxArrayLength {
			return nil, malformed("%s has %d items, more than %d (ReadLimits.maxArrayLength)", path, len(v), lim.MaxArrayLength)
		}
		out := make([]any, len(v))
		for i, item := range v {
			c, e := convert(item, fmt.Sprintf("%s[%d]", path, i), depth+1, lim)
			if e != nil {
				return nil, e
			}
			out[i] = c
		}
		return out, nil
	case string:
		if n := utf16Length(v); n > lim.MaxStringLength {
			return nil, malformed("%s is %d characters long, more than %d (ReadLimits.maxStringLength)", path, n, lim.MaxStringLength)
		}
		return v, nil
	case time.Time:
		return v.UTC(), nil
	case int64, float64, bool, toml.LocalDate, toml.LocalDateTime, toml.LocalTime:
		return v, nil
	}
	return nil, malformed("%s has a value of an unsupported type", path)
}

func utf16Length(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func checkDepth(path string, depth int, lim ReadLimits) *Error {
	if depth > lim.MaxNestingDepth {
		return malformed("%s is nested %d levels deep, more than %d (ReadLimits.maxNestingDepth)", path, depth, lim.MaxNestingDepth)
	}
	return nil
}

func checkKeys(path string, t map[string]any) error {
	for _, key := range sortedKeys(t) {
		if !bareKey.MatchString(key) {
			return fmt.Errorf("%s: key '%s' must be 1 to 64 of A-Z, a-z, 0-9, '_' or '-'", path, key)
		}
		if nested, ok := t[key].(map[string]any); ok {
			if err := checkKeys(path+"."+key, nested); err != nil {
				return err
			}
		}
	}
	return nil
}
