package dev.keyturn.conformance;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.license.PolicyRules;
import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.LockAction;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.core.lifecycle.Standing;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code vectors/lifecycle.json}: the lifecycle engine's standing for (validity window, instant,
 * policy, zone), the notice rule, and the policy builder's validation.
 */
final class LifecycleVectors {
  /** Zones with and without daylight saving, east and west, whole and half hours. */
  static final List<String> ZONES =
      List.of(
          "UTC",
          "Europe/Berlin",
          "America/Sao_Paulo",
          "America/New_York",
          "Asia/Tokyo",
          "Asia/Kolkata",
          "Pacific/Kiritimati");

  private static final List<String> FEW_ZONES = List.of("UTC", "Europe/Berlin", "Asia/Tokyo");

  private static final DateTimeFormatter ZONE_NAME =
      DateTimeFormatter.ofPattern("z", Locale.ENGLISH);

  /** A validity window: midnight UTC, and one ending in the hour Europe moves its clocks. */
  private record Window(String name, Instant notBefore, Instant expiresAt) {}

  private static final List<Window> WINDOWS =
      List.of(
          new Window("midnight-utc", Fixtures.NOT_BEFORE, Fixtures.EXPIRES_AT),
          new Window(
              "dst-change",
              Instant.parse("2026-03-29T01:30:00Z"),
              Instant.parse("2027-03-28T01:30:00Z")));

  private final Map<String, Policy> policies = new LinkedHashMap<>();
  private final Map<String, LicensePolicy> fromLicense = new LinkedHashMap<>();

  private LifecycleVectors() {
    policies.put("appliance", Policy.APPLIANCE);
    policies.put("subscription", Policy.SUBSCRIPTION);
    policies.put(
        "custom",
        Policy.builder("enterprise")
            .reminder(90, BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE)
            .reminder(14, BannerLevel.WARNING, Dismissal.FOR_24H)
            .reminder(2, BannerLevel.DANGER, Dismissal.TO_PILL)
            .grace(1, GraceMode.READ_ONLY)
            .lockAction(LockAction.SUSPEND)
            .build());
    policies.put(
        "no-grace",
        Policy.builder("strict")
            .reminder(10, BannerLevel.WARNING, Dismissal.NOT_DISMISSIBLE)
            .grace(0, GraceMode.FULL)
            .build());
    LicensePolicy signed = new LicensePolicy("appliance", 30, GraceMode.READ_ONLY);
    fromLicense.put("appliance-30-read-only", signed);
    policies.put("appliance-30-read-only", Policy.forLicense(signed));
    LicensePolicy partner = Fixtures.PARTNER_POLICY.toLicensePolicy();
    fromLicense.put("partner-from-license", partner);
    policies.put("partner-from-license", Policy.forLicense(partner));
  }

  static ObjectNode build() {
    LifecycleVectors v = new LifecycleVectors();
    ObjectNode root =
        Vectors.header(
            "lifecycle",
            "The lifecycle engine: standing(not_before, expires_at, at, policy, zone), the notice"
                + " rule, and the policy builder's validation.");
    ObjectNode policies = root.putObject("policies");
    v.policies.forEach(
        (name, policy) -> {
          ObjectNode p = PolicyJson.of(policy);
          LicensePolicy lp = v.fromLicense.get(name);
          if (lp != null && lp.rules().isPresent()) {
            p.set("from_license_policy", customLicensePolicy(lp));
          } else if (lp != null) {
            ObjectNode from = p.putObject("from_license_policy");
            from.put("preset", lp.preset());
            from.put("grace_days", lp.graceDays());
            from.put("grace_mode", lp.graceMode().tomlName());
          } else {
            p.putNull("from_license_policy");
          }
          policies.set(name, p);
        });
    root.set("zone_abbreviations", zoneAbbreviations());
    root.set("standing", v.standings());
    root.set("notice_due", v.notices());
    root.set("policy_errors", policyErrors());
    return root;
  }

