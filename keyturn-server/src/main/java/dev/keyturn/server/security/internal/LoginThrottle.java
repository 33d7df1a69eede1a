package dev.keyturn.server.security.internal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Hashes;
import dev.keyturn.server.security.LoginThrottledException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Growing delays for password guessing, per user and per client address, counted in the database
 * (so they hold across replicas): after {@link #PER_USER} failures for a user (or {@link
 * #PER_ADDRESS} from one address, which many people may share) within {@link #WINDOW}, each further
 * attempt must wait {@link #FIRST_DELAY}, doubling with every failure up to {@link #MAX_DELAY}; the
 * password is not even checked meanwhile. A success clears the user's count. Every throttled
 * failure is audited.
 */
@Component
public class LoginThrottle {
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final int PER_USER = 5;
  static final int PER_ADDRESS = 20;
  static final Duration FIRST_DELAY = Duration.ofSeconds(15);
  static final Duration MAX_DELAY = Duration.ofMinutes(15);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final EventLog events;

  LoginThrottle(JdbcClient jdbc, Clock clock, EventLog events) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.events = events;
  }

  /** Refuses the attempt while a delay runs. */
  public void check(String username, String address) {
    Instant now = clock.instant();
    Instant until =
        later(
            blockedUntil(user(username), PER_USER, now),
            blockedUntil(client(address), PER_ADDRESS, now));
    if (until != null && now.isBefore(until)) {
      throw new LoginThrottledException(
          until, Math.max(1, Duration.between(now, until).toSeconds()));
    }
  }

  public void failed(String username, String address) {
    Instant now = clock.instant();
    jdbc.sql("delete from login_failures where failed_at <= ?")
        .param(Db.ts(now.minus(WINDOW)))
        .update();
    for (String bucket : new String[] {user(username), client(address)}) {
      jdbc.sql("insert into login_failures (bucket, failed_at) values (?, ?)")
          .params(bucket, Db.ts(now))
          .update();
    }
    long userFailures = count(user(username), now);
    long addressFailures = count(client(address), now);
    if (userFailures >= PER_USER || addressFailures >= PER_ADDRESS) {
      Map<String, Object> metadata = new LinkedHashMap<>();
      metadata.put("username", username);
      metadata.put("address", address);
      metadata.put("user_failures", userFailures);
      metadata.put("address_failures", addressFailures);
      events.record("auth.login_throttled", username, null, null, metadata);
    }
  }

  public void succeeded(String username) {
    jdbc.sql("delete from login_failures where bucket = ?").param(user(username)).update();
  }

  private Instant blockedUntil(String bucket, int threshold, Instant now) {
    long failures = count(bucket, now);
    if (failures < threshold) {
      return null;
    }
    Instant last =
        jdbc.sql("select max(failed_at) as last_failure from login_failures where bucket = ?")
            .param(bucket)
            .query((rs, n) -> Db.instant(rs, "last_failure"))
            .single();
    Duration delay = FIRST_DELAY;
    for (long i = threshold; i < failures && delay.compareTo(MAX_DELAY) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return last.plus(delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay);
  }

  private long count(String bucket, Instant now) {
    return jdbc.sql("select count(*) from login_failures where bucket = ? and failed_at > ?")
        .params(bucket, Db.ts(now.minus(WINDOW)))
        .query(Long.class)
        .single();
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }

  private static String user(String username) {
    return Hashes.sha256Hex("user:" + username);
  }

  private static String client(String address) {
    return Hashes.sha256Hex("address:" + address);
  }
}
