/**
 * Internal: how the client keeps its files in the state directory (atomic writes, the HMAC-signed
 * state file, the installed-license history). Public only so that the client's other packages can
 * use it; not an API for products.
 */
package dev.keyturn.client.store;
