package dev.keyturn.server.console;

import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.ui.Model;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Errors on console pages are pages, not the API's problem+json: the same codes and messages, with
 * the status of the {@link ErrorCode}. Ordered before the API's handler, which would answer JSON.
 */
@ControllerAdvice(basePackageClasses = ConsoleErrors.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleErrors {
  private static final Logger log = LoggerFactory.getLogger(ConsoleErrors.class);

  @ExceptionHandler(KeyturnServerException.class)
  String keyturn(KeyturnServerException e, Model model, HttpServletResponse response) {
    return page(e.code(), e.getMessage(), model, response);
  }

  @ExceptionHandler(NoResourceFoundException.class)
  String notFound(NoResourceFoundException e, Model model, HttpServletResponse response) {
    return page(ErrorCode.NOT_FOUND, "There is no such page.", model, response);
  }

  /** A hand-edited address, e.g. {@code ?page=abc}: the user's mistake, not ours. */
  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  String typeMismatch(
      MethodArgumentTypeMismatchException e, Model model, HttpServletResponse response) {
    return page(
        ErrorCode.VALIDATION_FAILED,
        "'" + e.getValue() + "' is not a valid value for " + e.getName() + ".",
        model,
        response);
  }

  @ExceptionHandler(Exception.class)
  String unexpected(Exception e, Model model, HttpServletResponse response) {
    if (e instanceof ErrorResponse framework) {
      // The framework's own refusals (a missing parameter, a wrong method…) keep their status.
      ErrorCode code = ErrorCode.forStatus(framework.getStatusCode().value());
      if (code != ErrorCode.INTERNAL) {
        return page(code, code.title() + ".", model, response);
      }
    }
    log.error("unexpected error on a console page", e);
    return page(
        ErrorCode.INTERNAL,
        "Something went wrong on our side; the server log has the details.",
        model,
        response);
  }

  private static String page(
      ErrorCode code, String message, Model model, HttpServletResponse response) {
    response.setStatus(code.status().value());
    model.addAttribute("code", code.code());
    model.addAttribute("title", code.title());
    model.addAttribute("message", message);
    return "console/error";
  }
}
