package dev.keyturn.core.lifecycle;

import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.LicensePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Lifecycle rules as data: the reminder stages, the grace period and what happens when it ends.
 * Immutable; build custom ones with {@link #builder(String)}, or start from a preset. Presets are
 * just named policies.
 */
public final class Policy {
  public static final int MAX_GRACE_DAYS = 3650;

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

  private Policy(Builder b) {
    this.name = b.name;
    this.reminders = List.copyOf(b.reminders);
    this.graceDays = b.graceDays;
    this.graceMode = b.graceMode;
    this.lockAction = b.lockAction;
    List<Stage> s = new ArrayList<>();
    for (Reminder r : reminders) {
      s.add(
          new Stage(
              Stage.reminderId(r.daysBefore()),
              Duration.ofDays(-r.daysBefore()),
              Phase.EXPIRING,
              r.level(),
              r.dismissal(),
              true));
    }
    s.add(
        new Stage(
            Stage.EXPIRY,
            Duration.ZERO,
            Phase.GRACE,
            BannerLevel.DANGER,
            Dismissal.NOT_DISMISSIBLE,
            true));
    s.add(
        new Stage(
            Stage.LOCK,
            Duration.ofDays(graceDays),
            Phase.LOCKED,
            BannerLevel.LOCK,
            Dismissal.NOT_DISMISSIBLE,
            true));
    this.stages = List.copyOf(s);
  }

  /** A preset by name: {@code appliance} or {@code subscription}. */
  public static Optional<Policy> preset(String name) {
    return switch (name) {
      case "appliance" -> Optional.of(APPLIANCE);
      case "subscription" -> Optional.of(SUBSCRIPTION);
      default -> Optional.empty();
    };
  }

  /** The policy a license carries: its preset with the grace it was signed with. */
  public static Policy forLicense(LicensePolicy p) {
    Policy base =
        preset(p.preset())
            .orElseThrow(
                () -> new IllegalArgumentException("unknown policy preset '" + p.preset() + "'"));
    return base.withGrace(p.graceDays(), p.graceMode());
  }

  public Policy withGrace(int days, GraceMode mode) {
    if (days == graceDays && mode == graceMode) {
      return this;
    }
    Builder b = builder(name).grace(days, mode).lockAction(lockAction);
    reminders.forEach(r -> b.reminder(r.daysBefore(), r.level(), r.dismissal()));
    return b.build();
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
        && lockAction == p.lockAction;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, reminders, graceDays, graceMode, lockAction);
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

  /** A reminder stage {@code daysBefore} days before expiry. */
  public record Reminder(int daysBefore, BannerLevel level, Dismissal dismissal) {}

  /** Validates on build, so every policy keeps the rule that standing only grows more severe. */
  public static final class Builder {
    private final String name;
    private final List<Reminder> reminders = new ArrayList<>();
    private int graceDays = 0;
    private GraceMode graceMode = GraceMode.FULL;
    private LockAction lockAction = LockAction.LOCK;

    private Builder(String name) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a policy needs a name");
      }
      this.name = name;
    }

    public Builder reminder(int daysBefore, BannerLevel level, Dismissal dismissal) {
      reminders.add(new Reminder(daysBefore, level, dismissal));
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
