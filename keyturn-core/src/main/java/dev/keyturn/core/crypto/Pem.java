package dev.keyturn.core.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files as OpenSSL writes them: private keys as PKCS#8 ({@code PRIVATE KEY}), public keys as
 * X.509 SubjectPublicKeyInfo ({@code PUBLIC KEY}); so {@code openssl pkey} can read what Keyturn
 * writes, and back.
 */
public final class Pem {
  private static final String PRIVATE = "PRIVATE KEY";
  private static final String PUBLIC = "PUBLIC KEY";
  private static final int MAX_PEM_BYTES = 16 * 1024;

  private Pem() {}

  public static String privateKey(PrivateKey key) {
    return encode(PRIVATE, key.getEncoded());
  }

  public static String publicKey(PublicKey key) {
    return encode(PUBLIC, key.getEncoded());
  }

  public static PrivateKey readPrivateKey(String pem) {
    try {
      return KeyFactory.getInstance(Ed25519.ALGORITHM)
          .generatePrivate(new PKCS8EncodedKeySpec(decode(pem, PRIVATE)));
    } catch (GeneralSecurityException e) {
      throw new KeyException("not an Ed25519 private key (PKCS#8)", e);
    }
  }

  public static PublicKey readPublicKey(String pem) {
    try {
      return KeyFactory.getInstance(Ed25519.ALGORITHM)
          .generatePublic(new X509EncodedKeySpec(decode(pem, PUBLIC)));
    } catch (GeneralSecurityException e) {
      throw new KeyException("not an Ed25519 public key (X.509 SubjectPublicKeyInfo)", e);
    }
  }

  public static PrivateKey readPrivateKey(Path file) {
    try {
      return readPrivateKey(readText(file));
    } catch (KeyException e) {
      throw new KeyException(file + ": " + e.getMessage(), e);
    }
  }

  public static PublicKey readPublicKey(Path file) {
    try {
      return readPublicKey(readText(file));
    } catch (KeyException e) {
      throw new KeyException(file + ": " + e.getMessage(), e);
    }
  }

  private static String readText(Path file) {
    try {
      if (Files.size(file) > MAX_PEM_BYTES) {
        throw new KeyException("larger than " + MAX_PEM_BYTES + " bytes; not a key file");
      }
      return Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new KeyException("cannot read key file: " + e.getMessage(), e);
    }
  }

  private static String encode(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] decode(String pem, String type) {
    Matcher m =
        Pattern.compile(
                "-----BEGIN " + type + "-----([A-Za-z0-9+/=\\s]*)-----END " + type + "-----")
            .matcher(pem);
    if (!m.find()) {
      String other = type.equals(PRIVATE) ? PUBLIC : PRIVATE;
      if (pem.contains("-----BEGIN " + other + "-----")) {
        throw new KeyException(
            "this is a "
                + other.toLowerCase(Locale.ROOT)
                + ", not a "
                + type.toLowerCase(Locale.ROOT)
                + (type.equals(PRIVATE)
                    ? " (signing takes <id>" + SigningKey.PRIVATE_SUFFIX + ")"
                    : " (trust <id>" + SigningKey.PUBLIC_SUFFIX + ")"));
      }
      throw new KeyException("no '-----BEGIN " + type + "-----' block found");
    }
    try {
      return Base64.getMimeDecoder().decode(m.group(1));
    } catch (IllegalArgumentException e) {
      throw new KeyException("the PEM block is not valid base64", e);
    }
  }
}
