package dev.keyturn.cli.simulate;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A license's life between two instants, as the lifecycle engine sees it: the standing at the
 * start, then the standing at every instant where the stage changes. Built only from {@link
 * Lifecycle}, so the preview is exactly what the server and the client will do.
 */
public final class Timeline {
  private Timeline() {}

  /**
   * @param notice the stage whose notice the server sends at this instant, if any
   */
  public record Entry(Instant at, Standing standing, Optional<Stage> notice) {
    public Entry {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(standing, "standing");
      Objects.requireNonNull(notice, "notice");
    }
  }

  public static List<Entry> between(
      Instant notBefore, Instant expiresAt, Policy policy, Instant from, Instant to, ZoneId zone) {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("--to (" + to + ") must be after --from (" + from + ")");
    }
    List<Entry> entries = new ArrayList<>();
    Instant at = from;
    while (true) {
      Standing standing = Lifecycle.evaluate(notBefore, expiresAt, at, policy, zone);
      entries.add(new Entry(at, standing, noticeAt(notBefore, expiresAt, policy, at)));
      Optional<Instant> next = standing.nextTransitionAt();
      if (next.isEmpty() || next.get().isAfter(to)) {
        return entries;
      }
      at = next.get();
    }
  }

  /**
   * The notice the server sends at {@code at}, assuming it has been running since the license
   * became valid: at {@code not_before}, the catch-up notice for stages that began before it (a
   * short license issued late); after that, a notice only where a stage begins.
   */
  static Optional<Stage> noticeAt(Instant notBefore, Instant expiresAt, Policy policy, Instant at) {
    if (at.isBefore(notBefore)) {
      return Optional.empty();
    }
    Optional<String> sentBefore =
        at.equals(notBefore)
            ? Optional.empty()
            : Lifecycle.noticeDue(policy, expiresAt, Optional.empty(), at.minusNanos(1))
                .map(Stage::id);
    return Lifecycle.noticeDue(policy, expiresAt, sentBefore, at);
  }
}
