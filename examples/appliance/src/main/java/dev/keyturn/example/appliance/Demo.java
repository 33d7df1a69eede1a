package dev.keyturn.example.appliance;

import dev.keyturn.client.ClientStanding;
import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.SettableClock;
import dev.keyturn.core.crypto.KeyFiles;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Demo mode: a vendor key made on the spot, a license that expires in 31 days, and a clock the
 * person trying the demo moves forward through the stages. The clock is a {@link SettableClock}, so
 * the license manager's clock-rollback guard sees time passing, not a clock being set.
 */
public final class Demo {
  public static final String KEY_ID = "demo";
  public static final Duration FIRST_LICENSE = Duration.ofDays(31);
  public static final Duration RENEWAL = Duration.ofDays(365);
  public static final String CUSTOMER = "Demo Customer Inc.";

  private final SettableClock clock;
  private final SigningKey signing;
  private final KeyRing ring;
  private final String preset;
  private final AtomicInteger issued = new AtomicInteger();
  private LicenseManager licenses;

  private Demo(SettableClock clock, SigningKey signing, KeyRing ring, String preset) {
    this.clock = clock;
    this.signing = signing;
    this.ring = ring;
    this.preset = preset;
  }

  /**
   * Writes a fresh vendor key pair to {@code keysDir} (kept there so the {@code keyturn} CLI can
   * issue licenses for this demo too).
   *
   * @param preset {@code appliance} or {@code subscription}
   */
  public static Demo create(SettableClock clock, Path keysDir, String preset) {
    if (Policy.preset(preset).isEmpty()) {
      throw new IllegalArgumentException(
          "preset must be appliance or subscription, was '" + preset + "'");
    }
    KeyFiles.Written keys = KeyFiles.generate(KEY_ID, keysDir);
    SigningKey signing = SigningKey.read(keys.privateKey(), KEY_ID);
    KeyRing ring = KeyRing.builder().addPath(keys.publicKey()).build();
    return new Demo(clock, signing, ring, preset);
  }

  public KeyRing trustedKeys() {
    return ring;
  }

  public SettableClock clock() {
    return clock;
  }

  public String preset() {
    return preset;
  }

  /** Installs the first license unless one is in force already. */
  void attach(LicenseManager licenses) {
    this.licenses = licenses;
    if (licenses.standing().license().isEmpty()) {
      licenses.install(firstLicense());
    }
  }

  /** A license that started yesterday and expires {@link #FIRST_LICENSE} from now. */
  public String firstLicense() {
    Instant now = clock.instant();
    return sign(now.minus(Duration.ofDays(1)), now.plus(FIRST_LICENSE));
  }

  /** A renewal for a year from now, as the vendor would send it. */
  public String renewal() {
    Instant now = clock.instant();
    return sign(now.minus(Duration.ofHours(1)), now.plus(RENEWAL));
  }

  /** A renewal with the customer's name changed after signing: its signature no longer holds. */
  public String tamperedRenewal() {
    return renewal().replace("customer = \"" + CUSTOMER + "\"", "customer = \"Someone Else\"");
  }

  private String sign(Instant notBefore, Instant expiresAt) {
    Policy policy = Policy.preset(preset).orElseThrow();
    int n = issued.incrementAndGet();
    License license =
        License.builder()
            .id(String.format("lic_demo_%04d", n))
            .subscriptionId("sub_demo_0001")
            .customer(CUSTOMER)
            .tier("standard")
            .seats(25)
            .feature("notes")
            .limit("users", 25)
            // Small, so the demo reaches the overage warning (11, 12 notes) and refusal (13).
            .limit(NotesServlet.LIMIT, 10)
            .overagePercent(NotesServlet.LIMIT, 20)
            .issuedAt(clock.instant())
            .notBefore(notBefore)
            .expiresAt(expiresAt)
            .policy(new LicensePolicy(preset, policy.graceDays(), policy.graceMode()))
            .build();
    return signing.sign(license).toToml();
  }

  /** Lets {@code days} pass. */
  public void advanceDays(int days) {
    if (days < 1 || days > 800) {
      throw new IllegalArgumentException("move the clock 1 to 800 days at a time, not " + days);
    }
    advance(Duration.ofDays(days));
  }

  /** Lets time pass. */
  public void advance(Duration d) {
    clock.advance(d);
    licenses.refresh();
  }

  /** Sets the clock back, as someone hoping to stretch the license would. */
  public void turnBack(Duration d) {
    clock.set(clock.instant().minus(d));
    licenses.refresh();
  }

  /** A stage of the license in force that lies ahead, with when it starts. */
  public record Milestone(String id, String label, Instant startsAt) {}

  /** The stages still ahead, in order: each reminder, expiry, lock. */
  public List<Milestone> milestones() {
    ClientStanding s = licenses.standing();
    List<Milestone> out = new ArrayList<>();
    Optional<License> license = s.license();
    if (license.isEmpty()) {
      return out;
    }
    Policy policy = Policy.forLicense(license.get().policy());
    for (Stage stage : policy.stages()) {
      Instant at = stage.startsAt(license.get().expiresAt());
      if (at.isAfter(s.evaluatedAt())) {
        out.add(new Milestone(stage.id(), label(stage), at));
      }
    }
    return out;
  }

  /** Jumps just past the start of stage {@code id} (a minute in, so that it has surely begun). */
  public void jumpTo(String id) {
    Milestone m =
        milestones().stream()
            .filter(x -> x.id().equals(id))
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("stage " + id + " is not ahead any more"));
    advance(Duration.between(clock.instant(), m.startsAt()).plus(Duration.ofMinutes(1)));
  }

  private static String label(Stage stage) {
    return switch (stage.id()) {
      case Stage.EXPIRY -> "Expiry";
      case Stage.LOCK -> "Lock";
      default -> stage.id();
    };
  }
}
