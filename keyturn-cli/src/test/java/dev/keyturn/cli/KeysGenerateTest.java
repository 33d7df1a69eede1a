package dev.keyturn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.core.crypto.Pem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeysGenerateTest {
  private final Keyturn keyturn = new Keyturn();
  @TempDir Path dir;

  @Test
  void writes_an_owner_only_private_key_and_a_public_key() throws Exception {
    Path keys = dir.resolve("keys");

    Keyturn.Result r =
        keyturn.run("keys", "generate", "--key-id", "2026-a", "--out", keys.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    Path privateKey = keys.resolve("2026-a.private.pem");
    Path publicKey = keys.resolve("2026-a.public.pem");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(privateKey)))
        .isEqualTo("rw-------");
    assertThat(Pem.readPrivateKey(privateKey).getAlgorithm()).isIn("EdDSA", "Ed25519");
    assertThat(Pem.readPublicKey(publicKey).getAlgorithm()).isIn("EdDSA", "Ed25519");
    assertThat(r.out()).contains(privateKey.toString()).contains(publicKey.toString());
  }

  @Test
  void says_where_a_private_key_belongs() {
    Keyturn.Result r =
        keyturn.run("keys", "generate", "--key-id", "2026-a", "--out", dir.toString());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("never in" + System.lineSeparator() + "version control")
        .contains(".gitignore")
        .contains("*.private.pem");
  }

  @Test
  void never_overwrites_an_existing_key() throws Exception {
    Path privateKey = keyturn.generateKeys(dir, "2026-a");
    String before = Files.readString(privateKey);

    Keyturn.Result r =
        keyturn.run("keys", "generate", "--key-id", "2026-a", "--out", dir.toString());

    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("already exists").doesNotContain("Exception");
    assertThat(Files.readString(privateKey)).isEqualTo(before);
  }

  @Test
  void rejects_a_key_id_outside_the_safe_alphabet_as_a_usage_error() {
    Keyturn.Result r =
        keyturn.run("keys", "generate", "--key-id", "../evil", "--out", dir.toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("--key-id").contains("must be 1 to 64 of");
    assertThat(dir).isEmptyDirectory();
  }

  @Test
  void requires_an_output_folder() {
    Keyturn.Result r = keyturn.run("keys", "generate", "--key-id", "2026-a");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--out=DIR'");
  }
}
