package dev.keyturn.client.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.client.LicenseManager;
import dev.keyturn.client.SettableClock;
import dev.keyturn.client.audit.AuditLog;
import dev.keyturn.core.crypto.Ed25519;
import dev.keyturn.core.crypto.KeyRing;
import dev.keyturn.core.crypto.Pem;
import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.core.license.License;
import dev.keyturn.core.lifecycle.Mode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash: a child JVM is killed between writing a new license's temporary file and renaming
 * it into place. The old license must keep working, with no restart-time surprises.
 */
class CrashDuringInstallTest {
  static final Instant NOW = Instant.parse("2027-11-12T12:00:00Z");

  @TempDir Path tmp;

  @Test
  void a_crash_between_write_and_rename_leaves_the_old_license_working() throws Exception {
    Path state = tmp.resolve("state");
    KeyPair pair = Ed25519.generate();
    SigningKey key = new SigningKey("2026-a", pair.getPrivate());
    KeyRing ring = KeyRing.builder().add("2026-a", pair.getPublic()).build();
    Path publicKey =
        Files.writeString(tmp.resolve("2026-a.public.pem"), Pem.publicKey(pair.getPublic()));
    License old = license("lic_old", Instant.parse("2027-11-22T00:00:00Z"));
    License renewed = license("lic_new", Instant.parse("2028-11-22T00:00:00Z"));
    try (LicenseManager m = manager(state, ring)) {
      assertThat(m.install(key.sign(old).toToml()).installed()).isTrue();
    }
    Path renewedFile =
        Files.writeString(tmp.resolve("renewed.license.toml"), key.sign(renewed).toToml());

    Process child =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                InstallThenCrash.class.getName(),
                state.toString(),
                "2026-a",
                publicKey.toString(),
                renewedFile.toString(),
                NOW.toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      StringBuilder seen = new StringBuilder();
      while ((line = out.readLine()) != null && !line.equals(InstallThenCrash.READY)) {
        seen.append(line).append('\n');
      }
      assertThat(line).as("child output:\n%s", seen).isEqualTo(InstallThenCrash.READY);
      assertThat(temporaryFiles(state)).as("the crash leaves the temporary file behind").hasSize(1);
      child.destroyForcibly();
      assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly();
    }

    try (LicenseManager m = manager(state, ring)) {
      assertThat(m.mode()).isEqualTo(Mode.FULL);
      assertThat(m.allows("sso")).isTrue();
      assertThat(m.standing().license().orElseThrow().id()).isEqualTo("lic_old");
      assertThat(temporaryFiles(state)).as("cleaned up on start").isEmpty();
      assertThat(AuditLog.verify(state).intact()).isTrue();

      // And the interrupted install simply works when tried again.
      assertThat(m.install(renewedFile).inForce()).isTrue();
      assertThat(m.standing().license().orElseThrow().id()).isEqualTo("lic_new");
    }
  }

  private static LicenseManager manager(Path state, KeyRing ring) {
    return LicenseManager.builder()
        .stateDir(state)
        .trustedKeys(ring)
        .clock(new SettableClock(NOW))
        .background(false)
        .build();
  }

  private static License license(String id, Instant expires) {
    return License.builder()
        .id(id)
        .subscriptionId("sub_1")
        .customer("Acme Corp")
        .tier("medium")
        .feature("sso")
        .issuedAt(Instant.parse("2026-11-22T00:00:00Z"))
        .notBefore(Instant.parse("2026-11-22T00:00:00Z"))
        .expiresAt(expires)
        .build();
  }

  private static List<Path> temporaryFiles(Path state) throws IOException {
    try (Stream<Path> files = Files.list(state.resolve(LicenseFiles.DIR))) {
      return files.filter(f -> f.getFileName().toString().contains(AtomicFiles.TEMP_MARK)).toList();
    }
  }
}
