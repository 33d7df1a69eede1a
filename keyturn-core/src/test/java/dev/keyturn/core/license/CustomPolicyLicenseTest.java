package dev.keyturn.core.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.TestLicenses;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.lifecycle.BannerLevel;
import dev.keyturn.core.lifecycle.Dismissal;
import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.core.lifecycle.LockAction;
import dev.keyturn.core.lifecycle.Mode;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Recipient;
import dev.keyturn.core.lifecycle.Standing;
import dev.keyturn.core.verify.LicenseVerifier;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A license carrying a whole custom policy: format 2 (docs/license-format.md). */
class CustomPolicyLicenseTest {
  static final Policy PARTNER =
      Policy.builder("partner")
          .reminder(30, BannerLevel.INFO, Dismissal.UNTIL_NEXT_STAGE, Set.of(Recipient.CUSTOMER))
          .reminder(
              15,
              BannerLevel.WARNING,
              Dismissal.FOR_24H,
              EnumSet.of(Recipient.ACCOUNT_TEAM, Recipient.WEBHOOK))
          .reminder(
              3,
              BannerLevel.DANGER,
              Dismissal.NOT_DISMISSIBLE,
              EnumSet.of(Recipient.CUSTOMER, Recipient.RENEWAL_REQUEST))
          .grace(90, GraceMode.READ_ONLY)
          .lockAction(LockAction.LOCK)
          .expiryNotify(EnumSet.of(Recipient.CUSTOMER, Recipient.SUPPORT))
          .lockNotify(Set.of(Recipient.WEBHOOK))
          .build();

  private final TestLicenses.Keys keys = TestLicenses.keys("2026-a");

  private SignedLicense issue(Policy policy) {
    return keys.signing().sign(TestLicenses.acme().policy(policy.toLicensePolicy()).build());
  }

  @Test
  void a_custom_policy_is_written_whole_as_format_2_and_reads_back_to_the_same_policy() {
    SignedLicense signed = issue(PARTNER);
    String text = signed.toToml();

    assertThat(text)
        .contains("format = 2\n")
        .contains("[license.policy]\nname = \"partner\"\ngrace_days = 90\n")
        .contains(
            "[[license.policy.reminders]]\ndays_before = 15\nbanner = \"warning\"\n"
                + "dismissal = \"for-24h\"\nnotify = [\"account-team\", \"webhook\"]\n")
        .contains("expiry_notify = [\"customer\", \"support\"]\n")
        .doesNotContain("preset");
    assertThat(text.lines().filter(line -> !line.startsWith("#"))).allMatch(l -> l.length() <= 72);
    SignedLicense read = new LicenseReader().read(text);
    assertThat(read.format()).isEqualTo(2);
    assertThat(read.canonicalBytes()).isEqualTo(signed.canonicalBytes());
    assertThat(Policy.forLicense(read.license().policy())).isEqualTo(PARTNER);
    assertThat(new LicenseVerifier(keys.ring()).verifySignature(read).code())
        .isEqualTo(VerificationCode.VALID);
  }

  @Test
  void the_canonical_form_lists_the_policy_in_its_one_spelling() {
    String canonical =
        new String(issue(PARTNER).canonicalBytes(), java.nio.charset.StandardCharsets.UTF_8);

    assertThat(canonical)
        .startsWith("keyturn-license-v1\n{format=2,license={")
        .contains(
            "policy={expiry_notify=[\"customer\",\"support\"],grace_days=90,"
                + "grace_mode=\"read-only\",lock_action=\"lock\",lock_notify=[\"webhook\"],"
                + "name=\"partner\",reminders=[{banner=\"info\",days_before=30,"
                + "dismissal=\"until-next-stage\",notify=[\"customer\"]},");
  }

  @Test
  void a_preset_with_any_grace_stays_format_1() {
    SignedLicense signed = issue(Policy.APPLIANCE.withGrace(30, GraceMode.READ_ONLY));

    assertThat(signed.format()).isEqualTo(1);
    assertThat(signed.toToml()).contains("format = 1\n").contains("preset = \"appliance\"");
  }

