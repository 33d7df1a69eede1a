package dev.keyturn.client.store;

import dev.keyturn.core.crypto.Ed25519;
import dev.keyturn.core.crypto.KeyException;
import dev.keyturn.core.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * The installation's own Ed25519 key pair, made at first start: {@value #PRIVATE_FILE} (0600) and
 * {@value #PUBLIC_FILE}. It signs the usage reports an air-gapped installation sends its vendor;
 * the server binds the public key on the first report it imports.
 */
public final class InstallationKeys {
  public static final String PRIVATE_FILE = "installation.private.pem";
  public static final String PUBLIC_FILE = "installation.public.pem";

  private InstallationKeys() {}

  /** Reads the pair, or makes and writes one when neither file exists. */
  public static KeyPair loadOrCreate(Path stateDir) {
    Path privateFile = stateDir.resolve(PRIVATE_FILE);
    Path publicFile = stateDir.resolve(PUBLIC_FILE);
    if (Files.exists(privateFile) || Files.exists(publicFile)) {
      return load(stateDir);
    }
    KeyPair pair = Ed25519.generate();
    try {
      // The public half last: a crash between the two leaves only the private file, which load
      // reports instead of silently replacing the installation's identity.
      AtomicFiles.write(
          privateFile, Pem.privateKey(pair.getPrivate()).getBytes(StandardCharsets.US_ASCII), true);
      AtomicFiles.write(
          publicFile, Pem.publicKey(pair.getPublic()).getBytes(StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the installation key in " + stateDir, e);
    }
    return pair;
  }

  /**
   * Reads the pair.
   *
   * @throws KeyException when a file is missing or not an Ed25519 key
   */
  public static KeyPair load(Path stateDir) {
    Path privateFile = stateDir.resolve(PRIVATE_FILE);
    Path publicFile = stateDir.resolve(PUBLIC_FILE);
    if (!Files.exists(privateFile) || !Files.exists(publicFile)) {
      throw new KeyException(
          "the installation key in "
              + stateDir
              + " is incomplete ("
              + PRIVATE_FILE
              + " and "
              + PUBLIC_FILE
              + " belong together); restore both from a backup, or delete both to make a new"
              + " installation identity that the vendor must bind again");
    }
    return new KeyPair(Pem.readPublicKey(publicFile), Pem.readPrivateKey(privateFile));
  }
}
