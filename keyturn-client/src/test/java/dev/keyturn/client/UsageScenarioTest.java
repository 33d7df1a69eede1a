package dev.keyturn.client;

import static dev.keyturn.client.Fixtures.acme;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.client.audit.AuditLog;
import dev.keyturn.client.store.InstallationKeys;
import dev.keyturn.client.store.UsageStore;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.lifecycle.UsageLevel;
import dev.keyturn.core.usage.SignedUsageReport;
import dev.keyturn.core.usage.UsageReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 as a customer lives it, on a settable clock in São Paulo (UTC−3): usage reported by the
 * product, the overage banner and refusals, monthly maxima in usage reports, and a downgrade from
 * the command line checked against the usage the product recorded.
 */
class UsageScenarioTest {
  private static final ZoneId SAO_PAULO = ZoneId.of("America/Sao_Paulo");

  @TempDir Path dir;
  final Fixtures.Keys keys = Fixtures.keys("2026-a");
  final SettableClock clock = new SettableClock(Instant.parse("2027-01-10T12:00:00Z"));

  /** A later license that lowers users from 250 to 200. */
  String downgrade() {
    return keys.sign(
        acme()
            .id("lic_small")
            .limit("users", 200)
            .expiresAt(Fixtures.EXPIRES.plusSeconds(86400))
            .build());
  }

  LicenseManager product() {
    return Fixtures.manager(dir, keys, clock).zone(SAO_PAULO).build();
  }

  @Test
  void overage_warns_then_refuses_growth_and_never_locks() {
    try (LicenseManager m = product()) {
      m.install(keys.sign(acme().overagePercent("users", 10).build()));

      // Jan 10: 240 of 250 users.
      assertThat(m.reportUsage(Map.of("users", 240L)).level()).isEqualTo(UsageLevel.WITHIN);
      assertThat(m.standing().banner().level()).isEqualTo(BannerLevel.NONE);

      // Jan 20: 262 users, within the 10 % allowance (275): a warning, nothing refused.
      clock.advance(Duration.ofDays(10));
      m.reportUsage(Map.of("users", 262L));
      ClientStanding s = m.standing();
      assertThat(s.flags()).containsExactly(StandingFlag.USAGE_OVER_LIMIT);
      assertThat(s.banner().level()).isEqualTo(BannerLevel.WARNING);
      assertThat(s.banner().text())
          .isEqualTo(
              "users: 262 in use, above the licensed 250; the 10% overage allowance permits up"
                  + " to 275. Ask your vendor to raise the limit.");
      assertThat(m.checkIncrease("users", 13).allowed()).isTrue();
      assertThatThrownBy(() -> m.requireIncrease("users", 14))
          .isInstanceOfSatisfying(
              UsageLimitException.class,
              e -> {
                assertThat(e.code()).isEqualTo("USAGE_OVER_ALLOWANCE");
                assertThat(e.decision().after()).isEqualTo(276);
              })
          .hasMessage(
              "Adding 14 to users would bring it to 276, above the licensed 250 and its 10%"
                  + " overage allowance (275). Reduce users first, or ask your vendor to raise the"
                  + " limit.");

      // Feb 2: 280 users, above the allowance: danger banner, growth refused, still FULL.
      clock.advance(Duration.ofDays(13));
      m.reportUsage(Map.of("users", 280L));
      s = m.standing();
      assertThat(s.flags()).containsExactly(StandingFlag.USAGE_OVER_ALLOWANCE);
      assertThat(s.banner().level()).isEqualTo(BannerLevel.DANGER);
      assertThat(s.banner().text()).contains("users: 280 in use").contains("(275)");
      assertThat(m.mode()).isEqualTo(Mode.FULL);
      assertThat(m.allows("sso")).isTrue();
      assertThat(m.checkIncrease("users", 1).allowed()).isFalse();
      assertThat(m.checkIncrease("users", 0).allowed()).isTrue();
      assertThat(m.checkIncrease("devices", 100).allowed()).isTrue();

      // Back under the limit: the banner goes.
      m.reportUsage(Map.of("users", 250L));
      assertThat(m.standing().flags()).isEmpty();
      assertThat(m.standing().banner().level()).isEqualTo(BannerLevel.NONE);
    }
  }

