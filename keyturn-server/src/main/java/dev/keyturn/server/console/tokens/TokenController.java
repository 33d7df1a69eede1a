package dev.keyturn.server.console.tokens;

import dev.keyturn.server.console.FormActions;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.security.ApiTokenController;
import dev.keyturn.server.security.ApiTokenStore;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.ValidationException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The signed-in staff member's own API tokens. Creating and revoking go through the API's {@link
 * ApiTokenController}, which decides which roles a token may carry; the new token travels to the
 * next page as a one-time flash attribute and is never stored or shown again.
 */
@Controller
class TokenController {
  private final ApiTokenController api;
  private final ApiTokenStore tokens;

  TokenController(ApiTokenController api, ApiTokenStore tokens) {
    this.api = api;
    this.tokens = tokens;
  }

  @GetMapping("/console/tokens")
  String list(Model model) {
    Actor actor = Actor.current();
    model.addAttribute("tokens", tokens.list(Actor.currentUsername()));
    model.addAttribute("roles", grantable(actor.role()));
    return "console/tokens/list";
  }

  @PostMapping("/console/tokens")
  String create(
      @RequestParam(defaultValue = "") String name,
      @RequestParam(defaultValue = "") String role,
      RedirectAttributes redirect) {
    try {
      ApiTokenStore.CreatedToken created =
          api.create(new ApiTokenController.NewToken(name.strip(), role(role)));
      redirect.addFlashAttribute(
          "flash", "Token " + created.name() + " created. Copy it now: it is not shown again.");
      redirect.addFlashAttribute("token", created.token());
    } catch (KeyturnServerException e) {
      redirect.addFlashAttribute("flashError", e.getMessage());
    }
    return "redirect:/console/tokens";
  }

  @PostMapping("/console/tokens/{id}/revoke")
  String revoke(@PathVariable String id, RedirectAttributes redirect) {
    return FormActions.redirect(
        "/console/tokens",
        redirect,
        () -> "Token " + api.revoke(id).name() + " revoked: it no longer authenticates.");
  }

  /** What the form offers; the API enforces the same rule whatever is posted. */
  private static List<Role> grantable(Role own) {
    return own == Role.ADMIN
        ? Arrays.asList(Role.values())
        : own == Role.READONLY ? List.of(Role.READONLY) : List.of(own, Role.READONLY);
  }

  private static Role role(String name) {
    try {
      return Role.valueOf(name.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ValidationException.of("role", "one of " + Arrays.toString(Role.values()));
    }
  }
}
