package dev.keyturn.server.usage.internal;

import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.notify.Notifier;
import dev.keyturn.server.subscription.Subscriptions;
import dev.keyturn.server.usage.UsageLimits;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tells the account team and the webhooks when a license's usage crosses a limit ({@code
 * usage.over_limit}) or its overage allowance ({@code usage.over_allowance}): once per license,
 * limit and kind, however many check-ins or imports report it, also concurrently (the alert's row
 * is claimed by primary key in the transaction that records the event and enqueues the mail).
 *
 * <p>Usage within the limits costs nothing here: the license's limits are parsed from its signed
 * file once and kept (licenses never change), and an alert known to be sent is not claimed again.
 */
@Component
public class UsageAlerts {
  public static final String OVER_LIMIT = "OVER_LIMIT";
  public static final String OVER_ALLOWANCE = "OVER_ALLOWANCE";
  private static final int REMEMBERED = 10_000;

  private final UsageStore store;
  private final Licenses licenses;
  private final Subscriptions subscriptions;
  private final EventLog events;
  private final Notifier notifier;
  private final TransactionTemplate tx;
  private final Map<String, UsageLimits> limitsByLicense = lru();
  private final Set<String> sent = Collections.newSetFromMap(lru());

  UsageAlerts(
      UsageStore store,
      Licenses licenses,
      Subscriptions subscriptions,
      EventLog events,
      Notifier notifier,
      TransactionTemplate tx) {
    this.store = store;
    this.licenses = licenses;
    this.subscriptions = subscriptions;
    this.events = events;
    this.notifier = notifier;
    this.tx = tx;
  }

  private static <V> Map<String, V> lru() {
    return Collections.synchronizedMap(
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
            return size() > REMEMBERED;
          }
        });
  }

  /** What the license grants, from its signed file (read once per license and server). */
  public UsageLimits limitsOf(String licenseId) {
    return limitsByLicense.computeIfAbsent(
        licenseId,
        id ->
            licenses
                .find(id)
                .map(l -> UsageLimits.of(new LicenseReader().read(l.text()).license()))
                .orElse(new UsageLimits(Map.of(), Map.of())));
  }

  /**
   * Checks reported usage against the license's limits and allowances and alerts each crossing not
   * alerted before.
   *
   * @param source who reported it, for the audit log (e.g. {@code instance:<id>})
   */
  public void check(
      String subscriptionId,
      String licenseId,
      Map<String, Long> usage,
      String source,
      Map<String, ?> context,
      Instant at) {
    if (usage.isEmpty()) {
      return;
    }
    UsageLimits limits = limitsOf(licenseId);
    usage.forEach(
        (name, value) -> {
          limits
              .limit(name)
              .filter(limit -> value > limit)
              .ifPresent(
                  limit ->
                      alert(
                          subscriptionId,
                          licenseId,
                          name,
                          OVER_LIMIT,
                          value,
                          limit,
                          source,
                          context,
                          at));
          limits
              .allowance(name)
              .filter(allowance -> value > allowance)
              .ifPresent(
                  allowance ->
                      alert(
                          subscriptionId,
                          licenseId,
                          name,
                          OVER_ALLOWANCE,
                          value,
                          allowance,
                          source,
                          context,
                          at));
        });
  }

  private void alert(
      String subscriptionId,
      String licenseId,
      String limit,
      String kind,
      long value,
      long threshold,
      String source,
      Map<String, ?> context,
      Instant at) {
    String key = licenseId + "/" + limit + "/" + kind;
    if (sent.contains(key)) {
      return;
    }
    tx.executeWithoutResult(
        status -> {
          boolean claimed;
          try {
            claimed =
                store.claimAlert(licenseId, limit, kind, subscriptionId, value, threshold, at);
          } catch (DuplicateKeyException e) {
            claimed = false; // a concurrent check-in claimed it first
          }
          if (!claimed) {
            return;
          }
          boolean overLimit = OVER_LIMIT.equals(kind);
          String type = overLimit ? "usage.over_limit" : "usage.over_allowance";
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("limit", limit);
          details.put("value", value);
          details.put(overLimit ? "licensed" : "allowance", threshold);
          details.putAll(context);
          events.record(type, source, subscriptionId, licenseId, details);
          subscriptions
              .find(subscriptionId)
              .ifPresent(
                  s ->
                      notifier.usageCrossed(
                          s,
                          licenseId,
                          limit,
                          value,
                          threshold,
                          overLimit ? "the limit" : "the overage allowance",
                          type));
        });
    sent.add(key);
  }
}
