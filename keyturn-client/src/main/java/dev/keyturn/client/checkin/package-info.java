/**
 * Online check-in: settings, and the wire contract spoken over {@link java.net.http.HttpClient}.
 * {@link dev.keyturn.client.LicenseManager#checkIn()} decides what an answer changes.
 */
package dev.keyturn.client.checkin;
