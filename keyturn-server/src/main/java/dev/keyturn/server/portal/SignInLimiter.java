package dev.keyturn.server.portal;

import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Hashes;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * How many sign-in links may be asked for, in a sliding {@link #WINDOW} on the server's clock: per
 * address and client (so nobody floods a contact's inbox), per address from all clients together
 * (so many clients cannot either), and per client (so nobody probes many addresses). The client is
 * the real one behind trusted proxies ({@code KEYTURN_TRUSTED_PROXIES}). No single client can use
 * up a limit others share: it reaches its own limits first, so a stranger cannot keep a contact
 * from signing in from their own network. Counted in the database, so the limits hold across
 * restarts and replicas; addresses and IPs are kept hashed. Known and unknown addresses count
 * alike, so the limit reveals nothing either.
 */
@Component
class SignInLimiter {
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final int PER_ADDRESS_AND_CLIENT = 5;
  static final int PER_ADDRESS = 20;
  static final int PER_IP = 20;

  private final JdbcClient jdbc;
  private final Clock clock;

  SignInLimiter(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Counts one request, or refuses it (counting nothing) when a limit is reached. */
  void acquire(String email, String ip) {
    Instant now = clock.instant();
    Instant since = now.minus(WINDOW);
    jdbc.sql("delete from portal_sign_in_requests where requested_at <= ?")
        .param(Db.ts(since))
        .update();
    String pair = Hashes.sha256Hex("address+ip:" + email + "|" + ip);
    String address = Hashes.sha256Hex("address:" + email);
    String client = Hashes.sha256Hex("ip:" + ip);
    if (count(pair, since) >= PER_ADDRESS_AND_CLIENT
        || count(client, since) >= PER_IP
        || count(address, since) >= PER_ADDRESS) {
      throw new KeyturnServerException(
          ErrorCode.RATE_LIMITED,
          "Too many sign-in links were asked for this address or from your network. Please try"
              + " again in "
              + WINDOW.toMinutes()
              + " minutes.");
    }
    for (String bucket : new String[] {pair, address, client}) {
      jdbc.sql("insert into portal_sign_in_requests (bucket, requested_at) values (?, ?)")
          .params(bucket, Db.ts(now))
          .update();
    }
  }

  private long count(String bucket, Instant since) {
    return jdbc.sql(
            "select count(*) from portal_sign_in_requests where bucket = ? and requested_at > ?")
        .params(bucket, Db.ts(since))
        .query(Long.class)
        .single();
  }
}
