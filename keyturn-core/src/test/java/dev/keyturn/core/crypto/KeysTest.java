package dev.keyturn.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyturn.core.TestLicenses;
import dev.keyturn.core.VerificationCode;
import dev.keyturn.core.verify.LicenseVerifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysTest {
  @TempDir Path dir;

  @Test
  void generated_key_files_sign_and_verify(@TempDir Path keys) throws Exception {
    KeyFiles.Written written = KeyFiles.generate("2026-a", keys);

    assertThat(written.privateKey()).hasFileName("2026-a.private.pem");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.privateKey())))
        .isEqualTo("rw-------");
    assertThat(Files.readString(written.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----\n");
    assertThat(Files.readString(written.publicKey())).startsWith("-----BEGIN PUBLIC KEY-----\n");

    SigningKey signing = SigningKey.read(written.privateKey(), null);
    KeyRing ring = KeyRing.builder().addPath(keys).build();
    String text = signing.sign(TestLicenses.acme().build()).toToml();

    assertThat(signing.keyId()).isEqualTo("2026-a");
    assertThat(ring.keys()).containsOnlyKeys("2026-a");
    assertThat(
            new LicenseVerifier(ring)
                .verify(text, Instant.parse("2027-01-01T00:00:00Z"), Optional.empty())
                .code())
        .isEqualTo(VerificationCode.VALID);
  }

  @Test
  void never_overwrites_an_existing_key() {
    KeyFiles.generate("2026-a", dir);

    assertThatThrownBy(() -> KeyFiles.generate("2026-a", dir))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("already exists");
  }

  @Test
  void key_ids_are_restricted_to_a_safe_alphabet() {
    assertThatThrownBy(() -> KeyFiles.generate("../evil", dir))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("key id '../evil' must be");
  }

  @Test
  void pem_files_of_the_wrong_kind_are_named_as_such() {
    KeyFiles.Written written = KeyFiles.generate("k1", dir);

    assertThatThrownBy(() -> Pem.readPrivateKey(written.publicKey()))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("this is a public key, not a private key");
    assertThatThrownBy(() -> Pem.readPublicKey("hello"))
        .isInstanceOf(KeyException.class)
        .hasMessageContaining("no '-----BEGIN PUBLIC KEY-----' block found");
  }

  @Test
  void the_key_id_comes_from_the_file_name_unless_given() throws Exception {
    KeyFiles.Written written = KeyFiles.generate("k1", dir);
    Path renamed = Files.copy(written.privateKey(), dir.resolve("signing.pem"));

    assertThat(SigningKey.read(renamed, "2026-b").keyId()).isEqualTo("2026-b");
    assertThatThrownBy(() -> SigningKey.read(renamed, null))
        .hasMessageContaining("cannot tell the key id from 'signing.pem'");
  }

  @Test
  void a_key_ring_refuses_two_keys_under_one_id() {
    var a = Ed25519.generate();
    var b = Ed25519.generate();

    assertThatThrownBy(() -> KeyRing.builder().add("k", a.getPublic()).add("k", b.getPublic()))
        .hasMessageContaining("two different public keys are both named 'k'");
  }

  @Test
  void a_signing_key_never_prints_its_material() {
    assertThat(TestLicenses.keys("k9").signing().toString()).isEqualTo("SigningKey[k9]");
  }
}
