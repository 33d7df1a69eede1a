package dev.keyturn.server.signingkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.server.signingkey.internal.SigningKeyException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class MasterKeyTest {
  private static final byte[] SECRET =
      "-----BEGIN PRIVATE KEY-----".getBytes(StandardCharsets.US_ASCII);

  @Test
  void seals_and_opens_a_key_with_fresh_nonces() {
    MasterKey master = new MasterKey(MasterKey.generate());
    String a = master.seal(SECRET, "2026-a");
    String b = master.seal(SECRET, "2026-a");
    assertThat(a).isNotEqualTo(b);
    assertThat(master.open(a, "2026-a")).isEqualTo(SECRET);
  }

  @Test
  void a_wrong_master_key_or_a_moved_row_does_not_open() {
    MasterKey master = new MasterKey(MasterKey.generate());
    String sealed = master.seal(SECRET, "2026-a");
    assertThatThrownBy(() -> new MasterKey(MasterKey.generate()).open(sealed, "2026-a"))
        .isInstanceOf(SigningKeyException.class)
        .hasMessageContaining("master key");
    assertThatThrownBy(() -> master.open(sealed, "2026-b")).isInstanceOf(SigningKeyException.class);
  }

  @Test
  void a_secret_sealed_for_one_purpose_opens_for_that_purpose_and_owner_only() {
    MasterKey master = new MasterKey(MasterKey.generate());
    String totp = master.seal(SECRET, "totp-secret", "ada");

    assertThat(master.open(totp, "totp-secret", "ada")).isEqualTo(SECRET);
    assertThatThrownBy(() -> master.open(totp, "totp-secret", "grace"))
        .isInstanceOf(SigningKeyException.class)
        .hasMessageContaining("totp secret grace does not decrypt");
    // Neither way between a signing key's row and a TOTP secret's.
    assertThatThrownBy(() -> master.open(totp, "ada")).isInstanceOf(SigningKeyException.class);
    String key = master.seal(SECRET, "ada");
    assertThatThrownBy(() -> master.open(key, "totp-secret", "ada"))
        .isInstanceOf(SigningKeyException.class);
    assertThat(master.open(key, "signing-key", "ada")).isEqualTo(SECRET);
  }

  @Test
  void derived_secrets_are_stable_per_label_and_differ_between_labels_and_master_keys() {
    byte[] bytes = MasterKey.generate();
    MasterKey master = new MasterKey(bytes);
    byte[] links = master.derive("billing-portal-link");
    assertThat(links).hasSize(32).isEqualTo(new MasterKey(bytes).derive("billing-portal-link"));
    assertThat(master.derive("another-purpose")).isNotEqualTo(links);
    assertThat(new MasterKey(MasterKey.generate()).derive("billing-portal-link"))
        .isNotEqualTo(links);
    assertThat(links).isNotEqualTo(bytes);
  }

  @Test
  void rejects_a_master_key_of_the_wrong_size_naming_its_source() {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    assertThatThrownBy(() -> MasterKey.fromBase64(shortKey, "KEYTURN_MASTER_KEY"))
        .isInstanceOf(SigningKeyException.class)
        .hasMessageContaining("KEYTURN_MASTER_KEY")
        .hasMessageContaining("32 bytes");
    assertThatThrownBy(() -> MasterKey.fromBase64("not base64!", "KEYTURN_MASTER_KEY"))
        .hasMessageContaining("not valid base64");
  }
}
