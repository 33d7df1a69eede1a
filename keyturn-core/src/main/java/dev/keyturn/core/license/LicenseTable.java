package dev.keyturn.core.license;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Converts between the typed {@link License} and the generic {@code [license]} table that is
 * signed.
 */
final class LicenseTable {
  static final Set<String> KNOWN_KEYS =
      Set.of(
          "id",
          "subscription_id",
          "customer",
          "instance_domain",
          "tier",
          "seats",
          "features",
          "tags",
          "issued_at",
          "not_before",
          "expires_at",
          "limits",
          "overage_percent",
          "policy");
  private static final Set<String> POLICY_KEYS = Set.of("preset", "grace_days", "grace_mode");
  private static final Set<String> CUSTOM_POLICY_KEYS =
      Set.of(
          "name",
          "grace_days",
          "grace_mode",
          "lock_action",
          "reminders",
          "expiry_notify",
          "lock_notify");
  private static final Set<String> REMINDER_KEYS =
      Set.of("days_before", "banner", "dismissal", "notify");
  static final Set<String> PRESETS = Set.of("appliance", "subscription");

  private LicenseTable() {}

  static Map<String, Object> toTable(License license) {
    Map<String, Object> t = new TreeMap<>(license.extensions());
    t.put("id", license.id());
    t.put("subscription_id", license.subscriptionId());
    t.put("customer", license.customer());
    license.instanceDomain().ifPresent(d -> t.put("instance_domain", d));
    t.put("tier", license.tier());
    t.put("seats", license.seats());
    t.put("features", List.copyOf(license.features()));
    t.put("tags", List.copyOf(license.tags()));
    t.put("issued_at", license.issuedAt());
    t.put("not_before", license.notBefore());
    t.put("expires_at", license.expiresAt());
    t.put("limits", new TreeMap<String, Object>(license.limits()));
    // Written only when granted, so a license without allowances signs exactly as before.
    if (!license.overagePercent().isEmpty()) {
      Map<String, Object> overage = new TreeMap<>();
      license.overagePercent().forEach((name, percent) -> overage.put(name, (long) percent));
      t.put("overage_percent", overage);
    }
    t.put("policy", policyTable(license.policy()));
    return t;
  }

  private static Map<String, Object> policyTable(LicensePolicy policy) {
    Map<String, Object> p = new TreeMap<>(policy.extensions());
    p.put("grace_days", (long) policy.graceDays());
    p.put("grace_mode", policy.graceMode().tomlName());
    if (policy.rules().isEmpty()) {
      p.put("preset", policy.preset());
      return p;
    }
    PolicyRules rules = policy.rules().get();
    p.put("name", rules.name());
    p.put("lock_action", rules.lockAction());
    List<Object> reminders = new ArrayList<>();
    for (PolicyRules.Reminder r : rules.reminders()) {
      Map<String, Object> m = new TreeMap<>();
      m.put("days_before", (long) r.daysBefore());
      m.put("banner", r.banner());
      m.put("dismissal", r.dismissal());
      m.put("notify", r.recipients());
      reminders.add(m);
    }
    p.put("reminders", reminders);
    p.put("expiry_notify", rules.expiryNotify());
    p.put("lock_notify", rules.lockNotify());
    return p;
  }

