package dev.keyturn.client;

import dev.keyturn.core.lifecycle.Mode;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the hot path reads: built once per change, never modified, published through one volatile
 * field. The collections are plain {@link HashSet} and {@link HashMap} with values boxed up front,
 * so a lookup hashes a String (its hash is cached) and allocates nothing.
 */
final class Snapshot {
  static final Snapshot NOTHING = new Snapshot(Mode.LOCKED, List.of(), Map.of(), 0, null);

  final Mode mode;
  final Set<String> features;
  final Map<String, Long> limits;
  final long absentLimit;

  /** In guarded time; null when nothing but an install or a check-in changes it. */
  final Instant validUntil;

  Snapshot(
      Mode mode,
      List<String> features,
      Map<String, Long> limits,
      long absentLimit,
      Instant validUntil) {
    this.mode = mode;
    // A locked product grants no feature, whatever the license lists.
    this.features = mode == Mode.LOCKED ? new HashSet<>() : new HashSet<>(features);
    this.limits = new HashMap<>(limits);
    this.absentLimit = absentLimit;
    this.validUntil = validUntil;
  }
}
