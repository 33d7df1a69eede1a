package dev.keyturn.server.checkin.internal;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.config.KeyturnProperties;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.LicenseTokens;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.subscription.Capability;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.Subscriptions;
import dev.keyturn.server.usage.CheckInUsage;
import dev.keyturn.server.usage.UsageHistory;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.Validator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import tools.jackson.databind.json.JsonMapper;

/**
 * Check-in and capabilities, authenticated by the license token. Deliberately not one transaction:
 * the {@code instance.conflict} event must stay recorded although the request is refused, and the
 * instance binding is a single atomic update on its own.
 */
@Service
class CheckInService {
  /** A node's name: what logs, metrics and file names carry safely. */
  static final Pattern NODE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  /** The largest usage value taken: more is a client's bug, not a count. */
  static final long MAX_USAGE = 1_000_000_000_000L;

  /** How stale the stored check-in time may get while an instance repeats the same report. */
  static final Duration UNCHANGED_REPORT_REFRESH = Duration.ofMinutes(1);

  private final CheckIns checkIns;
  private final CheckInWriter writer;
  private final Subscriptions subscriptions;
  private final UsageHistory usageHistory;
  private final EventLog events;
  private final KeyturnProperties properties;
  private final JsonMapper json;
  private final Counter ok;
  private final Counter renewed;
  private final Counter revoked;
  private final Counter conflict;

  CheckInService(
      CheckIns checkIns,
      CheckInWriter writer,
      Subscriptions subscriptions,
      UsageHistory usageHistory,
      EventLog events,
      KeyturnProperties properties,
      JsonMapper json,
      MeterRegistry registry) {
    this.checkIns = checkIns;
    this.writer = writer;
    this.subscriptions = subscriptions;
    this.usageHistory = usageHistory;
    this.events = events;
    this.properties = properties;
    this.json = json;
    this.ok = counter(registry, "ok");
    this.renewed = counter(registry, "renewed");
    this.revoked = counter(registry, "revoked");
    this.conflict = counter(registry, "conflict");
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder("keyturn.check_ins")
        .description("Check-ins by outcome (refused tokens are not counted)")
        .tag("outcome", outcome)
        .register(registry);
  }

  record Capabilities(
      String subscriptionId, String licenseId, Map<String, Capability> capabilities) {}

