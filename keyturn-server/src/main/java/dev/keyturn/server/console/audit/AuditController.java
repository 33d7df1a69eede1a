package dev.keyturn.server.console.audit;

import dev.keyturn.server.audit.Event;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.audit.EventQuery;
import dev.keyturn.server.web.ValidationException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit log for every staff member: newest first, filtered by type, actor, subscription and a
 * range of UTC days, paged by the id of the last entry shown (stable while new events arrive).
 */
@Controller
class AuditController {
  private static final int PAGE = 50;

  private final EventLog events;

  AuditController(EventLog events) {
    this.events = events;
  }

  /** The filters as typed, for the form and the paging links. */
  public record Filter(String type, String actor, String subscription, String from, String to) {
    public Filter {
      type = blankToNull(type);
      actor = blankToNull(actor);
      subscription = blankToNull(subscription);
      from = blankToNull(from);
      to = blankToNull(to);
    }
  }

  @GetMapping("/console/audit")
  String list(
      @RequestParam(required = false) String type,
      @RequestParam(required = false) String actor,
      @RequestParam(required = false) String subscription,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) Long before,
      Model model) {
    Filter f = new Filter(type, actor, subscription, from, to);
    model.addAttribute("filter", f);
    model.addAttribute("before", before);
    try {
      List<Event> found =
          events.find(
              new EventQuery(
                  f.type(),
                  f.subscription(),
                  null,
                  f.actor(),
                  day(f.from(), "from", 0),
                  day(f.to(), "to", 1),
                  before,
                  PAGE + 1));
      model.addAttribute("events", found.subList(0, Math.min(found.size(), PAGE)));
      model.addAttribute("olderThan", found.size() > PAGE ? found.get(PAGE - 1).id() : null);
    } catch (ValidationException e) {
      model.addAttribute("events", List.of());
      model.addAttribute("flashError", e.getMessage());
    }
    return "console/audit/list";
  }

  /** The start of that UTC day, plus {@code plusDays} (the "to" day is included whole). */
  private static Instant day(String date, String field, int plusDays) {
    if (date == null) {
      return null;
    }
    try {
      return LocalDate.parse(date).plusDays(plusDays).atStartOfDay().toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw ValidationException.of(field, "a date like 2026-11-23, was '" + date + "'");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }
}
