package dev.keyturn.server.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.LockAction;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Recipient;
import dev.keyturn.server.web.Validator;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A lifecycle policy as the API, the console and the database spell it: the keys and words of a
 * format-2 license's {@code [license.policy]} (docs/license-format.md), so what staff type is what
 * the license file says. Core's {@link Policy} builder validates it.
 *
 * @param reminders in any order; stored from the earliest
 * @param expiryNotify who is told when grace starts
 * @param lockNotify who is told when grace ends
 */
public record PolicyDefinition(
    String name,
    List<ReminderDefinition> reminders,
    Integer graceDays,
    String graceMode,
    String lockAction,
    List<String> expiryNotify,
    List<String> lockNotify) {

  /**
   * One reminder {@code D-days_before}.
   *
   * @param banner {@code info}, {@code warning} or {@code danger}
   * @param dismissal {@code until-next-stage}, {@code for-24h}, {@code to-pill} or {@code
   *     not-dismissible}
   * @param recipients ({@code notify}) {@code customer}, {@code account-team}, {@code support},
   *     {@code renewal-request}, {@code webhook}; empty: the banner only
   */
  public record ReminderDefinition(
      Integer daysBefore,
      String banner,
      String dismissal,
      @JsonProperty("notify") List<String> recipients) {}

  /** The definition of a policy, in the one spelling a license file uses. */
  public static PolicyDefinition of(Policy policy) {
    List<ReminderDefinition> rs = new ArrayList<>();
    for (Policy.Reminder r : policy.reminders()) {
      rs.add(
          new ReminderDefinition(
              r.daysBefore(),
              r.level().name().toLowerCase(Locale.ROOT),
              spell(r.dismissal().name()),
              names(r.recipients())));
    }
    return new PolicyDefinition(
        policy.name(),
        rs,
        policy.graceDays(),
        policy.graceMode().tomlName(),
        policy.lockAction().name().toLowerCase(Locale.ROOT),
        names(policy.expiryNotify()),
        names(policy.lockNotify()));
  }

  /**
   * The policy this defines under {@code policyName}, validated by core's builder: every problem is
   * a field error, the builder's own (such as a stage that grows less insistent, named) under
   * {@code reminders}.
   */
  public Policy toPolicy(String policyName) {
    Validator v = new Validator();
    GraceMode mode = graceMode == null ? null : GraceMode.fromTomlName(graceMode).orElse(null);
    v.check(graceDays != null, "grace_days", "is required: whole days of grace, 0 to 3650");
    v.check(
        mode != null, "grace_mode", "must be \"full\" or \"read-only\", was " + quoted(graceMode));
    LockAction action = enumOf(LockAction.class, lockAction);
    v.check(
        action != null,
        "lock_action",
        "must be \"lock\" or \"suspend\", was " + quoted(lockAction));
    Set<Recipient> expiry = recipients(v, "expiry_notify", expiryNotify);
    Set<Recipient> lock = recipients(v, "lock_notify", lockNotify);
    Policy.Builder b = Policy.builder(policyName);
    List<ReminderDefinition> rs = reminders == null ? List.of() : reminders;
    for (int i = 0; i < rs.size(); i++) {
      ReminderDefinition r = rs.get(i);
      String at = "reminders[" + i + "]";
      if (!v.check(r != null, at, "must be an object")) {
        continue;
      }
      BannerLevel level = enumOf(BannerLevel.class, r.banner());
      Dismissal dismissal = enumOf(Dismissal.class, r.dismissal());
      boolean ok = v.check(r.daysBefore() != null, at + ".days_before", "is required: 1 to 365");
      ok &=
          v.check(
              level != null && level != BannerLevel.NONE && level != BannerLevel.LOCK,
              at + ".banner",
              "must be info, warning or danger, was " + quoted(r.banner()));
      ok &=
          v.check(
              dismissal != null && dismissal != Dismissal.NONE,
              at + ".dismissal",
              "must be until-next-stage, for-24h, to-pill or not-dismissible, was "
                  + quoted(r.dismissal()));
      Set<Recipient> told = recipients(v, at + ".notify", r.recipients());
      if (ok) {
        b.reminder(r.daysBefore(), level, dismissal, told);
      }
    }
    v.throwIfAny();
    try {
      return b.grace(graceDays, mode)
          .lockAction(action)
          .expiryNotify(expiry)
          .lockNotify(lock)
          .build();
    } catch (IllegalArgumentException e) {
      String field = e.getMessage().startsWith("grace") ? "grace_days" : "reminders";
      v.error(field, e.getMessage());
      v.throwIfAny();
      throw e;
    }
  }

  private static Set<Recipient> recipients(Validator v, String field, List<String> names) {
    Set<Recipient> out = EnumSet.noneOf(Recipient.class);
    if (names == null) {
      return out;
    }
    for (String n : names) {
      Recipient r = n == null ? null : Recipient.fromTomlName(n).orElse(null);
      if (v.check(
          r != null,
          field,
          quoted(n)
              + " is not a recipient: customer, account-team, support, renewal-request or"
              + " webhook")) {
        out.add(r);
      }
    }
    return out;
  }

  private static <E extends Enum<E>> E enumOf(Class<E> type, String spelled) {
    if (spelled == null) {
      return null;
    }
    try {
      return Enum.valueOf(type, spelled.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static String spell(String enumName) {
    return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static List<String> names(Set<Recipient> recipients) {
    return recipients.stream().map(Recipient::tomlName).toList();
  }

  private static String quoted(String s) {
    return s == null ? "nothing" : "\"" + s + "\"";
  }
}
