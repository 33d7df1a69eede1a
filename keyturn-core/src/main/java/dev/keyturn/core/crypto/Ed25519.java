package dev.keyturn.core.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;

/** Ed25519 from the JDK (Java 15+): no third-party cryptography. */
public final class Ed25519 {
  public static final String ALGORITHM = "Ed25519";

  private Ed25519() {}

  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new KeyException("this JVM cannot generate Ed25519 keys", e);
    }
  }

  public static byte[] sign(PrivateKey key, byte[] message) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(key);
      s.update(message);
      return s.sign();
    } catch (InvalidKeyException e) {
      throw new KeyException("not an Ed25519 private key", e);
    } catch (GeneralSecurityException e) {
      throw new KeyException("Ed25519 signing failed", e);
    }
  }

  /** True only for a good signature; a malformed signature is simply not good. */
  public static boolean verify(PublicKey key, byte[] message, byte[] signature) {
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initVerify(key);
      s.update(message);
      return s.verify(signature);
    } catch (InvalidKeyException e) {
      throw new KeyException("not an Ed25519 public key", e);
    } catch (SignatureException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new KeyException("Ed25519 verification failed", e);
    }
  }
}
