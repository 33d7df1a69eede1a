package dev.keyturn.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link LicenseManager#checkIn()} did.
 *
 * @param install the install of the license the server sent, when it sent one
 * @param nextCheckIn when to check in again: the server's {@code check_in_after} (bounded), the
 *     configured interval, or the retry delay after a failure
 */
public record CheckInResult(
    Outcome outcome, String message, Optional<InstallResult> install, Duration nextCheckIn) {

  public CheckInResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(install, "install");
    Objects.requireNonNull(nextCheckIn, "nextCheckIn");
  }

  public enum Outcome {
    /** The server knows the license; nothing new to install. */
    OK,
    /** The server sent a newer license and it is now installed. */
    RENEWED,
    /** The server sent a license that {@code install} rejected; the one in force stays. */
    LICENSE_REJECTED,
    /** The license is revoked: the product is locked until another is installed. */
    REVOKED,
    /** 401: the server does not know this license. Nothing changed. */
    UNKNOWN_LICENSE,
    /** 409: another instance holds this license. Flagged, nothing locked. */
    INSTANCE_CONFLICT,
    /** The server could not be reached. Nothing changed: air-gapped installs keep working. */
    NETWORK_FAILURE,
    /** The server answered outside the contract (e.g. 500). Nothing changed. */
    SERVER_ERROR,
    /** No license installed, so nothing to check in with. */
    NO_LICENSE,
    /** The manager was built without check-in settings. */
    NOT_CONFIGURED
  }
}
