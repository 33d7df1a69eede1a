package dev.keyturn.server.security.internal;

import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Ids;
import dev.keyturn.server.security.Role;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/** Staff users, with passwords hashed by the {@link PasswordEncoder} (bcrypt). */
@Component
public class UserStore implements UserDetailsService {
  private final JdbcClient jdbc;
  private final Clock clock;
  private final PasswordEncoder encoder;

  UserStore(JdbcClient jdbc, Clock clock, PasswordEncoder encoder) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.encoder = encoder;
  }

  /**
   * A user as listed: never the password hash.
   *
   * @param signsInWith {@code password} for a local account, {@code oidc} for one the identity
   *     provider made
   */
  public record StaffUser(
      String id,
      String username,
      Role role,
      Instant createdAt,
      Instant disabledAt,
      String signsInWith) {
    public static final String PASSWORD = "password";
    public static final String OIDC = "oidc";

    public boolean local() {
      return PASSWORD.equals(signsInWith);
    }
  }

  @Override
  public UserDetails loadUserByUsername(String username) {
    // A user of the identity provider has no password here: to a password, it is no user at all.
    return jdbc.sql(
            "select username, password_hash, role, disabled_at from users where username = ? and"
                + " password_hash is not null")
        .param(username)
        .query(
            (rs, n) ->
                User.withUsername(rs.getString("username"))
                    .password(rs.getString("password_hash"))
                    .roles(rs.getString("role"))
                    .disabled(rs.getObject("disabled_at") != null)
                    .build())
        .optional()
        .orElseThrow(() -> new UsernameNotFoundException("no user " + username));
  }

  public StaffUser create(String username, String password, Role role) {
    String id = Ids.next("usr", clock);
    Instant now = clock.instant();
    jdbc.sql(
            "insert into users (id, username, password_hash, role, created_at) values (?, ?, ?, ?,"
                + " ?)")
        .params(id, username, encoder.encode(password), role.name(), Db.ts(now))
        .update();
    return new StaffUser(id, username, role, now, null, StaffUser.PASSWORD);
  }

  /** A user the identity provider vouches for: no password, found again by issuer and subject. */
  public StaffUser createExternal(String username, Role role, String issuer, String subject) {
    String id = Ids.next("usr", clock);
    Instant now = clock.instant();
    jdbc.sql(
            "insert into users (id, username, role, created_at, oidc_issuer, oidc_subject) values"
                + " (?, ?, ?, ?, ?, ?)")
        .params(id, username, role.name(), Db.ts(now), issuer, subject)
        .update();
    return new StaffUser(id, username, role, now, null, StaffUser.OIDC);
  }

  public Optional<StaffUser> findExternal(String issuer, String subject) {
    return jdbc.sql("select * from users where oidc_issuer = ? and oidc_subject = ?")
        .params(issuer, subject)
        .query(UserStore::map)
        .optional();
  }

  public boolean exists(String username) {
    return jdbc.sql("select count(*) from users where username = ?")
            .param(username)
            .query(Long.class)
            .single()
        > 0;
  }

  public long count() {
    return jdbc.sql("select count(*) from users").query(Long.class).single();
  }

  public Optional<Role> role(String username) {
    return jdbc.sql("select role from users where username = ?")
        .param(username)
        .query((rs, n) -> Role.valueOf(rs.getString(1)))
        .optional();
  }

  public List<StaffUser> list() {
    return jdbc.sql("select * from users order by username").query(UserStore::map).list();
  }

  public Optional<StaffUser> find(String username) {
    return jdbc.sql("select * from users where username = ?")
        .param(username)
        .query(UserStore::map)
        .optional();
  }

  /**
   * Disabled users can no longer sign in, and their API tokens stop working with them; nothing is
   * deleted, so the audit log keeps naming them.
   *
   * @return true when this call disabled the user
   */
  public boolean disable(String username) {
    return jdbc.sql("update users set disabled_at = ? where username = ? and disabled_at is null")
            .params(Db.ts(clock.instant()), username)
            .update()
        == 1;
  }

  /**
   * A new role applies on the user's next request, in every console session and API token (a token
   * scoped to a role the user no longer holds stops working).
   *
   * @return true when the role changed
   */
  public boolean changeRole(String username, Role role) {
    return jdbc.sql("update users set role = ? where username = ? and role <> ?")
            .params(role.name(), username, role.name())
            .update()
        == 1;
  }

  private static StaffUser map(ResultSet rs, int n) throws SQLException {
    return new StaffUser(
        rs.getString("id"),
        rs.getString("username"),
        Role.valueOf(rs.getString("role")),
        Db.instant(rs, "created_at"),
        Db.instant(rs, "disabled_at"),
        rs.getString("oidc_subject") == null ? StaffUser.PASSWORD : StaffUser.OIDC);
  }
}
