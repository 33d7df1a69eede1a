package dev.keyturn.server.license;

import dev.keyturn.core.crypto.SigningKey;
import dev.keyturn.core.license.License;
import dev.keyturn.core.license.LicensePolicy;
import dev.keyturn.core.license.SignedLicense;
import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.core.lifecycle.Policy;
import dev.keyturn.core.lifecycle.Stage;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.jdbc.Ids;
import dev.keyturn.server.license.internal.LicenseMetrics;
import dev.keyturn.server.policy.Policies;
import dev.keyturn.server.policy.PolicyCodec;
import dev.keyturn.server.policy.StoredPolicy;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.signingkey.SigningKeys;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionFields;
import dev.keyturn.server.subscription.SubscriptionService;
import dev.keyturn.server.subscription.Subscriptions;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.Validator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Signs licenses for subscriptions, and revokes them. Every issuance is an audited event (and so a
 * {@code license.issued} webhook); a request may also mail the license to the contacts.
 */
@Service
public class LicenseIssuer {
  /** docs/design.md §6: an engineer may issue licenses of at most 7 days (see EngineerBridge). */
  public static final Duration ENGINEER_MAX_VALIDITY = EngineerBridge.MAX_VALIDITY;

  static final Duration MAX_VALIDITY = Duration.ofDays(3660);

  private final Subscriptions subscriptions;
  private final Licenses licenses;
  private final SigningKeys keys;
  private final EventLog events;
  private final LicenseMetrics metrics;
  private final Clock clock;
  private final ApplicationEventPublisher publisher;
  private final Policies policies;

  LicenseIssuer(
      Policies policies,
      Subscriptions subscriptions,
      Licenses licenses,
      SigningKeys keys,
      EventLog events,
      LicenseMetrics metrics,
      Clock clock,
      ApplicationEventPublisher publisher) {
    this.subscriptions = subscriptions;
    this.licenses = licenses;
    this.keys = keys;
    this.events = events;
    this.metrics = metrics;
    this.clock = clock;
    this.publisher = publisher;
    this.policies = policies;
  }

  @Transactional
  public LicenseRecord issue(String subscriptionId, IssueRequest request, Actor actor) {
    Subscription subscription =
        subscriptions
            .lock(subscriptionId)
            .orElseThrow(() -> KeyturnServerException.notFound("subscription", subscriptionId));
    SubscriptionService.requireNotArchived(subscription);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Window window = window(request, now);
    List<String> tags = request.tags() == null ? List.of() : request.tags();
    Validator v = new Validator();
    v.check(tags.size() <= 20, "tags", "at most 20 tags");
    for (int i = 0; i < tags.size(); i++) {
      v.name(tags.get(i), "tags[" + i + "]");
    }
    v.check(tags.stream().distinct().count() == tags.size(), "tags", "lists a tag twice");
    v.check(
        request.seats() == null || request.seats() >= 0,
        "seats",
        "must be 0 (unlimited) or more, was " + request.seats());
    v.throwIfAny();
    if (actor.is(Role.ENGINEER)) {
      EngineerBridge.check(
          now,
          window.notBefore(),
          window.expiresAt(),
          licenses.unexpiredIssuedUnder(subscription.id(), Role.ENGINEER.name(), now));
    }

    SubscriptionFields f = subscription.fields();
    StoredPolicy named = policies.require(f.policyPreset());
    Policy issuedUnder = capped(named.policy(), actor.role());
    LicensePolicy carried = issuedUnder.toLicensePolicy();
    License license =
        License.builder()
            .id(Ids.next("lic", clock))
            .subscriptionId(subscription.id())
            .customer(f.displayName())
            .instanceDomain(f.instanceDomain())
            .tier(f.tier())
            .seats(request.seats() != null ? request.seats() : f.seats())
            .features(f.features())
            .tags(tags)
            .issuedAt(now)
            .notBefore(window.notBefore())
            .expiresAt(window.expiresAt())
            .limits(f.limits())
            .overagePercent(grantedOverage(subscription, request))
            .policy(carried)
            .build();
    SigningKey key = keys.active();
    SignedLicense signed = key.sign(license);
    Policy policy = Policy.forLicense(license.policy());
    LicenseRecord row =
        new LicenseRecord(
            license.id(),
            subscription.id(),
            key.keyId(),
            signed.toToml(),
            license.customer(),
            license.tier(),
            license.seats(),
            license.tags(),
            policy.name(),
            policy.graceDays(),
            policy.graceMode().tomlName(),
            carried.isCustom() ? PolicyCodec.encode(policy) : null,
            carried.isCustom() ? named.revision() : null,
            license.issuedAt(),
            license.notBefore(),
            firstReminder(policy, license.expiresAt()),
            license.expiresAt(),
            license.expiresAt().plus(policy.gracePeriod()),
            actor.name(),
            null,
            null,
            null);
    licenses.insert(row, LicenseTokens.hash(LicenseTokens.tokenFor(signed)));
    licenses.recordIssuerRole(license.id(), actor.role().name());
    // The lifecycle follows at once (reactivation, next transition), in this transaction.
    publisher.publishEvent(new LicenseIssued(subscription.id(), license.id()));
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("key_id", key.keyId());
    metadata.put("role", actor.role().name());
    metadata.put("not_before", license.notBefore().toString());
    metadata.put("expires_at", license.expiresAt().toString());
    metadata.put("seats", license.seats());
    metadata.put("tags", license.tags());
    metadata.put("policy", policy.name());
    if (carried.isCustom()) {
      metadata.put("policy_revision", named.revision());
    }
    events.record("license.issued", actor.name(), subscription.id(), license.id(), metadata);
    if (request.mailsContacts()) {
      // In this transaction, like automatic issuance: the mail exists exactly when the license
      // does.
      publisher.publishEvent(new LicenseToMail(subscription, row, false));
    }
    metrics.issued();
    return row;
  }

