package dev.keyturn.server.signingkey;

import dev.keyturn.server.jdbc.Hashes;
import dev.keyturn.server.signingkey.internal.SigningKeyException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM: the signing keys, and the staff's TOTP secrets. What
 * the secret is and whose it is are bound in as associated data, so a sealed secret copied onto
 * another row does not open.
 */
public final class MasterKey {
  public static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  // Signing keys sealed before other purposes existed carry this purpose in their associated data.
  private static final String SIGNING_KEY = "signing-key";

  private final SecretKeySpec key;
  private final String fingerprint;

  public MasterKey(byte[] key) {
    if (key.length != KEY_BYTES) {
      throw new SigningKeyException(
          "the master key must be "
              + KEY_BYTES
              + " bytes (base64 of 32 random bytes), was "
              + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    // Stored beside each sealed key, to tell "wrong master key" from "damaged row".
    this.fingerprint = Hashes.sha256Hex(key).substring(0, 16);
  }

  public static MasterKey fromBase64(String base64, String source) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new SigningKeyException(source + " is not valid base64");
    }
    try {
      return new MasterKey(bytes);
    } catch (SigningKeyException e) {
      throw new SigningKeyException(source + ": " + e.getMessage());
    }
  }

  public static byte[] generate() {
    byte[] bytes = new byte[KEY_BYTES];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  public String fingerprint() {
    return fingerprint;
  }

  /**
   * A secret for another purpose (e.g. signing links in mails), so that it needs no setting of its
   * own: HMAC-SHA256 of the purpose's label under the master key. Distinct labels give independent
   * secrets, and none of them reveals the master key or opens a sealed signing key.
   */
  public byte[] derive(String label) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
      return mac.doFinal(("keyturn-derived-secret:" + label).getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new SigningKeyException("cannot derive the " + label + " secret", e);
    }
  }

  /** Seals a signing key: {@link #seal(byte[], String, String)} for {@code signing-key}. */
  public String seal(byte[] plain, String keyId) {
    return seal(plain, SIGNING_KEY, keyId);
  }

  public byte[] open(String sealed, String keyId) {
    return open(sealed, SIGNING_KEY, keyId);
  }

  /**
   * Seals a secret at rest (a signing key, a staff member's TOTP secret): base64 of nonce followed
   * by ciphertext and tag. The purpose and the owner's id are bound in as associated data, so a
   * sealed secret copied onto another row, or into another table, does not open.
   *
   * @param purpose what the secret is, e.g. {@code totp-secret}: lowercase words joined by '-'
   * @param id whose it is (a key id, a username)
   */
  public String seal(byte[] plain, String purpose, String id) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(aad(purpose, id));
      byte[] sealed = cipher.doFinal(plain);
      return Base64.getEncoder()
          .encodeToString(
              ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new SigningKeyException("cannot encrypt " + name(purpose, id), e);
    }
  }

  /** Opens what {@link #seal(byte[], String, String)} sealed for the same purpose and id. */
  public byte[] open(String sealed, String purpose, String id) {
    byte[] all = Base64.getDecoder().decode(sealed);
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
      cipher.updateAAD(aad(purpose, id));
      return cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES);
    } catch (AEADBadTagException e) {
      throw new SigningKeyException(
          name(purpose, id)
              + " does not decrypt: the master key is not the one it was sealed with,"
              + " or the row was altered",
          e);
    } catch (GeneralSecurityException e) {
      throw new SigningKeyException("cannot decrypt " + name(purpose, id), e);
    }
  }

  private static byte[] aad(String purpose, String id) {
    return ("keyturn-" + purpose + ":" + id).getBytes(StandardCharsets.UTF_8);
  }

  private static String name(String purpose, String id) {
    return purpose.replace('-', ' ') + " " + id;
  }

  @Override
  public String toString() {
    return "MasterKey[" + fingerprint + "]";
  }
}
