package dev.keyturn.server.payment;

import dev.keyturn.server.audit.EventLog;
import dev.keyturn.server.jdbc.Db;
import dev.keyturn.server.jdbc.Ids;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.payment.internal.AutoIssuance;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.subscription.Subscription;
import dev.keyturn.server.subscription.SubscriptionService;
import dev.keyturn.server.subscription.Subscriptions;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.Validator;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Recorded payments: each moves paid-through forward and so issues the covering license. */
@Service
public class PaymentService {
  private final Subscriptions subscriptions;
  private final AutoIssuance autoIssuance;
  private final EventLog events;
  private final org.springframework.jdbc.core.simple.JdbcClient jdbc;
  private final Clock clock;

  PaymentService(
      Subscriptions subscriptions,
      AutoIssuance autoIssuance,
      EventLog events,
      org.springframework.jdbc.core.simple.JdbcClient jdbc,
      Clock clock) {
    this.subscriptions = subscriptions;
    this.autoIssuance = autoIssuance;
    this.events = events;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public record PaymentRequest(String amount, String reference, Instant paidThrough) {}

  public record Payment(
      String id,
      String subscriptionId,
      String amount,
      String reference,
      Instant paidThrough,
      Instant recordedAt,
      String recordedBy,
      String licenseId) {}

  /** The subscription's recorded payments, newest first. */
  public List<Payment> of(String subscriptionId, int limit) {
    return jdbc.sql(
            "select * from payments where subscription_id = ? order by recorded_at desc, id desc"
                + " limit ?")
        .params(subscriptionId, limit)
        .query(
            (rs, n) ->
                new Payment(
                    rs.getString("id"),
                    rs.getString("subscription_id"),
                    rs.getString("amount"),
                    rs.getString("reference"),
                    Db.instant(rs, "paid_through"),
                    Db.instant(rs, "recorded_at"),
                    rs.getString("recorded_by"),
                    rs.getString("license_id")))
        .list();
  }

  @Transactional
  public Payment record(String subscriptionId, PaymentRequest request, Actor actor) {
    Subscription s =
        subscriptions
            .lock(subscriptionId)
            .orElseThrow(() -> KeyturnServerException.notFound("subscription", subscriptionId));
    SubscriptionService.requireNotArchived(s);
    Instant now = clock.instant();
    Validator v = new Validator();
    v.text(request.reference(), "reference", 200, true);
    v.check(
        request.amount() == null
            || request.amount().matches("[0-9]{1,15}(\\.[0-9]{1,4})?( [A-Z]{3})?"),
        "amount",
        "a decimal amount with an optional currency, e.g. \"1200.00 EUR\"");
    v.check(request.paidThrough() != null, "paid_through", "is required");
    v.throwIfAny();
    Instant paidThrough = request.paidThrough().truncatedTo(ChronoUnit.SECONDS);
    Instant current = s.fields().paidThrough();
    v.check(
        paidThrough.isAfter(now), "paid_through", "must be in the future (it is now " + now + ")");
    v.check(
        current == null || !paidThrough.isBefore(current),
        "paid_through",
        "must not move back (it is " + current + ")");
    v.throwIfAny();
    subscriptions.update(subscriptionId, s.fields().withPaidThrough(paidThrough), now);
    Optional<LicenseRecord> issued = autoIssuance.ensureCovered(subscriptionId, actor);
    String id = Ids.next("pay", clock);
    String reference = request.reference().strip();
    jdbc.sql(
            "insert into payments (id, subscription_id, amount, reference, paid_through,"
                + " recorded_at, recorded_by, license_id) values (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            id,
            subscriptionId,
            request.amount(),
            reference,
            Db.ts(paidThrough),
            Db.ts(now),
            actor.name(),
            issued.map(LicenseRecord::id).orElse(null))
        .update();
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("payment_id", id);
    meta.put("reference", reference);
    meta.put("amount", request.amount());
    meta.put("paid_through", paidThrough.toString());
    meta.put("license_id", issued.map(LicenseRecord::id).orElse(null));
    events.record("payment.recorded", actor.name(), subscriptionId, null, meta);
    return new Payment(
        id,
        subscriptionId,
        request.amount(),
        reference,
        paidThrough,
        now,
        actor.name(),
        issued.map(LicenseRecord::id).orElse(null));
  }
}
