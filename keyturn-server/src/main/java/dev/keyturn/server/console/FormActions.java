package dev.keyturn.server.console;

import dev.keyturn.server.web.KeyturnServerException;
import java.util.function.Supplier;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A console form post: run the action, then redirect (post/redirect/get) with what happened as a
 * one-time message, or with the service's reason when it refused, so the form page shows it.
 */
public final class FormActions {
  private FormActions() {}

  /**
   * @param action does the work and returns the message to show
   */
  public static String redirect(
      String target, RedirectAttributes redirect, Supplier<String> action) {
    try {
      redirect.addFlashAttribute("flash", action.get());
    } catch (KeyturnServerException e) {
      redirect.addFlashAttribute("flashError", e.getMessage());
    }
    return "redirect:" + target;
  }
}