  /** A format-2 license's [license.policy], keyed and spelled as the file has it. */
  private static ObjectNode customLicensePolicy(LicensePolicy lp) {
    PolicyRules rules = lp.rules().orElseThrow();
    ObjectNode from = JsonOut.object();
    from.put("name", rules.name());
    from.put("grace_days", lp.graceDays());
    from.put("grace_mode", lp.graceMode().tomlName());
    from.put("lock_action", rules.lockAction());
    ArrayNode reminders = from.putArray("reminders");
    for (PolicyRules.Reminder r : rules.reminders()) {
      ObjectNode o = reminders.addObject();
      o.put("days_before", r.daysBefore());
      o.put("banner", r.banner());
      o.put("dismissal", r.dismissal());
      r.recipients().forEach(o.putArray("notify")::add);
    }
    rules.expiryNotify().forEach(from.putArray("expiry_notify")::add);
    rules.lockNotify().forEach(from.putArray("lock_notify")::add);
    return from;
  }

  // ---- standing ----

  private ArrayNode standings() {
    ArrayNode out = JsonOut.array();
    for (Window w : WINDOWS) {
      for (Map.Entry<String, Policy> p : policies.entrySet()) {
        boolean everyZone = w.name().equals("midnight-utc") && p.getKey().equals("appliance");
        List<String> zones = everyZone || w.name().equals("dst-change") ? ZONES : FEW_ZONES;
        for (String zone : zones) {
          for (Instant at : instants(w, p.getValue(), everyZone)) {
            out.add(standing(w, p.getKey(), p.getValue(), zone, at));
          }
        }
      }
    }
    return out;
  }

  /** Every boundary of the window and its stages, a second either side, and the last day hourly. */
  private static TreeSet<Instant> instants(Window w, Policy policy, boolean hourlyLastDays) {
    TreeSet<Instant> at = new TreeSet<>();
    at.add(w.notBefore().minusSeconds(86400));
    at.add(w.notBefore().minusSeconds(1));
    at.add(w.notBefore());
    at.add(w.notBefore().plusSeconds(86400 * 100L));
    for (Stage s : policy.stages()) {
      Instant start = s.startsAt(w.expiresAt());
      at.add(start.minusSeconds(86400));
      at.add(start.minusSeconds(1));
      at.add(start);
      at.add(start.plusSeconds(1));
      at.add(start.plusSeconds(12 * 3600));
    }
    Instant expiry = w.expiresAt();
    int step = hourlyLastDays ? 1 : 6;
    for (int h = -50; h <= 26; h += step) {
      at.add(expiry.plusSeconds(h * 3600L));
    }
    Instant lock = expiry.plus(policy.gracePeriod());
    at.add(lock.plusSeconds(86400));
    at.add(lock.plusSeconds(400L * 86400));
    at.removeIf(i -> i.isBefore(w.notBefore().minusSeconds(86400)));
    return at;
  }

  private static ObjectNode standing(
      Window w, String policyName, Policy policy, String zone, Instant at) {
    ObjectNode c = JsonOut.object();
    c.put("name", w.name() + "/" + policyName + "/" + zone + "/" + at);
    c.put("policy", policyName);
    c.put("not_before", w.notBefore().toString());
    c.put("expires_at", w.expiresAt().toString());
    c.put("at", at.toString());
    c.put("zone", zone);
    Standing s = Lifecycle.evaluate(w.notBefore(), w.expiresAt(), at, policy, ZoneId.of(zone));
    c.set("expected", standingJson(s));
    return c;
  }

