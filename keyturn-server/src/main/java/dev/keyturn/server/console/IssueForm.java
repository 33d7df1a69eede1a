package dev.keyturn.server.console;

import dev.keyturn.server.license.IssueRequest;
import dev.keyturn.server.web.Validator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The issue form as posted: validity in days or an expiry date (one of them), an optional seat
 * override, tags, and whether to mail the license to the contacts ({@code mail=yes}, the checkbox's
 * value; ticked when the form first opens).
 */
public record IssueForm(
    String days, String expiresOn, String seats, List<String> tags, String mail) {
  static final List<String> TAGS = List.of("test", "dev", "internal", "trial");

  static IssueForm suggested(int days) {
    return new IssueForm(String.valueOf(days), "", "", List.of(), "yes");
  }

  public IssueForm {
    tags = tags == null ? List.of() : List.copyOf(tags);
  }

  /** The request for the issuer, which validates it (and enforces the caller's limits). */
  IssueRequest request() {
    Validator v = new Validator();
    Duration duration = null;
    if (days != null && !days.isBlank()) {
      try {
        duration = Duration.ofDays(Long.parseLong(days.strip()));
      } catch (NumberFormatException e) {
        v.error("days", "'" + days + "' is not a whole number of days");
      }
    }
    Instant expiresAt = expiresOn == null ? null : SubscriptionForm.day(expiresOn, "expires_on", v);
    Long seatOverride = null;
    if (seats != null && !seats.isBlank()) {
      try {
        seatOverride = Long.valueOf(seats.strip());
      } catch (NumberFormatException e) {
        v.error("seats", "'" + seats + "' is not a whole number");
      }
    }
    v.check(
        (duration == null) != (expiresAt == null),
        "days",
        "give the validity in days or an expiry date (one of them)");
    v.throwIfAny();
    return new IssueRequest(null, expiresAt, duration, seatOverride, tags, notifies());
  }

  public boolean notifies() {
    return "yes".equals(mail);
  }

  public boolean tagged(String tag) {
    return tags.contains(tag);
  }
}
