package dev.keyturn.core.crypto;

import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicenseSignature;
import dev.keyturn.core.license.SignedLicense;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.Objects;

/** An Ed25519 private key and the id licenses name it by. Signs licenses. */
public record SigningKey(String keyId, PrivateKey privateKey) {
  public static final String PRIVATE_SUFFIX = ".private.pem";
  public static final String PUBLIC_SUFFIX = ".public.pem";

  public SigningKey {
    KeyIds.require(keyId);
    Objects.requireNonNull(privateKey, "privateKey");
  }

  /**
   * Reads {@code <id>.private.pem}; the key id is taken from the file name unless given.
   *
   * @param keyId {@code null} to take it from the file name
   */
  public static SigningKey read(Path file, String keyId) {
    // The key first: a public key given by mistake is named as such, not as an odd file name.
    PrivateKey key = Pem.readPrivateKey(file);
    return new SigningKey(keyId != null ? keyId : keyIdFromFileName(file), key);
  }

  static String keyIdFromFileName(Path file) {
    String name = file.getFileName().toString();
    if (!name.endsWith(PRIVATE_SUFFIX)) {
      throw new KeyException(
          "cannot tell the key id from '"
              + name
              + "' (expected <id>"
              + PRIVATE_SUFFIX
              + "); pass it explicitly");
    }
    return name.substring(0, name.length() - PRIVATE_SUFFIX.length());
  }

  public SignedLicense sign(License license) {
    byte[] signature = Ed25519.sign(privateKey, SignedLicense.canonicalBytes(license));
    return SignedLicense.of(license, LicenseSignature.ed25519(keyId, signature));
  }

  @Override
  public String toString() {
    return "SigningKey[" + keyId + "]"; // never the key material
  }
}
