package dev.keyturn.server.security;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.Validator;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * API tokens for scripts and the CLI. Everyone manages their own; a token is scoped to the owner's
 * role or to READONLY (an ADMIN may scope one to any role). Admins see and revoke every token. Only
 * a person signed in with their password makes tokens: a token cannot make another.
 */
@RestController
public class ApiTokenController {
  private final ApiTokenStore tokens;
  private final EventLog events;

  ApiTokenController(ApiTokenStore tokens, EventLog events) {
    this.tokens = tokens;
    this.events = events;
  }

  public record NewToken(String name, Role role) {}

  @GetMapping("/api/v1/api-tokens")
  public List<ApiTokenStore.ApiToken> list() {
    Actor actor = Actor.current();
    return tokens.list(actor.is(Role.ADMIN) ? null : Actor.currentUsername());
  }

  @PostMapping("/api/v1/api-tokens")
  @ResponseStatus(HttpStatus.CREATED)
  @Transactional
  public ApiTokenStore.CreatedToken create(@RequestBody NewToken body) {
    Actor actor = Actor.current();
    if (SecurityContextHolder.getContext().getAuthentication().getPrincipal()
        instanceof TokenPrincipal) {
      // A leaked token must not mint others that outlive its revocation.
      throw new KeyturnServerException(
          ErrorCode.FORBIDDEN,
          "API tokens are created by a signed-in person (password or console), not by another"
              + " token");
    }
    String username = Actor.currentUsername();
    Validator v = new Validator();
    v.text(body.name(), "name", 100, true);
    v.throwIfAny();
    Role role = body.role() == null ? actor.role() : body.role();
    if (!ApiTokenStore.mayHold(actor.role(), role)) {
      throw new KeyturnServerException(
          ErrorCode.FORBIDDEN,
          "a " + actor.role() + " may create tokens for its own role or READONLY, not " + role);
    }
    ApiTokenStore.CreatedToken created = tokens.create(username, body.name(), role);
    events.record(
        "api_token.created",
        actor.name(),
        null,
        null,
        Map.of("token_id", created.id(), "name", created.name(), "role", role.name()));
    return created;
  }

  @PostMapping("/api/v1/api-tokens/{id}/revoke")
  @Transactional
  public ApiTokenStore.ApiToken revoke(@PathVariable String id) {
    Actor actor = Actor.current();
    ApiTokenStore.ApiToken token =
        tokens.find(id).orElseThrow(() -> KeyturnServerException.notFound("API token", id));
    if (!actor.is(Role.ADMIN) && !token.username().equals(Actor.currentUsername())) {
      throw KeyturnServerException.notFound("API token", id); // others' tokens are invisible
    }
    if (!tokens.revoke(id)) {
      throw new KeyturnServerException(ErrorCode.CONFLICT, "the token is revoked already");
    }
    events.record("api_token.revoked", actor.name(), null, null, Map.of("token_id", id));
    return tokens.find(id).orElseThrow();
  }
}
