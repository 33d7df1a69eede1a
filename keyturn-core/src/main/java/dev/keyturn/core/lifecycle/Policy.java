package dev.keyturn.core.lifecycle;

import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.license.PolicyRules;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Lifecycle rules as data: the reminder stages, who is told at each, the grace period and what
 * happens when it ends. Immutable; build custom ones with {@link #builder(String)}, or start from a
 * preset. Presets are just named policies.
 */
public final class Policy {
  public static final int MAX_GRACE_DAYS = LicensePolicy.MAX_GRACE_DAYS;

  /** Who hears of expiry and lock unless a policy says otherwise: the customer and webhooks. */
  public static final Set<Recipient> DEFAULT_NOTIFY =
      Collections.unmodifiableSet(EnumSet.of(Recipient.CUSTOMER, Recipient.WEBHOOK));

  /**
   * docs/design.md §4, the customer-friendly default: six notices, 60 days of full grace, then
   * lock.
   */
  public static final Policy APPLIANCE =
      builder("appliance")
          .reminder(30, BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE)
          .reminder(15, BannerLevel.WARNING, Dismissal.FOR_24H)
          .reminder(7, BannerLevel.WARNING, Dismissal.TO_PILL)
          .reminder(1, BannerLevel.DANGER, Dismissal.NOT_DISMISSIBLE)
          .grace(60, GraceMode.FULL)
          .lockAction(LockAction.LOCK)
          .build();

  /**
   * docs/design.md §4, self-serve monthly/annual: reminders at D-30, D-7, D-1, 7 days of read-only
   * grace, then suspension. The suspension is announced too, like the appliance's lock: nobody
   * should find out from a dead product.
   */
  public static final Policy SUBSCRIPTION =
      builder("subscription")
          .reminder(30, BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE)
          .reminder(7, BannerLevel.WARNING, Dismissal.TO_PILL)
          .reminder(1, BannerLevel.DANGER, Dismissal.NOT_DISMISSIBLE)
          .grace(7, GraceMode.READ_ONLY)
          .lockAction(LockAction.SUSPEND)
          .build();

  private final String name;
  private final List<Stage> stages;
  private final int graceDays;
  private final GraceMode graceMode;
  private final LockAction lockAction;
  private final List<Reminder> reminders;
  private final Set<Recipient> expiryNotify;
  private final Set<Recipient> lockNotify;

  private Policy(Builder b) {
    this.name = b.name;
    this.reminders = List.copyOf(b.reminders);
    this.graceDays = b.graceDays;
    this.graceMode = b.graceMode;
    this.lockAction = b.lockAction;
    this.expiryNotify = copyOf(b.expiryNotify);
    this.lockNotify = copyOf(b.lockNotify);
    List<Stage> s = new ArrayList<>();
    for (Reminder r : reminders) {
      s.add(
          new Stage(
              Stage.reminderId(r.daysBefore()),
              Duration.ofDays(-r.daysBefore()),
              Phase.EXPIRING,
              r.level(),
              r.dismissal(),
              r.recipients()));
    }
    s.add(
        new Stage(
            Stage.EXPIRY,
            Duration.ZERO,
            Phase.GRACE,
            BannerLevel.DANGER,
            Dismissal.NOT_DISMISSIBLE,
            expiryNotify));
    s.add(
        new Stage(
            Stage.LOCK,
            Duration.ofDays(graceDays),
            Phase.LOCKED,
            BannerLevel.LOCK,
            Dismissal.NOT_DISMISSIBLE,
            lockNotify));
    this.stages = List.copyOf(s);
  }

  private static Set<Recipient> copyOf(Collection<Recipient> r) {
    return Collections.unmodifiableSet(
        r.isEmpty() ? EnumSet.noneOf(Recipient.class) : EnumSet.copyOf(r));
  }

  /**
   * Who a reminder built without recipients tells: the customer and webhooks always, the account
   * team at D-15, support at D-7, and a renewal request at D-1 (docs/design.md §4).
   */
  public static Set<Recipient> defaultNotify(int daysBefore) {
    EnumSet<Recipient> r = EnumSet.of(Recipient.CUSTOMER, Recipient.WEBHOOK);
    switch (daysBefore) {
      case 15 -> r.add(Recipient.ACCOUNT_TEAM);
      case 7 -> r.add(Recipient.SUPPORT);
      case 1 -> r.add(Recipient.RENEWAL_REQUEST);
      default -> {}
    }
    return Collections.unmodifiableSet(r);
  }

  /** A preset by name: {@code appliance} or {@code subscription}. */
  public static Optional<Policy> preset(String name) {
    return switch (name) {
      case "appliance" -> Optional.of(APPLIANCE);
      case "subscription" -> Optional.of(SUBSCRIPTION);
      default -> Optional.empty();
    };
  }

  /**
   * The policy a license carries: the whole policy signed into a format-2 file, or its preset with
   * the grace it was signed with.
   */
  public static Policy forLicense(LicensePolicy p) {
    if (p.rules().isPresent()) {
      return fromRules(p.rules().get(), p.graceDays(), p.graceMode());
    }
    Policy base =
        preset(p.preset())
            .orElseThrow(
                () -> new IllegalArgumentException("unknown policy preset '" + p.preset() + "'"));
    return base.withGrace(p.graceDays(), p.graceMode());
  }

  private static Policy fromRules(PolicyRules rules, int graceDays, GraceMode graceMode) {
    Builder b =
        builder(rules.name())
            .grace(graceDays, graceMode)
            .lockAction(LockAction.valueOf(rules.lockAction().toUpperCase(Locale.ROOT)))
            .expiryNotify(parseRecipients(rules.expiryNotify()))
            .lockNotify(parseRecipients(rules.lockNotify()));
    for (PolicyRules.Reminder r : rules.reminders()) {
      b.reminder(
          r.daysBefore(),
          BannerLevel.valueOf(r.banner().toUpperCase(Locale.ROOT)),
          Dismissal.valueOf(r.dismissal().toUpperCase(Locale.ROOT).replace('-', '_')),
          parseRecipients(r.recipients()));
    }
    return b.build();
  }

  private static Set<Recipient> parseRecipients(List<String> names) {
    EnumSet<Recipient> out = EnumSet.noneOf(Recipient.class);
    for (String n : names) {
      out.add(
          Recipient.fromTomlName(n)
              .orElseThrow(() -> new IllegalArgumentException("unknown recipient '" + n + "'")));
    }
    return out;
  }

  /**
   * What a license issued under this policy carries: a preset by name when this is a preset (with
   * any grace), so the file stays format 1 and every reader understands it; otherwise the whole
   * policy, format 2.
   */
  public LicensePolicy toLicensePolicy() {
    Optional<Policy> preset = preset(name);
    if (preset.isPresent() && preset.get().withGrace(graceDays, graceMode).equals(this)) {
      return new LicensePolicy(name, graceDays, graceMode);
    }
    List<PolicyRules.Reminder> rs = new ArrayList<>();
    for (Reminder r : reminders) {
      rs.add(
          new PolicyRules.Reminder(
              r.daysBefore(),
              r.level().name().toLowerCase(Locale.ROOT),
              r.dismissal().name().toLowerCase(Locale.ROOT).replace('_', '-'),
              names(r.recipients())));
    }
    PolicyRules rules =
        new PolicyRules(
            name,
            lockAction.name().toLowerCase(Locale.ROOT),
            rs,
            names(expiryNotify),
            names(lockNotify));
    return LicensePolicy.custom(rules, graceDays, graceMode);
  }

  private static List<String> names(Set<Recipient> recipients) {
    return recipients.stream().map(Recipient::tomlName).toList();
  }

  public Policy withGrace(int days, GraceMode mode) {
    if (days == graceDays && mode == graceMode) {
      return this;
    }
    return toBuilder(name).grace(days, mode).build();
  }

  /** A builder holding this policy's rules under another name, e.g. to derive a custom policy. */
  public Builder toBuilder(String newName) {
    Builder b =
        builder(newName)
            .grace(graceDays, graceMode)
            .lockAction(lockAction)
            .expiryNotify(expiryNotify)
            .lockNotify(lockNotify);
    reminders.forEach(r -> b.reminder(r.daysBefore(), r.level(), r.dismissal(), r.recipients()));
    return b;
  }

  /** The reminders, from the earliest. */
  public List<Reminder> reminders() {
    return reminders;
  }

  public Set<Recipient> expiryNotify() {
    return expiryNotify;
  }

  public Set<Recipient> lockNotify() {
    return lockNotify;
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  /**
   * Every stage in the order it is reached; a later stage is never less severe than an earlier one.
   */
  public List<Stage> stages() {
    return stages;
  }

  public Optional<Stage> stage(String id) {
    return stages.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  public int graceDays() {
    return graceDays;
  }

  public GraceMode graceMode() {
    return graceMode;
  }

  public LockAction lockAction() {
    return lockAction;
  }

  public Duration gracePeriod() {
    return Duration.ofDays(graceDays);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Policy p
        && name.equals(p.name)
        && reminders.equals(p.reminders)
        && graceDays == p.graceDays
        && graceMode == p.graceMode
        && lockAction == p.lockAction
        && expiryNotify.equals(p.expiryNotify)
        && lockNotify.equals(p.lockNotify);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        name, reminders, graceDays, graceMode, lockAction, expiryNotify, lockNotify);
  }

  @Override
  public String toString() {
    return "Policy["
        + name
        + ", reminders "
        + reminders
        + ", grace "
        + graceDays
        + "d "
        + graceMode
        + ", then "
        + lockAction
        + "]";
  }

  /** A reminder stage {@code daysBefore} days before expiry, and who is told then. */
  public record Reminder(
      int daysBefore, BannerLevel level, Dismissal dismissal, Set<Recipient> recipients) {
    public Reminder {
      Objects.requireNonNull(level, "level");
      Objects.requireNonNull(dismissal, "dismissal");
      recipients = copyOf(recipients);
    }
  }

  /** Validates on build, so every policy keeps the rule that standing only grows more severe. */
  public static final class Builder {
    private final String name;
    private final List<Reminder> reminders = new ArrayList<>();
    private int graceDays = 0;
    private GraceMode graceMode = GraceMode.FULL;
    private LockAction lockAction = LockAction.LOCK;
    private Set<Recipient> expiryNotify = DEFAULT_NOTIFY;
    private Set<Recipient> lockNotify = DEFAULT_NOTIFY;

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a policy needs a name");
      }
      this.name = name;
    }

    /** A reminder telling who {@link #defaultNotify} says for its day. */
    public Builder reminder(int daysBefore, BannerLevel level, Dismissal dismissal) {
      return reminder(daysBefore, level, dismissal, defaultNotify(daysBefore));
    }

    public Builder reminder(
        int daysBefore, BannerLevel level, Dismissal dismissal, Set<Recipient> recipients) {
      reminders.add(new Reminder(daysBefore, level, dismissal, recipients));
      return this;
    }

    public Builder expiryNotify(Set<Recipient> notify) {
      this.expiryNotify = Objects.requireNonNull(notify, "notify");
      return this;
    }

    public Builder lockNotify(Set<Recipient> notify) {
      this.lockNotify = Objects.requireNonNull(notify, "notify");
      return this;
    }

    public Builder grace(int days, GraceMode mode) {
      this.graceDays = days;
      this.graceMode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    public Builder lockAction(LockAction action) {
      this.lockAction = Objects.requireNonNull(action, "action");
      return this;
    }

    public Policy build() {
      if (reminders.size() > PolicyRules.MAX_REMINDERS) {
        throw new IllegalArgumentException(
            "a policy has at most "
                + PolicyRules.MAX_REMINDERS
                + " reminders, found "
                + reminders.size());
      }
      if (graceDays < 0 || graceDays > MAX_GRACE_DAYS) {
        throw new IllegalArgumentException(
            "grace days must be 0 to " + MAX_GRACE_DAYS + ", was " + graceDays);
      }
      reminders.sort(Comparator.comparingInt(Reminder::daysBefore).reversed());
      Reminder previous = null;
      for (Reminder r : reminders) {
        if (r.daysBefore() < 1 || r.daysBefore() > 365) {
          throw new IllegalArgumentException(
              "a reminder must be 1 to 365 days before expiry, was " + r.daysBefore());
        }
        if (r.level() == BannerLevel.NONE || r.level() == BannerLevel.LOCK) {
          throw new IllegalArgumentException(
              "a reminder banner is INFO, WARNING or DANGER, was " + r.level());
        }
        if (r.dismissal() == Dismissal.NONE) {
          throw new IllegalArgumentException("a reminder banner needs a dismissal rule, was NONE");
        }
        if (previous != null) {
          if (previous.daysBefore() == r.daysBefore()) {
            throw new IllegalArgumentException("two reminders at D-" + r.daysBefore());
          }
          if (r.level().compareTo(previous.level()) < 0
              || r.dismissal().compareTo(previous.dismissal()) < 0) {
            throw new IllegalArgumentException(
                "reminder D-"
                    + r.daysBefore()
                    + " is less insistent than D-"
                    + previous.daysBefore()
                    + "; banners may only grow more insistent");
          }
        }
        previous = r;
      }
      return new Policy(this);
    }
  }
}
