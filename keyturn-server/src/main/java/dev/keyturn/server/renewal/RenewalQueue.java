package dev.keyturn.server.renewal;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.LicenseTokens;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionService;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.Validator;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renewal requests: from the product's Renew button (license token), from staff, or opened by the
 * sweep at D-1; SALES works them off as a queue (through the API, {@code
 * internal/RenewalRequestController}, or in the console, which call these methods).
 */
@Service
public class RenewalQueue {
  private final JdbcClient jdbc;
  private final Clock clock;
  private final Licenses licenses;
  private final SubscriptionService subscriptions;
  private final EventLog events;
  private final RenewalRequests requests;
  private final JsonMapper json;

  RenewalQueue(
      JdbcClient jdbc,
      Clock clock,
      Licenses licenses,
      SubscriptionService subscriptions,
      EventLog events,
      RenewalRequests requests,
      JsonMapper json) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.licenses = licenses;
    this.subscriptions = subscriptions;
    this.events = events;
    this.requests = requests;
    this.json = json;
  }

  /** What the Renew button of keyturn-client-web sends; the server's own data wins. */
  public record RenewalRequestBody(
      String licenseId,
      String subscriptionId,
      String customer,
      String tier,
      String expiresAt,
      String instanceDomain,
      String instanceId,
      String contactName,
      String contactEmail,
      String message) {}

  public record RenewalRequest(
      String id,
      String subscriptionId,
      String licenseId,
      String source,
      String state,
      String tier,
      Instant expiresAt,
      String note,
      Map<String, Object> details,
      Instant createdAt,
      String createdBy,
      Instant closedAt,
      String closedBy) {}

  /**
   * The answer to a request: its id, a message to show the person, and whether it is new (false
   * when one from the same source was open already).
   */
  public record Answer(String id, String message, boolean created) {}

  /** The answer to a close. */
  public record Closed(String id, String state, Instant closedAt) {}

  /** What was done about the request, kept in the audit event. */
  public record CloseRequest(String note) {}

  /**
   * Opens a request, or answers the one from the same source still open.
   *
   * @param token the license of the token the request was authenticated with (the Renew button),
   *     null for staff
   */
  @Transactional
  public Answer create(RenewalRequestBody body, LicenseRecord token) {
    Validator v = new Validator();
    if (body == null) {
      v.error("body", "is required").throwIfAny();
    }
    v.text(body.contactName(), "contact_name", 200, false);
    v.text(body.message(), "message", 2000, false);
    v.text(body.instanceDomain(), "instance_domain", 253, false);
    v.text(body.instanceId(), "instance_id", 200, false);
    v.text(body.customer(), "customer", 200, false);
    v.text(body.tier(), "tier", 64, false);
    v.text(body.expiresAt(), "expires_at", 64, false);
    if (body.contactEmail() != null && !body.contactEmail().isBlank()) {
      v.email(body.contactEmail(), "contact_email");
    }
    v.throwIfAny();

    String by;
    String source;
    Subscription s;
    LicenseRecord license;
    if (token != null) {
      license = token;
      if (license.revokedAt() != null) {
        throw new KeyturnServerException(
            ErrorCode.LICENSE_REVOKED, "license " + license.id() + " was revoked");
      }
      s = subscriptions.get(license.subscriptionId());
      source = "CUSTOMER";
      by = "license:" + license.id();
    } else {
      Authentication auth = SecurityContextHolder.getContext().getAuthentication();
      if (auth == null || auth instanceof AnonymousAuthenticationToken) {
        throw unknownToken();
      }
      Actor actor = Actor.current();
      v.text(body.subscriptionId(), "subscription_id", 40, true);
      v.throwIfAny();
      s = subscriptions.get(body.subscriptionId().strip());
      license =
          body.licenseId() == null
              ? licenses.newestUsable(s.id(), clock.instant()).orElse(null)
              : licenses
                  .find(body.licenseId().strip())
                  .filter(l -> l.subscriptionId().equals(s.id()))
                  .orElseThrow(
                      () ->
                          KeyturnServerException.notFound(
                              "license of " + s.id(), body.licenseId()));
      source = "STAFF";
      by = actor.name();
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("contact_name", trim(body.contactName()));
    details.put(
        "contact_email",
        body.contactEmail() == null ? null : body.contactEmail().strip().toLowerCase(Locale.ROOT));
    details.put("instance_domain", trim(body.instanceDomain()));
    details.put("instance_id", trim(body.instanceId()));
    details.put("customer_as_sent", trim(body.customer()));
    details.put("tier_as_sent", trim(body.tier()));
    details.put(
        "expires_at_as_sent", body.expiresAt() == null ? null : body.expiresAt().toString());
    RenewalRequests.Opened opened =
        requests.open(s, license, source, by, trim(body.message()), details);
    if (!opened.created()) {
      return new Answer(
          opened.id(),
          "Your renewal request is already with our sales team; we'll be in touch.",
          false);
    }
    return new Answer(
        opened.id(),
        "Thank you: our sales team has your renewal request and will contact you.",
        true);
  }

  public List<RenewalRequest> list(String state, String subscriptionId) {
    String st = state == null ? null : state.strip().toUpperCase(Locale.ROOT);
    if (st != null && !st.equals("OPEN") && !st.equals("CLOSED")) {
      new Validator().error("state", "open or closed").throwIfAny();
    }
    return jdbc.sql(
            "select * from renewal_requests where (? is null or state = ?) and (? is null or"
                + " subscription_id = ?) order by created_at, id limit 1000")
        .params(st, st, subscriptionId, subscriptionId)
        .query(
            (rs, n) -> {
              String d = rs.getString("details");
              @SuppressWarnings("unchecked")
              Map<String, Object> details = d == null ? Map.of() : json.readValue(d, Map.class);
              return new RenewalRequest(
                  rs.getString("id"),
                  rs.getString("subscription_id"),
                  rs.getString("license_id"),
                  rs.getString("source"),
                  rs.getString("state"),
                  rs.getString("tier"),
                  Db.instant(rs, "expires_at"),
                  rs.getString("note"),
                  details,
                  Db.instant(rs, "created_at"),
                  rs.getString("created_by"),
                  Db.instant(rs, "closed_at"),
                  rs.getString("closed_by"));
            })
        .list();
  }

  @Transactional
  public Closed close(String id, CloseRequest body) {
    Actor actor = Actor.current();
    String note = body == null ? null : trim(body.note());
    Validator v = new Validator();
    v.text(note, "note", 2000, false);
    v.throwIfAny();
    String subscriptionId =
        jdbc.sql("select subscription_id from renewal_requests where id = ?")
            .param(id)
            .query(String.class)
            .optional()
            .orElseThrow(() -> KeyturnServerException.notFound("renewal request", id));
    Instant now = clock.instant();
    int changed =
        jdbc.sql(
                "update renewal_requests set state = 'CLOSED', closed_at = ?, closed_by = ? where"
                    + " id = ? and state = 'OPEN'")
            .params(Db.ts(now), actor.name(), id)
            .update();
    if (changed == 0) {
      throw new KeyturnServerException(ErrorCode.CONFLICT, "renewal request " + id + " is closed");
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("renewal_request_id", id);
    if (note != null) {
      meta.put("note", note);
    }
    events.record("renewal.closed", actor.name(), subscriptionId, null, meta);
    return new Closed(id, "CLOSED", now);
  }

  private static String trim(String s) {
    return s == null || s.isBlank() ? null : s.strip();
  }

  private static KeyturnServerException unknownToken() {
    return new KeyturnServerException(
        ErrorCode.LICENSE_TOKEN_UNKNOWN,
        "send the token of a license issued by this server: Authorization: Bearer "
            + LicenseTokens.PREFIX
            + "…");
  }
}
