package dev.keyturn.server.audit.internal;

import dev.keyturn.server.audit.Event;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.audit.EventQuery;
import dev.keyturn.server.web.Paging;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log, newest first. */
@RestController
class EventController {
  private final EventLog events;

  EventController(EventLog events) {
    this.events = events;
  }

  @GetMapping("/api/v1/events")
  List<Event> list(
      @RequestParam(required = false) String type,
      @RequestParam(name = "subscription_id", required = false) String subscriptionId,
      @RequestParam(name = "license_id", required = false) String licenseId,
      @RequestParam(required = false) String actor,
      @RequestParam(required = false) Instant since,
      @RequestParam(required = false) Instant until,
      @RequestParam(name = "before_id", required = false) Long beforeId,
      @RequestParam(required = false) Integer limit) {
    return events.find(
        new EventQuery(
            type, subscriptionId, licenseId, actor, since, until, beforeId, Paging.limit(limit)));
  }
}
