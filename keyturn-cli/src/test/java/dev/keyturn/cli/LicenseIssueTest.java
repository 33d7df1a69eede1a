package dev.keyturn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.license.GraceMode;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicenseReader;
import dev.keyturn.core.license.SignedLicense;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LicenseIssueTest {
  private final Keyturn keyturn = new Keyturn();
  @TempDir Path dir;
  private Path signingKey;
  private Path out;

  @BeforeEach
  void keys() {
    signingKey = keyturn.generateKeys(dir.resolve("keys"), "2026-a");
    out = dir.resolve("acme.license.toml");
  }

  private SignedLicense read() {
    return new LicenseReader().read(out);
  }

  @Test
  void issues_the_license_it_was_told_to_and_says_so_in_one_line() throws Exception {
    Keyturn.Result r = keyturn.issueAcme(signingKey, out);

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out().strip().lines()).hasSize(1);
    assertThat(r.out()).startsWith("Issued lic_").contains("Acme Corp").contains(out.toString());
    SignedLicense signed = read();
    License l = signed.license();
    assertThat(l.id()).matches("lic_[0-9A-HJKMNP-TV-Z]{26}");
    assertThat(l.customer()).isEqualTo("Acme Corp");
    assertThat(l.subscriptionId()).isEqualTo("sub_01JD2ACME");
    assertThat(l.instanceDomain()).contains("tools.acme.example");
    assertThat(l.seats()).isEqualTo(250);
    assertThat(l.features()).containsExactly("sso", "audit-export");
    assertThat(l.limits()).containsEntry("users", 250L).containsEntry("devices", 5000L);
    assertThat(l.issuedAt()).isEqualTo(Keyturn.NOW);
    assertThat(l.notBefore()).isEqualTo(Instant.parse("2026-11-22T00:00:00Z"));
    assertThat(l.expiresAt()).isEqualTo(Instant.parse("2027-11-22T00:00:00Z"));
    assertThat(l.policy().preset()).isEqualTo("appliance");
    assertThat(l.policy().graceDays()).isEqualTo(60);
    assertThat(l.policy().graceMode()).isEqualTo(GraceMode.FULL);
    assertThat(signed.signature().keyId()).isEqualTo("2026-a");
    // A license is no secret: readable by others, unlike the private key.
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void license_ids_start_with_the_issue_time_so_they_sort_by_it() {
    keyturn.issueAcme(signingKey, out);
    String first = read().license().id();
    keyturn.clock.set(Keyturn.NOW.plusSeconds(1));
    keyturn.issueAcme(signingKey, out, "--force");
    String second = read().license().id();

    assertThat(second).isNotEqualTo(first).isGreaterThan(first);
    assertThat(second.substring(0, 14)).isNotEqualTo(first.substring(0, 14));
  }

  @Test
  void not_before_defaults_to_now_and_days_count_whole_24_hour_days_from_it() {
    Keyturn.Result r =
        keyturn.run(
            "license",
            "issue",
            "--signing-key",
            signingKey.toString(),
            "--customer",
            "Acme Corp",
            "--subscription",
            "sub_1",
            "--tier",
            "small",
            "--seats",
            "0",
            "--days",
            "30",
            "--out",
            out.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    License l = read().license();
    assertThat(l.notBefore()).isEqualTo(Keyturn.NOW);
    assertThat(l.expiresAt()).isEqualTo(Instant.parse("2026-12-22T10:00:00Z"));
    assertThat(l.instanceDomain()).isEmpty();
    assertThat(r.out()).contains("unlimited seats");
  }

  @Test
  void the_subscription_preset_brings_its_own_grace_unless_overridden() {
    keyturn.issueAcme(signingKey, out, "--preset", "subscription");
    assertThat(read().license().policy())
        .satisfies(p -> assertThat(p.preset()).isEqualTo("subscription"))
        .satisfies(p -> assertThat(p.graceDays()).isEqualTo(7))
        .satisfies(p -> assertThat(p.graceMode()).isEqualTo(GraceMode.READ_ONLY));

    keyturn.issueAcme(
        signingKey,
        out,
        "--force",
        "--preset",
        "subscription",
        "--grace-days",
        "14",
        "--grace-mode",
        "full");
    assertThat(read().license().policy().graceDays()).isEqualTo(14);
    assertThat(read().license().policy().graceMode()).isEqualTo(GraceMode.FULL);
  }

  @Test
  void a_public_key_given_as_signing_key_is_named_as_such() {
    Path publicKey = dir.resolve("keys").resolve("2026-a.public.pem");

    Keyturn.Result r = keyturn.issueAcme(publicKey, out);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .isEqualTo(
            "keyturn: "
                + publicKey
                + ": this is a public key, not a private key (signing takes <id>.private.pem)"
                + System.lineSeparator());
    assertThat(out).doesNotExist();
  }

  @Test
  void key_id_comes_from_the_key_file_name_unless_given() throws Exception {
    Path renamed = dir.resolve("signing.pem");
    Files.copy(signingKey, renamed);

    Keyturn.Result noId = keyturn.issueAcme(renamed, out);
    assertThat(noId.exitCode()).isEqualTo(1);
    assertThat(noId.err()).contains("cannot tell the key id").contains("pass it explicitly");
    assertThat(out).doesNotExist();

    Keyturn.Result withId = keyturn.issueAcme(renamed, out, "--key-id", "2026-a");
    assertThat(withId.exitCode()).as(withId.err()).isZero();
    assertThat(read().signature().keyId()).isEqualTo("2026-a");
  }

  @Test
  void refuses_to_overwrite_a_license_file_unless_forced() throws Exception {
    keyturn.issueAcme(signingKey, out);
    String first = Files.readString(out);

    Keyturn.Result again = keyturn.issueAcme(signingKey, out);
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).contains("already exists").contains("--force");
    assertThat(Files.readString(out)).isEqualTo(first);

    Keyturn.Result forced = keyturn.issueAcme(signingKey, out, "--force");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    assertThat(Files.readString(out)).isNotEqualTo(first);
    assertThat(dir).isDirectoryNotContaining("glob:**.tmp");
  }

  @Test
  void a_missing_out_option_is_a_usage_error() {
    Keyturn.Result r =
        keyturn.run(
            "license",
            "issue",
            "--signing-key",
            signingKey.toString(),
            "--customer",
            "A",
            "--subscription",
            "s",
            "--tier",
            "t",
            "--seats",
            "1",
            "--days",
            "1");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("Missing required option: '--out=FILE'")
        .contains("Try 'keyturn license issue --help'");
  }

  @Test
  void expires_at_and_days_together_are_a_usage_error() {
    Keyturn.Result r =
        keyturn.issueAcme(signingKey, out, "--expires-at", "2027-11-22", "--days", "365");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("mutually exclusive").doesNotContain("Error:");
    assertThat(out).doesNotExist();
  }

  @Test
  void neither_expires_at_nor_days_is_a_usage_error() {
    Keyturn.Result r =
        keyturn.run(
            "license",
            "issue",
            "--signing-key",
            signingKey.toString(),
            "--customer",
            "A",
            "--subscription",
            "s",
            "--tier",
            "t",
            "--seats",
            "1",
            "--out",
            out.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--expires-at").contains("--days");
  }

  @Test
  void a_bad_date_is_a_usage_error_that_shows_the_accepted_forms() {
    Keyturn.Result r = keyturn.issueAcme(signingKey, out, "--expires-at", "22/11/2027");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("--expires-at")
        .contains("'22/11/2027' is not a date or an instant")
        .contains("2027-11-22T00:00:00Z");
    assertThat(out).doesNotExist();
  }

  @Test
  void an_offset_datetime_is_taken_as_the_instant_it_names() {
    keyturn.issueAcme(signingKey, out, "--expires-at", "2027-11-22T09:00:00+01:00");

    assertThat(read().license().expiresAt()).isEqualTo(Instant.parse("2027-11-22T08:00:00Z"));
  }

  @Test
  void an_expiry_before_the_start_is_a_usage_error() {
    Keyturn.Result r = keyturn.issueAcme(signingKey, out, "--expires-at", "2026-11-01");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--expires-at (2026-11-01T00:00:00Z) must be after --not-before");
    assertThat(out).doesNotExist();
  }

  @Test
  void negative_or_malformed_numbers_are_usage_errors() {
    assertThat(keyturn.issueAcme(signingKey, out, "--limit", "seats=-1").err())
        .contains("--limit seats must be 0 or more");
    assertThat(keyturn.issueAcme(signingKey, out, "--limit", "users=many").exitCode()).isEqualTo(2);
    assertThat(keyturn.issueAcme(signingKey, out, "--limit", "bad name=1").err())
        .contains("key 'bad name'");
    assertThat(keyturn.issueAcme(signingKey, out, "--grace-days", "-1").err())
        .contains("--grace-days must be 0 to 3650");
    assertThat(keyturn.issueAcme(signingKey, out, "--days", "0").err())
        .contains("--days must be 1 or more");
    assertThat(keyturn.issueAcme(signingKey, out, "--grace-mode", "lenient").err())
        .contains("'lenient' is not a grace mode; use full or read-only");
    assertThat(keyturn.issueAcme(signingKey, out, "--preset", "forever").err())
        .contains("'forever' is not a preset");
    assertThat(out).doesNotExist();
  }

  @Test
  void values_a_reader_would_refuse_are_rejected_before_anything_is_written() {
    Keyturn.Result r = keyturn.issueAcme(signingKey, out, "--tag", "x".repeat(5000));

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("would not be readable").contains("license.tags[0]");
    assertThat(out).doesNotExist();
  }

  @Test
  void a_missing_signing_key_is_a_clean_failure() {
    Keyturn.Result r = keyturn.issueAcme(dir.resolve("nope.private.pem"), out);

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err())
        .startsWith("keyturn: ")
        .contains("nope.private.pem")
        .doesNotContain("\tat ");
  }
}
