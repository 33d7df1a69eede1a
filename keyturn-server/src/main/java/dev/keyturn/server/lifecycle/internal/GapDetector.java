package dev.keyturn.server.lifecycle.internal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.lifecycle.LicenseGaps;
import dev.keyturn.server.lifecycle.Sweep;
import dev.keyturn.server.subscription.Subscriptions;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reports subscriptions paid beyond their newest license: there should never be one, because
 * payments issue in the same transaction. Each sweep looks only at what changed since the previous
 * one (an index range), and a full pass runs at most hourly, over the subscriptions paid or
 * contracted beyond now (indexed), so an idle sweep stays cheap however large the fleet. Each gap
 * is reported once per paid-through value.
 */
@Component
public class GapDetector {
  /** How often the whole fleet is checked; in between, only what changed. */
  static final Duration FULL_SCAN_EVERY = Duration.ofHours(1);

  /**
   * Changes committed a little before the previous scan may not have been visible to it (a
   * transaction still open then), so each scan looks back this much further.
   */
  static final Duration OVERLAP = Duration.ofMinutes(10);

  private final Subscriptions subscriptions;
  private final TransactionTemplate tx;
  private final EventLog events;
  private final LicenseGaps gaps;
  private Instant lastScan;
  private Instant lastFullScan;

  GapDetector(
      LicenseGaps gaps, Subscriptions subscriptions, TransactionTemplate tx, EventLog events) {
    this.subscriptions = subscriptions;
    this.tx = tx;
    this.events = events;
    this.gaps = gaps;
  }

  /** Reports the new gaps at {@code now}; returns how many. */
  public synchronized int detect(Instant now) {
    // A clock moved backwards (the test clock) makes the previous instants meaningless.
    boolean full =
        lastFullScan == null
            || now.isBefore(lastScan)
            || !now.isBefore(lastFullScan.plus(FULL_SCAN_EVERY));
    List<LicenseGaps.Gap> found =
        full ? gaps.find(now) : gaps.changedSince(lastScan.minus(OVERLAP), now);
    int reported = 0;
    for (LicenseGaps.Gap gap : found) {
      if (Boolean.TRUE.equals(tx.execute(status -> report(gap)))) {
        reported++;
      }
    }
    lastScan = now;
    if (full) {
      lastFullScan = now;
    }
    return reported;
  }

  private boolean report(LicenseGaps.Gap gap) {
    boolean fresh = subscriptions.markGapReported(gap.subscriptionId(), gap.paidThrough());
    if (fresh) {
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("paid_through", gap.paidThrough().toString());
      meta.put(
          "newest_license_expires_at",
          gap.newestLicenseExpiresAt() == null ? null : gap.newestLicenseExpiresAt().toString());
      events.record("license.gap_detected", Sweep.ACTOR, gap.subscriptionId(), null, meta);
    }
    return fresh;
  }
}
