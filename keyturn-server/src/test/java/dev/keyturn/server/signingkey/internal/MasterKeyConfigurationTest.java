package dev.keyturn.server.signingkey.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.signingkey.MasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class MasterKeyConfigurationTest {
  @TempDir Path dir;

  private KeyturnProperties properties(String masterKey) {
    return new KeyturnProperties(dir, masterKey, null, null, null, null, null);
  }

  @Test
  void dev_mode_generates_an_owner_only_key_file_once_and_reuses_it() throws Exception {
    MasterKey first =
        new MasterKeyConfiguration().masterKey(properties(null), new MockEnvironment());
    Path file = dir.resolve("master.key");
    assertThat(file).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    MasterKey second =
        new MasterKeyConfiguration().masterKey(properties(null), new MockEnvironment());
    assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
  }

  @Test
  void the_prod_profile_never_generates_a_master_key() {
    MockEnvironment prod = new MockEnvironment();
    prod.setActiveProfiles("prod");
    assertThatThrownBy(() -> new MasterKeyConfiguration().masterKey(properties(null), prod))
        .isInstanceOf(SigningKeyException.class)
        .hasMessageContaining("KEYTURN_MASTER_KEY");
    assertThat(dir.resolve("master.key")).doesNotExist();
  }

  @Test
  void the_environment_variable_wins_over_the_file() {
    String key = Base64.getEncoder().encodeToString(MasterKey.generate());
    MockEnvironment prod = new MockEnvironment();
    prod.setActiveProfiles("prod");
    MasterKey master = new MasterKeyConfiguration().masterKey(properties(key), prod);
    assertThat(master.fingerprint())
        .isEqualTo(new MasterKey(Base64.getDecoder().decode(key)).fingerprint());
    assertThat(dir.resolve("master.key")).doesNotExist();
  }
}
