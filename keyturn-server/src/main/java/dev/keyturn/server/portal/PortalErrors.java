package dev.keyturn.server.portal;

import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Errors on portal pages are pages, with the status of the {@link ErrorCode}; and every portal page
 * knows who is signed in ({@code ${contact}}, null on the sign-in pages).
 */
@ControllerAdvice(basePackageClasses = PortalErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PortalErrors {
  private static final Logger log = LoggerFactory.getLogger(PortalErrors.class);

  @ModelAttribute("contact")
  PortalContact contact() {
    try {
      return PortalContact.current();
    } catch (KeyturnServerException e) {
      return null;
    }
  }

  @ExceptionHandler(KeyturnServerException.class)
  String keyturn(KeyturnServerException e, Model model, HttpServletResponse response) {
    // "Not found" says nothing more: not whose it is, nor whether it exists at all.
    String message =
        e.code() == ErrorCode.NOT_FOUND
            ? "There is no such page among your subscriptions."
            : e.getMessage();
    return page(e.code(), message, model, response);
  }

  @ExceptionHandler(Exception.class)
  String unexpected(Exception e, Model model, HttpServletResponse response) {
    log.error("unexpected error on a portal page", e);
    return page(
        ErrorCode.INTERNAL,
        "Something went wrong on our side. Please try again later.",
        model,
        response);
  }

  private String page(ErrorCode code, String message, Model model, HttpServletResponse response) {
    response.setStatus(code.status().value());
    model.addAttribute("contact", contact());
    model.addAttribute("title", code.title());
    model.addAttribute("message", message);
    return "portal/error";
  }
}
