package dev.keyturn.server.subscription;

import dev.keyturn.core.license.License;
import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.jdbc.Ids;
import dev.keyturn.server.policy.Policies;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.security.Role;
import dev.keyturn.server.web.ErrorCode;
import dev.keyturn.server.web.JsonErrors;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.Validator;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Creating, changing and archiving subscriptions, with the per-role field rules of docs/design.md
 * §6.
 */
@Service
public class SubscriptionService {
  /**
   * The fields SUPPORT may patch: keeping a customer's contacts current is a support task. Every
   * other field (instance domain, tier, money…) is for the staff roles ADMIN and SALES only.
   */
  static final Set<String> SUPPORT_FIELDS = Set.of("contacts");

  private final Subscriptions subscriptions;
  private final LicenseRevocation licenses;
  private final EventLog events;
  private final Clock clock;
  private final JsonMapper json;
  private final ApplicationEventPublisher publisher;
  private final Policies policies;

  SubscriptionService(
      Subscriptions subscriptions,
      LicenseRevocation licenses,
      EventLog events,
      Clock clock,
      JsonMapper json,
      ApplicationEventPublisher publisher,
      Policies policies) {
    this.policies = policies;
    this.subscriptions = subscriptions;
    this.licenses = licenses;
    this.events = events;
    this.clock = clock;
    this.json = json;
    this.publisher = publisher;
  }

  @Transactional
  public Subscription create(SubscriptionFields requested, Actor actor) {
    if (requested.policyPreset() == null) {
      // A tier may name the policy its new subscriptions get (PUT /api/v1/policies, "tiers").
      Optional<String> byTier = policies.forTier(requested.tier());
      if (byTier.isPresent()) {
        requested = requested.withPolicy(byTier.get());
      }
    }
    SubscriptionFields fields = requested.validated(policies::exists);
    String id = Ids.next("sub", clock);
    subscriptions.insert(id, fields, clock.instant());
    publisher.publishEvent(new SubscriptionCreated(id));
    events.record(
        "subscription.created",
        actor.name(),
        id,
        null,
        Map.of("display_name", fields.displayName(), "customer_type", fields.customerType()));
    return subscriptions.find(id).orElseThrow();
  }

  public Subscription get(String id) {
    return subscriptions
        .find(id)
        .orElseThrow(() -> KeyturnServerException.notFound("subscription", id));
  }

  /**
   * A JSON merge patch over the editable fields: a field present replaces the stored value (null
   * resets it to its default), absent fields stay.
   */
  @Transactional
  public Subscription patch(String id, JsonNode patch, Actor actor) {
    if (!(patch instanceof ObjectNode changes)) {
      throw new KeyturnServerException(
          ErrorCode.MALFORMED_REQUEST, "the body must be a JSON object");
    }
    Subscription current =
        subscriptions
            .lock(id)
            .orElseThrow(() -> KeyturnServerException.notFound("subscription", id));
    requireNotArchived(current);
    ObjectNode stored = json.valueToTree(current.fields());
    Validator unknown = new Validator();
    for (String field : changes.propertyNames()) {
      unknown.check(stored.has(field), field, "is not a field that can be changed");
    }
    unknown.throwIfAny();
    if (!actor.is(Role.ADMIN) && !actor.is(Role.SALES)) {
      Set<String> forbidden = new TreeSet<>(changes.propertyNames());
      forbidden.removeAll(SUPPORT_FIELDS);
      if (!forbidden.isEmpty()) {
        throw new KeyturnServerException(
            ErrorCode.FIELD_FORBIDDEN,
            "a " + actor.role() + " may change only " + SUPPORT_FIELDS + ", not " + forbidden,
            Map.of("fields", List.copyOf(forbidden)));
      }
    }
    ObjectNode merged = stored.deepCopy();
    merged.setAll(changes);
    SubscriptionFields updated;
    try {
      updated = json.treeToValue(merged, SubscriptionFields.class).validated(policies::exists);
    } catch (JacksonException e) {
      throw JsonErrors.validation(e);
    }
    ObjectNode after = json.valueToTree(updated);
    Map<String, Object> diff = new LinkedHashMap<>();
    for (String field : changes.propertyNames()) {
      if (!stored.get(field).equals(after.get(field))) {
        diff.put(field, Map.of("from", stored.get(field), "to", after.get(field)));
      }
    }
    if (!diff.isEmpty()) {
      subscriptions.update(id, updated, clock.instant());
      events.record("subscription.updated", actor.name(), id, null, Map.of("changes", diff));
      if (diff.containsKey("paid_through") || diff.containsKey("contract_end")) {
        // Same transaction: automatic issuance covers the new paid-through before commit.
        publisher.publishEvent(new PaidThroughChanged(id, actor));
      }
    }
    return subscriptions.find(id).orElseThrow();
  }

