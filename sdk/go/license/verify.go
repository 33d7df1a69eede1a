package license

import (
	"crypto/ed25519"
	"fmt"
	"strings"
	"time"
)

// Verification is the outcome of verifying a license file: a stable code, a
// message a person can act on, and the license when the file could be read at
// all (nil only for MALFORMED and UNSUPPORTED_FORMAT).
type Verification struct {
	Code    Code
	Message string
	License *Signed
}

// Valid reports whether the code is VALID.
func (v Verification) Valid() bool { return v.Code == Valid }

// Err is nil when valid, else an *Error matching the code's sentinel with errors.Is.
func (v Verification) Err() error {
	if v.Valid() {
		return nil
	}
	return &Error{Code: v.Code, Message: v.Message}
}

// Verifier verifies license files against a key ring.
type Verifier struct {
	Keys   *KeyRing
	Reader Reader
}

// NewVerifier verifies with keys and the default read limits.
func NewVerifier(keys *KeyRing) *Verifier {
	return &Verifier{Keys: keys}
}

// Verify is full verification of a file's bytes at an instant. Checks run from
// the most fundamental to the most transient, so the code names what must be
// fixed first. instanceDomain is the product's own domain, or "" for none.
func (v *Verifier) Verify(data []byte, at time.Time, instanceDomain string) Verification {
	signed, e := v.Reader.read(data)
	if e != nil {
		return Verification{Code: e.Code, Message: e.Message}
	}
	return v.VerifySigned(signed, at, instanceDomain)
}

// VerifySigned verifies a license already read.
func (v *Verifier) VerifySigned(signed *Signed, at time.Time, instanceDomain string) Verification {
	if authentic := v.VerifySignature(signed); !authentic.Valid() {
		return authentic
	}
	lic := &signed.License
	if lic.InstanceDomain != "" && instanceDomain != "" {
		actual, err := NormalizeDomain(instanceDomain)
		if err != nil {
			actual = instanceDomain
		}
		if lic.InstanceDomain != actual {
			return Verification{InstanceMismatch, fmt.Sprintf(
				"this license is for the instance '%s', not '%s'; ask your vendor for a license issued to this instance",
				lic.InstanceDomain, actual), signed}
		}
	}
	if at.Before(lic.NotBefore) {
		return Verification{NotYetValid, fmt.Sprintf("this license becomes valid at %s; it is now %s",
			FormatInstant(lic.NotBefore), FormatInstant(at)), signed}
	}
	if !at.Before(lic.ExpiresAt) {
		return Verification{Expired, fmt.Sprintf("this license expired at %s; it is now %s. Install the renewed license",
			FormatInstant(lic.ExpiresAt), FormatInstant(at)), signed}
	}
	return Verification{Valid, fmt.Sprintf("valid for %s until %s", lic.Customer, FormatInstant(lic.ExpiresAt)), signed}
}

// VerifySignature does only the authenticity checks (trusted key, good
// signature), whatever the time: an installed license that has expired is
// still authentic, and the lifecycle still gives it grace.
func (v *Verifier) VerifySignature(signed *Signed) Verification {
	keyID := signed.Signature.KeyID
	key, ok := v.Keys.Find(keyID)
	if !ok {
		return Verification{UnknownKeyID, fmt.Sprintf(
			"the license is signed with key '%s', which is not among the trusted keys [%s]; add the vendor's public key %s.public.pem",
			keyID, strings.Join(v.Keys.IDs(), ", "), keyID), signed}
	}
	if !ed25519.Verify(key, signed.CanonicalBytes(), signed.Signature.Bytes()) {
		return Verification{SignatureMismatch, "the signature does not match the contents: the [license] section was changed after signing," +
			" or the file was damaged. Use the file exactly as the vendor sent it", signed}
	}
	return Verification{Valid, fmt.Sprintf("signature valid (key '%s')", keyID), signed}
}
