package dev.keyturn.cli.appliance;

import dev.keyturn.client.BannerView;
import dev.keyturn.client.ClientStanding;
import dev.keyturn.client.StandingFlag;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@code keyturn status --json}: the client's standing with stable, snake_case keys. Enum values
 * are the Java names ({@code FULL}, {@code CLOCK_ROLLBACK}), which scripts can match on; absent
 * values are {@code null}.
 *
 * @param summary the status line, e.g. {@code expires in 7 days} or {@code active, clock rollback}
 * @param stage the notice stage reached ({@code D-30}, {@code EXPIRY}, …), null when none
 * @param evaluatedAt the time licensing used: the high-water mark when the clock was turned back
 * @param clockTime what the clock said
 */
public record StatusView(
    String summary,
    String phase,
    String mode,
    String stage,
    long daysUntilExpiry,
    long daysUntilLock,
    String expiresAt,
    String locksAt,
    List<String> flags,
    List<String> notices,
    Banner banner,
    LicenseInfo license,
    String evaluatedAt,
    String clockTime,
    String nextChangeAt) {

  /**
   * The banner the product shows.
   *
   * @param display SHOWN, HIDDEN (dismissed; back at {@code hiddenUntil}), PILL or NONE
   * @param dismissal what dismissing it would do (the stage's rule)
   */
  public record Banner(
      String level,
      String text,
      String display,
      String dismissal,
      String hiddenUntil,
      String pillText) {

    static Banner of(BannerView b) {
      return new Banner(
          b.level().name(),
          b.text(),
          b.display().name(),
          b.dismissal().name(),
          iso(b.hiddenUntil()),
          b.pillText().isEmpty() ? null : b.pillText());
    }
  }

  static StatusView of(ClientStanding s) {
    return new StatusView(
        s.summary(),
        s.phase().name(),
        s.mode().name(),
        s.stageId().isEmpty() ? null : s.stageId(),
        s.daysUntilExpiry(),
        s.daysUntilLock(),
        iso(s.expiresAt()),
        iso(s.locksAt()),
        s.flags().stream().map(StandingFlag::name).toList(),
        s.notices(),
        Banner.of(s.banner()),
        s.license().map(LicenseInfo::of).orElse(null),
        s.evaluatedAt().toString(),
        s.clockTime().toString(),
        iso(s.nextChangeAt()));
  }

  private static String iso(Optional<Instant> instant) {
    return instant.map(Instant::toString).orElse(null);
  }
}
