/**
 * The license runtime a product embeds. Start at {@link dev.keyturn.client.LicenseManager}; the
 * module's README shows the ten lines that wire it in.
 */
package dev.keyturn.client;