  /**
   * Re-issues, under the policy as it is now, the current license of every subscription that names
   * {@code policyName}: same expiry, valid from now, mailed to the contacts (issue 21: editing a
   * policy changes only licenses issued afterwards). Archived subscriptions and licenses already
   * expired are left alone. One audited {@code policy.reissued} event lists what was done.
   */
  @Transactional
  public Reissue reissue(String policyName, Actor actor) {
    StoredPolicy named = policies.require(policyName);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    List<String> ids = policies.subscriptionsUsing(policyName);
    Map<String, LicenseRecord> current = licenses.newestUsableWithoutText(ids, now);
    List<String> issued = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (String id : ids) {
      LicenseRecord license = current.get(id);
      Subscription s = subscriptions.find(id).orElse(null);
      if (s == null || s.archived() || license == null || !license.expiresAt().isAfter(now)) {
        skipped.add(id);
        continue;
      }
      IssueRequest request =
          new IssueRequest(now, license.expiresAt(), null, license.seats(), license.tags(), true);
      issued.add(issue(id, request, actor).id());
    }
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("policy", policyName);
    metadata.put("revision", named.revision());
    metadata.put("licenses", issued);
    metadata.put("skipped_subscriptions", skipped);
    events.record("policy.reissued", actor.name(), null, null, metadata);
    return new Reissue(policyName, named.revision(), issued, skipped);
  }

  /**
   * What a re-issue did.
   *
   * @param licenses the new licenses' ids
   * @param skippedSubscriptions archived, without a current license, or already expired
   */
  public record Reissue(
      String policy, int revision, List<String> licenses, List<String> skippedSubscriptions) {}

  @Transactional
  public LicenseRecord revoke(String licenseId, String reason, Actor actor) {
    return revoke(licenseId, reason, null, actor);
  }

