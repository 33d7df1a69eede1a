package dev.keyturn.core.license;

import java.util.Base64;
import java.util.Objects;

/**
 * The {@code [signature]} table.
 *
 * @param value the signature in base64, without whitespace
 */
public record LicenseSignature(String algorithm, String keyId, String value) {
  public static final String ED25519 = "ed25519";

  public LicenseSignature {
    Objects.requireNonNull(algorithm, "algorithm");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(value, "value");
  }

  public static LicenseSignature ed25519(String keyId, byte[] signature) {
    return new LicenseSignature(ED25519, keyId, Base64.getEncoder().encodeToString(signature));
  }

  public byte[] bytes() {
    return Base64.getDecoder().decode(value);
  }
}
