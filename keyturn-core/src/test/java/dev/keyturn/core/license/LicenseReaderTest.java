package dev.keyturn.core.license;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.keyturn.core.TestLicenses;
import dev.keyturn.core.VerificationCode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Everything the reader rejects is MALFORMED (or UNSUPPORTED_FORMAT) with a message that says what
 * and where.
 */
class LicenseReaderTest {
  private final String text =
      TestLicenses.keys("2026-a").signing().sign(TestLicenses.acme().build()).toToml();
  private final LicenseReader reader = new LicenseReader();

  private LicenseFormatException rejected(String candidate) {
    Throwable t = catchThrowable(() -> reader.read(candidate));
    assertThat(t).isInstanceOf(LicenseFormatException.class);
    return (LicenseFormatException) t;
  }

  @Test
  void rejects_text_that_is_not_toml_with_line_and_column() {
    LicenseFormatException e = rejected("format = 1\n[license\n");

    assertThat(e.code()).isEqualTo(VerificationCode.MALFORMED);
    assertThat(e.getMessage()).startsWith("not a valid TOML file: line 2, column");
  }

  @Test
  void rejects_duplicate_keys() {
    LicenseFormatException e =
        rejected(text.replace("tier = \"medium\"", "tier = \"medium\"\ntier = \"large\""));

    assertThat(e.code()).isEqualTo(VerificationCode.MALFORMED);
    assertThat(e.getMessage()).contains("line 11").contains("tier");
  }

  @Test
  void rejects_a_duplicated_table() {
    assertThat(rejected(text + "\n[license.limits]\nusers = 9999\n").getMessage())
        .contains("license.limits");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "seats = 250|seats = \"250\"|license.seats must be a whole number of 0 or more, found \"250\"",
        "seats = 250|seats = -1|license.seats must be a whole number of 0 or more, found an integer",
        "tier = \"medium\"|tier = \"\"|license.tier must be a non-empty string, found \"\"",
        "expires_at = 2027-11-22T00:00:00Z|expires_at = 2027-11-22|license.expires_at must be a datetime with an offset",
        "expires_at = 2027-11-22T00:00:00Z|expires_at = 2027-11-22T00:00:00|license.expires_at must be a datetime with an offset",
        "expires_at = 2027-11-22T00:00:00Z|expires_at = 2026-01-01T00:00:00Z|must be after not_before",
        "users = 250|users = 2.5|license.limits.users must be a whole number of 0 or more, found a float",
        "features = [\"sso\", \"audit-export\"]|features = [\"sso\", 1]|license.features must be an array of strings",
        "preset = \"appliance\"|preset = \"forever\"|license.policy.preset must be \"appliance\" or \"subscription\"",
        "grace_mode = \"full\"|grace_mode = \"lenient\"|license.policy.grace_mode must be \"full\" or \"read-only\"",
        "grace_days = 60|grace_days = 99999|license.policy.grace_days must be at most 3650",
        "instance_domain = \"tools.acme.example\"|instance_domain = \"not a host\"|not a host name",
        "format = 1|format = \"1\"|'format' must be a positive whole number",
        "format = 1|format = 0|'format' must be a positive whole number",
        "format = 1|# no format|'format' is missing",
        "key_id = \"2026-a\"|key_id = 7|signature.key_id must be a non-empty string",
        "[license.policy]|[license.policies]|license.policy is missing",
      })
  void rejects_wrong_or_missing_fields_naming_the_key(
      String original, String changed, String message) {
    assertThat(text).contains(original);

    LicenseFormatException e = rejected(text.replace(original, changed));

    assertThat(e.code()).isEqualTo(VerificationCode.MALFORMED);
    assertThat(e.getMessage()).contains(message);
  }

  @Test
  void rejects_a_signature_that_is_not_64_bytes_of_base64() {
    String value = reader.read(text).signature().value();
    assertThat(rejected(text.replace(value.substring(0, 10), "!!!!!!!!!!")).getMessage())
        .isEqualTo("signature.value is not valid base64");
    assertThat(
            rejected(text.replaceAll("(?s)value = \"\"\".*?\"\"\"", "value = \"AAAA\""))
                .getMessage())
        .isEqualTo("signature.value must be 64 bytes of Ed25519 signature, found 3");
  }

  @Test
  void rejects_unknown_top_level_keys_and_a_missing_signature() {
    assertThat(rejected("extra = true\n" + text).getMessage())
        .startsWith("unexpected top-level key 'extra'");
    assertThat(rejected(text.substring(0, text.indexOf("[signature]"))).getMessage())
        .contains("[signature] table is missing");
    assertThat(rejected(text.replace("key_id = ", "comment = \"x\"\nkey_id = ")).getMessage())
        .isEqualTo("unexpected key 'comment' in [signature]");
  }

  @Test
  void rejects_keys_outside_the_safe_alphabet() {
    assertThat(rejected(text.replace("users = 250", "\"us ers\" = 250")).getMessage())
        .contains("key 'us ers' must be 1 to 64 of");
  }

  @Test
  void enforces_the_file_size_limit() {
    String padded = text + "#" + "x".repeat(ReadLimits.DEFAULT_MAX_FILE_BYTES) + "\n";

    assertThat(rejected(padded).getMessage())
        .contains("larger than 65536 bytes (ReadLimits.maxFileBytes)");
    assertThat(catchThrowable(() -> reader.read(padded.getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(LicenseFormatException.class);
  }

  @Test
  void enforces_string_and_array_limits() {
    LicenseReader strict = new LicenseReader(new ReadLimits(65536, 20, 3, 8));

    assertThatThrownBy(
            () -> strict.read(text.replace("Acme Corp\"", "Acme Corporation International\"")))
        .hasMessageContaining(
            "license.customer is 30 characters long, more than 20 (ReadLimits.maxStringLength)");
    assertThatThrownBy(
            () -> strict.read(text.replace("tags = []", "tags = [\"a\", \"b\", \"c\", \"d\"]")))
        .hasMessageContaining("license.tags has 4 items, more than 3 (ReadLimits.maxArrayLength)");
  }

  @Test
  void enforces_the_nesting_limit_before_parsing() {
    String deep = "format = 1\nx = " + "[".repeat(5000) + "]".repeat(5000) + "\n";

    assertThat(rejected(deep).getMessage())
        .contains("nested more than 8 levels deep (ReadLimits.maxNestingDepth)");
  }

  @Test
  void enforces_the_nesting_limit_on_dotted_keys() {
    String deep = text.replace("tier = \"medium\"", "tier = \"medium\"\na.b.c.d.e.f.g.h = 1");

    assertThat(rejected(deep).getMessage()).contains("ReadLimits.maxNestingDepth");
  }

  @Test
  void brackets_inside_strings_and_comments_do_not_count_as_nesting() {
    String noisy =
        text.replace(
            "customer = \"Acme Corp\"", "customer = \"Acme [[[[[[[[[[[[ Corp\" # {{{{{{{{{{{{{{{");

    assertThat(reader.read(noisy).license().customer()).isEqualTo("Acme [[[[[[[[[[[[ Corp");
  }

  @Test
  void rejects_a_truncated_unicode_escape_even_with_assertions_on() {
    LicenseFormatException e = rejected("format = 1\n[license]\nid = \"lic\\U\"\n");

    assertThat(e.code()).isEqualTo(VerificationCode.MALFORMED);
  }

  @Test
  void rejects_bytes_that_are_not_utf8() {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    bytes[20] = (byte) 0xC3;
    bytes[21] = (byte) 0x28;

    assertThatThrownBy(() -> reader.read(bytes)).hasMessage("the file is not valid UTF-8 text");
  }
}