  /**
   * @param reason internal, for staff (the audit log, the console, the API)
   * @param customerMessage what the customer's product shows at its next check-in; a generic
   *     message when blank
   */
  @Transactional
  public LicenseRecord revoke(
      String licenseId, String reason, String customerMessage, Actor actor) {
    Validator v = new Validator();
    v.text(reason, "reason", 500, true);
    v.text(customerMessage, "customer_message", 500, false);
    v.throwIfAny();
    LicenseRecord license =
        licenses
            .find(licenseId)
            .orElseThrow(() -> KeyturnServerException.notFound("license", licenseId));
    // One after the other with issuance, so the subscription's current license stays right.
    subscriptions.lock(license.subscriptionId());
    String message =
        customerMessage == null || customerMessage.isBlank() ? null : customerMessage.strip();
    if (!licenses.revoke(licenseId, clock.instant(), actor.name(), reason.strip(), message)) {
      throw new KeyturnServerException(
          ErrorCode.LICENSE_ALREADY_REVOKED,
          "license " + licenseId + " was revoked already at " + license.revokedAt(),
          Map.of("revoked_at", String.valueOf(license.revokedAt())));
    }
    events.record(
        "license.revoked",
        actor.name(),
        license.subscriptionId(),
        licenseId,
        message == null
            ? Map.of("reason", reason.strip())
            : Map.of("reason", reason.strip(), "customer_message", message));
    return licenses.find(licenseId).orElseThrow();
  }

  private record Window(Instant notBefore, Instant expiresAt) {}

  /**
   * The subscription's overage allowance for this license: only for limits it sets (a limit removed
   * since the allowance was set takes its allowance with it), and for seats only when it counts
   * them. Signed in as {@code [license.overage_percent]}; none when empty, so the file is as
   * before.
   */
  private static Map<String, Integer> grantedOverage(
      Subscription subscription, IssueRequest request) {
    SubscriptionFields f = subscription.fields();
    long seats = request.seats() != null ? request.seats() : f.seats();
    Map<String, Integer> granted = new java.util.TreeMap<>();
    subscription
        .overagePercent()
        .forEach(
            (limit, percent) -> {
              if (f.limits().containsKey(limit) || ("seats".equals(limit) && seats > 0)) {
                granted.put(limit, percent);
              }
            });
    return granted;
  }

  private static Window window(IssueRequest request, Instant now) {
    Validator v = new Validator();
    v.check(
        (request.expiresAt() == null) != (request.duration() == null),
        "expires_at",
        "give exactly one of 'expires_at' or 'duration'");
    v.throwIfAny();
    Instant notBefore =
        (request.notBefore() == null ? now : request.notBefore()).truncatedTo(ChronoUnit.SECONDS);
    Instant expiresAt;
    if (request.duration() != null) {
      v.check(
          !request.duration().isNegative()
              && !request.duration().isZero()
              && request.duration().compareTo(MAX_VALIDITY) <= 0,
          "duration",
          "must be positive and at most " + MAX_VALIDITY.toDays() + " days");
      v.throwIfAny();
      expiresAt = notBefore.plus(request.duration());
    } else {
      expiresAt = request.expiresAt();
    }
    expiresAt = expiresAt.truncatedTo(ChronoUnit.SECONDS);
    v.check(
        expiresAt.isAfter(notBefore),
        "expires_at",
        "must be after not_before (" + notBefore + "), was " + expiresAt);
    v.check(
        Duration.between(notBefore, expiresAt).compareTo(MAX_VALIDITY) <= 0,
        "expires_at",
        "a license is valid for at most " + MAX_VALIDITY.toDays() + " days");
    v.check(expiresAt.isAfter(now), "expires_at", "must be in the future (it is now " + now + ")");
    v.throwIfAny();
    return new Window(notBefore, expiresAt);
  }

  /** The policy a license issued now under that role carries (an engineer's grace is capped). */
  public Policy policyFor(String policyName, Role role) {
    return capped(policies.require(policyName).policy(), role);
  }

  private static Policy capped(Policy policy, Role role) {
    return role == Role.ENGINEER ? EngineerBridge.policy(policy) : policy;
  }

  /** When the first EXPIRING stage starts; the expiry itself for a policy without reminders. */
  static Instant firstReminder(Policy policy, Instant expiresAt) {
    return policy.stages().stream()
        .filter(s -> s.phase() == Phase.EXPIRING)
        .map((Stage s) -> s.startsAt(expiresAt))
        .min(Instant::compareTo)
        .orElse(expiresAt);
  }
}
