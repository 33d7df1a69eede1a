package dev.keyturn.server.portal;

import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Hashes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * One-time sign-in tokens: 256 random bits, stored as their SHA-256 only, good once and for {@link
 * #LIFETIME} on the server's clock.
 */
@Component
class SignInTokens {
  static final Duration LIFETIME = Duration.ofMinutes(15);
  private static final int BYTES = 32;

  private final JdbcClient jdbc;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  SignInTokens(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** A new token for the address; the caller mails it and forgets it. */
  String issue(String email) {
    byte[] bytes = new byte[BYTES];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = clock.instant();
    // Old rows are no use to anyone: used or expired a day ago.
    jdbc.sql("delete from portal_sign_in_tokens where expires_at < ?")
        .param(Db.ts(now.minus(Duration.ofDays(1))))
        .update();
    jdbc.sql(
            "insert into portal_sign_in_tokens (token_hash, email, created_at, expires_at) values"
                + " (?, ?, ?, ?)")
        .params(Hashes.sha256Hex(token), email, Db.ts(now), Db.ts(now.plus(LIFETIME)))
        .update();
    return token;
  }

  /**
   * The address a token was issued to, if it is unused and unexpired; it is used up by this call.
   * The conditional update decides, so two clicks racing each other sign in at most once.
   */
  @Transactional
  Optional<String> redeem(String token) {
    if (token == null || token.isBlank() || token.length() > 100) {
      return Optional.empty();
    }
    String hash = Hashes.sha256Hex(token.strip());
    Instant now = clock.instant();
    int used =
        jdbc.sql(
                "update portal_sign_in_tokens set used_at = ? where token_hash = ? and used_at is"
                    + " null and expires_at > ?")
            .params(Db.ts(now), hash, Db.ts(now))
            .update();
    if (used == 0) {
      return Optional.empty();
    }
    return jdbc.sql("select email from portal_sign_in_tokens where token_hash = ?")
        .param(hash)
        .query(String.class)
        .optional();
  }
}