  static License fromTable(long format, Map<String, Object> t) {
    Fields f = new Fields("license", t);
    Map<String, Object> limitsTable = f.optionalTable("limits");
    Map<String, Long> limits = new LinkedHashMap<>();
    limitsTable.forEach(
        (name, value) -> {
          if (!(value instanceof Long n) || n < 0) {
            throw LicenseFormatException.malformed(
                "license.limits."
                    + name
                    + " must be a whole number of 0 or more, found "
                    + describe(value));
          }
          limits.put(name, n);
        });
    Map<String, Integer> overagePercent = overagePercent(f.optionalTable("overage_percent"));
    Fields p = new Fields("license.policy", f.table("policy"));
    LicensePolicy policy = format >= 2 ? customPolicy(p) : presetPolicy(p);

    Optional<String> domain = f.optionalString("instance_domain");
    try {
      return new License(
          f.string("id"),
          f.string("subscription_id"),
          f.string("customer"),
          domain.map(InstanceDomain::normalize),
          f.string("tier"),
          f.wholeNumber("seats"),
          f.optionalStrings("features"),
          f.optionalStrings("tags"),
          f.instant("issued_at"),
          f.instant("not_before"),
          f.instant("expires_at"),
          limits,
          overagePercent,
          policy,
          f.unknown(KNOWN_KEYS));
    } catch (IllegalArgumentException e) {
      throw LicenseFormatException.malformed("license: " + e.getMessage());
    }
  }

  /** Format 1: a preset by name and its grace. */
  private static LicensePolicy presetPolicy(Fields p) {
    String preset = p.string("preset");
    if (!PRESETS.contains(preset)) {
      throw LicenseFormatException.malformed(
          "license.policy.preset must be \"appliance\" or \"subscription\", found \""
              + preset
              + "\"");
    }
    GraceMode mode = graceMode(p);
    return new LicensePolicy(preset, graceDays(p), mode, p.unknown(POLICY_KEYS));
  }

  /** Format 2: the whole policy (docs/license-format.md). */
  private static LicensePolicy customPolicy(Fields p) {
    if (p.table().containsKey("preset")) {
      throw LicenseFormatException.malformed(
          "license.policy.preset belongs to format 1; a format 2 license carries the whole policy");
    }
    List<PolicyRules.Reminder> reminders = new ArrayList<>();
    List<Map<String, Object>> entries = p.tables("reminders");
    for (int i = 0; i < entries.size(); i++) {
      Fields r = new Fields("license.policy.reminders[" + i + "]", entries.get(i));
      r.refuseUnknown(REMINDER_KEYS);
      long days = r.wholeNumber("days_before");
      reminders.add(
          new PolicyRules.Reminder(
              (int) Math.min(days, Integer.MAX_VALUE),
              r.string("banner"),
              r.string("dismissal"),
              r.strings("notify")));
    }
    try {
      PolicyRules rules =
          new PolicyRules(
              p.string("name"),
              p.string("lock_action"),
              reminders,
              p.strings("expiry_notify"),
              p.strings("lock_notify"));
      GraceMode mode = graceMode(p);
      return new LicensePolicy(
          rules.name(), graceDays(p), mode, p.unknown(CUSTOM_POLICY_KEYS), Optional.of(rules));
    } catch (IllegalArgumentException e) {
      throw LicenseFormatException.malformed("license." + e.getMessage());
    }
  }

  private static int graceDays(Fields p) {
    long graceDays = p.wholeNumber("grace_days");
    if (graceDays > LicensePolicy.MAX_GRACE_DAYS) {
      throw LicenseFormatException.malformed(
          "license.policy.grace_days must be at most "
              + LicensePolicy.MAX_GRACE_DAYS
              + ", found "
              + graceDays);
    }
    return (int) graceDays;
  }

  private static GraceMode graceMode(Fields p) {
    String graceModeName = p.string("grace_mode");
    return GraceMode.fromTomlName(graceModeName)
        .orElseThrow(
            () ->
                LicenseFormatException.malformed(
                    "license.policy.grace_mode must be \"full\" or \"read-only\", found \""
                        + graceModeName
                        + "\""));
  }

  private static Map<String, Integer> overagePercent(Map<String, Object> table) {
    Map<String, Integer> out = new LinkedHashMap<>();
    table.forEach(
        (name, value) -> {
          if (!(value instanceof Long n) || n < 0 || n > License.MAX_OVERAGE_PERCENT) {
            throw LicenseFormatException.malformed(
                "license.overage_percent."
                    + name
                    + " must be a whole number from 0 to "
                    + License.MAX_OVERAGE_PERCENT
                    + ", found "
                    + (value instanceof Long ? value.toString() : describe(value)));
          }
          out.put(name, n.intValue());
        });
    return out;
  }

