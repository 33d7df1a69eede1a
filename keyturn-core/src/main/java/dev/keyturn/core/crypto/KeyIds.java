package dev.keyturn.core.crypto;

import java.util.regex.Pattern;

/**
 * Key ids name signing keys in license files and file names, so they are kept to a safe alphabet.
 */
public final class KeyIds {
  private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private KeyIds() {}

  public static String require(String keyId) {
    if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
      throw new KeyException(
          "key id '"
              + keyId
              + "' must be 1 to 64 of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or digit");
    }
    return keyId;
  }
}
