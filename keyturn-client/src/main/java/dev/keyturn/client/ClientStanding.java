package dev.keyturn.client;

import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.core.lifecycle.UsageStanding;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything {@code keyturn status} or a product's license page shows: the lifecycle standing of
 * the license in force (core's {@link dev.keyturn.core.lifecycle.Lifecycle#evaluate}, at the
 * guarded time), the client's flags, and the banner after dismissals.
 *
 * <p>{@code phase} and {@code mode} are the final word, flags included: a revoked license or none
 * at all is {@link Phase#LOCKED} / {@link Mode#LOCKED} even though {@code lifecycle} may say
 * otherwise.
 *
 * @param license the license in force: the newest valid installed one (see {@link LicenseManager})
 * @param lifecycle core's standing for it; empty when no license is installed
 * @param summary a few words for a status line, in the viewer's zone: {@code active}, {@code
 *     expires in 12 days}, {@code expires tomorrow}, {@code grace: 40 days before lock}, {@code
 *     locked}, {@code locked: license revoked}, {@code no license}, {@code not yet valid}; with
 *     {@code , clock rollback} appended when flagged
 * @param daysUntilExpiry whole days left, rounded up; 0 without a license
 * @param daysUntilLock whole days until grace ends, rounded up; 0 without a license
 * @param flags in declaration order of {@link StandingFlag}
 * @param notices one sentence per flag, most serious first (also part of the banner text)
 * @param evaluatedAt the guarded time licensing used (the high-water mark when the clock is behind)
 * @param clockTime what the clock said
 * @param nextChangeAt when this standing next changes, in guarded time; empty when only an install
 *     or a check-in can change it
 * @param usage the usage standing of each limit the product last reported ({@link
 *     LicenseManager#reportUsage}) against the license in force; {@link UsageStanding#NONE} when
 *     nothing was reported or no license is in force
 */
public record ClientStanding(
    Optional<License> license,
    Optional<Standing> lifecycle,
    Phase phase,
    Mode mode,
    String summary,
    long daysUntilExpiry,
    long daysUntilLock,
    Set<StandingFlag> flags,
    List<String> notices,
    BannerView banner,
    Instant evaluatedAt,
    Instant clockTime,
    Optional<Instant> nextChangeAt,
    UsageStanding usage) {

  public ClientStanding {
    // Declaration order, most serious first, so that tools list flags the same way every time.
    flags = flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
    notices = List.copyOf(notices);
    usage = usage == null ? UsageStanding.NONE : usage;
  }

  public boolean has(StandingFlag flag) {
    return flags.contains(flag);
  }

  public Optional<Instant> expiresAt() {
    return license.map(License::expiresAt);
  }

  public Optional<Instant> locksAt() {
    return lifecycle.map(Standing::locksAt);
  }

  /** The stage id ({@code D-30}, {@code EXPIRY}, …), empty when none. */
  public String stageId() {
    return lifecycle.map(Standing::stageId).orElse("");
  }
}
