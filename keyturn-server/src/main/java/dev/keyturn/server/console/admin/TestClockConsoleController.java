package dev.keyturn.server.console.admin;

import dev.keyturn.server.clock.TestClockController;
import dev.keyturn.server.console.FormActions;
import dev.keyturn.server.console.UtcTimes;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Moves the test clock from the admin page, through the API's {@link TestClockController} (which
 * only moves forward and audits each move). On a server without a test clock it refuses.
 */
@Controller
class TestClockConsoleController {
  private static final UtcTimes UTC = new UtcTimes();
  private static final Map<String, ChronoUnit> UNITS =
      Map.of("days", ChronoUnit.DAYS, "hours", ChronoUnit.HOURS, "minutes", ChronoUnit.MINUTES);

  private final ObjectProvider<TestClockController> clock;

  TestClockConsoleController(ObjectProvider<TestClockController> clock) {
    this.clock = clock;
  }

  @PostMapping("/console/admin/test-clock/advance")
  String advance(
      @RequestParam(defaultValue = "") String amount,
      @RequestParam(defaultValue = "days") String unit,
      RedirectAttributes redirect) {
    TestClockController c = enabled();
    return FormActions.redirect(
        "/console/admin#test-clock",
        redirect,
        () -> {
          ChronoUnit u = UNITS.get(unit);
          long n;
          try {
            n = Long.parseLong(amount.strip());
          } catch (NumberFormatException e) {
            throw ValidationException.of("amount", "a whole number, was '" + amount + "'");
          }
          if (u == null) {
            throw ValidationException.of("unit", "one of " + UNITS.keySet());
          }
          Instant now = c.move(new TestClockController.MoveRequest(Duration.of(n, u), null)).now();
          return "Server time is now " + UTC.seconds(now) + ".";
        });
  }

  /** {@code to} is a {@code datetime-local} value, read as UTC. */
  @PostMapping("/console/admin/test-clock/set")
  String set(@RequestParam(defaultValue = "") String to, RedirectAttributes redirect) {
    TestClockController c = enabled();
    return FormActions.redirect(
        "/console/admin#test-clock",
        redirect,
        () -> {
          Instant target;
          try {
            target = LocalDateTime.parse(to.strip()).toInstant(ZoneOffset.UTC);
          } catch (DateTimeParseException e) {
            throw ValidationException.of("to", "a date and time like 2027-01-31T09:00 (UTC)");
          }
          Instant now = c.move(new TestClockController.MoveRequest(null, target)).now();
          return "Server time is now " + UTC.seconds(now) + ".";
        });
  }

  private TestClockController enabled() {
    TestClockController c = clock.getIfAvailable();
    if (c == null) {
      throw new KeyturnServerException(
          ErrorCode.NOT_FOUND,
          "this server has no test clock (start it with keyturn.test-clock.enabled=true)");
    }
    return c;
  }
}
