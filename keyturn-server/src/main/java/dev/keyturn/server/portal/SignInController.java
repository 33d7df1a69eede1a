package dev.keyturn.server.portal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.Validator;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Signing in without a password: ask for a link, get it by mail, follow it. Following it shows a
 * button rather than signing in at once, so that a mail scanner that fetches links does not use up
 * the one-time token.
 */
@Controller
class SignInController {
  private final SignInLinks links;
  private final SignInTokens tokens;
  private final PortalSession session;
  private final ContactDirectory contacts;
  private final EventLog events;

  SignInController(
      SignInLinks links,
      SignInTokens tokens,
      PortalSession session,
      ContactDirectory contacts,
      EventLog events) {
    this.links = links;
    this.tokens = tokens;
    this.session = session;
    this.contacts = contacts;
    this.events = events;
  }

  @GetMapping(PortalSecurity.HOME)
  String home(Model model) {
    model.addAttribute("minutes", SignInTokens.LIFETIME.toMinutes());
    if (SecurityContextHolder.getContext().getAuthentication() != null
        && SecurityContextHolder.getContext().getAuthentication().getPrincipal()
            instanceof PortalContact) {
      return "redirect:" + PortalController.SUBSCRIPTIONS;
    }
    return "portal/sign-in";
  }

  /** The answer is the same whether or not the address is a contact: it reveals nothing. */
  @PostMapping(PortalSecurity.HOME + "/sign-in-link")
  String requestLink(
      @RequestParam(defaultValue = "") String email,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model,
      RedirectAttributes redirect) {
    String address = email.strip();
    Validator v = new Validator();
    v.email(address, "email");
    try {
      v.throwIfAny();
      links.request(address, request.getRemoteAddr());
    } catch (KeyturnServerException e) {
      response.setStatus(e.code().status().value());
      model.addAttribute("email", address);
      model.addAttribute("minutes", SignInTokens.LIFETIME.toMinutes());
      model.addAttribute(
          "error",
          e.code() == ErrorCode.RATE_LIMITED
              ? e.getMessage()
              : "'" + address + "' is not an e-mail address.");
      return "portal/sign-in";
    }
    redirect.addFlashAttribute("sentTo", address);
    return "redirect:" + PortalSecurity.HOME;
  }

  /** Where the mailed link lands: a page with a button; nothing is used up by opening it. */
  @GetMapping(SignInLinks.PATH)
  String confirm(@RequestParam(defaultValue = "") String token, Model model) {
    model.addAttribute("token", token);
    return "portal/confirm";
  }

  @PostMapping(SignInLinks.PATH)
  String signIn(
      @RequestParam(defaultValue = "") String token,
      @RequestParam(defaultValue = "") String zone,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    Optional<String> email = tokens.redeem(token);
    if (email.isEmpty()) {
      response.setStatus(ErrorCode.UNAUTHENTICATED.status().value());
      model.addAttribute(
          "error",
          "This sign-in link has expired or has been used already. Ask for a new one below.");
      return "portal/sign-in";
    }
    session.start(email.get(), zone(zone), request, response);
    for (Subscription s : contacts.subscriptionsOf(email.get())) {
      events.record("portal.signed_in", "contact:" + email.get(), s.id(), null, Map.of());
    }
    return "redirect:" + PortalController.SUBSCRIPTIONS;
  }

  /** The zone the browser reported; UTC (and labelled so) when it said nothing usable. */
  private static ZoneId zone(String reported) {
    try {
      return reported.isBlank() || reported.length() > 64 ? ZoneOffset.UTC : ZoneId.of(reported);
    } catch (DateTimeException e) {
      return ZoneOffset.UTC;
    }
  }
}