  @Test
  void a_usage_probe_is_recorded_on_refresh_for_keyturn_install_to_check() {
    AtomicLong users = new AtomicLong(120);
    try (LicenseManager m =
        Fixtures.manager(dir, keys, clock)
            .zone(SAO_PAULO)
            .usage(() -> Map.of("users", users.get()))
            .build()) {
      m.install(keys.sign(acme().build()));
      clock.advance(Duration.ofMinutes(1));
      m.refresh();
      users.set(240);
      clock.advance(Duration.ofMinutes(1));
      m.refresh();
    }
    String downgrade = downgrade();

    try (LicenseManager cli = Fixtures.manager(dir, keys, clock).zone(SAO_PAULO).build()) {
      InstallResult r = cli.install(downgrade);
      assertThat(r.code()).isEqualTo(VerificationCode.USAGE_EXCEEDS_LIMITS);
      assertThat(r.excesses()).containsExactly(new LimitExcess("users", 240, 200));
      assertThat(r.message())
          .endsWith("(usage as the product recorded it at 2027-01-10T12:02:00Z)");
    }
  }

  @Test
  void a_failing_probe_does_not_stop_the_refresh() {
    AtomicBoolean down = new AtomicBoolean();
    try (LicenseManager m =
        Fixtures.manager(dir, keys, clock)
            .usage(
                () -> {
                  if (down.get()) {
                    throw new IllegalStateException("the database is down");
                  }
                  return Map.of("users", 10L);
                })
            .build()) {
      m.install(keys.sign(acme().build()));
      down.set(true);
      clock.set(Fixtures.EXPIRES.minus(Duration.ofDays(30)));
      m.refresh();

      assertThat(m.standing().stageId()).isEqualTo("D-30");
    }
  }

  @Test
  void bad_usage_is_refused_and_changes_nothing() {
    try (LicenseManager m = product()) {
      m.install(keys.sign(acme().build()));
      m.reportUsage(Map.of("users", 10L));

      assertThatThrownBy(() -> m.reportUsage(Map.of("users", -1L)))
          .isInstanceOf(ClientException.class)
          .hasMessage("reportUsage: usage of users must be 0 or more, was -1");
      assertThatThrownBy(() -> m.reportUsage(Map.of("bad name", 1L)))
          .isInstanceOf(ClientException.class);
      assertThat(m.usageStanding().of("users").orElseThrow().usage()).isEqualTo(10);
    }
  }

  @Test
  void usage_reports_carry_monthly_maxima_by_utc_month_and_chain_to_the_audit_log()
      throws Exception {
    try (LicenseManager m = product()) {
      m.install(keys.sign(acme().build()));
      m.reportUsage(Map.of("users", 200L, "devices", 10L));
      clock.advance(Duration.ofDays(5));
      m.reportUsage(Map.of("users", 230L, "devices", 8L));
      // 31 Jan, 23:30 in São Paulo is already 1 Feb in UTC: the report's months are UTC months.
      clock.set(Instant.parse("2027-02-01T02:30:00Z"));
      m.reportUsage(Map.of("users", 190L));

      SignedUsageReport first = m.exportUsageReport();
      UsageReport report =
          SignedUsageReport.read(first.toJson().getBytes(StandardCharsets.UTF_8)).verify();

      assertThat(report.licenseId()).isEqualTo("lic_01JD3ACME");
      assertThat(report.sequence()).isEqualTo(1);
      assertThat(report.months()).hasSize(2);
      assertThat(report.months().get(0).month()).isEqualTo(YearMonth.of(2027, 1));
      assertThat(report.months().get(0).maxima()).isEqualTo(Map.of("users", 230L, "devices", 10L));
      assertThat(report.months().get(1).maxima()).isEqualTo(Map.of("users", 190L));
      AuditLog.Tail tail = m.auditLog().tail();
      assertThat(report.auditChain().entries()).isEqualTo(tail.lines());
      assertThat(report.auditChain().lastHash()).isEqualTo(tail.hash());
      assertThat(m.auditLog().entries().get((int) tail.lines() - 1).event())
          .isEqualTo("usage_report");
      assertThat(report.installationPublicKey()).isEqualTo(InstallationKeys.load(dir).getPublic());
      assertThat(Files.getPosixFilePermissions(dir.resolve(InstallationKeys.PRIVATE_FILE)))
          .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));

