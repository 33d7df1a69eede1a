package dev.keyturn.server.security;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.security.internal.UserStore;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.Validator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Staff users (ADMIN only); the console's admin page calls the same methods. */
@RestController
public class UserController {
  static final int MIN_PASSWORD_LENGTH = 12;
  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");

  private final UserStore users;
  private final EventLog events;

  UserController(UserStore users, EventLog events) {
    this.users = users;
    this.events = events;
  }

  public record NewUser(String username, String password, Role role) {}

  @GetMapping("/api/v1/users")
  public List<UserStore.StaffUser> list() {
    return users.list();
  }

  @PostMapping("/api/v1/users")
  @ResponseStatus(HttpStatus.CREATED)
  @Transactional
  public UserStore.StaffUser create(@RequestBody NewUser body) {
    Validator v = new Validator();
    v.check(
        body.username() != null && USERNAME.matcher(body.username()).matches(),
        "username",
        "must be 1 to 100 of letters, digits, '.', '_', '@' or '-'");
    v.check(
        body.password() != null && body.password().length() >= MIN_PASSWORD_LENGTH,
        "password",
        "must be at least " + MIN_PASSWORD_LENGTH + " characters");
    v.check(
        body.role() != null,
        "role",
        "is required: one of ADMIN, SALES, ENGINEER, SUPPORT, READONLY");
    v.throwIfAny();
    if (users.exists(body.username())) {
      throw new KeyturnServerException(
          ErrorCode.CONFLICT, "a user named '" + body.username() + "' exists already");
    }
    UserStore.StaffUser user = users.create(body.username(), body.password(), body.role());
    events.record(
        "user.created",
        Actor.current().name(),
        null,
        null,
        Map.of("username", user.username(), "role", user.role().name()));
    return user;
  }

  public record RoleChange(Role role) {}

  /** Takes effect on the user's next request, in every session and token they hold. */
  @PutMapping("/api/v1/users/{username}/role")
  @Transactional
  public UserStore.StaffUser changeRole(
      @PathVariable String username, @RequestBody RoleChange body) {
    Actor actor = Actor.current();
    Validator v = new Validator();
    v.check(
        body.role() != null,
        "role",
        "is required: one of ADMIN, SALES, ENGINEER, SUPPORT, READONLY");
    v.throwIfAny();
    UserStore.StaffUser before =
        users.find(username).orElseThrow(() -> KeyturnServerException.notFound("user", username));
    if (username.equals(Actor.currentUsername())) {
      throw new KeyturnServerException(
          ErrorCode.CONFLICT, "you cannot change your own role; ask another admin");
    }
    if (users.changeRole(username, body.role())) {
      events.record(
          "user.role_changed",
          actor.name(),
          null,
          null,
          Map.of("username", username, "from", before.role().name(), "to", body.role().name()));
    }
    return users.find(username).orElseThrow();
  }

  @PostMapping("/api/v1/users/{username}/disable")
  @Transactional
  public UserStore.StaffUser disable(@PathVariable String username) {
    Actor actor = Actor.current();
    users.find(username).orElseThrow(() -> KeyturnServerException.notFound("user", username));
    if (username.equals(Actor.currentUsername())) {
      throw new KeyturnServerException(
          ErrorCode.CONFLICT, "you cannot disable yourself; ask another admin");
    }
    if (!users.disable(username)) {
      throw new KeyturnServerException(
          ErrorCode.CONFLICT, "user " + username + " is disabled already");
    }
    events.record("user.disabled", actor.name(), null, null, Map.of("username", username));
    return users.find(username).orElseThrow();
  }
}