  static void checkKeys(String path, Map<String, Object> table) {
    for (Map.Entry<String, Object> e : table.entrySet()) {
      TomlValues.requireKey(path, e.getKey());
      if (e.getValue() instanceof Map<?, ?> nested) {
        @SuppressWarnings("unchecked")
        Map<String, Object> sub = (Map<String, Object>) nested;
        checkKeys(path + "." + e.getKey(), sub);
      }
    }
  }

  static String describe(Object value) {
    return value == null ? "nothing" : TomlValues.typeName(value);
  }

  /** Typed access to one table's fields, with errors that name the full key. */
  private record Fields(String path, Map<String, Object> table) {

    Object required(String key) {
      Object v = table.get(key);
      if (v == null) {
        throw LicenseFormatException.malformed(path + "." + key + " is missing");
      }
      return v;
    }

    String string(String key) {
      Object v = required(key);
      if (!(v instanceof String s) || s.isBlank()) {
        throw wrongType(key, "a non-empty string", v);
      }
      return s;
    }

    Optional<String> optionalString(String key) {
      return table.containsKey(key) ? Optional.of(string(key)) : Optional.empty();
    }

    long wholeNumber(String key) {
      Object v = required(key);
      if (!(v instanceof Long n) || n < 0) {
        throw wrongType(key, "a whole number of 0 or more", v);
      }
      return n;
    }

    Instant instant(String key) {
      Object v = required(key);
      if (!(v instanceof Instant i)) {
        throw wrongType(key, "a datetime with an offset, e.g. 2026-11-22T00:00:00Z", v);
      }
      return i;
    }

    List<String> optionalStrings(String key) {
      Object v = table.get(key);
      if (v == null) {
        return List.of();
      }
      if (!(v instanceof List<?> list)) {
        throw wrongType(key, "an array of strings", v);
      }
      List<String> out = new ArrayList<>(list.size());
      for (Object item : list) {
        if (!(item instanceof String s)) {
          throw wrongType(key, "an array of strings", v);
        }
        out.add(s);
      }
      return out;
    }

    Map<String, Object> table(String key) {
      Object v = required(key);
      if (!(v instanceof Map<?, ?>)) {
        throw wrongType(key, "a table", v);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) v;
      return m;
    }

    Map<String, Object> optionalTable(String key) {
      return table.containsKey(key) ? table(key) : Map.of();
    }

    /** A required array of strings (possibly empty). */
    List<String> strings(String key) {
      required(key);
      return optionalStrings(key);
    }

    /** A required array of tables ({@code [[path.key]]}), possibly empty. */
    List<Map<String, Object>> tables(String key) {
      Object v = required(key);
      if (!(v instanceof List<?> list)) {
        throw wrongType(key, "an array of tables", v);
      }
      List<Map<String, Object>> out = new ArrayList<>(list.size());
      for (Object item : list) {
        if (!(item instanceof Map<?, ?>)) {
          throw wrongType(key, "an array of tables", v);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) item;
        out.add(m);
      }
      return out;
    }

    void refuseUnknown(Set<String> known) {
      for (String key : new java.util.TreeSet<>(table.keySet())) {
        if (!known.contains(key)) {
          throw LicenseFormatException.malformed("unexpected key '" + key + "' in " + path);
        }
      }
    }

    Map<String, Object> unknown(Set<String> known) {
      Map<String, Object> out = new HashMap<>(table);
      out.keySet().removeAll(known);
      return out;
    }

    private LicenseFormatException wrongType(String key, String expected, Object found) {
      String shown = found instanceof String s ? "\"" + s + "\"" : describe(found);
      return LicenseFormatException.malformed(
          path + "." + key + " must be " + expected + ", found " + shown);
    }
  }
}
