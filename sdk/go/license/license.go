package license

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"
)

// FormatVersion is the newest license format this reader understands: 2, a
// license carrying a whole custom policy. A license naming a preset is FormatPreset.
const FormatVersion = 2

// CheckInTokenPrefix starts every check-in bearer token (the check-in wire contract).
const CheckInTokenPrefix = "kt_lic_"

// GraceMode is how the product behaves during grace.
type GraceMode string

// Grace modes, spelled as in license files.
const (
	GraceFull     GraceMode = "full"
	GraceReadOnly GraceMode = "read-only"
)

// License is the typed [license] table: what a subscription grants for a period.
type License struct {
	ID             string
	SubscriptionID string
	Customer       string
	InstanceDomain string // normalized; empty when the license is not bound to an instance
	Tier           string
	Seats          int64 // 0 means unlimited
	Features       []string
	Tags           []string
	IssuedAt       time.Time
	NotBefore      time.Time
	ExpiresAt      time.Time
	Limits         map[string]int64
	// OveragePercent is [license.overage_percent]: limit name → percent usage may
	// run above it (0..MaxOveragePercent); empty when the license grants none.
	OveragePercent map[string]int64
	Policy         Policy
	Extensions     map[string]any // keys this version does not know; signed and kept
}

// Policy is the [license.policy] table: a preset and its grace (format 1), or a
// whole custom policy in Rules (format 2; Preset is then the policy's name).
type Policy struct {
	Preset     string
	GraceDays  int
	GraceMode  GraceMode
	Extensions map[string]any
	Rules      *PolicyRules // nil for a preset
}

// FormatOf is the format a license is written in: 2 when it carries a custom policy.
func FormatOf(l *License) int64 {
	if l.Policy.Rules != nil {
		return FormatVersion
	}
	return FormatPreset
}

// HasFeature reports whether the license grants feature.
func (l *License) HasFeature(feature string) bool {
	for _, f := range l.Features {
		if f == feature {
			return true
		}
	}
	return false
}

// Signature is the [signature] table; Value is base64 without whitespace.
type Signature struct {
	Algorithm string
	KeyID     string
	Value     string
}

// Bytes decodes the signature (Read has checked it decodes to 64 bytes).
func (s Signature) Bytes() []byte {
	b, err := decodeBase64(s.Value)
	if err != nil {
		return nil
	}
	return b
}

// Signed is a license file as read: the typed license, the exact table that
// was signed and the signature. Signatures are checked against the table
// (what the file says), never against the typed view or the text.
type Signed struct {
	Format    int64
	Table     map[string]any
	License   License
	Signature Signature
}

// CanonicalBytes are the bytes the signature covers.
func (s *Signed) CanonicalBytes() []byte {
	return Canonical(s.Format, s.Table)
}

// SignatureHash is the hex SHA-256 of the signature bytes: a short, stable name
// for this exact license (file names in the client's history, the server's lookup).
func (s *Signed) SignatureHash() string {
	sum := sha256.Sum256(s.Signature.Bytes())
	return hex.EncodeToString(sum[:])
}

// CheckInToken is the bearer token a product presents at check-in.
func (s *Signed) CheckInToken() string {
	return CheckInTokenPrefix + s.SignatureHash()
}

// decodeBase64 accepts padding or none, as Java's basic decoder does.
func decodeBase64(s string) ([]byte, error) {
	if len(s) > 0 && s[len(s)-1] == '=' {
		return base64.StdEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}
