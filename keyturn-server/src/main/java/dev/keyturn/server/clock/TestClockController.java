package dev.keyturn.server.clock;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Shows and moves the server clock. Exists only with {@code keyturn.test-clock.enabled=true}. */
@RestController
@RequestMapping("/api/v1/test-clock")
@ConditionalOnProperty(name = "keyturn.test-clock.enabled", havingValue = "true")
public class TestClockController {
  private final TestClock clock;
  private final EventLog events;

  TestClockController(Clock clock, EventLog events) {
    this.clock = (TestClock) clock;
    this.events = events;
  }

  @GetMapping
  public ClockView show() {
    return view();
  }

  /** Exactly one of {@code advance} (an ISO-8601 duration, e.g. {@code P30D}) or {@code set}. */
  @PostMapping
  public ClockView move(@RequestBody MoveRequest request) {
    if ((request.advance() == null) == (request.set() == null)) {
      throw ValidationException.of("advance", "give exactly one of 'advance' or 'set'");
    }
    Instant before = clock.instant();
    try {
      if (request.advance() != null) {
        clock.advance(request.advance());
      } else {
        clock.set(request.set());
      }
    } catch (TestClock.TooFarException e) {
      throw ValidationException.of(request.advance() != null ? "advance" : "set", e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new KeyturnServerException(ErrorCode.TEST_CLOCK_BACKWARDS, e.getMessage());
    }
    events.record(
        "test_clock.moved",
        Actor.current().name(),
        null,
        null,
        Map.of("from", before.toString(), "to", clock.instant().toString()));
    return view();
  }

  private ClockView view() {
    return new ClockView(clock.instant(), clock.offset());
  }

  public record MoveRequest(Duration advance, Instant set) {}

  public record ClockView(Instant now, Duration offset) {}
}