  static ObjectNode standingJson(Standing s) {
    ObjectNode e = JsonOut.object();
    e.put("phase", s.phase().name());
    putOptional(e, "stage", s.stage().map(Stage::id));
    e.put("mode", s.mode().name());
    e.put("days_until_expiry", s.daysUntilExpiry());
    e.put("days_until_lock", s.daysUntilLock());
    ObjectNode banner = e.putObject("banner");
    banner.put("level", s.banner().level().name());
    banner.put("dismissal", s.banner().dismissal().name());
    banner.put("text", s.banner().text());
    e.put("expires_at", s.expiresAt().toString());
    e.put("locks_at", s.locksAt().toString());
    putOptional(e, "next_change_at", s.nextChangeAt().map(Instant::toString));
    putOptional(e, "next_transition_at", s.nextTransitionAt().map(Instant::toString));
    return e;
  }

  private static void putOptional(ObjectNode node, String field, Optional<String> value) {
    value.ifPresentOrElse(v -> node.put(field, v), () -> node.putNull(field));
  }

  /** The short zone names Java prints in banner texts, for every instant a text can show. */
  private static ArrayNode zoneAbbreviations() {
    ArrayNode out = JsonOut.array();
    for (String zone : ZONES) {
      for (Window w : WINDOWS) {
        for (Instant i : List.of(w.notBefore(), w.expiresAt())) {
          ObjectNode o = out.addObject();
          o.put("zone", zone);
          o.put("at", i.toString());
          // Banner texts print UTC as "UTC" (BannerText), every other zone by Java's English short
          // name.
          o.put("abbreviation", ZONE_NAME.format(i.atZone(ZoneId.of(zone))));
        }
      }
    }
    return out;
  }

  // ---- notice rule ----

  private ArrayNode notices() {
    ArrayNode out = JsonOut.array();
    Instant expiresAt = Fixtures.EXPIRES_AT;
    for (Map.Entry<String, Policy> p : policies.entrySet()) {
      Policy policy = p.getValue();
      List<Optional<String>> sent = new ArrayList<>();
      sent.add(Optional.empty());
      policy.stages().forEach(s -> sent.add(Optional.of(s.id())));
      sent.add(Optional.of("D-45")); // a stage of an earlier policy, placed by its name
      TreeSet<Instant> instants = new TreeSet<>();
      instants.add(expiresAt.minusSeconds(400L * 86400));
      for (Stage s : policy.stages()) {
        instants.add(s.startsAt(expiresAt).minusSeconds(1));
        instants.add(s.startsAt(expiresAt));
      }
      instants.add(expiresAt.plus(policy.gracePeriod()).plusSeconds(30L * 86400));
      for (Optional<String> last : sent) {
        for (Instant at : instants) {
          ObjectNode c = out.addObject();
          c.put("name", p.getKey() + "/" + last.orElse("none") + "/" + at);
          c.put("policy", p.getKey());
          c.put("expires_at", expiresAt.toString());
          putOptional(c, "last_notified", last);
          c.put("at", at.toString());
          ObjectNode e = c.putObject("expected");
          putOptional(e, "stage", Lifecycle.noticeDue(policy, expiresAt, last, at).map(Stage::id));
          e.putNull("error");
        }
      }
    }
    ObjectNode bad = out.addObject();
    bad.put("name", "appliance/unknown-stage");
    bad.put("policy", "appliance");
    bad.put("expires_at", expiresAt.toString());
    bad.put("last_notified", "REMINDER");
    bad.put("at", expiresAt.toString());
    ObjectNode e = bad.putObject("expected");
    e.putNull("stage");
    e.put(
        "error",
        error(
            () ->
                Lifecycle.noticeDue(
                    Policy.APPLIANCE, expiresAt, Optional.of("REMINDER"), expiresAt)));
    return out;
  }

  // ---- policy validation ----

  private record Attempt(
      String name, String description, ObjectNode spec, Supplier<Policy> build) {}

