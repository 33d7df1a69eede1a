package dev.keyturn.server.checkin;

import dev.keyturn.core.lifecycle.Lifecycle;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.LicenseTokens;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.subscription.Capability;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.Subscriptions;
import dev.keyturn.server.system.ErrorCode;
import dev.keyturn.server.system.KeyturnProperties;
import dev.keyturn.server.system.KeyturnServerException;
import dev.keyturn.server.system.Validator;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;

/**
 * Check-in and capabilities, authenticated by the license token. Deliberately not one transaction:
 * the {@code instance.conflict} event must stay recorded although the request is refused, and the
 * instance binding is a single atomic update on its own.
 */
@Service
class CheckInService {
  private final Licenses licenses;
  private final Subscriptions subscriptions;
  private final EventLog events;
  private final Clock clock;
  private final KeyturnProperties properties;
  private final MeterRegistry registry;

  CheckInService(
      Licenses licenses,
      Subscriptions subscriptions,
      EventLog events,
      Clock clock,
      KeyturnProperties properties,
      MeterRegistry registry) {
    this.licenses = licenses;
    this.subscriptions = subscriptions;
    this.events = events;
    this.clock = clock;
    this.properties = properties;
    this.registry = registry;
  }

  record Capabilities(
      String subscriptionId, String licenseId, Map<String, Capability> capabilities) {}

  CheckInResponse checkIn(String authorization, CheckInRequest request) {
    LicenseRecord license = authenticate(authorization);
    validate(request, license);
    Subscription subscription = subscriptions.find(license.subscriptionId()).orElseThrow();
    Instant now = clock.instant();
    if (license.revoked()) {
      count("revoked");
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("revoked", true);
      details.put("reason", license.revokedReason());
      details.put("revoked_at", license.revokedAt().toString());
      throw new KeyturnServerException(
          ErrorCode.LICENSE_REVOKED,
          "license " + license.id() + " was revoked: " + license.revokedReason(),
          details);
    }
    String instanceId = request.instanceId().strip();
    boolean alreadyBound = instanceId.equals(subscription.boundInstanceId());
    if (!alreadyBound && !subscriptions.bindInstance(subscription.id(), instanceId, now)) {
      Subscription bound = subscriptions.find(subscription.id()).orElseThrow();
      events.record(
          "instance.conflict",
          "instance:" + instanceId,
          subscription.id(),
          license.id(),
          Map.of(
              "instance_id", instanceId,
              "bound_instance_id", bound.boundInstanceId(),
              "instance_domain", String.valueOf(request.instanceDomain())));
      count("conflict");
      throw new KeyturnServerException(
          ErrorCode.INSTANCE_CONFLICT,
          "this license is in use by another instance; one subscription runs one instance."
              + " Ask the vendor to move the license if this instance replaces the old one",
          Map.of("bound_at", String.valueOf(bound.boundAt())));
    }
    if (subscription.boundInstanceId() == null) {
      events.record(
          "instance.bound",
          "instance:" + instanceId,
          subscription.id(),
          license.id(),
          Map.of("instance_id", instanceId));
    }
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("license_id", license.id());
    report.put("instance_domain", request.instanceDomain());
    report.put("usage", request.usage() == null ? Map.of() : request.usage());
    report.put("client_version", request.clientVersion());
    subscriptions.recordCheckIn(subscription.id(), now, report);

    Optional<LicenseRecord> newer =
        licenses
            .newestUsable(subscription.id(), now)
            .filter(n -> n.expiresAt().isAfter(license.expiresAt()));
    LicenseRecord current = newer.orElse(license);
    count(newer.isPresent() ? "renewed" : "ok");
    return new CheckInResponse(
        CheckInResponse.StandingView.of(
            current.id(),
            Lifecycle.evaluate(
                current.notBefore(), current.expiresAt(), now, current.policy(), ZoneOffset.UTC)),
        false,
        newer.map(LicenseRecord::text).orElse(null),
        properties.checkInInterval().toString(),
        false);
  }

  Capabilities capabilities(String authorization) {
    LicenseRecord license = authenticate(authorization);
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

  private LicenseRecord authenticate(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      count("unauthenticated");
      throw new KeyturnServerException(
          ErrorCode.LICENSE_TOKEN_UNKNOWN,
          "send the license token: Authorization: Bearer " + LicenseTokens.PREFIX + "…");
    }
    String token = authorization.substring(7).strip();
    Optional<LicenseRecord> license =
        token.startsWith(LicenseTokens.PREFIX)
            ? licenses.findByTokenHash(LicenseTokens.hash(token))
            : Optional.empty();
    if (license.isEmpty()) {
      count("unauthenticated");
      throw new KeyturnServerException(
          ErrorCode.LICENSE_TOKEN_UNKNOWN, "no license issued by this server has that token");
    }
    return license.get();
  }

  private static void validate(CheckInRequest request, LicenseRecord license) {
    Validator v = new Validator();
    if (request == null) {
      v.error("body", "is required").throwIfAny();
    }
    v.text(request.instanceId(), "instance_id", 200, true);
    v.text(request.instanceDomain(), "instance_domain", 253, false);
    v.text(request.clientVersion(), "client_version", 100, false);
    v.check(
        request.licenseId() == null || request.licenseId().equals(license.id()),
        "license_id",
        "does not match the license of the token (" + license.id() + ")");
    Map<String, Long> usage = request.usage() == null ? Map.of() : request.usage();
    v.check(usage.size() <= 100, "usage", "at most 100 entries");
    usage.forEach(
        (name, value) -> {
          v.name(name, "usage." + name);
          v.check(value != null && value >= 0, "usage." + name, "must be 0 or more");
        });
    v.throwIfAny();
  }

  private void count(String outcome) {
    Counter.builder("keyturn.check_ins")
        .description("Check-ins by outcome")
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}
