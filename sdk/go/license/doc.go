// Package license reads, verifies and canonicalizes Keyturn license files
// (<name>.license.toml, signed with Ed25519), exactly as the Java reference
// (keyturn-core) does: the same read limits, the same canonical form, the same
// verification order and the same stable codes.
//
// The signature covers the canonical form of the parsed [license] table plus
// format, never the text: whitespace, comments, line endings, key order, a
// byte-order mark and a re-wrapped signature leave it valid; any change of a
// value, its type, or an added or removed key inside [license] breaks it.
package license
