package dev.keyturn.core.license;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A whole lifecycle policy as a format-2 license carries it in {@code [license.policy]}
 * (docs/license-format.md), spelled as the file spells it; {@code lifecycle.Policy.forLicense}
 * turns it into a policy. Validated on construction, by the same rules as the policy builder, so an
 * issuer can never sign a policy that readers refuse. Each value has exactly one spelling
 * (reminders from the earliest to the last, recipients in {@link #RECIPIENTS} order, each once), so
 * one policy has one signed form.
 *
 * @param name the policy's name, for people and the server
 * @param lockAction {@code lock} or {@code suspend}
 * @param reminders from the earliest (most days before expiry) to the last
 * @param expiryNotify who is told when grace starts
 * @param lockNotify who is told when grace ends
 */
public record PolicyRules(
    String name,
    String lockAction,
    List<Reminder> reminders,
    List<String> expiryNotify,
    List<String> lockNotify) {

  /** Banner levels of a reminder, from the least insistent. */
  public static final List<String> BANNERS = List.of("info", "warning", "danger");

  /** Dismissal rules of a reminder, from the least insistent. */
  public static final List<String> DISMISSALS =
      List.of("until-next-stage", "for-24h", "to-pill", "not-dismissible");

  /** Who may be told, in the order a file lists them. */
  public static final List<String> RECIPIENTS =
      List.of("customer", "account-team", "support", "renewal-request", "webhook");

  public static final List<String> LOCK_ACTIONS = List.of("lock", "suspend");

  public static final int MAX_REMINDERS = 12;
  public static final int MAX_DAYS_BEFORE = 365;

  /**
   * A reminder stage {@code D-daysBefore}.
   *
   * @param banner one of {@link #BANNERS}
   * @param dismissal one of {@link #DISMISSALS}
   * @param recipients who is told (the file's {@code notify}), in {@link #RECIPIENTS} order
   */
  public record Reminder(int daysBefore, String banner, String dismissal, List<String> recipients) {
    public Reminder {
      Objects.requireNonNull(banner, "banner");
      Objects.requireNonNull(dismissal, "dismissal");
      recipients = List.copyOf(recipients);
    }
  }

  public PolicyRules {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("policy.name must not be empty");
    }
    if (!LOCK_ACTIONS.contains(lockAction)) {
      throw new IllegalArgumentException(
          "policy.lock_action must be \"lock\" or \"suspend\", found " + quoted(lockAction));
    }
    reminders = List.copyOf(reminders);
    expiryNotify = List.copyOf(expiryNotify);
    lockNotify = List.copyOf(lockNotify);
    if (reminders.size() > MAX_REMINDERS) {
      throw new IllegalArgumentException(
          "policy.reminders has " + reminders.size() + " reminders, at most " + MAX_REMINDERS);
    }
    Reminder previous = null;
    for (int i = 0; i < reminders.size(); i++) {
      Reminder r = reminders.get(i);
      String at = "policy.reminders[" + i + "]";
      if (r.daysBefore() < 1 || r.daysBefore() > MAX_DAYS_BEFORE) {
        throw new IllegalArgumentException(
            at + ".days_before must be 1 to " + MAX_DAYS_BEFORE + ", found " + r.daysBefore());
      }
      requireOneOf(at + ".banner", r.banner(), BANNERS);
      requireOneOf(at + ".dismissal", r.dismissal(), DISMISSALS);
      requireRecipients(at + ".notify", r.recipients());
      if (previous != null) {
        if (r.daysBefore() == previous.daysBefore()) {
          throw new IllegalArgumentException(
              "policy.reminders: two reminders at D-" + r.daysBefore());
        }
        if (r.daysBefore() > previous.daysBefore()) {
          throw new IllegalArgumentException(
              "policy.reminders must run from the earliest to the last: D-"
                  + r.daysBefore()
                  + " is listed after D-"
                  + previous.daysBefore());
        }
        if (BANNERS.indexOf(r.banner()) < BANNERS.indexOf(previous.banner())
            || DISMISSALS.indexOf(r.dismissal()) < DISMISSALS.indexOf(previous.dismissal())) {
          throw new IllegalArgumentException(
              "policy.reminders: reminder D-"
                  + r.daysBefore()
                  + " is less insistent than D-"
                  + previous.daysBefore()
                  + "; banners may only grow more insistent");
        }
      }
      previous = r;
    }
    requireRecipients("policy.expiry_notify", expiryNotify);
    requireRecipients("policy.lock_notify", lockNotify);
  }

  private static void requireOneOf(String key, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw new IllegalArgumentException(
          key + " must be one of " + String.join(", ", allowed) + "; found " + quoted(value));
    }
  }

  private static void requireRecipients(String key, List<String> names) {
    List<String> known = new ArrayList<>();
    for (String r : names) {
      requireOneOf(key, r, RECIPIENTS);
      known.add(r);
    }
    List<String> canonical = RECIPIENTS.stream().filter(known::contains).toList();
    if (!canonical.equals(known)) {
      throw new IllegalArgumentException(
          key
              + " must name each recipient once, in the order "
              + String.join(", ", RECIPIENTS)
              + "; found "
              + String.join(", ", known));
    }
  }

  private static String quoted(String s) {
    return s == null ? "nothing" : "\"" + s + "\"";
  }
}
