package dev.keyturn.client;

import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.license.License;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link LicenseManager#install(String)} did. {@link VerificationCode#VALID} means installed;
 * every other code means rejected, with nothing changed.
 *
 * @param message what happened, in words an administrator can act on
 * @param license the license, when the file could be read
 * @param excesses for {@link VerificationCode#USAGE_EXCEEDS_LIMITS}: each limit, its usage and the
 *     new value
 * @param inForce whether the license is now the one in force (false when an installed license
 *     expires later, or for a rejection)
 */
public record InstallResult(
    VerificationCode code,
    String message,
    Optional<License> license,
    List<LimitExcess> excesses,
    boolean inForce) {

  public InstallResult {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(license, "license");
    excesses = List.copyOf(excesses);
  }

  public boolean installed() {
    return code == VerificationCode.VALID;
  }

  static InstallResult rejected(VerificationCode code, String message, Optional<License> license) {
    return new InstallResult(code, message, license, List.of(), false);
  }
}
