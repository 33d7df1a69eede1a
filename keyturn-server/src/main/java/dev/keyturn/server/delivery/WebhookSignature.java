package dev.keyturn.server.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Keyturn-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}
 * header. Receivers recompute v1 and refuse a timestamp older than {@link #REPLAY_WINDOW}, so a
 * captured request cannot be replayed later.
 */
public final class WebhookSignature {
  public static final String HEADER = "Keyturn-Signature";
  public static final Duration REPLAY_WINDOW = Duration.ofMinutes(5);

  private WebhookSignature() {}

  public static String header(String secret, Instant at, String body) {
    long t = at.getEpochSecond();
    return "t=" + t + ",v1=" + hmac(secret, t + "." + body);
  }

  /** What a receiver does; true when the header signs this body within the replay window. */
  public static boolean verify(String secret, String header, String body, Instant now) {
    if (header == null) {
      return false;
    }
    Long t = null;
    String v1 = null;
    for (String part : header.split(",")) {
      String[] kv = part.strip().split("=", 2);
      if (kv.length == 2 && kv[0].equals("t")) {
        try {
          t = Long.parseLong(kv[1]);
        } catch (NumberFormatException e) {
          return false;
        }
      } else if (kv.length == 2 && kv[0].equals("v1")) {
        v1 = kv[1];
      }
    }
    if (t == null || v1 == null) {
      return false;
    }
    Duration age = Duration.between(Instant.ofEpochSecond(t), now).abs();
    return age.compareTo(REPLAY_WINDOW) <= 0
        && MessageDigest.isEqual(
            hmac(secret, t + "." + body).getBytes(StandardCharsets.US_ASCII),
            v1.getBytes(StandardCharsets.US_ASCII));
  }

  private static String hmac(String secret, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(data.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
