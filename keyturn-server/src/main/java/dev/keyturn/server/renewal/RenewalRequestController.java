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
import dev.keyturn.server.web.OpenApiConfiguration;
import dev.keyturn.server.web.Validator;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * Renewal requests: from the product's Renew button (license token), from staff, or opened by the
 * sweep at D-1; SALES works them off as a queue (here or in the console, which calls these
 * methods).
 */
@RestController
@Tag(name = "Renewal requests", description = "The product's Renew button and SALES' queue")
public class RenewalRequestController {
  private final JdbcClient jdbc;
  private final Clock clock;
  private final Licenses licenses;
  private final SubscriptionService subscriptions;
  private final EventLog events;
  private final RenewalRequests requests;
  private final JsonMapper json;

  RenewalRequestController(
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
  record RenewalRequestBody(
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

  record Created(String id, String message) {}

  /** The answer to a close. */
  public record Closed(String id, String state, Instant closedAt) {}

  /** What was done about the request, kept in the audit event. */
  public record CloseRequest(String note) {}

  @PostMapping("/api/v1/renewal-requests")
  @Transactional
  @Operation(
      summary = "Request a renewal",
      description =
          "From the product's Renew button with its license token (Bearer kt_lic_…), or by staff"
              + " (then subscription_id is required). The server's own data wins over what is"
              + " sent: customer reference, current expiry and tier come from the subscription and"
              + " license. Emits renewal.requested (event and outbound webhook). While a request"
              + " from the same source is open, the same one is answered (200).",
      security = {
        @SecurityRequirement(name = OpenApiConfiguration.LICENSE_TOKEN),
        @SecurityRequirement(name = OpenApiConfiguration.BASIC),
        @SecurityRequirement(name = OpenApiConfiguration.TOKEN)
      })
  @ApiResponse(responseCode = "201", description = "Opened; a message to show the person")
  @ApiResponse(responseCode = "200", description = "One is already open: its id")
  @ApiResponse(responseCode = "400", ref = OpenApiConfiguration.INVALID)
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  @ApiResponse(
      responseCode = "403",
      ref = OpenApiConfiguration.FORBIDDEN,
      description = "The license was revoked (license.revoked)")
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
  @ApiResponse(responseCode = "409", ref = OpenApiConfiguration.CONFLICT)
  ResponseEntity<Created> create(
      @RequestBody(required = false) RenewalRequestBody body,
      @Parameter(hidden = true) @RequestHeader(name = "Authorization", required = false)
          String authorization) {
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
    if (authorization != null
        && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
        && authorization.substring(7).strip().startsWith(LicenseTokens.PREFIX)) {
      license =
          licenses
              .findByTokenHash(LicenseTokens.hash(authorization.substring(7).strip()))
              .orElseThrow(RenewalRequestController::unknownToken);
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
      return ResponseEntity.ok(
          new Created(
              opened.id(),
              "Your renewal request is already with our sales team; we'll be in touch."));
    }
    return ResponseEntity.status(HttpStatus.CREATED)
        .body(
            new Created(
                opened.id(),
                "Thank you: our sales team has your renewal request and will contact you."));
  }

  @GetMapping("/api/v1/renewal-requests")
  @Operation(
      summary = "List renewal requests (SALES' queue)",
      description = "Oldest first, at most 1000. Any signed-in role.")
  @ApiResponse(responseCode = "200", description = "The requests")
  @ApiResponse(responseCode = "400", ref = OpenApiConfiguration.INVALID)
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  public List<RenewalRequest> list(
      @Parameter(description = "open or closed; both when absent") @RequestParam(required = false)
          String state,
      @RequestParam(name = "subscription_id", required = false) String subscriptionId) {
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

  @PostMapping("/api/v1/renewal-requests/{id}/close")
  @Transactional
  @Operation(
      summary = "Close a renewal request",
      description = "When it has been dealt with. ADMIN, SALES, SUPPORT.")
  @ApiResponse(responseCode = "200", description = "Closed")
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  @ApiResponse(responseCode = "403", ref = OpenApiConfiguration.FORBIDDEN)
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
  @ApiResponse(
      responseCode = "409",
      ref = OpenApiConfiguration.CONFLICT,
      description = "Already closed (conflict)")
  public Closed close(@PathVariable String id, @RequestBody(required = false) CloseRequest body) {
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
