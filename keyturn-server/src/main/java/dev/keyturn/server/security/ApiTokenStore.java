package dev.keyturn.server.security;

import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Hashes;
import dev.keyturn.server.jdbc.Ids;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * API tokens: 256 random bits, shown once, stored only as their SHA-256 (a slow password hash adds
 * nothing to a secret that cannot be guessed, and would cost every request).
 */
@Component
public class ApiTokenStore {
  public static final String PREFIX = "kt_api_";
  private static final SecureRandom RANDOM = new SecureRandom();

  private final JdbcClient jdbc;
  private final Clock clock;

  ApiTokenStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** A token as listed: never the secret. */
  public record ApiToken(
      String id, String name, String username, Role role, Instant createdAt, Instant revokedAt) {}

  /** The token just created, with its secret, shown this once. */
  public record CreatedToken(String id, String name, Role role, Instant createdAt, String token) {}

  public CreatedToken create(String username, String name, Role role) {
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = PREFIX + HexFormat.of().formatHex(secret);
    String id = Ids.next("tok", clock);
    Instant now = clock.instant();
    jdbc.sql(
            "insert into api_tokens (id, user_id, name, role, token_hash, created_at)"
                + " select ?, id, ?, ?, ?, ? from users where username = ?")
        .params(id, name, role.name(), Hashes.sha256Hex(token), Db.ts(now), username)
        .update();
    return new CreatedToken(id, name, role, now, token);
  }

  /**
   * The token's principal, while the token is unrevoked, its owner enabled, and its role still one
   * the owner may scope a token to (see {@link #mayHold}): a token made before its owner lost a
   * role stops working with it, on the next request.
   */
  public Optional<TokenPrincipal> authenticate(String token) {
    return jdbc.sql(
            "select t.id, t.name, t.role, u.username, u.role as owner_role from api_tokens t join"
                + " users u on u.id = t.user_id where t.token_hash = ? and t.revoked_at is null and"
                + " u.disabled_at is null")
        .param(Hashes.sha256Hex(token))
        .query(
            (rs, n) ->
                new Held(
                    new TokenPrincipal(
                        rs.getString("id"),
                        rs.getString("name"),
                        rs.getString("username"),
                        Role.valueOf(rs.getString("role"))),
                    Role.valueOf(rs.getString("owner_role"))))
        .optional()
        .filter(h -> mayHold(h.ownerRole(), h.principal().role()))
        .map(Held::principal);
  }

  private record Held(TokenPrincipal principal, Role ownerRole) {}

  /** An ADMIN may scope a token to any role; everyone else to their own role or READONLY. */
  public static boolean mayHold(Role owner, Role token) {
    return owner == Role.ADMIN || token == owner || token == Role.READONLY;
  }

  /**
   * @param username only this user's tokens, or every token for {@code null}
   */
  public List<ApiToken> list(String username) {
    String sql =
        "select t.*, u.username from api_tokens t join users u on u.id = t.user_id"
            + (username == null ? "" : " where u.username = ?")
            + " order by t.created_at, t.id";
    var statement = jdbc.sql(sql);
    if (username != null) {
      statement = statement.param(username);
    }
    return statement.query(this::map).list();
  }

  public Optional<ApiToken> find(String id) {
    return jdbc.sql(
            "select t.*, u.username from api_tokens t join users u on u.id = t.user_id where t.id"
                + " = ?")
        .param(id)
        .query(this::map)
        .optional();
  }

  /** True when this call revoked it, false when it was revoked already. */
  public boolean revoke(String id) {
    return jdbc.sql("update api_tokens set revoked_at = ? where id = ? and revoked_at is null")
            .params(Db.ts(clock.instant()), id)
            .update()
        == 1;
  }

  private ApiToken map(ResultSet rs, int n) throws SQLException {
    return new ApiToken(
        rs.getString("id"),
        rs.getString("name"),
        rs.getString("username"),
        Role.valueOf(rs.getString("role")),
        Db.instant(rs, "created_at"),
        Db.instant(rs, "revoked_at"));
  }
}
