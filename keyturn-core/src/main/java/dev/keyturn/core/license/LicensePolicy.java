package dev.keyturn.core.license;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code [license.policy]} table, signed so an offline client knows the rules without asking
 * the server. Either a preset by name with the grace it grants (format 1), or a whole custom policy
 * ({@link #rules}, format 2: docs/license-format.md).
 *
 * @param preset the preset's name; for a custom policy, the policy's name
 * @param extensions keys this version does not know; kept and signed so newer files survive a round
 *     trip
 * @param rules the whole policy, when the license carries a custom one
 */
public record LicensePolicy(
    String preset,
    int graceDays,
    GraceMode graceMode,
    Map<String, Object> extensions,
    Optional<PolicyRules> rules) {

  public static final int MAX_GRACE_DAYS = 3650;

  public LicensePolicy {
    Objects.requireNonNull(preset, "preset");
    Objects.requireNonNull(graceMode, "graceMode");
    Objects.requireNonNull(rules, "rules");
    if (graceDays < 0 || graceDays > MAX_GRACE_DAYS) {
      throw new IllegalArgumentException(
          "graceDays must be 0 to " + MAX_GRACE_DAYS + ", was " + graceDays);
    }
    if (rules.isPresent() && !rules.get().name().equals(preset)) {
      throw new IllegalArgumentException(
          "a custom policy is named by its rules: '"
              + rules.get().name()
              + "', not '"
              + preset
              + "'");
    }
    extensions = Map.copyOf(new TreeMap<>(extensions));
    LicenseTable.checkKeys("license.policy", extensions);
  }

  public LicensePolicy(
      String preset, int graceDays, GraceMode graceMode, Map<String, Object> extensions) {
    this(preset, graceDays, graceMode, extensions, Optional.empty());
  }

  public LicensePolicy(String preset, int graceDays, GraceMode graceMode) {
    this(preset, graceDays, graceMode, Map.of());
  }

  /** A license carrying the whole of a custom policy. */
  public static LicensePolicy custom(PolicyRules rules, int graceDays, GraceMode graceMode) {
    return new LicensePolicy(rules.name(), graceDays, graceMode, Map.of(), Optional.of(rules));
  }

  /** The policy's name: the preset's, or the custom policy's. */
  public String name() {
    return preset;
  }

  /** Whether the file carries the whole policy, and so is written as format 2. */
  public boolean isCustom() {
    return rules.isPresent();
  }
}