  /**
   * @param principal what the request authenticated as: a {@link CheckInTokens.CheckInToken} for a
   *     known license token, anything else for none
   */
  CheckInResponse checkIn(Object principal, CheckInRequest request) {
    if (!(principal instanceof CheckInTokens.CheckInToken token)) {
      throw unknownToken();
    }
    Instant now = token.at();
    CheckIns.Held license = token.license();
    validate(request, license.id());
    if (license.revokedAt() != null) {
      revoked.increment();
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("revoked", true);
      // Only what staff wrote for the customer: the internal reason stays on the staff side.
      String message =
          license.revokedMessage() == null
              ? Licenses.DEFAULT_REVOCATION_MESSAGE
              : license.revokedMessage();
      details.put("reason", message);
      details.put("revoked_at", license.revokedAt().toString());
      throw new KeyturnServerException(
          ErrorCode.LICENSE_REVOKED,
          "license " + license.id() + " was revoked: " + message,
          details);
    }
    String subscriptionId = license.subscriptionId();
    String instanceId = request.instanceId().strip();
    boolean alreadyBound = instanceId.equals(license.boundInstanceId());
    if (!alreadyBound && !subscriptions.bindInstance(subscriptionId, instanceId, now)) {
      Subscription bound = subscriptions.find(subscriptionId).orElseThrow();
      events.record(
          "instance.conflict",
          "instance:" + instanceId,
          subscriptionId,
          license.id(),
          Map.of(
              "instance_id", instanceId,
              "bound_instance_id", bound.boundInstanceId(),
              "instance_domain", String.valueOf(request.instanceDomain())));
      conflict.increment();
      throw new KeyturnServerException(
          ErrorCode.INSTANCE_CONFLICT,
          "this license is in use by another instance; one subscription runs one instance."
              + " Ask the vendor to move the license if this instance replaces the old one",
          Map.of("bound_at", String.valueOf(bound.boundAt())));
    }
    if (!alreadyBound) {
      events.record(
          "instance.bound",
          "instance:" + instanceId,
          subscriptionId,
          license.id(),
          Map.of("instance_id", instanceId));
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("license_id", license.id());
    report.put("instance_domain", request.instanceDomain());
    report.put("usage", request.usage() == null ? Map.of() : request.usage());
    report.put("client_version", request.clientVersion());
    if (request.node() != null) {
      report.put("node", request.node());
    }
    String reportJson = json.writeValueAsString(report);
    // An instance repeating its report within a minute (retries, restart loops) causes no write:
    // the row takes one write per change or per minute, not one per request.
    boolean unchanged =
        reportJson.equals(license.lastCheckIn())
            && license.lastCheckInAt() != null
            && now.isBefore(license.lastCheckInAt().plus(UNCHANGED_REPORT_REFRESH));
    if (!unchanged) {
      CheckInUsage usage =
          new CheckInUsage(
              subscriptionId,
              license.id(),
              instanceId,
              request.node(),
              now,
              request.usage() == null ? Map.of() : request.usage());
      // Committed with the concurrent check-ins' writes (group commit) before this returns.
      writer.write(new Subscriptions.LastCheckIn(subscriptionId, now, reportJson), usage);
      usageHistory.alertOn(usage);
    }

    Optional<CheckIns.Held> newer =
        license.hasNewer()
            ? checkIns.newer(subscriptionId, license.expiresAt(), now)
            : Optional.empty();
    CheckIns.Held current = newer.orElse(license);
    (newer.isPresent() ? renewed : ok).increment();
    return new CheckInResponse(
        CheckInResponse.StandingView.of(
            current.id(),
            Lifecycle.evaluate(
                current.notBefore(), current.expiresAt(), now, current.policy(), ZoneOffset.UTC)),
        false,
        newer.map(CheckIns.Held::text).orElse(null),
        properties.checkInInterval().toString(),
        license.paymentFailing());
  }

  /**
   * @param principal what the request authenticated as: the license for a known license token
   */
  Capabilities capabilities(Object principal) {
    if (!(principal instanceof LicenseRecord license)) {
      throw unknownToken();
    }
    Subscription subscription = subscriptions.find(license.subscriptionId()).orElseThrow();
    if (subscription.archived() || license.revoked()) {
      throw new KeyturnServerException(
          ErrorCode.CAPABILITIES_REVOKED,
          subscription.archived()
              ? "the subscription was archived; its online capabilities are revoked"
              : "license " + license.id() + " was revoked; its online capabilities are too",
          Map.of("revoked", true));
    }
    return new Capabilities(subscription.id(), license.id(), subscription.fields().capabilities());
  }

  private static KeyturnServerException unknownToken() {
    return new KeyturnServerException(
        ErrorCode.LICENSE_TOKEN_UNKNOWN,
        "send the token of a license issued by this server: Authorization: Bearer "
            + LicenseTokens.PREFIX
            + "…");
  }

  private static void validate(CheckInRequest request, String licenseId) {
    Validator v = new Validator();
    if (request == null) {
      v.error("body", "is required").throwIfAny();
    }
    v.text(request.instanceId(), "instance_id", 200, true);
    v.text(request.instanceDomain(), "instance_domain", 253, false);
    v.text(request.clientVersion(), "client_version", 100, false);
    v.check(
        request.node() == null || NODE.matcher(request.node()).matches(),
        "node",
        "must be 1 to 128 of A-Z, a-z, 0-9, '.', '_', ':' or '-'");
    v.check(
        request.licenseId() == null || request.licenseId().equals(licenseId),
        "license_id",
        "does not match the license of the token (" + licenseId + ")");
    Map<String, Long> usage = request.usage() == null ? Map.of() : request.usage();
    v.check(usage.size() <= 100, "usage", "at most 100 entries");
    usage.forEach(
        (name, value) -> {
          v.name(name, "usage." + name);
          v.check(
              value != null && value >= 0 && value <= MAX_USAGE,
              "usage." + name,
              "must be from 0 to " + MAX_USAGE);
        });
    v.throwIfAny();
  }
}