      UsageReport second = m.exportUsageReport().verify(report.installationPublicKey());
      assertThat(second.sequence()).isEqualTo(2);
      assertThat(second.auditChain().entries()).isGreaterThan(report.auditChain().entries());
    }
  }

  @Test
  void a_forged_usage_record_is_audited_and_the_report_sequence_continues() throws Exception {
    try (LicenseManager m = product()) {
      m.install(keys.sign(acme().build()));
      m.reportUsage(Map.of("users", 200L));
      m.exportUsageReport();
    }
    Path file = dir.resolve(UsageStore.FILE);
    Files.writeString(file, Files.readString(file).replace("200", "20"));

    try (LicenseManager m = product()) {
      assertThat(m.auditLog().entries()).anyMatch(e -> e.event().equals("usage_record_reset"));
      assertThat(m.usageStanding().limits()).isEmpty();
      assertThat(m.exportUsageReport().verify().sequence()).isEqualTo(2);
    }
  }

  @Test
  void a_downgrade_from_the_command_line_is_checked_against_the_recorded_usage() {
    try (LicenseManager product = product()) {
      product.install(keys.sign(acme().build()));
      product.reportUsage(Map.of("users", 240L));
    }
    String downgrade = downgrade();

    // keyturn install: no usage probe, a separate manager on the same directory.
    clock.advance(Duration.ofHours(2));
    try (LicenseManager cli = Fixtures.manager(dir, keys, clock).zone(SAO_PAULO).build()) {
      InstallResult r = cli.install(downgrade);
      assertThat(r.code()).isEqualTo(VerificationCode.USAGE_EXCEEDS_LIMITS);
      assertThat(r.excesses()).containsExactly(new LimitExcess("users", 240, 200));
      assertThat(r.message())
          .isEqualTo(
              "license lic_small lowers limits below current usage: users: 240 in use, the new"
                  + " license allows 200. Reduce usage first, or ask your vendor for a license"
                  + " with higher limits (usage as the product recorded it at"
                  + " 2027-01-10T12:00:00Z)");
    }

    clock.advance(Duration.ofHours(23));
    try (LicenseManager cli = Fixtures.manager(dir, keys, clock).zone(SAO_PAULO).build()) {
      InstallResult r = cli.install(downgrade);
      assertThat(r.code()).isEqualTo(VerificationCode.USAGE_EXCEEDS_LIMITS);
      assertThat(r.message())
          .endsWith(
              "(usage as the product recorded it at 2027-01-10T12:00:00Z, more than 24 hours ago,"
                  + " too old to trust: start the product so that it records its current usage,"
                  + " then install again)");
    }

    try (LicenseManager product = product()) {
      product.reportUsage(Map.of("users", 180L));
    }
    try (LicenseManager cli = Fixtures.manager(dir, keys, clock).zone(SAO_PAULO).build()) {
      InstallResult r = cli.install(downgrade);
      assertThat(r.code()).as(r.message()).isEqualTo(VerificationCode.VALID);
      assertThat(r.message())
          .endsWith("(usage as the product recorded it at 2027-01-11T13:00:00Z)");
    }
  }
}
