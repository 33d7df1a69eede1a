package dev.keyturn.server.identity.internal;

import dev.keyturn.server.signingkey.MasterKey;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.stereotype.Component;

/**
 * The secret material of TOTP: new secrets (160 bits, as RFC 4226 recommends), sealed with the
 * master key like the signing keys; recovery codes, kept as HMACs under a key derived from the
 * master key, so that the database alone cannot test guesses.
 */
@Component
public class TotpSecrets {
  static final String PURPOSE = "totp-secret";
  public static final int RECOVERY_CODES = 10;
  private static final int SECRET_BYTES = 20;
  // Letters and digits without the look-alikes people mistype from paper (0/O, 1/I/L, 8/B): 29
  // symbols, 12 of them: some 58 bits a code.
  private static final String RECOVERY_ALPHABET = "ACDEFGHJKMNPQRSTUVWXYZ2345679";
  private static final int RECOVERY_LENGTH = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MasterKey master;
  private final byte[] recoveryKey;

  TotpSecrets(MasterKey master) {
    this.master = master;
    this.recoveryKey = master.derive("totp-recovery-codes");
  }

  public String newSecret() {
    byte[] secret = new byte[SECRET_BYTES];
    RANDOM.nextBytes(secret);
    return Base32.encode(secret);
  }

  public static byte[] decode(String base32) {
    return Base32.decode(base32);
  }

  public String qrCode(String otpauthUri) {
    return QrCodes.pngDataUri(otpauthUri);
  }

  public String seal(byte[] secret, String username) {
    return master.seal(secret, PURPOSE, username);
  }

  public byte[] open(String sealed, String username) {
    return master.open(sealed, PURPOSE, username);
  }

  /** Ten codes such as {@code K7QX-M3TR-9CWA}. */
  public List<String> newRecoveryCodes() {
    List<String> codes = new ArrayList<>(RECOVERY_CODES);
    for (int i = 0; i < RECOVERY_CODES; i++) {
      StringBuilder code = new StringBuilder();
      for (int c = 0; c < RECOVERY_LENGTH; c++) {
        if (c > 0 && c % 4 == 0) {
          code.append('-');
        }
        code.append(RECOVERY_ALPHABET.charAt(RANDOM.nextInt(RECOVERY_ALPHABET.length())));
      }
      codes.add(code.toString());
    }
    return codes;
  }

  /** The stored form of a recovery code, as typed: case, spaces and dashes do not matter. */
  public String hashRecoveryCode(String typed) {
    String normal = typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(recoveryKey, "HmacSHA256"));
      return HexFormat.of()
          .formatHex(mac.doFinal(normal.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }
}