  /**
   * Permanent: revokes every license (so check-ins answer "revoked") and every online capability,
   * in one transaction. Nothing is deleted.
   */
  @Transactional
  public Subscription archive(String id, String reason, Actor actor) {
    Validator v = new Validator();
    v.text(reason, "reason", 500, true);
    v.throwIfAny();
    Subscription current =
        subscriptions
            .lock(id)
            .orElseThrow(() -> KeyturnServerException.notFound("subscription", id));
    requireNotArchived(current);
    Instant now = clock.instant();
    subscriptions.archive(id, now, actor.name(), reason.strip());
    List<String> revoked = new ArrayList<>();
    for (String licenseId :
        licenses.revokeAllOf(id, now, actor.name(), "subscription archived: " + reason.strip())) {
      revoked.add(licenseId);
      events.record(
          "license.revoked",
          actor.name(),
          id,
          licenseId,
          Map.of("reason", "subscription archived: " + reason.strip()));
    }
    events.record(
        "subscription.archived",
        actor.name(),
        id,
        null,
        Map.of(
            "reason",
            reason.strip(),
            "revoked_licenses",
            revoked,
            "revoked_capabilities",
            List.copyOf(current.fields().capabilities().keySet())));
    return subscriptions.find(id).orElseThrow();
  }

  /**
   * Lets another instance take over the subscription (a replaced or reinstalled server): the next
   * instance to check in binds it.
   */
  @Transactional
  public Subscription releaseInstance(String id, String reason, Actor actor) {
    return releaseInstance(id, null, reason, actor.name());
  }

  /**
   * Releases the installation that holds the subscription, as {@link #releaseInstance(String,
   * String, Actor)}, for any authenticated party (staff, or a portal contact of the subscription).
   *
   * @param installationId the installation the caller saw bound; when another holds the
   *     subscription by now, nothing changes ({@code conflict}). Null: whichever is bound.
   * @param actor who releases, as the audit log names them
   */
  @Transactional
  public Subscription releaseInstance(
      String id, String installationId, String reason, String actor) {
    Validator v = new Validator();
    v.text(reason, "reason", 500, true);
    v.throwIfAny();
    Subscription current =
        subscriptions
            .lock(id)
            .orElseThrow(() -> KeyturnServerException.notFound("subscription", id));
    requireNotArchived(current);
    if (current.boundInstanceId() == null) {
      throw new KeyturnServerException(
          ErrorCode.CONFLICT, "no instance holds subscription " + id + " yet");
    }
    if (installationId != null && !installationId.equals(current.boundInstanceId())) {
      throw new KeyturnServerException(
          ErrorCode.CONFLICT,
          "installation "
              + installationId
              + " does not hold subscription "
              + id
              + " (another does)");
    }
    subscriptions.releaseInstance(id);
    events.record(
        "instance.released",
        actor,
        id,
        null,
        Map.of("instance_id", current.boundInstanceId(), "reason", reason.strip()));
    return subscriptions.find(id).orElseThrow();
  }

  /**
   * Sets the overage allowance each license issued from now on carries ({@code
   * [license.overage_percent]}, issue 18): per limit the subscription sets (or {@code seats} when
   * it counts seats), a whole percent from 0 to {@value License#MAX_OVERAGE_PERCENT}. Licenses
   * already issued keep theirs (they are signed). ADMIN and SALES; audited.
   *
   * @param overagePercent the whole new allowance; empty (or null) removes every allowance
   */
  @Transactional
  public Subscription setOveragePercent(
      String id, Map<String, Integer> overagePercent, Actor actor) {
    if (!actor.is(Role.ADMIN) && !actor.is(Role.SALES)) {
      throw new KeyturnServerException(
          ErrorCode.FORBIDDEN, "a " + actor.role() + " may not change the overage allowance");
    }
    Subscription current =
        subscriptions
            .lock(id)
            .orElseThrow(() -> KeyturnServerException.notFound("subscription", id));
    requireNotArchived(current);
    Map<String, Integer> next =
        new java.util.TreeMap<>(overagePercent == null ? Map.of() : overagePercent);
    Validator v = new Validator();
    v.check(next.size() <= SubscriptionFields.MAX_ITEMS, "overage_percent", "too many limits");
    next.forEach(
        (limit, percent) -> {
          v.name(limit, "overage_percent." + limit);
          boolean limited =
              current.fields().limits().containsKey(limit)
                  || ("seats".equals(limit) && current.fields().seats() > 0);
          v.check(
              limited,
              "overage_percent." + limit,
              "names no limit of the subscription (limits: "
                  + String.join(", ", current.fields().limits().keySet())
                  + (current.fields().seats() > 0 ? ", seats" : "")
                  + ")");
          v.check(
              percent != null && percent >= 0 && percent <= License.MAX_OVERAGE_PERCENT,
              "overage_percent." + limit,
              "must be a whole percent from 0 to "
                  + License.MAX_OVERAGE_PERCENT
                  + ", was "
                  + percent);
        });
    v.throwIfAny();
    if (next.equals(current.overagePercent())) {
      return current;
    }
    subscriptions.setOveragePercent(id, json.writeValueAsString(next), clock.instant());
    events.record(
        "subscription.overage_changed",
        actor.name(),
        id,
        null,
        Map.of("before", current.overagePercent(), "after", next));
    return subscriptions.find(id).orElseThrow();
  }

  public static void requireNotArchived(Subscription s) {
    if (s.archived()) {
      throw new KeyturnServerException(
          ErrorCode.SUBSCRIPTION_ARCHIVED,
          "subscription " + s.id() + " was archived at " + s.archivedAt() + "; it cannot change",
          Map.of("archived_at", s.archivedAt().toString()));
    }
  }
}
