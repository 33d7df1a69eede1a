package dev.keyturn.client;

import static dev.keyturn.client.Fixtures.EXPIRES;
import static dev.keyturn.client.Fixtures.MID_YEAR;
import static dev.keyturn.client.Fixtures.acme;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.client.store.LicenseFiles;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.lifecycle.Phase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallTest {
  @TempDir Path dir;
  final Fixtures.Keys keys = Fixtures.keys("2026-a");
  final SettableClock clock = new SettableClock(MID_YEAR);
  final AtomicReference<Map<String, Long>> usage = new AtomicReference<>(Map.of());

  LicenseManager manager() {
    return Fixtures.manager(dir, keys, clock).usage(usage::get).build();
  }

  @Test
  void starts_locked_and_says_no_license_is_installed() {
    try (LicenseManager m = manager()) {
      ClientStanding s = m.standing();
      assertThat(m.mode()).isEqualTo(Mode.LOCKED);
      assertThat(m.allows("sso")).isFalse();
      assertThat(s.phase()).isEqualTo(Phase.LOCKED);
      assertThat(s.flags()).containsExactly(StandingFlag.NO_LICENSE);
      assertThat(s.banner().text()).contains("No license is installed");
    }
  }

  @Test
  void installs_a_valid_license_and_unlocks_without_restart() {
    try (LicenseManager m = manager()) {
      InstallResult r = m.install(keys.sign(acme().build()));

      assertThat(r.code()).as(r.message()).isEqualTo(VerificationCode.VALID);
      assertThat(r.inForce()).isTrue();
      assertThat(m.mode()).isEqualTo(Mode.FULL);
      assertThat(m.allows("sso")).isTrue();
      assertThat(m.standing().phase()).isEqualTo(Phase.ACTIVE);
      assertThat(m.standing().license().orElseThrow().id()).isEqualTo("lic_01JD3ACME");
    }
  }

  @Test
  void installed_license_survives_a_restart() {
    try (LicenseManager m = manager()) {
      m.install(keys.sign(acme().build()));
    }
    try (LicenseManager m = manager()) {
      assertThat(m.mode()).isEqualTo(Mode.FULL);
      assertThat(m.allows("audit-export")).isTrue();
    }
  }

  @Test
  void install_from_a_file_keeps_the_text_as_sent() throws IOException {
    String text = keys.sign(acme().build()).replace("\n", "\r\n");
    Path file = Files.writeString(dir.resolveSibling(dir.getFileName() + ".license.toml"), text);
    try (LicenseManager m = manager()) {
      assertThat(m.install(file).installed()).isTrue();
    }
    try (Stream<Path> stored = Files.list(dir.resolve(LicenseFiles.DIR))) {
      Path only = stored.toList().get(0);
      assertThat(Files.readString(only)).isEqualTo(text);
    }
    Files.delete(file);
  }

  @Test
  void rejects_a_missing_file_as_malformed() {
    try (LicenseManager m = manager()) {
      InstallResult r = m.install(dir.resolve("nowhere.license.toml"));
      assertThat(r.code()).isEqualTo(VerificationCode.MALFORMED);
      assertThat(r.message()).contains("no such file");
    }
  }

  @Test
  void rejects_text_that_is_not_a_license_as_malformed() {
    assertRejectedLeavingInstalledUntouched("hello", VerificationCode.MALFORMED, "TOML");
  }

  @Test
  void rejects_a_newer_file_format_as_unsupported() {
    String text = keys.sign(acme().id("lic_other").build()).replace("format = 1", "format = 3");
    assertRejectedLeavingInstalledUntouched(text, VerificationCode.UNSUPPORTED_FORMAT, "format 3");
  }

  @Test
  void rejects_license_signed_by_unknown_key() {
    String text = Fixtures.keys("2030-z").sign(acme().id("lic_other").build());
    assertRejectedLeavingInstalledUntouched(text, VerificationCode.UNKNOWN_KEY_ID, "2030-z");
  }

  @Test
  void rejects_license_whose_contents_were_edited() {
    String text = keys.sign(acme().id("lic_other").build()).replace("seats = 250", "seats = 9999");
    assertRejectedLeavingInstalledUntouched(text, VerificationCode.SIGNATURE_MISMATCH, "signature");
  }

  @Test
  void rejects_license_that_is_not_yet_valid() {
    String text =
        keys.sign(
            acme()
                .id("lic_later")
                .notBefore(MID_YEAR.plus(Duration.ofDays(10)))
                .expiresAt(EXPIRES.plus(Duration.ofDays(400)))
                .build());
    assertRejectedLeavingInstalledUntouched(text, VerificationCode.NOT_YET_VALID, "becomes valid");
  }

  @Test
  void rejects_license_that_has_expired() {
    String text =
        keys.sign(
            acme()
                .id("lic_old")
                .issuedAt(Instant.parse("2025-01-01T00:00:00Z"))
                .notBefore(Instant.parse("2025-01-01T00:00:00Z"))
                .expiresAt(Instant.parse("2026-01-01T00:00:00Z"))
                .build());
    assertRejectedLeavingInstalledUntouched(text, VerificationCode.EXPIRED, "expired");
  }

  @Test
  void rejects_license_for_another_instance() {
    String text = keys.sign(acme().id("lic_other").instanceDomain("other.example").build());
    assertRejectedLeavingInstalledUntouched(
        text, VerificationCode.INSTANCE_MISMATCH, "other.example");
  }

  @Test
  void refuses_a_downgrade_below_current_usage_naming_each_limit() {
    usage.set(Map.of("users", 200L, "devices", 4000L, "seats", 240L));
    String smaller =
        keys.sign(Fixtures.renewal().seats(100).limit("users", 150).limit("devices", 3000).build());
    clock.set(EXPIRES.minus(Duration.ofDays(10)));
    InstallResult r =
        assertRejectedLeavingInstalledUntouched(
            smaller,
            VerificationCode.USAGE_EXCEEDS_LIMITS,
            "users: 200 in use, the new license allows 150");

    assertThat(r.excesses())
        .containsExactly(
            new LimitExcess("devices", 4000, 3000),
            new LimitExcess("seats", 240, 100),
            new LimitExcess("users", 200, 150));
    assertThat(r.message()).contains("devices: 4000 in use").contains("seats: 240 in use");
  }

  @Test
  void accepts_a_downgrade_that_fits_current_usage() {
    try (LicenseManager m = manager()) {
      m.install(keys.sign(acme().build()));
      clock.set(EXPIRES.minus(Duration.ofDays(10)));
      usage.set(Map.of("users", 100L));
      InstallResult r = m.install(keys.sign(Fixtures.renewal().limit("users", 150).build()));

      assertThat(r.code()).as(r.message()).isEqualTo(VerificationCode.VALID);
      assertThat(m.limit("users")).isEqualTo(150);
    }
  }

  @Test
  void accepts_an_upgrade_even_when_usage_is_already_above_it() {
    try (LicenseManager m = manager()) {
      m.install(keys.sign(acme().build()));
      clock.set(EXPIRES.minus(Duration.ofDays(10)));
      usage.set(Map.of("users", 400L));
      InstallResult r = m.install(keys.sign(Fixtures.renewal().limit("users", 300).build()));

      assertThat(r.code()).as(r.message()).isEqualTo(VerificationCode.VALID);
      assertThat(m.limit("users")).isEqualTo(300);
    }
  }

  @Test
  void installing_from_the_locked_state_unlocks_at_once() {
    try (LicenseManager m = manager()) {
      m.install(keys.sign(acme().build()));
      clock.advance(Duration.between(MID_YEAR, EXPIRES.plus(Duration.ofDays(61))));
      m.refresh();
      assertThat(m.mode()).isEqualTo(Mode.LOCKED);
      assertThat(m.allows("sso")).isFalse();
      assertThat(m.standing().banner().text()).contains("Paste a renewed license");

      License renewed =
          Fixtures.renewal()
              .issuedAt(clock.instant().minusSeconds(60))
              .notBefore(clock.instant().minusSeconds(60))
              .expiresAt(clock.instant().plus(Duration.ofDays(365)))
              .build();
      InstallResult r = m.install(keys.sign(renewed));

      assertThat(r.installed()).as(r.message()).isTrue();
      assertThat(m.mode()).isEqualTo(Mode.FULL); // no refresh, no restart
      assertThat(m.allows("sso")).isTrue();
    }
  }

  @Test
  void a_license_renewed_early_hides_every_banner_of_the_old_one() {
    try (LicenseManager m = manager()) {
      m.install(keys.sign(acme().build()));
      clock.advance(Duration.between(MID_YEAR, EXPIRES.minus(Duration.ofDays(10))));
      m.refresh();
      assertThat(m.standing().banner().display()).isEqualTo(BannerDisplay.SHOWN);

      m.install(keys.sign(Fixtures.renewal().build()));

      ClientStanding s = m.standing();
      assertThat(s.license().orElseThrow().id()).isEqualTo("lic_01JD4ACME");
      assertThat(s.phase()).isEqualTo(Phase.ACTIVE);
      assertThat(s.banner()).isEqualTo(BannerView.NONE);
    }
  }

  @Test
  void an_older_license_is_kept_but_the_newest_stays_in_force() {
    try (LicenseManager m = manager()) {
      clock.set(EXPIRES.minus(Duration.ofDays(10)));
      m.install(keys.sign(Fixtures.renewal().build()));
      InstallResult older = m.install(keys.sign(acme().build()));

      assertThat(older.installed()).isTrue();
      assertThat(older.inForce()).isFalse();
      assertThat(older.message()).contains("stays in force");
      assertThat(m.standing().license().orElseThrow().id()).isEqualTo("lic_01JD4ACME");
    }
  }

  @Test
  void installing_the_same_license_twice_changes_nothing() throws IOException {
    try (LicenseManager m = manager()) {
      String text = keys.sign(acme().build());
      m.install(text);
      InstallResult again = m.install(text);

      assertThat(again.installed()).isTrue();
      assertThat(again.message()).contains("already installed");
      try (Stream<Path> stored = Files.list(dir.resolve(LicenseFiles.DIR))) {
        assertThat(stored).hasSize(1);
      }
    }
  }

  @Test
  void every_install_and_rejection_is_audited() {
    try (LicenseManager m = manager()) {
      m.install(keys.sign(acme().build()));
      m.install("garbage");

      assertThat(m.auditLog().entries())
          .extracting(e -> e.event())
          .containsSubsequence("installed", "install_rejected");
      assertThat(m.auditLog().entries().get(m.auditLog().entries().size() - 1).data())
          .containsEntry("code", "MALFORMED");
    }
  }

  /** Installs acme first, then the rejected text, and checks nothing but the audit log changed. */
  private InstallResult assertRejectedLeavingInstalledUntouched(
      String text, VerificationCode code, String messagePart) {
    try (LicenseManager m = manager()) {
      m.install(keys.sign(acme().build()));
      List<String> before = storedFiles();
      ClientStanding standingBefore = m.standing();

      InstallResult r = m.install(text);

      assertThat(r.code()).as(r.message()).isEqualTo(code);
      assertThat(r.installed()).isFalse();
      assertThat(r.message()).contains(messagePart);
      assertThat(storedFiles()).isEqualTo(before);
      assertThat(m.standing().license()).isEqualTo(standingBefore.license());
      assertThat(m.mode()).isEqualTo(Mode.FULL);
      assertThat(m.allows("sso")).isTrue();
      return r;
    }
  }

  private List<String> storedFiles() {
    try (Stream<Path> files = Files.list(dir.resolve(LicenseFiles.DIR))) {
      return files
          .map(
              f -> {
                try {
                  return f.getFileName()
                      + ":"
                      + new String(Files.readAllBytes(f), StandardCharsets.UTF_8).hashCode();
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
