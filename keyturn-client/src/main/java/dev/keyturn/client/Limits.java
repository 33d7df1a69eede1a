package dev.keyturn.client;

import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** How limits are read from a license, and the downgrade rule of docs/design.md §5. */
final class Limits {
  static final String SEATS = Usage.SEATS;

  private Limits() {}

  /**
   * A named limit: the {@code [license.limits]} value; for {@code seats}, when not named there, the
   * license's {@code seats} (0 = unlimited); otherwise {@link LicenseManager#UNLIMITED}.
   */
  static long of(License license, String name) {
    return Usage.licensed(license, name).orElse(LicenseManager.UNLIMITED);
  }

  /** Every limit of the license, seats included, as the hot path serves them. */
  static Map<String, Long> all(License license) {
    Map<String, Long> out = new TreeMap<>(license.limits());
    out.putIfAbsent(SEATS, of(license, SEATS));
    return out;
  }

  /**
   * The limits a new license would lower below current usage. A limit that stays or rises never
   * counts, even if usage is already above it: upgrades always install.
   *
   * @param current the license in force, if any; without one every limit counts as unlimited
   */
  static List<LimitExcess> excesses(
      Optional<License> current, License next, Map<String, Long> usage) {
    List<LimitExcess> out = new ArrayList<>();
    new TreeMap<>(usage)
        .forEach(
            (name, used) -> {
              if (name == null || used == null) {
                return;
              }
              long newValue = of(next, name);
              long oldValue = current.map(c -> of(c, name)).orElse(LicenseManager.UNLIMITED);
              if (newValue < oldValue && used > newValue) {
                out.add(new LimitExcess(name, used, newValue));
              }
            });
    return out;
  }
}
