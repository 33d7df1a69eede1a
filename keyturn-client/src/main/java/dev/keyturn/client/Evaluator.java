package dev.keyturn.client;

import dev.keyturn.client.guard.GuardedTime;
import dev.keyturn.client.store.PersistentState;
import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.Banner;
import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.core.lifecycle.Usage;
import dev.keyturn.core.lifecycle.UsageLevel;
import dev.keyturn.core.lifecycle.UsageStanding;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Builds the standing and the hot-path snapshot from the license in force, the guarded time and the
 * persisted state. A pure function: everything it needs is passed in.
 */
final class Evaluator {
  static final Duration DISMISS_FOR = Duration.ofHours(24);
  static final String NO_LICENSE_TEXT =
      "No license is installed. Paste the license file from your vendor to start.";
  static final String DEFAULT_PAYMENT_TEXT =
      "Your last payment failed: update your payment details to keep the subscription active.";

  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("d MMM uuuu, HH:mm z", Locale.ENGLISH);

  private Evaluator() {}

  record Evaluation(ClientStanding standing, Snapshot snapshot) {}

  /**
   * @param license the license in force, or (when none is yet) the next to start
   * @param nextActivation when another installed license starts, which may change which is in force
   * @param sessionFlags flags this process found on its own (STATE_RESET)
   * @param usage the usage the product last reported
   */
  static Evaluation evaluate(
      Optional<InstalledLicense> license,
      Optional<Instant> nextActivation,
      GuardedTime time,
      PersistentState state,
      Set<StandingFlag> sessionFlags,
      Map<String, Long> usage,
      ZoneId zone) {
    Instant at = time.effective();
    EnumSet<StandingFlag> flags = EnumSet.noneOf(StandingFlag.class);
    flags.addAll(sessionFlags);
    if (time.rollback()) {
      flags.add(StandingFlag.CLOCK_ROLLBACK);
    }
    if (license.isEmpty()) {
      flags.add(StandingFlag.NO_LICENSE);
      List<String> notices = notices(flags, time, state, zone, Optional.empty());
      BannerView banner =
          new BannerView(
              BannerLevel.LOCK,
              Dismissal.NOT_DISMISSIBLE,
              String.join(" ", notices),
              BannerDisplay.SHOWN,
              Optional.empty(),
              "",
              "");
      ClientStanding standing =
          new ClientStanding(
              Optional.empty(),
              Optional.empty(),
              Phase.LOCKED,
              Mode.LOCKED,
              summary(flags, Phase.LOCKED, null, at, zone),
              0,
              0,
              flags,
              notices,
              banner,
              at,
              time.clock(),
              nextActivation,
              UsageStanding.NONE);
      return new Evaluation(
          standing, new Snapshot(Mode.LOCKED, List.of(), Map.of(), 0, nextActivation.orElse(null)));
    }

    License lic = license.get().license();
    Standing lifecycle = Lifecycle.evaluate(lic, at, Policy.forLicense(lic.policy()), zone);
    Optional<String> revocation = state.revocationReason(lic.id());
    revocation.ifPresent(r -> flags.add(StandingFlag.REVOKED));
    state.paymentFailingMessage().ifPresent(m -> flags.add(StandingFlag.PAYMENT_FAILING));
    if (state.instanceConflict()) {
      flags.add(StandingFlag.INSTANCE_CONFLICT);
    }
    UsageStanding usageStanding =
        revocation.isPresent() ? UsageStanding.NONE : Usage.evaluate(lic, usage);
    switch (usageStanding.level()) {
      case OVER_LIMIT -> flags.add(StandingFlag.USAGE_OVER_LIMIT);
      case OVER_ALLOWANCE -> flags.add(StandingFlag.USAGE_OVER_ALLOWANCE);
      case WITHIN -> {
        // nothing to say
      }
    }
    List<String> notices = notices(flags, time, state, zone, Optional.of(lic));
    usageStanding.exceeded().forEach(l -> notices.add(l.text()));

    Phase phase = revocation.isPresent() ? Phase.LOCKED : lifecycle.phase();
    Mode mode = revocation.isPresent() ? Mode.LOCKED : lifecycle.mode();
    BannerView banner;
    if (revocation.isPresent()) {
      banner =
          new BannerView(
              BannerLevel.LOCK,
              Dismissal.NOT_DISMISSIBLE,
              String.join(" ", notices),
              BannerDisplay.SHOWN,
              Optional.empty(),
              "",
              lifecycle.stageId());
    } else {
      BannerLevel floor =
          usageStanding.level() == UsageLevel.OVER_ALLOWANCE
              ? BannerLevel.DANGER
              : BannerLevel.WARNING;
      banner = withNotices(lifecycleBanner(lic, lifecycle, state, at), notices, floor);
    }
    Optional<Instant> nextChange =
        Stream.of(
                revocation.isPresent() ? Optional.<Instant>empty() : lifecycle.nextChangeAt(),
                banner.display() == BannerDisplay.HIDDEN
                    ? banner.hiddenUntil()
                    : Optional.<Instant>empty(),
                nextActivation)
            .flatMap(Optional::stream)
            .min(Instant::compareTo);
    ClientStanding standing =
        new ClientStanding(
            Optional.of(lic),
            Optional.of(lifecycle),
            phase,
            mode,
            summary(flags, phase, lifecycle, at, zone),
            lifecycle.daysUntilExpiry(),
            lifecycle.daysUntilLock(),
            flags,
            notices,
            banner,
            at,
            time.clock(),
            nextChange,
            usageStanding);
    Snapshot snapshot =
        new Snapshot(
            mode,
            lic.features(),
            Limits.all(lic),
            LicenseManager.UNLIMITED,
            nextChange.orElse(null));
    return new Evaluation(standing, snapshot);
  }