  @Test
  void a_changed_reminder_breaks_the_signature() {
    String text = issue(PARTNER).toToml().replace("days_before = 3\n", "days_before = 2\n");

    assertThat(
            new LicenseVerifier(keys.ring()).verifySignature(new LicenseReader().read(text)).code())
        .isEqualTo(VerificationCode.SIGNATURE_MISMATCH);
  }

  @Test
  void the_client_follows_the_signed_policy_through_read_only_grace_to_the_lock() {
    License license = new LicenseReader().read(issue(PARTNER).toToml()).license();
    Policy policy = Policy.forLicense(license.policy());
    Instant expires = license.expiresAt();

    Standing d15 = Lifecycle.evaluate(license, expires.minus(Duration.ofDays(15)), policy);
    Standing d3 = Lifecycle.evaluate(license, expires.minus(Duration.ofDays(3)), policy);
    Standing grace = Lifecycle.evaluate(license, expires.plus(Duration.ofDays(89)), policy);
    Standing locked = Lifecycle.evaluate(license, expires.plus(Duration.ofDays(90)), policy);

    assertThat(d15.stageId()).isEqualTo("D-15");
    assertThat(d15.banner().level()).isEqualTo(BannerLevel.WARNING);
    assertThat(d3.banner().dismissal()).isEqualTo(Dismissal.NOT_DISMISSIBLE);
    assertThat(grace.mode()).isEqualTo(Mode.READ_ONLY);
    assertThat(grace.daysUntilLock()).isEqualTo(1);
    assertThat(locked.phase()).isEqualTo(Phase.LOCKED);
    assertThat(policy.stage("LOCK").orElseThrow().recipients()).containsExactly(Recipient.WEBHOOK);
  }

  @Test
  void a_format_2_file_whose_policy_grows_less_insistent_is_malformed_naming_the_stage() {
    String text =
        issue(PARTNER)
            .toToml()
            .replace("banner = \"danger\"", "banner = \"info\"")
            .replace("dismissal = \"not-dismissible\"", "dismissal = \"until-next-stage\"");

    assertThatThrownBy(() -> new LicenseReader().read(text))
        .isInstanceOfSatisfying(
            LicenseFormatException.class,
            e -> {
              assertThat(e.code()).isEqualTo(VerificationCode.MALFORMED);
              assertThat(e.getMessage())
                  .isEqualTo(
                      "license.policy.reminders: reminder D-3 is less insistent than D-15;"
                          + " banners may only grow more insistent");
            });
  }

  @Test
  void a_format_2_file_naming_a_preset_or_an_unknown_recipient_is_malformed() {
    String text = issue(PARTNER).toToml();

    assertThatThrownBy(
            () ->
                new LicenseReader()
                    .read(text.replace("name = \"partner\"", "preset = \"appliance\"")))
        .hasMessage(
            "license.policy.preset belongs to format 1; a format 2 license carries the whole"
                + " policy");
    assertThatThrownBy(
            () ->
                new LicenseReader()
                    .read(text.replace("lock_notify = [\"webhook\"]", "lock_notify = [\"sales\"]")))
        .hasMessage(
            "license.policy.lock_notify must be one of customer, account-team, support,"
                + " renewal-request, webhook; found \"sales\"");
    assertThatThrownBy(
            () ->
                new LicenseReader()
                    .read(
                        text.replace(
                            "notify = [\"account-team\", \"webhook\"]",
                            "notify = [\"webhook\", \"account-team\"]")))
        .hasMessageContaining("must name each recipient once, in the order");
  }

  @Test
  void a_format_1_file_cannot_smuggle_in_rules_the_old_reader_would_ignore() {
    // A policy read as format 1 is its preset: extra keys are kept, signed and never obeyed.
    String text = issue(Policy.APPLIANCE).toToml();
    LicensePolicy p =
        new LicenseReader()
            .read(
                text.replace(
                    "grace_mode = \"full\"\n",
                    "grace_mode = \"full\"\nlock_action = \"suspend\"\n"))
            .license()
            .policy();

    assertThat(p.isCustom()).isFalse();
    assertThat(Policy.forLicense(p).lockAction()).isEqualTo(LockAction.LOCK);
    assertThat(p.extensions()).containsEntry("lock_action", "suspend");
    assertThat(Optional.of(p.preset())).contains("appliance");
  }
}