  private static ArrayNode policyErrors() {
    List<Attempt> attempts = new ArrayList<>();
    attempts.add(
        attempt(
            "reminder-day-zero", "a reminder at D-0", List.of(r(0, "INFO", "FOR_24H")), 7, "full"));
    attempts.add(
        attempt(
            "reminder-too-early",
            "a reminder at D-366",
            List.of(r(366, "INFO", "FOR_24H")),
            7,
            "full"));
    attempts.add(
        attempt(
            "reminder-level-none",
            "a reminder without a banner",
            List.of(r(30, "NONE", "FOR_24H")),
            7,
            "full"));
    attempts.add(
        attempt(
            "reminder-level-lock",
            "a reminder showing the lock screen",
            List.of(r(30, "LOCK", "FOR_24H")),
            7,
            "full"));
    attempts.add(
        attempt(
            "reminder-dismissal-none",
            "a reminder without a dismissal rule",
            List.of(r(30, "INFO", "NONE")),
            7,
            "full"));
    attempts.add(
        attempt(
            "two-reminders-same-day",
            "two reminders at D-7",
            List.of(r(7, "INFO", "FOR_24H"), r(7, "WARNING", "FOR_24H")),
            7,
            "full"));
    attempts.add(
        attempt(
            "less-insistent-level",
            "D-7 quieter than D-30",
            List.of(r(30, "WARNING", "FOR_24H"), r(7, "INFO", "FOR_24H")),
            7,
            "full"));
    attempts.add(
        attempt(
            "less-insistent-dismissal",
            "D-7 easier to dismiss than D-30",
            List.of(r(7, "WARNING", "FOR_24H"), r(30, "INFO", "TO_PILL")),
            7,
            "full"));
    List<R> thirteen = new ArrayList<>();
    for (int d = 13; d >= 1; d--) {
      thirteen.add(r(d, "INFO", "FOR_24H"));
    }
    attempts.add(
        attempt("too-many-reminders", "13 reminders, one more than allowed", thirteen, 7, "full"));
    attempts.add(attempt("negative-grace", "grace of -1 days", List.of(), -1, "full"));
    attempts.add(attempt("grace-too-long", "grace of 3651 days", List.of(), 3651, "read-only"));
    attempts.add(
        attempt(
            "valid-unordered",
            "reminders given in any order are sorted (valid)",
            List.of(r(7, "WARNING", "TO_PILL"), r(90, "INFO", "UNTIL_NEXT_STAGE")),
            30,
            "full"));
    ArrayNode out = JsonOut.array();
    for (Attempt a : attempts) {
      ObjectNode c = out.addObject();
      c.put("name", a.name());
      c.put("description", a.description());
      c.set("policy", a.spec());
      ObjectNode e = c.putObject("expected");
      String err = error(a.build());
      if (err == null) {
        e.putNull("error");
        e.set("policy", PolicyJson.of(a.build().get()));
      } else {
        e.put("error", err);
        e.putNull("policy");
      }
    }
    return out;
  }

  private record R(int days, String level, String dismissal) {}

  private static R r(int days, String level, String dismissal) {
    return new R(days, level, dismissal);
  }

  private static Attempt attempt(
      String name, String description, List<R> reminders, int graceDays, String graceMode) {
    ObjectNode spec = JsonOut.object();
    spec.put("name", "x");
    ArrayNode rs = spec.putArray("reminders");
    reminders.forEach(
        x -> {
          ObjectNode o = rs.addObject();
          o.put("days_before", x.days());
          o.put("level", x.level());
          o.put("dismissal", x.dismissal());
        });
    spec.put("grace_days", graceDays);
    spec.put("grace_mode", graceMode);
    spec.put("lock_action", "LOCK");
    Supplier<Policy> build =
        () -> {
          Policy.Builder b = Policy.builder("x");
          reminders.forEach(
              x ->
                  b.reminder(
                      x.days(), BannerLevel.valueOf(x.level()), Dismissal.valueOf(x.dismissal())));
          return b.grace(graceDays, GraceMode.fromTomlName(graceMode).orElseThrow())
              .lockAction(LockAction.LOCK)
              .build();
        };
    return new Attempt(name, description, spec, build);
  }

  /** The message of the IllegalArgumentException the call throws, or null when it succeeds. */
  private static String error(Supplier<?> call) {
    try {
      call.get();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }
}