  /** The stage's banner, after the user's dismissal of it (docs/design.md §4's dismissal rules). */
  private static BannerView lifecycleBanner(
      License license, Standing lifecycle, PersistentState state, Instant at) {
    Banner banner = lifecycle.banner();
    if (banner.level() == BannerLevel.NONE) {
      return BannerView.NONE;
    }
    String stageId = lifecycle.stageId();
    Optional<Instant> dismissedAt = state.dismissedAt(license.id(), stageId);
    BannerDisplay display = BannerDisplay.SHOWN;
    Optional<Instant> hiddenUntil = Optional.empty();
    String pill = "";
    if (dismissedAt.isPresent()) {
      switch (banner.dismissal()) {
        case UNTIL_NEXT_STAGE -> {
          display = BannerDisplay.HIDDEN;
          hiddenUntil = lifecycle.nextTransitionAt();
        }
        case FOR_24H -> {
          Instant until = dismissedAt.get().plus(DISMISS_FOR);
          if (at.isBefore(until)) {
            display = BannerDisplay.HIDDEN;
            hiddenUntil = Optional.of(until);
          }
        }
        case TO_PILL -> {
          display = BannerDisplay.PILL;
          pill = pillText(lifecycle.daysUntilExpiry());
        }
        case NONE, NOT_DISMISSIBLE -> {
          // Cannot have been dismissed; show it.
        }
      }
    }
    return new BannerView(
        banner.level(), banner.dismissal(), banner.text(), display, hiddenUntil, pill, stageId);
  }

  /**
   * Flags speak over the stage banner, at least at {@code floor} (a warning; danger for usage over
   * its allowance), and cannot be dismissed.
   */
  private static BannerView withNotices(
      BannerView banner, List<String> notices, BannerLevel floor) {
    if (notices.isEmpty()) {
      return banner;
    }
    BannerLevel level = banner.level().compareTo(floor) >= 0 ? banner.level() : floor;
    String text = String.join(" ", notices) + (banner.text().isEmpty() ? "" : " " + banner.text());
    return new BannerView(
        level,
        Dismissal.NOT_DISMISSIBLE,
        text,
        BannerDisplay.SHOWN,
        Optional.empty(),
        "",
        banner.stageId());
  }

  private static List<String> notices(
      Set<StandingFlag> flags,
      GuardedTime time,
      PersistentState state,
      ZoneId zone,
      Optional<License> license) {
    List<String> out = new ArrayList<>();
    if (flags.contains(StandingFlag.NO_LICENSE)) {
      out.add(NO_LICENSE_TEXT);
    }
    if (flags.contains(StandingFlag.REVOKED)) {
      String id = license.map(License::id).orElse("");
      out.add(
          "The vendor revoked license "
              + id
              + " ("
              + state.revocationReason(id).orElse("no reason given")
              + "). Paste a new license to continue; none of your data has been touched.");
    }
    if (flags.contains(StandingFlag.CLOCK_ROLLBACK)) {
      out.add(
          "The system clock says "
              + DATE_TIME.format(time.clock().atZone(zone))
              + ", "
              + humanize(time.behind())
              + " behind the latest time this product has seen ("
              + DATE_TIME.format(time.effective().atZone(zone))
              + "). Licensing continues from that time; please correct the system clock.");
    }
    if (flags.contains(StandingFlag.PAYMENT_FAILING)) {
      out.add(state.paymentFailingMessage().orElse(DEFAULT_PAYMENT_TEXT));
    }
    if (flags.contains(StandingFlag.INSTANCE_CONFLICT)) {
      out.add(
          "The vendor's server reports that another installation uses this license;"
              + " contact your vendor if that is unexpected.");
    }
    return out;
  }

  private static String summary(
      Set<StandingFlag> flags, Phase phase, Standing lifecycle, Instant at, ZoneId zone) {
    String base;
    if (flags.contains(StandingFlag.NO_LICENSE)) {
      base = "no license";
    } else if (flags.contains(StandingFlag.REVOKED)) {
      base = "locked: license revoked";
    } else {
      base =
          switch (phase) {
            case NOT_YET_VALID -> "not yet valid";
            case ACTIVE -> "active";
            case EXPIRING -> expiresIn(lifecycle, at, zone);
            case GRACE -> "grace: " + days(lifecycle.daysUntilLock()) + " before lock";
            case LOCKED -> "locked";
          };
    }
    return flags.contains(StandingFlag.CLOCK_ROLLBACK) ? base + ", clock rollback" : base;
  }

  private static String expiresIn(Standing lifecycle, Instant at, ZoneId zone) {
    if (lifecycle.daysUntilExpiry() > 1) {
      return "expires in " + days(lifecycle.daysUntilExpiry());
    }
    // The last 24 hours: by the viewer's calendar, as the banner says it.
    boolean today =
        lifecycle.expiresAt().atZone(zone).toLocalDate().equals(at.atZone(zone).toLocalDate());
    return today ? "expires today" : "expires tomorrow";
  }

  private static String days(long n) {
    return n == 1 ? "1 day" : n + " days";
  }

  private static String pillText(long daysUntilExpiry) {
    return daysUntilExpiry == 1 ? "Expires in 1 day" : "Expires in " + daysUntilExpiry + " days";
  }

  static String humanize(Duration d) {
    long days = d.toDays();
    if (days >= 2) {
      return days + " days";
    }
    long hours = d.toHours();
    if (hours >= 2) {
      return hours + " hours";
    }
    return Math.max(1, d.toMinutes()) + " minutes";
  }
}
