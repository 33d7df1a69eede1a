package dev.keyturn.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.crypto.KeyFiles;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.Mode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "Embed the client" lines of README.md, compiled and run as written: the test fails if the
 * README and the lines between the markers below ever differ.
 */
class EmbedTest {
  interface Users {
    long count();
  }

  @TempDir Path dataDir;
  @TempDir Path vendorKeys;
  final Users users = () -> 12;
  final List<String> shown = new ArrayList<>();
  boolean ssoEnabled;

  void showLockScreen(BannerView banner) {
    shown.add(banner.text());
  }

  void enableSso() {
    ssoEnabled = true;
  }

  @Test
  void the_readme_lines_work_as_written() throws IOException {
    String pastedText = vendorSignedLicense();

    // README:embed-start
    LicenseManager licenses =
        LicenseManager.builder()
            .stateDir(dataDir.resolve("license")) // licenses, state and audit log live here
            .trustedKeys(KeyRing.builder().addPath(vendorKeys).build()) // <id>.public.pem files
            .instanceDomain("tools.acme.example") // optional: refuse other instances' licenses
            .usage(() -> Map.of("users", users.count())) // a downgrade must fit current usage
            .build(); // close() it on shutdown

    if (licenses.mode() == Mode.LOCKED) showLockScreen(licenses.standing().banner());
    if (licenses.allows("sso")) enableSso(); // per request: no I/O, no lock, no allocation
    InstallResult result = licenses.install(pastedText); // the lock screen's paste box
    // README:embed-end

    try (licenses) {
      assertThat(shown).containsExactly(Evaluator.NO_LICENSE_TEXT);
      assertThat(ssoEnabled).isFalse();
      assertThat(result.installed()).as(result.message()).isTrue();
      assertThat(licenses.mode()).isEqualTo(Mode.FULL);
      assertThat(licenses.allows("sso")).isTrue();
    }
  }

  /** The module's README and the project's front page both show the lines. */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"README.md", "../README.md"})
  void the_readme_shows_exactly_these_lines(String readme) throws IOException {
    assertThat(snippet(Path.of(readme), "```java\n", "```"))
        .isEqualTo(
            snippet(
                Path.of("src/test/java/dev/keyturn/client/EmbedTest.java"),
                "// README:embed-start\n",
                "    // README:embed-end"));
  }

  /** The lines between two markers, without their common indentation. */
  static String snippet(Path file, String start, String end) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    int from = text.indexOf(start, text.indexOf("Embed the client")) + start.length();
    String block = text.substring(from, text.indexOf(end, from));
    return block.stripTrailing().stripIndent();
  }

  /** What the vendor's server would have issued: a real key pair, dates around the real clock. */
  private String vendorSignedLicense() throws IOException {
    KeyFiles.Written written = KeyFiles.generate("2026-a", vendorKeys);
    Path privateKey = Files.move(written.privateKey(), dataDir.resolve("vendor.private.pem"));
    Instant now = Clock.systemUTC().instant();
    License license =
        Fixtures.acme()
            .issuedAt(now.minus(Duration.ofHours(1)))
            .notBefore(now.minus(Duration.ofHours(1)))
            .expiresAt(now.plus(Duration.ofDays(365)))
            .build();
    return SigningKey.read(privateKey, "2026-a").sign(license).toToml();
  }
}
