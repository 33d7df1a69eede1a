package dev.keyturn.cli.appliance;

import dev.keyturn.core.license.License;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A limit that a newly installed license lowers. The CLI cannot see the product's usage, so it
 * cannot refuse such a downgrade as the product's own install does; it says so instead.
 *
 * @param from the old value; {@code null} for unlimited
 * @param to the new value
 */
public record LoweredLimit(String limit, Long from, long to) {
  private static final String SEATS = "seats";

  /** Read as the client reads limits: a name not set is unlimited, and so is {@code seats = 0}. */
  static List<LoweredLimit> between(Optional<License> before, License after) {
    if (before.isEmpty()) {
      return List.of();
    }
    TreeSet<String> names = new TreeSet<>(before.get().limits().keySet());
    names.addAll(after.limits().keySet());
    names.add(SEATS);
    List<LoweredLimit> out = new ArrayList<>();
    for (String name : names) {
      Long from = value(before.get(), name);
      Long to = value(after, name);
      if (to != null && (from == null || to < from)) {
        out.add(new LoweredLimit(name, from, to));
      }
    }
    return out;
  }

  /** {@code null} for unlimited. */
  private static Long value(License license, String name) {
    Long named = license.limits().get(name);
    if (named != null) {
      return named;
    }
    return SEATS.equals(name) && license.seats() > 0 ? license.seats() : null;
  }

  @Override
  public String toString() {
    return limit + " from " + (from == null ? "unlimited" : from) + " to " + to;
  }
}
