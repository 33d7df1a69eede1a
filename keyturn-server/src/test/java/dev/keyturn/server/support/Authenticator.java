package dev.keyturn.server.support;

import dev.keyturn.server.identity.Totp;
import java.io.ByteArrayOutputStream;
import java.time.Clock;

/**
 * What a phone's authenticator app does with the key an enrolment page shows: decodes it (base32,
 * here independently of the server's encoder) and shows the code of a time step.
 */
public final class Authenticator {
  private static final String BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private final byte[] secret;

  private Authenticator(byte[] secret) {
    this.secret = secret;
  }

  /** The key as the page spells it out, e.g. {@code 7RCI 4K56 AJRW …}. */
  public static Authenticator fromKey(String key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int buffer = 0;
    int bits = 0;
    for (char c : key.replace(" ", "").toCharArray()) {
      buffer = (buffer << 5) | BASE32.indexOf(c);
      bits += 5;
      if (bits >= 8) {
        out.write((buffer >>> (bits - 8)) & 0xff);
        bits -= 8;
      }
    }
    return new Authenticator(out.toByteArray());
  }

  public int secretBytes() {
    return secret.length;
  }

  /** The code shown now, or that many steps (30 s each) before or after now. */
  public String code(Clock clock, int stepsFromNow) {
    Totp totp = Totp.AUTHENTICATOR;
    return totp.code(secret, totp.step(clock.instant()) + stepsFromNow);
  }
}
