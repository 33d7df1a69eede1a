// Package keyturn is the Go SDK of Keyturn: verify signed license files,
// evaluate their lifecycle, and enforce them in a product.
//
//   - license: read, canonicalize and verify .license.toml files (Ed25519)
//   - lifecycle: the standing of a license at an instant, and the notice rule
//   - client: the Manager a product embeds (install, history, standing,
//     hot-path checks, clock guard, audit chain, check-in)
//   - web: net/http middleware serving /license/* and gating the product
//   - cmd/keyturn: keyturn license verify | status | install
//
// See README.md for the embed example, the codes and the benchmarks.
package keyturn
