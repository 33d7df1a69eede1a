package dev.keyturn.core.license;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The {@code [license.policy]} table: which lifecycle preset applies and the grace it grants. It is
 * signed, so an offline client knows the rules without asking the server.
 *
 * @param extensions keys this version does not know; kept and signed so newer files survive a round
 *     trip
 */
public record LicensePolicy(
    String preset, int graceDays, GraceMode graceMode, Map<String, Object> extensions) {

  public LicensePolicy {
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(graceMode, "graceMode");
    if (graceDays < 0) {
      throw new IllegalArgumentException("graceDays must not be negative, was " + graceDays);
    }
    extensions = Map.copyOf(new TreeMap<>(extensions));
    LicenseTable.checkKeys("license.policy", extensions);
  }

  public LicensePolicy(String preset, int graceDays, GraceMode graceMode) {
    this(preset, graceDays, graceMode, Map.of());
  }
}
