package dev.keyturn.cli.license;

import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.license.PolicyRules;
import dev.keyturn.core.license.SignedLicense;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A license as the CLI shows it, in JSON (snake_case, like the file) and as text. Datetimes are ISO
 * instants in UTC, so the JSON needs no date support on either side.
 *
 * @param instanceDomain {@code null} when the license is not bound to an instance
 * @param overagePercent {@code [license.overage_percent]} by limit name; empty when the license
 *     grants no allowance
 * @param extensions keys in {@code [license]} that this version does not know, as read
 */
public record LicenseView(
    long format,
    String id,
    String subscriptionId,
    String customer,
    String instanceDomain,
    String tier,
    long seats,
    List<String> features,
    List<String> tags,
    String issuedAt,
    String notBefore,
    String expiresAt,
    Map<String, Long> limits,
    Map<String, Integer> overagePercent,
    Map<String, Object> policy,
    Map<String, Object> extensions,
    String keyId) {

  public static LicenseView of(SignedLicense signed) {
    License l = signed.license();
    LicensePolicy p = l.policy();
    Map<String, Object> policy = new LinkedHashMap<>();
    if (p.rules().isEmpty()) {
      policy.put("preset", p.preset());
      policy.put("grace_days", p.graceDays());
      policy.put("grace_mode", p.graceMode().tomlName());
    } else {
      // A format-2 license: the whole policy, keyed as the file keys it.
      PolicyRules rules = p.rules().get();
      policy.put("name", rules.name());
      policy.put("grace_days", p.graceDays());
      policy.put("grace_mode", p.graceMode().tomlName());
      policy.put("lock_action", rules.lockAction());
      List<Map<String, Object>> reminders = new ArrayList<>();
      for (PolicyRules.Reminder r : rules.reminders()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("days_before", r.daysBefore());
        m.put("banner", r.banner());
        m.put("dismissal", r.dismissal());
        m.put("notify", r.recipients());
        reminders.add(m);
      }
      policy.put("reminders", reminders);
      policy.put("expiry_notify", rules.expiryNotify());
      policy.put("lock_notify", rules.lockNotify());
    }
    new TreeMap<>(p.extensions()).forEach((k, v) -> policy.put(k, plain(v)));
    Map<String, Object> extensions = new LinkedHashMap<>();
    new TreeMap<>(l.extensions()).forEach((k, v) -> extensions.put(k, plain(v)));
    return new LicenseView(
        signed.format(),
        l.id(),
        l.subscriptionId(),
        l.customer(),
        l.instanceDomain().orElse(null),
        l.tier(),
        l.seats(),
        l.features(),
        l.tags(),
        l.issuedAt().toString(),
        l.notBefore().toString(),
        l.expiresAt().toString(),
        l.sortedLimits(),
        new TreeMap<>(l.overagePercent()),
        policy,
        extensions,
        signed.signature().keyId());
  }

  /** Every field as label and value, in file order, for the text output. */
  public List<String[]> fields() {
    List<String[]> rows = new ArrayList<>();
    rows.add(row("id", id));
    rows.add(row("subscription_id", subscriptionId));
    rows.add(row("customer", customer));
    rows.add(row("instance_domain", instanceDomain == null ? "(any instance)" : instanceDomain));
    rows.add(row("tier", tier));
    rows.add(row("seats", seats == 0 ? "unlimited" : Long.toString(seats)));
    rows.add(row("features", list(features)));
    rows.add(row("tags", list(tags)));
    rows.add(row("issued_at", issuedAt));
    rows.add(row("not_before", notBefore));
    rows.add(row("expires_at", expiresAt));
    rows.add(row("limits", limits.isEmpty() ? "(none)" : joined(limits)));
    if (!overagePercent.isEmpty()) {
      rows.add(row("overage_percent", joined(overagePercent)));
    }
    rows.add(row("policy", joined(policy)));
    extensions.forEach((k, v) -> rows.add(row(k, String.valueOf(v))));
    rows.add(row("key_id", keyId));
    return rows;
  }

  /** The fields a person checks first when a license is accepted or refused. */
  public List<String[]> keyFields() {
    List<String[]> rows = new ArrayList<>();
    for (String[] row : fields()) {
      if (List.of(
              "id",
              "customer",
              "subscription_id",
              "instance_domain",
              "tier",
              "seats",
              "not_before",
              "expires_at",
              "key_id")
          .contains(row[0])) {
        rows.add(row);
      }
    }
    return rows;
  }

  private static String[] row(String label, String value) {
    return new String[] {label, value};
  }

  private static String list(List<String> items) {
    return items.isEmpty() ? "(none)" : String.join(", ", items);
  }

  private static String joined(Map<String, ?> map) {
    List<String> parts = new ArrayList<>();
    map.forEach((k, v) -> parts.add(k + " = " + v));
    return String.join(", ", parts);
  }

  /** Extension values in JSON-friendly form: datetimes as ISO text, non-finite numbers as text. */
  private static Object plain(Object value) {
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      new TreeMap<>(map).forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(LicenseView::plain).toList();
    }
    if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return d.toString();
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return value;
    }
    return value instanceof Instant i ? i.toString() : String.valueOf(value);
  }
}
